package bot

import (
	"strings"
)

// typoCorrector maps an unknown English word to the most frequent known word
// one edit away (a deletion, insertion, substitution or adjacent swap), in
// the manner of a symmetric-delete spelling corrector. "ordr" → "order",
// "deleet" → "delete". It is built from the example utterances, so it only
// ever corrects towards the shop's own vocabulary.
type typoCorrector struct {
	count   map[string]int    // known word → frequency
	deletes map[string]string // word with one letter deleted → best known word
}

// Words shorter than this are left alone: too many short words are one edit
// apart ("in"/"it"/"is").
const minTypoLen = 4

func newTypoCorrector(examples []example) *typoCorrector {
	t := &typoCorrector{count: map[string]int{}, deletes: map[string]string{}}
	for _, ex := range examples {
		for _, seg := range segments(ex.text) {
			if !seg.ja {
				t.count[seg.text]++
			}
		}
	}
	for w, n := range t.count {
		if len(w) < minTypoLen || n < 3 || !isASCII(w) {
			continue
		}
		for i := range len(w) {
			d := w[:i] + w[i+1:]
			if best, ok := t.deletes[d]; !ok || t.better(w, best) {
				t.deletes[d] = w
			}
		}
	}
	return t
}

// better orders candidates by frequency, then alphabetically, so the choice
// never depends on map iteration order.
func (t *typoCorrector) better(a, b string) bool {
	if t.count[a] != t.count[b] {
		return t.count[a] > t.count[b]
	}
	return a < b
}

func (t *typoCorrector) correct(w string) string {
	if t == nil || len(w) < minTypoLen || t.count[w] > 0 || !isASCII(w) || strings.ContainsAny(w, "0123456789") {
		return w
	}
	best := ""
	consider := func(c string) {
		if c != "" && (best == "" || t.better(c, best)) {
			best = c
		}
	}
	// A letter missing from the typed word: "ordr" is a delete of "order".
	consider(t.deletes[w])
	for i := range len(w) {
		d := w[:i] + w[i+1:]
		// An extra letter: "deleete" minus one letter is "delete".
		if t.count[d] >= 3 && len(d) >= minTypoLen {
			consider(d)
		}
		// A wrong or swapped letter: both share a delete.
		consider(t.deletes[d])
	}
	if best == "" {
		return w
	}
	return best
}
