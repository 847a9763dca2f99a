package tui

import (
	"image/color"
	"strings"
	"testing"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// The theme follows the terminal's background, and NO_COLOR keeps colour
// out of every frame.
func TestThemeFromBackgroundAndNoColor(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.m.cfg.NoColor = false
	h.send(tea.BackgroundColorMsg{Color: color.White})
	if h.m.st.IsDark {
		t.Fatal("a white background gave the dark theme")
	}
	light := h.m.View().Content
	h.send(tea.BackgroundColorMsg{Color: color.Black})
	if !h.m.st.IsDark {
		t.Fatal("a black background gave the light theme")
	}
	dark := h.m.View().Content
	if light == dark || !strings.Contains(dark, "\x1b[") {
		t.Fatal("the two themes render the same, or without colour")
	}

	nc := newHarness(t, harnessOpts{}) // the harness sets NoColor, as NO_COLOR does
	nc.send(tea.BackgroundColorMsg{Color: color.Black})
	nc.startChat()
	for _, sgr := range []string{"\x1b[38;", "\x1b[48;", "\x1b[3", "\x1b[9"} {
		if strings.Contains(nc.m.View().Content, sgr) {
			t.Fatalf("NO_COLOR frame has a colour sequence %q", sgr)
		}
	}
}

// Enter sends; Ctrl+J and Alt+Enter insert a newline; "Why?" is hidden
// until asked for.
func TestNewlineKeysAndWhyHiddenByDefault(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	if strings.Contains(h.view(), "Why did the bot do that?") {
		t.Fatal("the explanation is shown before it is asked for")
	}
	h.typeText("one")
	h.ctrl('j')
	h.typeText("two")
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt})
	h.typeText("three")
	if got := h.m.chat.Input().Value(); got != "one\ntwo\nthree" {
		t.Fatalf("input = %q", got)
	}
	h.enter()
	h.mustShow("  one", "  two", "  three")
	if v := h.m.chat.Input().Value(); v != "" {
		t.Fatalf("input not cleared after sending: %q", v)
	}
	h.press(tea.KeyF2, 0)
	h.mustShow("Why did the bot do that?", "Intent", "Confidence", "Rules fired")
	h.esc()
	if strings.Contains(h.view(), "Why did the bot do that?") {
		t.Fatal("Esc did not close the explanation")
	}
}

// Fuzz the paste path: whatever is pasted, the input holds valid UTF-8
// without controls (but newlines), within the limits.
func FuzzInputPaste(f *testing.F) {
	f.Add("a\r\nb\rc")
	f.Add("\xff\xfe\x1b]52;c;x\a")
	f.Add(strings.Repeat("line\n", 600))
	st := common.NewStyles(true, true)
	text := common.Text("en")
	keys := common.NewKeys(text)
	f.Fuzz(func(t *testing.T, s string) {
		in := components.NewInput(st, text, keys.Chat)
		in.SetSize(40, 3)
		in, _ = in.Update(tea.PasteMsg{Content: s})
		v := in.Value()
		if !utf8.ValidString(v) {
			t.Fatal("invalid UTF-8 in the input")
		}
		for _, r := range v {
			if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f {
				t.Fatalf("control %U in the input", r)
			}
		}
		if utf8.RuneCountInString(v) > components.MaxInputChars || strings.Count(v, "\n")+1 > components.MaxInputLines {
			t.Fatalf("input over the limits: %d chars, %d lines", utf8.RuneCountInString(v), strings.Count(v, "\n")+1)
		}
	})
}
