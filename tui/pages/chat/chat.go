// Package chat holds the conversation's screens: the chat itself, the
// phone-call request, the ratings and the closing screen. They render the
// conversation engine's state (handoff/chat's State, handed to them by the
// root) and never touch the store: what the customer asks for (send this,
// a person please, this operator, close) they report to the root as the
// messages below, and the root calls the engine.
package chat

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	engine "tsunagu/handoff/chat"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// Messages by which the chat screen reports to the root. Esc, with no
// panel open, reports common.BackMsg.
type (
	// SendMsg: the customer sends Text.
	SendMsg struct{ Text string }
	// AskPersonMsg: the "a person, please" key.
	AskPersonMsg struct{}
	// ChooseMsg answers "who should answer?": a native speaker, or the
	// first operator available.
	ChooseMsg struct{ Native bool }
	// CallMsg: a phone call instead.
	CallMsg struct{}
	// EndMsg: rate and close.
	EndMsg struct{}
	// HelpMsg: show or hide the full help.
	HelpMsg struct{}
)

var _ common.Component = (*Page)(nil)

type panelKind int

const (
	panelNone panelKind = iota
	panelReceipt
	panelWhy
)

// inputHeight is the message box's height.
const inputHeight = 3

// Page is the chat screen: header, status line, the transcript (with the
// receipt or "why?" panel beside or over it), a paste notice and the input,
// or the operator choice in its place.
type Page struct {
	common.Choice
	e          common.Env
	state      engine.State // the engine's last snapshot
	resuming   bool         // a stored conversation is loading
	transcript components.Transcript
	input      components.Input
	panel      panelKind
	choosing   bool
	quote      handoff.Quote
	choice     int
	width      int
	height     int
}

// New returns an empty chat screen with a focused input.
func New(e common.Env) Page {
	c := Page{e: e, transcript: components.NewTranscript(e.Styles, e.Text),
		input: components.NewInput(e.Styles, e.Text, e.Keys.Chat)}
	c.transcript.SetLineBreaking(true)
	return c
}

// SetStyles applies a new theme.
func (c *Page) SetStyles(st *common.Styles) {
	if c.e.Text == nil {
		return
	}
	c.e.Styles = st
	c.transcript.SetStyles(st)
	c.input.SetStyles(st)
}

// SetState hands over the engine's snapshot, and whether the conversation
// is still being loaded for a resume (keys that send wait until it is).
func (c *Page) SetState(st engine.State, resuming bool) { c.state, c.resuming = st, resuming }

// Transcript is the screen's transcript, where the root puts the engine's
// lines.
func (c *Page) Transcript() *components.Transcript { return &c.transcript }

// Input is the message box.
func (c *Page) Input() *components.Input { return &c.input }

// SetInput puts back what the customer had typed (a resumed conversation
// keeps it).
func (c *Page) SetInput(in components.Input) { c.input = in }

// Choosing reports whether the operator choice is open.
func (c *Page) Choosing() bool { return c.choosing }

// OpenChoice asks "who should answer?" with the engine's wait quote.
func (c *Page) OpenChoice(q handoff.Quote) {
	c.choosing, c.quote, c.choice = true, q, 0
	c.input.Blur()
	c.SetSize(c.width, c.height)
}

// SetSize lays out: header, status, transcript, notice, input.
func (c *Page) SetSize(w, h int) {
	c.width, c.height = w, h
	if c.e.Text == nil {
		return
	}
	c.input.SetSize(w, inputHeight)
	tw := w
	if c.panel != panelNone && w >= components.SidePanelMin {
		tw = w - components.SidePanelWidth - 1 // a column of air before the panel
	}
	c.transcript.SetSize(tw, c.transcriptHeight())
}

func (c *Page) bottomHeight() int {
	if c.choosing {
		return 4
	}
	return inputHeight
}

// transcriptHeight is what the header, status, notice and input leave. On
// a very short terminal the transcript gives way (down to no rows), never
// the input or the operator choice below it.
func (c *Page) transcriptHeight() int {
	h := c.height - 2 - c.bottomHeight()
	if c.input.Notice() != "" {
		h--
	}
	return max(h, 0)
}

// ShortHelp implements help.KeyMap.
func (c *Page) ShortHelp() []key.Binding { return c.keyMap().ShortHelp() }

// FullHelp implements help.KeyMap.
func (c *Page) FullHelp() [][]key.Binding { return c.keyMap().FullHelp() }

func (c *Page) keyMap() common.KeyMap {
	g, k := c.e.Keys.Global, c.e.Keys.Chat
	return common.KeyMap{Short: []key.Binding{k.Send, k.Human, k.Receipt, k.Why, k.End, k.Help},
		Extra: []key.Binding{k.Newline, k.ScrollUp, k.ScrollDn, k.Call, g.Back, g.Quit}}
}

// Update handles the chat screen's keys and pastes.
func (c Page) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		if c.choosing {
			return c, nil
		}
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		c.SetSize(c.width, c.height)
		return c, cmd
	case tea.KeyPressMsg:
		cmd := c.key(msg)
		return c, cmd
	}
	return c, nil
}

func (c *Page) key(k tea.KeyPressMsg) tea.Cmd {
	ck, lk := c.e.Keys.Chat, c.e.Keys.List
	if c.resuming && (key.Matches(k, ck.Send, ck.Human, ck.Call, ck.End) || c.choosing) {
		// The stored conversation is still loading: the customer may type,
		// and sends once it is back.
		return nil
	}
	if c.choosing {
		switch {
		case k.Text == "1" || key.Matches(k, lk.Up):
			c.choice = 0
		case k.Text == "2" || key.Matches(k, lk.Down):
			c.choice = 1
		case key.Matches(k, lk.Choose), key.Matches(k, c.e.Keys.Global.Back):
			c.choosing = false
			c.SetSize(c.width, c.height)
			c.Report(ChooseMsg{Native: c.choice == 1})
			return c.input.Focus()
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
		c.Report(SendMsg{Text: text})
	case key.Matches(k, ck.Human):
		c.Report(AskPersonMsg{})
	case key.Matches(k, ck.Receipt):
		c.togglePanel(panelReceipt)
	case key.Matches(k, ck.Why):
		c.togglePanel(panelWhy)
	case key.Matches(k, ck.Call):
		c.Report(CallMsg{})
	case key.Matches(k, ck.End):
		c.Report(EndMsg{})
	case key.Matches(k, ck.Help):
		c.Report(HelpMsg{})
	case key.Matches(k, ck.ScrollUp):
		c.transcript.ScrollUp(max(c.transcriptHeight()-1, 1))
	case key.Matches(k, ck.ScrollDn):
		c.transcript.ScrollDown(max(c.transcriptHeight()-1, 1))
	case key.Matches(k, c.e.Keys.Global.Back):
		if c.panel != panelNone {
			c.togglePanel(c.panel)
			return nil
		}
		c.Report(common.BackMsg{})
	default:
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(k)
		return cmd
	}
	return nil
}

func (c *Page) togglePanel(p panelKind) {
	if c.panel == p {
		c.panel = panelNone
	} else {
		c.panel = p
	}
	c.SetSize(c.width, c.height)
}

// View implements common.Component.
func (c Page) View() string {
	st, s := c.e.Styles, c.state
	t := c.e.Text
	w := c.width
	var head string
	if op := s.Operator; op != nil {
		head = fmt.Sprintf(t.AnsweringOp, termsafe.Line(op.Label))
	} else {
		head = t.AnsweringBot
	}
	head = st.Header.Render(ansi.Truncate(head, w, "…"))
	var status string
	switch {
	case c.resuming:
		status = t.ResumeLoading
	case s.Typing != "":
		status = fmt.Sprintf(t.Typing, termsafe.Line(s.Typing))
	case s.InQueue && s.Wait > 0:
		status = fmt.Sprintf(t.Waiting, s.Position, t.ETA(s.Wait))
	case s.InQueue:
		status = fmt.Sprintf(t.WaitingNoETA, s.Position)
	case s.Answering:
		status = t.BotThinking
	}
	status = st.Status.Render(ansi.Truncate(status, w, "…"))

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
			p = components.Receipt(st, t, s.Packet, c.e.Lang, pw, th)
		} else {
			p = components.Why(st, t, s.Last, pw, th)
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
		rows = append(rows, st.Notice.Render(ansi.Truncate(n, w, "…")))
	}
	if c.choosing {
		rows = append(rows, c.choiceView())
	} else {
		rows = append(rows, c.input.View())
	}
	return strings.Join(rows, "\n")
}

func (c *Page) choiceView() string {
	st, t, q := c.e.Styles, c.e.Text, c.quote
	opts := []string{fmt.Sprintf(t.ChoiceFirst, t.ETA(q.FirstAvailable)),
		fmt.Sprintf(t.ChoiceNative, t.Language(c.e.Lang), t.ETA(q.NativeOnly))}
	if !q.NativeOnShift {
		opts[1] += " " + t.ChoiceNoNative
	}
	rows := []string{st.Header.Render(t.ChoiceTitle)}
	for i, o := range opts {
		if i == c.choice {
			rows = append(rows, st.Selected.Render("› "+o))
		} else {
			rows = append(rows, "  "+o)
		}
	}
	rows = append(rows, st.Muted.Render(t.ChoiceHint))
	return strings.Join(rows, "\n")
}
