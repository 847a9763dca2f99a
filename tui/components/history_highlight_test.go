package components

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestHitWordsAndSpans(t *testing.T) {
	cases := []struct {
		query, text string
		want        string // the text with hits in [brackets]
	}{
		{"refund", "Refunds take 3-5 days; REFUND", "[Refund]s take 3-5 days; [REFUND]"},
		{"ＲＥＦＵＮＤ", "refund", "[refund]"},
		{"ｶﾀｶﾅ", "カタカナ", "[カタカナ]"},
		{"返品したい", "イヤホンを返品したいです", "イヤホンを[返品したい]です"},
		{"配達予定", "配達の予定日", "[配達]の[予定]日"},           // bigrams of a word that is not whole
		{"a refund", "a b refund", "a b [refund]"}, // one-letter Latin words light nothing
		{"", "anything", "anything"},
	}
	for _, tc := range cases {
		words := HitWords(tc.query)
		marks := HitSpans(tc.text, words)
		var b strings.Builder
		rs := []rune(tc.text)
		for i, r := range rs {
			on := marks != nil && marks[i]
			if on && (i == 0 || !marks[i-1]) {
				b.WriteByte('[')
			}
			b.WriteRune(r)
			if on && (i == len(rs)-1 || !marks[i+1]) {
				b.WriteByte(']')
			}
		}
		if got := b.String(); got != tc.want {
			t.Errorf("%q in %q: got %q, want %q", tc.query, tc.text, got, tc.want)
		}
		if Contains(tc.text, words) != strings.Contains(tc.want, "[") {
			t.Errorf("Contains(%q, %q) disagrees with the spans", tc.text, tc.query)
		}
	}
}

// FuzzHighlight: highlighting never panics, never changes the text (but
// for invalid UTF-8, which becomes U+FFFD) or its width, and only adds
// styling.
func FuzzHighlight(f *testing.F) {
	f.Add("refund", "Refunds take 3-5 days")
	f.Add("返品", "イヤホンを返品したいです")
	f.Add("ｶﾞ", "ガ\u0301 e\u0301 👩‍👩‍👧 🇯🇵")
	f.Add("\xff", "\xff\xfe broken")
	st := lipgloss.NewStyle().Reverse(true)
	f.Fuzz(func(t *testing.T, query, text string) {
		out := Highlight(text, HitWords(query), st)
		text = strings.ToValidUTF8(text, "\uFFFD")
		if ansi.Strip(out) != ansi.Strip(text) {
			t.Fatalf("text changed: %q → %q", text, out)
		}
		if ansi.StringWidth(out) != ansi.StringWidth(text) {
			t.Fatalf("width changed: %q → %q", text, out)
		}
	})
}
