package serve

import (
	"sync"
	"time"
)

// OnInput hands a test, for every session, a function returning how many
// input bytes the app has read through the session's pacer.
func (s *Server) OnInput(f func(read func() int64)) {
	s.pacerHook = func(p *pacer) { f(p.total.Load) }
}

// SetDrainLimit shortens how long Shutdown waits for stuck apps after its
// deadline, so a test of that case need not wait the full limit.
func (s *Server) SetDrainLimit(d time.Duration) { s.drain = d }

// OnKeepalive calls f every time a client answers a keepalive.
func (s *Server) OnKeepalive(f func()) { s.keepaliveHook = f }

// TickKeepalives makes the keepalives wait on ticks instead of the clock:
// each value sent on the channel is one interval gone by, for whichever
// connection's keepalive is waiting.
func (s *Server) TickKeepalives(ticks <-chan time.Time) { s.keepaliveTick = ticks }

// SessionWaits is a hand-fired stand-in for the wait for a session.
type SessionWaits struct {
	mu      sync.Mutex
	armed   map[*waitTimer]bool
	changed chan struct{} // closed and replaced when a wait is armed
}

type waitTimer struct {
	w *SessionWaits
	f func()
}

func (t *waitTimer) Stop() bool {
	t.w.mu.Lock()
	defer t.w.mu.Unlock()
	was := t.w.armed[t]
	delete(t.w.armed, t)
	return was
}

func (t *waitTimer) Reset(time.Duration) bool {
	t.w.mu.Lock()
	defer t.w.mu.Unlock()
	was := t.w.armed[t]
	t.w.armed[t] = true
	close(t.w.changed)
	t.w.changed = make(chan struct{})
	return was
}

// HandFiredSessionWaits replaces the wait for a session with waits that
// run only when the test calls Fire.
func (s *Server) HandFiredSessionWaits() *SessionWaits {
	w := &SessionWaits{armed: map[*waitTimer]bool{}, changed: make(chan struct{})}
	s.afterFunc = func(_ time.Duration, f func()) stopper {
		t := &waitTimer{w: w, f: f}
		t.Reset(0)
		return t
	}
	return w
}

// Fire runs every armed wait, as if its time had come, and returns a
// channel closed when a wait is next armed.
func (w *SessionWaits) Fire() <-chan struct{} {
	w.mu.Lock()
	var due []*waitTimer
	for t := range w.armed {
		due = append(due, t)
	}
	w.armed = map[*waitTimer]bool{}
	changed := w.changed
	w.mu.Unlock()
	for _, t := range due {
		t.f()
	}
	return changed
}
