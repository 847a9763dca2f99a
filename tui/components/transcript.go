package components

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
)

// Role is who wrote a transcript message. It picks the label style; the text
// never does.
type Role int

// Transcript roles.
const (
	RoleCustomer Role = iota
	RoleBot
	RoleOperator
	RoleEvent // a system event: joined, left, transferred, booked
)

// SaveState is where a message stands with the store.
type SaveState int

// Save states. Only Saved means the store committed the message.
const (
	SaveNone SaveState = iota // not a stored message (typing, notices)
	Saving
	Saved
	NotSaved
)

// Message is one transcript entry as shown.
type Message struct {
	Role  Role
	Label string // speaker label from metadata
	At    time.Time
	Text  string
	Save  SaveState
}

// bodyIndent is how far text sits under its speaker line. Every line of a
// message body is indented, so text that imitates a speaker line
// ("\n[Operator] Tanaka: …") stays visibly inside its own message.
const bodyIndent = "  "

type cachedMessage struct {
	msg   Message
	width int // width the lines were rendered for; -1 when stale
	lines []string
}

// Transcript is the scrolling conversation view. It is built for long
// histories: each message's rendered lines are cached per width, a message
// is (re)wrapped only when it is first shown at a width, and View joins only
// the visible window. The scroll position is a (message, line) anchor for the
// bottom row, so a resize re-wraps only what becomes visible.
type Transcript struct {
	common.NoKeys // its keys are the screen's (the chat scrolls it)
	st            *common.Styles
	text          *common.Strings
	msgs          []cachedMessage

	width, height int

	follow     bool // the bottom row is the last line: new messages scroll in
	anchorMsg  int  // message of the bottom visible row (when !follow)
	anchorLine int  // its line within that message
	unread     bool // messages arrived below while scrolled up

	// lineBreaking wraps at UAX #14 opportunities (WrapText), which suits
	// Japanese; off, bodies word-wrap with ansi.Wrap (the history screen's
	// goldens were recorded with it).
	lineBreaking bool
}

// SetLineBreaking chooses UAX #14 line breaking (WrapText) for message
// bodies instead of plain word wrapping.
func (t *Transcript) SetLineBreaking(on bool) {
	if t.lineBreaking != on {
		t.lineBreaking = on
		t.invalidate()
	}
}

// NewTranscript returns an empty transcript that follows new messages.
func NewTranscript(st *common.Styles, text *common.Strings) Transcript {
	return Transcript{st: st, text: text, follow: true}
}

// SetStyles changes the theme; every cached line is re-rendered lazily.
func (t *Transcript) SetStyles(st *common.Styles) {
	t.st = st
	t.invalidate()
}

// SetSize sets the view's size. Lines are re-wrapped lazily, only for what
// is shown.
func (t *Transcript) SetSize(width, height int) {
	if width != t.width {
		t.invalidate()
	}
	t.width, t.height = max(width, 0), max(height, 0)
}

func (t *Transcript) invalidate() {
	for i := range t.msgs {
		t.msgs[i].width = -1
	}
}

// Len is the number of messages.
func (t *Transcript) Len() int { return len(t.msgs) }

// Message returns message i as stored (sanitised).
func (t *Transcript) Message(i int) Message { return t.msgs[i].msg }

// Append adds a message and returns its index. Its text and label pass the
// terminal sanitiser here, whatever their source.
func (t *Transcript) Append(m Message) int {
	m.Label = termsafe.Line(m.Label)
	m.Text = termsafe.ExpandTabs(termsafe.Text(m.Text), 4)
	t.msgs = append(t.msgs, cachedMessage{msg: m, width: -1})
	if !t.follow {
		t.unread = true
	}
	return len(t.msgs) - 1
}

// SetSave changes message i's save mark.
func (t *Transcript) SetSave(i int, s SaveState) {
	if i < 0 || i >= len(t.msgs) || t.msgs[i].msg.Save == s {
		return
	}
	t.msgs[i].msg.Save = s
	t.msgs[i].width = -1
}

// Following reports whether the view shows the newest message.
func (t *Transcript) Following() bool { return t.follow }

// lines returns message i rendered at the current width, from the cache.
func (t *Transcript) lines(i int) []string {
	c := &t.msgs[i]
	if c.width != t.width {
		c.lines = t.render(c.msg)
		c.width = t.width
	}
	return c.lines
}

func (t *Transcript) render(m Message) []string {
	w := max(t.width, 1)
	if m.Role == RoleEvent {
		text := strings.ReplaceAll(m.Text, "\n", " ")
		line := "── " + m.At.Format("15:04") + " " + text + " ──"
		return t.wrapStyled(line, w, "   ", t.st.Event)
	}
	var label lipgloss.Style
	switch m.Role {
	case RoleCustomer:
		label = t.st.Customer
	case RoleOperator:
		label = t.st.Operator
	default:
		label = t.st.BotLabel
	}
	head := t.st.Time.Render(m.At.Format("15:04")) + " " + label.Render(m.Label)
	switch m.Save {
	case Saving:
		head += " " + t.st.Muted.Render(t.text.Saving)
	case NotSaved:
		head += " " + t.st.Bad.Render("⚠ "+t.text.NotSaved)
	}
	out := []string{ansi.Truncate(head, w, "…")}
	bodyWidth := w - len(bodyIndent)
	if bodyWidth < 1 {
		return append(out, ansi.Truncate(m.Text, w, ""))
	}
	var body []string
	if t.lineBreaking {
		body = WrapText(m.Text, bodyWidth)
	} else {
		body = wordWrap(m.Text, bodyWidth)
	}
	for _, l := range body {
		// A character wider than the whole body (a wide one in a
		// 1-column body) cannot be shown; it is dropped whole, never split.
		if ansi.StringWidth(l) > bodyWidth {
			l = ansi.Truncate(l, bodyWidth, "")
		}
		out = append(out, bodyIndent+l)
	}
	return out
}

// wrapStyled wraps plain text to w and styles each line, indenting
// continuation lines.
func (t *Transcript) wrapStyled(text string, w int, indent string, st lipgloss.Style) []string {
	first := strings.Split(ansi.Wrap(text, w, ""), "\n")
	if len(first) == 1 || w <= len(indent) {
		for i := range first {
			first[i] = st.Render(ansi.Truncate(first[i], w, ""))
		}
		return first
	}
	rest := strings.Join(first[1:], " ")
	out := []string{st.Render(ansi.Truncate(first[0], w, ""))}
	for _, l := range strings.Split(ansi.Wrap(rest, w-len(indent), ""), "\n") {
		out = append(out, indent+st.Render(ansi.Truncate(l, w-len(indent), "")))
	}
	return out
}

// bottom returns the anchor of the bottom visible row.
func (t *Transcript) bottom() (int, int) {
	if t.follow {
		if len(t.msgs) == 0 {
			return -1, 0
		}
		last := len(t.msgs) - 1
		return last, len(t.lines(last)) - 1
	}
	return t.anchorMsg, min(t.anchorLine, len(t.lines(t.anchorMsg))-1)
}

// ScrollUp moves the view n rows towards older messages.
func (t *Transcript) ScrollUp(n int) {
	mi, li := t.bottom()
	if mi < 0 {
		return
	}
	for ; n > 0; n-- {
		if li > 0 {
			li--
		} else if mi > 0 {
			mi--
			li = len(t.lines(mi)) - 1
		} else {
			break
		}
	}
	t.follow, t.anchorMsg, t.anchorLine = false, mi, li
	t.clampTop()
}

// clampTop keeps the first screen full: the bottom row is never above row
// height-1 of the whole transcript.
func (t *Transcript) clampTop() {
	mi, li := t.anchorMsg, t.anchorLine
	rows := 1
	for rows < t.height {
		if li > 0 {
			li--
		} else if mi > 0 {
			mi--
			li = len(t.lines(mi)) - 1
		} else {
			// Fewer than height rows above the anchor: anchor at row
			// height-1 from the top instead.
			t.anchorMsg, t.anchorLine = 0, 0
			t.forward(t.height - 1)
			return
		}
		rows++
	}
}

// ScrollDown moves the view n rows towards newer messages.
func (t *Transcript) ScrollDown(n int) {
	if t.follow {
		return
	}
	t.forward(n)
}

func (t *Transcript) forward(n int) {
	mi, li := t.anchorMsg, t.anchorLine
	for ; n > 0; n-- {
		if li < len(t.lines(mi))-1 {
			li++
		} else if mi < len(t.msgs)-1 {
			mi, li = mi+1, 0
		} else {
			break
		}
	}
	t.anchorMsg, t.anchorLine = mi, li
	if mi == len(t.msgs)-1 && li >= len(t.lines(mi))-1 {
		t.follow, t.unread = true, false
	}
}

// ScrollToBottom follows the newest message again.
func (t *Transcript) ScrollToBottom() { t.follow, t.unread = true, false }

// Unread reports whether new messages arrived below a scrolled-up view.
func (t *Transcript) Unread() bool { return t.unread }

// View renders exactly height rows, none wider than width. It visits only
// the messages that are visible.
func (t *Transcript) View() string {
	if t.height <= 0 || t.width <= 0 {
		return ""
	}
	rows := make([]string, 0, t.height)
	mi, li := t.bottom()
	for mi >= 0 && len(rows) < t.height {
		ls := t.lines(mi)
		for ; li >= 0 && len(rows) < t.height; li-- {
			rows = append(rows, ls[li])
		}
		mi--
		if mi >= 0 {
			li = len(t.lines(mi)) - 1
		}
	}
	// rows are bottom-up; reverse them and pad below so a short
	// conversation starts at the top.
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	for len(rows) < t.height {
		rows = append(rows, "")
	}
	if t.unread && t.height > 1 {
		rows[len(rows)-1] = t.st.Notice.Render(ansi.Truncate(t.text.NewBelow, t.width, "…"))
	}
	return strings.Join(rows, "\n")
}

// wordWrap wraps at spaces with ansi.Wrap, breaking a line that is still
// too wide (a wide character before a hyphen) between clusters.
func wordWrap(text string, width int) []string {
	var out []string
	for _, l := range strings.Split(ansi.Wrap(text, width, ""), "\n") {
		if ansi.StringWidth(l) <= width {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(l, width, true), "\n")...)
	}
	return out
}

// RevealMessage scrolls so that message i starts on the top row (or, near
// the end, is visible with the last line at the bottom). The history screen
// uses it to open a conversation at its start and to jump between hits.
func (t *Transcript) RevealMessage(i int) {
	if len(t.msgs) == 0 || t.height <= 0 {
		return
	}
	i = min(max(i, 0), len(t.msgs)-1)
	t.follow, t.unread = false, false
	t.anchorMsg, t.anchorLine = i, 0
	t.forward(t.height - 1)
}
