package history

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

type convPanel int

const (
	convPanelNone convPanel = iota
	convPanelPacket
	convPanelBot
	convPanelCount
)

// convMsg carries a loaded conversation.
type convMsg struct {
	id   string
	conv transcripts.Conversation
	err  error
}

// convPage shows one stored conversation the way the chat showed it
// (the same transcript component), with its events inline, and a side panel
// with the handoff packet or the bot's decisions.
type convPage struct {
	e     pageEnv
	row   transcripts.Summary
	words []string

	conv       *transcripts.Conversation
	err        error
	transcript components.Transcript
	hits       []int // transcript messages holding a search hit
	hit        int   // the current one, -1 before the first jump
	packet     *handoff.Packet
	decisions  []string // panel rows

	panel    convPanel
	toggled  bool // the user chose the panel; narrow screens then show it
	panelTop int  // the side panel's first line shown (K/J scroll it)

	width, height int
}

func newConvPage(e pageEnv, row transcripts.Summary, words []string) convPage {
	return convPage{e: e, row: row, words: words, hit: -1, panel: convPanelPacket,
		transcript: newTranscript(e)}
}

// newTranscript is the chat's transcript, wrapping as the chat does: at
// the line-break opportunities of UAX #14, so Japanese breaks between
// characters and never leaves a name alone on a line.
func newTranscript(e pageEnv) components.Transcript {
	t := components.NewTranscript(e.st, e.ct)
	t.SetLineBreaking(true)
	return t
}

func (c *convPage) setEnv(e pageEnv) {
	if c.e.text == nil {
		c.e = e
		return
	}
	c.e = e
	c.transcript.SetStyles(e.st)
}

func (c *convPage) ready() bool { return c.conv != nil }

func (c *convPage) load(st Store) tea.Cmd {
	id := c.row.ID
	return func() tea.Msg {
		conv, err := st.Load(id)
		return convMsg{id: id, conv: conv, err: err}
	}
}

func (c *convPage) loaded(msg convMsg) {
	if msg.id != c.row.ID {
		return
	}
	if msg.err != nil {
		c.err = msg.err
		return
	}
	conv := msg.conv
	c.conv = &conv
	c.transcript = newTranscript(c.e)
	c.hits = nil
	turn := 0
	for _, e := range conv.Entries {
		m, ok := c.message(e)
		if !ok {
			continue
		}
		i := c.transcript.Append(m)
		shown := c.transcript.Message(i)
		if len(c.words) > 0 && (components.Contains(shown.Text, c.words) || components.Contains(shown.Label, c.words)) {
			c.hits = append(c.hits, i)
		}
		if e.Meta != nil && len(e.Meta.Packet) > 0 {
			if p, err := handoff.DecodePacket(e.Meta.Packet); err == nil {
				c.packet = p
			}
		}
		if e.Role == transcripts.RoleBot && e.Meta != nil {
			turn++
			c.decisions = append(c.decisions, decisionRows(c.e, turn, e, conv.Location())...)
		}
	}
	c.SetSize(c.width, c.height)
	if len(c.hits) > 0 {
		c.jump(1)
	} else {
		c.transcript.RevealMessage(0)
	}
}

// Messages are the transcript messages the history shows for a stored
// conversation, in lang, with times in the zone the conversation was
// recorded in. The chat shows a resumed conversation with
// them, so it reads exactly as the history does.
func Messages(conv transcripts.Conversation, lang string) []components.Message {
	c := convPage{e: pageEnv{text: common.HistoryText(lang), ct: common.Text(lang), lang: lang}, conv: &conv}
	var out []components.Message
	for _, e := range conv.Entries {
		if m, ok := c.message(e); ok {
			out = append(out, m)
		}
	}
	return out
}

// message turns a stored entry into what the chat showed. Speaker labels
// come from the role and metadata; event texts are rebuilt from their
// metadata in the UI language.
func (c *convPage) message(e transcripts.Entry) (components.Message, bool) {
	m := components.Message{At: c.conv.In(e.At), Text: e.Text}
	switch e.Role {
	case transcripts.RoleCustomer:
		m.Role, m.Label = components.RoleCustomer, e.Author
		if m.Label == "" {
			m.Label = c.conv.Customer.Name
		}
		if m.Label == "" {
			m.Label = c.e.text.CustomerWord
		}
	case transcripts.RoleBot:
		m.Role, m.Label = components.RoleBot, c.e.ct.Bot
	case transcripts.RoleOperator:
		m.Role, m.Label = components.RoleOperator, e.Author
		if m.Label == "" && e.Meta != nil {
			m.Label = e.Meta.Operator
		}
	default:
		m.Role = components.RoleEvent
		m.Text = c.eventText(e)
	}
	return m, m.Text != ""
}

// eventText says what a system entry records with the store's labels
// (transcripts.LabelsFor), as history show and the Markdown export do:
// ratings say whether the bot or the operator was rated, an operator
// leaving says why, offers to close, the native-speaker choice and resumes
// are named, all in the browser's language, with times in the
// conversation's zone. Text stored with the event (a booked callback's
// details) follows it.
func (c *convPage) eventText(e transcripts.Entry) string {
	text := transcripts.LabelsFor(c.e.lang).Event(e, c.conv.Location())
	if s := strings.Join(strings.Fields(termsafe.Line(e.Text)), " "); s != "" {
		text += " — " + s
	}
	return text
}

// decisionRows explains one bot turn for the side panel.
func decisionRows(e pageEnv, turn int, en transcripts.Entry, loc *time.Location) []string {
	m := en.Meta
	intent := m.Intent
	if intent == "" {
		intent = "—"
	}
	rows := []string{e.st.PanelHead.Render(fmt.Sprintf("#%d %s", turn, en.At.In(loc).Format("15:04:05"))),
		termsafe.Line(fmt.Sprintf("  %s: %s · %s: %s · %s: %.2f", e.ct.WhyAction, m.Action, e.ct.WhyIntent, intent, e.ct.WhyConfidence, m.Confidence))}
	if m.Reason != "" {
		rows = append(rows, termsafe.Line("  "+e.ct.WhyReason+": "+m.Reason))
	}
	if len(m.Rules) > 0 {
		rows = append(rows, termsafe.Line("  "+e.ct.WhyRules+": "+strings.Join(m.Rules, ", ")))
	}
	return rows
}

var _ common.Component = (*convPage)(nil)

// ShortHelp implements help.KeyMap.
func (c *convPage) ShortHelp() []key.Binding { return c.keyMap().ShortHelp() }

// FullHelp implements help.KeyMap.
func (c *convPage) FullHelp() [][]key.Binding { return c.keyMap().FullHelp() }

func (c *convPage) keyMap() common.KeyMap {
	k := c.e.keys
	// A read-only store keeps the delete key (it explains why nothing
	// happens) but leaves it out of the help; resume is offered only for a
	// conversation that can be continued.
	del, resume := k.ConvDelete, k.Resume
	if c.e.readOnly {
		del.SetEnabled(false)
	}
	if c.conv == nil || c.conv.Status == transcripts.StatusClosed || c.e.readOnly {
		resume.SetEnabled(false)
	}
	// The side panel's scroll keys are offered while the panel is shown;
	// the short help names them only when the panel has more to show.
	panelUp, panelMore := k.PanelUp, k.PanelUp
	more := c.showPanel() && c.panelOverflows()
	panelUp.SetEnabled(c.showPanel() && !more) // not twice in the full help
	panelMore.SetEnabled(more)
	return common.KeyMap{Short: []key.Binding{k.ScrollUp, k.NextHit, k.Panel, panelMore, k.Copy, k.ConvExport, del, resume, k.Back, k.Help},
		Extra: []key.Binding{k.PgUp, panelUp, k.Quit}}
}

// SetSize implements common.Component.
func (c *convPage) SetSize(w, h int) {
	c.width, c.height = w, h
	c.transcript.SetSize(c.transcriptWidth(), max(h-2, 1))
}

func (c *convPage) showPanel() bool {
	return c.panel != convPanelNone && (c.width >= components.SidePanelMin || c.toggled)
}

func (c *convPage) transcriptWidth() int {
	if c.showPanel() && c.width >= components.SidePanelMin {
		return c.width - components.SidePanelWidth - 1 // one column between text and panel
	}
	return c.width
}

func (c *convPage) key(k tea.KeyPressMsg) {
	hk := c.e.keys
	th := max(c.height-3, 1)
	switch {
	case key.Matches(k, hk.NextHit):
		c.jump(1)
	case key.Matches(k, hk.PrevHit):
		c.jump(-1)
	case key.Matches(k, hk.Panel):
		c.panel = (c.panel + 1) % convPanelCount
		c.toggled = true
		c.panelTop = 0
		c.SetSize(c.width, c.height)
	case key.Matches(k, hk.PanelUp):
		c.scrollPanel(-1)
	case key.Matches(k, hk.PanelDown):
		c.scrollPanel(1)
	case key.Matches(k, hk.ScrollUp):
		c.transcript.ScrollUp(1)
	case key.Matches(k, hk.ScrollDown):
		c.transcript.ScrollDown(1)
	case key.Matches(k, hk.PgUp):
		c.transcript.ScrollUp(th)
	case key.Matches(k, hk.PgDown):
		c.transcript.ScrollDown(th)
	}
}

// jump moves to the next (d=1) or previous (d=-1) hit, wrapping around.
func (c *convPage) jump(d int) {
	if len(c.hits) == 0 {
		return
	}
	if c.hit < 0 {
		c.hit = 0
	} else {
		c.hit = (c.hit + d + len(c.hits)) % len(c.hits)
	}
	c.transcript.RevealMessage(c.hits[c.hit])
}

func (c convPage) View() string {
	t := c.e.text
	st := c.e.st
	w := c.width
	r := c.row
	when := r.StartedAt.In(r.Location()).Format("2006-01-02 15:04")
	status := t.Status[string(r.Status)]
	if status == "" {
		status = string(r.Status)
	}
	channel := t.Channel[r.Channel]
	if channel == "" {
		channel = r.Channel
	}
	order := r.OrderID
	if order == "" {
		order = "—"
	}
	meta := termsafe.Line(fmt.Sprintf(t.ConvMeta, when, r.Customer.Name, order, r.Topic, channel, status))
	head := st.Header.Render(ansi.Truncate(termsafe.Line(fmt.Sprintf(t.ConvTitle, r.ID)), w, "…"))
	line2 := st.Muted.Render(ansi.Truncate(meta, w, "…"))
	switch {
	case c.err != nil:
		return head + "\n" + line2 + "\n" + st.Bad.Render(wrapped(fmt.Sprintf(t.LoadFailed, termsafe.Line(common.OneLine(c.err))), w))
	case c.conv == nil:
		return head + "\n" + line2 + "\n" + st.Muted.Render(t.Loading)
	}
	if len(c.words) > 0 {
		hits := t.NoHits
		if len(c.hits) > 0 {
			hits = fmt.Sprintf(t.HitOf, c.hit+1, len(c.hits))
		}
		head = ansi.Truncate(head+"  "+st.Status.Render(hits), w, "…")
	}
	th := max(c.height-2, 1)
	body := c.highlighted(c.transcript.View())
	if c.showPanel() {
		pw := w
		if w >= components.SidePanelMin {
			pw = components.SidePanelWidth
		}
		p, _ := c.panelView(pw, th)
		if w >= components.SidePanelMin {
			body = components.JoinColumns(body, p, w-components.SidePanelWidth, th)
		} else {
			body = p
		}
	}
	return head + "\n" + line2 + "\n" + components.FitHeight(body, th)
}

// panelWidth is the side panel's width: its own beside the transcript, the
// whole screen in its place on a narrow one.
func (c *convPage) panelWidth() int {
	if c.width >= components.SidePanelMin {
		return components.SidePanelWidth
	}
	return c.width
}

// panelView draws the side panel shown (the handoff packet or the bot's
// decisions) scrolled to panelTop, and the largest useful panelTop.
func (c *convPage) panelView(width, height int) (string, int) {
	if c.panel == convPanelPacket {
		return components.ScrollPanel(c.e.st, c.e.ct.ReceiptTitle, components.ReceiptRows(c.e.st, c.e.ct, c.packet, c.e.lang),
			width, height, c.panelTop)
	}
	rows := c.decisions
	if len(rows) == 0 {
		rows = []string{c.e.text.BotNoTurns}
	}
	return components.ScrollPanel(c.e.st, c.e.text.PanelBot, rows, width, height, c.panelTop)
}

// panelOverflows reports whether the side panel has lines it cannot show at once.
func (c *convPage) panelOverflows() bool {
	_, most := c.panelView(c.panelWidth(), max(c.height-2, 1))
	return most > 0
}

// scrollPanel moves the side panel by d lines, within its text.
func (c *convPage) scrollPanel(d int) {
	if !c.showPanel() {
		return
	}
	_, most := c.panelView(c.panelWidth(), max(c.height-2, 1))
	c.panelTop = min(max(c.panelTop+d, 0), most)
}

// highlighted marks the search words in the transcript's body lines. Lines
// with styling (speaker heads, events) are left alone, so styles never nest.
func (c *convPage) highlighted(view string) string {
	if len(c.words) == 0 {
		return view
	}
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "\x1b") {
			lines[i] = components.Highlight(l, c.words, c.e.hit)
		}
	}
	return strings.Join(lines, "\n")
}

// plainText is the conversation as sanitised plain text, for the clipboard:
// no escape sequence can reach the terminal through OSC 52.
func (c *convPage) plainText() string {
	var b strings.Builder
	r := c.row
	b.WriteString(termsafe.Line(fmt.Sprintf(c.e.text.ConvTitle, r.ID)) + "\n")
	for i := 0; i < c.transcript.Len(); i++ {
		m := c.transcript.Message(i)
		at := m.At.Format("2006-01-02 15:04")
		if m.Role == components.RoleEvent {
			b.WriteString(at + " — " + termsafe.Line(m.Text) + "\n")
			continue
		}
		b.WriteString(at + " " + termsafe.Line(m.Label) + ":\n")
		for _, l := range strings.Split(termsafe.Text(m.Text), "\n") {
			b.WriteString("  " + l + "\n")
		}
	}
	return b.String()
}
