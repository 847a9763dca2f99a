package main

import "tsunagu/handoff"

// Operator pool files are recognised by their top-level "operators:" key.
func init() {
	fileCheckers = append(fileCheckers, fileChecker{kind: "operators", topKey: "operators", check: handoff.CheckPool})
}
