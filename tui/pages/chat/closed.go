package chat

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	engine "tsunagu/handoff/chat"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// Messages by which the closing screen reports to the root.
type (
	// HistoryMsg asks to see the conversation in the history browser (h).
	HistoryMsg struct{}
	// DoneMsg: the customer is done (Enter or Esc); the app ends.
	DoneMsg struct{}
)

var _ common.Component = (*Closed)(nil)

// Closed is the last screen: the chat closed, or a phone call booked; where
// the conversation was saved, and how to see it in the history.
type Closed struct {
	common.Choice
	e             common.Env
	booked        bool // a call was booked; otherwise the chat was closed
	id            string
	state         engine.State
	browse        bool // the history can be opened here
	width, height int
}

// NewClosed is the closing screen after a closed chat, or a booked call.
func NewClosed(e common.Env, booked bool) Closed { return Closed{e: e, booked: booked} }

// SetState hands over the conversation's id and the engine's snapshot, and
// whether the store can be browsed here.
func (c *Closed) SetState(id string, st engine.State, browse bool) {
	c.id, c.state, c.browse = id, st, browse
}

// SetSize implements common.Component.
func (c *Closed) SetSize(w, h int) { c.width, c.height = w, h }

// SetStyles applies a new theme.
func (c *Closed) SetStyles(st *common.Styles) { c.e.Styles = st }

// ShortHelp implements help.KeyMap.
func (c *Closed) ShortHelp() []key.Binding { return c.keyMap().ShortHelp() }

// FullHelp implements help.KeyMap.
func (c *Closed) FullHelp() [][]key.Binding { return c.keyMap().FullHelp() }

func (c *Closed) keyMap() common.KeyMap {
	g, l := c.e.Keys.Global, c.e.Keys.List
	hist := key.NewBinding(key.WithKeys("h"), key.WithHelp("h", c.e.Text.Help["history"]))
	hist.SetEnabled(c.browse)
	return common.KeyMap{Short: []key.Binding{hist, l.Choose, g.Quit}}
}

// Update reports HistoryMsg or DoneMsg.
func (c Closed) Update(msg tea.Msg) (Closed, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case k.Text == "h":
			c.Report(HistoryMsg{})
		case key.Matches(k, c.e.Keys.List.Choose), key.Matches(k, c.e.Keys.Global.Back):
			c.Report(DoneMsg{})
		}
	}
	return c, nil
}

// View implements common.Component.
func (c Closed) View() string {
	if c.booked {
		return c.bookedView()
	}
	t, st := c.e.Text, c.e.Styles
	out := st.Header.Render(t.ClosedTitle) + "\n\n" + c.wrap(fmt.Sprintf(t.ClosedSaved, c.id)) + "\n" + c.wrap(c.historyOffer())
	if c.state.Lost > 0 || c.state.Pending > 0 {
		out += "\n" + st.Bad.Render(t.ClosedNotSave)
	}
	return out
}

func (c Closed) bookedView() string {
	b := c.state.Booking
	if b == nil {
		return ""
	}
	t := c.e.Text
	line := fmt.Sprintf(t.BookedWithin, b.Display, int(b.Within/time.Minute))
	if b.Slot {
		line = fmt.Sprintf(t.BookedSlot, b.Display, t.Slot(b.At))
	}
	return c.e.Styles.Header.Render(t.BookedTitle) + "\n\n" + c.wrap(line) + "\n" + c.wrap(fmt.Sprintf(t.BookedSaved, c.id)) + "\n\n" +
		c.wrap(c.historyOffer())
}

// historyOffer offers the history: in the app with h when the store can be
// browsed, and always the command for later.
func (c Closed) historyOffer() string {
	if c.e.Served {
		return ""
	}
	cmd := "tsunagu history show " + c.id
	if c.browse {
		return fmt.Sprintf(c.e.Text.ClosedHistory, cmd)
	}
	return fmt.Sprintf(c.e.Text.ClosedLater, cmd)
}

// wrap fits a plain paragraph to the width.
func (c Closed) wrap(s string) string {
	return strings.Join(components.WrapText(s, c.width), "\n")
}
