package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

type panelKind int

const (
	panelNone panelKind = iota
	panelReceipt
	panelWhy
)

// inputHeight is the message box's height.
const inputHeight = 3

// chatPage is the chat screen's widgets. The conversation itself is in the
// root's session; the root passes what the header and status line say.
type chatPage struct {
	e          env
	transcript components.Transcript
	input      components.Input
	panel      panelKind
	choosing   bool
	quote      handoff.Quote
	choice     int
	width      int
	height     int
}

func newChatPage(e env) chatPage {
	c := chatPage{e: e, transcript: components.NewTranscript(e.st, e.text),
		input: components.NewInput(e.st, e.text, e.keys.Chat)}
	c.transcript.SetLineBreaking(true)
	return c
}

func (c *chatPage) setStyles(st *common.Styles) {
	if c.e.text == nil {
		return
	}
	c.e.st = st
	c.transcript.SetStyles(st)
	c.input.SetStyles(st)
}

func (c *chatPage) openChoice(q handoff.Quote) {
	c.choosing, c.quote, c.choice = true, q, 0
	c.input.Blur()
	c.SetSize(c.width, c.height)
}

// SetSize lays out: header, status, transcript, notice, input.
func (c *chatPage) SetSize(w, h int) {
	c.width, c.height = w, h
	if c.e.text == nil {
		return
	}
	c.input.SetSize(w, inputHeight)
	tw := w
	if c.panel != panelNone && w >= components.SidePanelMin {
		tw = w - components.SidePanelWidth - 1 // a column of air before the panel
	}
	c.transcript.SetSize(tw, c.transcriptHeight())
}

func (c *chatPage) bottomHeight() int {
	if c.choosing {
		return 4
	}
	return inputHeight
}

// transcriptHeight is what the header, status, notice and input leave. On
// a very short terminal the transcript gives way (down to no rows), never
// the input or the operator choice below it.
func (c *chatPage) transcriptHeight() int {
	h := c.height - 2 - c.bottomHeight()
	if c.input.Notice() != "" {
		h--
	}
	return max(h, 0)
}

// updateChat handles the chat screen's keys and pastes.
func (m *Model) updateChat(msg tea.Msg) tea.Cmd {
	c := &m.chat
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if c.choosing {
			return nil
		}
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		c.SetSize(c.width, c.height)
		return cmd
	case tea.KeyPressMsg:
		return m.chatKey(msg)
	}
	return nil
}

func (m *Model) chatKey(k tea.KeyPressMsg) tea.Cmd {
	c := &m.chat
	ck := m.keys.Chat
	s := m.sess
	if s.resuming && (key.Matches(k, ck.Send, ck.Human, ck.Call, ck.End) || c.choosing) {
		// The stored conversation is still loading: the customer may type,
		// and sends once it is back.
		return nil
	}
	if c.choosing {
		switch {
		case k.Text == "1" || key.Matches(k, m.keys.List.Up):
			c.choice = 0
		case k.Text == "2" || key.Matches(k, m.keys.List.Down):
			c.choice = 1
		case key.Matches(k, m.keys.List.Choose), key.Matches(k, m.keys.Global.Back):
			c.choosing = false
			c.SetSize(c.width, c.height)
			return tea.Batch(c.input.Focus(), m.choose(c.choice == 1))
		case key.Matches(k, ck.Receipt), key.Matches(k, ck.Why), key.Matches(k, ck.Help):
			// The receipt and the explanation may be read before choosing.
		default:
			return nil
		}
		if !key.Matches(k, ck.Receipt) && !key.Matches(k, ck.Why) && !key.Matches(k, ck.Help) {
			return nil
		}
	}
	switch {
	case key.Matches(k, ck.Send):
		text := c.input.Value()
		if strings.TrimSpace(text) == "" {
			return nil
		}
		c.input.Reset()
		c.transcript.ScrollToBottom()
		c.SetSize(c.width, c.height)
		return m.send(text)
	case key.Matches(k, ck.Human):
		if s.st.Escalated || s.st.Answering {
			return nil
		}
		return m.askForPerson()
	case key.Matches(k, ck.Receipt):
		c.togglePanel(panelReceipt)
	case key.Matches(k, ck.Why):
		c.togglePanel(panelWhy)
	case key.Matches(k, ck.Call):
		if m.cfg.Callbacks != nil && s.st.Booking == nil {
			m.phone = newPhonePage(m.env(), m.cfg.Callbacks, m.now(), true)
			m.go2(screenPhone)
		}
	case key.Matches(k, ck.End):
		m.rate = newRatePage(m.env(), s.st.HadOperator)
		m.go2(screenRate)
	case key.Matches(k, ck.Help):
		m.fullHelp = !m.fullHelp
		m.layout()
	case key.Matches(k, ck.ScrollUp):
		c.transcript.ScrollUp(max(c.transcriptHeight()-1, 1))
	case key.Matches(k, ck.ScrollDn):
		c.transcript.ScrollDown(max(c.transcriptHeight()-1, 1))
	case key.Matches(k, m.keys.Global.Back):
		switch {
		case c.panel != panelNone:
			c.togglePanel(c.panel)
		case m.fullHelp:
			m.fullHelp = false
			m.layout()
		default:
			m.rate = newRatePage(m.env(), s.st.HadOperator)
			m.go2(screenRate)
		}
	default:
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(k)
		return cmd
	}
	return nil
}

func (c *chatPage) togglePanel(p panelKind) {
	if c.panel == p {
		c.panel = panelNone
	} else {
		c.panel = p
	}
	c.SetSize(c.width, c.height)
}

func (m *Model) chatView() string {
	c := &m.chat
	s := m.sess
	t := m.text
	w := c.width
	var head string
	if op := s.st.Operator; op != nil {
		head = fmt.Sprintf(t.AnsweringOp, termsafe.Line(op.Label))
	} else {
		head = t.AnsweringBot
	}
	head = m.st.Header.Render(ansi.Truncate(head, w, "…"))
	var status string
	switch {
	case s.resuming:
		status = t.ResumeLoading
	case s.st.Typing != "":
		status = fmt.Sprintf(t.Typing, termsafe.Line(s.st.Typing))
	case s.st.InQueue && s.st.Wait > 0:
		status = fmt.Sprintf(t.Waiting, s.st.Position, formatETA(s.st.Wait, m.lang))
	case s.st.InQueue:
		status = fmt.Sprintf(t.WaitingNoETA, s.st.Position)
	case s.st.Answering:
		status = t.BotThinking
	}
	status = m.st.Status.Render(ansi.Truncate(status, w, "…"))

	body := c.transcript.View()
	th := c.transcriptHeight()
	if c.panel != panelNone {
		var pw int
		if w >= components.SidePanelMin {
			pw = components.SidePanelWidth
		} else {
			pw = w
		}
		var p string
		if c.panel == panelReceipt {
			p = components.Receipt(m.st, t, s.st.Packet, m.lang, pw, th)
		} else {
			p = components.Why(m.st, t, s.st.Last, pw, th)
		}
		if w >= components.SidePanelMin {
			body = components.JoinColumns(body, p, w-components.SidePanelWidth, th)
		} else {
			body = components.FitHeight(p, th)
		}
	}
	rows := []string{head, status}
	if th > 0 {
		rows = append(rows, components.FitHeight(body, th))
	}
	if n := c.input.Notice(); n != "" {
		rows = append(rows, m.st.Notice.Render(ansi.Truncate(n, w, "…")))
	}
	if c.choosing {
		rows = append(rows, m.choiceView())
	} else {
		rows = append(rows, c.input.View())
	}
	return strings.Join(rows, "\n")
}

func (m *Model) choiceView() string {
	c := &m.chat
	t := m.text
	q := c.quote
	lang := common.LangName(m.lang, m.lang)
	opts := []string{fmt.Sprintf(t.ChoiceFirst, formatETA(q.FirstAvailable, m.lang)),
		fmt.Sprintf(t.ChoiceNative, lang, formatETA(q.NativeOnly, m.lang))}
	if !q.NativeOnShift {
		opts[1] += " " + t.ChoiceNoNative
	}
	rows := []string{m.st.Header.Render(t.ChoiceTitle)}
	for i, o := range opts {
		if i == c.choice {
			rows = append(rows, m.st.Selected.Render("› "+o))
		} else {
			rows = append(rows, "  "+o)
		}
	}
	rows = append(rows, m.st.Muted.Render(t.ChoiceHint))
	return strings.Join(rows, "\n")
}

// formatETA rounds a wait to whole minutes, or "under a minute".
func formatETA(d time.Duration, lang string) string {
	mins := int((d + 30*time.Second) / time.Minute)
	if lang == "ja" {
		if mins < 1 {
			return "1分未満"
		}
		return fmt.Sprintf("約%d分", mins)
	}
	switch {
	case mins < 1:
		return "under a minute"
	case mins == 1:
		return "about 1 minute"
	}
	return fmt.Sprintf("about %d minutes", mins)
}
