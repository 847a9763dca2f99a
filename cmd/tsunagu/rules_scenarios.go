package main

import "tsunagu/handoff/training"

// Scenario files are recognised by their top-level "scenario:" key.
func init() {
	fileCheckers = append(fileCheckers, fileChecker{kind: "scenario", topKey: training.TopKey, check: training.Check})
}
