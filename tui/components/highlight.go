package components

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"golang.org/x/text/width"
)

// HitWords turns a search query into the words the history screens
// highlight. Matching is per rune, ignoring case and full/half width, the
// way the store's index folds text. A Japanese word the index matched by
// bigrams may not occur whole, so its bigrams are highlighted too. Latin
// words of one letter are left out: they would light up every row.
func HitWords(query string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range strings.Fields(query) {
		rs := []rune(w)
		cjk := false
		for _, r := range rs {
			if isCJKRune(r) {
				cjk = true
				break
			}
		}
		if !cjk && len(rs) < 2 {
			continue
		}
		add(w)
		if cjk && len(rs) > 2 {
			for i := 0; i+1 < len(rs); i++ {
				add(string(rs[i : i+2]))
			}
		}
	}
	return out
}

func isCJKRune(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 'ー' || r == '々'
}

// foldRune folds a rune for matching: width (ｶ → カ, Ａ → A) and case.
func foldRune(r rune) rune {
	if f := width.LookupRune(r).Folded(); f != 0 {
		r = f
	}
	return unicode.ToLower(r)
}

// HitSpans reports which runes of text are inside a match of any word.
func HitSpans(text string, words []string) []bool {
	if len(words) == 0 || text == "" {
		return nil
	}
	rs := []rune(validUTF8(text))
	folded := make([]rune, len(rs))
	for i, r := range rs {
		folded[i] = foldRune(r)
	}
	var marks []bool
	for _, w := range words {
		wr := []rune(w)
		for i := range wr {
			wr[i] = foldRune(wr[i])
		}
		if len(wr) == 0 || len(wr) > len(folded) {
			continue
		}
	scan:
		for i := 0; i+len(wr) <= len(folded); i++ {
			for j, r := range wr {
				if folded[i+j] != r {
					continue scan
				}
			}
			if marks == nil {
				marks = make([]bool, len(rs))
			}
			for j := range wr {
				marks[i+j] = true
			}
		}
	}
	return marks
}

// Contains reports whether text holds any of words, as HitSpans matches.
func Contains(text string, words []string) bool {
	for _, m := range HitSpans(text, words) {
		if m {
			return true
		}
	}
	return false
}

// Highlight styles the matches of words inside plain (unstyled, sanitised)
// text with hit, and leaves the rest as it is. The result has the same
// width as text. Invalid UTF-8 (which the sanitiser never lets through)
// becomes U+FFFD, as it would there.
func Highlight(text string, words []string, hit lipgloss.Style) string {
	return highlight(text, words, hit, nil)
}

// HighlightOn is Highlight inside a styled row (the history's selected
// row): the rest of text is rendered with base, segment by segment, so the
// row's background runs on through its hits.
func HighlightOn(text string, words []string, hit, base lipgloss.Style) string {
	return highlight(text, words, hit, &base)
}

func highlight(text string, words []string, hit lipgloss.Style, base *lipgloss.Style) string {
	text = validUTF8(text)
	marks := HitSpans(text, words)
	if marks == nil {
		if base != nil {
			return base.Render(text)
		}
		return text
	}
	rs := []rune(text)
	var b strings.Builder
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && marks[j] == marks[i] {
			j++
		}
		seg := string(rs[i:j])
		switch {
		case marks[i]:
			b.WriteString(hit.Render(seg))
		case base != nil:
			b.WriteString(base.Render(seg))
		default:
			b.WriteString(seg)
		}
		i = j
	}
	return b.String()
}

func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
