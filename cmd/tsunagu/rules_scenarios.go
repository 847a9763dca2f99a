package main

import (
	"bytes"
	"fmt"

	"tsunagu/handoff"
	"tsunagu/handoff/training"
)

// Scenario files are recognised by their top-level "scenario:" key. A
// scenario that parses is then played headless through handoff/training
// with the live bot, to prove it plays.
func init() {
	fileCheckers = append(fileCheckers, fileChecker{kind: "scenario", topKey: training.TopKey, check: checkScenarioFile})
}

// checkRulesFile is the bot rules file scenario checks play against: the
// --rules of the running command ("" means the built-in rules).
var checkRulesFile string

func checkScenarioFile(name string, data []byte) []string {
	if p := training.Check(name, data); len(p) > 0 {
		return p
	}
	sc, err := training.Load(name, data)
	if err != nil {
		return []string{fmt.Sprintf("%s:1: %s", name, err)}
	}
	rig, err := trainRig(checkRulesFile)
	if err != nil {
		return []string{fmt.Sprintf("%s:1: cannot play the scenario: %s", name, err)}
	}
	line := topKeyLine(data, "opening")
	var out []string
	for _, p := range training.Rehearse(sc, rig) {
		out = append(out, fmt.Sprintf("%s:%d: scenario %s %s", name, line, sc.ID, p))
	}
	return out
}

// trainRig is the live bot for headless plays of scenarios.
func trainRig(rulesFile string) (training.Rig, error) {
	engine, err := trainEngine(rulesFile)
	if err != nil {
		return training.Rig{}, err
	}
	return training.Rig{
		NewBot: func(sc *training.Scenario, lang string) training.Bot {
			return engine.NewConversation("training-"+sc.ID, sc.BotFacts(lang))
		},
		Knowledge: handoff.NewRulesKnowledge(engine.Rules()),
		Rules:     engine.Rules(),
	}, nil
}

// topKeyLine is the 1-based line of the first "key:" at any indentation, or 1.
func topKeyLine(data []byte, key string) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte(key+":")) {
			return i + 1
		}
	}
	return 1
}
