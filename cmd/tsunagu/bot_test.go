package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tsunagu/bot"
)

var (
	botEngineOnce sync.Once
	botEngine     *bot.Engine
)

func sharedBotEngine() *bot.Engine {
	botEngineOnce.Do(func() { botEngine = bot.NewEngine(bot.DefaultRules()) })
	return botEngine
}

type botOut struct {
	Conversation string            `json:"conversation"`
	Turn         int               `json:"turn"`
	Lang         string            `json:"lang"`
	Intent       string            `json:"intent"`
	Confidence   float64           `json:"confidence"`
	Candidates   []bot.Candidate   `json:"candidates"`
	Action       string            `json:"action"`
	Reason       string            `json:"reason"`
	Reply        string            `json:"reply"`
	Slots        map[string]string `json:"slots"`
	Error        string            `json:"error"`
	Line         int               `json:"line"`
}

func decodeLines(t *testing.T, out string) []botOut {
	t.Helper()
	var res []botOut
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		var o botOut
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("output line %q is not JSON: %v", l, err)
		}
		res = append(res, o)
	}
	return res
}

// TestBotFilterLinesAndErrors: one output line per input line, shared state per
// conversation, and a bad line answered with an error while the rest go on.
func TestBotFilterLinesAndErrors(t *testing.T) {
	in := strings.Join([]string{
		`{"conversation":"c1","text":"invoice"}`,
		`not json`,
		`{"conversation":"c2","text":"注文をキャンセルしたい"}`,
		`{"conversation":"c1","text":"2"}`,
		`{"conversation":"c3"}`,
		``,
		`{"text":"I want to talk to a human"}`,
		`{"conversation":"c2","text":"3"}`,
	}, "\n") // no final newline: the last line still counts
	var out bytes.Buffer
	if err := runBotFilter(sharedBotEngine(), "en", strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	got := decodeLines(t, out.String())
	if len(got) != 8 {
		t.Fatalf("%d output lines for 8 input lines:\n%s", len(got), out.String())
	}
	checks := []struct {
		i                     int
		conv, action, intent  string
		turn                  int
		errContains, wantLang string
	}{
		{0, "c1", "clarify", "", 1, "", "en"},
		{1, "", "", "", 0, "not a JSON object", ""},
		{2, "c2", "answer", "cancel_order", 1, "", "ja"},
		{3, "c1", "answer", "check_invoice", 2, "", "en"},
		{4, "", "", "", 0, `no "text"`, ""},
		{5, "", "", "", 0, "not a JSON object", ""},
		{6, "", "escalate", "contact_human_agent", 1, "", "en"},
		{7, "c2", "", "", 2, "", "ja"},
	}
	for _, c := range checks {
		o := got[c.i]
		if c.errContains != "" {
			if !strings.Contains(o.Error, c.errContains) || o.Line != c.i+1 {
				t.Errorf("line %d: want an error containing %q at line %d, got %+v", c.i+1, c.errContains, c.i+1, o)
			}
			continue
		}
		if o.Error != "" || o.Conversation != c.conv || o.Turn != c.turn || o.Lang != c.wantLang {
			t.Errorf("line %d: got %+v", c.i+1, o)
		}
		if c.action != "" && o.Action != c.action {
			t.Errorf("line %d: action %s; want %s", c.i+1, o.Action, c.action)
		}
		if c.intent != "" && o.Intent != c.intent {
			t.Errorf("line %d: intent %s; want %s", c.i+1, o.Intent, c.intent)
		}
		if o.Slots == nil || o.Candidates == nil || o.Reply == "" {
			t.Errorf("line %d: slots, candidates and reply must always be present: %+v", c.i+1, o)
		}
	}
}

// TestBotFilterStreams proves each line is answered before the next is read:
// the test waits for the answer to line 1 before writing line 2.
func TestBotFilterStreams(t *testing.T) {
	// The engine is trained here, before any answer is awaited: training
	// takes seconds under -race on a busy machine and is not what is tested.
	engine := sharedBotEngine()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runBotFilter(engine, "en", inR, outW)
		outW.Close()
	}()
	lines := bufio.NewReader(outR)
	for i, msg := range []string{"where is my order", "that didn't help"} {
		if _, err := io.WriteString(inW, `{"conversation":"s","text":"`+msg+`"}`+"\n"); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			l, _ := lines.ReadString('\n')
			got <- l
		}()
		select {
		case l := <-got:
			o := decodeLines(t, l)[0]
			if o.Turn != i+1 {
				t.Fatalf("answer %d has turn %d", i+1, o.Turn)
			}
			if i == 1 && (o.Action != "escalate" || o.Reason != "unresolved") {
				t.Errorf("second turn: %s/%s; want escalate/unresolved", o.Action, o.Reason)
			}
		case <-time.After(hangBound):
			t.Fatalf("no answer to line %d while the input stays open: the filter does not stream", i+1)
		}
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestBotFilterLongLine(t *testing.T) {
	in := `{"conversation":"x","text":"` + strings.Repeat("a", maxBotLine+10) + `"}` + "\n" + `{"conversation":"x","text":"hello"}` + "\n"
	var out bytes.Buffer
	if err := runBotFilter(sharedBotEngine(), "en", strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	got := decodeLines(t, out.String())
	if len(got) != 2 || !strings.Contains(got[0].Error, "longer than") || got[1].Intent != "greeting" {
		t.Errorf("got %+v", got)
	}
}

// TestBotCommand runs the real subcommand: the default language from --lang
// for a message without letters, and a broken --rules file as one sentence
// with exit code 1.
func TestBotCommand(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"bot", "--lang", "ja"}, strings.NewReader(`{"conversation":"a","text":"?"}`+"\n"), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if o := decodeLines(t, out.String())[0]; o.Lang != "ja" || o.Action != "clarify" {
		t.Errorf("--lang ja: got %+v", o)
	}

	bad := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(bad, []byte("intents:\n  track_parcel:\n    en: {label: x, reply: y}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	code = run([]string{"bot", "--rules", bad}, strings.NewReader(""), &out, &errb)
	if code != 1 || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 || !strings.Contains(errb.String(), "track_parcel") {
		t.Errorf("bad rules: exit %d, stderr %q", code, errb.String())
	}
}

func TestRulesCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, bot.DefaultRulesYAML(), 0o600); err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(bot.DefaultRulesYAML()), `"re:\\btrack(ing)? (my |the |an )?(order|package|parcel|purchase)"`, `"re:(unclosed"`, 1)
	if broken == string(bot.DefaultRulesYAML()) {
		t.Fatal("the test's edit no longer applies to the default rules")
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"rules", "check", good}, strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), "good.yaml: ok") {
		t.Errorf("default rules: exit %d, %q %q", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	code := run([]string{"rules", "check", bad}, strings.NewReader(""), &out, &errb)
	if code != 1 || !strings.Contains(out.String(), "bad.yaml:") || !strings.Contains(out.String(), `pattern "re:(unclosed" is not a valid regexp`) {
		t.Errorf("broken rules: exit %d, %q %q", code, out.String(), errb.String())
	}
}

func FuzzParseBotLine(f *testing.F) {
	for _, s := range []string{`{"conversation":"c1","text":"hi"}`, `{"text":""}`, `{}`, `null`, `[]`, `{"text":1}`, `{"conversation":null,"text":"x"}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		msg, problem := parseBotLine(line, false)
		if problem == "" && (msg.Text == nil || msg.Conversation == nil) {
			t.Fatalf("%q accepted without text or conversation", line)
		}
		if problem != "" && strings.ContainsAny(problem, "\n\r") {
			t.Fatalf("problem %q is not one line", problem)
		}
	})
}
