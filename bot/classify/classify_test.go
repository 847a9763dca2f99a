package classify

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// outcomeExamples is a small label set in both languages, as a caller would
// write one.
var outcomeExamples = []Example{
	{Label: "refund", Text: "I want a refund", Lang: "en"},
	{Label: "refund", Text: "please give me my money back", Lang: "en"},
	{Label: "refund", Text: "can I get a refund for this", Lang: "en"},
	{Label: "refund", Text: "refund the order please", Lang: "en"},
	{Label: "refund", Text: "返金してください", Lang: "ja"},
	{Label: "refund", Text: "お金を返してほしいです", Lang: "ja"},
	{Label: "refund", Text: "返金をお願いします", Lang: "ja"},
	{Label: "replacement", Text: "please send a replacement", Lang: "en"},
	{Label: "replacement", Text: "I'd like to exchange it for a new one", Lang: "en"},
	{Label: "replacement", Text: "can you replace the broken one", Lang: "en"},
	{Label: "replacement", Text: "send me a new one instead", Lang: "en"},
	{Label: "replacement", Text: "交換してください", Lang: "ja"},
	{Label: "replacement", Text: "新しいものと取り替えてほしい", Lang: "ja"},
	{Label: "replacement", Text: "交換をお願いします", Lang: "ja"},
	{Label: "none", Text: "the parcel never arrived", Lang: "en"},
	{Label: "none", Text: "it stopped working after a day", Lang: "en"},
	{Label: "none", Text: "where is my order", Lang: "en"},
	{Label: "none", Text: "the box was damaged", Lang: "en"},
	{Label: "none", Text: "荷物が届きません", Lang: "ja"},
	{Label: "none", Text: "電源が入りません", Lang: "ja"},
	{Label: "none", Text: "箱がつぶれていました", Lang: "ja"},
}

var smallOptions = Options{Epochs: 40, Rate: 4}

func trainOutcomes(t testing.TB) *Model {
	t.Helper()
	m, err := Train(outcomeExamples, smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestClassifyHeldOut(t *testing.T) {
	m := trainOutcomes(t)
	tests := []struct{ text, lang, want string }{
		{"I'd like a refund please", "en", "refund"},
		{"Could I have my money back?", "en", "refund"},
		{"Please exchange it for another one", "en", "replacement"},
		{"Can you send a new one?", "en", "replacement"},
		{"My parcel has not arrived", "en", "none"},
		{"返金してほしいです", "ja", "refund"},
		{"別の商品と交換してほしい", "ja", "replacement"},
		{"まだ荷物が届いていません", "ja", "none"},
		{"ＲＥＦＵＮＤ　ＰＬＥＡＳＥ", "en", "refund"},   // full-width, folded by Normalize
		{"I want a refnud", "en", "refund"}, // a typo of a known word
	}
	for _, tt := range tests {
		r := m.Classify(tt.text, "en")
		if r.Top().Label != tt.want || r.Lang != tt.lang {
			t.Errorf("Classify(%q) = %s (%s), want %s (%s); %v", tt.text, r.Top().Label, r.Lang, tt.want, tt.lang, r.Scores)
		}
	}
}

func TestClassifyResult(t *testing.T) {
	m := trainOutcomes(t)
	r := m.Classify("I want a refund", "ja")
	if len(r.Scores) != 3 {
		t.Fatalf("scores = %v; want all three labels", r.Scores)
	}
	sum := 0.0
	for i, s := range r.Scores {
		sum += s.Score
		if i > 0 && s.Score > r.Scores[i-1].Score {
			t.Errorf("scores not best first: %v", r.Scores)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("scores sum to %v", sum)
	}
	if r.Coverage != 1 || r.Margin() <= 0 || r.Lang != "en" {
		t.Errorf("a sentence of the examples: coverage %v, margin %v, lang %s", r.Coverage, r.Margin(), r.Lang)
	}
	// Nothing known: every label scores the same and keeps the labels'
	// order; no letters: the fallback language.
	r = m.Classify("42 !!", "ja")
	want := []Scored{{"refund", 1.0 / 3}, {"replacement", 1.0 / 3}, {"none", 1.0 / 3}}
	if !reflect.DeepEqual(r.Scores, want) || r.Coverage != 0 || r.Lang != "ja" || r.Margin() != 0 {
		t.Errorf("unknown text: %+v", r)
	}
	if got := m.Labels(); !slices.Equal(got, []string{"refund", "replacement", "none"}) {
		t.Errorf("Labels() = %v; want the order of first appearance", got)
	}
}

func TestOptionsLabelsFixTheOrder(t *testing.T) {
	m, err := Train(outcomeExamples, Options{Labels: []string{"none", "repair", "replacement", "refund"}})
	if err != nil {
		t.Fatal(err)
	}
	r := m.Classify("zzz", "en")
	var got []string
	for _, s := range r.Scores {
		got = append(got, s.Label)
	}
	// "repair" has no examples; it is still a label.
	if !slices.Equal(got, []string{"none", "repair", "replacement", "refund"}) {
		t.Fatalf("ties keep Options.Labels order: %v", got)
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	a, b := trainOutcomes(t), trainOutcomes(t)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two trainings on the same examples differ")
	}
	// A different seed visits the examples in another order: the weights
	// differ, which shows the seed is what fixes them.
	c, err := Train(outcomeExamples, Options{Epochs: 40, Rate: 4, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.weights, c.weights) {
		t.Fatal("the seed changes nothing")
	}
}

// TestDuplicatesWeigh: an example given twice is one example of weight 2.
func TestDuplicatesWeigh(t *testing.T) {
	twice := append(slices.Clone(outcomeExamples), Example{Label: "refund", Text: "I want a REFUND!", Lang: "en"})
	weighted := slices.Clone(outcomeExamples)
	weighted[0].Weight = 2
	a, err := Train(twice, smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(weighted, smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("a repeated example and a weight of 2 train differently")
	}
}

func TestTrainRefuses(t *testing.T) {
	one := []Example{{Label: "a", Text: "hello"}}
	tests := []struct {
		name     string
		examples []Example
		opts     Options
		index    int // the example blamed, -1 for none
		want     string
	}{
		{"no examples", nil, Options{}, -1, "no examples"},
		{"no label", []Example{{Text: "hi"}}, Options{}, 0, "no label"},
		{"label not listed", []Example{{Label: "a", Text: "hi"}, {Label: "b", Text: "yo"}}, Options{Labels: []string{"a"}}, 1, `label "b" is not in Options.Labels`},
		{"label listed twice", one, Options{Labels: []string{"a", "a"}}, -1, "listed twice"},
		{"empty label listed", one, Options{Labels: []string{""}}, -1, "empty label"},
		{"Japanese filed as English", []Example{{Label: "a", Text: "返金してください", Lang: "en"}}, Options{}, 0, "reads as ja"},
		{"English filed as Japanese", []Example{{Label: "a", Text: "refund", Lang: "ja"}}, Options{}, 0, "reads as en"},
		{"unknown language", []Example{{Label: "a", Text: "remboursement", Lang: "fr"}}, Options{}, 0, "must be en or ja"},
		{"weight not a number", []Example{{Label: "a", Text: "hi", Weight: math.NaN()}}, Options{}, 0, "not a number"},
		{"negative epochs", one, Options{Epochs: -1}, -1, "must not be negative"},
		{"infinite rate", one, Options{Rate: math.Inf(1)}, -1, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Train(tt.examples, tt.opts)
			if err == nil || m != nil {
				t.Fatalf("Train = %v, %v; want an error", m, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			var ee *ExampleError
			if got := -1; errors.As(err, &ee) {
				got = ee.Index
				if got != tt.index {
					t.Errorf("blames example %d, want %d", got, tt.index)
				}
			} else if tt.index >= 0 {
				t.Errorf("error %q names no example; want example %d", err, tt.index)
			}
		})
	}
}

func TestReadingFeatures(t *testing.T) {
	m := trainOutcomes(t)
	r := m.Read(Normalize("please refund me"), true)
	defer r.Release()
	refund := slices.Index(m.Labels(), "refund")
	if r.Ranked()[0] != refund {
		t.Fatalf("ranked %v, probs %v; want refund first", r.Ranked(), r.Probs)
	}
	fs := r.Features(refund, 3)
	if len(fs) == 0 || len(fs) > 3 || fs[0].Name != "word:refund" {
		t.Fatalf("features for refund = %v; want word:refund strongest", fs)
	}
	for i := 1; i < len(fs); i++ {
		if fs[i].Weight > fs[i-1].Weight {
			t.Errorf("features not strongest first: %v", fs)
		}
	}
	plain := m.Read("please refund me", false)
	defer plain.Release()
	if plain.Features(refund, 3) != nil {
		t.Error("a reading without explain has no feature names to give")
	}
}

func TestCorrect(t *testing.T) {
	m, err := Train([]Example{
		{Label: "a", Text: "order order order"}, {Label: "b", Text: "refund refund refund"},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{"ordr": "order", "refnud": "refund", "order": "order", "xyzzy": "xyzzy", "in": "in"} {
		if got := m.Correct(in); got != want {
			t.Errorf("Correct(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestConcurrentClassify: a model is shared read-only, and readings come
// from a pool; run under -race.
func TestConcurrentClassify(t *testing.T) {
	m := trainOutcomes(t)
	want := m.Classify("I want a refund", "en")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				if got := m.Classify("I want a refund", "en"); !reflect.DeepEqual(got, want) {
					t.Errorf("concurrent Classify = %v; want %v", got, want)
					return
				}
				m.Classify("交換してください", "ja")
			}
		})
	}
	wg.Wait()
}

func TestNormalizeAndDetect(t *testing.T) {
	tests := []struct{ in, norm, lang string }{
		{"Where IS my Order?", "where is my order", "en"},
		{"ｷｬﾝｾﾙしたい", "きゃんせるしたい", "ja"},
		{"I can't log in", "i cant log in", "en"},
		{"my 注文", "my 注文", "ja"},
		{"¥1,200", "1 200", "ja"},
		{"", "", "ja"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.norm {
			t.Errorf("Normalize(%q) = %q; want %q", tt.in, got, tt.norm)
		}
		if got := DetectLanguage(tt.in, "ja"); got != tt.lang {
			t.Errorf("DetectLanguage(%q, ja) = %q; want %q", tt.in, got, tt.lang)
		}
	}
}

func TestClauses(t *testing.T) {
	tests := map[string][]string{
		"It leaks from the bottom, I need a replacement before Friday.": {"It leaks from the bottom", "I need a replacement before Friday"},
		"電源を入れても動きません。返金してください。":                                        {"電源を入れても動きません", "返金してください"},
		"Version 3.5 on amazon.co.jp broke!! Help?":                     {"Version 3.5 on amazon.co.jp broke", "Help"},
		"one\ntwo；three…":       {"one", "two", "three"},
		"  ":                    nil,
		"":                      nil,
		"no punctuation at all": {"no punctuation at all"},
	}
	for in, want := range tests {
		got := slices.Collect(Clauses(in))
		if !slices.Equal(got, want) {
			t.Errorf("Clauses(%q) = %q; want %q", in, got, want)
		}
	}
	// Stopping early is allowed.
	for range Clauses("a, b, c") {
		break
	}
}

func BenchmarkClassifySmallSet(b *testing.B) {
	m := trainOutcomes(b)
	texts := []string{"The kettle leaks from the bottom", "I need a replacement before Friday", "返金してください", "荷物がまだ届きません"}
	for i := 0; b.Loop(); i++ {
		m.Classify(texts[i%len(texts)], "en")
	}
}
