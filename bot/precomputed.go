package bot

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"sync"

	"tsunagu/bot/classify"
)

// The default rules' models are trained at build time and embedded
// (rules/default.model), so the default rules are ready in milliseconds
// instead of a second of training. Regenerate after changing
// rules/default.yaml, rules/clauses.yaml, the corpus or the training code;
// TestPrecomputedMatchesTraining fails until you do.
//
//go:generate go run ./internal/genmodel rules/default.model

// precomputedMagic starts rules/default.model; the digit is its version.
const precomputedMagic = "tsunagu-precomputed-1\n"

// precomputed is what rules/default.model holds.
type precomputed struct {
	rulesSum   [32]byte // SHA-256 of the rules file the intents were trained on
	clausesSum [32]byte // SHA-256 of rules/clauses.yaml
	intents    *classify.Model
	variants   map[string]*classify.Model
	clauses    *classify.Model
}

// loadPrecomputed reads the embedded models once; nil if they cannot be
// read (the engine then trains).
var loadPrecomputed = sync.OnceValue(func() *precomputed {
	data, err := rulesFS.ReadFile("rules/default.model")
	if err != nil {
		return nil
	}
	p, err := decodePrecomputed(data)
	if err != nil {
		return nil
	}
	return p
})

// precomputedFor returns the models trained at build time when they were
// trained on exactly these rules.
func precomputedFor(r *Rules) *precomputed {
	p := loadPrecomputed()
	if p == nil || p.rulesSum != r.sum {
		return nil
	}
	return p
}

// BuildPrecomputed trains the default rules' models and returns them in
// the form embedded as rules/default.model. It is for go generate
// (internal/genmodel) and the test that checks the embedded file.
func BuildPrecomputed() ([]byte, error) {
	data := DefaultRulesYAML()
	r, err := LoadRules(DefaultRulesName, data)
	if err != nil {
		return nil, err
	}
	p := &precomputed{rulesSum: sha256.Sum256(data), clausesSum: sha256.Sum256(clausesYAML()),
		intents: trainIntents(r), variants: trainVariants(r), clauses: trainClauses()}
	return p.encode(r.variantIntents())
}

// variantIntents lists the intents with variants, in file order.
func (r *Rules) variantIntents() []string {
	var out []string
	for _, name := range r.order {
		if len(r.IntentMap[name].variantOrder) > 0 {
			out = append(out, name)
		}
	}
	return out
}

func (p *precomputed) encode(variantOrder []string) ([]byte, error) {
	b := append([]byte(precomputedMagic), p.rulesSum[:]...)
	b = append(b, p.clausesSum[:]...)
	var err error
	if b, err = p.intents.AppendBinary(b); err != nil {
		return nil, err
	}
	b = binary.AppendUvarint(b, uint64(len(variantOrder)))
	for _, name := range variantOrder {
		b = binary.AppendUvarint(b, uint64(len(name)))
		b = append(b, name...)
		if b, err = p.variants[name].AppendBinary(b); err != nil {
			return nil, err
		}
	}
	return p.clauses.AppendBinary(b)
}

var errPrecomputed = errors.New("bot: rules/default.model is damaged or of another version")

func decodePrecomputed(data []byte) (*precomputed, error) {
	if !bytes.HasPrefix(data, []byte(precomputedMagic)) || len(data) < len(precomputedMagic)+64 {
		return nil, errPrecomputed
	}
	data = data[len(precomputedMagic):]
	p := &precomputed{variants: map[string]*classify.Model{}}
	copy(p.rulesSum[:], data)
	copy(p.clausesSum[:], data[32:])
	var err error
	if p.intents, data, err = classify.Decode(data[64:]); err != nil {
		return nil, err
	}
	n, k := binary.Uvarint(data)
	if k <= 0 || n > uint64(len(data)) {
		return nil, errPrecomputed
	}
	data = data[k:]
	for range n {
		l, k := binary.Uvarint(data)
		if k <= 0 || l > uint64(len(data)-k) {
			return nil, errPrecomputed
		}
		name := string(data[k : k+int(l)])
		var m *classify.Model
		if m, data, err = classify.Decode(data[k+int(l):]); err != nil {
			return nil, err
		}
		p.variants[name] = m
	}
	if p.clauses, data, err = classify.Decode(data); err != nil {
		return nil, err
	}
	if len(data) != 0 {
		return nil, errPrecomputed
	}
	return p, nil
}
