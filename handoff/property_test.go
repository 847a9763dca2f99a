package handoff

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestSimulationProperties checks, over random loads, pools and fault rates,
// what must hold for any run: every chat is accounted for once, nobody is
// asked twice, service levels and percentiles are ordered, and utilisation is
// a share.
func TestSimulationProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := SimConfig{
			ArrivalsPerHour: rapid.Float64Range(1, 120).Draw(t, "arrivals"),
			Duration:        time.Duration(rapid.IntRange(1, 24).Draw(t, "hours")) * time.Hour,
			Seed:            rapid.Uint64().Draw(t, "seed"),
		}
		if rapid.Bool().Draw(t, "abandon") {
			cfg.Patience = time.Duration(rapid.IntRange(10, 1200).Draw(t, "patience_s")) * time.Second
		}
		if rapid.Bool().Draw(t, "pool") {
			cfg.Pool = DefaultPool()
			cfg.Knowledge = testKnowledge
			cfg.Intents = []string{"get_refund", "track_order", "account_security", "complaint"}
			cfg.NativeOnlyShare = rapid.Float64Range(0, 1).Draw(t, "native_only")
			cfg.Faults = &Faults{LineFault: rapid.Float64Range(0, 0.4).Draw(t, "line"), Timeout: rapid.Float64Range(0, 0.4).Draw(t, "timeout")}
		} else {
			cfg.Agents = rapid.IntRange(1, 30).Draw(t, "agents")
			cfg.Handle = HandleTime{Dist: rapid.SampledFrom([]Dist{DistExp, DistLognormal, DistFixed}).Draw(t, "dist"),
				Mean: time.Duration(rapid.IntRange(10, 1800).Draw(t, "handle_s")) * time.Second, Sigma: 0.7}
		}
		r, err := Simulate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		waiting := r.Offered - r.Answered - r.Abandoned
		if waiting < 0 || r.Resolved > r.Answered || r.InSystemAtEnd != waiting+(r.Answered-r.Resolved) {
			t.Fatalf("chats do not add up: %+v", r)
		}
		if r.RepeatQuestions != 0 || r.Anomalies != 0 {
			t.Fatalf("repeats %d, anomalies %d", r.RepeatQuestions, r.Anomalies)
		}
		if cfg.Patience == 0 && r.Abandoned != 0 {
			t.Fatalf("%d abandoned without a patience limit", r.Abandoned)
		}
		sl := r.ServiceLevel
		if sl["20s"] > sl["60s"] || sl["60s"] > sl["120s"] || sl["120s"] > 1 || r.WaitP50 > r.WaitP90 || r.PWait < 0 || r.PWait > 1 {
			t.Fatalf("out of order: %+v", r)
		}
		if r.Utilisation < 0 || r.Utilisation > 1.0001 {
			t.Fatalf("utilisation %v", r.Utilisation)
		}
	})
}
