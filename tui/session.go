package tui

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/transcripts"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// session is the conversation being had: what the contact flow collected
// and where the chat stands. Only Update changes it.
type session struct {
	id       string
	signedIn bool
	order    *profile.Order
	category common.Category
	topic    common.Topic
	channel  string

	created bool // the create command was queued
	closed  bool
	// refused is set by the store lane when the store refused to create
	// the conversation (its id is taken): later writes of this session,
	// already queued, must not land in someone else's record. Only store
	// lane jobs, which run one at a time, touch it.
	refused *atomic.Bool

	dialogue  common.Dialogue // touched only by laneBot commands
	desk      common.Desk     // touched only by laneDesk commands
	deskAsked bool

	decisions []handoff.Decision
	last      *bot.Decision
	lines     []handoff.Line // what the packet's transcript starts from

	escalated    bool
	reason       bot.Reason
	packet       *handoff.Packet // snapshot for the receipt panel
	inQueue      bool
	queued       bool // the packet was handed to the desk (enqueue)
	queuePos     int
	eta          time.Duration
	operator     string // label of the operator answering, "" for the bot
	operatorName string
	hadOperator  bool
	typing       string
	resolved     bool
	unsaved      int
	booking      *handoff.Booking

	// toBot is what the customer sent before the bot's dialogue existed;
	// it is handed to the bot once it has started.
	toBot []string

	resuming bool         // a stored conversation is loading: keys wait
	resume   *resumeState // what a resumed session still hands to the bot or desk
}

// storeJob is one write, kept so it can be retried.
type storeJob struct {
	create *transcripts.Conversation
	entry  *transcripts.Entry
	close  bool
	status transcripts.Status // a status change (a resumed abandoned chat is open again)
	idx    int                // transcript message it saves, -1 if none
	retry  int                // how many times it was tried before
	// conv and refused are the session's, fixed when the job is first
	// queued: a retry must land in the same conversation even if the
	// customer has moved on to another one meanwhile.
	conv    string
	refused *atomic.Bool
	queued  bool
}

type (
	savedMsg struct {
		job storeJob
		err error
	}
	retryMsg      struct{ job storeJob }
	botStartedMsg struct {
		dialogue common.Dialogue
		opening  bot.Decision
	}
	botDecisionMsg struct{ d bot.Decision }
	deskReadyMsg   struct {
		desk  common.Desk
		quote handoff.Quote
		err   error
	}
	deskEventsMsg struct {
		events []handoff.Event
		packet *handoff.Packet
		err    error
	}
	tickMsg struct {
		at   time.Time
		sess *session // the session whose desk it advances; nil is the current one
	}
	bookedMsg struct {
		booking handoff.Booking
		err     error
	}
)

const retryAfter = 2 * time.Second

// errRefused marks writes skipped because the store refused to create
// their conversation.
var errRefused = errors.New("the conversation could not be created, so it is not saved")

func (m *Model) now() time.Time { return m.cfg.Clock.Now() }

// newConversationID names a new conversation: c20261126-100000-ab12 from
// the start time and a random suffix (Config.NewID, or the seeded source).
func (m *Model) newConversationID() string {
	if m.cfg.NewID != nil {
		return m.cfg.NewID(m.now())
	}
	return fmt.Sprintf("c%s-%04x", m.now().Format("20060102-150405"), m.rng.Uint32()&0xffff)
}

// updateSession handles the flow's choices and every domain result.
func (m *Model) updateSession(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case startChosenMsg:
		m.sess = &session{signedIn: msg.signedIn}
		m.topics.reset(msg.signedIn, false)
		if msg.signedIn {
			m.orders = newOrderPage(m.env())
			m.go2(screenOrder)
		} else {
			m.go2(screenTopic)
		}
		return nil, true
	case orderChosenMsg:
		m.sess.order = msg.order
		m.topics.reset(true, msg.order != nil)
		m.go2(screenTopic)
		return nil, true
	case topicChosenMsg:
		m.sess.category, m.sess.topic = msg.category, msg.topic
		m.channel = newChannelPage(m.env(), m.hoursText())
		m.go2(screenChannel)
		return nil, true
	case channelChosenMsg:
		if msg.callback {
			m.phone = newPhonePage(m.env(), m.cfg.Callbacks, m.now(), false)
			m.go2(screenPhone)
			return nil, true
		}
		return m.startChat(), true
	case backMsg:
		m.back()
		return nil, true
	case savedMsg:
		return m.saved(msg), true
	case retryMsg:
		m.retries--
		return m.runStore(msg.job), true
	case botWaitMsg:
		return m.botWait(), true
	case botStartedMsg:
		return m.botStarted(msg), true
	case botDecisionMsg:
		return m.botDecided(msg.d), true
	case deskReadyMsg:
		return m.deskReady(msg), true
	case deskEventsMsg:
		return m.deskEvents(msg), true
	case tickMsg:
		if msg.sess != nil && msg.sess != m.sess {
			return nil, true // a tick of a session that was replaced by a resumed one
		}
		return m.tick(), true
	case resumeAskedMsg:
		return m.resume(msg.id), true
	case resumeLoadedMsg:
		return m.resumeLoaded(msg), true
	case botResumedMsg:
		return m.botResumed(msg), true
	case deskResumedMsg:
		return m.deskResumed(msg), true
	case phoneSubmitMsg:
		return m.book(msg.phone), true
	case phoneChatMsg:
		if m.sess.created {
			m.go2(screenChat)
			return nil, true
		}
		return m.startChat(), true
	case bookedMsg:
		return m.booked(msg), true
	case ratedMsg:
		return m.finish(msg), true
	case rateBackMsg:
		if m.sess != nil && !m.sess.closed {
			m.go2(screenChat)
		}
		return nil, true
	}
	return nil, false
}

// back goes one step back in the flow.
func (m *Model) back() {
	switch m.screen {
	case screenOrder:
		m.go2(screenStart)
	case screenTopic:
		if m.sess != nil && m.sess.signedIn {
			m.go2(screenOrder)
		} else {
			m.go2(screenStart)
		}
	case screenChannel:
		m.go2(screenTopic)
	case screenPhone:
		if m.sess != nil && m.sess.created {
			m.go2(screenChat)
		} else {
			m.go2(screenChannel)
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
	return fmt.Sprintf(m.text.ChannelCallShut, formatSlot(off.NextOpening, m.lang))
}

func formatSlot(t time.Time, lang string) string {
	if lang == "ja" {
		return t.Format("1月2日 15:04")
	}
	return t.Format("Mon 2 Jan 15:04")
}

// facts is what the contact flow collected, for the bot and the packet.
func (m *Model) facts() common.Facts {
	s := m.sess
	p := m.cfg.Profile
	f := common.Facts{Lang: m.lang, SignedIn: s.signedIn, Category: s.category, Topic: s.topic}
	if s.signedIn {
		f.CustomerID, f.CustomerName = p.Customer.ID, p.Customer.DisplayName(m.lang)
	}
	if o := s.order; o != nil {
		f.OrderID, f.OrderItems, f.OrderDate, f.OrderStatus = o.ID, o.DisplayItems(m.lang), o.Date, o.Status
	}
	return f
}

func (m *Model) packetFacts() handoff.Facts {
	f := m.facts()
	hf := handoff.Facts{Customer: handoff.Customer{ID: f.CustomerID, Name: f.CustomerName},
		Topic: handoff.Topic{Category: f.Category.ID, Subtopic: f.Topic.ID, Intent: f.Topic.Intent}}
	if f.OrderID != "" {
		hf.Order = &handoff.Order{ID: f.OrderID, Items: f.OrderItems, Date: f.OrderDate, Status: f.OrderStatus}
	}
	return hf
}

// ensureConversation queues the creation of the stored conversation.
func (m *Model) ensureConversation(channel string) tea.Cmd {
	s := m.sess
	if s.created {
		return nil
	}
	s.created, s.channel = true, channel
	s.id = m.newConversationID()
	s.refused = new(atomic.Bool)
	c := transcripts.Conversation{ID: s.id, StartedAt: m.now(), Lang: m.lang, Channel: channel,
		Customer: transcripts.Customer{HasAccount: s.signedIn}}
	if s.signedIn {
		c.Customer.Name = m.cfg.Profile.Customer.DisplayName(m.lang)
	}
	if s.order != nil {
		c.OrderID = s.order.ID
	}
	if s.category.ID != "" {
		c.Topic = s.category.ID + "/" + s.topic.ID
	}
	return m.runStore(storeJob{create: &c, idx: -1})
}

// startChat opens the chat screen and asks the bot for its opening.
func (m *Model) startChat() tea.Cmd {
	m.chat = newChatPage(m.env())
	m.go2(screenChat)
	cmds := []tea.Cmd{m.ensureConversation("chat"), m.chat.input.Focus()}
	if m.bot == nil {
		m.chat.busy = true
		return tea.Batch(append(cmds, m.waitForBot())...)
	}
	return tea.Batch(append(cmds, m.startBot())...)
}

// waitForBot polls until the rules are loaded (they load in a command
// started by Init); the chat screen shows "answering…" meanwhile.
func (m *Model) waitForBot() tea.Cmd {
	return m.cfg.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return botWaitMsg{} })
}

type botWaitMsg struct{}

// botWait is one poll for the rules, whatever screen is shown (the
// customer may be on the rating page while they load).
func (m *Model) botWait() tea.Cmd {
	switch {
	case m.sess == nil || m.sess.closed:
		return nil
	case m.bot != nil:
		return m.startBot()
	case m.botErr != nil:
		m.fatal = fmt.Sprintf(m.text.LoadFailed, oneLine(m.botErr))
		return nil
	}
	return m.waitForBot()
}

// flushToBot hands the bot what the customer sent before it had started.
func (m *Model) flushToBot() tea.Cmd {
	s := m.sess
	if s.dialogue == nil || s.escalated || len(s.toBot) == 0 {
		return nil
	}
	texts, d := s.toBot, s.dialogue
	s.toBot = nil
	m.chat.busy = true
	cmds := make([]tea.Cmd, 0, len(texts))
	for _, text := range texts {
		cmds = append(cmds, m.lanes[laneBot].push(func() tea.Msg { return botDecisionMsg{d: d.Respond(text)} }))
	}
	return tea.Batch(cmds...)
}

func (m *Model) startBot() tea.Cmd {
	if m.sess.resume != nil {
		return m.resumeStart()
	}
	b, f := m.bot, m.facts()
	f.ConversationID = m.sess.id
	m.chat.busy = true
	return m.lanes[laneBot].push(func() tea.Msg {
		d, opening := b.Start(f)
		return botStartedMsg{dialogue: d, opening: opening}
	})
}

func (m *Model) botStarted(msg botStartedMsg) tea.Cmd {
	m.sess.dialogue = msg.dialogue
	m.chat.busy = false
	return tea.Batch(m.botDecided(msg.opening), m.flushToBot())
}

// say shows a message and saves it.
func (m *Model) say(role components.Role, label, text string, meta *transcripts.Meta) tea.Cmd {
	at := m.now()
	idx := m.chat.transcript.Append(components.Message{Role: role, Label: label, At: at, Text: text, Save: components.Saving})
	shown := m.chat.transcript.Message(idx).Text
	e := transcripts.Entry{At: at, Text: shown, Meta: meta}
	speaker := handoff.SpeakerBot
	switch role {
	case components.RoleCustomer:
		e.Role, e.Author, speaker = transcripts.RoleCustomer, label, handoff.SpeakerCustomer
	case components.RoleOperator:
		e.Role, e.Author, speaker = transcripts.RoleOperator, label, handoff.SpeakerOperator
	default:
		e.Role = transcripts.RoleBot
	}
	if !m.sess.escalated {
		m.sess.lines = append(m.sess.lines, handoff.Line{At: at, Speaker: speaker, Text: shown})
	}
	return m.runStore(storeJob{entry: &e, idx: idx})
}

// event shows a system event inline and saves it.
func (m *Model) event(text string, e transcripts.Entry) tea.Cmd {
	e.At, e.Role = m.now(), transcripts.RoleSystem
	idx := -1
	if text != "" {
		idx = m.chat.transcript.Append(components.Message{Role: components.RoleEvent, At: e.At, Text: text})
	}
	return m.runStore(storeJob{entry: &e, idx: idx})
}

// runStore queues a store write in the store lane.
func (m *Model) runStore(job storeJob) tea.Cmd {
	if !job.queued {
		job.queued = true
		job.refused = new(atomic.Bool)
		if m.sess != nil && m.sess.refused != nil {
			job.conv, job.refused = m.sess.id, m.sess.refused
		}
	}
	st := m.store
	if st == nil {
		if m.storeUp {
			m.markUnsaved(job.idx)
			return nil
		}
		// The store is still opening: try again shortly.
		return m.retryLater(50*time.Millisecond, job)
	}
	id, refused := job.conv, job.refused
	return m.lanes[laneStore].push(func() tea.Msg {
		var err error
		if job.create == nil && refused.Load() {
			return savedMsg{job: job, err: errRefused}
		}
		switch {
		case job.create != nil:
			_, err = st.CreateConversation(*job.create)
			if job.retry > 0 && errors.Is(err, transcripts.ErrExists) {
				err = nil // an earlier attempt committed before failing
			} else if errors.Is(err, transcripts.ErrExists) {
				refused.Store(true)
			}
		case job.entry != nil:
			_, err = st.AppendEntry(id, *job.entry)
		case job.close:
			err = st.CloseConversation(id)
		case job.status != "":
			err = st.SetStatus(id, job.status)
		}
		return savedMsg{job: job, err: err}
	})
}

func (m *Model) markUnsaved(idx int) {
	if m.sess != nil {
		m.sess.unsaved++
	}
	if idx >= 0 && m.screen == screenChat {
		m.chat.transcript.SetSave(idx, components.NotSaved)
	}
}

// saved marks a message saved only now that the store committed it. On
// failure the message stays on screen marked "not saved" and the write is
// retried, unless the record itself is invalid.
func (m *Model) saved(msg savedMsg) tea.Cmd {
	if m.sess == nil || msg.job.conv != m.sess.id {
		// A write of a conversation the customer has left: its marks are
		// not on this screen; only a failed write is retried, in its own
		// conversation.
		if msg.err == nil || permanent(msg.err) {
			return nil
		}
		job := msg.job
		job.retry++
		return m.retryLater(retryAfter, job)
	}
	if msg.err == nil {
		if msg.job.idx >= 0 {
			m.chat.transcript.SetSave(msg.job.idx, components.Saved)
		}
		if msg.job.close {
			m.go2(screenClosed)
		}
		return nil
	}
	m.storeErr = msg.err
	m.markUnsaved(msg.job.idx)
	if permanent(msg.err) {
		if msg.job.close {
			m.go2(screenClosed)
		}
		return nil
	}
	job := msg.job
	job.retry++
	return m.retryLater(retryAfter, job)
}

// retryLater queues job again after d; quitting waits for it.
func (m *Model) retryLater(d time.Duration, job storeJob) tea.Cmd {
	m.retries++
	return m.cfg.Tick(d, func(time.Time) tea.Msg { return retryMsg{job: job} })
}

// permanent reports a write error that a retry cannot fix.
func permanent(err error) bool {
	return errors.Is(err, transcripts.ErrInvalid) || errors.Is(err, transcripts.ErrClosed) ||
		errors.Is(err, transcripts.ErrExists) || errors.Is(err, errRefused)
}

// send handles a message the customer typed.
func (m *Model) send(text string) tea.Cmd {
	text = components.NormalizeText(text)
	cmds := []tea.Cmd{m.say(components.RoleCustomer, m.text.You, text, nil)}
	shown := m.chat.transcript.Message(m.chat.transcript.Len() - 1).Text // as say saved it
	s := m.sess
	switch {
	case s.escalated && !s.queued:
		// The desk is not ready or the customer has not chosen yet: the
		// packet is still the model's, and carries the message to the
		// operator when it is handed over.
		if s.packet != nil {
			s.packet.Add(handoff.Line{At: m.now(), Speaker: handoff.SpeakerCustomer, Text: shown})
		}
	case s.escalated:
		if s.desk != nil {
			desk, now := s.desk, m.now()
			cmds = append(cmds, m.lanes[laneDesk].push(func() tea.Msg {
				return deskEventsMsg{events: desk.CustomerMessage(now, text), packet: snapshot(desk, nil)}
			}))
		}
	case s.dialogue != nil:
		d := s.dialogue
		m.chat.busy = true
		cmds = append(cmds, m.lanes[laneBot].push(func() tea.Msg { return botDecisionMsg{d: d.Respond(text)} }))
	default:
		// The bot has not started yet: it answers once it has.
		s.toBot = append(s.toBot, text)
		m.chat.busy = true
	}
	return tea.Batch(cmds...)
}

func (m *Model) botDecided(d bot.Decision) tea.Cmd {
	m.chat.busy = false
	m.sess.last = &d
	m.sess.decisions = append(m.sess.decisions, handoff.DecisionFrom(d))
	meta := &transcripts.Meta{Intent: d.Intent, Action: string(d.Action), Confidence: d.Confidence,
		Reason: string(d.Reason), Rules: d.Explanation.Rules}
	cmds := []tea.Cmd{m.say(components.RoleBot, m.text.Bot, d.Reply, meta)}
	if d.Action == bot.ActionEscalate && !m.sess.escalated {
		cmds = append(cmds, m.escalate(d.Reason))
	}
	return tea.Batch(cmds...)
}

// escalate hands the chat to a person: it builds the packet, records the
// escalation with it, and asks the desk for the native-speaker quote.
func (m *Model) escalate(reason bot.Reason) tea.Cmd {
	s := m.sess
	if s.escalated {
		return nil
	}
	s.escalated, s.reason = true, reason
	kb := m.cfg.Knowledge
	if k, ok := m.bot.(interface{ Knowledge() handoff.Knowledge }); ok && kb == nil {
		kb = k.Knowledge()
	}
	p := handoff.NewPacket(m.now(), s.id, reason, m.lang, m.packetFacts(), s.decisions, s.lines, kb)
	s.packet = p
	raw, _ := json.Marshal(p)
	plain := m.text.Reasons[string(reason)]
	cmds := []tea.Cmd{m.event(fmt.Sprintf(m.text.Escalated, plain),
		transcripts.Entry{Event: transcripts.EventEscalated, Meta: &transcripts.Meta{Reason: string(reason), Packet: raw}})}
	if m.cfg.NewDesk == nil {
		return tea.Batch(cmds...)
	}
	newDesk, id, lang, intent, now := m.cfg.NewDesk, s.id, m.lang, s.topic.Intent, m.now()
	if s.last != nil && s.last.Intent != "" {
		intent = s.last.Intent
	}
	if p.Facts.Topic.Intent == "" {
		p.Facts.Topic.Intent = intent
	}
	class := handoff.ClassOf(reason)
	s.deskAsked = true
	cmds = append(cmds, m.lanes[laneDesk].push(func() tea.Msg {
		d, err := newDesk(id)
		if err != nil {
			return deskReadyMsg{err: err}
		}
		return deskReadyMsg{desk: d, quote: d.Quote(now, lang, intent, class)}
	}))
	return tea.Batch(cmds...)
}

func (m *Model) deskReady(msg deskReadyMsg) tea.Cmd {
	if msg.err != nil {
		m.fatal = fmt.Sprintf(m.text.LoadFailed, oneLine(msg.err))
		return nil
	}
	m.sess.desk = msg.desk
	m.chat.openChoice(msg.quote)
	return nil
}

// enqueue puts the chat in the operators' queue with the customer's choice.
func (m *Model) enqueue(native bool) tea.Cmd {
	s := m.sess
	desk, now, p, class := s.desk, m.now(), s.packet, handoff.ClassOf(s.reason)
	s.inQueue, s.queued = true, true
	// From here on the packet belongs to the desk (it grows there); the
	// model only keeps snapshots taken inside desk-lane commands.
	s.packet = snapshot(desk, p)
	return tea.Batch(m.lanes[laneDesk].push(func() tea.Msg {
		evs, err := desk.Enqueue(now, p, class, native)
		return deskEventsMsg{events: evs, packet: snapshot(desk, nil), err: err}
	}), m.scheduleTick())
}

// snapshot copies the desk's packet so the receipt never shares memory with
// the simulation. It runs inside a desk-lane command.
func snapshot(d common.Desk, p *handoff.Packet) *handoff.Packet {
	if p == nil {
		p = d.Packet()
	}
	if p == nil {
		return nil
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	var cp handoff.Packet
	if json.Unmarshal(raw, &cp) != nil {
		return nil
	}
	return &cp
}

func (m *Model) scheduleTick() tea.Cmd {
	s := m.sess
	return m.cfg.Tick(m.cfg.TickEvery, func(t time.Time) tea.Msg { return tickMsg{at: t, sess: s} })
}

// tick advances the desk to the clock's now. A tick that finds the desk
// lane busy is skipped: the next Advance catches up to the clock anyway.
func (m *Model) tick() tea.Cmd {
	s := m.sess
	if s == nil || s.closed || s.desk == nil || m.screen == screenClosed {
		return nil
	}
	cmds := []tea.Cmd{m.scheduleTick()}
	if !m.lanes[laneDesk].busy {
		desk, now := s.desk, m.now()
		cmds = append(cmds, m.lanes[laneDesk].push(func() tea.Msg {
			return deskEventsMsg{events: desk.Advance(now), packet: snapshot(desk, nil)}
		}))
	}
	return tea.Batch(cmds...)
}

// deskEvents shows what happened at the desk and records it.
func (m *Model) deskEvents(msg deskEventsMsg) tea.Cmd {
	s := m.sess
	if msg.err != nil {
		m.fatal = fmt.Sprintf(m.text.LoadFailed, oneLine(msg.err))
		return nil
	}
	if msg.packet != nil {
		s.packet = msg.packet
	}
	var cmds []tea.Cmd
	for _, ev := range msg.events {
		op := ev.Operator
		if op == nil {
			op = &handoff.OperatorInfo{}
		}
		switch ev.Kind {
		case handoff.EventQueue:
			if ev.Position != s.queuePos && ev.Position > 0 {
				cmds = append(cmds, m.event("", transcripts.Entry{Event: transcripts.EventQueue,
					Meta: &transcripts.Meta{QueuePosition: ev.Position}}))
			}
			s.inQueue, s.queuePos, s.eta = ev.Position > 0, ev.Position, ev.Wait
		case handoff.EventJoined:
			s.inQueue, s.operator, s.operatorName, s.hadOperator, s.typing = false, op.Label, op.Name, true, ""
			meta := &transcripts.Meta{Operator: op.Name, OperatorID: op.ID}
			switch {
			case ev.Handover:
				cmds = append(cmds, m.event(fmt.Sprintf(m.text.EventTransfer, ev.From, op.Label),
					transcripts.Entry{Event: transcripts.EventTransfer, Meta: meta}))
			case ev.Back:
				cmds = append(cmds, m.event(fmt.Sprintf(m.text.EventBack, op.Label),
					transcripts.Entry{Event: transcripts.EventOperatorJoined, Meta: meta}))
			default:
				cmds = append(cmds, m.event(fmt.Sprintf(m.text.EventJoined, op.Label),
					transcripts.Entry{Event: transcripts.EventOperatorJoined, Meta: meta}))
			}
		case handoff.EventTyping:
			s.typing = op.Name
		case handoff.EventMessage:
			s.typing = ""
			if ev.Step != nil && ev.Step.Text != "" {
				cmds = append(cmds, m.say(components.RoleOperator, op.Name, ev.Step.Text,
					&transcripts.Meta{OperatorID: op.ID, Operator: op.Name}))
			}
		case handoff.EventLeft:
			cause := m.text.Causes[string(ev.Cause)]
			if cause == "" {
				cause = string(ev.Cause)
			}
			s.operator, s.typing = "", ""
			cmds = append(cmds, m.event(fmt.Sprintf(m.text.EventLeft, op.Name, cause),
				transcripts.Entry{Event: transcripts.EventOperatorLeft,
					Meta: &transcripts.Meta{Operator: op.Name, OperatorID: op.ID, Reason: string(ev.Cause)}}))
		case handoff.EventResolved:
			s.resolved = true
			m.chat.transcript.Append(components.Message{Role: components.RoleEvent, At: ev.At, Text: m.text.Resolved})
		}
	}
	return tea.Batch(cmds...)
}

// book asks the callbacks service for a call, then records it.
func (m *Model) book(phone string) tea.Cmd {
	cb, now := m.cfg.Callbacks, m.now()
	return func() tea.Msg {
		b, err := cb.Book(now, phone)
		return bookedMsg{booking: b, err: err}
	}
}

func (m *Model) booked(msg bookedMsg) tea.Cmd {
	m.phone.booking = false
	if msg.err != nil {
		m.phone.err = oneLine(msg.err)
		return nil
	}
	b := msg.booking
	m.sess.booking = &b
	fromChat := m.sess.created
	cmds := []tea.Cmd{m.ensureConversation("callback")}
	at := b.At
	text := fmt.Sprintf(m.text.EventBooked, b.Display, formatSlot(at, m.lang))
	entry := transcripts.Entry{Event: transcripts.EventCallbackBooked, Text: text, Meta: &transcripts.Meta{CallbackAt: &at}}
	if fromChat {
		cmds = append(cmds, m.event(text, entry))
		m.go2(screenChat)
		return tea.Batch(cmds...)
	}
	entry.At, entry.Role = m.now(), transcripts.RoleSystem
	cmds = append(cmds, m.runStore(storeJob{entry: &entry, idx: -1}))
	m.go2(screenBooked)
	return tea.Batch(cmds...)
}

func (m *Model) bookedView() string {
	s := m.sess
	if s == nil || s.booking == nil {
		return ""
	}
	b := s.booking
	t := m.text
	var line string
	if b.Slot {
		line = fmt.Sprintf(t.BookedSlot, b.Display, formatSlot(b.At, m.lang))
		if m.lang == "ja" {
			line = fmt.Sprintf(t.BookedSlot, formatSlot(b.At, m.lang), b.Display)
		}
	} else if m.lang == "ja" {
		line = fmt.Sprintf(t.BookedWithin, int(b.Within/time.Minute), b.Display)
	} else {
		line = fmt.Sprintf(t.BookedWithin, b.Display, int(b.Within/time.Minute))
	}
	return m.st.Header.Render(t.BookedTitle) + "\n\n" + m.wrap(line) + "\n" + m.wrap(fmt.Sprintf(t.BookedSaved, s.id)) + "\n\n" +
		m.wrap(m.historyOffer())
}

// finish records the ratings and closes the conversation.
func (m *Model) finish(r ratedMsg) tea.Cmd {
	if m.sess == nil || m.sess.closed {
		return nil // already closing: a second Enter records nothing twice
	}
	var cmds []tea.Cmd
	for _, st := range []struct {
		stage  string
		rating int
	}{{"bot", r.bot}, {"operator", r.operator}} {
		if st.rating > 0 {
			cmds = append(cmds, m.event("", transcripts.Entry{Event: transcripts.EventRating, Author: st.stage,
				Meta: &transcripts.Meta{Rating: st.rating}}))
		}
	}
	cmds = append(cmds, m.event("", transcripts.Entry{Event: transcripts.EventClosed}))
	m.sess.closed = true
	if desk := m.sess.desk; desk != nil {
		// The operator's side ends too; its events are not shown any more.
		now := m.now()
		cmds = append(cmds, m.lanes[laneDesk].push(func() tea.Msg { desk.Close(now); return nil }))
	}
	cmds = append(cmds, m.runStore(storeJob{close: true, idx: -1}))
	if m.store == nil {
		m.go2(screenClosed)
	}
	return tea.Batch(cmds...)
}

func (m *Model) closedView() string {
	s := m.sess
	t := m.text
	out := m.st.Header.Render(t.ClosedTitle) + "\n\n" + m.wrap(fmt.Sprintf(t.ClosedSaved, s.id)) + "\n" + m.wrap(m.historyOffer())
	if s.unsaved > 0 {
		out += "\n" + m.st.Bad.Render(t.ClosedNotSave)
	}
	return out
}

// historyOffer offers the history: in the app with h when the store can be
// browsed, and always the command for later.
func (m *Model) historyOffer() string {
	cmd := "tsunagu history show " + m.sess.id
	if m.historyStore() != nil {
		return fmt.Sprintf(m.text.ClosedHistory, cmd)
	}
	return fmt.Sprintf(m.text.ClosedLater, cmd)
}

// wrap fits a plain paragraph to the terminal's width.
func (m *Model) wrap(s string) string {
	return strings.Join(components.WrapText(s, m.width), "\n")
}
