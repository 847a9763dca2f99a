package console

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	"tsunagu/handoff/live"
	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

func (m *Model) chatKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	switch {
	case key.Matches(k, km.Back):
		m.notice = ""
		m.toQueue()
		return m.refresh()
	case key.Matches(k, km.ScrollUp):
		m.tr.ScrollUp(max(m.tr2Height()-1, 1))
		return nil
	case key.Matches(k, km.ScrollDown):
		m.tr.ScrollDown(max(m.tr2Height()-1, 1))
		return nil
	}
	if !m.mine() {
		return nil // read-only: nothing typed reaches the chat
	}
	id, seat := m.chatID, m.seat
	switch {
	case key.Matches(k, km.Send):
		text := m.input.Value()
		if strings.TrimSpace(text) == "" {
			return nil
		}
		m.input.Reset()
		return m.seatCall(func() actMsg { return actMsg{kind: "reply", id: id, err: seat.Reply(id, text)} })
	case key.Matches(k, km.Ask):
		var labels []string
		for _, f := range live.AskFacts {
			labels = append(labels, m.factName(f))
		}
		m.openPick(dialogAsk, labels, live.AskFacts)
		return nil
	case key.Matches(k, km.Transfer):
		m.openTransfer()
		return nil
	case key.Matches(k, km.Callback):
		m.phone.Reset()
		m.dialog = dialogCallback
		m.layout()
		return m.phone.Focus()
	case key.Matches(k, km.Close):
		m.dialog = dialogClose
		m.layout()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	return cmd
}

func (m *Model) tr2Height() int { return m.bodyHeight() - inputRows }

func (m *Model) openPick(d dialogKind, labels, values []string) {
	m.pick.Items, m.pick.Cursor, m.picks = labels, 0, values
	m.dialog = d
	m.layout()
}

// openTransfer offers the signed-in operators and the queue; in a
// role-play, the training teams, which the scorecard marks.
func (m *Model) openTransfer() {
	var labels, values []string
	if m.chat != nil && m.chat.RolePlay {
		for _, team := range training.Teams {
			labels = append(labels, team.Label(m.lang))
			values = append(values, "team:"+string(team))
		}
	} else {
		for _, p := range m.view.Targets {
			labels = append(labels, fmt.Sprintf("%s (%d/%d)", termsafe.Line(p.NameIn(m.lang)), p.Holding, p.Capacity))
			values = append(values, p.Operator)
		}
		labels = append(labels, m.text.TheQueue)
		values = append(values, "")
	}
	m.openPick(dialogTransfer, labels, values)
}

func (m *Model) dialogKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	id, seat := m.chatID, m.seat
	switch m.dialog {
	case dialogClose:
		switch {
		case key.Matches(k, km.Yes):
			m.dialog = dialogNone
			m.layout()
			return m.seatCall(func() actMsg { return actMsg{kind: "close", id: id, err: seat.Close(id)} })
		case key.Matches(k, km.No):
			m.dialog = dialogNone
			m.layout()
		}
		return nil
	case dialogPlayEnd:
		switch {
		case key.Matches(k, km.Yes):
			m.dialog = dialogNone
			m.layout()
			return m.playEnd()
		case key.Matches(k, km.No):
			m.dialog = dialogNone
			m.layout()
		}
		return nil
	case dialogCallback:
		switch {
		case key.Matches(k, km.Cancel):
			m.dialog = dialogNone
			m.layout()
			return nil
		case key.Matches(k, km.Choose):
			phone := m.phone.Value()
			m.dialog = dialogNone
			m.layout()
			return m.seatCall(func() actMsg {
				b, err := seat.BookCallback(id, phone)
				return actMsg{kind: "callback", id: id, err: err, booking: b}
			})
		}
		var cmd tea.Cmd
		m.phone, cmd = m.phone.Update(k)
		return cmd
	}
	if key.Matches(k, km.Cancel) {
		m.dialog = dialogNone
		m.layout()
		return nil
	}
	if !m.pick.Update(k, listKeys(km), true) {
		return nil
	}
	value, label := m.picks[m.pick.Cursor], m.pick.Items[m.pick.Cursor]
	d := m.dialog
	m.dialog = dialogNone
	m.layout()
	switch d {
	case dialogAsk:
		return m.seatCall(func() actMsg { return actMsg{kind: "ask", id: id, fact: value, err: seat.Ask(id, value)} })
	case dialogTransfer:
		var team training.Team
		to := value
		if t, ok := strings.CutPrefix(value, "team:"); ok {
			team, to = training.Team(t), ""
		}
		return m.seatCall(func() actMsg {
			return actMsg{kind: "transfer", id: id, to: label, err: seat.Transfer(id, to, team)}
		})
	}
	return nil
}

func listKeys(km common.ConsoleKeys) common.ListKeys {
	return common.ListKeys{Up: km.Up, Down: km.Down, Choose: km.Choose}
}

func (m *Model) dialogView() string {
	t := m.text
	var lines []string
	switch m.dialog {
	case dialogNone:
		return ""
	case dialogClose:
		lines = []string{m.st.Bad.Render(t.CloseAsk)}
	case dialogPlayEnd:
		lines = []string{m.st.Bad.Render(t.PlayEndAsk)}
	case dialogCallback:
		number := t.CallbackNone
		if m.chat != nil && m.chat.Packet != nil {
			if p := m.chat.Packet.Facts.Value(handoff.FactPhone); p != "" {
				number = termsafe.Line(p)
			}
		}
		lines = []string{m.st.Header.Render(t.CallbackTitle), fmt.Sprintf(t.CallbackHint, number), m.phone.View()}
	case dialogAsk, dialogTransfer:
		title := t.AskTitle
		if m.dialog == dialogTransfer {
			title = t.TransferTitle
			if m.chat != nil && m.chat.RolePlay {
				title = t.TeamTitle
			}
		}
		lines = []string{m.st.Header.Render(title), m.pick.View(m.st, max(m.width-4, 1), max(len(m.pick.Items), 1))}
	}
	inner := max(m.width-4, 1)
	var rows []string
	for _, l := range lines {
		for _, r := range strings.Split(l, "\n") {
			rows = append(rows, ansi.Truncate(r, inner, "…"))
		}
	}
	return m.st.Panel.Width(m.width).Render(strings.Join(rows, "\n"))
}

// chatView is the transcript (or, once a role-play is scored, the
// scorecard) beside the packet and the case, with the reply box below.
func (m *Model) chatView(height int) string {
	t := m.text
	left, right := m.columns()
	c := m.chat
	if c == nil {
		return ""
	}
	who := termsafe.Line(c.Customer)
	if who == "" {
		who = t.Customer
	}
	title := fmt.Sprintf(t.ChatTitle, who)
	if m.watch || !c.Mine {
		title = fmt.Sprintf(t.WatchTitle, who) + "  " + m.st.Bad.Render("["+t.ReadOnly+"]")
	}
	status := m.stateText(*c)
	if c.RolePlay {
		status += " · " + t.RolePlay
	}
	if c.Awaiting != "" {
		status += " · " + fmt.Sprintf(t.Awaiting, m.factName(c.Awaiting))
	}
	head := []string{m.st.Header.Render(title) + "  " + m.st.Muted.Render(status)}
	if c.CustomerLeft {
		head = append(head, m.st.Bad.Render(t.CustomerLeft))
	} else if c.State == live.StateClosed {
		head = append(head, m.st.Notice.Render(t.ChatOver))
	}
	bodyH := max(height-len(head), 0)
	var main string
	if c.Card != nil || (c.RolePlay && c.State == live.StateClosed) {
		main = components.Fit(strings.Join(m.cardRows(c, left), "\n"), left, bodyH)
	} else {
		trH := bodyH
		if m.mine() {
			trH = max(bodyH-inputRows, 0)
		}
		m.tr.SetSize(left, trH)
		main = m.tr.View()
		if m.tr.Len() == 0 {
			main = m.st.Muted.Render(t.TranscriptNone)
		}
		if m.mine() {
			main = components.FitHeight(main, trH) + "\n" + components.Fit(m.input.View(), left, inputRows)
		}
	}
	if right > 0 {
		main = components.JoinColumns(main, components.Panel(m.st, t.PanelTitle, m.packetRows(c), right, bodyH), left, bodyH)
	}
	return strings.Join(head, "\n") + "\n" + main
}

// lineMessage turns one of the floor's transcript lines into a message:
// people's words as written, system lines as short notices.
func (m *Model) lineMessage(l live.Line) (components.Message, bool) {
	t := m.text
	switch l.Speaker {
	case handoff.SpeakerCustomer:
		label := t.Customer
		if m.chat != nil && m.chat.Customer != "" {
			label = m.chat.Customer
		}
		return components.Message{Role: components.RoleCustomer, Label: label, At: l.At, Text: l.Text}, true
	case handoff.SpeakerBot:
		return components.Message{Role: components.RoleBot, Label: t.Bot, At: l.At, Text: l.Text}, true
	case handoff.SpeakerOperator:
		return components.Message{Role: components.RoleOperator, Label: m.personName(l.Name), At: l.At, Text: l.Text}, true
	}
	text := l.Text
	switch l.Event {
	case live.LineJoined:
		text = fmt.Sprintf(t.Joined, m.personName(l.Name))
	case live.LineClosed:
		text = t.Closed
	case live.LineLeft:
		text = fmt.Sprintf(t.Left, m.personName(l.Name), m.ct.CauseText(string(l.Cause)))
	}
	if strings.TrimSpace(text) == "" {
		return components.Message{}, false
	}
	return components.Message{Role: components.RoleEvent, At: l.At, Text: text}, true
}

// packetRows are the packet and the case: summary in the UI language,
// reason, facts, issues and transfers. Every value is sanitised.
func (m *Model) packetRows(c *live.ChatView) []string {
	t := m.text
	h := m.st.PanelHead.Render
	rows := []string{h(t.Reason) + ": " + handoff.ReasonLabel(c.Reason, m.lang)}
	p := c.Packet
	if p == nil {
		return rows
	}
	summary := p.Summary[m.lang]
	if summary == "" {
		summary = p.Summary["en"]
	}
	rows = append(rows, h(t.Summary)+": "+termsafe.Line(summary), h(t.Facts)+":")
	for _, f := range append([]string{handoff.FactCustomer}, live.AskFacts...) {
		if v := p.Facts.Value(f); v != "" {
			rows = append(rows, "  "+m.factName(f)+": "+termsafe.Line(v))
		}
	}
	if len(p.Issues) > 0 {
		rows = append(rows, h(t.Issues)+":")
		for _, is := range p.Issues {
			line := fmt.Sprintf("  [%s] %s", is.Status, is.Intent)
			if is.Text != "" {
				line += ": " + is.Text
			}
			rows = append(rows, termsafe.Line(line))
		}
	}
	if len(p.Transfers) > 0 {
		rows = append(rows, h(t.Transfers)+":")
		for _, tr := range p.Transfers {
			to := t.TheQueue
			if tr.To != "" {
				to = m.personName(tr.To)
			}
			rows = append(rows, "  "+termsafe.Line(fmt.Sprintf(t.TransferRow, m.personName(tr.From), to, m.ct.CauseText(string(tr.Cause)))))
		}
	}
	return rows
}

// cardRows are a role-play's scorecard in short: total, critical
// failures, each item's points, and whether it was stored.
func (m *Model) cardRows(c *live.ChatView, width int) []string {
	t := m.text
	var rows []string
	if c.CardError != nil {
		rows = append(rows, m.st.Bad.Render(termsafe.Line(fmt.Sprintf(t.CardError, common.OneLine(c.CardError)))))
	}
	card := c.Card
	if card == nil {
		return append(rows, m.st.Muted.Render(t.CardWaiting))
	}
	rows = append(rows, m.st.Header.Render(termsafe.Line(fmt.Sprintf(t.ScoreTitle, card.Title))))
	total := fmt.Sprintf(t.ScoreTotal, card.Total)
	if card.CriticalFailed {
		total += " · " + m.st.Bad.Render(fmt.Sprintf(t.ScoreCritical, card.Weighted))
	}
	rows = append(rows, total)
	for _, it := range card.Items {
		var mark string
		switch {
		case it.Critical && it.Failed:
			mark = m.st.Bad.Render(fmt.Sprintf("%-6s", t.ScoreFail))
		case it.Critical:
			mark = fmt.Sprintf("%-6s", t.ScorePass)
		default:
			mark = fmt.Sprintf("%4.1f/%-2d", it.Points, it.Weight)
		}
		line := mark + " " + it.Item.Label(m.lang)
		if it.Why != "" {
			line += " — " + termsafe.Line(it.Why)
		}
		rows = append(rows, ansi.Truncate(line, max(width, 1), "…"))
	}
	return rows
}
