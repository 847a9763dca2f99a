package training

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tsunagu/handoff"
)

// chatter is what a trainee might add after the case is resolved, before
// closing: none of it may make the customer ask about the problem again.
var chatter = map[string][]act{
	"en": {say("Is there anything else I can help you with?"), say("Thanks for your patience today."), say("Okay."), say("Have a nice day.")},
	"ja": {say("ほかにご不明な点はございますか？"), say("本日はお待たせいたしました。"), say("はい。"), say("良い一日をお過ごしください。")},
}

// pester is a bad trainee going round in circles: the same few lines again
// and again, long enough to use up every line the customer has.
var pester = map[string][]act{
	"en": {say("Hello."), say("Can you tell me your order number?"), say("Please wait."), say("You should have read the instructions.")},
	"ja": {say("こんにちは。"), say("注文番号を教えてください。"), say("お待ちください。"), say("説明をよく読んでください。")},
}

// reask is a question for a fact every packet holds.
var reask = map[string]string{"en": " Also, what is your order number?", "ja": "あと、注文番号を教えていただけますか？"}

// customerScripts are the good and bad sessions of every built-in scenario
// in both languages: as written in transcriptCases, the good one with
// chatter after the resolution, and a long pestering one.
func customerScripts() []struct {
	name, id, lang string
	script         []act
} {
	var out []struct {
		name, id, lang string
		script         []act
	}
	add := func(name string, tc transcriptCase, script []act) {
		out = append(out, struct {
			name, id, lang string
			script         []act
		}{fmt.Sprintf("%s %s %s", tc.id, tc.lang, name), tc.id, tc.lang, script})
	}
	for _, tc := range transcriptCases {
		add("good", tc, tc.good)
		add("poor", tc, tc.poor)
		if n := len(tc.good); n > 0 && tc.good[n-1].close {
			chatty := append(slices.Clone(tc.good[:n-1]), chatter[tc.lang]...)
			chatty = append(chatty, wait(95*time.Second)) // a silence after the resolution
			add("good, chatty after the resolution", tc, append(chatty, closeChat()))
		}
		if n := len(tc.good); n > 1 && tc.good[n-1].close && tc.good[n-2].say != "" {
			// The resolving line also re-asks a fact: the mood may rise and
			// fall on one turn; the words must follow the sum.
			mixed := slices.Clone(tc.good)
			mixed[n-2].say += reask[tc.lang]
			add("good, resolving while re-asking a fact", tc, mixed)
		}
		var long []act
		for range 6 {
			long = append(long, pester[tc.lang]...)
		}
		add("pestering", tc, append(long, closeChat()))
	}
	return out
}

// tones maps each line a customer can say to the way it goes with the mood:
// +1 thankful (a rule that raises the mood, a warm line), -1 upset (a rule
// that lowers it, a cool line), 0 either.
func tones(sc *Scenario, lang string) map[string]int {
	t := map[string]int{}
	set := func(lines []string, tone int) {
		for _, l := range lines {
			if old, ok := t[l]; ok && old != tone {
				tone = 0
			}
			t[l] = tone
		}
	}
	sign := func(n int) int { return min(1, max(-1, n)) }
	for _, r := range sc.Reactions {
		set(r.Say.In(lang), sign(r.Mood))
	}
	sh := sharedLines()
	set(sh.Filler.Warm.In(lang), 1)
	set(sh.Filler.Cool.In(lang), -1)
	set(sh.Settled.Warm.In(lang), 1)
	set(sh.Settled.Cool.In(lang), -1)
	return t
}

// problemLines are the scenario's lines that may be about the open problem:
// the lines of every rule except resolved, transfer and callback.
func problemLines(sc *Scenario, lang string) map[string]bool {
	p := map[string]bool{}
	for _, r := range sc.Reactions {
		if !slices.Contains(settledWhens, r.When) {
			for _, l := range r.Say.In(lang) {
				p[l] = true
			}
		}
	}
	return p
}

func TestCustomerStaysInCharacter(t *testing.T) {
	for _, c := range customerScripts() {
		t.Run(c.name, func(t *testing.T) {
			s := newTestSession(t, c.id, c.lang, 7)
			sc := s.Scenario()
			tone, problem := tones(sc, c.lang), problemLines(sc, c.lang)
			said := map[string]int{}
			resolvedAt := -1
			for step, a := range c.script {
				if s.Phase() != PhaseHuman {
					break
				}
				before, mood := len(s.Lines()), s.Mood()
				play(t, s, []act{a})
				if s.Resolved() && resolvedAt < 0 {
					resolvedAt = step
				}
				for _, l := range s.Lines()[before:] {
					if l.Speaker != SpeakerCustomer {
						continue
					}
					if n, ok := said[l.Text]; ok {
						t.Errorf("step %d repeats the line of step %d word for word: %q", step, n, l.Text)
					}
					said[l.Text] = step
					if resolvedAt >= 0 && resolvedAt < step && problem[l.Text] {
						t.Errorf("step %d: after the resolution (step %d) the customer says %q", step, resolvedAt, l.Text)
					}
					switch {
					case l.Mood > mood && tone[l.Text] < 0:
						t.Errorf("step %d: upset line %q with the mood rising %d → %d", step, l.Text, mood, l.Mood)
					case l.Mood < mood && tone[l.Text] > 0:
						t.Errorf("step %d: thankful line %q with the mood falling %d → %d", step, l.Text, mood, l.Mood)
					}
					mood = l.Mood
				}
			}
			if s.Outcome() != OutcomeClosed {
				return
			}
			lines := s.Lines()
			last := lines[len(lines)-1]
			bye := sharedLines().GoodbyeUnresolved
			if s.Resolved() {
				bye = sharedLines().Goodbye
			}
			if last.Speaker != SpeakerCustomer || !slices.Contains(bye.In(c.lang), last.Text) {
				t.Errorf("after the close (resolved %v) the last line is %s %q, want the customer's goodbye", s.Resolved(), last.Speaker, last.Text)
			}
		})
	}
}

// TestGoodSessionsResolveAndSayGoodbye: every good session that closes the
// chat resolves the case, and the customer thanks and says goodbye.
func TestGoodSessionsResolveAndSayGoodbye(t *testing.T) {
	for _, tc := range transcriptCases {
		if n := len(tc.good); n == 0 || !tc.good[n-1].close {
			continue
		}
		t.Run(tc.id+" "+tc.lang, func(t *testing.T) {
			s := newTestSession(t, tc.id, tc.lang, 1)
			play(t, s, tc.good)
			if !s.Resolved() || s.Outcome() != OutcomeClosed {
				t.Fatalf("resolved %v, outcome %q", s.Resolved(), s.Outcome())
			}
			lines := s.Lines()
			if last := lines[len(lines)-1]; !slices.Contains(sharedLines().Goodbye.In(tc.lang), last.Text) {
				t.Errorf("last line %q is not a goodbye", last.Text)
			}
		})
	}
}

// TestAnswerFollowsTheMood: when several rules fire, the words come from a
// rule whose mood change goes the way the mood went.
func TestAnswerFollowsTheMood(t *testing.T) {
	angry := &Reaction{When: WhenKnownFact, Mood: -25}
	fixed := &Reaction{When: WhenResolved, Mood: 25}
	step := &Reaction{When: WhenStep, Mood: 10}
	sorry := &Reaction{When: WhenApology, Mood: 10}
	other := &Reaction{When: WhenOther, Mood: -3}
	empathy := &Reaction{When: WhenEmpathy, Mood: 3}
	cases := []struct {
		name    string
		applied []*Reaction
		want    *Reaction
	}{
		{"a rising mood skips the angry rule", []*Reaction{angry, fixed, step, sorry}, fixed},
		{"a falling mood skips the thankful rule", []*Reaction{angry, sorry}, angry},
		{"no change: priority decides", []*Reaction{other, empathy}, empathy},
		{"one rule", []*Reaction{sorry}, sorry},
		{"none", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			delta := 0
			for _, r := range c.applied {
				delta += r.Mood
			}
			if got := answerFor(c.applied, delta); got != c.want {
				t.Errorf("answer %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestSharedCustomerLines: customer.yaml has every list in both languages,
// and no line twice.
func TestSharedCustomerLines(t *testing.T) {
	sh := sharedLines()
	lists := map[string]func(string) []string{
		"filler warm": sh.Filler.Warm.In, "filler cool": sh.Filler.Cool.In,
		"settled warm": sh.Settled.Warm.In, "settled cool": sh.Settled.Cool.In,
		"settled_silence": sh.SettledSilence.In, "goodbye": sh.Goodbye.In, "goodbye_unresolved": sh.GoodbyeUnresolved.In,
	}
	for _, lang := range []string{"en", "ja"} {
		seen := map[string]string{}
		for name, in := range lists {
			if len(in(lang)) < 3 {
				t.Errorf("%s %s: %d lines, want at least 3", name, lang, len(in(lang)))
			}
			for _, l := range in(lang) {
				if strings.TrimSpace(l) == "" {
					t.Errorf("%s %s: a blank line", name, lang)
				}
				if other, ok := seen[l]; ok {
					t.Errorf("%q is in both %s and %s", l, other, name)
				}
				seen[l] = name
			}
		}
	}
}

// TestMixedTurnFollowsTheMood plays a turn that gives a step and re-asks a
// fact in one line, with the re-ask made mild so the mood rises: the
// customer must answer the step, not complain.
func TestMixedTurnFollowsTheMood(t *testing.T) {
	cases := []struct{ lang, line string }{
		{"en", "I've checked the tracking with the carrier: it has not moved. What is your order number?"},
		{"ja", "配送業者の追跡情報を確認しました。注文番号を教えてください。"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			sc := *builtin(t, "parcel-not-arrived")
			sc.Reactions = slices.Clone(sc.Reactions)
			var complaint []string
			for i := range sc.Reactions {
				if sc.Reactions[i].When == WhenKnownFact {
					sc.Reactions[i].Mood = -5
					complaint = sc.Reactions[i].Say.In(c.lang)
				}
			}
			s, err := NewSession(Config{Scenario: &sc, Lang: c.lang, Seed: 3, Trainee: "tester", Start: testStart, Paused: true,
				Bot: realEngine().NewConversation("training-mixed", sc.BotFacts(c.lang)), Knowledge: handoff.NewRulesKnowledge(realEngine().Rules())})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			before := s.Mood()
			turn, err := s.Reply(c.line)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(turn.Fired, WhenKnownFact) || !slices.Contains(turn.Fired, WhenStep) {
				t.Fatalf("fired %v; want known_fact and step", turn.Fired)
			}
			if turn.Mood <= before || turn.Customer == nil || slices.Contains(complaint, turn.Customer.Text) {
				t.Errorf("mood %d → %d with %v", before, turn.Mood, turn.Customer)
			}
		})
	}
}
