package handoff

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"tsunagu/bot"
)

var (
	rulesKBOnce sync.Once
	rulesKB     *RulesKnowledge
)

// defaultRulesKnowledge is the default rules' knowledge without an engine.
func defaultRulesKnowledge() *RulesKnowledge {
	rulesKBOnce.Do(func() { rulesKB = NewRulesKnowledge(bot.DefaultRules()) })
	return rulesKB
}

var (
	conditionalEN = regexp.MustCompile(`(?i)\b(if|unless|whether|otherwise|in case)\b`)
	conditionalJA = regexp.MustCompile(`なら|れば|場合|かどうか`)
	// の件 after the plain form of a verb or adjective: 「届いていないの件」.
	kenAfterVerb = regexp.MustCompile(`[いうくぐすつぬぶむるただ]の件`)
	// A sentence or clause mark with a letter right after it: "yet.I know".
	missingSpace = regexp.MustCompile(`[.!?,;:][A-Za-z]`)
	endsEN       = regexp.MustCompile(`[.!?)]$`)
	endsJA       = regexp.MustCompile(`[。！？）]$`)
)

// badWording says what is wrong with a text an operator would send in lang,
// or "" when it reads as a finished sentence: no placeholder left, no
// condition read out of a checklist, no 「の件」 after a verb, no missing
// space, punctuation of the language.
func badWording(lang, text string) string {
	switch {
	case strings.TrimSpace(text) != text || text == "":
		return "blank or padded"
	case strings.ContainsAny(text, "{}"):
		return "unfilled placeholder"
	case lang == "ja" && conditionalJA.MatchString(text), lang != "ja" && conditionalEN.MatchString(text):
		return "conditional wording"
	case lang == "ja" && kenAfterVerb.MatchString(text):
		return "の件 after a verb"
	case lang == "ja" && (strings.Contains(text, "。。") || strings.Contains(text, "、。") || strings.Contains(text, ". ") || strings.Contains(text, ", ")):
		return "punctuation"
	case lang == "ja" && !endsJA.MatchString(text):
		return "no full stop"
	case lang != "ja" && missingSpace.MatchString(text):
		return "missing space"
	case lang != "ja" && (strings.Contains(text, "  ") || strings.Contains(text, " .") || strings.Contains(text, " ,") || strings.Contains(text, "..")):
		return "spacing"
	case lang != "ja" && !endsEN.MatchString(text):
		return "no full stop"
	case lang != "ja" && !(text[0] >= 'A' && text[0] <= 'Z'):
		return "no capital"
	}
	return ""
}

func TestBadWordingCatchesTheSeedsMistakes(t *testing.T) {
	tests := []struct {
		lang, text, want string
	}{
		{"ja", "田中と申します。ご注文の商品がまだ届いていないの件ですね。", "の件 after a verb"},
		{"ja", "ご注文の商品が届いていない件ですね。", ""},
		{"ja", "ご注文の返金をお待ちの件ですね。", ""},
		{"en", "Sorry, it hasn't arrived yet.I know it's late.", "missing space"},
		{"en", "Then, if in transit, I'll give the expected date.", "conditional wording"},
		{"ja", "配送中ならお届け予定日を伝える。", "conditional wording"},
		{"en", "It's with the carrier, {order}.", "unfilled placeholder"},
		{"en", "it's with the carrier.", "no capital"},
		{"ja", "返金いたします", "no full stop"},
		{"en", "It's with the carrier and arrives tomorrow.", ""},
	}
	for _, tt := range tests {
		if got := badWording(tt.lang, tt.text); got != tt.want {
			t.Errorf("badWording(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// factVariants are the packets' facts every template is filled with: no
// order, an order of one item in each status, an order of two items.
func factVariants() []Facts {
	out := []Facts{{}, {Slots: map[string]string{FactOrderID: "250-7654321-7654321"}}}
	for _, st := range []string{"processing", "in_transit", "shipped", "delivered", "cancelled", "returned"} {
		out = append(out, Facts{Order: &Order{ID: "250-1234567-1234567", Items: []string{"Wireless earbuds"}, Status: st}})
	}
	out = append(out, Facts{Order: &Order{ID: "250-2345678-2345678", Items: []string{"Electric kettle", "Coffee filters (100)"}, Status: "delivered"}})
	return out
}

var levels = []Level{LevelBasic, LevelFluent, LevelNative}

// everyOperatorText yields every text an operator can send, with where it
// came from: every saying of every playbook, every phrase with every issue
// it can name, every greeting and handover, at every level, in both
// languages, filled with every variant of the facts.
func everyOperatorText(yield func(where, lang, text string)) {
	kb := defaultRulesKnowledge()
	w := words()
	for _, lang := range []string{"en", "ja"} {
		for _, lv := range levels {
			op := &Operator{ID: "op", Name: "Smith", NameJa: "スミス", Languages: []Language{{lang, lv}}}
			prev := &Operator{ID: "prev", Name: "Tanaka", NameJa: "田中", Languages: []Language{{lang, LevelNative}}}
			for id := range phrasePlaceholders {
				yield("phrase "+id, lang, phrase(id, lv, lang, "name", "Smith", "prev", "Tanaka", "problem", "x", "Problem", "X", "want", "x", "outcome", "y", "team", "z", "order", "x"))
			}
			for fact := range w.asks {
				yield("ask "+fact, lang, askText(lv, lang, fact))
			}
			for _, f := range factVariants() {
				for _, intent := range kb.Intents() {
					for _, prevOp := range []*Operator{nil, prev} {
						p := &Packet{Lang: lang, Facts: f, Issues: []Issue{{Intent: intent, Status: IssueOpen}}}
						b := newBrain(op, p, kb, prevOp, nil)
						b.canPass = func(string) bool { return true }
						where := fmt.Sprintf("%s %s %v %s status %s", intent, lang, lv, map[bool]string{true: "handover", false: "greeting"}[prevOp != nil], OrderStatus(&f))
						// Every step the operator plans, until the offer to close.
						for range 12 {
							st, ok := b.Next(p)
							if !ok {
								break
							}
							yield(where+" "+string(st.Kind), lang, st.Text)
							b.Sent(st, p)
						}
						yield(where+" standing", lang, b.standing(p))
						pb, _ := kb.Playbook(intent, lang)
						status := OrderStatus(&f)
						for _, part := range [][]Say{pb.Answer, pb.Retry} {
							for _, s := range part {
								if s.For(status) {
									yield(where+" answer/retry", lang, b.text(s.In(lv), p))
								}
							}
						}
						problem := b.problem(intent, p)
						for _, id := range []string{phNewIssue, phAlso} {
							yield(where+" "+id, lang, b.say(id, "problem", problem, "Problem", upperFirst(problem)))
						}
						yield(where+" transfer", lang, b.say(phTransfer, "problem", problem, "Problem", upperFirst(problem), "team", teamName(TopicGroup(intent), lang)))
						// An issue that replaces others, greeted after each of them.
						for _, r := range pb.Replaces {
							p := &Packet{Lang: lang, Facts: f, Issues: []Issue{{Intent: r, Status: IssueOpen}, {Intent: intent, Status: IssueOpen}}}
							b := newBrain(op, p, kb, prevOp, nil)
							st, _ := b.Next(p)
							yield(where+" instead of "+r, lang, st.Text)
						}
					}
				}
			}
		}
	}
}

// TestEveryOperatorTextReadsRight fills every template with every variant
// of the facts and checks each text as a customer would read it.
func TestEveryOperatorTextReadsRight(t *testing.T) {
	n, bad := 0, 0
	everyOperatorText(func(where, lang, text string) {
		n++
		// A bare phrase filled with stand-ins is checked for what the phrase
		// itself adds: no condition, no placeholder left.
		if strings.HasPrefix(where, "phrase ") {
			if strings.ContainsAny(text, "{}") || (lang == "ja" && conditionalJA.MatchString(text)) || (lang != "ja" && conditionalEN.MatchString(text)) {
				t.Errorf("%s: %q", where, text)
			}
			return
		}
		if problem := badWording(lang, text); problem != "" {
			bad++
			if bad <= 40 {
				t.Errorf("%s: %s: %q", where, problem, text)
			}
		}
	})
	if n < 10000 {
		t.Fatalf("only %d texts checked", n)
	}
	t.Logf("%d operator texts checked", n)
}

// TestEveryIssueHasSomethingToSayForEveryOrder: whatever state the order is
// in, an operator has at least one step and an answer for every issue.
func TestEveryIssueHasSomethingToSayForEveryOrder(t *testing.T) {
	for intent, byLang := range words().playbooks {
		for lang, pb := range byLang {
			for _, status := range OrderStatuses {
				steps := 0
				for _, s := range pb.Steps {
					if s.For(status) {
						steps++
					}
				}
				if _, ok := first(pb.Answer, status); steps == 0 || !ok {
					t.Errorf("%s/%s, order %s: %d steps, answer %v", intent, lang, status, steps, ok)
				}
			}
		}
	}
}

// TestOperatorWordsRefuseBrokenFiles: the checks that keep a phrase from
// going missing or a placeholder from being left unfilled.
func TestOperatorWordsRefuseBrokenFiles(t *testing.T) {
	pb, _ := knowledgeFS.ReadFile("knowledge/playbooks.yaml")
	ph, _ := knowledgeFS.ReadFile("knowledge/phrases.yaml")
	if _, err := loadOperatorWords(pb, ph); err != nil {
		t.Fatalf("the embedded files: %v", err)
	}
	tests := []struct {
		name           string
		file, old, new string
		want           string
	}{
		{"unknown placeholder", "phrases", `native: "Hi, I'm {name}.`, `native: "Hi, I'm {nmae}.`, "placeholder {nmae}"},
		{"missing phrase", "phrases", "  bye:\n", "  byebye:\n", "phrase bye is missing"},
		{"unknown status", "playbooks", "when: [delivered]", "when: [lost]", `when "lost"`},
		{"Japanese problem without 件", "playbooks", `ja: "{order}のキャンセルをご希望の件"`, `ja: "{order}をキャンセルしたい"`, "must end in 件"},
		{"ask without a phrase", "playbooks", "asks: [order_id, requested_change]", "asks: [order_id, colour]", "asks for colour"},
		{"unknown intent", "playbooks", "  place_order:\n", "  buy_stuff:\n", "intent buy_stuff"},
		{"unknown field", "playbooks", "    answer:\n", "    answers:\n", "answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, h := string(pb), string(ph)
			target := &h
			if tt.file == "playbooks" {
				target = &p
			}
			if !strings.Contains(*target, tt.old) {
				t.Fatalf("%q is not in %s.yaml", tt.old, tt.file)
			}
			*target = strings.Replace(*target, tt.old, tt.new, 1)
			_, err := loadOperatorWords([]byte(p), []byte(h))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
