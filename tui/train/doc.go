// Package train is the trainee app, "tsunagu train": Model is its root
// tea.Model, and its pages are the scenario list, the session (bot stage,
// handoff packet, chat with the simulated customer, mood meter and the
// trainee's actions), the scorecard and the escalation drill. The pages are
// plain structs with SetSize, View and, where they take keys, Update; only
// the root builds the tea.View. All domain logic lives in handoff/training.
package train
