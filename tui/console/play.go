package console

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/live"
	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// newPlay is the trainer's choice of a role-play: a scenario, one of its
// languages, a signed-in trainee, one step after the other.
type newPlay struct {
	step     int // 0 scenario, 1 language, 2 trainee
	list     components.ChoiceList
	sc       *training.Scenario
	lang     string
	langs    []string
	trainees []live.Person
	starting bool
}

func (m *Model) startNewPlay() tea.Cmd {
	m.np = newPlay{}
	m.npItems()
	m.screen, m.notice = screenNewPlay, ""
	m.layout()
	return m.refresh()
}

// npItems fills the list of the step shown.
func (m *Model) npItems() {
	np := &m.np
	var items []string
	switch np.step {
	case 0:
		for _, sc := range m.cfg.Scenarios {
			items = append(items, termsafe.Line(sc.TitleIn(m.lang)))
		}
	case 1:
		np.langs = nil
		for _, l := range []string{"ja", "en"} {
			if np.sc.Plays(l) {
				np.langs = append(np.langs, l)
				items = append(items, m.ct.Language(l))
			}
		}
	case 2:
		np.trainees = nil
		for _, p := range m.view.People {
			if p.Role == live.RoleTrainee {
				np.trainees = append(np.trainees, p)
				items = append(items, termsafe.Line(p.NameIn(m.lang)))
			}
		}
	}
	np.list.Items = items
	np.list.Cursor = min(np.list.Cursor, max(len(items)-1, 0))
}

func (m *Model) newPlayKey(k tea.KeyPressMsg) tea.Cmd {
	np := &m.np
	if np.starting {
		return nil
	}
	if key.Matches(k, m.keys.Back) {
		if np.step == 0 {
			m.toQueue()
			return nil
		}
		np.step--
		np.list.Cursor = 0
		m.npItems()
		return nil
	}
	if np.step == 2 {
		m.npItems() // trainees come and go
	}
	if !np.list.Update(k, listKeys(m.keys), true) {
		return nil
	}
	i := np.list.Cursor
	switch np.step {
	case 0:
		np.sc = m.cfg.Scenarios[i]
	case 1:
		np.lang = np.langs[i]
	case 2:
		np.starting = true
		return m.openPlay(np.sc, np.lang, np.trainees[i].Operator)
	}
	np.step++
	np.list.Cursor = 0
	m.npItems()
	return nil
}

func (m *Model) newPlayView(height int) string {
	t := m.text
	np := &m.np
	steps := []string{t.PickScenario, t.PickLang, t.PickTrainee}
	var crumbs []string
	for i, s := range steps {
		switch {
		case i == np.step:
			crumbs = append(crumbs, m.st.Header.Render(s))
		case i == 0 && np.sc != nil:
			crumbs = append(crumbs, s+": "+termsafe.Line(np.sc.TitleIn(m.lang)))
		case i == 1 && np.step > 1:
			crumbs = append(crumbs, s+": "+m.ct.Language(np.lang))
		default:
			crumbs = append(crumbs, m.st.Muted.Render(s))
		}
	}
	rows := []string{m.st.Title.Render(t.NewPlayTitle), strings.Join(crumbs, " › ")}
	if np.starting {
		return strings.Join(append(rows, m.st.Muted.Render(t.PlayStarting)), "\n")
	}
	if np.step == 2 && len(np.list.Items) == 0 {
		return strings.Join(append(rows, m.st.Bad.Render(t.NoTrainee)), "\n")
	}
	return strings.Join(rows, "\n") + "\n" + np.list.View(m.st, m.width, max(height-len(rows), 0))
}

// playState is the trainer's customer chat.
type playState struct {
	conv    *chat.Conversation
	id      string
	sc      *training.Scenario
	lang    string
	trainee string
	tr      components.Transcript
	st      chat.State
	sugg    []string // the persona's opening lines
	next    int      // the suggestion Tab puts in the box next
	view    *live.ChatView
}

func (p *playState) ended() bool { return p.st.Closed }

type (
	playStartedMsg struct {
		conv    *chat.Conversation
		sc      *training.Scenario
		lang    string
		trainee string
		res     chat.Result
		st      chat.State
		err     error
	}
	playMsg struct {
		conv *chat.Conversation
		res  chat.Result
		st   chat.State
	}
)

// errClosed: the console closed while a role-play was being opened.
var errClosed = errors.New("the console has closed")

// openPlay builds the customer's conversation, starts the chat and routes
// it to the trainee, in one job of the engine's lane.
func (m *Model) openPlay(sc *training.Scenario, lang, trainee string) tea.Cmd {
	open, seat, closer := m.cfg.OpenRolePlay, m.seat, m.closer
	return m.lanes[lanePlay].Push(func() tea.Msg {
		msg := playStartedMsg{sc: sc, lang: lang, trainee: trainee}
		if open == nil {
			msg.err = fmt.Errorf("role-plays are not set up on this server")
			return msg
		}
		conv, err := open(sc, lang)
		if err != nil {
			msg.err = err
			return msg
		}
		if !closer.hold(conv) {
			msg.err = errClosed
			return msg
		}
		if msg.res, err = seat.PlayCustomer(conv, sc, lang, trainee); err != nil {
			msg.err = err
			return msg
		}
		msg.conv, msg.st = conv, conv.State()
		return msg
	})
}

func (m *Model) playStarted(msg playStartedMsg) tea.Cmd {
	m.np.starting = false
	if msg.err != nil {
		m.say(fmt.Sprintf(m.text.PlayFailed, m.refusalWords(msg.err)), true)
		return nil
	}
	if m.quit {
		return nil // the closer, which holds it, abandons it on the way out
	}
	p := &playState{conv: msg.conv, id: msg.st.ID, sc: msg.sc, lang: msg.lang, trainee: msg.trainee, st: msg.st}
	p.tr = components.NewTranscript(m.st, m.ct)
	p.tr.SetLineBreaking(true)
	for _, l := range msg.sc.Opening.In(msg.lang) {
		if strings.TrimSpace(l) != "" {
			p.sugg = append(p.sugg, l)
		}
	}
	m.play = p
	m.renderPlay(msg.res)
	m.screen, m.notice = screenPlay, ""
	m.input.Reset()
	m.layout()
	return m.refresh()
}

// refusalWords is a refusal's words without the "Cannot:" frame.
func (m *Model) refusalWords(err error) string {
	var r *live.Refusal
	if errors.As(err, &r) {
		if why := m.text.Refusals[r.Code]; why != "" {
			return why
		}
	}
	return common.OneLine(err)
}

// playCall runs one turn of the role-play's customer conversation on the
// play lane (live.PlayTurn).
func (m *Model) playCall(fn func(*chat.Conversation) chat.Result) tea.Cmd {
	if m.play == nil {
		return nil
	}
	conv := m.play.conv
	return m.lanes[lanePlay].Push(func() tea.Msg {
		res := live.PlayTurn(conv, fn)
		return playMsg{conv: conv, res: res, st: conv.State()}
	})
}

// advancePlay lets the customer's desk catch up with the clock; a tick
// that finds the lane busy is skipped, the next Advance catches up.
func (m *Model) advancePlay() tea.Cmd {
	if m.play == nil || m.play.ended() || m.lanes[lanePlay].Busy() {
		return nil
	}
	return m.playCall(func(c *chat.Conversation) chat.Result { return c.Advance() })
}

func (m *Model) playEnd() tea.Cmd {
	return m.playCall(func(c *chat.Conversation) chat.Result { return c.Close(0, 0) })
}

func (m *Model) playResult(msg playMsg) {
	if m.play == nil || msg.conv != m.play.conv {
		return
	}
	m.play.st = msg.st
	m.renderPlay(msg.res)
	m.layout()
}

// renderPlay puts the engine's events in the trainer's transcript.
func (m *Model) renderPlay(res chat.Result) {
	t := m.text
	tr := &m.play.tr
	for _, ev := range res.Events {
		op := ev.Operator
		if op == nil {
			op = &handoff.OperatorInfo{}
		}
		event := func(text string) {
			tr.Append(components.Message{Role: components.RoleEvent, At: ev.At, Text: text})
		}
		switch ev.Kind {
		case chat.KindCustomer:
			if strings.TrimSpace(ev.Text) != "" {
				tr.Append(components.Message{Role: components.RoleCustomer, Label: t.You, At: ev.At, Text: ev.Text})
			}
		case chat.KindBot:
			tr.Append(components.Message{Role: components.RoleBot, Label: t.Bot, At: ev.At, Text: ev.Text})
		case chat.KindOperator:
			tr.Append(components.Message{Role: components.RoleOperator, Label: op.Name, At: ev.At, Text: ev.Text})
		case chat.KindEscalated:
			event(fmt.Sprintf(t.PlayEscalated, handoff.ReasonLabel(ev.Reason, m.lang)))
		case chat.KindJoined:
			event(fmt.Sprintf(t.Joined, op.Name))
		case chat.KindLeft:
			event(fmt.Sprintf(t.Left, op.Name, m.ct.CauseText(string(ev.Cause))))
		case chat.KindCallback:
			if b := ev.Booking; b != nil {
				event(fmt.Sprintf(m.ct.EventBooked, b.Display, m.ct.Slot(b.At)))
			}
		case chat.KindCardNotice:
			event(ev.Text)
		case chat.KindClosed:
			event(t.Closed)
		}
	}
}

func (m *Model) playKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	p := m.play
	switch {
	case key.Matches(k, km.Back):
		m.toQueue()
		return m.refresh()
	case key.Matches(k, km.ScrollUp):
		p.tr.ScrollUp(max(m.tr2Height()-1, 1))
		return nil
	case key.Matches(k, km.ScrollDown):
		p.tr.ScrollDown(max(m.tr2Height()-1, 1))
		return nil
	}
	if p == nil || p.ended() {
		return nil
	}
	switch {
	case key.Matches(k, km.Send):
		text := m.input.Value()
		if strings.TrimSpace(text) == "" {
			return nil
		}
		m.input.Reset()
		return m.playCall(func(c *chat.Conversation) chat.Result { return c.Send(text) })
	case key.Matches(k, km.Suggest):
		if len(p.sugg) == 0 {
			return nil
		}
		m.input.Reset()
		m.input, _ = m.input.Update(tea.PasteMsg{Content: p.sugg[p.next%len(p.sugg)]})
		p.next = (p.next + 1) % len(p.sugg)
		return nil
	case key.Matches(k, km.Person):
		return m.playCall(func(c *chat.Conversation) chat.Result { return c.AskForPerson("") })
	case key.Matches(k, km.End):
		m.dialog = dialogPlayEnd
		m.layout()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(k)
	return cmd
}

// suggestRows is how many rows the opening lines take under the
// transcript.
func (m *Model) suggestRows() int {
	if m.screen != screenPlay || m.play == nil || m.play.ended() || len(m.play.sugg) == 0 {
		return 0
	}
	return len(m.play.sugg) + 1
}

func (m *Model) playView(height int) string {
	t := m.text
	p := m.play
	if p == nil {
		return ""
	}
	left, right := m.columns()
	status := t.PlayBot
	switch {
	case p.st.Closed:
		status = t.PlayEnded
	case p.st.Operator != nil:
		status = fmt.Sprintf(t.PlayOperator, termsafe.Line(p.st.Operator.Name))
	case p.st.InQueue:
		status = fmt.Sprintf(t.PlayQueue, p.st.Position)
	}
	head := m.st.Header.Render(termsafe.Line(fmt.Sprintf(t.PlayTitle, p.sc.TitleIn(m.lang)))) + "  " + m.st.Muted.Render(status)
	bodyH := max(height-1, 0)
	var main string
	if p.ended() {
		trH := bodyH / 2
		p.tr.SetSize(left, trH)
		cv := p.view
		if cv == nil {
			cv = &live.ChatView{RolePlay: true, State: live.StateClosed}
		}
		main = components.FitHeight(p.tr.View(), trH) + "\n" + components.Fit(strings.Join(m.cardRows(cv, left), "\n"), left, bodyH-trH)
	} else {
		sr := m.suggestRows()
		trH := max(bodyH-inputRows-sr, 0)
		p.tr.SetSize(left, trH)
		main = components.FitHeight(p.tr.View(), trH)
		if sr > 0 {
			rows := []string{m.st.Muted.Render(t.Suggestions)}
			for i, s := range p.sugg {
				mark := "  "
				if i == p.next {
					mark = "› "
				}
				rows = append(rows, ansi.Truncate(mark+fmt.Sprintf("%d. ", i+1)+termsafe.Line(s), max(left, 1), "…"))
			}
			main += "\n" + strings.Join(rows, "\n")
		}
		main += "\n" + components.Fit(m.input.View(), left, inputRows)
	}
	if right > 0 {
		var rows []string
		if cv := p.view; cv != nil {
			rows = append(rows, m.stateText(*cv))
			if cv.Trainee != "" {
				rows = append(rows, fmt.Sprintf(t.ForTrainee, termsafe.Line(m.personName(cv.Trainee))))
			}
			rows = append(rows, m.packetRows(cv)...)
		} else {
			rows = append(rows, fmt.Sprintf(t.ForTrainee, termsafe.Line(m.personName(p.trainee))))
		}
		main = components.JoinColumns(main, components.Panel(m.st, t.PanelTitle, rows, right, bodyH), left, bodyH)
	}
	return head + "\n" + main
}
