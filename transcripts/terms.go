package transcripts

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Search terms. Text is NFKC-normalised and case-folded (so "Ｒｅｆｕｎｄ" and
// "refund" meet, and half-width katakana matches full-width), then cut into:
//   - for Han, Hiragana, Katakana and Hangul, which have no spaces between
//     words: every pair of neighbouring characters (bigrams), plus the last
//     character of each run on its own, so one-character queries work;
//   - for everything else: words of letters and digits.
//
// A query is cut the same way and every query term must match. A query word of
// 3 or more characters matches stored words it begins ("refund" finds
// "refunds"); shorter words match exactly. A query of one CJK character
// matches every bigram starting with it and the lone last characters.

const maxTermLen = 64 // bytes; longer words are cut

var folder = cases.Fold()

func normalizeForSearch(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return folder.String(norm.NFKC.String(s))
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 'ー' || r == '々'
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// termKind tells how a query term is matched.
type termKind int

const (
	termExact  termKind = iota
	termPrefix          // matches every stored term starting with it
)

type term struct {
	text string
	kind termKind
}

// indexTerms returns the distinct terms to store for s.
func indexTerms(s string, into map[string]struct{}) {
	forEachToken(normalizeForSearch(s), func(tok string, cjk bool) {
		if !cjk {
			into[capTerm(tok)] = struct{}{}
			return
		}
		rs := []rune(tok)
		for i := 0; i+1 < len(rs); i++ {
			into[string(rs[i:i+2])] = struct{}{}
		}
		into[string(rs[len(rs)-1])] = struct{}{}
	})
}

// queryTerms cuts a search query into the terms that must all match.
func queryTerms(q string) []term {
	var out []term
	seen := map[term]bool{}
	add := func(t term) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	forEachToken(normalizeForSearch(q), func(tok string, cjk bool) {
		if !cjk {
			kind := termExact
			if utf8.RuneCountInString(tok) >= 3 {
				kind = termPrefix
			}
			add(term{capTerm(tok), kind})
			return
		}
		rs := []rune(tok)
		if len(rs) == 1 {
			add(term{tok, termPrefix})
			return
		}
		for i := 0; i+1 < len(rs); i++ {
			add(term{string(rs[i : i+2]), termExact})
		}
	})
	return out
}

func capTerm(t string) string {
	if len(t) <= maxTermLen {
		return t
	}
	cut := maxTermLen
	for cut > 0 && !utf8.RuneStart(t[cut]) {
		cut--
	}
	return t[:cut]
}

// forEachToken splits normalised text into CJK runs and other words.
func forEachToken(s string, fn func(tok string, cjk bool)) {
	start := -1
	startCJK := false
	flush := func(end int) {
		if start >= 0 {
			fn(s[start:end], startCJK)
			start = -1
		}
	}
	for i, r := range s {
		switch {
		case isCJK(r):
			if start >= 0 && !startCJK {
				flush(i)
			}
			if start < 0 {
				start, startCJK = i, true
			}
		case isWordRune(r):
			if start >= 0 && startCJK {
				flush(i)
			}
			if start < 0 {
				start, startCJK = i, false
			}
		default:
			flush(i)
		}
	}
	flush(len(s))
}
