package classify

import (
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var fuzzModel = sync.OnceValue(func() *Model {
	m, err := Train(outcomeExamples, smallOptions)
	if err != nil {
		panic(err)
	}
	return m
})

// FuzzClassify: any text, however hostile, is read without a panic, the same
// way twice, into finite scores that sum to 1, best first; and training on
// it as one more example is deterministic too. Seeds are in
// testdata/fuzz/FuzzClassify.
func FuzzClassify(f *testing.F) {
	f.Add("I want a refund")
	f.Fuzz(func(t *testing.T, text string) {
		m := fuzzModel()
		r := m.Classify(text, "en")
		if again := m.Classify(text, "en"); !reflect.DeepEqual(r, again) {
			t.Fatalf("Classify(%q) differs between two calls: %+v, %+v", text, r, again)
		}
		checkResult(t, m, text, r)

		n := Normalize(text)
		if !utf8.ValidString(n) || n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8 or stray spaces", text, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize is not idempotent: %q → %q → %q", text, n, again)
		}
		for c := range Clauses(text) {
			if c == "" || c != strings.TrimSpace(c) || !strings.Contains(text, c) {
				t.Fatalf("Clauses(%q) yields %q", text, c)
			}
		}

		examples := append(outcomeExamples[:len(outcomeExamples):len(outcomeExamples)], Example{Label: "fuzz", Text: text})
		a, errA := Train(examples, Options{Epochs: 2})
		b, errB := Train(examples, Options{Epochs: 2})
		if (errA == nil) != (errB == nil) || errA == nil && !reflect.DeepEqual(a, b) {
			t.Fatalf("training with %q is not deterministic", text)
		}
		if errA != nil {
			t.Fatalf("training with %q: %v", text, errA)
		}
		checkResult(t, a, text, a.Classify(text, "ja"))
	})
}

func checkResult(t *testing.T, m *Model, text string, r Result) {
	t.Helper()
	if len(r.Scores) != len(m.labels) {
		t.Fatalf("Classify(%q) scores %d labels of %d", text, len(r.Scores), len(m.labels))
	}
	sum := 0.0
	for i, s := range r.Scores {
		if math.IsNaN(s.Score) || math.IsInf(s.Score, 0) || s.Score < 0 || s.Score > 1 {
			t.Fatalf("Classify(%q): score %v of %s", text, s.Score, s.Label)
		}
		if i > 0 && s.Score > r.Scores[i-1].Score {
			t.Fatalf("Classify(%q): scores not best first: %v", text, r.Scores)
		}
		sum += s.Score
	}
	if math.Abs(sum-1) > 1e-6 {
		t.Fatalf("Classify(%q): scores sum to %v", text, sum)
	}
	if r.Coverage < 0 || r.Coverage > 1 || math.IsNaN(r.Coverage) {
		t.Fatalf("Classify(%q): coverage %v", text, r.Coverage)
	}
	if r.Lang != "en" && r.Lang != "ja" {
		t.Fatalf("Classify(%q): language %q", text, r.Lang)
	}
}
