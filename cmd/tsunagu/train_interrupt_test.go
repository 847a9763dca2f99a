package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// interruptEvent is one thing the trainee does: a typed line or Ctrl+C.
type interruptEvent struct {
	line  string
	ctrlC bool
}

var ctrlC = interruptEvent{ctrlC: true}

func typed(s string) interruptEvent { return interruptEvent{line: s} }

// feedEvents sends the events one by one on unbuffered channels, so they are
// received in order; the lines channel is closed after the last event.
func feedEvents(events []interruptEvent) (<-chan plainLine, <-chan os.Signal) {
	lines, sigs := make(chan plainLine), make(chan os.Signal)
	go func() {
		defer close(lines)
		for _, e := range events {
			if e.ctrlC {
				sigs <- os.Interrupt
				continue
			}
			lines <- plainLine{text: e.line}
		}
	}()
	return lines, sigs
}

func TestAskToEnd(t *testing.T) {
	cases := []struct {
		name   string
		lang   string
		events []interruptEvent
		want   endChoice
		asked  int // how many times the question is printed
	}{
		{"y ends", "en", []interruptEvent{typed("y")}, endAsked, 1},
		{"yes ends", "en", []interruptEvent{typed(" Yes ")}, endAsked, 1},
		{"n goes on", "en", []interruptEvent{typed("n")}, goOn, 1},
		{"second Ctrl+C ends now", "en", []interruptEvent{ctrlC}, endNow, 1},
		{"other answer asks again", "en", []interruptEvent{typed("maybe"), typed(""), typed("no")}, goOn, 3},
		{"Ctrl+C after a wrong answer", "en", []interruptEvent{typed("what?"), ctrlC}, endNow, 2},
		{"end of input ends", "en", nil, endAsked, 1},
		{"ja はい", "ja", []interruptEvent{typed("はい")}, endAsked, 1},
		{"ja いいえ", "ja", []interruptEvent{typed("いいえ")}, goOn, 1},
		{"ja n", "ja", []interruptEvent{typed("n")}, goOn, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines, sigs := feedEvents(c.events)
			var out bytes.Buffer
			got := askToEnd(&out, c.lang, lines, sigs)
			if got != c.want {
				t.Errorf("choice %d, want %d", got, c.want)
			}
			q := map[string]string{"en": "End the session? y/n", "ja": "セッションを終了しますか？ y/n"}[c.lang]
			if n := strings.Count(out.String(), q); n != c.asked {
				t.Errorf("asked %d times, want %d:\n%s", n, c.asked, out.String())
			}
		})
	}
}

// scriptedStdin returns one chunk per Read; a ctrlC event is sent on sigs
// (and received by the session) before the next chunk is read.
type scriptedStdin struct {
	events []interruptEvent
	sigs   chan<- os.Signal
}

func (r *scriptedStdin) Read(p []byte) (int, error) {
	for len(r.events) > 0 && r.events[0].ctrlC {
		r.events = r.events[1:]
		r.sigs <- os.Interrupt
	}
	if len(r.events) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.events[0].line+"\n")
	r.events = r.events[1:]
	return n, nil
}

func TestTrainPlainCtrlCAsksFirst(t *testing.T) {
	cases := []struct {
		name     string
		lang     string
		events   []interruptEvent
		want     []string
		dontWant []string
	}{
		{"n goes on", "en",
			[]interruptEvent{typed("Hello, I have read your conversation."), ctrlC, typed("n"), typed("/transfer nowhere"), typed("/close")},
			[]string{"End the session? y/n", `there is no team called "nowhere"`, "Score:", "Saved as session 1"}, nil},
		{"y ends and saves", "en",
			[]interruptEvent{typed("Hello, I have read your conversation."), ctrlC, typed("y"), typed("/transfer nowhere")},
			[]string{"End the session? y/n", "Score:", "Saved as session 1"}, []string{"nowhere"}},
		{"second Ctrl+C ends at once and saves", "en",
			[]interruptEvent{typed("Hello, I have read your conversation."), ctrlC, ctrlC, typed("/transfer nowhere")},
			[]string{"End the session? y/n", "Ctrl+C twice", "Saved as session 1"}, []string{"nowhere"}},
		{"ja はい", "ja",
			[]interruptEvent{typed("お待たせしました。会話の内容を拝見しました。"), ctrlC, typed("はい")},
			[]string{"セッションを終了しますか？ y/n", "保存しました。セッション 1"}, []string{"End the session?"}},
		{"ja second Ctrl+C", "ja",
			[]interruptEvent{ctrlC, ctrlC},
			[]string{"セッションを終了しますか？ y/n", "Ctrl+C 2 回", "保存しました。セッション 1"}, nil},
	}
	saved := plainInterrupts
	t.Cleanup(func() { plainInterrupts = saved })
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sigs := make(chan os.Signal)
			plainInterrupts = func() (<-chan os.Signal, func()) { return sigs, func() {} }
			db := filepath.Join(t.TempDir(), "t.db")
			args := append(trainFlags(db), "train", "--plain", "--scenario", "cancel-membership", "--trainee", "amy")
			args[3] = c.lang // --lang
			var out, errb bytes.Buffer
			code := run(args, &scriptedStdin{events: c.events, sigs: sigs}, &out, &errb)
			if code != 0 {
				t.Fatalf("code %d: %s\n%s", code, errb.String(), out.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range c.dontWant {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
			history, _, _ := runTrainCLI(t, "", append(trainFlags(db), "train", "history", "--json")...)
			if !strings.Contains(history, `"trainee": "amy"`) && !strings.Contains(history, `"trainee":"amy"`) {
				t.Errorf("the session is not in the history:\n%s", history)
			}
		})
	}
}
