package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The done-when conversations of issue 12, through `tsunagu chat --jsonl`
// in both languages: operators who listen.
func TestChatJSONLOperatorsListen(t *testing.T) {
	type words struct {
		refund, person, charged, question                  string
		aboutRefund, aboutCharge, aboutArrival, answerHint []string
	}
	byLang := map[string]words{
		"en": {refund: "I want a refund", person: "I want to talk to a person", charged: "Also my card was charged twice",
			question: "How long will the refund take?", aboutRefund: []string{"refund"}, aboutCharge: []string{"payment", "charge"},
			aboutArrival: []string{"hasn't arrived"}, answerHint: []string{"3-5 business days"}},
		"ja": {refund: "返金してほしい", person: "担当者と話したいです", charged: "あと、カードが二重に請求されています",
			question: "返金はいつ戻りますか", aboutRefund: []string{"返金"}, aboutCharge: []string{"お支払い", "請求", "決済"},
			aboutArrival: []string{"届いていない"}, answerHint: []string{"3〜5営業日"}},
	}
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			w := byLang[lang]
			start := `{"conversation":"%s","start":{"account":true,"order":"250-1234567-1234567","topic":"delivery/not_arrived"}}`
			var in []string
			add := func(conv string, lines ...string) {
				for _, l := range lines {
					in = append(in, strings.ReplaceAll(l, "%s", conv))
				}
			}
			text := func(s string) string { return `{"conversation":"%s","text":"` + s + `"}` }
			choose := `{"conversation":"%s","choose":"first"}`
			// refund: not arrived, then a refund, then a person.
			add("refund", start, text(w.refund), text(w.person), choose)
			// second: a second problem once the operator has joined.
			add("second", start, text(w.person), choose, text(w.charged))
			// question: a question to the operator.
			add("question", start, text(w.refund), text(w.person), choose, text(w.question), `{"conversation":"%s","wait":"6m"}`)
			lines := runJSONL(t, filepath.Join(t.TempDir(), "t.db"), lang, strings.Join(in, "\n")+"\n")
			byConv := map[string][]map[string]any{}
			for _, l := range lines {
				if e, ok := l["error"]; ok {
					t.Fatalf("error line: %v", e)
				}
				c, _ := l["conversation"].(string)
				byConv[c] = append(byConv[c], l)
			}
			str := func(l map[string]any, k string) string { s, _ := l[k].(string); return s }
			mentions := func(s string, any []string) bool {
				return slices.ContainsFunc(any, func(w string) bool { return strings.Contains(s, w) })
			}

			// The operator's first messages are about the refund, not the
			// menu topic the customer moved away from.
			var first []string
			for _, l := range byConv["refund"] {
				if str(l, "kind") == "operator" && len(first) < 2 {
					first = append(first, str(l, "text"))
				}
			}
			if len(first) < 2 {
				t.Fatalf("refund: %d operator messages", len(first))
			}
			for _, m := range first {
				if !mentions(m, w.aboutRefund) || mentions(m, w.aboutArrival) {
					t.Errorf("refund: the operator's first messages are not about the refund: %q", first)
				}
			}

			// The second problem is answered before any offer to close that
			// follows it, and the case lists it.
			raised, answered, listed := false, false, false
			for _, l := range byConv["second"] {
				switch kind := str(l, "kind"); {
				case kind == "customer" && str(l, "text") == w.charged:
					raised = true
				case !raised:
				case kind == "operator" && mentions(str(l, "text"), w.aboutCharge):
					answered = true
				case kind == "offer_close" && !answered:
					t.Errorf("second: an offer to close before the double charge was answered")
				case kind == "case":
					issues, _ := l["issues"].([]any)
					for _, is := range issues {
						if m, _ := is.(map[string]any); m["intent"] == "payment_issue" {
							listed = true
						}
					}
				}
			}
			if !raised || !answered || !listed {
				t.Errorf("second: raised %v, answered %v, in the case %v", raised, answered, listed)
			}

			// The question is answered from the refund's knowledge.
			asked, gotAnswer := false, false
			for _, l := range byConv["question"] {
				if str(l, "kind") == "customer" && str(l, "text") == w.question {
					asked = true
				} else if asked && str(l, "kind") == "operator" && mentions(str(l, "text"), w.answerHint) {
					gotAnswer = true
				}
			}
			if !gotAnswer {
				t.Errorf("question: no answer naming %v", w.answerHint)
			}

			// In every conversation, a customer message to the operators is
			// always followed by an operator message before an offer to
			// close, and the chat closes once.
			for conv, ls := range byConv {
				owed, joined, closed := false, false, 0
				for _, l := range ls {
					switch str(l, "kind") {
					case "joined":
						joined = true
					case "customer":
						owed = owed || joined
					case "operator":
						owed = false
					case "offer_close":
						if owed {
							t.Errorf("%s: an offer to close over an unanswered message", conv)
						}
					case "closed":
						closed++
					}
				}
				if closed > 1 {
					t.Errorf("%s: closed %d times", conv, closed)
				}
			}
		})
	}
}
