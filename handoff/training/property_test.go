package training

import (
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// actionPool is what a random trainee may do: good and bad lines, every
// action, in both languages.
var actionPool = []act{
	say("I'm sorry about this. I've read your conversation with our assistant."),
	say("What is your order number?"),
	say("Please tell me your card number."),
	say("You should have checked."),
	say("I've checked the carrier tracking and opened a trace; within 2 days we'll send a replacement."),
	say("申し訳ございません。アシスタントとのやり取りを拝見しました。"),
	say("電話番号を教えてください。"),
	say("できません。"),
	transfer(TeamSecurity), transfer(TeamSupervisor), transfer(TeamBilling), transfer(TeamNativeJapanese),
	bookCallback(), wait(45 * time.Second), wait(3 * time.Minute), closeChat(),
}

// TestSessionProperties: whatever a trainee does, in any scenario, the mood
// stays within 0-100, scores stay within their weights, a critical failure
// zeroes the total, an ended session refuses actions, and a replay with the
// same seed is identical.
func TestSessionProperties(t *testing.T) {
	scenarios := Builtins()
	rapid.Check(t, func(rt *rapid.T) {
		sc := rapid.SampledFrom(scenarios).Draw(rt, "scenario")
		lang := rapid.SampledFrom([]string{"ja", "en"}).Draw(rt, "lang")
		seed := rapid.Uint64().Draw(rt, "seed")
		script := rapid.SliceOfN(rapid.SampledFrom(actionPool), 0, 8).Draw(rt, "script")
		runOnce := func() ([]Line, Scorecard, int) {
			s := newTestSession(t, sc.ID, lang, seed)
			for _, a := range script {
				// A callback without a number in the packet is refused with
				// a message; nothing else may fail before the end.
				var err error
				switch {
				case a.say != "":
					_, err = s.Reply(a.say)
				case a.transfer != "":
					_, err = s.Transfer(a.transfer)
				case a.callback:
					if _, cerr := s.BookCallback(""); cerr != nil && cerr != ErrEnded && s.Packet().Facts.Has("phone") {
						rt.Fatalf("callback to the packet's phone refused: %v", cerr)
					}
				case a.wait > 0:
					s.Wait(a.wait)
				case a.close:
					err = s.Close()
				}
				if err != nil && err != ErrEnded {
					rt.Fatalf("%+v: %v", a, err)
				}
			}
			if s.Mood() < 0 || s.Mood() > 100 {
				rt.Fatalf("mood %d out of range", s.Mood())
			}
			if s.Phase() == PhaseEnded {
				if _, err := s.Reply("hello"); err != ErrEnded {
					rt.Fatalf("ended session took a reply: %v", err)
				}
			}
			return s.Lines(), s.Scorecard(), s.Mood()
		}
		l1, c1, m1 := runOnce()
		for _, it := range c1.Items {
			if it.Score < 0 || it.Score > 1 || it.Points > float64(it.Weight)+1e-9 || it.Why == "" {
				rt.Fatalf("item out of range or unexplained: %+v", it)
			}
		}
		if c1.Total < 0 || c1.Total > 100 || (c1.CriticalFailed && c1.Total != 0) {
			rt.Fatalf("total %.1f, critical %v", c1.Total, c1.CriticalFailed)
		}
		l2, c2, m2 := runOnce()
		if !reflect.DeepEqual(l1, l2) || !reflect.DeepEqual(c1, c2) || m1 != m2 {
			rt.Fatal("the same seed and script gave a different session")
		}
	})
}
