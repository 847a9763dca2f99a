package tui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui/components"
	"tsunagu/tui/internal/tuitest"
)

// loadingFailingStore is a failingStore that can also load, so a chat can
// be resumed while writes of the last one are failing.
type loadingFailingStore struct {
	*failingStore
	base *transcripts.Store
}

func (s loadingFailingStore) Load(id string) (transcripts.Conversation, error) {
	return s.base.Load(id)
}

// B1: a write that failed is retried in its own conversation, even when
// the customer closed it and resumed another one before the retry.
func TestRetriedWriteStaysInItsConversation(t *testing.T) {
	first := newHarness(t, harnessOpts{})
	first.startChat()
	first.typeText("thanks, where is it now?")
	first.enter()
	abandoned := leave(t, first)

	fs := &failingStore{Store: first.store}
	h := newHarness(t, harnessOpts{store: loadingFailingStore{fs, first.store}, at: first.clock.Now().Add(time.Hour)})
	h.store = first.store
	h.startChat()
	lost := h.m.sess.id
	fs.failing = true
	h.typeText("lost while the disk was full")
	h.enter()
	h.mustShow("not saved, retrying")

	h.send(resumeAskedMsg{id: abandoned})
	h.mustShow("Conversation resumed")
	fs.failing = false
	h.advance(retryAfter)
	h.advance(retryAfter)

	for _, e := range h.conversation().Entries {
		if strings.Contains(e.Text, "lost while") {
			t.Fatalf("the retried write landed in the resumed conversation %s", abandoned)
		}
	}
	c, err := first.store.Load(lost)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range c.Entries {
		found = found || e.Text == "lost while the disk was full"
	}
	if !found {
		t.Errorf("the retried write never reached its own conversation %s: %+v", lost, c.Entries)
	}
	for i := range h.m.chat.Transcript().Len() {
		if msg := h.m.chat.Transcript().Message(i); msg.Save == components.NotSaved {
			t.Errorf("resumed message %d %q marked by the old chat's write", i, msg.Text)
		}
	}
}

// B2: a message sent while the bot is still starting is answered once it
// has started.
func TestMessageBeforeBotStartedIsAnswered(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.enter() // signed in
	h.enter() // first order
	h.enter() // Delivery
	h.enter() // Not arrived
	// "Chat now": the bot's start is held back while the customer types.
	_, starting := h.m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	h.typeText("where is my parcel?")
	h.enter()
	h.run(starting)
	if h.m.sess.st.Answering {
		t.Fatalf("still answering:\n%s", h.view())
	}
	bots := 0
	for i := range h.m.chat.Transcript().Len() {
		if h.m.chat.Transcript().Message(i).Role == components.RoleBot {
			bots++
		}
	}
	if bots < 2 {
		t.Fatalf("the bot gave %d messages (opening only?), want an answer to the early message:\n%s", bots, h.view())
	}
}

// B2: the poll for the rules survives a trip to the rating page while a
// resumed conversation waits for them.
func TestBotPollSurvivesRatingPage(t *testing.T) {
	first := newHarness(t, harnessOpts{})
	first.startChat()
	first.typeText("thanks, where is it now?")
	first.enter()
	id := leave(t, first)

	r := &harness{t: t, clock: handoff.NewVirtualClock(first.clock.Now().Add(time.Hour)), store: first.store}
	cfg := first.m.cfg
	cfg.Clock, cfg.ResumeID, cfg.LoadBot = r.clock, id, nil // the rules are still loading
	r.m = New(cfg)
	r.run(r.m.Init())
	r.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	r.esc()
	if r.m.screen != screenRate {
		t.Fatalf("esc went to screen %d", r.m.screen)
	}
	r.send(botLoadedMsg{bot: realBot(t)})
	r.advance(time.Second)
	r.esc() // back to the chat
	if r.m.screen != screenChat || r.m.sess.st.Answering || r.m.sess.resuming {
		t.Fatalf("screen %d busy %v resuming %v:\n%s", r.m.screen, r.m.sess.st.Answering, r.m.sess.resuming, r.view())
	}
}

// B3: errors from the domain reach the screen without their escapes, in
// the customer app's fatal message (the trainee app's error line is tested
// in tui/train).
func TestErrorTextIsSanitisedOnScreen(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.m.cfg.NewDesk = func(string) (chat.Desk, error) { return nil, errors.New(tuitest.EvilError) }
	h.startChat()
	h.ctrl('o') // ask for a person: the desk fails to start
	if h.m.fatal == "" {
		t.Fatal("the desk failure is not shown")
	}
	h.mustShow("desk down")
	tuitest.CheckNoEscapes(t, h.m.View().Content)
}

// B4: quitting waits for a write that is waiting for its retry, says it is
// saving, and quits once it is written; the fatal message's key quits the
// same way.
func TestQuitWaitsForRetriedWrites(t *testing.T) {
	for _, fatal := range []bool{false, true} {
		base := newHarness(t, harnessOpts{})
		fs := &failingStore{Store: base.store}
		h := newHarness(t, harnessOpts{store: fs})
		h.store = base.store
		if fatal {
			h.m.cfg.NewDesk = func(string) (chat.Desk, error) { return nil, errors.New("no desk") }
		}
		h.startChat()
		fs.failing = true
		h.typeText("keep this")
		h.enter()
		h.mustShow("not saved, retrying")
		if fatal {
			h.ctrl('o')
			h.mustShow("no desk")
			h.typeText("x") // any key leaves the fatal message
		} else {
			h.ctrl('c')
		}
		if h.quit {
			t.Fatalf("fatal=%v: quit with a write waiting for its retry", fatal)
		}
		h.mustShow("Saving")
		fs.failing = false
		h.advance(retryAfter)
		if !h.quit {
			t.Fatalf("fatal=%v: did not quit once written:\n%s", fatal, h.view())
		}
		found := false
		for _, e := range h.conversation().Entries {
			found = found || e.Text == "keep this"
		}
		if !found {
			t.Errorf("fatal=%v: the message was not written before quitting", fatal)
		}
	}
}

// countingCallbacks counts bookings.
type countingCallbacks struct {
	chat.Callbacks
	booked int
}

func (c *countingCallbacks) Book(now time.Time, number string) (handoff.Booking, error) {
	c.booked++
	return c.Callbacks.Book(now, number)
}

// R1: Enter pressed twice before the first booking or closing came back
// books one call and closes once.
func TestDoubleEnterBooksAndClosesOnce(t *testing.T) {
	cb := &countingCallbacks{Callbacks: handoff.NewCallbacks(handoff.DefaultPool())}
	h := newHarness(t, harnessOpts{callbacks: cb})
	for range 4 {
		h.enter()
	}
	h.down()
	h.enter()
	h.typeText("090-1234-5678")
	_, first := h.m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	_, second := h.m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	h.run(first)
	h.run(second)
	if cb.booked != 1 {
		t.Fatalf("two Enters booked %d calls", cb.booked)
	}

	h = newHarness(t, harnessOpts{})
	h.startChat()
	h.ctrl('x')
	h.typeText("4")
	_, first = h.m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	_, second = h.m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	h.run(first)
	h.run(second)
	h.mustShow("Conversation closed")
	if n := h.m.sess.st.Lost + h.m.sess.st.Pending; n != 0 {
		t.Fatalf("%d writes not saved after a double Enter:\n%s", n, h.view())
	}
	counts := map[transcripts.Event]int{}
	for _, e := range h.conversation().Entries {
		counts[e.Event]++
	}
	if counts[transcripts.EventClosed] != 1 || counts[transcripts.EventRating] != 1 {
		t.Fatalf("stored events = %v, want one rating and one closed", counts)
	}
}

// R3: on a 30×8 terminal the paste notice and the operator choice take
// rows from the transcript, not from the input or the choice below it.
func TestShortTerminalKeepsInputAndChoice(t *testing.T) {
	h := newHarness(t, harnessOpts{width: 30, height: 8})
	h.startChat()
	h.send(tea.PasteMsg{Content: strings.Repeat("x", 20000)})
	if h.m.chat.Input().Notice() == "" {
		t.Fatal("no paste notice")
	}
	if rows, budget := strings.Count(h.m.chat.View(), "\n")+1, h.m.bodyHeight(); rows > budget {
		t.Fatalf("chat with a notice needs %d rows, has %d: the input is cut", rows, budget)
	}
	tuitest.CheckFits(t, h.m.View().Content, 30, 8)

	h = newHarness(t, harnessOpts{width: 30, height: 8})
	h.startChat()
	h.ctrl('o')
	if !h.m.chat.Choosing() {
		t.Fatal("the operator choice is not open")
	}
	if rows, budget := strings.Count(h.m.chat.View(), "\n")+1, h.m.bodyHeight(); rows > budget {
		t.Fatalf("chat with the choice needs %d rows, has %d: the choice is cut", rows, budget)
	}
	h.mustShow("1/2 or")
}

// R2: what the customer types after the escalation, before the desk is
// ready and the choice is made, reaches the operator's packet.
func TestMessagesBeforeDeskReadyReachThePacket(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	_, starting := h.m.Update(tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}) // the escalation and the desk start in this command
	if h.m.sess.st.Escalated {
		t.Fatal("want the escalation still in its command")
	}
	h.typeText("it was a birthday present")
	h.enter()
	h.run(starting)
	h.mustShow("Who should answer?")
	h.enter() // first available
	h.ctrl('r')
	found := false
	for _, l := range h.m.sess.st.Packet.Transcript {
		found = found || l.Speaker == handoff.SpeakerCustomer && l.Text == "it was a birthday present"
	}
	if !found {
		t.Fatalf("the message typed while the desk started is not in the packet: %+v", h.m.sess.st.Packet.Transcript)
	}
	h.mustShow("birthday present")
}
