package console

import "tsunagu/tui/internal/lane"

// The console's lanes (see tui/internal/lane).
const (
	// laneSeat runs the person's calls on their seat (take, reply, ask,
	// transfer, book, close) in the order they made them.
	laneSeat lane.ID = iota
	// lanePlay runs the trainer's customer conversation's calls: the
	// engine wants them one at a time, in order.
	lanePlay
	laneCount
)
