package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/transcripts"
)

// historyTUIStore writes a store with one conversation and returns its path.
func historyTUIStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tsunagu.db")
	s, err := transcripts.Open(path, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	_, err = s.CreateConversation(transcripts.Conversation{ID: "conv-tui", StartedAt: at, Lang: "en",
		Topic: "returns/refund", Status: transcripts.StatusClosed,
		Entries: []transcripts.Entry{{At: at, Role: transcripts.RoleCustomer, Text: "I'd like a refund for the kettle."}}})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// pretendTerminal makes both ends look like a terminal (or not) for one test.
func pretendTerminal(t *testing.T, in, out bool) {
	oldIn, oldOut := historyIsTerminal, historyOutIsTerminal
	historyIsTerminal = func(io.Reader) bool { return in }
	historyOutIsTerminal = func(io.Writer) bool { return out }
	t.Cleanup(func() { historyIsTerminal, historyOutIsTerminal = oldIn, oldOut })
}

// Bare "tsunagu history" opens the browser only on a terminal and with no
// list flag; piped it prints the list so scripts work.
func TestHistoryBareOpensTUIOnlyOnATerminal(t *testing.T) {
	path := historyTUIStore(t)
	cases := []struct {
		name    string
		in, out bool
		args    []string
		wantTUI bool
	}{
		{"both terminal", true, true, nil, true},
		{"stdout piped", true, false, nil, false},
		{"stdin piped", false, true, nil, false},
		{"list flag on a terminal", true, true, []string{"--json"}, false},
		{"filter flag on a terminal", true, true, []string{"--status", "closed"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pretendTerminal(t, tc.in, tc.out)
			cmd := newHistoryCmd(&globalOptions{dbPath: path})
			if err := cmd.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			if got := historyWantsTUI(cmd); got != tc.wantTUI {
				t.Fatalf("historyWantsTUI = %v, want %v", got, tc.wantTUI)
			}
		})
	}

	pretendTerminal(t, false, false)
	out, errOut, code := runHistoryCLI(t, "", "--db", path, "history")
	if code != 0 || !strings.Contains(out, "conv-tui") || errOut != "" {
		t.Fatalf("piped bare history: code %d, out %q, err %q", code, out, errOut)
	}
}

// The browser started from the command line draws the stored conversation,
// quits on ctrl+c and closes the store (a writer can open it afterwards).
func TestHistoryTUIRunsAndClosesTheStore(t *testing.T) {
	path := historyTUIStore(t)
	cmd := newHistoryCmd(&globalOptions{dbPath: path, lang: "en"})
	pr, pw := io.Pipe()
	out := &lockedBuffer{}
	cmd.SetIn(pr)
	cmd.SetOut(out)
	done := make(chan error, 1)
	go func() {
		done <- runHistoryTUI(cmd, &globalOptions{dbPath: path, lang: "en"}, tea.WithWindowSize(100, 20))
	}()
	// Wait until the row is drawn, then press ctrl+c.
	out.waitFor(t, "refund for the kettle")
	if _, err := pw.Write([]byte{0x03}); err != nil {
		t.Fatal(err)
	}
	waitDone(t, done, "ctrl+c did not end the browser")
	s, err := transcripts.Open(path, transcripts.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("the store was not closed: %v", err)
	}
	s.Close()
}

// hangBound bounds every wait on a running program or process. Nothing is
// expected to take this long, even under -race on a busy machine: it only
// turns a hang into a failure.
const hangBound = 2 * time.Minute

// lockedBuffer is a bytes.Buffer the program writes while the test reads,
// and waits on.
type lockedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed by the next write; nil when nobody waits
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.written != nil {
		close(b.written)
		b.written = nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// wait blocks until cond holds for everything written so far, checking
// after each write, and reports false if hangBound passes first.
func (b *lockedBuffer) wait(cond func(string) bool) bool {
	timeout := time.NewTimer(hangBound)
	defer timeout.Stop()
	for {
		b.mu.Lock()
		ok := cond(b.buf.String())
		if b.written == nil {
			b.written = make(chan struct{})
		}
		written := b.written
		b.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-written:
		case <-timeout.C:
			return false
		}
	}
}

// waitFor waits until the output contains want.
func (b *lockedBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	if !b.wait(func(s string) bool { return strings.Contains(s, want) }) {
		t.Fatalf("never drew %q:\n%q", want, b.String())
	}
}

// waitDone waits for the program's result.
func waitDone(t *testing.T, done <-chan error, what string) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(hangBound):
		t.Fatal(what)
	}
}
