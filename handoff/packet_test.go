package handoff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"tsunagu/bot"
)

func TestPacketSummariesInBothLanguages(t *testing.T) {
	p := refundPacket("ja", true)
	if got := p.Summary["en"]; got != "You're waiting on a refund for order 123-4567890-1234567. Reason: asked for a person. Customer writes in Japanese." {
		t.Errorf("en summary = %q", got)
	}
	if got := p.Summary["ja"]; got != "ご注文（123-4567890-1234567）の返金をお待ちの件。理由：担当者との会話を希望。顧客の言語：日本語。" {
		t.Errorf("ja summary = %q", got)
	}
}

func TestPacketGrowsAndLearnsFacts(t *testing.T) {
	p := refundPacket("en", false)
	if p.Facts.Has(FactOrderID) {
		t.Fatal("no order yet")
	}
	n := len(p.Transcript)
	p.Add(Line{Speaker: SpeakerCustomer, Text: "It's order 250-1234567-1234567, call me on 090-1234-5678"})
	p.Add(Line{Speaker: SpeakerOperator, Name: "tanaka", Text: "Order 999-9999999-9999999 is someone else's."})
	if len(p.Transcript) != n+2 {
		t.Fatalf("transcript has %d lines, want %d", len(p.Transcript), n+2)
	}
	if p.Facts.Value(FactOrderID) != "250-1234567-1234567" || p.Facts.Value(FactPhone) != "+819012345678" {
		t.Fatalf("facts = %+v; only the customer's own words count", p.Facts)
	}
}

func TestPacketJSONRoundTrip(t *testing.T) {
	p := refundPacket("en", true)
	p.Decisions = append(p.Decisions, DecisionFrom(bot.Decision{Turn: 2, Intent: "get_refund", Action: bot.ActionEscalate,
		Reason: bot.ReasonUnresolved, Explanation: bot.Explanation{Rules: []string{"unresolved.phrase"}, Note: "customer says it did not help"}}))
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"reason":"human_requested"`, `"summary":{`, `"facts":{`, `"decisions":[`, `"transcript":[`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	var back Packet
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&back)
	if string(again) != string(data) {
		t.Fatalf("round trip changed the packet:\n%s\n%s", data, again)
	}
	if !reflect.DeepEqual(back.Decisions[1].Rules, []string{"unresolved.phrase"}) {
		t.Fatal("decision explanation lost")
	}
}

func TestNewPacketCopiesItsInputs(t *testing.T) {
	slotsIn := map[string]string{FactEmail: "a@example.com"}
	lines := []Line{{Speaker: SpeakerCustomer, Text: "hi"}}
	p := NewPacket(tokyo(5, 9, 0), "c", bot.ReasonComplaint, "en", Facts{Slots: slotsIn}, nil, lines, nil)
	p.Facts.Set(FactPhone, "+819012345678")
	p.Add(Line{Speaker: SpeakerCustomer, Text: "more"})
	if len(slotsIn) != 1 || len(lines) != 1 {
		t.Fatal("the packet shares memory with the caller's slots or transcript")
	}
	if p.Summary["en"] == "" || !strings.Contains(p.Summary["en"], "complaint") {
		t.Fatalf("summary without knowledge: %q", p.Summary["en"])
	}
}

func FuzzPacketAdd(f *testing.F) {
	f.Add("order 250-1234567-1234567")
	f.Add("０９０−１２３４−５６７８ に電話して")
	f.Add("\x1b]52;c;aGVsbG8=\x07 ¥3,980")
	f.Fuzz(func(t *testing.T, text string) {
		p := refundPacket("en", false)
		p.Add(Line{Speaker: SpeakerCustomer, Text: text})
		if _, err := json.Marshal(p); err != nil {
			t.Fatal(err)
		}
		if p.Transcript[len(p.Transcript)-1].Text != text {
			t.Fatal("the transcript must keep the customer's words as typed")
		}
	})
}

// TestEveryFactOnceSetIsKnown guards the ask loop: a fact the customer gives
// must count as known, or the operator would ask for it again and again.
func TestEveryFactOnceSetIsKnown(t *testing.T) {
	for _, fact := range []string{FactCustomer, FactOrderID, FactItem, FactEmail, FactPhone, FactAmount, "membership_plan"} {
		var f Facts
		if f.Has(fact) {
			t.Fatalf("%s known before it was given", fact)
		}
		f.Set(fact, simFactValue(fact, 42))
		if !f.Has(fact) {
			t.Errorf("%s given but not known: the operator would ask again", fact)
		}
	}
}

// TestPacketLearnsWhatTheCustomerDescribed: the contact flow's sub-topic and
// the customer's own description answer the descriptive facts, so no
// operator asks "what happened?" after being told.
func TestPacketLearnsWhatTheCustomerDescribed(t *testing.T) {
	tests := []struct {
		name      string
		subtopic  string
		line      string
		known     []string
		stillAsks []string
	}{
		{"sub-topic names the problem", "damaged", "", []string{"problem_kind"}, []string{"what_happened", "preferred_outcome"}},
		{"an English description", "", "The kettle leaks from the bottom, I need a replacement before Friday.",
			[]string{"what_happened", "problem_kind", "error_message", "preferred_outcome"}, []string{"photo", "reason"}},
		{"a Japanese description", "", "電源を入れても全く動きません。返金してください。",
			[]string{"what_happened", "problem_kind", "preferred_outcome"}, []string{"photo"}},
		{"a bare yes describes nothing", "", "yes", nil, []string{"what_happened", "problem_kind", "preferred_outcome"}},
		{"a short Japanese reply describes nothing", "", "はい、そうです", nil, []string{"what_happened"}},
		{"asking for a person describes nothing", "", "I'd like to talk to a person please.", nil, []string{"what_happened", "error_message"}},
		{"担当者を頼むだけでは説明にならない", "", "担当者と話したいのでつないでください", nil, []string{"what_happened"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Facts{Topic: Topic{Category: "problem", Subtopic: tt.subtopic, Intent: "product_problem"}}
			var lines []Line
			if tt.line != "" {
				lines = []Line{{Speaker: SpeakerCustomer, Text: tt.line}}
			}
			p := NewPacket(tokyo(5, 10, 0), "c", bot.ReasonComplaint, "en", f, nil, lines, testKnowledge)
			for _, fact := range tt.known {
				if !p.Facts.Has(fact) {
					t.Errorf("%s not learned from %q", fact, tt.line)
				}
			}
			for _, fact := range tt.stillAsks {
				if p.Facts.Has(fact) {
					t.Errorf("%s wrongly learned from %q: %q", fact, tt.line, p.Facts.Value(fact))
				}
			}
		})
	}
}

func TestMentionsDeadline(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"I need a replacement before Friday.", true},
		{"Can it come by the weekend?", true},
		{"I need it by the 30th", true},
		{"It's urgent", true},
		{"金曜日までに必要です", true},
		{"週末までに届きますか", true},
		{"急ぎでお願いします", true},
		{"It leaks from the bottom.", false},
		{"I bought it on Friday", false},
		{"月曜日に届きました", false},
	}
	for _, tt := range tests {
		if got := mentionsDeadline(tt.text); got != tt.want {
			t.Errorf("mentionsDeadline(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
