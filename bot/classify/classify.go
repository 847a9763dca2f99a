package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Example is one labelled text to learn from.
type Example struct {
	Label string
	Text  string
	// Lang is the language Text is written in, "en" or "ja"; empty when
	// not known. When set, Train refuses a text DetectLanguage reads as the
	// other language: a Japanese example filed under English teaches the
	// wrong thing.
	Lang string
	// Weight scales how much the example counts; the zero value, and
	// anything below 1, counts as 1. Identical examples (after Normalize)
	// are merged and their weights added.
	Weight float64
}

// Options are the knobs of training. The zero value is the bot's choice.
type Options struct {
	// Labels fixes the labels and their order (ties between equal scores
	// go to the earlier label). Empty: every label of the examples, in
	// order of first appearance. A label may have no examples.
	Labels []string
	// Epochs is how many passes training makes over the examples
	// (default 4, enough for thousands of examples; a small label set
	// wants more).
	Epochs int
	// Rate is the first epoch's learning rate (default 0.5); epoch k uses
	// Rate/(k+1).
	Rate float64
	// Seed orders the examples in each epoch (default 20261126).
	Seed uint64
}

// The bot's figures were measured with these; they are the defaults.
const (
	defaultEpochs = 4
	defaultRate   = 0.5
	defaultSeed   = 20261126
)

// ExampleError is a problem with one example, by its index in the slice
// given to Train, so a loader can point at the example's line.
type ExampleError struct {
	Index int
	Err   error
}

func (e *ExampleError) Error() string { return fmt.Sprintf("example %d: %v", e.Index+1, e.Err) }

func (e *ExampleError) Unwrap() error { return e.Err }

// Train fits a model to examples. It is deterministic: the same examples and
// options always give the same model.
func Train(examples []Example, opts Options) (*Model, error) {
	if len(examples) == 0 {
		return nil, errors.New("classify: no examples to train on")
	}
	opts, err := withDefaults(opts)
	if err != nil {
		return nil, err
	}
	labels := slices.Clone(opts.Labels)
	index := map[string]int{}
	for _, l := range labels {
		if l == "" {
			return nil, errors.New("classify: an empty label in Options.Labels")
		}
		if _, dup := index[l]; dup {
			return nil, fmt.Errorf("classify: label %q is listed twice in Options.Labels", l)
		}
		index[l] = len(index)
	}
	fixed := len(labels) > 0
	// Identical examples (after normalising) are merged into one weighted
	// example, in first-seen order, so training stays deterministic.
	type key struct {
		text  string
		label int
	}
	merged := make([]example, 0, len(examples))
	seen := make(map[key]int, len(examples))
	for i, ex := range examples {
		if ex.Label == "" {
			return nil, &ExampleError{i, errors.New("no label")}
		}
		if math.IsNaN(ex.Weight) || math.IsInf(ex.Weight, 0) {
			return nil, &ExampleError{i, fmt.Errorf("weight %v is not a number", ex.Weight)}
		}
		if ex.Lang != "" {
			if ex.Lang != "en" && ex.Lang != "ja" {
				return nil, &ExampleError{i, fmt.Errorf("language %q: it must be en or ja", ex.Lang)}
			}
			if got := DetectLanguage(ex.Text, ex.Lang); got != ex.Lang {
				return nil, &ExampleError{i, fmt.Errorf("%q is given as %s but reads as %s", ex.Text, ex.Lang, got)}
			}
		}
		c, ok := index[ex.Label]
		if !ok {
			if fixed {
				return nil, &ExampleError{i, fmt.Errorf("label %q is not in Options.Labels", ex.Label)}
			}
			c = len(labels)
			index[ex.Label] = c
			labels = append(labels, ex.Label)
		}
		k := key{Normalize(ex.Text), c}
		w := max(1, ex.Weight)
		if j, ok := seen[k]; ok {
			merged[j].weight += w
			continue
		}
		seen[k] = len(merged)
		merged = append(merged, example{text: k.text, label: c, weight: w})
	}
	return trainModel(merged, labels, opts), nil
}

func withDefaults(o Options) (Options, error) {
	if o.Epochs < 0 || o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) {
		return o, fmt.Errorf("classify: Options.Epochs (%d) and Options.Rate (%v) must not be negative", o.Epochs, o.Rate)
	}
	if o.Epochs == 0 {
		o.Epochs = defaultEpochs
	}
	if o.Rate == 0 {
		o.Rate = defaultRate
	}
	if o.Seed == 0 {
		o.Seed = defaultSeed
	}
	return o, nil
}

// Labels returns the model's labels in order; Reading.Probs and
// Reading.Features index them.
func (m *Model) Labels() []string { return slices.Clone(m.labels) }

// Correct returns what the model reads for one English word: the word
// itself, the known word it is taken to be a typo of ("ordr" → "order"), or
// two known words run together ("toclose" → "to close").
func (m *Model) Correct(word string) string { return m.typos.correct(word) }

// Scored is one label with its score.
type Scored struct {
	Label string
	Score float64
}

// Result is a model's reading of one text.
type Result struct {
	// Lang is the text's language: DetectLanguage's answer, or the
	// fallback given to Classify when the text has no letters.
	Lang string
	// Scores holds every label, best first, with scores summing to 1.
	// Equal scores keep the labels' order.
	Scores []Scored
	// Coverage is the share of the text the model knows (see
	// Reading.Coverage): with a low coverage, even the best label is a
	// guess.
	Coverage float64
}

// Top returns the best label.
func (r Result) Top() Scored {
	if len(r.Scores) == 0 {
		return Scored{}
	}
	return r.Scores[0]
}

// Margin is the gap between the two best scores: how clearly the best label
// won.
func (r Result) Margin() float64 {
	if len(r.Scores) < 2 {
		return r.Top().Score
	}
	return r.Scores[0].Score - r.Scores[1].Score
}

// Classify reads text as the bot reads a message: normalised, then scored.
// fallbackLang is reported as the language of text without letters ("?",
// "2").
func (m *Model) Classify(text, fallbackLang string) Result {
	r := m.Read(Normalize(text), false)
	defer r.Release()
	res := Result{Lang: DetectLanguage(text, fallbackLang), Coverage: r.Coverage(), Scores: make([]Scored, len(r.Probs))}
	for k, c := range r.Ranked() {
		res.Scores[k] = Scored{Label: m.labels[c], Score: r.Probs[c]}
	}
	return res
}
