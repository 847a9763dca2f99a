package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/transcripts"
)

// "tsunagu history", then enter and r on an abandoned conversation: the
// same process becomes the chat app on that conversation, with the store
// the browser opened (no second opener, which bbolt would refuse), and the
// store is closed once, when the chat ends.
func TestHistoryResumeBecomesTheChat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tsunagu.db")
	s, err := transcripts.Open(path, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	_, err = s.CreateConversation(transcripts.Conversation{ID: "conv-open", StartedAt: at, Lang: "en",
		Customer: transcripts.Customer{Name: "Yumi Sato", HasAccount: true}, OrderID: "250-1234567-1234567",
		Topic: "delivery/not_arrived", Channel: "chat", Status: transcripts.StatusAbandoned,
		Entries: []transcripts.Entry{{At: at, Role: transcripts.RoleCustomer, Author: "You", Text: "Where is my kettle parcel?"}}})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	// An os.Pipe, like a terminal, lets the browser stop reading when it
	// ends, so the chat gets every later key.
	in, keys, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer keys.Close()
	defer in.Close()
	g := &globalOptions{dbPath: path, lang: "en", speed: 1}
	cmd := newHistoryCmd(g)
	out := &lockedBuffer{}
	cmd.SetIn(in)
	cmd.SetOut(out)
	done := make(chan error, 1)
	go func() { done <- runHistoryTUI(cmd, g, tea.WithWindowSize(100, 30), tea.WithoutSignals()) }()

	waitFor := func(want string) {
		t.Helper()
		out.waitFor(t, want)
	}
	press := func(b string) {
		t.Helper()
		if _, err := keys.Write([]byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor("Where is my kettle parcel?")
	press("\r")
	waitFor("resume in chat")
	press("r")
	waitFor("Conversation resumed")
	waitFor("You are talking to the assistant")
	// The customer may type while the rules load; Enter sends once the
	// conversation is back (the bot's answer is the first bot line drawn).
	// An Enter while it loads does nothing, so Enter is pressed again each
	// time the screen changes (the "Loading the conversation…" status
	// going away is such a change) until the answer is drawn.
	press("any news?")
	const answer = "Assistant (bot)"
	for !strings.Contains(out.String(), answer) {
		drawn := len(out.String())
		press("\r")
		if !out.wait(func(s string) bool { return len(s) > drawn || strings.Contains(s, answer) }) {
			t.Fatalf("the message was never answered:\n%q", out.String())
		}
	}
	press("\x03")
	waitDone(t, done, "ctrl+c did not end the chat")

	s, err = transcripts.Open(path, transcripts.Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("the store was not closed: %v", err)
	}
	defer s.Close()
	if n, _ := s.Count(); n != 1 {
		t.Fatalf("%d conversations stored, want the resumed one only", n)
	}
	c, err := s.Load("conv-open")
	if err != nil {
		t.Fatal(err)
	}
	var resumed, typed bool
	for _, e := range c.Entries {
		resumed = resumed || e.Event == "resumed"
		typed = typed || (resumed && e.Role == transcripts.RoleCustomer && e.Text == "any news?")
	}
	if !resumed || !typed {
		t.Fatalf("resumed event %v, message after it %v: %+v", resumed, typed, c.Entries)
	}
}
