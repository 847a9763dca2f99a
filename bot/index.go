package bot

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// patternIndex matches every pattern of a rules file (intents and triggers,
// both languages) in one pass over a message. English phrases are looked up
// by their first word at each word start; Japanese phrases by their first
// character at each position. That keeps matching to a few map lookups per
// word instead of hundreds of substring searches.
type patternIndex struct {
	owners  []string                // "intent/lang" or "trigger:key/lang"
	byWord  map[string][]phraseRef  // first word → English phrases
	byRune  map[rune][]phraseRef    // first rune → other phrases
	regexps [][]filteredRegexpOwned // per owner
	sources [][]string              // per owner: pattern sources, as in matcher
}

type phraseRef struct {
	text   string // as in matcher.phrases (padded for English)
	owner  int
	source int
	runes  int
}

type filteredRegexpOwned struct {
	filteredRegexp
	source int
	// needsNonASCII: one of the literal sets has only non-ASCII literals
	// (a Japanese pattern), so the regexp can't match ASCII text. English
	// messages then skip every Japanese regexp without a substring search.
	needsNonASCII bool
}

// patternHit is the best (longest) match of one owner.
type patternHit struct {
	source int // index into sources[owner], -1 for none
	runes  int
}

func newPatternIndex(compiled map[string]*matcher) *patternIndex {
	x := &patternIndex{byWord: map[string][]phraseRef{}, byRune: map[rune][]phraseRef{}}
	for _, owner := range sortedKeys(compiled) {
		m := compiled[owner]
		id := len(x.owners)
		x.owners = append(x.owners, owner)
		x.sources = append(x.sources, m.sources)
		var res []filteredRegexpOwned
		for i, re := range m.regexps {
			nonASCII := slices.ContainsFunc(re.sets, func(set []string) bool {
				return !slices.ContainsFunc(set, isASCII)
			})
			res = append(res, filteredRegexpOwned{re, len(m.phrases) + i, nonASCII})
		}
		x.regexps = append(x.regexps, res)
		for i, p := range m.phrases {
			ref := phraseRef{text: p, owner: id, source: i, runes: utf8.RuneCountInString(strings.TrimSpace(p))}
			if p[0] == ' ' {
				word, _, _ := strings.Cut(p[1:], " ")
				x.byWord[word] = append(x.byWord[word], ref)
				continue
			}
			r, _ := utf8.DecodeRuneInString(p)
			x.byRune[r] = append(x.byRune[r], ref)
		}
	}
	return x
}

// match returns the best hit of every owner (indexed like owners). padded is
// the normalised text with a space at each end.
func (x *patternIndex) match(padded string, hits []patternHit) []patternHit {
	hits = hits[:0]
	for range x.owners {
		hits = append(hits, patternHit{source: -1})
	}
	better := func(owner, source, runes int) {
		if h := &hits[owner]; h.source < 0 || runes > h.runes {
			h.source, h.runes = source, runes
		}
	}
	for i, r := range padded {
		if r == ' ' && i+1 < len(padded) {
			// A word starts after the space.
			rest := padded[i+1:]
			end := strings.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			for _, ref := range x.byWord[rest[:end]] {
				if strings.HasPrefix(padded[i:], ref.text) {
					better(ref.owner, ref.source, ref.runes)
				}
			}
			continue
		}
		for _, ref := range x.byRune[r] {
			if strings.HasPrefix(padded[i:], ref.text) {
				better(ref.owner, ref.source, ref.runes)
			}
		}
	}
	bare := padded[1 : len(padded)-1]
	ascii := isASCII(bare)
	for owner, res := range x.regexps {
		for _, re := range res {
			if ascii && re.needsNonASCII {
				continue
			}
			if loc := re.find(bare); loc != nil {
				better(owner, re.source, max(1, utf8.RuneCountInString(bare[loc[0]:loc[1]])))
			}
		}
	}
	return hits
}
