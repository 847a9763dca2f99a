package bot

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tsunagu/bot/classify"
)

type turn struct {
	text   string
	action Action
	reason Reason
	intent string // "-" means any
}

// TestMultiTurn drives whole conversations in both languages: every
// escalation reason of the product contract, clarify-then-pick, out of scope, and
// the no_progress and unresolved state rules.
func TestMultiTurn(t *testing.T) {
	tests := []struct {
		name  string
		lang  string
		turns []turn
	}{
		{"en human_requested", "en", []turn{
			{"hi", ActionAnswer, "", "greeting"},
			{"I'd rather speak to a real person please", ActionEscalate, ReasonHumanRequested, "contact_human_agent"},
		}},
		{"ja human_requested", "ja", []turn{
			{"こんにちは", ActionAnswer, "", "greeting"},
			{"ロボットじゃなくて人と話したいです", ActionEscalate, ReasonHumanRequested, "contact_human_agent"},
		}},
		{"en sensitive: hijacked account", "en", []turn{
			{"someone got into my account and ordered stuff I never ordered", ActionEscalate, ReasonSensitive, "account_security"},
		}},
		{"ja sensitive: unknown orders", "ja", []turn{
			{"身に覚えのない注文が3件も入っています", ActionEscalate, ReasonSensitive, "account_security"},
		}},
		{"en sensitive: legal threat", "en", []turn{
			{"where is my refund", ActionAnswer, "", "track_refund"},
			{"if it isn't here by Friday my lawyer will be in touch", ActionEscalate, ReasonSensitive, "-"},
		}},
		{"ja sensitive: legal threat", "ja", []turn{
			{"返金がまだ反映されていません", ActionAnswer, "", "track_refund"},
			{"このままなら消費者センターと弁護士に相談します", ActionEscalate, ReasonSensitive, "-"},
		}},
		{"en complaint: anger", "en", []turn{
			{"my parcel is a week late", ActionAnswer, "", "-"},
			{"this is ridiculous, you people are useless", ActionEscalate, ReasonComplaint, "-"},
		}},
		{"ja complaint: anger", "ja", []turn{
			{"荷物が一週間も遅れています", ActionAnswer, "", "-"},
			{"ふざけるな、いい加減にしろ", ActionEscalate, ReasonComplaint, "-"},
		}},
		{"en complaint: intent", "en", []turn{
			{"I want to file a formal complaint about your courier", ActionEscalate, ReasonComplaint, "complaint"},
		}},
		{"ja complaint: intent", "ja", []turn{
			{"配達員の態度について苦情を申し上げたい", ActionEscalate, ReasonComplaint, "complaint"},
		}},
		{"en multi_issue", "en", []turn{
			{"my parcel never arrived and also I was charged twice for it", ActionEscalate, ReasonMultiIssue, "-"},
		}},
		{"ja multi_issue", "ja", []turn{
			{"商品がまだ届かないし、それと代金が二重に請求されています", ActionEscalate, ReasonMultiIssue, "-"},
		}},
		{"en unresolved", "en", []turn{
			{"I forgot my password", ActionAnswer, "", "recover_password"},
			{"that didn't help, the reset email never comes", ActionEscalate, ReasonUnresolved, "recover_password"},
		}},
		{"ja unresolved", "ja", []turn{
			{"パスワードを忘れてしまいました", ActionAnswer, "", "recover_password"},
			{"試したけど解決しません", ActionEscalate, ReasonUnresolved, "recover_password"},
		}},
		{"en no_progress", "en", []turn{
			{"blorp", ActionClarify, "", ""},
			{"purple monkey dishwasher", ActionClarify, "", ""},
			{"zzz", ActionEscalate, ReasonNoProgress, "-"},
		}},
		{"ja no_progress", "ja", []turn{
			{"えーと", ActionClarify, "", ""},
			{"うーん", ActionClarify, "", ""},
			{"ぴよぴよ", ActionEscalate, ReasonNoProgress, "-"},
		}},
		{"en clarify then pick", "en", []turn{
			{"invoice", ActionClarify, "", "-"},
			{"2", ActionAnswer, "", "check_invoice"},
		}},
		{"ja clarify then pick", "ja", []turn{
			{"注文について", ActionClarify, "", "-"},
			{"１", ActionAnswer, "", "-"},
		}},
		{"en out of scope then on topic", "en", []turn{
			{"what's the weather like in Osaka tomorrow", ActionClarify, "", ""},
			{"tell me a joke", ActionClarify, "", ""},
			{"ok, I want to return my jacket", ActionAnswer, "", "return_item"},
			{"thanks, that's all", ActionAnswer, "", "goodbye"},
		}},
		{"ja out of scope then on topic", "ja", []turn{
			{"明日の大阪の天気は？", ActionClarify, "", ""},
			{"返品したいです", ActionAnswer, "", "return_item"},
		}},
		{"didn't help before any answer is not unresolved", "en", []turn{
			{"that didn't help", ActionClarify, "", "-"},
		}},
		{"language follows each message", "en", []turn{
			{"where is my order", ActionAnswer, "", "track_order"},
			{"キャンセルしたいです", ActionAnswer, "", "cancel_order"},
		}},
	}
	e := testEngine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.NewConversation(tt.name, Facts{Lang: tt.lang, SignedIn: true})
			for i, tn := range tt.turns {
				d := c.Respond(tn.text)
				where := func() string {
					return strings.Join(d.Explanation.Rules, ", ") + " / " + d.Explanation.Note
				}
				if d.Turn != i+1 {
					t.Errorf("turn %d: Turn = %d", i+1, d.Turn)
				}
				if d.Action != tn.action || d.Reason != tn.reason {
					t.Fatalf("turn %d %q: got %s/%s (intent %q %.2f); want %s/%s [%s]", i+1, tn.text, d.Action, d.Reason, d.Intent, d.Confidence, tn.action, tn.reason, where())
				}
				if tn.intent != "-" && d.Intent != tn.intent {
					t.Fatalf("turn %d %q: intent %q; want %q [%s]", i+1, tn.text, d.Intent, tn.intent, where())
				}
				wantLang := DetectLanguage(tn.text, tt.lang)
				if d.Lang != wantLang {
					t.Errorf("turn %d: lang %s; want %s", i+1, d.Lang, wantLang)
				}
				if wantLang == "ja" && !containsJapanese(d.Reply) || wantLang == "en" && containsJapanese(d.Reply) {
					t.Errorf("turn %d: reply %q is not in %s", i+1, d.Reply, wantLang)
				}
				if d.Reply == "" || strings.Contains(d.Reply, "{") {
					t.Errorf("turn %d: reply %q is empty or has an unfilled slot", i+1, d.Reply)
				}
				if d.Action == ActionClarify && d.Intent != "" && len(d.Choices) < 2 {
					t.Errorf("turn %d: a clarification offers %d choices", i+1, len(d.Choices))
				}
				if d.Action == ActionEscalate && d.Reason == ReasonNone {
					t.Errorf("turn %d: escalation without a reason", i+1)
				}
				if d.Action != ActionEscalate && d.Reason != ReasonNone {
					t.Errorf("turn %d: reason %s without an escalation", i+1, d.Reason)
				}
				if len(d.Explanation.Rules) == 0 && d.Action != ActionAnswer || d.Explanation.Note == "" {
					t.Errorf("turn %d: decision does not explain itself: %+v", i+1, d.Explanation)
				}
			}
		})
	}
}

func containsJapanese(s string) bool {
	for _, r := range s {
		if classify.IsJapanese(r) {
			return true
		}
	}
	return false
}

func TestClarifyThenPickOffersNumberedChoices(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		c := testEngine(t).NewConversation("pick", Facts{Lang: lang, SignedIn: true})
		text := map[string]string{"en": "invoice", "ja": "注文について"}[lang]
		d := c.Respond(text)
		if d.Action != ActionClarify || len(d.Choices) < 2 {
			t.Fatalf("%s: %q gave %s with %d choices; want a clarification", lang, text, d.Action, len(d.Choices))
		}
		for i, ch := range d.Choices {
			if ch.Number != i+1 || !strings.Contains(d.Reply, ch.Label) {
				t.Errorf("%s: choice %+v is not numbered in order or not shown in %q", lang, ch, d.Reply)
			}
		}
		picked := d.Choices[1]
		d2 := c.Respond("2")
		if d2.Intent != picked.Intent || d2.Action == ActionClarify {
			t.Errorf("%s: picking 2 gave %s/%s; want %s", lang, d2.Intent, d2.Action, picked.Intent)
		}
		if d2.Lang != lang {
			t.Errorf("%s: the pick was answered in %s", lang, d2.Lang)
		}
		// The choices are used up: a second "2" is not a pick.
		if d3 := c.Respond("2"); d3.Action == ActionAnswer && d3.Intent == picked.Intent && hasRule(d3, "state:choice_picked") {
			t.Errorf("%s: a stale choice was picked again", lang)
		}
	}
}

func hasRule(d Decision, prefix string) bool {
	for _, r := range d.Explanation.Rules {
		if strings.HasPrefix(r, prefix) {
			return true
		}
	}
	return false
}

func TestChoiceNumber(t *testing.T) {
	tests := map[string]int{"1": 1, " 2 ": 2, "２": 2, "3.": 3, "1番": 1, "2番目": 2, "1つ目": 1, "#2": 2}
	for in, want := range tests {
		if got, ok := choiceNumber(in); !ok || got != want {
			t.Errorf("choiceNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "0", "10", "one", "12", "1 2", "a"} {
		if _, ok := choiceNumber(in); ok {
			t.Errorf("choiceNumber(%q) accepted", in)
		}
	}
}

// TestOpeningSaysWhatItKnows checks the house style: the first message states the
// order and topic from the contact flow, and never asks for them again.
func TestOpeningSaysWhatItKnows(t *testing.T) {
	order := &Order{ID: "250-1234567-1234567", Items: []string{"wireless earbuds"}, Status: "shipped",
		StatusDate: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	jaOrder := &Order{ID: "250-1234567-1234567", Items: []string{"ワイヤレスイヤホン", "ケース"}, Status: "shipped",
		StatusDate: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	tests := []struct {
		name  string
		facts Facts
		want  []string
		not   []string
	}{
		{"en track", Facts{Lang: "en", CustomerName: "Taro", SignedIn: true, Order: order, Intent: "track_order"},
			[]string{"Hello Taro", "About order 250-1234567-1234567 (wireless earbuds, shipped 24 Nov): not arrived.", "Status of this order: shipped 24 Nov."},
			[]string{"order number", "{"}},
		{"ja track", Facts{Lang: "ja", CustomerName: "山田", SignedIn: true, Order: jaOrder, Intent: "track_order"},
			[]string{"山田様", "ご注文 250-1234567-1234567（ワイヤレスイヤホンほか1点、11月24日 発送済み）について", "「配送：届かない」", "こちらのご注文は現在「11月24日 発送済み」です"},
			[]string{"注文番号（", "{"}},
		{"en no topic", Facts{Lang: "en", SignedIn: true}, []string{"How can I help?"}, []string{"About"}},
		{"en not signed in", Facts{Lang: "en", Intent: "track_order"}, []string{"sign in", "0120-000-000"}, nil},
		{"ja human topic escalates", Facts{Lang: "ja", SignedIn: true, Intent: "contact_human_agent"}, []string{"担当者におつなぎします"}, nil},
	}
	e := testEngine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.NewConversation("o", tt.facts)
			d := c.Opening()
			for _, w := range tt.want {
				if !strings.Contains(d.Reply, w) {
					t.Errorf("opening %q lacks %q", d.Reply, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(d.Reply, n) {
					t.Errorf("opening %q contains %q", d.Reply, n)
				}
			}
			if tt.facts.Intent == "contact_human_agent" && (d.Action != ActionEscalate || d.Reason != ReasonHumanRequested) {
				t.Errorf("opening with the human topic: %s/%s", d.Action, d.Reason)
			}
			if tt.facts.Order != nil && d.Slots["order_id"] != tt.facts.Order.ID {
				t.Errorf("opening slots %v lack the order", d.Slots)
			}
			if tt.facts.Order != nil && strings.Count(d.Reply, tt.facts.Order.ID) != 1 {
				t.Errorf("opening %q should state the order once, not repeat it", d.Reply)
			}
		})
	}
}

// TestKnownOrderIsNeverAskedFor: with the order known from the contact flow,
// no reply of an order intent asks for the order number; without it, they do.
func TestKnownOrderIsNeverAskedFor(t *testing.T) {
	e := testEngine(t)
	order := &Order{ID: "250-7654321-7654321", Items: []string{"kettle"}, Status: "delivered"}
	for _, name := range e.rules.IntentNames() {
		in := e.rules.IntentMap[name]
		for _, lang := range []string{"en", "ja"} {
			if len(in.In(lang).Examples) == 0 || in.Escalate != "" {
				continue
			}
			c := e.NewConversation("k", Facts{Lang: lang, SignedIn: true, Order: order, Intent: name})
			d := c.Opening()
			if strings.Contains(d.Reply, "give me the order number") || strings.Contains(d.Reply, "注文番号（例") {
				t.Errorf("%s/%s: opening asks for the order number although it is known: %q", name, lang, d.Reply)
			}
			if strings.Contains(d.Reply, "{") {
				t.Errorf("%s/%s: unfilled slot in %q", name, lang, d.Reply)
			}
		}
	}
	c := e.NewConversation("k", Facts{Lang: "en", SignedIn: true})
	if d := c.Respond("where is my order?"); !strings.Contains(d.Reply, "give me the order number") {
		t.Errorf("without a known order the tracking answer should ask for it: %q", d.Reply)
	}
	if d := c.Respond("it's order 250-1111111-2222222, where is it?"); !strings.Contains(d.Reply, "250-1111111-2222222") || d.Slots["order_id"] != "250-1111111-2222222" {
		t.Errorf("an order id typed by the customer should be used: %q %v", d.Reply, d.Slots)
	}
}

// TestConversationsFile runs bot/testdata/conversations.jsonl, the file that
// `eval-bot bot/testdata/conversations.jsonl` measures, with its rules: the
// last turn's action must be one of "action", and its intent one of
// "intents" (any when empty).
func TestConversationsFile(t *testing.T) {
	data, err := os.ReadFile("testdata/conversations.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	e := testEngine(t)
	n := 0
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var c struct {
			ID      string          `json:"id"`
			Turns   []string        `json:"turns"`
			Intents []string        `json:"intents"`
			Action  json.RawMessage `json:"action"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		var actions []Action
		if err := json.Unmarshal(c.Action, &actions); err != nil {
			var one Action
			if err := json.Unmarshal(c.Action, &one); err != nil {
				t.Fatalf("line %d: action: %v", i+1, err)
			}
			actions = []Action{one}
		}
		conv := e.NewConversation(c.ID, Facts{Lang: "en", SignedIn: true})
		var d Decision
		for _, turn := range c.Turns {
			d = conv.Respond(turn)
		}
		if !slices.Contains(actions, d.Action) || len(c.Intents) > 0 && !slices.Contains(c.Intents, d.Intent) {
			t.Errorf("%s: got %s/%s (%s); want %v/%v", c.ID, d.Intent, d.Action, d.Reason, c.Intents, actions)
		}
		n++
	}
	if n < 30 {
		t.Errorf("only %d conversations", n)
	}
}

func FuzzChoiceNumber(f *testing.F) {
	for _, s := range []string{"1", "２", "3.", "1番", "#2", "", "10", "一", "1つ目です"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := choiceNumber(s)
		if ok != (n >= 1 && n <= 9) {
			t.Fatalf("choiceNumber(%q) = %d, %v", s, n, ok)
		}
	})
}

// TestEngineIsSafeForConcurrentUse runs conversations on several goroutines
// at once; -race reports any shared write, and each result must equal the
// one computed alone.
func TestEngineIsSafeForConcurrentUse(t *testing.T) {
	e := testEngine(t)
	msgs := []string{"where is my order", "返品したいです", "that didn't help", "invoice", "2"}
	want := make([]Decision, len(msgs))
	c := e.NewConversation("alone", Facts{Lang: "en", SignedIn: true})
	for i, m := range msgs {
		want[i] = c.Respond(m)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			c := e.NewConversation("alone", Facts{Lang: "en", SignedIn: true})
			for i, m := range msgs {
				if d := c.Respond(m); !reflect.DeepEqual(d, want[i]) {
					t.Errorf("goroutine %d, message %d: %+v differs from %+v", g, i, d, want[i])
				}
			}
		})
	}
	wg.Wait()
}
