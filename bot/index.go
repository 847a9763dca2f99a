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
	// Precomputed so that classifying allocates no strings for them:
	names   []string   // per owner: the intent or trigger name
	trigger []bool     // per owner: a trigger, not an intent
	ruleIDs [][]string // per owner and source: "pattern:intent/lang:src" or "trigger:name/lang:src"
	// literals are the distinct prefilter literals of all regexps; each
	// regexp's sets refer to them by index, so a message is searched for
	// each literal at most once however many regexps share it.
	literals []string
}

// matchScratch holds the per-message buffers of match, recycled by the
// caller.
type matchScratch struct {
	hits []patternHit
	// found caches literal searches: 0 not yet searched, 1 found, 2 absent.
	found []uint8
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
	// litSets are the prefilter's sets as indexes into literals.
	litSets [][]int32
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
	literalID := map[string]int32{}
	for _, owner := range sortedKeys(compiled) {
		m := compiled[owner]
		id := len(x.owners)
		x.owners = append(x.owners, owner)
		x.sources = append(x.sources, m.sources)
		rest, isTrigger := strings.CutPrefix(owner, "trigger:")
		name, _, _ := strings.Cut(rest, "/")
		prefix := "pattern:" + owner + ":"
		if isTrigger {
			prefix = owner + ":"
		}
		ids := make([]string, len(m.sources))
		for i, src := range m.sources {
			ids[i] = prefix + src
		}
		x.names, x.trigger, x.ruleIDs = append(x.names, name), append(x.trigger, isTrigger), append(x.ruleIDs, ids)
		var res []filteredRegexpOwned
		for i, re := range m.regexps {
			nonASCII := slices.ContainsFunc(re.sets, func(set []string) bool {
				return !slices.ContainsFunc(set, isASCII)
			})
			var litSets [][]int32
			for _, set := range re.sets {
				ids := make([]int32, len(set))
				for j, l := range set {
					id, ok := literalID[l]
					if !ok {
						id = int32(len(x.literals))
						literalID[l] = id
						x.literals = append(x.literals, l)
					}
					ids[j] = id
				}
				litSets = append(litSets, ids)
			}
			res = append(res, filteredRegexpOwned{filteredRegexp: re, source: len(m.phrases) + i, litSets: litSets, needsNonASCII: nonASCII})
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
func (x *patternIndex) match(padded string, ms *matchScratch) []patternHit {
	hits := ms.hits[:0]
	if cap(ms.found) < len(x.literals) {
		ms.found = make([]uint8, len(x.literals))
	}
	found := ms.found[:len(x.literals)]
	clear(found)
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
			if !x.mayMatch(re.litSets, bare, found) {
				continue
			}
			if loc := re.re.FindStringIndex(bare); loc != nil {
				better(owner, re.source, max(1, utf8.RuneCountInString(bare[loc[0]:loc[1]])))
			}
		}
	}
	ms.hits = hits
	return hits
}

// mayMatch is filteredRegexp.find's prefilter over the cached literal
// searches: every set must have a literal in text.
func (x *patternIndex) mayMatch(sets [][]int32, text string, found []uint8) bool {
	for _, set := range sets {
		hit := false
		for _, id := range set {
			if found[id] == 0 {
				found[id] = 2
				if strings.Contains(text, x.literals[id]) {
					found[id] = 1
				}
			}
			if found[id] == 1 {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}
