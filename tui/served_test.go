package tui

import (
	"errors"
	"strings"
	"testing"
)

// A customer served over SSH shares the store with everybody else: the
// closing screen offers no history and h opens nothing, so nobody can
// browse, resume, export or delete another customer's conversation.
func TestServedCustomerCannotOpenTheHistory(t *testing.T) {
	for _, served := range []bool{false, true} {
		h := newHarness(t, harnessOpts{served: served})
		h.startChat()
		h.typeText("where is my parcel")
		h.enter()
		h.mustShow("where is my parcel")
		h.ctrl('x')
		h.mustShow("How did we do?")
		h.enter()
		h.mustShow("Conversation closed", h.m.sess.id)
		offered := strings.Contains(h.view(), "tsunagu history")
		h.typeText("h")
		opened := h.m.screen == screenHistory
		if served && (offered || opened) {
			t.Errorf("served: history offered %v, opened %v:\n%s", offered, opened, h.view())
		}
		if !served && (!offered || !opened) {
			t.Errorf("local app: history offered %v, opened %v", offered, opened)
		}
	}
}

// Rules that fail to load are reported at once, before any chat: the
// topic menu could never appear without them.
func TestBotThatFailsToLoadIsReported(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.send(botLoadedMsg{err: errors.New("rules.yaml:3: no intents")})
	h.mustShow("Could not start", "rules.yaml:3: no intents")
}
