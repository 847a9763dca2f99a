package handoff

import (
	"strings"
	"testing"
	"time"

	"tsunagu/bot"
)

func TestRulesKnowledgeCoversEveryIntentInBothLanguages(t *testing.T) {
	kb := NewRulesKnowledge(bot.DefaultRules())
	intents := kb.Intents()
	if len(intents) < 30 {
		t.Fatalf("only %d intents", len(intents))
	}
	// Everything a customer can raise has something to resolve; a request
	// for a person is not an issue of its own.
	notIssues := map[string]bool{"contact_human_agent": true}
	for _, in := range intents {
		for _, lang := range []string{"en", "ja"} {
			pb, ok := kb.Playbook(in, lang)
			if !ok || pb.Problem == "" {
				t.Errorf("%s/%s: no playbook or problem statement", in, lang)
				continue
			}
			if pb.Resolving() == notIssues[in] {
				t.Errorf("%s/%s: resolving = %v", in, lang, pb.Resolving())
			}
			for _, need := range pb.Needs {
				if txt := askText(LevelNative, lang, need); txt == askText(LevelNative, lang, askOther) {
					t.Errorf("%s/%s: asks for %s with the general question %q", in, lang, need, txt)
				}
			}
		}
	}
	if _, ok := kb.Playbook("no_such_intent", "en"); ok {
		t.Fatal("unknown intent has a playbook")
	}
}

func TestDeskWithTheRulesGreetsAsTheIssueAsks(t *testing.T) {
	kb := NewRulesKnowledge(bot.DefaultRules())
	start := tokyo(5, 10, 0)
	d, err := NewDesk(DeskConfig{Pool: DefaultPool(), Knowledge: kb, Start: start, Seed: 1, ArrivalsPerHour: 1, Faults: &Faults{}})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPacket(start, "c1", bot.ReasonUnresolved, "en",
		Facts{Order: &Order{ID: "123-4567890-1234567"}, Topic: Topic{Intent: "get_refund"}}, nil,
		[]Line{{At: start, Speaker: SpeakerCustomer, Text: "That didn't help, I still have no refund."}}, kb)
	evs, _ := d.Enqueue(start, p, ClassNormal, false)
	more, now := runDesk(d, start, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage && ev.Step.Kind == StepAsk })
	evs = append(evs, more...)
	greet := findStep(evs, StepGreet)
	if greet == nil || !strings.Contains(greet.Text, "I've read your conversation with our assistant. You'd like a refund for order 123-4567890-1234567.") {
		t.Fatalf("greeting = %+v", greet)
	}
	// The rules need the reason, the amount and the payment method; the order
	// is in the packet and is never asked for.
	for range 5 {
		ask := findStep(evs, StepAsk)
		if ask == nil {
			break
		}
		if ask.Fact == FactOrderID {
			t.Fatal("asked for the order id the packet holds")
		}
		evs = d.CustomerMessage(now, "answer")
		more, now = runDesk(d, now, time.Hour, func(ev Event) bool {
			return ev.Kind == EventResolved || ev.Kind == EventMessage && ev.Step.Kind == StepAsk
		})
		evs = append(evs, more...)
	}
	if find(evs, EventResolved) == nil {
		t.Fatalf("not resolved: %+v", evs)
	}
}

func TestInvariantsWithTheRulesKnowledge(t *testing.T) {
	kb := NewRulesKnowledge(bot.DefaultRules())
	r, err := Simulate(SimConfig{Pool: DefaultPool(), ArrivalsPerHour: 50, Duration: 4 * 24 * time.Hour, Seed: 8, Patience: 6 * time.Minute,
		Knowledge: kb, Intents: kb.Intents(), Faults: &Faults{LineFault: 0.2, Timeout: 0.1}, Observer: func(ev ObsEvent) {
			if ev.Kind == ObsAsk && (ev.HadFact || ev.Packet.Facts.Has(ev.Fact)) {
				t.Errorf("chat %d: asked for %s, which the packet holds", ev.Chat, ev.Fact)
			}
			if ev.Kind == ObsTransfer && ev.Packet == nil {
				t.Errorf("chat %d: transfer without the packet", ev.Chat)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Transfers == 0 || r.RepeatQuestions != 0 || r.Anomalies != 0 {
		t.Fatalf("%+v", r)
	}
}
