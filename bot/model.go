package bot

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
)

// example is one labelled training utterance, already normalised.
type example struct {
	text   string
	intent int
	// weight counts how many times the example was given (duplicates are
	// merged, hand-written examples weigh example_weight); it scales the
	// example's update, which is cheaper than visiting it again.
	weight float64
}

// model is a multinomial logistic regression over hashed word, word-pair and
// character n-gram features. It is trained when the rules are loaded, from
// the rules' example utterances, with a fixed seed, so the same rules always
// give the same weights.
type model struct {
	nClass  int
	rows    map[uint64]int32 // feature hash → row in weights
	weights []float32        // row-major: rows × nClass
	bias    []float32
	typos   *typoCorrector
	// probes holds every coverage probe (Japanese trigram) of the examples.
	probes map[uint64]struct{}
}

// trainOptions are the knobs of training. They are fixed in code, not in the
// rules, because they are engineering choices, not policy.
type trainOptions struct {
	epochs int
	rate   float64
	seed   uint64
}

var defaultTrainOptions = trainOptions{epochs: 4, rate: 0.5, seed: 20261126}

// trainModel fits the weights. It is deterministic: examples are visited in a
// seeded shuffled order.
func trainModel(examples []example, nClass int, opt trainOptions) *model {
	m := &model{nClass: nClass, rows: map[uint64]int32{}, bias: make([]float32, nClass), probes: map[uint64]struct{}{}}
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
	rng := rand.New(rand.NewPCG(opt.seed, opt.seed^0x9e3779b97f4a7c15))
	probs := make([]float64, nClass)
	for epoch := range opt.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := opt.rate / (1 + float64(epoch))
		for _, i := range order {
			ids := encoded[i]
			if len(ids) == 0 {
				continue
			}
			x := 1 / math.Sqrt(float64(len(ids)))
			m.scoreIDs(ids, x, probs)
			softmax(probs)
			gold := examples[i].intent
			for c := range nClass {
				g := probs[c]
				if c == gold {
					g -= 1
				}
				if g > -1e-4 && g < 1e-4 {
					continue
				}
				step := float32(rate * g * max(1, examples[i].weight))
				// no bias update: a bias learnt from the large English corpus would pull Japanese messages towards its biggest intents
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
func (m *model) scoreIDs(ids []int32, x float64, out []float64) {
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

// scored is the model's view of one message.
type scored struct {
	probs []float64 // per class, summing to 1
	known int       // features the model has weights for
	total int       // features in the message
	// probesKnown of probesTotal coverage probes were seen in the examples.
	probesKnown, probesTotal int
	features                 featureSet
	ids                      []int32 // rows of the known features, parallel to knownAt
	knownAt                  []int   // index into features of each known feature
}

// scratch holds the buffers of one classification, recycled through
// scratchPool: classifying allocates little, which keeps the garbage
// collector (and the latency tail) quiet.
type scratch struct {
	hashes  []uint64
	probes  []uint64
	ids     []int32
	knownAt []int
	probs   []float64
	order   []int32 // classes, best first
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// score classifies normalised text. The result's slices live in sc and are
// valid until sc goes back to the pool.
func (m *model) score(normalised string, explain bool, sc *scratch) scored {
	fs := extractFeaturesInto(sc.hashes, sc.probes, normalised, m.typos.correct, explain)
	sc.hashes, sc.probes = fs.hashes, fs.probes
	if cap(sc.probs) < m.nClass {
		sc.probs = make([]float64, m.nClass)
	}
	s := scored{features: fs, total: len(fs.hashes), probesTotal: len(fs.probes), probs: sc.probs[:m.nClass]}
	for _, h := range fs.probes {
		if _, ok := m.probes[h]; ok {
			s.probesKnown++
		}
	}
	ids, knownAt := sc.ids[:0], sc.knownAt[:0]
	for i, h := range fs.hashes {
		if id, ok := m.rows[h]; ok {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
				knownAt = append(knownAt, i)
			}
		}
	}
	sc.ids, sc.knownAt = ids, knownAt
	s.ids, s.knownAt = ids, knownAt
	s.known = len(ids)
	if len(ids) == 0 {
		for c := range s.probs {
			s.probs[c] = 1 / float64(m.nClass)
		}
		return s
	}
	m.scoreIDs(ids, 1/math.Sqrt(float64(len(fs.hashes))), s.probs)
	softmax(s.probs)
	return s
}

// topFeatures returns the n features that pushed class c up the most.
func (m *model) topFeatures(s scored, c, n int) []Feature {
	if len(s.features.names) == 0 {
		return nil
	}
	var out []Feature
	x := 1 / math.Sqrt(float64(max(1, s.total)))
	for k, id := range s.ids {
		w := float64(m.weights[int(id)*m.nClass+c]) * x
		if w > 0 {
			out = append(out, Feature{Name: s.features.names[s.knownAt[k]], Weight: math.Round(w*1000) / 1000})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Weight > out[j].Weight })
	if len(out) > n {
		out = out[:n]
	}
	return out
}
