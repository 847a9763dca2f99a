//go:build race

package handoff

// raceEnabled shortens the longest simulations under -race, which slows the
// engine about tenfold.
const raceEnabled = true
