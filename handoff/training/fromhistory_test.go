package training

import "testing"

// The generic steps of scenarios made from history have enough examples in
// both languages for every topic group, and a default.
func TestFromHistoryExamples(t *testing.T) {
	steps := fromHistorySteps()
	for _, g := range []string{"orders", "delivery", "payment", "refunds", "account", "security", "membership", "default"} {
		fix := steps.Fixes[g]
		if len(fix.EN) < 3 || len(fix.JA) < 3 {
			t.Errorf("group %s: %d English and %d Japanese examples, want at least 3 each", g, len(fix.EN), len(fix.JA))
		}
	}
	if len(steps.NextStep.EN) < 3 || len(steps.NextStep.JA) < 3 {
		t.Errorf("next_step: %d English and %d Japanese examples", len(steps.NextStep.EN), len(steps.NextStep.JA))
	}
}
