package serve

// OnInput hands a test, for every session, a function returning how many
// input bytes the app has read through the session's pacer.
func (s *Server) OnInput(f func(read func() int64)) {
	s.pacerHook = func(p *pacer) { f(p.total.Load) }
}
