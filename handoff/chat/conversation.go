package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
)

// Config is what a conversation runs on. Only Clock is required.
type Config struct {
	Lang    string           // "ja" or "en": the customer's language, and the bot's until they write
	Profile *profile.Profile // the signed-in customer and their orders; nil is the demo profile
	Clock   Clock
	// OpenStore opens the store. It is called at the first write and again
	// by Retry until it succeeds, so a store that is busy or was moved aside
	// at start is picked up once it can be opened. nil keeps nothing.
	OpenStore func() (Store, error)
	// Bot may be nil while the rules load: the customer may write
	// meanwhile, and the bot answers once SetBot hands it over.
	Bot Bot
	// NewDesk opens the operator desk for this conversation at escalation;
	// nil means nobody takes over (the escalation is still recorded).
	NewDesk   func(conversation string) (Desk, error)
	Callbacks Callbacks
	// NewID names the conversation. nil uses the start time and a source
	// seeded with Seed.
	NewID func(start time.Time) string
	Seed  uint64
}

// Contact is what the contact flow collected before the conversation.
type Contact struct {
	SignedIn bool
	Order    *profile.Order // nil: not about an order
	Category Category       // zero: no topic chosen
	Topic    Topic
}

// State is a snapshot of where the conversation stands, for a screen.
type State struct {
	ID        string
	Lang      string
	Contact   Contact
	Channel   string // "chat" or "callback", once created
	Created   bool
	Closed    bool
	BotReady  bool
	Answering bool // the bot owes the customer an answer (it is not loaded yet)
	Resuming  bool // a resumed conversation waits for the bot to continue

	Escalated bool
	Reason    bot.Reason
	Choosing  bool // the customer is asked who should answer
	Quote     handoff.Quote
	Queued    bool // handed to the desk
	InQueue   bool // waiting for an operator
	Position  int
	Wait      time.Duration
	// Operator answers now; nil for the bot or between operators.
	Operator    *handoff.OperatorInfo
	HadOperator bool
	Typing      string // the name of the operator typing, or ""
	Resolved    bool   // an operator offered to close

	Booking    *handoff.Booking
	Last       *bot.Decision   // the bot's last decision
	Packet     *handoff.Packet // a copy of the handoff packet, once escalated
	Issues     []Issue         // the case
	Entries    int             // lines handed out so far
	Pending    int             // writes waiting for the store
	Lost       int             // writes the store refused for good
	StoreError error           // the last store error, nil once all is written
	// Problem is why the operators cannot take the chat (the desk did not
	// open, or refused it); nil when all is well.
	Problem error
}

// Conversation is one customer conversation. Its methods are safe to call
// from several goroutines; they serialise.
type Conversation struct {
	mu  sync.Mutex
	cfg Config
	rng *rand.Rand

	id      string
	header  transcripts.Conversation // the stored record as created, without entries
	contact Contact
	channel string
	created bool
	closed  bool
	// closedByDesk: the operator closed the chat after the offer to close
	// met silence; the customer may still rate it, once (rated).
	closedByDesk bool
	rated        bool

	store    Store
	storeErr error
	pending  []job
	refused  bool // the store refused to create the conversation
	lines    int  // line numbers handed out
	lost     int

	bot      Bot
	dialogue Dialogue
	started  bool     // the chat began: the bot owes an opening
	toBot    []string // what the customer wrote before the bot had started
	resume   *resumeState

	decisions []handoff.Decision
	last      *bot.Decision
	history   []handoff.Line // the packet's transcript before escalation
	cases     caseFile

	escalated bool
	reason    bot.Reason
	intent    string          // the intent the wait is quoted and the chat routed by
	packet    *handoff.Packet // ours until queued, then a copy of the desk's
	desk      Desk
	choosing  bool
	atChoice  []string // what the customer wrote while asked who should answer
	quote     handoff.Quote
	queued    bool
	inQueue   bool
	position  int
	wait      time.Duration
	operator  *handoff.OperatorInfo
	hadOp     bool
	typing    string
	resolved  bool
	booking   *handoff.Booking

	problem    error // see State.Problem
	cardWarned bool  // the customer was told card details are not needed

	out   []Event
	saves []Save
}

// New starts a conversation from what the contact flow collected. Nothing
// is stored until the chat starts (StartChat) or a call is booked (Book).
func New(cfg Config, ct Contact) *Conversation {
	cfg = withDefaults(cfg)
	return &Conversation{cfg: cfg, contact: ct, bot: cfg.Bot,
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5bd1e995))}
}

func withDefaults(cfg Config) Config {
	if cfg.Lang != "ja" {
		cfg.Lang = "en"
	}
	if cfg.Profile == nil {
		cfg.Profile = profile.Demo()
	}
	return cfg
}

func (c *Conversation) now() time.Time { return c.cfg.Clock.Now() }

// take hands out what the current call produced.
func (c *Conversation) take() Result {
	r := Result{Events: c.out, Saves: c.saves}
	c.out, c.saves = nil, nil
	return r
}

func (c *Conversation) emit(ev Event) Event {
	if ev.At.IsZero() {
		ev.At = c.now()
	}
	c.out = append(c.out, ev)
	return ev
}

// ID is the conversation's id ("" until it is created).
func (c *Conversation) ID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id
}

// Store is the store the conversation writes to, once it is open.
func (c *Conversation) Store() Store {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.store
}

// State is a snapshot of the conversation.
func (c *Conversation) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := State{ID: c.id, Lang: c.cfg.Lang, Contact: c.contact, Channel: c.channel, Created: c.created,
		Closed: c.closed, BotReady: c.bot != nil, Resuming: c.resume != nil,
		Answering: c.started && !c.escalated && (c.dialogue == nil || len(c.toBot) > 0),
		Escalated: c.escalated, Reason: c.reason, Choosing: c.choosing, Quote: c.quote, Queued: c.queued,
		InQueue: c.inQueue, Position: c.position, Wait: c.wait, HadOperator: c.hadOp, Typing: c.typing,
		Resolved: c.resolved, Issues: c.cases.snapshot(), Entries: c.lines, Pending: len(c.pending),
		Lost: c.lost, StoreError: c.storeErr, Problem: c.problem}
	if c.operator != nil {
		op := *c.operator
		s.Operator = &op
	}
	if c.booking != nil {
		b := *c.booking
		s.Booking = &b
	}
	if c.last != nil {
		d := *c.last
		s.Last = &d
	}
	s.Packet = copyPacket(c.packet)
	return s
}

// newID names the conversation: c20261126-100000-ab12.
func (c *Conversation) newID() string {
	if c.cfg.NewID != nil {
		return c.cfg.NewID(c.now())
	}
	return fmt.Sprintf("c%s-%04x", c.now().Format("20060102-150405"), c.rng.Uint32()&0xffff)
}

// ensureCreated queues the stored conversation's creation.
func (c *Conversation) ensureCreated(channel string) {
	if c.created {
		return
	}
	c.created, c.channel = true, channel
	c.id = c.newID()
	conv := transcripts.Conversation{ID: c.id, StartedAt: c.now(), Lang: c.cfg.Lang, Channel: channel,
		Customer: transcripts.Customer{HasAccount: c.contact.SignedIn}}
	if c.contact.SignedIn {
		conv.Customer.Name = c.customerName()
	}
	if o := c.contact.Order; o != nil {
		conv.OrderID = o.ID
	}
	if c.contact.Category.ID != "" {
		conv.Topic = c.contact.Category.ID + "/" + c.contact.Topic.ID
	}
	c.header = conv
	c.write(job{create: &conv})
}

func (c *Conversation) customerName() string {
	if !c.contact.SignedIn {
		return ""
	}
	return c.cfg.Profile.Customer.DisplayName(c.cfg.Lang)
}

// StartChat opens the chat: the conversation is created and the bot opens
// with what it knows (at once, or when SetBot hands it over).
func (c *Conversation) StartChat() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.take()
	}
	c.ensureCreated("chat")
	if !c.started {
		c.started = true
		c.startBot()
	}
	c.flush()
	return c.take()
}

// SetBot hands over the bot once its rules have loaded; whatever waited for
// it (the opening, the customer's messages, a resumed conversation) goes on.
func (c *Conversation) SetBot(b Bot) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b == nil || c.bot != nil {
		return c.take()
	}
	c.bot = b
	if c.resume != nil {
		c.continueResumed()
	} else if c.started {
		c.startBot()
	}
	c.flush()
	return c.take()
}

// startBot opens the dialogue, when the bot is there, and answers what the
// customer wrote before it was.
func (c *Conversation) startBot() {
	if c.bot == nil || c.dialogue != nil || c.closed {
		return
	}
	d, opening := c.bot.Start(c.id, c.contactFacts().BotFacts())
	c.dialogue = d
	if c.escalated {
		return // a person was asked for before the bot had started
	}
	c.decided(opening, "")
	c.answerWaiting()
}

// answerWaiting hands the bot what the customer wrote before it had
// started, until one of the answers hands the chat to a person.
func (c *Conversation) answerWaiting() {
	texts := c.toBot
	c.toBot = nil
	for _, t := range texts {
		if c.escalated {
			break
		}
		c.decided(c.dialogue.Respond(t), t)
	}
}

// contactFacts is the contact flow's facts in the customer's language.
func (c *Conversation) contactFacts() handoff.Contact {
	f := handoff.Contact{Lang: c.cfg.Lang, SignedIn: c.contact.SignedIn, CustomerName: c.customerName(),
		Category: c.contact.Category.ID, Subtopic: c.contact.Topic.ID, Intent: c.contact.Topic.Intent, Now: c.now()}
	if c.contact.SignedIn {
		f.CustomerID = c.cfg.Profile.Customer.ID
	}
	if o := c.contact.Order; o != nil {
		f.Order = &handoff.Order{ID: o.ID, Items: o.DisplayItems(c.cfg.Lang), Date: o.Date, Status: o.Status}
	}
	return f
}

// CleanText is a customer's message as it is shown and stored: terminal
// controls removed, tabs expanded, surrounding blank lines trimmed.
func CleanText(s string) string {
	return strings.Trim(termsafe.ExpandTabs(termsafe.Text(s), 4), "\n")
}

// Send handles a message the customer wrote. Blank messages are ignored.
func (c *Conversation) Send(text string) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	text = CleanText(text)
	if strings.TrimSpace(text) == "" || c.closed {
		return c.take()
	}
	// Card details never go further than this: not to the screen, the
	// store, the bot or an operator.
	text, card := transcripts.MaskCardDetails(text)
	c.ensureCreated("chat")
	c.started = true
	c.customerSays(text)
	if card {
		c.cardNotice()
	}
	switch {
	case c.escalated && !c.queued:
		// The customer has not chosen who answers yet: the message joins the
		// packet the operator receives.
		if c.packet != nil {
			c.packet.Add(handoff.Line{At: c.now(), Speaker: handoff.SpeakerCustomer, Text: text})
		}
		c.atChoice = append(c.atChoice, text)
	case c.escalated:
		if c.desk != nil {
			c.deskEvents(c.desk.CustomerMessage(c.now(), text))
			c.syncPacket(false) // the operator has read it: the case follows
		}
	case c.dialogue != nil:
		c.decided(c.dialogue.Respond(text), text)
	default:
		c.toBot = append(c.toBot, text) // the bot answers once it has started
		c.startBot()
	}
	c.emitCase()
	c.flush()
	return c.take()
}

// AskForPerson is the customer's "a person, please" key: text is what the
// screen shows them saying.
func (c *Conversation) AskForPerson(text string) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.escalated || c.closed {
		return c.take()
	}
	c.ensureCreated("chat")
	c.started = true
	c.customerSays(CleanText(text))
	c.cases.reopenAnswered()
	c.escalate(bot.ReasonHumanRequested)
	c.emitCase()
	c.flush()
	return c.take()
}

// customerSays shows and stores a customer line.
func (c *Conversation) customerSays(text string) {
	at := c.now()
	line := c.nextLine()
	c.emit(Event{Kind: KindCustomer, At: at, Line: line, Text: text})
	if !c.escalated {
		c.history = append(c.history, handoff.Line{At: at, Speaker: handoff.SpeakerCustomer, Text: text})
	}
	c.write(job{line: line, entry: &transcripts.Entry{At: at, Role: transcripts.RoleCustomer,
		Author: c.customerName(), Text: text}})
}

// EventCardNotice is the system event that told the customer their card
// details were hidden.
const EventCardNotice transcripts.Event = "card_notice"

// cardNoticeText tells the customer, in their language, that card details
// are not needed in chat.
var cardNoticeText = map[string]string{
	"en": "We hid the card details in your message: they are never needed in chat, so please don't send your card number, security code or expiry date here.",
	"ja": "メッセージ内のカード情報は伏せました。チャットでカード番号・セキュリティコード・有効期限をお伝えいただく必要はありません。",
}

// cardNotice tells the customer once per conversation that card details
// are not needed here.
func (c *Conversation) cardNotice() {
	if c.cardWarned {
		return
	}
	c.cardWarned = true
	at, text := c.now(), cardNoticeText[c.cfg.Lang]
	line := c.nextLine()
	c.emit(Event{Kind: KindCardNotice, At: at, Line: line, Text: text})
	c.write(job{line: line, entry: &transcripts.Entry{At: at, Role: transcripts.RoleSystem, Event: EventCardNotice, Text: text}})
}

func (c *Conversation) nextLine() int {
	c.lines++
	return c.lines
}

// decided shows, stores and acts on one bot decision; text is the
// customer's message it answers ("" for the opening).
func (c *Conversation) decided(d bot.Decision, text string) {
	c.last = &d
	c.decisions = append(c.decisions, handoff.DecisionFrom(d))
	// The opening answers the topic chosen in the menu: an issue without
	// the customer's words yet (the menu's label is not theirs).
	c.cases.decided(d, text, issueFacts(c.contactFacts().Order, d))
	at := c.now()
	line := c.nextLine()
	dc := d
	c.emit(Event{Kind: KindBot, At: at, Line: line, Text: d.Reply, Decision: &dc})
	c.history = append(c.history, handoff.Line{At: at, Speaker: handoff.SpeakerBot, Text: d.Reply})
	c.write(job{line: line, entry: &transcripts.Entry{At: at, Role: transcripts.RoleBot, Text: d.Reply,
		Meta: &transcripts.Meta{Intent: d.Intent, Action: string(d.Action), Confidence: d.Confidence,
			Reason: string(d.Reason), Rules: d.Explanation.Rules, Case: c.cases.stored()}}})
	if d.Action == bot.ActionEscalate {
		c.escalate(d.Reason)
	}
}

func (c *Conversation) emitCase() {
	c.emit(Event{Kind: KindCase, Issues: c.cases.snapshot()})
}

// routingIntent is what the customer is talking about now: the latest open
// issue, else the bot's last intent, else the menu topic.
func (c *Conversation) routingIntent() string {
	if in := c.cases.latest(); in != "" {
		return in
	}
	if c.last != nil && c.last.Intent != "" {
		return c.last.Intent
	}
	return c.contact.Topic.Intent
}

func (c *Conversation) knowledge() handoff.Knowledge {
	if c.bot == nil {
		return nil
	}
	return c.bot.Knowledge()
}

// escalate hands the chat to a person: the packet is built with the
// intent the chat will be quoted and routed by, stored with the escalation,
// and the customer is asked who should answer.
func (c *Conversation) escalate(reason bot.Reason) {
	if c.escalated {
		return
	}
	c.escalated, c.reason = true, reason
	p := c.newPacket()
	c.packet = p
	c.escalationEvent(p)
	d := c.openDesk()
	if d == nil {
		return
	}
	c.quote = d.Quote(c.now(), c.cfg.Lang, c.intent, handoff.ClassOf(reason))
	c.choosing = true
	q := c.quote
	c.emit(Event{Kind: KindChoice, Quote: &q})
}

// newPacket builds the handoff packet from what is known now, routed by
// what the customer talks about now.
func (c *Conversation) newPacket() *handoff.Packet {
	c.intent = c.routingIntent()
	facts := c.contactFacts().PacketFacts()
	facts.Topic.Intent = c.intent
	p := handoff.NewPacket(c.now(), c.id, c.reason, c.cfg.Lang, facts, c.decisions, c.history, c.knowledge())
	if len(c.cases.issues) > 0 {
		p.SetCase(c.cases.forPacket(), c.knowledge())
	}
	return p
}

// openDesk opens the operator desk; nil when there is none or it failed
// (the problem is kept for State).
func (c *Conversation) openDesk() Desk {
	if c.cfg.NewDesk == nil {
		return nil
	}
	d, err := c.cfg.NewDesk(c.id)
	if err != nil {
		c.problem = fmt.Errorf("the operator desk could not open: %w", err)
		return nil
	}
	c.desk = d
	return d
}

// escalationEvent shows and stores the escalation with its packet.
func (c *Conversation) escalationEvent(p *handoff.Packet) {
	raw, err := json.Marshal(p)
	if err != nil {
		raw = nil // a packet is plain data; this cannot happen, and the event still records the reason
	}
	at := c.now()
	line := c.nextLine()
	c.emit(Event{Kind: KindEscalated, At: at, Line: line, Reason: c.reason})
	c.write(job{line: line, entry: &transcripts.Entry{At: at, Role: transcripts.RoleSystem,
		Event: transcripts.EventEscalated, Meta: &transcripts.Meta{Reason: string(c.reason), Packet: raw}}})
	c.write(job{status: transcripts.StatusEscalated})
}

// Choose answers "who should answer?": the first operator available, or a
// native speaker only. The chat joins the queue.
func (c *Conversation) Choose(native bool) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.choosing || c.closed {
		return c.take()
	}
	c.choosing, c.atChoice = false, nil
	c.queued, c.inQueue = true, true
	choice := transcripts.ChoiceFirstAvailable
	if native {
		choice = transcripts.ChoiceNativeSpeaker
	}
	c.write(job{entry: &transcripts.Entry{At: c.now(), Role: transcripts.RoleSystem, Event: transcripts.EventOperatorChoice,
		Meta: &transcripts.Meta{Reason: choice}}})
	p := c.packet
	evs, err := c.desk.Enqueue(c.now(), p, handoff.ClassOf(c.reason), native)
	if err != nil {
		c.problem = fmt.Errorf("the chat could not join the queue: %w", err)
		c.queued, c.inQueue = false, false
		c.flush()
		return c.take()
	}
	c.deskEvents(evs)
	c.flush()
	return c.take()
}

// ChoiceBackToBot is the operator choice stored when the customer goes back
// from "who should answer?" to the bot (transcripts.EventOperatorChoice,
// Meta.Reason).
const ChoiceBackToBot = "back_to_bot"

// CancelChoice is the customer going back from "who should answer?" to the
// bot (Esc on the handover screen): nobody is queued, the escalation is
// called off (stored as an operator choice of ChoiceBackToBot, the status
// open again), and the bot answers what the customer wrote meanwhile, in
// order, as if they had written it to the bot. It does nothing unless the
// customer is being asked.
func (c *Conversation) CancelChoice() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.choosing || c.closed {
		return c.take()
	}
	c.choosing, c.escalated, c.reason = false, false, ""
	c.desk, c.packet, c.quote = nil, nil, handoff.Quote{}
	c.write(job{entry: &transcripts.Entry{At: c.now(), Role: transcripts.RoleSystem, Event: transcripts.EventOperatorChoice,
		Meta: &transcripts.Meta{Reason: ChoiceBackToBot}}})
	c.write(job{status: transcripts.StatusOpen})
	texts := c.atChoice
	c.atChoice = nil
	for _, t := range texts {
		c.history = append(c.history, handoff.Line{At: c.now(), Speaker: handoff.SpeakerCustomer, Text: t})
	}
	if c.dialogue != nil {
		for _, t := range texts {
			if c.escalated {
				break
			}
			c.decided(c.dialogue.Respond(t), t)
		}
	} else {
		c.toBot = append(c.toBot, texts...) // the bot answers once it has started
	}
	c.emitCase()
	c.flush()
	return c.take()
}

// Advance lets the desk catch up with the clock.
func (c *Conversation) Advance() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.desk != nil && c.queued && !c.closed {
		c.deskEvents(c.desk.Advance(c.now()))
	}
	c.flush()
	return c.take()
}

// AwaitsCustomer reports that the conversation waits for the customer: the
// bot has answered, or an operator has said all they had to say. A chat
// that waits in the queue or for the customer's choice does not.
func (c *Conversation) AwaitsCustomer() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return true
	case c.choosing:
		return true
	case !c.escalated:
		return c.dialogue != nil && len(c.toBot) == 0
	case c.desk == nil || !c.queued:
		return true
	}
	return c.desk.AwaitsCustomer()
}

// deskEvents shows and stores what happened at the desk.
func (c *Conversation) deskEvents(evs []handoff.Event) {
	for _, ev := range evs {
		if ev.At.IsZero() {
			ev.At = c.now() // a desk that gives no time: it happened now
		}
		op := ev.Operator
		if op == nil {
			op = &handoff.OperatorInfo{}
		}
		switch ev.Kind {
		case handoff.EventQueue:
			if ev.Position > 0 && (ev.Position != c.position || ev.Wait != c.wait) {
				changed := ev.Position != c.position
				c.position, c.wait, c.inQueue = ev.Position, ev.Wait, true
				c.emit(Event{Kind: KindQueue, At: ev.At, Position: ev.Position, Wait: ev.Wait})
				if changed {
					c.write(job{entry: &transcripts.Entry{At: ev.At, Role: transcripts.RoleSystem,
						Event: transcripts.EventQueue, Meta: &transcripts.Meta{QueuePosition: ev.Position}}})
				}
			}
		case handoff.EventJoined:
			c.inQueue, c.position, c.typing, c.hadOp = false, 0, "", true
			o := *op
			c.operator = &o
			kind := transcripts.EventOperatorJoined
			if ev.Handover {
				kind = transcripts.EventTransfer
			}
			line := c.nextLine()
			c.emit(Event{Kind: KindJoined, At: ev.At, Line: line, Operator: &o, Handover: ev.Handover, From: ev.From, Back: ev.Back})
			c.write(job{line: line, entry: &transcripts.Entry{At: ev.At, Role: transcripts.RoleSystem, Event: kind,
				Meta: &transcripts.Meta{Operator: op.Name, OperatorID: op.ID}}})
		case handoff.EventTyping:
			c.typing = op.Name
			c.emit(Event{Kind: KindTyping, At: ev.At, Operator: op})
		case handoff.EventMessage:
			c.typing = ""
			if ev.Step == nil || ev.Step.Text == "" {
				continue
			}
			line := c.nextLine()
			c.emit(Event{Kind: KindOperator, At: ev.At, Line: line, Operator: op, Text: ev.Step.Text})
			c.write(job{line: line, entry: &transcripts.Entry{At: ev.At, Role: transcripts.RoleOperator,
				Author: op.Name, Text: ev.Step.Text, Meta: &transcripts.Meta{OperatorID: op.ID, Operator: op.Name}}})
		case handoff.EventLeft:
			c.operator, c.typing = nil, ""
			line := c.nextLine()
			c.emit(Event{Kind: KindLeft, At: ev.At, Line: line, Operator: op, Cause: ev.Cause})
			c.write(job{line: line, entry: &transcripts.Entry{At: ev.At, Role: transcripts.RoleSystem,
				Event: transcripts.EventOperatorLeft,
				Meta:  &transcripts.Meta{Operator: op.Name, OperatorID: op.ID, Reason: string(ev.Cause)}}})
		case handoff.EventResolved:
			c.resolved = true
			c.cases.resolveAll()
			c.emit(Event{Kind: KindOfferClose, At: ev.At, Operator: op})
			c.write(job{entry: &transcripts.Entry{At: ev.At, Role: transcripts.RoleSystem, Event: transcripts.EventCloseOffered,
				Meta: &transcripts.Meta{Operator: op.Name, OperatorID: op.ID}}})
		case handoff.EventCallback:
			// A person at the shared desk booked the call for the customer.
			if ev.Booking != nil && c.booking == nil {
				b := *ev.Booking
				c.booking = &b
				c.bookedEvent(ev.At, b)
			}
		case handoff.EventClosed:
			// The operator closed the chat after the customer stayed silent
			// (or the customer closed it, which Close records itself).
			if !c.closed {
				c.closedByDesk = true
				c.closeStored(ev.At)
			}
		}
	}
	// The packet changes with what operators say and with transfers, not
	// with typing or the queue.
	if slices.ContainsFunc(evs, func(ev handoff.Event) bool {
		return ev.Kind == handoff.EventMessage || ev.Kind == handoff.EventJoined || ev.Kind == handoff.EventLeft
	}) {
		c.syncPacket(true)
	}
}

// syncPacket takes a copy of the packet as the operators hold it, and
// brings the case up to date with the issues they raised and settled; when
// that changed the case and emit is set, the case is shown again.
func (c *Conversation) syncPacket(emit bool) {
	if c.desk == nil || !c.queued {
		return
	}
	var p *handoff.Packet
	if pc, ok := c.desk.(packetCopier); ok {
		p = pc.PacketCopy()
	} else if raw, err := c.desk.PacketJSON(); err == nil {
		p, _ = handoff.DecodePacket(raw) // nil when it does not read: nothing changes
	}
	if p == nil {
		return
	}
	c.packet = p
	before := c.cases.snapshot()
	for _, is := range p.Issues {
		c.cases.set(is.Intent, IssueStatus(is.Status), is.Text, is.Facts)
	}
	if emit && !slices.EqualFunc(before, c.cases.snapshot(), sameIssue) {
		c.emitCase()
	}
}

// sameIssue compares two issues as the case line shows them.
func sameIssue(a, b Issue) bool {
	return a.Intent == b.Intent && a.Status == b.Status && a.Text == b.Text && maps.Equal(a.Facts, b.Facts)
}

// ErrNoCallbacks is returned by Book when no callbacks service is set up.
var ErrNoCallbacks = errors.New("phone callbacks are not available")

// Book books a phone callback, from the channel choice or from the chat.
// A number the service does not accept returns its error and changes
// nothing.
func (c *Conversation) Book(phone string) (Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg.Callbacks == nil {
		return c.take(), ErrNoCallbacks
	}
	if c.booking != nil {
		return c.take(), nil // Enter twice books one call
	}
	b, err := c.cfg.Callbacks.Book(c.now(), phone)
	if err != nil {
		return c.take(), err
	}
	c.booking = &b
	c.ensureCreated("callback")
	c.bookedEvent(c.now(), b)
	c.flush()
	return c.take(), nil
}

// bookedEvent shows and stores a booked callback.
func (c *Conversation) bookedEvent(at time.Time, b handoff.Booking) {
	when := b.At
	line := c.nextLine()
	c.emit(Event{Kind: KindCallback, At: at, Line: line, Booking: &b})
	c.write(job{line: line, entry: &transcripts.Entry{At: at, Role: transcripts.RoleSystem,
		Event: transcripts.EventCallbackBooked, Text: b.Text(c.cfg.Lang, when.Location()),
		Meta: &transcripts.Meta{CallbackAt: &when}}})
}

// Close ends the conversation with the customer's ratings (0: not rated)
// of the bot and of the operators.
func (c *Conversation) Close(botRating, operatorRating int) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rated || !c.created || (c.closed && !c.closedByDesk) {
		return c.take()
	}
	c.rated = true
	at := c.now()
	if !c.closed && c.desk != nil && c.queued {
		// What the operator said before the close is the customer's too,
		// shown or not yet: it is stored before the close.
		c.deskEvents(c.desk.Advance(at))
	}
	for _, r := range []struct {
		stage  string
		rating int
	}{{transcripts.RatedBot, botRating}, {transcripts.RatedOperator, operatorRating}} {
		if r.rating >= 1 && r.rating <= 5 {
			c.write(job{entry: &transcripts.Entry{At: at, Role: transcripts.RoleSystem, Event: transcripts.EventRating,
				Author: r.stage, Meta: &transcripts.Meta{Rating: r.rating}}})
		}
	}
	if c.closed {
		// The operator closed the chat (after the customer's silence, or
		// just now); the ratings still count.
		c.flush()
		return c.take()
	}
	if c.desk != nil && c.queued {
		c.desk.Close(at) // the operator's side ends too; nothing of it is shown any more
	}
	c.closeStored(at)
	c.flush()
	return c.take()
}

// closeStored records the one close event, at simulated time.
func (c *Conversation) closeStored(at time.Time) {
	c.closed, c.typing, c.inQueue, c.choosing = true, "", false, false
	c.emit(Event{Kind: KindClosed, At: at})
	c.write(job{entry: &transcripts.Entry{At: at, Role: transcripts.RoleSystem, Event: transcripts.EventClosed}})
	c.write(job{status: transcripts.StatusClosed})
}

// Abandon is the customer leaving without closing (the app quits): the
// conversation is stored as abandoned, after every write still waiting.
func (c *Conversation) Abandon() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.created && !c.closed && c.desk != nil && c.queued {
		// What the operator said before the customer left is stored first.
		c.deskEvents(c.desk.Advance(c.now()))
	}
	if c.created && !c.closed {
		c.closed = true
		if c.desk != nil && c.queued {
			c.desk.Close(c.now())
		}
		c.write(job{status: transcripts.StatusAbandoned})
	}
	c.flush()
	return c.take()
}

// Retry tries again the writes that failed (opening the store first if it
// could not be opened yet).
func (c *Conversation) Retry() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flush()
	return c.take()
}

func copyPacket(p *handoff.Packet) *handoff.Packet { return p.Clone() }

// packetCopier is a Desk that hands out a deep copy of its packet
// (*handoff.Desk does), cheaper than PacketJSON.
type packetCopier interface {
	PacketCopy() *handoff.Packet
}

// Pass lets d of simulated time pass in steps of step; tick moves the
// clock by one step. The desk plays what happens meanwhile.
func (c *Conversation) Pass(d, step time.Duration, tick func(time.Duration)) Result {
	var r Result
	for left := d; left > 0; left -= step {
		tick(min(step, left))
		r = r.merge(c.Advance())
	}
	return r
}

// Settle lets simulated time pass, step by step, until the conversation
// waits for the customer (see AwaitsCustomer) or limit has passed; tick
// moves the clock by one step.
func (c *Conversation) Settle(limit, step time.Duration, tick func(time.Duration)) Result {
	var r Result
	for passed := time.Duration(0); passed < limit && !c.AwaitsCustomer(); passed += step {
		tick(step)
		r = r.merge(c.Advance())
	}
	return r
}
