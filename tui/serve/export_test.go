package serve

import "time"

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
