package tui

import tea "charm.land/bubbletea/v2"

// laneID names a serial lane: one per stateful domain object.
type laneID int

const (
	// laneEngine runs the conversation engine's calls in the order the
	// customer made them (the engine writes the store, asks the bot and
	// drives the desk inside each call).
	laneEngine laneID = iota
	laneCount
)

// laneDoneMsg carries the result of one lane job back to Update, which then
// starts the lane's next job.
type laneDoneMsg struct {
	lane laneID
	msg  tea.Msg
}

// lane runs jobs one at a time in the order they were pushed. It is a plain
// value inside the model: only Update pushes and pops, so it needs no lock.
type lane struct {
	id    laneID
	busy  bool
	queue []func() tea.Msg
}

// push returns a command that runs job now, or queues job behind the one
// running (then the command is nil).
func (l *lane) push(job func() tea.Msg) tea.Cmd {
	if l.busy {
		l.queue = append(l.queue, job)
		return nil
	}
	l.busy = true
	return l.run(job)
}

// next is called when a job's result arrived; it starts the next job.
func (l *lane) next() tea.Cmd {
	if len(l.queue) == 0 {
		l.busy = false
		return nil
	}
	job := l.queue[0]
	l.queue = l.queue[1:]
	return l.run(job)
}

func (l *lane) run(job func() tea.Msg) tea.Cmd {
	id := l.id
	return func() tea.Msg { return laneDoneMsg{lane: id, msg: job()} }
}
