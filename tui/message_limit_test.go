package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"tsunagu/handoff"
)

// A customer who sends faster than MessageLimit allows has the next message
// held in the input box with a notice; once the clock has moved on, Enter
// sends it. Nothing is lost, and no limit means nothing is held.
func TestMessageLimit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lang  string
		limit MessageLimit
		sends int           // sent before the one that may be held
		held  bool          // the next one is held
		wait  time.Duration // enough for one more
	}{
		{name: "no limit", limit: MessageLimit{}, sends: 12},
		{name: "under the burst", limit: MessageLimit{PerMinute: 6, Burst: 3}, sends: 2},
		{name: "burst used", limit: MessageLimit{PerMinute: 6, Burst: 3}, sends: 3, held: true, wait: 10 * time.Second},
		{name: "burst defaults to the rate", limit: MessageLimit{PerMinute: 2}, sends: 2, held: true, wait: 30 * time.Second},
		{name: "japanese", lang: "ja", limit: MessageLimit{PerMinute: 1}, sends: 1, held: true, wait: time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{lang: tc.lang, limit: tc.limit})
			h.startChat()
			notice := h.m.text.SendTooFast
			for i := range tc.sends {
				h.typeText(fmt.Sprintf("message %d", i))
				h.enter()
				if v := h.m.chat.Input().Value(); v != "" {
					t.Fatalf("message %d was not sent: the box holds %q\n%s", i, v, h.view())
				}
			}
			last := "one more please"
			h.typeText(last)
			h.enter()
			if !tc.held {
				if v := h.m.chat.Input().Value(); v != "" || strings.Contains(h.view(), notice) {
					t.Fatalf("held without a reason: box %q\n%s", v, h.view())
				}
				return
			}
			if v := h.m.chat.Input().Value(); v != last {
				t.Fatalf("the held message is not in the box: %q", v)
			}
			h.mustShow(notice)
			if h.sentTexts()[last] {
				t.Fatal("the held message was sent")
			}
			h.enter() // still too soon: still held
			if v := h.m.chat.Input().Value(); v != last {
				t.Fatalf("a second Enter lost the message: %q", v)
			}
			h.advance(tc.wait)
			h.enter()
			if v := h.m.chat.Input().Value(); v != "" {
				t.Fatalf("not sent after waiting: the box holds %q\n%s", v, h.view())
			}
			if strings.Contains(h.view(), notice) {
				t.Fatalf("the notice stayed after sending:\n%s", h.view())
			}
			sent := h.sentTexts()
			for i := range tc.sends {
				if !sent[fmt.Sprintf("message %d", i)] {
					t.Errorf("message %d is not in the conversation", i)
				}
			}
			if !sent[last] {
				t.Errorf("the held message never reached the conversation")
			}
		})
	}
}

// sentTexts is every text of the stored conversation.
func (h *harness) sentTexts() map[string]bool {
	out := map[string]bool{}
	for _, e := range h.conversation().Entries {
		out[e.Text] = true
	}
	return out
}

// With its own clock (a server whose simulated clock runs fast), the limit
// counts real minutes: the app's clock racing ahead frees nothing.
func TestMessageLimitOnItsOwnClock(t *testing.T) {
	wall := handoff.NewVirtualClock(time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC))
	h := newHarness(t, harnessOpts{limit: MessageLimit{PerMinute: 1, Clock: wall}})
	h.startChat()
	h.typeText("first")
	h.enter()
	h.typeText("second")
	h.enter()
	h.mustShow(h.m.text.SendTooFast)
	h.advance(10 * time.Minute) // the simulated clock
	h.enter()
	if v := h.m.chat.Input().Value(); v != "second" {
		t.Fatalf("sent on the simulated clock's minutes: box %q", v)
	}
	wall.Advance(time.Minute)
	h.enter()
	if v := h.m.chat.Input().Value(); v != "" {
		t.Fatalf("not sent after a real minute: box %q", v)
	}
}
