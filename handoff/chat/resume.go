package chat

import (
	"errors"
	"fmt"
	"strings"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// Resuming: a conversation that is not closed can be continued. The bot gets
// back what it knew (the contact flow's facts from the stored record, and
// its dialogue state by replaying the customer's messages), and an escalated
// conversation goes back into the operators' queue with its packet. Every
// new entry is appended to the same stored conversation, after a "resumed"
// event.

// ErrResumeClosed is returned when the conversation to resume is closed.
var ErrResumeClosed = errors.New("this conversation is closed and cannot be continued")

// resumedText is the resumed event's stored text, in the conversation's
// language.
var resumedText = map[string]string{"en": "The conversation was resumed.", "ja": "会話を再開しました。"}

// resumeState is what a resumed conversation still hands to the bot or the
// desk once the rules are loaded.
type resumeState struct {
	topic        string   // "category/subtopic" as stored
	lastIntent   string   // the bot's last intent, when the topic is unknown
	customer     []string // the customer's messages before any escalation, replayed
	packet       []byte   // the last stored packet (raw JSON)
	later        []handoff.Line
	lastOperator string // id of the operator who served it last
}

// Resume continues the stored conversation id. It returns the conversation
// as stored (for the screen to show) and the engine that goes on with it.
// The bot and the desk pick it up at once when cfg.Bot is set, else when
// SetBot hands the bot over.
func Resume(cfg Config, id string) (*Conversation, transcripts.Conversation, Result, error) {
	if cfg.OpenStore == nil {
		return nil, transcripts.Conversation{}, Result{}, errNoStore
	}
	st, err := cfg.OpenStore()
	if err != nil {
		return nil, transcripts.Conversation{}, Result{}, err
	}
	conv, err := st.Load(id)
	if err != nil {
		return nil, conv, Result{}, err
	}
	if conv.Status == transcripts.StatusClosed {
		return nil, conv, Result{}, ErrResumeClosed
	}
	if conv.Lang == "ja" || conv.Lang == "en" {
		cfg.Lang = conv.Lang
	}
	cfg = withDefaults(cfg)
	c := New(cfg, Contact{SignedIn: conv.Customer.HasAccount, Order: storedOrder(cfg.Profile, conv.OrderID)})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store = st
	c.id, c.created, c.channel, c.started = conv.ID, true, conv.Channel, true
	c.header = conv
	c.header.Entries = nil
	rs := &resumeState{topic: conv.Topic}
	for _, e := range conv.Entries {
		c.restore(rs, e)
	}
	c.resume = rs
	at := c.now()
	line := c.nextLine()
	text := resumedText[c.cfg.Lang]
	c.emit(Event{Kind: KindResumed, At: at, Line: line, Text: text})
	c.write(job{line: line, entry: &transcripts.Entry{At: at, Role: transcripts.RoleSystem, Event: transcripts.EventResumed, Text: text}})
	if conv.Status == transcripts.StatusAbandoned {
		status := transcripts.StatusOpen
		if c.escalated {
			status = transcripts.StatusEscalated
		}
		c.write(job{status: status})
	}
	if c.bot != nil {
		c.continueResumed()
	}
	c.flush()
	return c, conv, c.take(), nil
}

// storedOrder finds the stored order in the profile, so the bot has its
// items and status again; an order the profile does not know keeps its id.
func storedOrder(p *profile.Profile, id string) *profile.Order {
	if id == "" {
		return nil
	}
	for i := range p.Orders {
		if p.Orders[i].ID == id {
			o := p.Orders[i]
			return &o
		}
	}
	return &profile.Order{ID: id}
}

// restore takes what the conversation must know from one stored entry.
func (c *Conversation) restore(rs *resumeState, e transcripts.Entry) {
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
		if c.escalated {
			rs.later = append(rs.later, line(handoff.SpeakerCustomer))
		} else {
			rs.customer = append(rs.customer, e.Text)
			c.history = append(c.history, line(handoff.SpeakerCustomer))
		}
	case transcripts.RoleBot:
		if !c.escalated {
			c.history = append(c.history, line(handoff.SpeakerBot))
		}
		if e.Meta != nil {
			d := bot.Decision{Intent: meta.Intent, Action: bot.Action(meta.Action), Confidence: meta.Confidence,
				Reason: bot.Reason(meta.Reason), Reply: e.Text, Explanation: bot.Explanation{Rules: meta.Rules}}
			d.Turn = len(c.decisions) + 1
			c.last = &d
			c.decisions = append(c.decisions, handoff.DecisionFrom(d))
			if meta.Intent != "" {
				rs.lastIntent = meta.Intent
			}
		}
	case transcripts.RoleOperator:
		rs.later = append(rs.later, line(handoff.SpeakerOperator))
		c.hadOp = true
		if meta.OperatorID != "" {
			rs.lastOperator = meta.OperatorID
		}
	}
	switch e.Event {
	case transcripts.EventEscalated:
		c.escalated, c.reason = true, bot.Reason(meta.Reason)
	case transcripts.EventOperatorJoined, transcripts.EventTransfer:
		c.hadOp = true
		if meta.OperatorID != "" {
			rs.lastOperator = meta.OperatorID
		}
	case transcripts.EventCallbackBooked:
		b := handoff.Booking{}
		if meta.CallbackAt != nil {
			b.At = *meta.CallbackAt
		}
		c.booking = &b
	}
}

// continueResumed hands the resumed conversation to the bot or the desk,
// once the rules are loaded (the menu names the stored topic, and the desk's
// operators use the rules' playbooks).
func (c *Conversation) continueResumed() {
	rs := c.resume
	c.resume = nil
	cat, sub, _ := strings.Cut(rs.topic, "/")
	for _, m := range c.bot.Menu(c.cfg.Lang) {
		if m.ID != cat {
			continue
		}
		c.contact.Category = m
		for _, t := range m.Topics {
			if t.ID == sub {
				c.contact.Topic = t
			}
		}
	}
	if c.contact.Topic.Intent == "" {
		c.contact.Topic.Intent = rs.lastIntent
	}
	if !c.escalated {
		d, _ := c.bot.Start(c.id, c.contactFacts().BotFacts())
		for _, t := range rs.customer {
			dec := d.Respond(t)
			if c.last == nil {
				c.last = &dec
			}
			c.cases.decided(dec, t)
		}
		c.dialogue = d
		c.answerWaiting()
		return
	}
	// The packet the operator held: the stored one with every later message,
	// or, if none can be read, one built afresh from what is known.
	fallback := c.newPacket()
	for _, l := range rs.later {
		fallback.Add(l)
	}
	p, err := handoff.ResumePacket(rs.packet, rs.later)
	if err != nil {
		p = fallback
	}
	c.packet = p
	d := c.openDesk()
	if d == nil {
		return
	}
	evs, err := d.EnqueueResumed(c.now(), copyPacket(p), handoff.ClassOf(c.reason), false, rs.lastOperator)
	if err != nil {
		c.problem = fmt.Errorf("the chat could not join the queue: %w", err)
		return
	}
	c.queued, c.inQueue = true, true
	c.deskEvents(evs)
}
