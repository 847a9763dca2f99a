package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff"
	engine "tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
	"tsunagu/tui/history"
	"tsunagu/tui/pages/chat"
	"tsunagu/tui/pages/flow"
)

// session is the screen's side of one conversation: what the contact flow
// collected, the engine that holds the conversation once the customer picks
// a channel, the engine's last snapshot, and where the engine's lines are in
// the transcript widget. The conversation itself lives in the engine
// (handoff/chat); Update only renders what it returns.
type session struct {
	contact engine.Contact
	conv    *engine.Conversation
	st      engine.State
	id      string      // st.ID, or the id being resumed
	lineIdx map[int]int // engine line → transcript message
	// resuming: a stored conversation is loading; keys that send wait.
	resuming  bool
	closing   bool // the ratings were sent: a second Enter records nothing twice
	abandoned bool // the customer quit before closing it
	// choiceAnswered: the customer answered "who should answer?" and the
	// engine has not had the answer yet.
	choiceAnswered bool
}

func (s *session) signedIn() bool { return s.contact.SignedIn }

type (
	// engineMsg carries what one engine call produced, and the snapshot
	// taken right after it.
	engineMsg struct {
		conv  *engine.Conversation
		res   engine.Result
		st    engine.State
		err   error // a refused booking
		op    engineOp
		store engine.Store // the conversation's store, once open
	}
	// resumedMsg carries a resumed conversation and what it stored.
	resumedMsg struct {
		id     string
		conv   *engine.Conversation
		stored transcripts.Conversation
		res    engine.Result
		st     engine.State
		err    error
	}
	tickMsg struct {
		conv *engine.Conversation // the conversation whose desk it advances
	}
	retryMsg struct{ conv *engine.Conversation }
)

// engineOp names the call an engineMsg answers, where Update must know.
type engineOp int

const (
	opOther engineOp = iota
	opBook
	opClose
)

// retryAfter is how long a failed store write waits before it is retried.
const retryAfter = 2 * time.Second

func (m *Model) now() time.Time { return m.cfg.Clock.Now() }

// engineConfig is what every conversation of this app runs on.
func (m *Model) engineConfig() engine.Config {
	return engine.Config{Lang: m.lang, Profile: m.cfg.Profile, Clock: m.cfg.Clock, OpenStore: m.cfg.OpenStore,
		Bot: m.bot, NewDesk: m.cfg.NewDesk, Callbacks: m.cfg.Callbacks, NewID: m.cfg.NewID, Seed: m.cfg.Seed}
}

// call runs fn on conv in the engine lane, so calls happen one at a time in
// the order the customer made them, and returns its result as an engineMsg.
func (m *Model) call(conv *engine.Conversation, op engineOp, fn func() (engine.Result, error)) tea.Cmd {
	m.track(conv)
	return m.lanes[laneEngine].Push(func() tea.Msg {
		res, err := fn()
		return engineMsg{conv: conv, res: res, st: conv.State(), err: err, op: op, store: conv.Store()}
	})
}

// track keeps every conversation of this run, so quitting waits for the
// writes of one the customer has left.
func (m *Model) track(conv *engine.Conversation) {
	for _, c := range m.convs {
		if c == conv {
			return
		}
	}
	m.convs = append(m.convs, conv)
}

// conversation returns the session's engine, creating it from the contact
// flow's facts the first time.
func (m *Model) conversation() *engine.Conversation {
	s := m.sess
	if s.conv == nil {
		s.conv = engine.New(m.engineConfig(), s.contact)
		s.lineIdx = map[int]int{}
	}
	return s.conv
}

// updateSession handles the flow's choices and every engine result.
func (m *Model) updateSession(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case flow.StartChosenMsg:
		m.sess = &session{contact: engine.Contact{SignedIn: msg.SignedIn}}
		m.topics.Reset(msg.SignedIn, false)
		if msg.SignedIn {
			m.orders = flow.NewOrder(m.env())
			m.show(screenOrder)
		} else {
			m.show(screenTopic)
		}
		return nil, true
	case flow.OrderChosenMsg:
		m.sess.contact.Order = msg.Order
		m.topics.Reset(true, msg.Order != nil)
		m.show(screenTopic)
		return nil, true
	case flow.TopicChosenMsg:
		m.sess.contact.Category, m.sess.contact.Topic = msg.Category, msg.Topic
		m.channel = flow.NewChannel(m.env(), m.hoursText())
		m.show(screenChannel)
		return nil, true
	case flow.ChannelChosenMsg:
		if msg.Callback {
			m.phone = chat.NewPhone(m.env(), m.cfg.Callbacks, m.now())
			m.show(screenPhone)
			return nil, true
		}
		return m.startChat(), true
	case common.BackMsg:
		m.back()
		return nil, true
	case engineMsg:
		return m.engineDone(msg), true
	case resumedMsg:
		return m.resumed(msg), true
	case tickMsg:
		return m.tick(msg), true
	case retryMsg:
		for i, c := range m.retryWait {
			if c == msg.conv {
				m.retryWait = append(m.retryWait[:i], m.retryWait[i+1:]...)
				break
			}
		}
		conv := msg.conv
		return m.call(conv, opOther, func() (engine.Result, error) { return conv.Retry(), nil }), true
	case resumeAskedMsg:
		return m.resume(msg.id), true
	case chat.PhoneSubmitMsg:
		conv := m.conversation()
		phone := msg.Phone
		return m.call(conv, opBook, func() (engine.Result, error) { return conv.Book(phone) }), true
	case chat.PhoneChatMsg:
		if m.sess.st.Created {
			m.show(screenChat)
			return nil, true
		}
		return m.startChat(), true
	case chat.RatedMsg:
		return m.finish(msg), true
	case chat.SendMsg:
		m.spendSend()
		return m.send(msg.Text), true
	case chat.AskPersonMsg:
		if m.sess.st.Escalated || m.sess.st.Answering {
			return nil, true
		}
		return m.askForPerson(), true
	case chat.ChooseMsg:
		m.sess.choiceAnswered = true
		return m.choose(msg.Native), true
	case chat.StayWithBotMsg:
		m.sess.choiceAnswered = true
		conv := m.conversation()
		return m.call(conv, opOther, func() (engine.Result, error) { return conv.CancelChoice(), nil }), true
	case chat.CallMsg:
		if m.cfg.Callbacks != nil && m.sess.st.Booking == nil {
			m.phone = chat.NewPhone(m.env(), m.cfg.Callbacks, m.now())
			m.show(screenPhone)
		}
		return nil, true
	case chat.EndMsg:
		m.rate = chat.NewRate(m.env(), m.sess.st.HadOperator)
		m.show(screenRate)
		return nil, true
	case chat.HelpMsg:
		m.fullHelp = !m.fullHelp
		m.layout()
		return nil, true
	case chat.HistoryMsg:
		return m.openHistory(), true
	case chat.DoneMsg:
		return tea.Quit, true
	}
	return nil, false
}

// back goes one step back in the flow.
func (m *Model) back() {
	switch m.screen {
	case screenOrder:
		m.show(screenStart)
	case screenTopic:
		if m.sess != nil && m.sess.signedIn() {
			m.show(screenOrder)
		} else {
			m.show(screenStart)
		}
	case screenChannel:
		m.show(screenTopic)
	case screenPhone:
		if m.sess != nil && m.sess.st.Created {
			m.show(screenChat)
		} else {
			m.show(screenChannel)
		}
	case screenChat:
		// Esc closes the full help first, then goes on to the ratings.
		if m.fullHelp {
			m.fullHelp = false
			m.layout()
		} else {
			m.rate = chat.NewRate(m.env(), m.sess.st.HadOperator)
			m.show(screenRate)
		}
	case screenRate:
		if m.sess != nil && !m.sess.st.Closed {
			m.show(screenChat)
		}
	}
}

func (m *Model) hoursText() string {
	if m.cfg.Callbacks == nil {
		return ""
	}
	off := m.cfg.Callbacks.Offer(m.now())
	if off.Open {
		return fmt.Sprintf(m.text.ChannelCallOpen, int(off.Within/time.Minute))
	}
	return fmt.Sprintf(m.text.ChannelCallShut, m.text.Slot(off.NextOpening))
}

// startChat opens the chat screen; the engine creates the conversation and
// the bot opens (once its rules have loaded).
func (m *Model) startChat() tea.Cmd {
	m.chat = chat.New(m.env())
	m.show(screenChat)
	conv := m.conversation()
	return tea.Batch(m.chat.Input().Focus(),
		m.call(conv, opOther, func() (engine.Result, error) { return conv.StartChat(), nil }))
}

// send hands a message the customer typed to the engine.
func (m *Model) send(text string) tea.Cmd {
	conv := m.conversation()
	return m.call(conv, opOther, func() (engine.Result, error) { return conv.Send(text), nil })
}

// sendTokensAt is what MessageLimit allows at now: the bucket refilled
// since it was last counted.
func (m *Model) sendTokensAt(now time.Time) float64 {
	l := m.cfg.MessageLimit
	burst := float64(l.Burst)
	if l.Burst <= 0 {
		burst = float64(l.PerMinute)
	}
	if m.sendAt.IsZero() {
		return burst
	}
	gained := now.Sub(m.sendAt).Minutes() * float64(l.PerMinute)
	return min(burst, m.sendTokens+max(gained, 0))
}

// holdSend keeps a message the limit does not allow yet in the input box,
// with a notice: the key never reaches the chat screen, which would clear
// the box. It reports whether it held the key.
func (m *Model) holdSend(k tea.KeyPressMsg) bool {
	if m.cfg.MessageLimit.PerMinute <= 0 || m.screen != screenChat || m.sess == nil || m.sess.resuming ||
		!key.Matches(k, m.keys.Chat.Send) || strings.TrimSpace(m.chat.Input().Value()) == "" {
		return false
	}
	if m.sendTokensAt(m.limitNow()) >= 1 {
		return false
	}
	m.sendHeld = true
	return true
}

// spendSend counts a message sent against the limit.
func (m *Model) spendSend() {
	if m.cfg.MessageLimit.PerMinute <= 0 {
		return
	}
	now := m.limitNow()
	m.sendTokens, m.sendAt = m.sendTokensAt(now)-1, now
	m.sendHeld = false
}

// limitNow is the time on MessageLimit's clock.
func (m *Model) limitNow() time.Time {
	if c := m.cfg.MessageLimit.Clock; c != nil {
		return c.Now()
	}
	return m.now()
}

// askForPerson is the "a person, please" key.
func (m *Model) askForPerson() tea.Cmd {
	conv, text := m.conversation(), m.text.HumanAsked
	return m.call(conv, opOther, func() (engine.Result, error) { return conv.AskForPerson(text), nil })
}

// choose answers "who should answer?".
func (m *Model) choose(native bool) tea.Cmd {
	conv := m.conversation()
	return m.call(conv, opOther, func() (engine.Result, error) { return conv.Choose(native), nil })
}

// finish closes the conversation with the ratings.
func (m *Model) finish(r chat.RatedMsg) tea.Cmd {
	s := m.sess
	if s == nil || s.conv == nil || s.closing {
		return nil // a second Enter records nothing twice
	}
	s.closing = true
	conv := s.conv
	return m.call(conv, opClose, func() (engine.Result, error) { return conv.Close(r.Bot, r.Operator), nil })
}

// engineDone renders what an engine call produced.
func (m *Model) engineDone(msg engineMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.st.Pending > 0 && !m.retrying(msg.conv) {
		cmds = append(cmds, m.retryLater(msg.conv))
	}
	if m.store == nil && msg.store != nil {
		m.store, m.storeErr = msg.store, nil // opened by the engine after failing at start
	}
	s := m.sess
	if s == nil || s.conv != msg.conv {
		return tea.Batch(cmds...) // a conversation the customer has left: only its writes matter
	}
	wasQueued := s.st.Queued
	s.st, s.id = msg.st, msg.st.ID
	m.storeErr = msg.st.StoreError
	if msg.st.Problem != nil {
		m.fatal = fmt.Sprintf(m.text.LoadFailed, common.OneLine(msg.st.Problem))
	}
	m.render(msg.res)
	switch msg.op {
	case opBook:
		m.phone.Booked(msg.err)
		if msg.err != nil {
			return tea.Batch(cmds...)
		}
		if s.st.Channel == "chat" {
			m.show(screenChat)
		} else {
			m.closed = chat.NewClosed(m.env(), true)
			m.show(screenBooked)
		}
	case opClose:
		m.closed = chat.NewClosed(m.env(), false)
		m.show(screenClosed)
	}
	// The page mirrors the engine's choice; an answer the customer gave that
	// the engine has not had yet keeps it closed.
	switch {
	case !msg.st.Choosing:
		s.choiceAnswered = false
		if m.chat.Choosing() {
			m.chat.CloseChoice()
		}
	case !m.chat.Choosing() && !s.choiceAnswered:
		m.chat.OpenChoice(msg.st.Quote)
	}
	if msg.st.Queued && !wasQueued && !msg.st.Closed {
		cmds = append(cmds, m.scheduleTick(msg.conv))
	}
	if msg.st.Closed && m.screen == screenChat && s.closing {
		m.closed = chat.NewClosed(m.env(), false)
		m.show(screenClosed)
	}
	return tea.Batch(cmds...)
}

// retrying reports that a retry of conv's writes is already waiting.
func (m *Model) retrying(conv *engine.Conversation) bool {
	for _, c := range m.retryWait {
		if c == conv {
			return true
		}
	}
	return false
}

// retryLater asks the engine to retry conv's writes after retryAfter;
// quitting waits for it.
func (m *Model) retryLater(conv *engine.Conversation) tea.Cmd {
	m.retryWait = append(m.retryWait, conv)
	return m.cfg.Tick(retryAfter, func(time.Time) tea.Msg { return retryMsg{conv: conv} })
}

// render puts the engine's events on the screen: lines into the transcript,
// save marks onto them.
func (m *Model) render(res engine.Result) {
	s := m.sess
	t := m.text
	tr := m.chat.Transcript()
	add := func(ev engine.Event, msg components.Message) {
		if ev.Line > 0 {
			msg.Save = components.Saving
		}
		idx := tr.Append(msg)
		if ev.Line > 0 {
			s.lineIdx[ev.Line] = idx
		}
	}
	eventLine := func(ev engine.Event, text string) {
		add(ev, components.Message{Role: components.RoleEvent, At: ev.At, Text: text})
	}
	for _, ev := range res.Events {
		op := ev.Operator
		if op == nil {
			op = &handoff.OperatorInfo{}
		}
		switch ev.Kind {
		case engine.KindCustomer:
			add(ev, components.Message{Role: components.RoleCustomer, Label: t.You, At: ev.At, Text: ev.Text})
		case engine.KindBot:
			add(ev, components.Message{Role: components.RoleBot, Label: t.Bot, At: ev.At, Text: ev.Text})
		case engine.KindOperator:
			add(ev, components.Message{Role: components.RoleOperator, Label: op.Name, At: ev.At, Text: ev.Text})
		case engine.KindEscalated:
			eventLine(ev, fmt.Sprintf(t.Escalated, t.ReasonText(string(ev.Reason))))
		case engine.KindJoined:
			switch {
			case ev.Handover:
				eventLine(ev, fmt.Sprintf(t.EventTransfer, ev.From, op.Label))
			case ev.Back:
				eventLine(ev, fmt.Sprintf(t.EventBack, op.Label))
			default:
				eventLine(ev, fmt.Sprintf(t.EventJoined, op.Label))
			}
		case engine.KindLeft:
			eventLine(ev, fmt.Sprintf(t.EventLeft, op.Name, t.CauseText(string(ev.Cause))))
		case engine.KindOfferClose:
			eventLine(ev, t.Resolved)
		case engine.KindCallback:
			b := ev.Booking
			eventLine(ev, fmt.Sprintf(t.EventBooked, b.Display, t.Slot(b.At)))
		case engine.KindCardNotice:
			eventLine(ev, ev.Text)
		case engine.KindResumed:
			eventLine(ev, t.EventResumed)
		case engine.KindClosed:
			if !s.closing {
				// The operator ended it (a person at the shared desk, or a
				// simulated one after the customer's silence): say so.
				eventLine(ev, t.EventClosedByOperator)
			}
		}
	}
	for _, sv := range res.Saves {
		idx, ok := s.lineIdx[sv.Line]
		if !ok {
			continue
		}
		if sv.Saved {
			tr.SetSave(idx, components.Saved)
		} else {
			tr.SetSave(idx, components.NotSaved)
		}
	}
}

func (m *Model) scheduleTick(conv *engine.Conversation) tea.Cmd {
	return m.cfg.Tick(m.cfg.TickEvery, func(time.Time) tea.Msg { return tickMsg{conv: conv} })
}

// tick advances the desk to the clock's now. A tick that finds the engine
// lane busy is skipped: the next Advance catches up with the clock anyway.
func (m *Model) tick(msg tickMsg) tea.Cmd {
	s := m.sess
	if s == nil || s.conv != msg.conv || s.st.Closed {
		return nil
	}
	cmds := []tea.Cmd{m.scheduleTick(msg.conv)}
	if !m.lanes[laneEngine].Busy() {
		conv := msg.conv
		cmds = append(cmds, m.call(conv, opOther, func() (engine.Result, error) { return conv.Advance(), nil }))
	}
	return tea.Batch(cmds...)
}

// botReady hands the loaded rules to the conversation waiting for them.
func (m *Model) botReady() tea.Cmd {
	if m.sess == nil || m.sess.conv == nil || m.bot == nil {
		return nil
	}
	conv, b := m.sess.conv, m.bot
	return m.call(conv, opOther, func() (engine.Result, error) { return conv.SetBot(b), nil })
}

// Resuming: a conversation that is not closed can be continued from the
// history browser. The engine loads it; the chat shows its stored
// transcript, rendered exactly as the history shows it, and goes on.

type resumeAskedMsg struct{ id string }

// resume opens the chat screen on a stored conversation and asks the
// engine to load it (in the engine lane, after any call still queued).
func (m *Model) resume(id string) tea.Cmd {
	m.hist = nil
	m.sess = &session{id: id, resuming: true, lineIdx: map[int]int{}}
	typed := *m.chat.Input()
	m.chat = chat.New(m.env())
	if m.screen == screenChat {
		m.chat.SetInput(typed)
	}
	m.show(screenChat)
	cfg := m.engineConfig()
	return m.lanes[laneEngine].Push(func() tea.Msg {
		conv, stored, res, err := engine.Resume(cfg, id)
		msg := resumedMsg{id: id, conv: conv, stored: stored, res: res, err: err}
		if conv != nil {
			msg.st = conv.State()
		}
		return msg
	})
}

// resumed shows the stored transcript and what the engine did on resuming.
func (m *Model) resumed(msg resumedMsg) tea.Cmd {
	s := m.sess
	if s == nil || s.id != msg.id || !s.resuming {
		return nil
	}
	switch {
	case errors.Is(msg.err, engine.ErrResumeClosed):
		m.fatal = m.text.ResumeClosed
		return nil
	case msg.err != nil:
		m.fatal = fmt.Sprintf(m.text.ResumeFailed, common.OneLine(msg.err))
		return nil
	}
	s.conv, s.st, s.resuming = msg.conv, msg.st, false
	s.contact = msg.st.Contact
	m.track(msg.conv)
	typed := *m.chat.Input() // what the customer typed while it loaded stays
	m.chat = chat.New(m.env())
	m.chat.SetInput(typed)
	m.layout()
	for _, line := range history.Messages(msg.stored, m.lang) {
		line.Save = components.Saved
		m.chat.Transcript().Append(line)
	}
	m.render(msg.res)
	m.chat.Transcript().ScrollToBottom()
	cmds := []tea.Cmd{m.chat.Input().Focus()}
	if msg.st.Pending > 0 && !m.retrying(msg.conv) {
		cmds = append(cmds, m.retryLater(msg.conv))
	}
	if msg.st.Queued && !msg.st.Closed {
		cmds = append(cmds, m.scheduleTick(msg.conv))
	}
	if !msg.st.BotReady {
		cmds = append(cmds, m.botReady())
	}
	return tea.Batch(cmds...)
}
