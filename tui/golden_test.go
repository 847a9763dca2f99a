package tui

import (
	"fmt"
	"testing"
	"time"
	"tsunagu/tui/internal/tuitest"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
)

// Golden views of the chat after an escalation, with an operator answering
// and the receipt open, at 80×24 and 120×40 in Japanese and English. The
// clock, seed, size and colour profile (NO_COLOR) are fixed.
func TestGoldenChat(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				h := newHarness(t, harnessOpts{lang: lang, width: size[0], height: size[1]})
				h.startChat()
				h.ctrl('o')
				h.enter()
				h.advance(20 * time.Second)
				h.ctrl('r')
				v := h.view()
				tuitest.CheckFits(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// Golden views of each contact-flow screen in both languages at 80×24.
func TestGoldenFlowScreens(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, harnessOpts{lang: lang, width: 80, height: 24})
			var all string
			shot := func() {
				v := h.view()
				tuitest.CheckFits(t, v, 80, 24)
				all += v + "\n" + "────────────────────────────────────────" + "\n"
			}
			h.down()
			shot() // start, no account with contact numbers
			h.press(tea.KeyUp, 0)
			h.esc()
			h.enter()
			shot() // orders
			h.enter()
			shot() // categories
			h.enter()
			shot() // sub-topics
			h.enter()
			shot() // channel
			h.down()
			h.enter()
			h.typeText("090-1234-5678")
			shot() // phone
			golden.RequireEqual(t, []byte(all))
		})
	}
}
