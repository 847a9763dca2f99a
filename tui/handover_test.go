package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// Issue 12: what the customer types while "Who should answer?" is open is
// kept (shown, stored, in the packet the operator receives), and Enter with
// text sends it instead of confirming; Enter on an empty box confirms.
func TestTypingAtTheChoiceIsKept(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.ctrl('o')
	h.mustShow("Who should answer?")
	h.typeText("it was a birthday present")
	h.enter()
	if !h.m.chat.Choosing() || h.m.sess.st.Queued {
		t.Fatalf("Enter with text confirmed the choice:\n%s", h.view())
	}
	h.mustShow("it was a birthday present", "Who should answer?")
	h.down()
	h.enter() // the box is empty now: this confirms "native speaker"
	if !h.m.sess.st.Queued {
		t.Fatalf("Enter on an empty box did not confirm:\n%s", h.view())
	}
	found := false
	for _, l := range h.m.sess.st.Packet.Transcript {
		found = found || l.Speaker == handoff.SpeakerCustomer && l.Text == "it was a birthday present"
	}
	if !found {
		t.Fatalf("not in the packet: %+v", h.m.sess.st.Packet.Transcript)
	}
	native := false
	for _, e := range h.conversation().Entries {
		native = native || e.Event == transcripts.EventOperatorChoice && e.Meta != nil && e.Meta.Reason == transcripts.ChoiceNativeSpeaker
	}
	if !native {
		t.Fatal("the native-speaker choice is not stored")
	}
}

// Issue 12: Esc at the choice goes back to the assistant without queueing.
func TestEscAtTheChoiceStaysWithTheBot(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.ctrl('o')
	h.mustShow("Who should answer?")
	h.esc()
	if h.m.chat.Choosing() || h.m.sess.st.Queued || h.m.sess.st.Choosing {
		t.Fatalf("still choosing or queued after Esc:\n%s", h.view())
	}
	if h.m.screen != screenChat {
		t.Fatalf("Esc left the chat for screen %d", h.m.screen)
	}
	h.advance(time.Minute)
	if strings.Contains(h.view(), "joined") {
		t.Fatalf("an operator joined after Esc:\n%s", h.view())
	}
	h.mustShow("talking to the assistant")
	h.typeText("where is my order?")
	h.enter()
	if h.m.sess.st.Last == nil || h.m.sess.st.Queued {
		t.Fatalf("the bot does not answer after Esc:\n%s", h.view())
	}
}

// Issue 12: the header says the chat waits for an operator while it is in
// the queue, and the expected wait counts down as simulated time passes.
func TestWaitingHeaderAndCountdown(t *testing.T) {
	h := newHarness(t, harnessOpts{load: 900})
	h.startChat()
	h.ctrl('o')
	h.enter()
	h.mustShow("Waiting for an operator", "In the queue: position")
	first := h.m.sess.st.Wait
	for range 6 {
		h.advance(5 * time.Second)
	}
	if !h.m.sess.st.InQueue {
		t.Skip("an operator took the chat before the wait could be seen to count down")
	}
	if got := h.m.sess.st.Wait; got >= first {
		t.Fatalf("the expected wait did not count down: %v then %v", first, got)
	}
	h.mustShow("Waiting for an operator")
}

// Issue 12: keys pressed while "Loading the rules…" is shown are applied
// once the rules have loaded.
func TestKeysWhileTheRulesLoadAreApplied(t *testing.T) {
	first := newHarness(t, harnessOpts{})
	cfg := first.m.cfg
	cfg.LoadBot = nil // the rules are still loading
	h := &harness{t: t, clock: first.clock, store: first.store}
	h.m = New(cfg)
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.enter() // signed in
	h.enter() // first order
	h.mustShow("Loading")
	h.enter() // Delivery, typed while the menu loads
	h.enter() // Not arrived
	h.send(botLoadedMsg{bot: realBot(t)})
	if h.m.screen != screenChannel {
		t.Fatalf("the keys typed while the rules loaded were lost: screen %d\n%s", h.m.screen, h.view())
	}
	if got := h.m.sess.contact.Topic.ID; got != "not_arrived" {
		t.Fatalf("chose topic %q", got)
	}
}
