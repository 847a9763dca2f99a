package tuitest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// IsSequence reports a tea.Sequence message: an unexported slice of
// commands, which a harness runs in order like the real loop does.
func IsSequence(msg tea.Msg) bool {
	v := reflect.ValueOf(msg)
	return v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) && reflect.TypeOf(msg) != reflect.TypeOf(tea.BatchMsg(nil))
}

// SequenceCmds returns the commands of a tea.Sequence message.
func SequenceCmds(msg tea.Msg) []tea.Cmd {
	v := reflect.ValueOf(msg)
	out := make([]tea.Cmd, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return out
}

// Timer is what the harnesses' Tick returns: a timer the test fires by hand
// (advancing a virtual clock), so nothing in a test waits for real time.
type Timer struct {
	D  time.Duration
	Fn func(time.Time) tea.Msg
}

// Tick is a Tick for the apps' configs that returns Timers.
func Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return Timer{D: d, Fn: fn} }
}

// JST is the tests' time zone.
var JST = time.FixedZone("JST", 9*3600)

// CheckFits fails unless frame has at most hgt lines (one for an empty
// terminal) of at most w columns.
func CheckFits(t testing.TB, frame string, w, hgt int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > max(hgt, 1) {
		t.Fatalf("%d lines for a %d-row terminal", len(lines), hgt)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Fatalf("line %d is %d wide in a %d-wide terminal: %q", i, got, w, l)
		}
	}
}

// EvilError is an error text carrying escapes: a clipboard write, a screen
// clear and an 8-bit CSI.
const EvilError = "desk down \x1b]52;c;RVZJTA==\x07\x1b[2J\x9b31m now"

// CheckNoEscapes fails when a frame carries any escape of EvilError.
func CheckNoEscapes(t testing.TB, content string) {
	t.Helper()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\u009b"} {
		if strings.Contains(content, bad) {
			t.Fatalf("the frame carries %q from an error: %q", bad, content)
		}
	}
}
