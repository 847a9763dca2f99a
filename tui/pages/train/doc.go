// Package train holds the trainee-mode screens: the scenario list, the
// session (bot stage, handoff packet, chat with the simulated customer, mood
// meter and the trainee's actions) and the scorecard. They are plain structs
// with SetSize, View and Update, driven by the root model in
// tui/train_app.go; all domain logic lives in handoff/training.
package train
