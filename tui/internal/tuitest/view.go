package tuitest

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// MustShow fails the test unless view holds every one of parts; the
// failure shows the view.
func MustShow(t testing.TB, view string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(view, p) {
			t.Fatalf("view does not show %q:\n%s", p, view)
		}
	}
}

// MustNotShow fails the test if view holds any of parts.
func MustNotShow(t testing.TB, view string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(view, p) {
			t.Fatalf("view shows %q but should not:\n%s", p, view)
		}
	}
}

// namedTB gives golden.RequireEqual a file name of the test's choosing.
type namedTB struct {
	testing.TB
	name string
}

func (n namedTB) Name() string { return n.name }

// RequireGolden compares frame with testdata/NAME.golden (go test -update
// writes it).
func RequireGolden(t testing.TB, name, frame string) {
	t.Helper()
	golden.RequireEqual(namedTB{TB: t, name: name}, frame)
}
