package console

import tea "charm.land/bubbletea/v2"

// laneID names a serial lane: one per thing whose calls must keep their
// order.
type laneID int

const (
	// laneSeat runs the person's calls on their seat (take, reply, ask,
	// transfer, book, close) in the order they made them.
	laneSeat laneID = iota
	// lanePlay runs the trainer's customer conversation's calls: the
	// engine wants them one at a time, in order.
	lanePlay
	laneCount
)

// laneDoneMsg carries a lane job's result back to Update, which then
// starts the lane's next job.
type laneDoneMsg struct {
	lane laneID
	msg  tea.Msg
}

// lane runs jobs one at a time in the order they were pushed. Only Update
// pushes and pops, so it needs no lock.
type lane struct {
	id    laneID
	busy  bool
	queue []func() tea.Msg
}

// push returns a command that runs job now, or queues it behind the one
// running (the command is then nil).
func (l *lane) push(job func() tea.Msg) tea.Cmd {
	if l.busy {
		l.queue = append(l.queue, job)
		return nil
	}
	l.busy = true
	return l.run(job)
}

// next starts the next job once the previous one's result arrived.
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
