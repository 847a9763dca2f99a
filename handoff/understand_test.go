package handoff

import (
	"strings"
	"testing"

	"tsunagu/bot/classify"
)

// The phrasings below are held out: none is an example in understand/*.yaml
// (TestUnderstandingIsHeldOut checks), so they show what the label sets
// learnt rather than what they memorised.

var personHeldOut = []struct {
	text string
	want bool
}{
	{"Can I chat with a real human being?", true},
	{"Please connect me to one of your staff.", true},
	{"I want to speak with somebody from customer service", true},
	{"get me a live agent", true},
	{"Is there an actual person I could talk to?", true},
	{"transfer me to an operator please", true},
	{"I'd like to talk to a person please.", true},
	{"人間のスタッフさんと話せますか", true},
	{"オペレーターにつないでもらえますか", true},
	{"担当の方に代わってください", true},
	{"誰か人に相談したいです", true},
	{"有人チャットに切り替えてほしい", true},
	{"担当者と話したいのでつないでください", true},
	{"The zip on my bag broke after one week of use.", false},
	{"My parcel arrived with the box crushed and the lid cracked.", false},
	{"I was charged twice for the same order last month.", false},
	{"The screen stays black when I press the power button.", false},
	{"The kettle leaks from the bottom, I need a replacement before Friday.", false},
	{"届いた箱がつぶれていて、中のお皿が割れていました。", false},
	{"同じ注文で二回請求されています。", false},
	{"ボタンを押しても画面が真っ暗なままです。", false},
	{"電源を入れても全く動きません。お金を戻していただけますか。", false},
}

func TestAsksForPersonHeldOut(t *testing.T) {
	for _, tt := range personHeldOut {
		if got := asksForPerson(tt.text); got != tt.want {
			t.Errorf("asksForPerson(%q) = %v, want %v (%v)", tt.text, got, tt.want, personModel().Classify(tt.text, "en").Scores)
		}
	}
}

var outcomeHeldOut = []struct{ text, want string }{
	{"I'd rather have it swapped for one that works.", "replacement"},
	{"Please send me another one that isn't broken.", "replacement"},
	{"The kettle leaks from the bottom, I need a replacement before Friday.", "replacement"},
	{"I just want a full refund at this point.", "refund"},
	{"Can I get my money returned to my card?", "refund"},
	{"Is it possible to have it fixed under warranty?", "repair"},
	{"Could your team repair the hinge?", "repair"},
	{"The handle came off the first time I used it.", ""},
	{"Where is my parcel?", ""},
	{"I'd like to talk to a person please.", ""},
	{"yes", ""},
	{"新しいものと取り替えてもらえますか", "replacement"},
	{"別の商品に交換をお願いしたいです", "replacement"},
	{"お金を返してほしいです", "refund"},
	{"電源を入れても全く動きません。お金を戻していただけますか。", "refund"},
	{"代金を払い戻してもらえますか", "refund"},
	{"修理に出すことはできますか", "repair"},
	{"壊れた部分を直してもらいたいです", "repair"},
	{"箱を開けたら取っ手が外れていました", ""},
	{"荷物はどこにありますか", ""},
	{"はい", ""},
}

func TestWantedOutcomeHeldOut(t *testing.T) {
	for _, tt := range outcomeHeldOut {
		if got := wantedOutcome(tt.text); got != tt.want {
			t.Errorf("wantedOutcome(%q) = %q, want %q (%v)", tt.text, got, tt.want, outcomeModel().Classify(tt.text, "en").Scores)
		}
	}
}

var hardToReadHeldOut = []struct {
	text, lang string
	want       bool
}{
	{"I'm kind of lost with this checkout thing", "en", true},
	{"Beats me why the app keeps crashing", "en", true},
	{"We've hit a snag with the gift card", "en", true},
	{"No biggie, but the box was a bit dented", "en", true},
	{"Just a heads up, my address has changed", "en", true},
	{"The seller seems a bit fishy to me", "en", true},
	{"I'm sort of on the fence about keeping it", "en", true},
	{"My order has still not arrived.", "en", false},
	{"Please cancel order 250-1234567-1234567.", "en", false},
	{"The lamp is broken.", "en", false},
	{"I want to change my delivery address.", "en", false},
	{"Can I return these shoes?", "en", false},
	{strings.Repeat("The parcel was late and the box was wet. ", 4), "en", true},
	{"なんか画面がおかしいんですけど", "ja", true},
	{"ちょっと困ってまして", "ja", true},
	{"色がいまいちだったんですよね", "ja", true},
	{"届くのっていつだっけ", "ja", true},
	{"どうにかしてもらえないですかね", "ja", true},
	{"これって交換できるかな", "ja", true},
	{"注文した靴が届きません。", "ja", false},
	{"住所を変えたいです。", "ja", false},
	{"商品が割れていました。", "ja", false},
	{"返品したいです。", "ja", false},
	{strings.Repeat("荷物が届きません。", 8), "ja", true},
}

func TestHardToReadHeldOut(t *testing.T) {
	for _, tt := range hardToReadHeldOut {
		if got := hardToRead(tt.text, tt.lang); got != tt.want {
			t.Errorf("hardToRead(%q, %s) = %v, want %v (%v)", tt.text, tt.lang, got, tt.want, idiomModel().Classify(tt.text, tt.lang).Scores)
		}
	}
}

// TestUnderstandingIsHeldOut keeps the tests above honest: a test phrasing
// (or one of its clauses) copied into the examples would prove nothing.
func TestUnderstandingIsHeldOut(t *testing.T) {
	examples := func(file string) map[string]bool {
		data, err := understandFS.ReadFile("understand/" + file)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for line := range strings.Lines(string(data)) {
			if item, ok := strings.CutPrefix(strings.TrimSpace(line), "- "); ok {
				seen[classify.Normalize(item)] = true
			}
		}
		return seen
	}
	check := func(file string, texts []string) {
		seen := examples(file)
		for _, text := range texts {
			for clause := range classify.Clauses(text) {
				if seen[classify.Normalize(clause)] {
					t.Errorf("%s: %q is an example, so %q is not held out", file, clause, text)
				}
			}
		}
	}
	var person, outcome, hard []string
	for _, tt := range personHeldOut {
		person = append(person, tt.text)
	}
	for _, tt := range outcomeHeldOut {
		outcome = append(outcome, tt.text)
	}
	for _, tt := range hardToReadHeldOut {
		hard = append(hard, tt.text)
	}
	check("person.yaml", person)
	check("outcome.yaml", outcome)
	check("idiom.yaml", hard)
}
