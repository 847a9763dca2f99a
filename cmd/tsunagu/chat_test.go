package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	var out lockedBuffer
	// Panic only once the store is open and the first frame is on the
	// alternate screen, so both restoring and closing are tested. The
	// store opens in a command of its own, beside the one loading the bot.
	opened := make(chan error, 1)
	openStore := deps.cfg.OpenStore
	deps.cfg.OpenStore = func() (chat.Store, error) {
		s, err := openStore()
		select {
		case opened <- err:
		default: // only the first open counts
		}
		return s, err
	}
	var ready bool // written before the panic, read after runProgram returns
	deps.cfg.LoadBot = func() (chat.Bot, error) {
		select {
		case err := <-opened:
			ready = err == nil && out.wait(func(s string) bool { return strings.Contains(s, "\x1b[?1049h") })
		case <-time.After(hangBound):
		}
		return panickyBot{}, nil
	}
	in, w := io.Pipe()
	defer w.Close()
	err = runProgram(deps, in, &out, io.Discard, tea.WithWindowSize(80, 24), tea.WithoutSignals())
	if !ready {
		t.Fatalf("the store did not open or the first frame was not drawn before the panic: %q", out.String())
	}
	if err == nil || !strings.Contains(err.Error(), "terminal was restored") {
		t.Fatalf("error = %v", err)
	}
	if got := out.String(); !strings.Contains(got, "\x1b[?1049l") || !strings.Contains(got, "\x1b[?25h") {
		t.Errorf("the output does not leave the alternate screen and show the cursor: %q", got)
	}
	s, err := transcripts.Open(g.dbPath, transcripts.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("the store was left open or locked: %v", err)
	}
	s.Close()
}

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
