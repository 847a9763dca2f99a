package classify

import (
	"strings"
)

// typoCorrector maps an unknown English word to the most frequent known word
// one edit away (a deletion, insertion, substitution or adjacent swap), in
// the manner of a symmetric-delete spelling corrector. "ordr" → "order",
// "deleet" → "delete". It is built from the training examples, so it only
// ever corrects towards their own vocabulary.
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
		for seg := range segments(ex.text) {
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

// rareCount: a known word seen fewer times than this may itself be a typo
// (the bot's example corpus has its own: "ordr", "acount"), and is corrected when a
// neighbour is far more frequent.
const rareCount = 3

// correct returns the word to use for w: itself, the most frequent known word
// one edit away, or two known words when w is two run together ("toclose" →
// "to close").
func (t *typoCorrector) correct(w string) string {
	if t == nil || len(w) < minTypoLen || !isASCII(w) || strings.ContainsAny(w, "0123456789") {
		return w
	}
	n := t.count[w]
	if n >= rareCount {
		return w
	}
	best := ""
	consider := func(c string) {
		if c != "" && c != w && (best == "" || t.better(c, best)) {
			best = c
		}
	}
	// A letter missing from the typed word: "ordr" is a delete of "order".
	consider(t.deletes[w])
	// The deletes are built in a stack buffer: map lookups with string(d)
	// don't allocate, and this runs for every unknown word of every message.
	var buf [64]byte
	for i := range len(w) {
		d := append(append(buf[:0], w[:i]...), w[i+1:]...)
		// An extra letter: "deleete" minus one letter is "delete".
		if t.count[string(d)] >= rareCount && len(d) >= minTypoLen {
			consider(string(d))
		}
		// A wrong or swapped letter: both share a delete.
		consider(t.deletes[string(d)])
	}
	if best != "" && (n == 0 || t.count[best] >= 20*n) {
		return best
	}
	if n > 0 {
		return w
	}
	// Two words run together: both halves well known.
	for i := 2; i <= len(w)-2; i++ {
		a, b := w[:i], w[i:]
		if t.count[a] >= 20 && t.count[b] >= 20 {
			return a + " " + b
		}
	}
	return w
}
