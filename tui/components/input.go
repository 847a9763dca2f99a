package components

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// Input limits. A message is at most MaxInputChars characters and
// MaxInputLines lines; a longer paste is cut with a visible notice, so the
// textarea never holds a megabyte (it re-renders its whole value each frame).
const (
	MaxInputChars = 10000
	MaxInputLines = 500
	// manyLines is where the textarea itself would silently cut a paste.
	manyLines = 10000
)

// Input is the chat's multi-line message box. Enter is left to the caller
// (it sends); the Newline binding inserts a line break.
type Input struct {
	common.NoKeys // Enter and the newline key are the screen's
	ta            textarea.Model
	text          *common.Strings
	notice        string
}

// NewInput returns a focused input.
func NewInput(st *common.Styles, text *common.Strings, keys common.ChatKeys) Input {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "> "
	ta.Placeholder = text.Placeholder
	ta.CharLimit = MaxInputChars
	ta.MaxHeight = MaxInputLines
	km := textarea.DefaultKeyMap()
	km.InsertNewline = keys.Newline
	// PgUp/PgDn scroll the transcript, not the box.
	km.PageUp = key.NewBinding(key.WithDisabled())
	km.PageDown = key.NewBinding(key.WithDisabled())
	ta.KeyMap = km
	in := Input{ta: ta, text: text}
	in.SetStyles(st)
	in.ta.Focus()
	return in
}

// SetStyles applies the theme.
func (in *Input) SetStyles(st *common.Styles) {
	s := textarea.DefaultStyles(st.IsDark)
	s.Cursor.Blink = false
	if st.NoColor {
		s = textarea.Styles{Cursor: textarea.CursorStyle{Blink: false}}
	}
	s.Focused.Placeholder = st.Muted
	in.ta.SetStyles(s)
}

// SetSize sets the box's width and visible height.
func (in *Input) SetSize(width, height int) {
	in.ta.SetWidth(max(width, 1))
	in.ta.SetHeight(max(height, 1))
}

// replacementStandIn stands for U+FFFD inside the textarea, whose input
// filter drops U+FFFD. Invalid UTF-8 must stay visible as U+FFFD on screen
// and in the store, so pastes swap it in and Value and
// View swap it back. U+E000 is a private-use character with no meaning of
// its own.
const (
	replacementStandIn = "\uE000"
	replacement        = "\uFFFD"
)

// Value is the text typed so far.
func (in *Input) Value() string {
	return strings.ReplaceAll(in.ta.Value(), replacementStandIn, replacement)
}

// Reset empties the box and clears the notice.
func (in *Input) Reset() {
	in.ta.Reset()
	in.notice = ""
}

// Notice is the paste notice to show, if any.
func (in *Input) Notice() string { return in.notice }

// Focus and Blur move the keyboard focus to and from the box.
func (in *Input) Focus() tea.Cmd { return in.ta.Focus() }

// Blur removes the keyboard focus.
func (in *Input) Blur() { in.ta.Blur() }

// Update handles typing and pastes.
func (in Input) Update(msg tea.Msg) (Input, tea.Cmd) {
	if p, ok := msg.(tea.PasteMsg); ok {
		in.paste(p.Content)
		return in, nil
	}
	var cmd tea.Cmd
	in.ta, cmd = in.ta.Update(msg)
	return in, cmd
}

// paste inserts pasted text after normalising it: CRLF and CR become one
// newline, invalid UTF-8 becomes U+FFFD, controls and escapes are removed,
// and whatever exceeds the limits is cut with a notice.
func (in *Input) paste(s string) {
	s = NormalizeText(s)
	lines := strings.Count(s, "\n") + 1
	room := MaxInputChars - utf8.RuneCountInString(in.ta.Value())
	roomLines := MaxInputLines - in.ta.LineCount() + 1
	cut := false
	if lines > roomLines {
		s = strings.Join(strings.SplitN(s, "\n", roomLines+1)[:max(roomLines, 1)], "\n")
		cut = true
	}
	if n := utf8.RuneCountInString(s); n > room {
		s = string([]rune(s)[:max(room, 0)])
		cut = true
	}
	switch {
	case lines > manyLines:
		in.notice = fmt.Sprintf(in.text.PasteManyLines, lines) + " " + fmt.Sprintf(in.text.PasteCut, MaxInputChars, MaxInputLines)
	case cut:
		in.notice = fmt.Sprintf(in.text.PasteCut, MaxInputChars, MaxInputLines)
	}
	in.ta.InsertString(strings.ReplaceAll(s, replacement, replacementStandIn))
}

// NormalizeText is what every customer text goes through before it is
// shown, sent or stored: one sanitiser (which also turns CRLF and CR into
// newlines and invalid UTF-8 into U+FFFD) and tabs expanded.
func NormalizeText(s string) string {
	return termsafe.ExpandTabs(termsafe.Text(s), 4)
}

// View renders the box.
func (in Input) View() string {
	return strings.ReplaceAll(in.ta.View(), replacementStandIn, replacement)
}

// Column is the cursor's column (in characters) on its line.
func (in *Input) Column() int { return in.ta.Column() }
