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

// Resuming: a conversation that is not closed can be continued from the
// history browser. The chat shows its stored transcript, the bot gets back
// what it knew (the contact flow's facts from the stored record, and its
// dialogue state by replaying the customer's messages), and an escalated
// conversation goes back into the operators' queue with its packet. Every
// new entry is appended to the same stored conversation, after a "resumed"
// event.

// eventResumed is the system event recorded when a conversation is resumed.
const eventResumed transcripts.Event = "resumed"

// resumeStore is what resuming needs of the store beyond common.Store.
type resumeStore interface {
	Load(id string) (transcripts.Conversation, error)
}

type (
	// resumeAskedMsg comes from the history browser's resume key.
	resumeAskedMsg struct{ id string }
	// resumeLoadedMsg carries the stored conversation.
	resumeLoadedMsg struct {
		id   string
		conv transcripts.Conversation
		err  error
	}
	// botResumedMsg carries the dialogue state rebuilt by replaying.
	botResumedMsg struct {
		dialogue common.Dialogue
		last     *bot.Decision
	}
	// deskResumedMsg: the chat is back in the operators' queue.
	deskResumedMsg struct {
		desk   common.Desk
		events []handoff.Event
		packet *handoff.Packet
		err    error
	}
)

// resumeState is what a resumed session still has to hand to the bot or
// the desk once the rules are loaded.
type resumeState struct {
	topic        string   // "category/subtopic" as stored
	lastIntent   string   // the bot's last intent, when the topic is unknown
	customer     []string // the customer's messages before any escalation, replayed
	packet       []byte   // the last stored packet (raw JSON)
	later        []handoff.Line
	lastOperator string // id of the operator who served it last
}

// errNoLoad is shown when the store cannot load conversations (tests with
// narrow stores).
var errNoLoad = errors.New("the store cannot load conversations")

// resume opens the chat screen on a stored conversation and loads it in
// the store lane (after any write still queued, so it is up to date).
func (m *Model) resume(id string) tea.Cmd {
	m.hist = nil
	m.sess = &session{id: id, resuming: true}
	typed := m.chat.input
	m.chat = newChatPage(m.env())
	if m.screen == screenChat {
		m.chat.input = typed
	}
	m.chat.busy = true
	m.go2(screenChat)
	st, ok := m.store.(resumeStore)
	if !ok {
		return func() tea.Msg { return resumeLoadedMsg{id: id, err: errNoLoad} }
	}
	return m.lanes[laneStore].push(func() tea.Msg {
		c, err := st.Load(id)
		return resumeLoadedMsg{id: id, conv: c, err: err}
	})
}

// resumeLoaded rebuilds the session from the stored record and entries.
func (m *Model) resumeLoaded(msg resumeLoadedMsg) tea.Cmd {
	if m.sess == nil || m.sess.id != msg.id || !m.sess.resuming {
		return nil
	}
	conv := msg.conv
	switch {
	case msg.err != nil:
		m.fatal = fmt.Sprintf(m.text.ResumeFailed, oneLine(msg.err))
		return nil
	case conv.Status == transcripts.StatusClosed:
		m.fatal = m.text.ResumeClosed
		return nil
	}
	s := &session{id: conv.ID, created: true, refused: new(atomic.Bool), signedIn: conv.Customer.HasAccount,
		channel: conv.Channel, order: m.storedOrder(conv.OrderID), resuming: true}
	rs := &resumeState{topic: conv.Topic}
	s.resume = rs
	m.sess = s
	typed := m.chat.input // what the customer typed while it loaded stays
	m.chat = newChatPage(m.env())
	m.chat.input = typed
	m.layout()

	// The transcript, rendered exactly as the history shows it.
	hc := historyConvPage{e: historyEnv{st: m.st, text: common.HistoryText(m.lang), ct: m.text, lang: m.lang,
		loc: m.now().Location()}, conv: &conv}
	for _, e := range conv.Entries {
		if msg, ok := hc.message(e); ok {
			msg.Save = components.Saved
			m.chat.transcript.Append(msg)
		}
		m.restoreEntry(s, rs, e)
	}
	m.chat.transcript.ScrollToBottom()

	cmds := []tea.Cmd{m.event(m.text.EventResumed, transcripts.Entry{Event: eventResumed, Text: m.text.EventResumed})}
	if conv.Status == transcripts.StatusAbandoned {
		status := transcripts.StatusOpen
		if s.escalated {
			status = transcripts.StatusEscalated
		}
		cmds = append(cmds, m.runStore(storeJob{status: status, idx: -1}))
	}
	cmds = append(cmds, m.chat.input.Focus())
	if m.bot == nil {
		m.chat.busy = true
		return tea.Batch(append(cmds, m.waitForBot())...)
	}
	return tea.Batch(append(cmds, m.resumeStart())...)
}

// restoreEntry takes what the session must know from one stored entry.
func (m *Model) restoreEntry(s *session, rs *resumeState, e transcripts.Entry) {
	meta := e.Meta
	if meta == nil {
		meta = &transcripts.Meta{}
	}
	line := func(speaker string) handoff.Line {
		return handoff.Line{At: e.At, Speaker: speaker, Name: meta.OperatorID, Text: e.Text}
	}
	if len(meta.Packet) > 0 {
		// The packet holds everything before it; later lines replay on it.
		rs.packet, rs.later = meta.Packet, nil
	}
	switch e.Role {
	case transcripts.RoleCustomer:
		if s.escalated {
			rs.later = append(rs.later, line(handoff.SpeakerCustomer))
		} else {
			rs.customer = append(rs.customer, e.Text)
			s.lines = append(s.lines, line(handoff.SpeakerCustomer))
		}
	case transcripts.RoleBot:
		if !s.escalated {
			s.lines = append(s.lines, line(handoff.SpeakerBot))
		}
		if e.Meta != nil {
			d := bot.Decision{Intent: meta.Intent, Action: bot.Action(meta.Action), Confidence: meta.Confidence,
				Reason: bot.Reason(meta.Reason), Reply: e.Text, Explanation: bot.Explanation{Rules: meta.Rules}}
			d.Turn = len(s.decisions) + 1
			s.last = &d
			s.decisions = append(s.decisions, handoff.DecisionFrom(d))
			if meta.Intent != "" {
				rs.lastIntent = meta.Intent
			}
		}
	case transcripts.RoleOperator:
		rs.later = append(rs.later, line(handoff.SpeakerOperator))
		s.hadOperator = true
		if meta.OperatorID != "" {
			rs.lastOperator = meta.OperatorID
		}
	}
	switch e.Event {
	case transcripts.EventEscalated:
		s.escalated, s.reason = true, bot.Reason(meta.Reason)
	case transcripts.EventOperatorJoined, transcripts.EventTransfer:
		s.hadOperator = true
		if meta.OperatorID != "" {
			rs.lastOperator = meta.OperatorID
		}
	case transcripts.EventCallbackBooked:
		b := handoff.Booking{}
		if meta.CallbackAt != nil {
			b.At = *meta.CallbackAt
		}
		s.booking = &b
	}
}

// storedOrder finds the stored order in the profile, so the bot has its
// items and status again; an order the profile does not know keeps its id.
func (m *Model) storedOrder(id string) *profile.Order {
	if id == "" {
		return nil
	}
	for i := range m.cfg.Profile.Orders {
		if m.cfg.Profile.Orders[i].ID == id {
			o := m.cfg.Profile.Orders[i]
			return &o
		}
	}
	return &profile.Order{ID: id}
}

// resumeStart hands the resumed conversation to the bot or the desk, once
// the rules are loaded (the menu names the stored topic, and the desk's
// operators use the rules' playbooks).
func (m *Model) resumeStart() tea.Cmd {
	s, rs := m.sess, m.sess.resume
	s.resume = nil
	cat, sub, _ := strings.Cut(rs.topic, "/")
	for _, c := range m.menu() {
		if c.ID != cat {
			continue
		}
		s.category = c
		for _, t := range c.Topics {
			if t.ID == sub {
				s.topic = t
			}
		}
	}
	if s.topic.Intent == "" {
		s.topic.Intent = rs.lastIntent
	}
	m.chat.busy = true
	if !s.escalated {
		b, f := m.bot, m.facts()
		f.ConversationID = s.id
		texts := rs.customer
		return m.lanes[laneBot].push(func() tea.Msg {
			d, opening := b.Start(f)
			last := &opening
			for _, t := range texts {
				dec := d.Respond(t)
				last = &dec
			}
			return botResumedMsg{dialogue: d, last: last}
		})
	}
	// The packet the operator held: the stored one with every later message,
	// or, if none can be read, one built afresh from what the session knows.
	kb := m.cfg.Knowledge
	if k, ok := m.bot.(interface{ Knowledge() handoff.Knowledge }); ok && kb == nil {
		kb = k.Knowledge()
	}
	fallback := handoff.NewPacket(m.now(), s.id, s.reason, m.lang, m.packetFacts(), s.decisions, s.lines, kb)
	for _, l := range rs.later {
		fallback.Add(l)
	}
	s.packet = fallback
	// The desk gets its own copy: the packet grows there, while the receipt
	// panel reads the model's.
	fallbackRaw, _ := json.Marshal(fallback)
	if m.cfg.NewDesk == nil {
		s.resuming, m.chat.busy = false, false
		return nil
	}
	newDesk, id, now, class := m.cfg.NewDesk, s.id, m.now(), handoff.ClassOf(s.reason)
	raw, later, last := rs.packet, rs.later, rs.lastOperator
	s.deskAsked = true
	return m.lanes[laneDesk].push(func() tea.Msg {
		d, err := newDesk(id)
		if err != nil {
			return deskResumedMsg{err: err}
		}
		p, err := handoff.ResumePacket(raw, later)
		if err != nil {
			if p, err = handoff.ResumePacket(fallbackRaw, nil); err != nil {
				return deskResumedMsg{err: err}
			}
		}
		var evs []handoff.Event
		if r, ok := d.(interface {
			EnqueueResumed(time.Time, *handoff.Packet, handoff.Class, bool, string) ([]handoff.Event, error)
		}); ok {
			evs, err = r.EnqueueResumed(now, p, class, false, last)
		} else {
			evs, err = d.Enqueue(now, p, class, false)
		}
		return deskResumedMsg{desk: d, events: evs, packet: snapshot(d, nil), err: err}
	})
}

func (m *Model) botResumed(msg botResumedMsg) tea.Cmd {
	m.sess.dialogue = msg.dialogue
	if m.sess.last == nil {
		m.sess.last = msg.last
	}
	m.sess.resuming = false
	m.chat.busy = false
	return m.flushToBot()
}

func (m *Model) deskResumed(msg deskResumedMsg) tea.Cmd {
	s := m.sess
	s.resuming = false
	m.chat.busy = false
	if msg.err != nil {
		m.fatal = fmt.Sprintf(m.text.ResumeFailed, oneLine(msg.err))
		return nil
	}
	s.desk, s.inQueue, s.queued = msg.desk, true, true
	return tea.Batch(m.deskEvents(deskEventsMsg{events: msg.events, packet: msg.packet}), m.scheduleTick())
}
