package tui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tsunagu/handoff"
	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

// The whole journey of the product contract, driven through Update: signed in, an
// order, a topic, chat with the bot, an escalation, an operator joining, a
// transfer, ratings, closed. It checks the screen and the store.
func TestJourneyChatEscalateTransferRateClose(t *testing.T) {
	h := newHarness(t, harnessOpts{faults: &handoff.Faults{LineFault: 0.5}})
	h.mustShow("Signed in as Yumi Sato", "I don't have an account")
	h.enter()
	h.mustShow("Which order is this about?", "250-1234567-1234567", "Not about an order")
	h.enter()
	h.mustShow("What is it about?", "Delivery")
	h.enter()
	h.mustShow("Delivery: what exactly?", "Not arrived")
	h.enter()
	h.mustShow("How would you like to be contacted?", "Chat now", "Request a phone call")
	h.enter()

	// The bot opens with what it knows and is named as the one answering.
	h.mustShow("You are talking to the assistant (a bot)", "250-1234567-1234567", "Wireless earbuds")
	h.typeText("thanks, where is it now?")
	h.enter()
	h.mustShow("thanks, where is it now?")

	// A typed request for a person escalates.
	h.typeText("I want to talk to a human please")
	h.enter()
	h.mustShow("Handing you to a person", "Who should answer?", "First available operator", "A native English speaker")
	h.enter() // first available

	h.advanceUntil("joined", 5*time.Second, 200)
	h.mustShow("You are talking to", "English: native")
	h.advanceUntil("transferred from", 5*time.Second, 400)

	// The receipt shows what the operator holds.
	h.ctrl('r')
	h.mustShow("What the operator receives", "human_requested", "250-1234567-1234567")
	h.ctrl('r')
	h.ctrl('y')
	h.mustShow("Why did the bot do that?", "escalate")
	h.ctrl('y')

	h.ctrl('x')
	h.mustShow("How did we do?", "The assistant (bot)", "The operator")
	h.typeText("4")
	h.down()
	h.typeText("5")
	h.enter()
	h.mustShow("Conversation closed", "tsunagu history show "+h.m.sess.id, "Press h to view it in history")

	c := h.conversation()
	if c.Status != transcripts.StatusClosed {
		t.Errorf("stored status = %s, want closed", c.Status)
	}
	if c.OrderID != "250-1234567-1234567" || c.Topic != "delivery/not_arrived" || c.Channel != "chat" {
		t.Errorf("stored header = order %q topic %q channel %q", c.OrderID, c.Topic, c.Channel)
	}
	events := map[transcripts.Event]int{}
	ratings := map[string]int{}
	var customer []string
	for _, e := range c.Entries {
		events[e.Event]++
		if e.Event == transcripts.EventRating {
			ratings[e.Author] = e.Meta.Rating
		}
		if e.Role == transcripts.RoleCustomer {
			customer = append(customer, e.Text)
		}
		if e.Event == transcripts.EventEscalated {
			var p handoff.Packet
			if err := json.Unmarshal(e.Meta.Packet, &p); err != nil || p.Reason != "human_requested" || p.Facts.Order == nil {
				t.Errorf("escalation packet = %+v, %v", p, err)
			}
		}
	}
	for _, ev := range []transcripts.Event{transcripts.EventEscalated, transcripts.EventOperatorJoined, transcripts.EventTransfer, transcripts.EventOperatorLeft, transcripts.EventClosed} {
		if events[ev] == 0 {
			t.Errorf("store has no %s event; events: %v", ev, events)
		}
	}
	if ratings["bot"] != 4 || ratings["operator"] != 5 {
		t.Errorf("ratings = %v, want bot 4 and operator 5", ratings)
	}
	if len(customer) != 2 || customer[1] != "I want to talk to a human please" {
		t.Errorf("customer messages = %q", customer)
	}
	// "View in history" opens the history browser on this conversation, and
	// leaving it comes back.
	h.typeText("h")
	if h.m.screen != screenHistory {
		t.Fatalf("h did not open the history:\n%s", h.view())
	}
	h.mustShow(h.m.sess.id)
	h.esc()
	h.esc()
	if h.m.screen != screenClosed {
		t.Fatalf("leaving the history went to screen %d:\n%s", h.m.screen, h.view())
	}

	// Every message shown was saved: no "not saved" mark anywhere.
	for i := range h.m.chat.Transcript().Len() {
		if m := h.m.chat.Transcript().Message(i); m.Save != 0 && m.Save != 2 {
			t.Errorf("message %d %q has save state %d", i, m.Text, m.Save)
		}
	}
}

// The help key (ctrl+o) asks for a person, and the operator's greeting
// restates the problem from the packet without asking for the order again.
func TestHumanKeyAndNoRepeatedQuestions(t *testing.T) {
	h := newHarness(t, harnessOpts{lang: "ja"})
	h.startChat()
	h.mustShow("アシスタント（ボット）が対応しています")
	h.ctrl('o')
	h.mustShow("担当者と話したいです。", "担当者におつなぎします")
	h.press('2', 0)
	h.enter()
	h.advanceUntil("が参加しました", 5*time.Second, 200)
	h.advanceUntil("250-1234567-", 5*time.Second, 50)
	v := h.view()
	for _, ask := range []string{"注文番号を教えて", "ご注文番号をお知らせ"} {
		if strings.Contains(v, ask) {
			t.Errorf("the operator asked for the order again:\n%s", v)
		}
	}
}

// Without an account only account and login help is offered, with the
// shop's contact numbers.
func TestNoAccountPath(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.down()
	h.mustShow("Without an account", "Hoshizora Market contact numbers", "0120-000-000", "fictional")
	h.enter()
	h.mustShow("What is it about?", "Account & login")
	v := h.view()
	for _, hidden := range []string{"Delivery", "Problem with an item", "Returns & refunds"} {
		if strings.Contains(v, hidden) {
			t.Errorf("no-account menu offers %q:\n%s", hidden, v)
		}
	}
	h.enter()
	h.enter()
	h.enter() // chat now
	h.mustShow("You are talking to the assistant")
	h.advance(time.Second)
	c := h.conversation()
	if c.Customer.HasAccount || c.OrderID != "" {
		t.Errorf("stored customer = %+v order %q", c.Customer, c.OrderID)
	}
}

// Esc goes back at every step of the flow.
func TestBackWorksAtEveryStep(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.enter()
	h.enter()
	h.enter()
	h.mustShow("Delivery: what exactly?")
	h.esc()
	h.mustShow("What is it about?")
	h.esc()
	h.mustShow("Which order is this about?")
	h.esc()
	h.mustShow("Who are you?")
	h.enter()
	h.enter()
	h.enter()
	h.enter()
	h.mustShow("How would you like to be contacted?")
	h.esc()
	h.mustShow("Delivery: what exactly?")
}

// The order list filters as the customer types.
func TestOrderFilter(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.enter()
	h.typeText("kettle")
	h.mustShow("Electric kettle", "Not about an order")
	if strings.Contains(h.view(), "Wireless earbuds") {
		t.Fatalf("filter kept a non-matching order:\n%s", h.view())
	}
	h.enter()
	if h.m.sess.contact.Order == nil || h.m.sess.contact.Order.ID != "250-2345678-2345678" {
		t.Fatalf("chose %+v", h.m.sess.contact.Order)
	}
}

// The callback path inside phone hours: live validation, "within N minutes",
// confirmation on screen and in the store.
func TestCallbackInsidePhoneHours(t *testing.T) {
	h := newHarness(t, harnessOpts{at: time.Date(2026, 11, 26, 10, 0, 0, 0, tuitest.JST)})
	h.enter()
	h.enter()
	h.enter()
	h.enter()
	h.down()
	h.enter()
	h.mustShow("Request a phone call", "Phone hours are 09:00-18:00")
	h.typeText("090-12")
	h.mustShow("✗")
	h.enter() // invalid: nothing happens
	h.mustShow("Your phone number")
	h.typeText("34-5678")
	h.mustShow("✓ we will call 090-1234-5678")
	h.enter()
	h.mustShow("Callback booked", "090-1234-5678", "minutes", "tsunagu history show")
	c := h.conversation()
	if c.Channel != "callback" {
		t.Errorf("channel = %q", c.Channel)
	}
	var booked *transcripts.Entry
	for i := range c.Entries {
		if c.Entries[i].Event == transcripts.EventCallbackBooked {
			booked = &c.Entries[i]
		}
	}
	if booked == nil || booked.Meta.CallbackAt == nil || booked.Meta.CallbackAt.Sub(h.clock.Now()) > time.Hour {
		t.Fatalf("callback entry = %+v", booked)
	}
}

// Outside phone hours the next opening is offered and booked.
func TestCallbackOutsidePhoneHours(t *testing.T) {
	h := newHarness(t, harnessOpts{at: time.Date(2026, 11, 26, 21, 30, 0, 0, tuitest.JST)})
	h.enter()
	h.enter()
	h.enter()
	h.enter()
	h.mustShow("phone lines are closed; next opening Fri 27 Nov 09:00")
	h.down()
	h.enter()
	h.mustShow("The next opening is Fri 27 Nov 09:00", "Enter: book a call for Fri 27 Nov 09:00")
	h.typeText("+81 90 1234 5678")
	h.enter()
	h.mustShow("Callback booked", "Fri 27 Nov 09:00")
	c := h.conversation()
	var at *time.Time
	for _, e := range c.Entries {
		if e.Event == transcripts.EventCallbackBooked {
			at = e.Meta.CallbackAt
		}
	}
	want := time.Date(2026, 11, 27, 9, 0, 0, 0, tuitest.JST)
	if at == nil || at.Before(want) || at.After(want.Add(time.Hour)) {
		t.Fatalf("booked at %v, want from %v", at, want)
	}
}

// From the chat the customer can switch to a phone callback; the booking
// joins the same conversation.
func TestCallbackFromChat(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.ctrl('l')
	h.mustShow("Request a phone call")
	h.typeText("03-1234-5678")
	h.enter()
	h.mustShow("phone callback booked for 03-1234-5678")
	c := h.conversation()
	found := false
	for _, e := range c.Entries {
		found = found || e.Event == transcripts.EventCallbackBooked
	}
	if !found || c.Channel != "chat" {
		t.Fatalf("conversation %+v has no callback", c)
	}
}

// While waiting, the status line shows the queue position and an expected
// wait that update live, the customer can keep typing (the messages join
// the packet), and the header names the operator once one joins.
func TestQueuePositionAndETAUpdateLive(t *testing.T) {
	h := newHarness(t, harnessOpts{load: 900})
	h.startChat()
	h.ctrl('o')
	h.enter()
	h.mustShow("In the queue: position")
	statuses := map[string]bool{}
	h.typeText("also, the box was wet")
	h.enter()
	for range 400 {
		line := strings.Split(h.view(), "\n")[2]
		if !strings.Contains(line, "In the queue") {
			break
		}
		statuses[line] = true
		h.advance(5 * time.Second)
	}
	if len(statuses) < 2 {
		t.Fatalf("the queue status never changed: %v", statuses)
	}
	h.advanceUntil("joined", 5*time.Second, 400)
	h.mustShow("You are talking to")
	h.ctrl('r')
	h.mustShow("Transcript lines: 3") // the opening, the request and the message typed while waiting
	var queued int
	for _, e := range h.conversation().Entries {
		if e.Event == transcripts.EventQueue {
			queued++
		}
	}
	if queued == 0 {
		t.Error("no queue event stored")
	}
}

// Ctrl+C quits cleanly from any screen; an open conversation is kept,
// marked abandoned.
func TestCtrlCQuitsAndKeepsTheConversation(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.typeText("hello")
	h.enter()
	h.ctrl('c')
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
	if c := h.conversation(); c.Status != transcripts.StatusAbandoned || len(c.Entries) < 2 {
		t.Fatalf("stored %s with %d entries", c.Status, len(c.Entries))
	}
	for _, start := range []func(*harness){
		func(*harness) {}, func(h *harness) { h.enter() }, func(h *harness) { h.down(); h.enter() },
	} {
		h := newHarness(t, harnessOpts{})
		start(h)
		h.ctrl('c')
		if !h.quit {
			t.Fatalf("ctrl+c did not quit on screen %d", h.m.screen)
		}
	}
}
