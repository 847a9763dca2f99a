package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
)

// B19: the customer app refuses piped stdin with one clear sentence and
// exit code 1, as "tsunagu" and as "tsunagu chat".
func TestChatNeedsATerminal(t *testing.T) {
	for _, args := range [][]string{{}, {"chat"}, {"--lang", "ja"}} {
		var out, errb bytes.Buffer
		db := filepath.Join(t.TempDir(), "t.db")
		code := run(append([]string{"--db", db}, args...), strings.NewReader("hello\n"), &out, &errb)
		if code != exitRuntime {
			t.Errorf("%v: exit %d, want %d", args, code, exitRuntime)
		}
		if got := errb.String(); !strings.Contains(got, "needs a terminal") || strings.Count(got, "\n") != 1 {
			t.Errorf("%v: stderr %q", args, got)
		}
		if _, err := os.Stat(db); err == nil {
			t.Errorf("%v: the store was created without a terminal", args)
		}
	}
}

// Bad flags are usage errors (exit 2) before any terminal is touched.
func TestChatFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("customer: {name: A, lang: fr}\nshop: {name: S}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g := &globalOptions{dbPath: filepath.Join(dir, "t.db"), speed: 1}
	for _, tc := range []struct{ profile, want string }{
		{bad, "bad.yaml:1: customer.lang must be ja or en"},
		{filepath.Join(dir, "missing.yaml"), "cannot read the profile file"},
	} {
		g.profileFile = tc.profile
		_, err := buildChat(g)
		var ue *usageError
		if err == nil || !strings.Contains(err.Error(), tc.want) || !asUsage(err, &ue) {
			t.Errorf("profile %s: error %v, want usage error with %q", tc.profile, err, tc.want)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"chat", "extra"}, strings.NewReader(""), &out, &errb); code != exitUsage {
		t.Errorf("chat extra: exit %d", code)
	}
}

func asUsage(err error, ue **usageError) bool {
	e, ok := err.(*usageError)
	*ue = e
	return ok
}

// panickyBot's menu panics, so the app panics inside Update as soon as the
// rules load.
type panickyBot struct{}

func (panickyBot) Menu(string) []chat.Category { panic("boom") }
func (panickyBot) Start(string, bot.Facts) (chat.Dialogue, bot.Decision) {
	return nil, bot.Decision{}
}
func (panickyBot) Knowledge() handoff.Knowledge { return nil }

// B20: a panic anywhere restores the terminal and closes the database.
func TestPanicRestoresTerminalAndClosesStore(t *testing.T) {
	dir := t.TempDir()
	g := &globalOptions{dbPath: filepath.Join(dir, "t.db"), speed: 1, lang: "en"}
	deps, err := buildChat(g)
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	deps.cfg.LoadBot = func() (chat.Bot, error) {
		// Panic only once the store is open and the first frame is on the
		// alternate screen, so both restoring and closing are tested.
		for range 500 {
			deps.store.mu.Lock()
			open := deps.store.s != nil
			deps.store.mu.Unlock()
			if open && bytes.Contains(out.Bytes(), []byte("\x1b[?1049h")) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		return panickyBot{}, nil
	}
	in, w := io.Pipe()
	defer w.Close()
	err = runProgram(deps, in, &out, tea.WithWindowSize(80, 24), tea.WithoutSignals())
	if err == nil || !strings.Contains(err.Error(), "terminal was restored") {
		t.Fatalf("error = %v", err)
	}
	if !bytes.Contains(out.Bytes(), []byte("\x1b[?1049l")) || !bytes.Contains(out.Bytes(), []byte("\x1b[?25h")) {
		t.Errorf("the output does not leave the alternate screen and show the cursor: %q", out.String())
	}
	s, err := transcripts.Open(g.dbPath, transcripts.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("the store was left open or locked: %v", err)
	}
	s.Close()
}

// syncBuffer is a bytes.Buffer safe for the renderer's goroutine and the
// test's.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

func (b *syncBuffer) String() string { return string(b.Bytes()) }

// "tsunagu rules check" knows profile files.
func TestRulesCheckKnowsProfiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, []byte("customer: {name: A, lang: en}\nshop: {name: S}\norders: []\n"), 0o600)
	os.WriteFile(bad, []byte("customer: {name: A, lang: en}\nshop: {name: S}\norders:\n  - {id: 9, items: [x], date: 2026-01-02, status: delivered}\n"), 0o600)
	var out, errb bytes.Buffer
	if code := run([]string{"rules", "check", good}, strings.NewReader(""), &out, &errb); code != exitOK || !strings.Contains(out.String(), "good.yaml: ok") {
		t.Fatalf("good profile: exit %d, %q %q", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"rules", "check", bad}, strings.NewReader(""), &out, &errb); code != exitRuntime || !strings.Contains(out.String(), "bad.yaml:4: order id") {
		t.Fatalf("bad profile: exit %d, %q", code, out.String())
	}
}
