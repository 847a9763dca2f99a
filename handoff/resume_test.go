package handoff

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestResumePacketRebuildsWhatTheOperatorHeld(t *testing.T) {
	p := refundPacket("en", true)
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	at := tokyo(5, 10, 5)
	tests := []struct {
		name      string
		raw       []byte
		later     []Line
		wantErr   string
		fact      string
		wantValue string
		wantLines int
	}{
		{name: "an answer to an ask becomes the fact", raw: raw,
			later: []Line{{At: at, Speaker: SpeakerOperator, Name: "op-1", Text: "Could you tell me what happened?"},
				{At: at, Speaker: SpeakerCustomer, Text: "  It arrived broken  "}},
			fact: "what_happened", wantValue: "It arrived broken", wantLines: 3},
		{name: "a Japanese basic-level ask is recognised", raw: mustJSON(t, refundPacket("ja", true)),
			later: []Line{{At: at, Speaker: SpeakerOperator, Text: "何がありましたか。"},
				{At: at, Speaker: SpeakerCustomer, Text: "壊れていました"}},
			fact: "what_happened", wantValue: "壊れていました", wantLines: 3},
		{name: "a message that is no ask records nothing", raw: raw,
			later: []Line{{At: at, Speaker: SpeakerOperator, Text: "Thanks, one moment."},
				{At: at, Speaker: SpeakerCustomer, Text: "It arrived broken"}},
			fact: "what_happened", wantValue: "", wantLines: 3},
		{name: "typed facts join as the desk adds them", raw: raw,
			later: []Line{{At: at, Speaker: SpeakerCustomer, Text: "my email is hanako@example.com"}},
			fact:  FactEmail, wantValue: "hanako@example.com", wantLines: 2},
		{name: "no packet", raw: nil, wantErr: "holds no handoff packet"},
		{name: "damaged packet", raw: []byte(`{"lang":`), wantErr: "cannot be read"},
		{name: "unknown language", raw: []byte(`{"lang":"fr"}`), wantErr: "ja or en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResumePacket(tc.raw, tc.later)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v := got.Facts.Value(tc.fact); v != tc.wantValue {
				t.Fatalf("fact %s = %q, want %q", tc.fact, v, tc.wantValue)
			}
			if len(got.Transcript) != tc.wantLines {
				t.Fatalf("%d transcript lines, want %d", len(got.Transcript), tc.wantLines)
			}
			if got.Facts.Order == nil || got.Facts.Order.ID != "123-4567890-1234567" {
				t.Fatalf("the order was lost: %+v", got.Facts.Order)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEnqueueResumedGreetsWithTheHandover(t *testing.T) {
	pool := DefaultPool()
	last := pool.Operators[0]
	tests := []struct {
		name     string
		lastOp   string
		wantKind StepKind
		want     string
	}{
		{name: "after an operator", lastOp: last.ID, wantKind: StepHandover, want: "taken over from " + last.DisplayName("en")},
		{name: "nobody served it yet", lastOp: "", wantKind: StepGreet, want: "I've read your conversation"},
		{name: "an operator no longer in the pool", lastOp: "gone", wantKind: StepGreet, want: "I've read your conversation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := tokyo(5, 10, 0)
			d := quietDesk(t, start, 3, &Faults{})
			raw := mustJSON(t, refundPacket("en", true))
			p, err := ResumePacket(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			evs, err := d.EnqueueResumed(start, p, ClassNormal, false, tc.lastOp)
			if err != nil {
				t.Fatal(err)
			}
			more, _ := runDesk(d, start, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage })
			evs = append(evs, more...)
			st := findStep(evs, tc.wantKind)
			if st == nil || !strings.Contains(st.Text, tc.want) {
				t.Fatalf("first step %+v, want %s containing %q", evs, tc.wantKind, tc.want)
			}
			if strings.Contains(st.Text, "order number") {
				t.Fatalf("the greeting asks for what the packet holds: %q", st.Text)
			}
			if _, err := d.EnqueueResumed(start, p, ClassNormal, false, ""); err == nil {
				t.Fatal("a second chat on the same desk was accepted")
			}
		})
	}
}

// When the operator who served the chat last picks it straight back up,
// they greet as themselves: nobody "takes over from" themselves.
func TestEnqueueResumedBySameOperatorIsNoHandover(t *testing.T) {
	start := tokyo(5, 10, 0)
	first := quietDesk(t, start, 3, &Faults{})
	p, err := ResumePacket(mustJSON(t, refundPacket("en", true)), nil)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := first.EnqueueResumed(start, p, ClassNormal, false, "")
	if err != nil {
		t.Fatal(err)
	}
	joined := find(evs, EventJoined)
	if joined == nil {
		t.Fatalf("nobody picked the chat up at once: %+v", evs)
	}
	// The same desk and seed pick the same operator; now they served it last.
	again := quietDesk(t, start, 3, &Faults{})
	p2, _ := ResumePacket(mustJSON(t, refundPacket("en", true)), nil)
	evs, err = again.EnqueueResumed(start, p2, ClassNormal, false, joined.Operator.ID)
	if err != nil {
		t.Fatal(err)
	}
	j := find(evs, EventJoined)
	if j == nil || j.Operator.ID != joined.Operator.ID || j.Handover || j.From != "" {
		t.Fatalf("joined %+v, want %s back without a handover", j, joined.Operator.ID)
	}
	more, _ := runDesk(again, start, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage })
	st := findStep(more, StepHandover)
	if !j.Back || st == nil || strings.Contains(st.Text, "taken over") || !strings.Contains(st.Text, "I'm back") {
		t.Fatalf("joined %+v, greeting %+v: want the operator to say they are back, not taking over from themselves", j, st)
	}
}
