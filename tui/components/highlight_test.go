package components

import (
	"strings"
	"testing"
	"tsunagu/transcripts/termsafe"

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

// FuzzHighlight: highlighting (alone or inside a styled row) never panics, never changes the text (but
// for invalid UTF-8, which becomes U+FFFD) or its width, and only adds
// styling.
func FuzzHighlight(f *testing.F) {
	f.Add("refund", "Refunds take 3-5 days")
	f.Add("返品", "イヤホンを返品したいです")
	f.Add("ｶﾞ", "ガ\u0301 e\u0301 👩‍👩‍👧 🇯🇵")
	f.Add("\xff", "\xff\xfe broken")
	st := lipgloss.NewStyle().Reverse(true)
	base := lipgloss.NewStyle().Bold(true)
	f.Fuzz(func(t *testing.T, query, text string) {
		words := HitWords(query)
		// HighlightOn styles every segment, so it is given what it is
		// always given: a sanitised line (a style would expand a tab).
		line := termsafe.Line(text)
		for _, c := range [][2]string{
			{strings.ToValidUTF8(text, "\uFFFD"), Highlight(text, words, st)},
			{line, HighlightOn(line, words, st, base)},
		} {
			in, out := c[0], c[1]
			if ansi.Strip(out) != ansi.Strip(in) {
				t.Fatalf("text changed: %q → %q", in, out)
			}
			if ansi.StringWidth(out) != ansi.StringWidth(in) {
				t.Fatalf("width changed: %q → %q", in, out)
			}
		}
	})
}
