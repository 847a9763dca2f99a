// Package lane runs a Bubble Tea app's jobs on serial lanes: one per
// stateful domain object whose calls must keep their order (a conversation
// engine, a seat at the shared desk). A lane is a plain value inside the
// model; only Update pushes and pops, so it needs no lock.
package lane

import tea "charm.land/bubbletea/v2"

// ID names a lane of an app.
type ID int

// DoneMsg carries the result of one lane job back to Update, which hands
// Msg on and then calls Next on the lane.
type DoneMsg struct {
	Lane ID
	Msg  tea.Msg
}

// Lane runs jobs one at a time in the order they were pushed.
type Lane struct {
	id    ID
	busy  bool
	queue []func() tea.Msg
}

// New is an idle lane named id.
func New(id ID) Lane { return Lane{id: id} }

// Busy reports that a job is running or waiting.
func (l *Lane) Busy() bool { return l.busy }

// Push returns a command that runs job now, or queues job behind the one
// running (then the command is nil).
func (l *Lane) Push(job func() tea.Msg) tea.Cmd {
	if l.busy {
		l.queue = append(l.queue, job)
		return nil
	}
	l.busy = true
	return l.run(job)
}

// Next is called when a job's result arrived; it starts the next job.
func (l *Lane) Next() tea.Cmd {
	if len(l.queue) == 0 {
		l.busy = false
		return nil
	}
	job := l.queue[0]
	l.queue = l.queue[1:]
	return l.run(job)
}

func (l *Lane) run(job func() tea.Msg) tea.Cmd {
	id := l.id
	return func() tea.Msg { return DoneMsg{Lane: id, Msg: job()} }
}
