package main

import (
	"fmt"
	"strings"

	"tsunagu/handoff/training"
)

// scenarioPlays plays a scenario made from a conversation headless with the
// live bot; a scenario that would not play is refused and nothing is written.
func scenarioPlays(g *globalOptions, convID string, data []byte) error {
	sc, err := training.Load("from-history", data)
	if err != nil {
		return fmt.Errorf("conversation %s does not make a valid scenario: %w", convID, err)
	}
	rig, err := trainRig(g.rulesFile)
	if err != nil {
		return err
	}
	if p := training.Rehearse(sc, rig); len(p) > 0 {
		return fmt.Errorf("conversation %s does not make a scenario that plays, so nothing was written: %s", convID, strings.Join(p, "; "))
	}
	return nil
}
