package classify

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
)

// example is one training text, already normalised, with its label's index.
type example struct {
	text  string
	label int
	// weight counts how many times the example was given (duplicates are
	// merged, and a caller may weigh hand-written examples above a corpus);
	// it scales the example's update, which is cheaper than visiting it
	// again.
	weight float64
}

// Model is a multinomial logistic regression over hashed word, word-pair and
// character n-gram features (Japanese: kanji, kanji runs and character
// pairs). Train builds it from examples with a fixed seed, so the same
// examples always give the same weights. A Model is read-only once trained
// and safe for concurrent use.
type Model struct {
	labels  []string
	nClass  int
	rows    map[uint64]int32 // feature hash → row in weights
	weights []float32        // row-major: rows × nClass
	bias    []float32
	typos   *typoCorrector
	// probes holds every coverage probe (Japanese trigram) of the examples.
	probes map[uint64]struct{}
}

// trainModel fits the weights. It is deterministic: examples are visited in a
// seeded shuffled order.
func trainModel(examples []example, labels []string, opt Options) *Model {
	nClass := len(labels)
	m := &Model{labels: labels, nClass: nClass, rows: map[uint64]int32{}, bias: make([]float32, nClass), probes: map[uint64]struct{}{}}
	m.typos = newTypoCorrector(examples)
	// Encode every example once.
	encoded := make([][]int32, len(examples))
	for i, ex := range examples {
		fs := extractFeatures(ex.text, m.typos.correct, false)
		for _, h := range fs.probes {
			m.probes[h] = struct{}{}
		}
		ids := make([]int32, 0, len(fs.hashes))
		for _, h := range fs.hashes {
			id, ok := m.rows[h]
			if !ok {
				id = int32(len(m.rows))
				m.rows[h] = id
			}
			ids = append(ids, id)
		}
		slices.Sort(ids)
		encoded[i] = slices.Compact(ids)
	}
	m.weights = make([]float32, len(m.rows)*nClass)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	probs := make([]float64, nClass)
	for epoch := range opt.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := opt.Rate / (1 + float64(epoch))
		for _, i := range order {
			ids := encoded[i]
			if len(ids) == 0 {
				continue
			}
			x := 1 / math.Sqrt(float64(len(ids)))
			m.scoreIDs(ids, x, probs)
			softmax(probs)
			gold := examples[i].label
			for c := range nClass {
				g := probs[c]
				if c == gold {
					g -= 1
				}
				if g > -1e-4 && g < 1e-4 {
					continue
				}
				step := float32(rate * g * max(1, examples[i].weight))
				// no bias update: a bias learnt from a large English corpus would pull Japanese texts towards its biggest labels
				sx := step * float32(x)
				for _, id := range ids {
					m.weights[int(id)*nClass+c] -= sx
				}
			}
		}
	}
	return m
}

// scoreIDs writes the raw class scores for feature rows ids, each with value x.
func (m *Model) scoreIDs(ids []int32, x float64, out []float64) {
	for c := range out {
		out[c] = float64(m.bias[c])
	}
	for _, id := range ids {
		row := m.weights[int(id)*m.nClass : int(id+1)*m.nClass]
		for c, w := range row {
			out[c] += float64(w) * x
		}
	}
}

func softmax(v []float64) {
	maxV := math.Inf(-1)
	for _, x := range v {
		maxV = max(maxV, x)
	}
	sum := 0.0
	for i, x := range v {
		v[i] = math.Exp(x - maxV)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// Reading is a model's view of one normalised text: a probability per label
// and how much of the text the model knows. Its buffers are recycled: call
// Release when done with it, and use none of its slices afterwards. Reading
// a text allocates little, which keeps the garbage collector (and the
// latency tail of a busy bot) quiet.
type Reading struct {
	// Probs holds one probability per label, in the order of Labels,
	// summing to 1. A caller may adjust them (the bot adds its pattern
	// boosts) before calling Ranked.
	Probs []float64

	m     *Model
	known int // features the model has weights for
	total int // features in the text
	// probesKnown of probesTotal coverage probes were seen in the examples.
	probesKnown, probesTotal int
	hashes                   []uint64
	probes                   []uint64
	names                    []string // parallel to hashes; filled only when explaining
	ids                      []int32  // rows of the known features, parallel to knownAt
	knownAt                  []int    // index into hashes of each known feature
	order                    []int    // labels, best first
}

var readingPool = sync.Pool{New: func() any { return new(Reading) }}

// Read scores normalised text (the output of Normalize). explain keeps the
// features' readable names for Features.
func (m *Model) Read(normalised string, explain bool) *Reading {
	r := readingPool.Get().(*Reading)
	r.m = m
	fs := extractFeaturesInto(r.hashes, r.probes, r.names[:0], normalised, m.typos.correct, explain)
	r.hashes, r.probes, r.names = fs.hashes, fs.probes, fs.names
	if cap(r.Probs) < m.nClass {
		r.Probs = make([]float64, m.nClass)
	}
	r.Probs = r.Probs[:m.nClass]
	r.total, r.probesTotal, r.probesKnown = len(fs.hashes), len(fs.probes), 0
	for _, h := range fs.probes {
		if _, ok := m.probes[h]; ok {
			r.probesKnown++
		}
	}
	ids, knownAt := r.ids[:0], r.knownAt[:0]
	for i, h := range fs.hashes {
		if id, ok := m.rows[h]; ok {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
				knownAt = append(knownAt, i)
			}
		}
	}
	r.ids, r.knownAt = ids, knownAt
	r.known = len(ids)
	if len(ids) == 0 {
		for c := range r.Probs {
			r.Probs[c] = 1 / float64(m.nClass)
		}
		return r
	}
	m.scoreIDs(ids, 1/math.Sqrt(float64(len(fs.hashes))), r.Probs)
	softmax(r.Probs)
	return r
}

// Release returns the reading's buffers for reuse.
func (r *Reading) Release() {
	r.m = nil
	clear(r.names) // drop the strings, keep the room
	readingPool.Put(r)
}

// Coverage is the share of the text's features the model learnt from its
// examples; for Japanese, the lower of that and the share of its character
// trigrams seen in the examples. Text about something the examples never
// mention has a low coverage whatever its best label.
func (r *Reading) Coverage() float64 {
	c := 0.0
	if r.total > 0 {
		c = float64(r.known) / float64(r.total)
	}
	if r.probesTotal > 0 {
		c = min(c, float64(r.probesKnown)/float64(r.probesTotal))
	}
	return c
}

// Ranked returns the label indexes ordered by Probs as they are now, best
// first; equal scores keep the labels' order. Sorting indexes is several
// times cheaper than a stable sort of scored labels.
func (r *Reading) Ranked() []int {
	probs := r.Probs
	order := r.order[:0]
	for i := range probs {
		order = append(order, i)
	}
	r.order = order
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(probs[b], probs[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}

// Feature is one feature of a text and how much it pushed a label up.
type Feature struct {
	Name   string // kind and text, e.g. "word:refund", "ja:返金"
	Weight float64
}

// Features returns the n features that pushed label (an index into Labels)
// up the most, strongest first. It needs a reading made with explain.
func (r *Reading) Features(label, n int) []Feature {
	if len(r.names) == 0 {
		return nil
	}
	m := r.m
	var out []Feature
	x := 1 / math.Sqrt(float64(max(1, r.total)))
	for k, id := range r.ids {
		w := float64(m.weights[int(id)*m.nClass+label]) * x
		if w > 0 {
			out = append(out, Feature{Name: r.names[r.knownAt[k]], Weight: math.Round(w*1000) / 1000})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Weight > out[j].Weight })
	if len(out) > n {
		out = out[:n]
	}
	return out
}
