package tui

import (
	"strings"
	"testing"
	"time"

	"tsunagu/transcripts"
	"tsunagu/tui/components"
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
	for i := range h.m.chat.transcript.Len() {
		if msg := h.m.chat.transcript.Message(i); msg.Save == components.NotSaved {
			t.Errorf("resumed message %d %q marked by the old chat's write", i, msg.Text)
		}
	}
}
