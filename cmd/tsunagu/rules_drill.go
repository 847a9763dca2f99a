package main

import "tsunagu/handoff/training"

// Drill files (for `train drill --file`) are recognised by their top-level
// "drill:" key and checked with the drill loader.
func init() {
	fileCheckers = append(fileCheckers, fileChecker{kind: "drill", topKey: training.DrillTopKey, check: training.CheckDrill})
}
