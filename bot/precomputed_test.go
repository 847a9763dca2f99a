package bot

import (
	"bytes"
	"reflect"
	"testing"
)

// TestPrecomputedMatchesTraining: the embedded rules/default.model is
// exactly what training the default rules gives now. If this fails, run
// `go generate ./bot` and commit rules/default.model.
func TestPrecomputedMatchesTraining(t *testing.T) {
	fresh, err := BuildPrecomputed()
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := rulesFS.ReadFile("rules/default.model")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, embedded) {
		t.Fatalf("rules/default.model (%d bytes) differs from a fresh training (%d bytes): run go generate ./bot", len(embedded), len(fresh))
	}
	if loadPrecomputed() == nil {
		t.Fatal("rules/default.model does not decode")
	}
	if e := testEngine(t); precomputedFor(e.rules) == nil {
		t.Fatal("the default engine does not use the precomputed models")
	}
}

// TestPrecomputedOnlyForItsRules: rules that differ from the default by
// one character are trained, not given the default's model.
func TestPrecomputedOnlyForItsRules(t *testing.T) {
	data := append(DefaultRulesYAML(), "\n# changed\n"...)
	r, err := LoadRules("changed", data)
	if err != nil {
		t.Fatal(err)
	}
	if precomputedFor(r) != nil {
		t.Fatal("changed rules were given the default rules' models")
	}
	if _, err := decodePrecomputed([]byte("tsunagu-precomputed-1\nshort")); err == nil {
		t.Fatal("a damaged file decodes")
	}
}

// TestDefaultRulesStrict: the embedded rules, which DefaultRules reads
// without the check for unknown keys, pass it, and both readings agree.
func TestDefaultRulesStrict(t *testing.T) {
	strict, err := LoadRules(DefaultRulesName, DefaultRulesYAML())
	if err != nil {
		t.Fatal(err)
	}
	fast := DefaultRules()
	if !reflect.DeepEqual(strict, fast) {
		t.Fatal("the default rules read strictly and read fast differ")
	}
}
