package tui

import "tsunagu/tui/internal/lane"

// The app's lanes (see tui/internal/lane).
const (
	// laneEngine runs the conversation engine's calls in the order the
	// customer made them (the engine writes the store, asks the bot and
	// drives the desk inside each call).
	laneEngine lane.ID = iota
	laneCount
)
