package training

import (
	"strings"
	"testing"

	"tsunagu/handoff"
)

func testRig() Rig {
	return Rig{NewBot: func(sc *Scenario, lang string) Bot {
		return realEngine().NewConversation("rehearse-"+sc.ID, sc.BotFacts(lang))
	}, Knowledge: handoff.NewRulesKnowledge(realEngine().Rules()), Rules: realEngine().Rules(), Start: testStart}
}

func TestRehearseBuiltinsPlay(t *testing.T) {
	for _, sc := range testBuiltins() {
		t.Run(sc.ID, func(t *testing.T) {
			if p := Rehearse(sc, testRig()); len(p) > 0 {
				t.Fatalf("a built-in scenario does not play: %v", p)
			}
		})
	}
}

func TestRehearseFindsScenariosThatDoNotPlay(t *testing.T) {
	base := builtin(t, "parcel-not-arrived")
	tests := []struct {
		name   string
		change func(sc *Scenario)
		want   string
	}{
		{"opening never escalates", func(sc *Scenario) {
			sc.Opening.EN, sc.Opening.JA = []string{"Hello"}, []string{"こんにちは"}
		}, "did not hand"},
		{"step without example", func(sc *Scenario) {
			sc.Resolution.Steps = append(sc.Resolution.Steps, ResolutionStep{ID: "blank"})
		}, "no example sentence"},
		{"step not understood from its example", func(sc *Scenario) {
			st := sc.Resolution.Steps[0]
			st.ID = "nonsense"
			st.Examples.EN, st.Examples.JA = []string{"xq zv"}, []string{"ぬぬぬ"}
			sc.Resolution.Steps = append(sc.Resolution.Steps, st)
		}, "not understood"},
		{"no bot", nil, "no bot"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := *base
			sc.Resolution.Steps = append([]ResolutionStep(nil), base.Resolution.Steps...)
			rig := testRig()
			if tc.change != nil {
				tc.change(&sc)
			} else {
				rig.NewBot = nil
			}
			p := Rehearse(&sc, rig)
			if len(p) == 0 || !strings.Contains(strings.Join(p, "\n"), tc.want) {
				t.Fatalf("problems = %q, want one with %q", p, tc.want)
			}
		})
	}
}
