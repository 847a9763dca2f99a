package training

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"tsunagu/handoff"
)

// escalated plays a scenario's opening through the real bot, as the real
// chat would before a person takes over, and returns what a live session
// starts from, with a hand-moved clock standing in for the real one at the
// moment of the handover.
func escalated(t *testing.T, id, lang string) (Config, *handoff.Packet, []handoff.Line, *handoff.VirtualClock) {
	t.Helper()
	sim := newTestSession(t, id, lang, 7)
	clock := handoff.NewVirtualClock(sim.Now())
	cfg := Config{Scenario: builtin(t, id), Lang: lang, Seed: 7, Trainee: "tester", Clock: clock,
		Knowledge: handoff.NewRulesKnowledge(realEngine().Rules()), Rules: realEngine().Rules()}
	if len(sim.BotDecisions()) == 0 {
		t.Fatal("the bot stage made no decisions")
	}
	return cfg, sim.Packet(), sim.BotStage(), clock
}

func newLive(t *testing.T, id, lang string) (*Session, *handoff.VirtualClock) {
	t.Helper()
	cfg, p, stage, clock := escalated(t, id, lang)
	s, err := NewLiveSession(cfg, p, stage)
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

// replies is what the trainer playing the customer types back, in turn.
var replies = map[string][]string{
	"en": {"Okay.", "I see.", "Alright, go on.", "Thanks.", "Fine."},
	"ja": {"はい。", "なるほど。", "分かりました。", "ありがとうございます。", "はい、お願いします。"},
}

// said is one line of a live chat, for comparing transcripts.
type said struct{ speaker, text string }

// playLive runs a trainee script in a live session: before each action the
// clock moves by think, and after each trainee line the person playing the
// customer answers. It returns the chat lines in the order they were written.
func playLive(t *testing.T, s *Session, clock *handoff.VirtualClock, script []act, think time.Duration) []said {
	t.Helper()
	var chat []said
	n := 0
	for _, a := range script {
		clock.Advance(think)
		var err error
		var turn Turn
		switch {
		case a.say != "":
			turn, err = s.Reply(a.say)
			chat = append(chat, said{SpeakerTrainee, a.say})
		case a.transfer != "":
			turn, err = s.Transfer(a.transfer)
		case a.callback:
			turn, err = s.BookCallback("")
		case a.wait > 0:
			clock.Advance(a.wait)
			s.Wait(a.wait)
		case a.close:
			err = s.Close()
		}
		if err != nil {
			t.Fatalf("%+v: %v", a, err)
		}
		if turn.Customer != nil {
			t.Fatalf("%+v: the simulated customer answered %q in a live session", a, turn.Customer.Text)
		}
		if a.say != "" && !turn.Ended {
			clock.Advance(think)
			text := replies[s.Lang()][n%len(replies[s.Lang()])]
			n++
			if _, err := s.CustomerSays(text); err != nil {
				t.Fatalf("customer line %q: %v", text, err)
			}
			chat = append(chat, said{SpeakerCustomer, text})
		}
	}
	return chat
}

// chatLines is the session's chat after the handover, without system lines.
func chatLines(s *Session) []said {
	var out []said
	for _, l := range s.Lines() {
		if l.Speaker != SpeakerSystem {
			out = append(out, said{l.Speaker, l.Text})
		}
	}
	return out
}

// TestLiveSessionGetsTheTraineeModeCard: the good and poor transcripts of
// every built-in scenario, in both languages, played live with a person
// answering, get the card trainee mode gives the same trainee lines: the
// same critical failures and the same item scores (the timed items aside),
// totals in the same range, and a transcript with both sides in order.
func TestLiveSessionGetsTheTraineeModeCard(t *testing.T) {
	for _, tc := range transcriptCases {
		for _, run := range []struct {
			name   string
			script []act
		}{{"good", tc.good}, {"poor", tc.poor}} {
			t.Run(tc.id+"/"+tc.lang+"/"+run.name, func(t *testing.T) {
				sim := newTestSession(t, tc.id, tc.lang, 7)
				play(t, sim, run.script)
				want := sim.Scorecard()

				s, clock := newLive(t, tc.id, tc.lang)
				chat := playLive(t, s, clock, run.script, 20*time.Second)
				got := s.Scorecard()

				if !got.Live || want.Live {
					t.Errorf("Live on the card: live %v, simulated %v", got.Live, want.Live)
				}
				if got.CriticalFailed != want.CriticalFailed {
					t.Errorf("critical failed: live %v, trainee mode %v", got.CriticalFailed, want.CriticalFailed)
				}
				for _, it := range CriticalItems {
					r, _ := got.Item(it)
					if exp := run.name == "poor" && slices.Contains(tc.critical, it); r.Failed != exp {
						t.Errorf("critical %s failed=%v, want %v (%s)", it, r.Failed, exp, r.Why)
					}
				}
				if run.name == "good" {
					for _, it := range got.Items {
						if it.Item == ItemFirstResponse || it.Item == ItemHandleTime {
							continue
						}
						if w, _ := want.Item(it.Item); w.Score != it.Score {
							t.Errorf("%s: live %.2f (%s), trainee mode %.2f (%s)", it.Item, it.Score, it.Why, w.Score, w.Why)
						}
					}
					if got.Total < 80 || math.Abs(got.Total-want.Total) > 10 {
						t.Errorf("live card %.1f, trainee mode %.1f; want both high and within 10", got.Total, want.Total)
					}
					if !s.Resolved() || got.Outcome == OutcomeLeft || got.Outcome == OutcomeOpen {
						t.Errorf("good live session: resolved %v, outcome %q", s.Resolved(), got.Outcome)
					}
				} else if got.Total >= 50 || got.Resolved {
					t.Errorf("poor live session scored %.1f (resolved %v)", got.Total, got.Resolved)
				}
				if s.Phase() != PhaseEnded {
					t.Errorf("phase %s after the script", s.Phase())
				}

				// The time counts from the handover: the first reply came
				// after one think (and any wait before it), the end after
				// the whole script.
				firstAt := 20 * time.Second
				for _, a := range run.script {
					if a.say != "" {
						break
					}
					firstAt += 20*time.Second + a.wait
				}
				if got.FirstResponse != firstAt {
					t.Errorf("first response %s, want %s", got.FirstResponse, firstAt)
				}
				if got.At != s.packetAt || got.HandleTime != s.endedAt.Sub(s.packetAt) || got.HandleTime <= got.FirstResponse {
					t.Errorf("card at %s, handle time %s; packet at %s, ended %s", got.At, got.HandleTime, s.packetAt, s.endedAt)
				}

				if lines := chatLines(s); !slices.Equal(lines, chat) {
					t.Errorf("chat lines\n got %q\nwant %q", lines, chat)
				}
				stage := s.BotStage()
				if len(got.Transcript) != len(stage)+len(s.Lines()) {
					t.Fatalf("transcript has %d lines, want %d bot-stage and %d chat", len(got.Transcript), len(stage), len(s.Lines()))
				}
				for i, l := range stage {
					if tl := got.Transcript[i]; tl.Speaker != l.Speaker || tl.Text != l.Text {
						t.Errorf("transcript line %d is %s %q, want the bot stage's %s %q", i, tl.Speaker, tl.Text, l.Speaker, l.Text)
					}
				}
				var tail []said
				for _, l := range got.Transcript[len(stage):] {
					if l.Speaker != SpeakerSystem {
						tail = append(tail, said{l.Speaker, l.Text})
					}
				}
				if !slices.Equal(tail, chat) {
					t.Errorf("transcript after the bot stage\n got %q\nwant %q", tail, chat)
				}
			})
		}
	}
}

// TestLiveSessionWritesNoCustomerLines: whatever the trainee does and however
// long the person playing the customer stays silent, the only customer lines
// are the bot stage's and the person's own; the mood meter still moves, and
// a mood of 0 does not end the chat.
func TestLiveSessionWritesNoCustomerLines(t *testing.T) {
	cases := []struct {
		id, lang string
		bad      []string // lines that sink the mood
		person   []string
		end      func(s *Session) error
	}{
		{"parcel-not-arrived", "en",
			[]string{"What is your order number?", "You should have checked the tracking yourself.", "Please give me your card number.", "Hello?"},
			[]string{"I told the bot already.", "This is not helpful."},
			func(s *Session) error { return s.Close() }},
		{"damaged-item-return", "ja",
			[]string{"何をご注文されましたか？", "落ち着いてください。", "注文番号を教えてください。", "できません。"},
			[]string{"さっき伝えましたよ。", "もういいです。"},
			func(s *Session) error { _, err := s.Transfer(TeamSupervisor); return err }},
		{"callback-after-hours", "en",
			[]string{"What is your phone number?", "We cannot call you.", "It's your fault."},
			[]string{"Please just call me."},
			func(s *Session) error {
				if turn, err := s.BookCallback(""); err != nil || turn.Customer != nil {
					return errors.Join(err, errors.New("the callback got a simulated answer"))
				}
				return s.Close()
			}},
	}
	for _, c := range cases {
		t.Run(c.id+"/"+c.lang, func(t *testing.T) {
			s, clock := newLive(t, c.id, c.lang)
			if !s.Live() || s.Paused() || s.Phase() != PhaseHuman {
				t.Fatalf("live %v, paused %v, phase %s", s.Live(), s.Paused(), s.Phase())
			}
			if got, want := s.Mood(), s.Scenario().startMood(); got != want {
				t.Errorf("starting mood %d, want the scenario's %d", got, want)
			}
			var person []string
			for round := range 5 {
				for _, text := range c.bad {
					clock.Advance(time.Minute)
					turn, err := s.Reply(text)
					if err != nil {
						t.Fatalf("round %d %q: %v", round, text, err)
					}
					if turn.Customer != nil || turn.Ended {
						t.Fatalf("round %d %q: customer %+v, ended %v", round, text, turn.Customer, turn.Ended)
					}
				}
				if round < len(c.person) {
					if _, err := s.CustomerSays(c.person[round]); err != nil {
						t.Fatal(err)
					}
					person = append(person, c.person[round])
				}
			}
			if s.Mood() != 0 {
				t.Errorf("mood %d after every bad line five times, want 0", s.Mood())
			}
			clock.Advance(time.Hour)
			for range 10 {
				if l := s.Tick(); l != nil {
					t.Fatalf("Tick wrote %q", l.Text)
				}
			}
			if l := s.Wait(30 * time.Minute); l != nil {
				t.Fatalf("Wait wrote %q", l.Text)
			}
			if s.Phase() != PhaseHuman {
				t.Fatalf("the session ended by itself (%s) after an hour of silence at mood 0", s.Outcome())
			}
			if err := c.end(s); err != nil {
				t.Fatal(err)
			}

			var customer []string
			for _, l := range s.Lines() {
				if l.Speaker == SpeakerCustomer {
					customer = append(customer, l.Text)
				}
			}
			if !slices.Equal(customer, person) {
				t.Errorf("customer lines %q, want only the person's %q", customer, person)
			}
			var packetCustomer []string
			for _, l := range s.Packet().Transcript {
				if l.Speaker == handoff.SpeakerCustomer {
					packetCustomer = append(packetCustomer, l.Text)
				}
			}
			var stageCustomer []string
			for _, l := range s.BotStage() {
				if l.Speaker == handoff.SpeakerCustomer {
					stageCustomer = append(stageCustomer, l.Text)
				}
			}
			if want := append(stageCustomer, person...); !slices.Equal(packetCustomer, want) {
				t.Errorf("customer lines in the packet %q, want %q", packetCustomer, want)
			}
			card := s.Scorecard()
			if card.Mood != s.Mood() || card.Total != 0 || !card.CriticalFailed {
				t.Errorf("card: mood %d, total %.1f, critical %v", card.Mood, card.Total, card.CriticalFailed)
			}
		})
	}
}

// TestLiveSessionEnds: the person leaving ends the session as "left";
// nothing is taken after the end; a blank customer line is refused without
// a trace; the customer's side is refused on a simulated session.
func TestLiveSessionEnds(t *testing.T) {
	after := map[string]func(s *Session) error{
		"CustomerSays": func(s *Session) error { _, err := s.CustomerSays("Hello?"); return err },
		"Reply":        func(s *Session) error { _, err := s.Reply("Are you there?"); return err },
		"Transfer":     func(s *Session) error { _, err := s.Transfer(TeamSupervisor); return err },
		"BookCallback": func(s *Session) error { _, err := s.BookCallback(""); return err },
		"Close":        func(s *Session) error { return s.Close() },
		"CustomerLeft": func(s *Session) error { return s.CustomerLeft() },
	}
	for _, c := range []struct {
		lang, leave string
		end         func(s *Session) error
		outcome     Outcome
		why         string
	}{
		{"en", "I give up.", func(s *Session) error { return s.CustomerLeft() }, OutcomeLeft, "The customer left the chat after"},
		{"ja", "もういいです。", func(s *Session) error { return s.CustomerLeft() }, OutcomeLeft, "後にチャットを退出しました"},
		{"en", "", func(s *Session) error { return s.Close() }, OutcomeClosed, "without resolving"},
	} {
		t.Run(c.lang+"/"+string(c.outcome), func(t *testing.T) {
			s, clock := newLive(t, "parcel-not-arrived", c.lang)
			for _, blank := range []string{"", "   ", "\n\t"} {
				n, p := len(s.Lines()), len(s.Packet().Transcript)
				l, err := s.CustomerSays(blank)
				if err == nil || errors.Is(err, ErrEnded) || l != nil {
					t.Errorf("CustomerSays(%q) = %v, %v; want a refusal", blank, l, err)
				}
				if len(s.Lines()) != n || len(s.Packet().Transcript) != p {
					t.Errorf("CustomerSays(%q) recorded something", blank)
				}
			}
			clock.Advance(30 * time.Second)
			if _, err := s.Reply(map[string]string{"en": "Hello, I'm Alex.", "ja": "担当の山本です。"}[c.lang]); err != nil {
				t.Fatal(err)
			}
			if c.leave != "" {
				clock.Advance(time.Minute)
				l, err := s.CustomerSays("  " + c.leave + "\n")
				if err != nil || l == nil || l.Text != c.leave || l.Speaker != SpeakerCustomer || l.Mood != s.Mood() || !l.At.Equal(clock.Now()) {
					t.Fatalf("CustomerSays = %+v, %v", l, err)
				}
			}
			clock.Advance(time.Minute)
			mood := s.Mood()
			if err := c.end(s); err != nil {
				t.Fatal(err)
			}
			if s.Phase() != PhaseEnded || s.Outcome() != c.outcome || s.Mood() != mood {
				t.Fatalf("phase %s, outcome %q, mood %d→%d", s.Phase(), s.Outcome(), mood, s.Mood())
			}
			n := len(s.Lines())
			for name, f := range after {
				if err := f(s); !errors.Is(err, ErrEnded) {
					t.Errorf("%s after the end: %v, want ErrEnded", name, err)
				}
			}
			if len(s.Lines()) != n {
				t.Errorf("lines were added after the end: %+v", s.Lines()[n:])
			}
			if l := s.Lines()[n-1]; l.Speaker == SpeakerCustomer && l.Text != c.leave {
				t.Errorf("the session wrote the customer a last line: %q", l.Text)
			}
			card := s.Scorecard()
			handle := 90 * time.Second // from the handover to the end, as the clock moved
			if c.leave != "" {
				handle += time.Minute
			}
			if card.Outcome != c.outcome || card.HandleTime != handle {
				t.Errorf("card outcome %q, handle time %s; want %q, %s", card.Outcome, card.HandleTime, c.outcome, handle)
			}
			if ht, _ := card.Item(ItemHandleTime); ht.Score != 0 || !strings.Contains(ht.Why, c.why) {
				t.Errorf("handle time item %.2f: %q, want it to say %q", ht.Score, ht.Why, c.why)
			}
		})
	}

	sim := newTestSession(t, "parcel-not-arrived", "en", 1)
	if sim.Live() {
		t.Error("a trainee-mode session says it is live")
	}
	if _, err := sim.CustomerSays("Hello"); err == nil || errors.Is(err, ErrEnded) {
		t.Errorf("CustomerSays on a simulated session: %v, want a refusal", err)
	}
	if err := sim.CustomerLeft(); err == nil || sim.Phase() != PhaseHuman {
		t.Errorf("CustomerLeft on a simulated session: %v, phase %s", err, sim.Phase())
	}
}

// TestNewLiveSessionRefuses: a live session is checked as a trainee-mode
// one is, needs the packet and a running clock, and does not need the bot.
func TestNewLiveSessionRefuses(t *testing.T) {
	cfg, p, stage, _ := escalated(t, "parcel-not-arrived", "en")
	enOnly := *cfg.Scenario
	enOnly.Languages = []string{"en"}
	cases := []struct {
		name   string
		change func(c *Config, p **handoff.Packet)
		want   string // part of the error; "" for none
	}{
		{"ok without a bot", func(c *Config, p **handoff.Packet) {}, ""},
		{"no scenario", func(c *Config, p **handoff.Packet) { c.Scenario = nil }, "no scenario"},
		{"bad language", func(c *Config, p **handoff.Packet) { c.Lang = "fr" }, "ja or en"},
		{"language not played", func(c *Config, p **handoff.Packet) { c.Scenario, c.Lang = &enOnly, "ja" }, "not written in ja"},
		{"no clock", func(c *Config, p **handoff.Packet) { c.Clock = nil }, "real clock"},
		{"paused", func(c *Config, p **handoff.Packet) { c.Paused = true }, "paused clock"},
		{"no packet", func(c *Config, p **handoff.Packet) { *p = nil }, "packet"},
		{"packet in another language", func(c *Config, p **handoff.Packet) {
			c.Scenario, c.Lang = &enOnly, "en"
			cp := **p
			cp.Lang = "ja"
			*p = &cp
		}, "packet is in ja"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cf, pk := cfg, p
			c.change(&cf, &pk)
			s, err := NewLiveSession(cf, pk, stage)
			if c.want == "" {
				if err != nil || s == nil || !s.Live() || s.Packet() != p {
					t.Fatalf("NewLiveSession = %v, %v", s, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one about %q", err, c.want)
			}
			if s != nil {
				t.Error("a session came back with the error")
			}
		})
	}
}

// TestLiveScorecardRecord: a live card goes into the store and comes back
// the same, says a person played the customer (not that the clock was
// paused) in both languages, and its Markdown says so too.
func TestLiveScorecardRecord(t *testing.T) {
	for _, c := range []struct {
		lang, live, paused, md string
	}{
		{"en", "A person played the customer", "paused", "played live by a person"},
		{"ja", "お客様役は人が担当し", "止まって", "人がその場で担当"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			var tc transcriptCase
			for _, x := range transcriptCases {
				if x.id == "damaged-item-return" && x.lang == c.lang {
					tc = x
				}
			}
			cfg, p, stage, clock := escalated(t, tc.id, c.lang)
			sim := newTestSession(t, tc.id, c.lang, 7)
			s, err := NewLiveSession(cfg, p, stage, sim.BotDecisions()...)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.BotDecisions()) != len(sim.BotDecisions()) {
				t.Errorf("BotDecisions has %d, want %d", len(s.BotDecisions()), len(sim.BotDecisions()))
			}
			playLive(t, s, clock, tc.good, 15*time.Second)
			card := s.Scorecard()
			fr, _ := card.Item(ItemFirstResponse)
			if !strings.Contains(fr.Why, c.live) || strings.Contains(fr.Why, c.paused) {
				t.Errorf("first response says %q", fr.Why)
			}
			if md := card.Markdown(); !strings.Contains(md, c.md) {
				t.Errorf("the Markdown does not say a person played the customer:\n%s", md)
			}

			rec, err := card.Record()
			if err != nil {
				t.Fatal(err)
			}
			if rec.Score != card.Total || rec.ScenarioID != tc.id || rec.Trainee != "tester" || !rec.At.Equal(card.At) {
				t.Errorf("record %+v", rec)
			}
			back, ok := StoredScorecard(rec)
			if !ok {
				t.Fatal("the stored card does not read back")
			}
			if !back.Live || back.Total != card.Total || back.Outcome != card.Outcome || back.Resolved != card.Resolved ||
				back.FirstResponse != card.FirstResponse || back.HandleTime != card.HandleTime || back.Mood != card.Mood ||
				!back.At.Equal(card.At) || !slices.Equal(back.Items, card.Items) {
				t.Errorf("read back\n%+v\nwant\n%+v", back, card)
			}
			if len(back.Transcript) != len(card.Transcript) {
				t.Fatalf("transcript: %d lines back, %d stored", len(back.Transcript), len(card.Transcript))
			}
			for i := range back.Transcript {
				if b, w := back.Transcript[i], card.Transcript[i]; b.Speaker != w.Speaker || b.Text != w.Text || !b.At.Equal(w.At) {
					t.Errorf("transcript line %d: %+v, want %+v", i, b, w)
				}
			}
			if back.Markdown() != card.Markdown() {
				t.Error("the stored card exports different Markdown")
			}
		})
	}
}
