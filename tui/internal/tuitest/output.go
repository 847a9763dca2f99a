// Package tuitest holds what the tests of the three apps share: reading a
// teatest program's output once, running tea.Sequence commands by hand, the
// frame-size check and the timer the harnesses hold until a test fires it.
package tuitest

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// HangBound bounds every wait on a running program. Nothing is expected to
// take this long, even under -race on a busy machine: it only turns a hang
// into a failure that shows the output so far.
const HangBound = 2 * time.Minute

// ProgramOutput keeps every byte a teatest program writes exactly once, in
// the order written.
//
// teatest's Output is a buffer that each read drains, and teatest.WaitFor
// passes its condition all the bytes read since that WaitFor began, again
// on every check. A condition that kept its argument therefore kept the
// same bytes once per check: on a busy machine the first check could see
// the first frame (which enters the alternate screen) before the awaited
// text, and the kept output then entered the alternate screen twice. Here
// the bytes are kept as they are read, by a TeeReader, and the condition
// only looks.
type ProgramOutput struct {
	tm  *teatest.TestModel
	buf bytes.Buffer
}

// NewProgramOutput reads tm's output.
func NewProgramOutput(tm *teatest.TestModel) *ProgramOutput {
	return &ProgramOutput{tm: tm}
}

// WaitFor reads the program's output until the part read during this call,
// with escape sequences removed, contains want.
func (o *ProgramOutput) WaitFor(t testing.TB, want string) {
	t.Helper()
	start := o.buf.Len()
	teatest.WaitFor(t, io.TeeReader(o.tm.Output(), &o.buf), func([]byte) bool {
		return strings.Contains(ansi.Strip(string(o.buf.Bytes()[start:])), want)
	}, teatest.WithDuration(HangBound), teatest.WithCheckInterval(10*time.Millisecond))
}

// Final waits until the program has ended and returns all it wrote.
func (o *ProgramOutput) Final(t testing.TB) []byte {
	t.Helper()
	rest, err := io.ReadAll(o.tm.FinalOutput(t, teatest.WithFinalTimeout(HangBound)))
	if err != nil {
		t.Fatal(err)
	}
	o.buf.Write(rest)
	return o.buf.Bytes()
}
