package console

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	"tsunagu/handoff/live"
	"tsunagu/transcripts/termsafe"
)

// cursor is the index of the selected chat in the snapshot (0 when the
// selected one is gone).
func (m *Model) cursor() int {
	for i, c := range m.view.Chats {
		if c.ID == m.cursorID {
			return i
		}
	}
	return 0
}

func (m *Model) selected() (live.ChatView, bool) {
	if len(m.view.Chats) == 0 {
		return live.ChatView{}, false
	}
	return m.view.Chats[m.cursor()], true
}

func (m *Model) queueKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	n := len(m.view.Chats)
	trainer := m.seat.Role() == live.RoleTrainer
	switch {
	case key.Matches(k, km.Up) && n > 0:
		m.cursorID = m.view.Chats[(m.cursor()+n-1)%n].ID
	case key.Matches(k, km.Down) && n > 0:
		m.cursorID = m.view.Chats[(m.cursor()+1)%n].ID
	case key.Matches(k, km.Open):
		c, ok := m.selected()
		if !ok {
			return nil
		}
		m.notice = ""
		switch {
		case c.Mine:
			m.openChat(c.ID, false)
			return m.refresh()
		case trainer:
			m.openChat(c.ID, true)
			return m.refresh()
		case c.State == live.StateWaiting:
			return m.take(c.ID)
		default:
			// A chat I had, now closed (a trainee reads their card there).
			m.openChat(c.ID, true)
			return m.refresh()
		}
	case trainer && key.Matches(k, km.New):
		if m.play != nil && !m.play.ended() {
			m.screen = screenPlay
			m.layout()
			return nil
		}
		return m.startNewPlay()
	case trainer && m.play != nil && key.Matches(k, km.Play):
		m.screen = screenPlay
		m.layout()
	}
	return nil
}

// take asks the floor for the waiting chat id.
func (m *Model) take(id string) tea.Cmd {
	seat := m.seat
	return m.seatCall(func() actMsg { return actMsg{kind: "take", id: id, err: seat.Take(id)} })
}

func (m *Model) queueView(height int) string {
	t := m.text
	if len(m.view.Chats) == 0 {
		out := m.st.Muted.Render(t.QueueEmpty)
		if m.play != nil {
			out += "\n" + m.st.Notice.Render(t.PlayRunning)
		}
		return out
	}
	var rows []string
	if m.play != nil {
		rows = append(rows, m.st.Notice.Render(t.PlayRunning))
	}
	room := max(height-len(rows), 0)
	per := 2
	cur := m.cursor()
	first := 0
	if room/per > 0 && cur >= room/per {
		first = cur - room/per + 1
	}
	w := m.width
	for i := first; i < len(m.view.Chats) && len(rows)+per <= height; i++ {
		c := m.view.Chats[i]
		l1, l2 := m.chatRow(c)
		l1 = ansi.Truncate(l1, max(w-2, 1), "…")
		l2 = ansi.Truncate(l2, max(w-4, 1), "…")
		if i == cur {
			rows = append(rows, m.st.Selected.Render("› "+l1), "    "+l2)
		} else {
			rows = append(rows, "  "+l1, "    "+m.st.Muted.Render(l2))
		}
	}
	return strings.Join(rows, "\n")
}

// chatRow is one chat of the queue on two lines: who, language, priority
// and state; then topic, reason and how long it has waited.
func (m *Model) chatRow(c live.ChatView) (string, string) {
	t := m.text
	who := termsafe.Line(c.Customer)
	if who == "" {
		who = t.Customer
	}
	parts := []string{who, m.ct.Language(c.Lang), t.Classes[c.Class.String()], m.stateText(c)}
	if c.RolePlay {
		parts = append(parts, t.RolePlay+" "+fmt.Sprintf(t.ForTrainee, termsafe.Line(m.personName(c.Trainee))))
	}
	if c.CustomerLeft {
		parts = append(parts, t.CustomerLeft)
	}
	topic := termsafe.Line(c.Intent)
	if topic == "" {
		topic = t.NoTopic
	}
	l2 := topic + " — " + handoff.ReasonLabel(c.Reason, m.lang) + " · " + fmt.Sprintf(t.Waited, dur(c.Waited))
	if c.WhyNot != "" && c.State == live.StateWaiting {
		if why := t.Refusals[c.WhyNot]; why != "" {
			l2 += " · " + why
		}
	}
	return strings.Join(parts, " · "), l2
}

// stateText says where a chat stands.
func (m *Model) stateText(c live.ChatView) string {
	t := m.text
	switch c.State {
	case live.StateWaiting:
		if c.Left > 0 {
			return fmt.Sprintf(t.StateWaiting, dur(c.Left))
		}
		return t.StateWaitingNo
	case live.StatePerson:
		if c.Mine {
			return t.StateMine
		}
		return fmt.Sprintf(t.StatePerson, termsafe.Line(c.HolderName))
	case live.StateSimulated:
		if c.HolderName == "" {
			return t.StateSimNone
		}
		return fmt.Sprintf(t.StateSim, termsafe.Line(c.HolderName))
	}
	return t.StateClosed
}
