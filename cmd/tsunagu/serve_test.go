package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"tsunagu/transcripts"
	"tsunagu/tui/serve/servetest"
)

// testServer is `tsunagu serve` running in the test on 127.0.0.1 with a
// temporary data folder.
type testServer struct {
	addr   string
	db     string
	cancel context.CancelFunc
	done   chan error
	out    *lockedBuffer
}

// deskPerson is one line of the desk-keys file.
type deskPerson struct {
	operator, role string
	signer         gossh.Signer
}

func startServe(t *testing.T, people ...deskPerson) *testServer {
	t.Helper()
	dir := t.TempDir()
	var lines []string
	for _, p := range people {
		lines = append(lines, servetest.AuthorizedLine(p.signer, p.operator, p.role))
	}
	keys := filepath.Join(dir, "desk_keys")
	if err := os.WriteFile(keys, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g := &globalOptions{dbPath: filepath.Join(dir, "data", "t.db"), lang: "en", speed: 1, seed: 3}
	o := &serveOptions{addr: "127.0.0.1:0", idle: time.Hour, rate: defaultMessagesPerMinute, claim: time.Hour, max: 50}
	if len(people) > 0 {
		o.deskKeys = keys
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &testServer{db: g.dbPath, cancel: cancel, done: make(chan error, 1), out: &lockedBuffer{}}
	ready := make(chan net.Addr, 1)
	go func() {
		s.done <- runServe(ctx, g, o, s.out, s.out, func(a net.Addr) { ready <- a })
	}()
	select {
	case a := <-ready:
		s.addr = a.String()
	case err := <-s.done:
		t.Fatalf("the server did not start: %v\n%s", err, s.out.String())
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop is Ctrl+C: the server stops and closes the store.
func (s *testServer) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	if err := <-s.done; err != nil {
		t.Errorf("the server stopped with an error: %v\n%s", err, s.out.String())
	}
}

func (s *testServer) store(t *testing.T) *transcripts.Store {
	t.Helper()
	st, err := transcripts.OpenReadOnly(s.db, transcripts.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

const waitLimit = servetest.DefaultLimit

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func see(t *testing.T, c *servetest.Client, texts ...string) string {
	t.Helper()
	scr, err := c.WaitForText(waitLimit, texts...)
	if err != nil {
		t.Fatal(err)
	}
	return scr
}

// customerToPerson walks a customer through the contact flow to the chat,
// writes to the bot and asks for a person.
func customerToPerson(t *testing.T, c *servetest.Client, message string) {
	t.Helper()
	see(t, c, "Who are you?")
	for _, next := range []string{"Which order is this about?", "What is it about?", "what exactly?", "How would you like to be contacted?", "talking to the assistant"} {
		must(t, c.Press("enter"))
		see(t, c, next)
	}
	must(t, c.Type(message))
	must(t, c.Press("enter"))
	see(t, c, message)
	_, err := c.WaitFor(func(s string) bool { return !strings.Contains(s, "is answering") }, waitLimit)
	must(t, err)
	must(t, c.Press("ctrl+o"))
	see(t, c, "Who should answer?")
	must(t, c.Press("enter"))
}

// TestServeOperatorAnswersACustomer is the shared desk end to end over SSH:
// a customer escalates, the signed-in operator takes the chat, sees the
// packet, replies, and the customer sees the reply; the conversation is
// stored once, with the person's name on their line.
func TestServeOperatorAnswersACustomer(t *testing.T) {
	tanaka := servetest.NewSigner(t)
	srv := startServe(t, deskPerson{"tanaka", "operator", tanaka})
	desk, err := servetest.Dial(t, srv.addr, "desk", tanaka, 120, 32)
	must(t, err)
	see(t, desk, "operator console", "Tanaka", "No chats on the desk right now.")

	cust, err := servetest.Dial(t, srv.addr, "yumi", nil, 100, 30)
	must(t, err)
	customerToPerson(t, cust, "my earbuds never came")

	see(t, desk, "Yumi Sato", "waiting")
	must(t, desk.Press("enter"))
	see(t, desk, "Packet and case", "250-1234567-1234567", "my earbuds never came", "Tanaka joined")
	reply := "Hi Yumi, I'm Tanaka. I am tracing the parcel with the carrier now."
	must(t, desk.Type(reply))
	must(t, desk.Press("enter"))
	see(t, cust, "Tanaka", "tracing the parcel with the carrier now")

	must(t, cust.Type("thank you so much"))
	must(t, cust.Press("enter"))
	see(t, desk, "thank you so much")

	must(t, cust.Press("ctrl+x"))
	see(t, cust, "How did we do?")
	for _, k := range []string{"4", "enter", "5", "enter"} {
		if k == "enter" {
			must(t, cust.Press(k))
		} else {
			must(t, cust.Type(k))
		}
	}
	see(t, cust, "Conversation closed")
	see(t, desk, "chat closed")
	cust.Close()
	desk.Close()
	srv.stop(t)

	st := srv.store(t)
	page, err := st.List(transcripts.Filter{}, "", 10)
	must(t, err)
	if len(page.Items) != 1 {
		t.Fatalf("the store holds %d conversations, want exactly the one", len(page.Items))
	}
	conv, err := st.Load(page.Items[0].ID)
	must(t, err)
	var replies, thanks int
	for _, e := range conv.Entries {
		switch {
		case e.Role == transcripts.RoleOperator && e.Text == reply:
			replies++
			if e.Author != "Tanaka" {
				t.Errorf("the person's line is stored as written by %q", e.Author)
			}
		case e.Role == transcripts.RoleCustomer && e.Text == "thank you so much":
			thanks++
		}
	}
	if replies != 1 || thanks != 1 {
		t.Errorf("stored the reply %d times and the customer's thanks %d times, want once each", replies, thanks)
	}
	if conv.Status != transcripts.StatusClosed {
		t.Errorf("the conversation is stored as %s, want closed", conv.Status)
	}
}

// TestServeDeskNeedsAListedKey: the console opens only for a key in
// --desk-keys; every other way in as desk is refused at authentication,
// and a listed key used under another name gets the customer app.
func TestServeDeskNeedsAListedKey(t *testing.T) {
	tanaka := servetest.NewSigner(t)
	srv := startServe(t, deskPerson{"tanaka", "operator", tanaka})
	stranger := servetest.NewSigner(t)
	if c, err := servetest.Dial(t, srv.addr, "desk", stranger, 80, 24); err == nil {
		c.Close()
		t.Error("a key not in --desk-keys opened the desk")
	}
	if c, err := servetest.Dial(t, srv.addr, "desk", nil, 80, 24); err == nil {
		c.Close()
		t.Error("the desk opened without a key")
	}
	if c, err := servetest.DialWith(t, srv.addr, "desk", []gossh.AuthMethod{gossh.Password("desk")}, 80, 24); err == nil {
		c.Close()
		t.Error("the desk opened with a password")
	}
	c, err := servetest.Dial(t, srv.addr, "tanaka", tanaka, 100, 30)
	must(t, err)
	scr := see(t, c, "Who are you?")
	if strings.Contains(scr, "operator console") {
		t.Error("a desk key under another user name reached the console")
	}
	c.Close()
	// A second console for the same person is told why, not dropped.
	first, err := servetest.Dial(t, srv.addr, "desk", tanaka, 100, 30)
	must(t, err)
	see(t, first, "operator console")
	second, err := servetest.Dial(t, srv.addr, "desk", tanaka, 100, 30)
	must(t, err)
	see(t, second, "already signed in")
	must(t, second.Press("enter"))
	if _, err := second.WaitFor(func(string) bool { return second.Ended() }, waitLimit); err == nil || !second.Ended() {
		// WaitFor reports an ended session as an error; only a live one is wrong.
		if !second.Ended() {
			t.Error("the refused console did not close on a key")
		}
	}
}

// TestServeCustomerWhoDropsIsWoundUp: a customer whose connection drops
// in the queue leaves it; the conversation is kept as abandoned.
func TestServeCustomerWhoDropsIsWoundUp(t *testing.T) {
	tanaka := servetest.NewSigner(t)
	srv := startServe(t, deskPerson{"tanaka", "operator", tanaka})
	desk, err := servetest.Dial(t, srv.addr, "desk", tanaka, 120, 32)
	must(t, err)
	cust, err := servetest.Dial(t, srv.addr, "yumi", nil, 100, 30)
	must(t, err)
	customerToPerson(t, cust, "where is my parcel")
	see(t, desk, "Yumi Sato", "waiting")
	cust.Close()
	_, err = desk.WaitFor(func(s string) bool { return !strings.Contains(s, "waiting") }, waitLimit)
	must(t, err)
	desk.Close()
	srv.stop(t)
	st := srv.store(t)
	page, err := st.List(transcripts.Filter{}, "", 10)
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].Status != transcripts.StatusAbandoned {
		t.Fatalf("after the drop the store holds %+v, want one abandoned conversation", page.Items)
	}
}

// choose moves the selection down until the row marked "› " holds text,
// then presses Enter.
func choose(t *testing.T, c *servetest.Client, text string) {
	t.Helper()
	for range 20 {
		if strings.Contains(c.Screen(), "› "+text) {
			must(t, c.Press("enter"))
			return
		}
		before := c.Screen()
		must(t, c.Press("down"))
		_, err := c.WaitFor(func(s string) bool { return s != before }, waitLimit)
		must(t, err)
	}
	t.Fatalf("%q is not in the list:\n%s", text, c.Screen())
}

// TestServeRolePlayIsScored: a trainer plays a scenario's customer over
// SSH, the chat reaches the chosen trainee's console, and at the close
// both see the trainee's scorecard, which is stored with the transcript.
func TestServeRolePlayIsScored(t *testing.T) {
	li, brown := servetest.NewSigner(t), servetest.NewSigner(t)
	srv := startServe(t, deskPerson{"li", "trainer", li}, deskPerson{"brown", "trainee", brown})
	trainee, err := servetest.Dial(t, srv.addr, "desk", brown, 120, 32)
	must(t, err)
	see(t, trainee, "Brown", "trainee")
	trainer, err := servetest.Dial(t, srv.addr, "desk", li, 120, 32)
	must(t, err)
	see(t, trainer, "Li", "trainer", "Brown (trainee)")

	must(t, trainer.Type("n"))
	see(t, trainer, "New role-play")
	choose(t, trainer, "A parcel that has not arrived")
	see(t, trainer, "Language")
	choose(t, trainer, "English")
	choose(t, trainer, "Brown")
	see(t, trainer, "you are the customer", "Opening lines")
	for range 2 { // the persona's opening lines, offered as suggestions
		must(t, trainer.Press("tab"))
		must(t, trainer.Press("enter"))
	}
	scr, err := trainer.WaitFor(func(s string) bool {
		return strings.Contains(s, "in the queue") || strings.Contains(s, "handed to a person")
	}, waitLimit)
	if err != nil {
		must(t, trainer.Press("ctrl+o")) // the bot kept it: ask for a person
		scr = see(t, trainer, "handed to a person")
	}
	_ = scr

	see(t, trainee, "[role-play]")
	must(t, trainee.Press("enter"))
	see(t, trainee, "Packet and case")
	for _, line := range []struct{ text, tail string }{
		{"Hi Yumi, I'm Alex. I've read your conversation with our assistant: your wireless earbuds, order 250-1234567-1234567, were due yesterday. I'm sorry for the wait.", "wait."},
		{"I've checked the carrier tracking: the parcel has not moved since the depot scan.", "scan."},
		{"I've opened a trace with the carrier. If it isn't found within 2 days, we'll send a replacement at no cost.", "cost."},
	} {
		must(t, trainee.Type(line.text))
		must(t, trainee.Press("enter"))
		see(t, trainer, line.tail) // one word: the screen wraps long lines
	}
	must(t, trainer.Type("ok, thank you"))
	must(t, trainer.Press("enter"))
	see(t, trainee, "ok, thank you")
	must(t, trainee.Press("ctrl+x"))
	see(t, trainee, "Close this chat?")
	must(t, trainee.Type("y"))
	see(t, trainee, "Scorecard", "Total")
	see(t, trainer, "Scorecard", "Total")
	trainee.Close()
	trainer.Close()
	srv.stop(t)

	st := srv.store(t)
	cards, err := st.ListTraining("brown", 10)
	must(t, err)
	if len(cards) != 1 || len(cards[0].Transcript) == 0 {
		t.Fatalf("stored cards for brown: %+v", cards)
	}
	if cards[0].Score < 60 {
		t.Errorf("a good live session scored %.1f", cards[0].Score)
	}
}

// TestServeStopsCleanly: Ctrl+C on the server with a customer waiting for
// a person and another talking to the bot: both are told, both
// conversations keep everything they wrote (kept as abandoned), the
// server returns and the store is closed cleanly (it opens again).
func TestServeStopsCleanly(t *testing.T) {
	srv := startServe(t)
	waiting, err := servetest.Dial(t, srv.addr, "yumi", nil, 100, 30)
	must(t, err)
	customerToPerson(t, waiting, "the parcel is lost")
	talking, err := servetest.Dial(t, srv.addr, "ken", nil, 100, 30)
	must(t, err)
	see(t, talking, "Who are you?")
	for _, next := range []string{"Which order is this about?", "What is it about?", "what exactly?", "How would you like to be contacted?", "talking to the assistant"} {
		must(t, talking.Press("enter"))
		see(t, talking, next)
	}
	must(t, talking.Type("is it coming today"))
	must(t, talking.Press("enter"))
	see(t, talking, "is it coming today")
	srv.stop(t)
	for _, c := range []*servetest.Client{waiting, talking} {
		see(t, c, "The server is stopping")
	}
	st := srv.store(t)
	page, err := st.List(transcripts.Filter{}, "", 10)
	must(t, err)
	if len(page.Items) != 2 {
		t.Fatalf("the store holds %d conversations, want 2", len(page.Items))
	}
	for _, it := range page.Items {
		conv, err := st.Load(it.ID)
		must(t, err)
		if conv.Status != transcripts.StatusAbandoned {
			t.Errorf("%s is stored as %s after the server stopped, want abandoned", it.ID, conv.Status)
		}
		found := false
		for _, e := range conv.Entries {
			found = found || e.Role == transcripts.RoleCustomer && (e.Text == "the parcel is lost" || e.Text == "is it coming today")
		}
		if !found {
			t.Errorf("%s lost what the customer wrote", it.ID)
		}
	}
}

// TestServeOperatorClosesTheChat: when the person closes the chat the
// customer is told and can still rate it; the store has one close.
func TestServeOperatorClosesTheChat(t *testing.T) {
	tanaka := servetest.NewSigner(t)
	srv := startServe(t, deskPerson{"tanaka", "operator", tanaka})
	desk, err := servetest.Dial(t, srv.addr, "desk", tanaka, 120, 32)
	must(t, err)
	cust, err := servetest.Dial(t, srv.addr, "yumi", nil, 100, 30)
	must(t, err)
	customerToPerson(t, cust, "my parcel is late")
	see(t, desk, "Yumi Sato", "waiting")
	must(t, desk.Press("enter"))
	see(t, desk, "Packet and case")
	must(t, desk.Type("It is on its way and arrives tomorrow. Goodbye!"))
	must(t, desk.Press("enter"))
	see(t, cust, "arrives tomorrow")
	must(t, desk.Press("ctrl+x"))
	see(t, desk, "Close this chat?")
	must(t, desk.Type("y"))
	see(t, cust, "The operator closed the chat")
	must(t, cust.Press("ctrl+x"))
	see(t, cust, "How did we do?")
	must(t, cust.Type("5"))
	must(t, cust.Press("enter"))
	must(t, cust.Press("enter"))
	see(t, cust, "Conversation closed")
	cust.Close()
	desk.Close()
	srv.stop(t)
	st := srv.store(t)
	page, err := st.List(transcripts.Filter{}, "", 10)
	must(t, err)
	if len(page.Items) != 1 {
		t.Fatalf("%d conversations stored", len(page.Items))
	}
	conv, err := st.Load(page.Items[0].ID)
	must(t, err)
	closes, ratings := 0, 0
	for _, e := range conv.Entries {
		switch e.Event {
		case transcripts.EventClosed:
			closes++
		case transcripts.EventRating:
			ratings++
		}
	}
	if closes != 1 || ratings == 0 || conv.Status != transcripts.StatusClosed {
		t.Errorf("stored %d closes, %d ratings, status %s; want one close, the rating, closed", closes, ratings, conv.Status)
	}
}
