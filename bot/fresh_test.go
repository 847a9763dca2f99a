package bot

import (
	"math"
	"testing"
)

// TestJapaneseAsGoodAsEnglish measures the same 99 requests written fresh in
// each language (bot/testdata/ja_fresh.tsv, en_fresh.tsv; see their headers)
// and checks that both are answered well and that Japanese is not behind
// English: the "Japanese is as good as English", like for like.
func TestJapaneseAsGoodAsEnglish(t *testing.T) {
	e := testEngine(t)
	accuracy := func(path string) float64 {
		cases := readLabelled(t, path)
		ok := 0
		for _, c := range cases {
			d := e.NewConversation("fresh", Facts{Lang: "en", SignedIn: true}).Respond(c.text)
			if d.Intent == c.intent && d.Action != ActionClarify {
				ok++
			} else {
				t.Logf("miss %q: want %s, got %q/%s", c.text, c.intent, d.Intent, d.Action)
			}
		}
		return float64(ok) / float64(len(cases))
	}
	ja, en := accuracy("testdata/ja_fresh.tsv"), accuracy("testdata/en_fresh.tsv")
	t.Logf("fresh sets: Japanese %.1f%%, English %.1f%%", 100*ja, 100*en)
	for lang, acc := range map[string]float64{"Japanese": ja, "English": en} {
		if acc < 0.88 {
			t.Errorf("%s fresh-set accuracy %.1f%% is below 88%%", lang, 100*acc)
		}
	}
	if gap := en - ja; gap > 0.03 || math.IsNaN(gap) {
		t.Errorf("Japanese (%.1f%%) is %.1f points behind English (%.1f%%)", 100*ja, 100*gap, 100*en)
	}
}
