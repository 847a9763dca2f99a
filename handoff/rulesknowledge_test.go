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
	for _, in := range intents {
		for _, lang := range []string{"en", "ja"} {
			pb, ok := kb.Playbook(in, lang)
			if !ok || pb.Problem == "" {
				t.Errorf("%s/%s: no playbook or problem statement", in, lang)
				continue
			}
			for _, need := range pb.Needs {
				if lookupFacts[need] {
					t.Errorf("%s/%s: would ask the customer for %s, which the operator looks up", in, lang, need)
				}
				if txt := askText(LevelNative, lang, need); strings.Contains(txt, "_") {
					t.Errorf("%s/%s: ask for %s reads %q", in, lang, need, txt)
				}
			}
			for _, s := range pb.Steps {
				if lang == "ja" && strings.Contains(s, "。。") || lang == "en" && strings.Contains(s, "..") {
					t.Errorf("%s/%s: step %q", in, lang, s)
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
	if greet == nil || !strings.Contains(greet.Text, "I've read your conversation with our assistant. You're waiting on a refund for order 123-4567890-1234567.") {
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

func TestOperatorVoiceOfChecklistSteps(t *testing.T) {
	tests := []struct {
		step, lang string
		i, n       int
		want       string
	}{
		{"返金を承認する（返送が必要なら返送ラベルを発行）。", "ja", 0, 2, "まず、返金を承認いたします（返送が必要なら返送ラベルを発行）。"},
		{"反映時期（3〜5営業日）を伝える。", "ja", 1, 2, "最後に、反映時期（3〜5営業日）をお伝えします。"},
		{"解決するか、適切な部署に回す。", "ja", 1, 3, "次に、解決するか、適切な部署におつなぎします。"},
		{"変更できない理由を説明", "ja", 0, 1, "まず、「変更できない理由を説明」の手順で対応いたします。"},
		{"Approve the refund.", "en", 0, 2, "First, I'll approve the refund."},
		{"Give the date the refund will show: 3-5 business days.", "en", 1, 2, "Finally, I'll give the date the refund will show: 3-5 business days."},
		{"If in transit, give the expected date.", "en", 1, 3, "Then, if in transit, I'll give the expected date."},
		{"If marked delivered but missing, open a carrier trace.", "en", 2, 3, "Finally, if marked delivered but missing, I'll open a carrier trace."},
	}
	for _, tt := range tests {
		if got := operatorVoice(tt.step, tt.lang, tt.i, tt.n); got != tt.want {
			t.Errorf("operatorVoice(%q) = %q, want %q", tt.step, got, tt.want)
		}
	}
	for _, s := range []string{"Never ask for the password.", "Ask only for what is missing.", "パスワードは絶対に聞かない。"} {
		if !internalStep(s) {
			t.Errorf("%q should stay internal", s)
		}
	}
}
