package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

// resumeHarness is a fresh app on h's store, as "tsunagu history" starts it
// after the resume key: Config.ResumeID names the conversation.
func resumeHarness(t *testing.T, h *harness, id string, at time.Time) *harness {
	t.Helper()
	r := &harness{t: t, clock: handoff.NewVirtualClock(at), store: h.store}
	cfg := h.m.cfg
	cfg.Clock = r.clock
	cfg.ResumeID = id
	b := realBot(t)
	pool := handoff.DefaultPool()
	cfg.NewDesk = func(string) (chat.Desk, error) {
		return handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: b.Knowledge(), Start: r.clock.Now(), Seed: 11, Faults: &handoff.Faults{}})
	}
	r.m = New(cfg)
	r.run(r.m.Init())
	r.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return r
}

// leave ends the first run with ctrl+c, as a customer closing the terminal
// would: the conversation is stored as abandoned.
func leave(t *testing.T, h *harness) string {
	t.Helper()
	id := h.m.sess.id
	h.ctrl('c')
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
	if c := h.conversation(); c.Status != transcripts.StatusAbandoned {
		t.Fatalf("status after ctrl+c = %s", c.Status)
	}
	return id
}

func entriesAfterResume(t *testing.T, c transcripts.Conversation) []transcripts.Entry {
	t.Helper()
	for i, e := range c.Entries {
		if e.Event == transcripts.EventResumed {
			return c.Entries[i+1:]
		}
	}
	t.Fatalf("no resumed event stored: %+v", c.Entries)
	return nil
}

// A bot-only conversation resumes with its transcript, the bot still knows
// the order and the topic, and the next message goes to the same record.
func TestResumeBotOnlyConversation(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.typeText("thanks, where is it now?")
	h.enter()
	before := h.conversation()
	id := leave(t, h)

	r := resumeHarness(t, h, id, h.clock.Now().Add(time.Hour))
	r.mustShow("Conversation resumed", "thanks, where is it now?", "250-1234567-1234567", "You are talking to the assistant")
	r.typeText("it still has not arrived, can you check the delivery?")
	r.enter()
	r.mustShow("it still has not arrived")

	after := r.conversation()
	if after.ID != id || r.m.sess.id != id {
		t.Fatalf("resumed into %q, want %q", r.m.sess.id, id)
	}
	if after.Status != transcripts.StatusOpen {
		t.Fatalf("status = %s, want open again", after.Status)
	}
	if !strings.HasPrefix(entryTexts(after.Entries), entryTexts(before.Entries)) {
		t.Fatal("the stored entries before the resume changed")
	}
	later := entriesAfterResume(t, after)
	if len(later) != 2 || later[0].Role != transcripts.RoleCustomer || later[1].Role != transcripts.RoleBot {
		t.Fatalf("entries after the resume: %+v", later)
	}
	reply := strings.ToLower(later[1].Text)
	for _, asked := range []string{"which order", "order number", "what is it about"} {
		if strings.Contains(reply, asked) {
			t.Fatalf("the bot asked again for what it knew (%q): %s", asked, later[1].Text)
		}
	}
	if later[1].Meta == nil || later[1].Meta.Action == "clarify" {
		t.Fatalf("the bot did not carry on with the topic: %+v", later[1].Meta)
	}
	n, err := h.store.Count()
	if err != nil || n != 1 {
		t.Fatalf("%d conversations stored (%v), want the one", n, err)
	}
}

// An escalated conversation goes back into the operators' queue with its
// packet; the operator greets with the handover and asks for nothing the
// packet holds.
func TestResumeEscalatedConversation(t *testing.T) {
	h := newHarness(t, harnessOpts{faults: &handoff.Faults{}})
	h.startChat()
	h.typeText("I want to talk to a human please")
	h.enter()
	h.mustShow("Who should answer?")
	h.enter()
	h.advanceUntil("joined", 5*time.Second, 200)
	h.advanceUntil("I've read", 5*time.Second, 200)
	id := leave(t, h)

	r := resumeHarness(t, h, id, h.clock.Now().Add(10*time.Minute))
	r.mustShow("Conversation resumed", "I want to talk to a human please", "handed to a person", "Smith joined")
	if !r.m.sess.st.Escalated || !r.m.sess.st.Queued {
		t.Fatal("the resumed chat is not with the desk")
	}
	r.advanceUntil("taken over from", 5*time.Second, 400)
	r.mustShow("You are talking to")
	r.ctrl('r')
	r.mustShow("What the operator receives", "250-1234567-1234567")
	r.ctrl('r')

	// The operator carries on; whatever they write, they never ask for the
	// order or the customer again.
	r.typeText("thank you")
	r.enter()
	r.advance(2 * time.Minute)
	c := r.conversation()
	if c.ID != id || c.Status != transcripts.StatusEscalated {
		t.Fatalf("stored %s with status %s", c.ID, c.Status)
	}
	later := entriesAfterResume(t, c)
	var joined, greeted, customer bool
	for _, e := range later {
		switch {
		case e.Event == transcripts.EventOperatorJoined || e.Event == transcripts.EventTransfer:
			joined = true
		case e.Role == transcripts.RoleOperator:
			if strings.Contains(e.Text, "taken over from") {
				greeted = true
			}
			for _, asked := range []string{"order number", "your name", "Which item"} {
				if strings.Contains(e.Text, asked) {
					t.Fatalf("the operator asked again for what the packet holds: %s", e.Text)
				}
			}
		case e.Role == transcripts.RoleCustomer && e.Text == "thank you":
			customer = true
		}
	}
	if !joined || !greeted || !customer {
		t.Fatalf("after the resume: joined %v, handover greeting %v, customer message %v\n%+v", joined, greeted, customer, later)
	}
}

// A closed conversation is never resumed, even when asked for directly.
func TestResumeClosedConversationIsRefused(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.ctrl('x')
	h.enter()
	h.mustShow("Conversation closed")
	id := h.m.sess.id

	r := resumeHarness(t, h, id, h.clock.Now())
	r.mustShow("This conversation is closed, so it cannot be resumed.")
	c := r.conversation()
	for _, e := range c.Entries {
		if e.Event == transcripts.EventResumed {
			t.Fatal("a resumed event was stored for a closed conversation")
		}
	}
}

// Inside the app: the closed screen's history, then the resume key on an
// abandoned conversation, opens the chat on it.
func TestResumeFromHistoryInsideTheApp(t *testing.T) {
	first := newHarness(t, harnessOpts{})
	first.startChat()
	first.typeText("thanks, where is it now?")
	first.enter()
	abandoned := leave(t, first)

	h := newHarness(t, harnessOpts{store: first.store, at: first.clock.Now().Add(time.Hour)})
	h.store = first.store
	h.startChat()
	h.ctrl('x')
	h.enter()
	h.mustShow("Conversation closed")
	h.typeText("h")
	h.mustShow("1 of 1 matches")
	h.enter()
	h.mustShow("Conversation " + h.m.sess.id)
	// The closed one cannot be resumed: the key is not offered.
	if strings.Contains(h.view(), "resume in chat") {
		t.Fatalf("resume offered for a closed conversation:\n%s", h.view())
	}
	h.typeText("r")
	h.mustShow("closed, so it cannot be resumed")
	h.esc() // back to the list
	h.esc() // clear the search: every conversation
	h.down()
	h.enter()
	h.mustShow("Conversation "+abandoned, "resume in chat")
	h.typeText("r")
	h.mustShow("Conversation resumed", "thanks, where is it now?")
	if h.m.screen != screenChat || h.m.sess.id != abandoned {
		t.Fatalf("screen %d on %q, want the chat on %q", h.m.screen, h.m.sess.id, abandoned)
	}
	h.typeText("any news?")
	h.enter()
	later := entriesAfterResume(t, h.conversation())
	if len(later) < 1 || later[0].Text != "any news?" {
		t.Fatalf("the message did not go to the resumed conversation: %+v", later)
	}
}

func entryTexts(es []transcripts.Entry) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(string(e.Role) + ":" + string(e.Event) + ":" + e.Text + "\n")
	}
	return b.String()
}

// Keys typed while the stored conversation loads are kept, and Enter then
// waits: nothing is sent into a conversation that is not back yet.
func TestResumeKeepsWhatWasTypedWhileLoading(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	id := leave(t, h)

	r := &harness{t: t, clock: handoff.NewVirtualClock(h.clock.Now()), store: h.store}
	cfg := h.m.cfg
	cfg.Clock, cfg.ResumeID = r.clock, id
	r.m = New(cfg)
	r.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	r.mustShow("Loading the conversation")
	r.typeText("hello again")
	r.enter() // not sent: nothing is loaded yet
	r.run(r.m.Init())
	r.mustShow("Conversation resumed", "hello again")
	if later := entriesAfterResume(t, r.conversation()); len(later) != 0 {
		t.Fatalf("something was sent while loading: %+v", later)
	}
	r.enter()
	later := entriesAfterResume(t, r.conversation())
	if len(later) < 1 || later[0].Text != "hello again" {
		t.Fatalf("the typed message was lost: %+v", later)
	}
}

// An escalated conversation whose packet is missing (imported, say) still
// goes back to the queue, with a packet rebuilt from the stored record.
func TestResumeEscalatedWithoutPacketRebuildsIt(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	at := h.clock.Now()
	_, err := h.store.CreateConversation(transcripts.Conversation{ID: "c-imported", StartedAt: at, Lang: "en",
		Customer: transcripts.Customer{Name: "Yumi Sato", HasAccount: true}, OrderID: "250-1234567-1234567",
		Topic: "delivery/not_arrived", Channel: "chat", Status: transcripts.StatusEscalated,
		Entries: []transcripts.Entry{
			{At: at, Role: transcripts.RoleCustomer, Author: "You", Text: "My earbuds never came."},
			{At: at, Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: &transcripts.Meta{Reason: "human_requested"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	r := resumeHarness(t, h, "c-imported", at.Add(time.Minute))
	r.mustShow("Conversation resumed", "My earbuds never came.")
	r.advanceUntil("joined", 5*time.Second, 200)
	r.ctrl('r')
	r.mustShow("What the operator receives", "250-1234567-1234567", "human_requested")
	r.ctrl('r')
	r.advanceUntil("read your conversation", 5*time.Second, 200)
	for _, e := range entriesAfterResume(t, r.conversation()) {
		if e.Role == transcripts.RoleOperator && strings.Contains(e.Text, "order number") {
			t.Fatalf("the operator asked for the order the record holds: %s", e.Text)
		}
	}
}

// The resume strings follow --lang.
func TestResumeInJapanese(t *testing.T) {
	h := newHarness(t, harnessOpts{lang: "ja"})
	h.startChat()
	id := leave(t, h)
	r := &harness{t: t, clock: handoff.NewVirtualClock(h.clock.Now()), store: h.store}
	cfg := h.m.cfg
	cfg.Clock, cfg.ResumeID = r.clock, id
	r.m = New(cfg)
	r.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	r.mustShow("会話を読み込んでいます…")
	tuitest.CheckFits(t, r.m.View().Content, 80, 24)
	r.run(r.m.Init())
	r.mustShow("会話を再開しました", "250-1234567-1234567")
	tuitest.CheckFits(t, r.m.View().Content, 80, 24)
}
