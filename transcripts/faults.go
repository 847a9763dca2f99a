package transcripts

import "runtime/debug"

// faultsPanic makes a memory fault in this goroutine a panic instead of a
// crash, until the returned function is called; use it as
//
//	defer faultsPanic()()
//
// before the deferred recover. bbolt reads its pages straight from the
// memory map: on a damaged file it can read past the end of the map (SIGSEGV)
// or past the end of the file (SIGBUS), which recover cannot catch unless
// the runtime was told to panic instead. The recovered value then has an
// Addr method.
func faultsPanic() (restore func()) {
	old := debug.SetPanicOnFault(true)
	return func() { debug.SetPanicOnFault(old) }
}
