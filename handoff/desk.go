package handoff

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"sync"
	"time"
	"unicode/utf8"
)

// EventKind names what happened in the focus chat.
type EventKind string

// Desk events, in the order a customer usually meets them.
const (
	EventQueue    EventKind = "queue"    // position and expected wait changed
	EventJoined   EventKind = "joined"   // an operator joined (Handover: after a transfer)
	EventTyping   EventKind = "typing"   // the operator started typing
	EventMessage  EventKind = "message"  // the operator sent Step.Text
	EventLeft     EventKind = "left"     // the operator left: Cause says why; the packet goes to the next
	EventResolved EventKind = "resolved" // the case is resolved; the operator offered to close
	EventClosed   EventKind = "closed"   // the chat is over
	// EventCallback: an operator booked a phone callback for the customer
	// (Booking). Only the shared desk's people do this; simulated operators
	// leave it to the customer.
	EventCallback EventKind = "callback"
)

// OperatorInfo is how an operator is shown to the customer.
type OperatorInfo struct {
	ID    string `json:"id"`
	Name  string `json:"name"`  // in the customer's language
	Label string `json:"label"` // e.g. "Tanaka (Japanese: native, English: fluent)"
	// Languages maps each language code the operator speaks to its level
	// ("native", "fluent", "basic").
	Languages map[string]string `json:"languages,omitempty"`
}

// Event is one thing that happened in the focus chat.
type Event struct {
	At       time.Time     `json:"at"`
	Kind     EventKind     `json:"kind"`
	Position int           `json:"position,omitempty"` // EventQueue: 1 = next in line
	Wait     time.Duration `json:"wait,omitempty"`     // EventQueue: expected wait from now
	Operator *OperatorInfo `json:"operator,omitempty"`
	Handover bool          `json:"handover,omitempty"` // EventJoined: taking over from From
	From     string        `json:"from,omitempty"`     // EventJoined: the previous operator's name
	Back     bool          `json:"back,omitempty"`     // EventJoined: the same operator takes the chat back
	Step     *Step         `json:"step,omitempty"`     // EventMessage
	Cause    Cause         `json:"cause,omitempty"`    // EventLeft
	Booking  *Booking      `json:"booking,omitempty"`  // EventCallback
}

// DeskConfig sets up a desk.
type DeskConfig struct {
	Pool      *Pool
	Knowledge Knowledge
	Start     time.Time // the simulated time the desk opens
	Seed      uint64
	// ArrivalsPerHour is the background load of other customers; 0 means
	// DefaultBackgroundLoad.
	ArrivalsPerHour float64
	// Faults override the pool's fault rates when non-nil.
	Faults *Faults
	// Warmup is how long the background runs before Start so the queue is
	// realistic from the first moment; 0 means two hours.
	Warmup time.Duration
	// Typing is the operator's typing speed in characters per second of
	// simulated time; 0 means 6.
	Typing float64
}

// DefaultBackgroundLoad is the background arrival rate of a desk: enough
// to keep the default pool busy without swamping it.
const DefaultBackgroundLoad = 30.0

// Quote compares the expected waits before the customer chooses.
type Quote struct {
	FirstAvailable time.Duration `json:"first_available"`
	NativeOnly     time.Duration `json:"native_only"`
	// NativeOnShift is false when no native speaker of the customer's
	// language is on shift now; NativeOnly then includes the wait for one
	// (math.MaxInt64 when the pool has no native speaker of it at all).
	NativeOnShift bool `json:"native_on_shift"`
}

// Desk runs the pool live for ONE customer chat (the focus chat) among
// simulated background customers. It is deterministic for a seed and a
// sequence of calls with their times. Its methods may be called from
// several goroutines (they serialise); the *Packet from Packet is live, so
// read it only between calls, or take PacketJSON.
type Desk struct {
	mu        sync.Mutex
	cfg       DeskConfig
	e         *engine
	callbacks *Callbacks
	focus     *focusChat
	out       []Event
	typing    float64
	gens      uint32 // step generations, unique over every focus chat of the desk
}

type focusChat struct {
	ci         int32
	packet     *Packet
	class      Class
	nativeOnly bool
	group      string // the skill group the chat is routed by
	op         int32
	brain      *operatorBrain
	notes      *notes // what every operator of the chat carries on from
	stepGen    uint32 // bumped on every transfer to void scheduled steps
	scheduled  bool   // a step is scheduled
	pending    *Step  // the step being typed
	replies    []Step // replies to the customer to send before the next planned step
	unheard    []string
	awaiting   string // the fact the operator asked for
	// heard counts the customer's messages; replied is how many of them an
	// operator's message (other than an offer to close) has followed. The
	// offer to close waits until they are equal.
	heard, replied int
	steps          int // steps sent by the current operator
	faultAt        int // the step at which the current operator drops out; -1 none
	faultCause     Cause
	offered        bool // the offer to close stands: no customer message since
	releasing      bool // the only thing scheduled is closing the chat after silence
	releaseAt      float64
	closing        bool // the operator said goodbye; the chat closes
	closed         bool
	lastPos        int
	lastWait       time.Duration
	waitUntil      float64 // when the wait quoted at the last change of position runs out
}

// Focus event codes (event.aux).
const (
	focusType uint8 = iota
	focusSend
	focusRelease
)

// NewDesk opens a desk at cfg.Start, after running the background load for
// the warm-up period.
func NewDesk(cfg DeskConfig) (*Desk, error) {
	if cfg.Pool == nil {
		return nil, errors.New("a desk needs an operator pool")
	}
	if cfg.Start.IsZero() {
		return nil, errors.New("a desk needs a start time")
	}
	if f := cfg.Faults; f != nil && (f.LineFault < 0 || f.Timeout < 0 || f.LineFault+f.Timeout > 0.9) {
		// At 1 every service ends in a fault and no chat ever finishes.
		return nil, errors.New("a desk's fault rates must be at least 0 and add up to at most 0.9")
	}
	if cfg.ArrivalsPerHour <= 0 {
		cfg.ArrivalsPerHour = DefaultBackgroundLoad
	}
	if cfg.Warmup <= 0 {
		cfg.Warmup = 2 * time.Hour
	}
	d := &Desk{cfg: cfg, callbacks: NewCallbacks(cfg.Pool), typing: cfg.Typing}
	if d.typing <= 0 {
		d.typing = 6
	}
	sc := SimConfig{Pool: cfg.Pool, ArrivalsPerHour: cfg.ArrivalsPerHour, Duration: 1, Seed: cfg.Seed,
		Patience: cfg.Pool.Patience, Faults: cfg.Faults, Start: cfg.Start.Add(-cfg.Warmup)}
	e, err := newSimEngine(sc)
	if err != nil {
		return nil, err
	}
	e.patienceMean = cfg.Pool.Patience.Seconds()
	e.kb = cfg.Knowledge
	e.hooks = d
	e.noWaitStats = true
	e.gen = newArrivals(sc, e)
	e.horizon = 0
	e.onCallback = d.callbacks.add
	e.scheduleArrival(0)
	d.e = e
	d.run(e.seconds(cfg.Start))
	d.out = nil
	return d, nil
}

// Callbacks returns the desk's callback book; background customers' bookings
// load the phone team too.
func (d *Desk) Callbacks() *Callbacks { return d.callbacks }

// Pool returns the desk's pool.
func (d *Desk) Pool() *Pool { return d.cfg.Pool }

// Packet returns the focus chat's packet, or nil before Enqueue. The desk
// keeps adding to it.
func (d *Desk) Packet() *Packet {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.focus == nil {
		return nil
	}
	return d.focus.packet
}

// PacketJSON returns the focus chat's packet as it is now, as JSON (what the
// store keeps), or nil before Enqueue.
func (d *Desk) PacketJSON() ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.focus == nil {
		return nil, nil
	}
	return json.Marshal(d.focus.packet)
}

// run processes every event up to t (seconds since the engine's start).
func (d *Desk) run(t float64) {
	for len(d.e.events) > 0 && d.e.events[0].t <= t {
		d.e.step(d.e.events.pop())
	}
	if t > d.e.now {
		d.e.now = t
	}
}

func (d *Desk) take() []Event {
	out := d.out
	d.out = nil
	return out
}

// Advance moves the desk to now and returns what happened to the focus chat.
func (d *Desk) Advance(now time.Time) []Event {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.run(d.e.seconds(now))
	d.countdown()
	return d.take()
}

// Quote returns the expected wait for "first available" and for "native
// speaker only", for a customer writing in lang about intent with class, if
// they joined the queue at now.
func (d *Desk) Quote(now time.Time, lang, intent string, class Class) Quote {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.run(d.e.seconds(now))
	group := TopicGroup(intent)
	q := Quote{
		FirstAvailable: d.expectedWait(d.aheadOf(class, -1, lang, group, false), lang, group, false),
		NativeOnly:     d.expectedWait(d.aheadOf(class, -1, lang, group, true), lang, group, true),
	}
	for _, oi := range d.eligibleOps(lang, TopicGroup(intent), true) {
		if d.e.ops[oi].onShift {
			q.NativeOnShift = true
		}
	}
	return q
}

// Enqueue hands the focus chat to the pool with its packet. The packet is
// the desk's from now on: it grows with every later message.
func (d *Desk) Enqueue(now time.Time, p *Packet, class Class, nativeOnly bool) ([]Event, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.enqueueLocked(now, p, class, nativeOnly, ""); err != nil {
		return nil, err
	}
	return d.take(), nil
}

// enqueueLocked puts the focus chat in the queue; d.mu is held. A non-empty
// lastOperator (a resumed chat) makes whoever picks it up greet with the
// handover from that operator, as after a transfer.
func (d *Desk) enqueueLocked(now time.Time, p *Packet, class Class, nativeOnly bool, lastOperator string) (*focusChat, error) {
	if d.focus != nil && !d.focus.closed {
		return nil, errors.New("this desk already has a customer chat")
	}
	if p == nil {
		return nil, errors.New("a chat needs its packet")
	}
	if _, ok := langIndex[p.Lang]; !ok {
		return nil, errors.New("the packet's language must be ja or en")
	}
	d.run(d.e.seconds(now))
	e := d.e
	ci := e.newChat()
	c := &e.chats[ci]
	c.focus = true
	c.counted = true
	c.class = class
	c.lang = langIndex[p.Lang]
	c.group = groupIndex(TopicGroup(p.Facts.Topic.Intent))
	c.nativeOnly = nativeOnly
	c.packet = p
	c.intent = p.Facts.Topic.Intent
	if lastOperator != "" {
		for oi := range e.ops {
			if e.ops[oi].op.ID == lastOperator {
				c.prevOp = int32(oi)
				break
			}
		}
	}
	d.gens++
	f := &focusChat{ci: ci, packet: p, class: class, nativeOnly: nativeOnly, group: TopicGroup(p.Facts.Topic.Intent),
		op: -1, faultAt: -1, lastPos: -1, stepGen: d.gens, notes: newNotes()}
	// What the customer wrote after the bot's last word (while choosing who
	// should answer) waits for the operator to read it.
	f.unheard = unanswered(p.Transcript, SpeakerBot, SpeakerOperator)
	f.heard = len(f.unheard)
	d.focus = f
	e.arrive(ci)
	return f, nil
}

// CustomerMessage records a message from the customer (it joins the packet)
// and lets the operator read it: the replies come before anything planned.
// Between operators, or before the greeting, it waits for the next operator
// to read it (a slot in it still answers the last ask at once).
func (d *Desk) CustomerMessage(now time.Time, text string) []Event {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.run(d.e.seconds(now))
	f := d.focus
	if f == nil || f.closed {
		return d.take()
	}
	f.packet.Add(Line{At: now, Speaker: SpeakerCustomer, Text: text})
	f.heard++
	f.offered = false
	coin := d.e.rng.Float64() < d.cfg.Pool.BasicRephrase
	if f.op < 0 || f.brain == nil || !f.brain.greeted {
		if f.awaiting != "" && slotFact(f.awaiting) && f.packet.Facts.Has(f.awaiting) {
			f.awaiting = ""
		}
		f.unheard = append(f.unheard, text)
		return d.take()
	}
	replies, _ := f.brain.Hear(f.packet, text, coin, f.awaiting)
	// Answered or not, the operator does not wait for that fact any more:
	// they carry on without it rather than ask again.
	f.awaiting = ""
	f.replies = append(f.replies, replies...)
	if !f.scheduled || f.releasing || f.closing {
		// A message after the goodbye keeps the chat open.
		f.closing = false
		d.scheduleStep(2)
	}
	return d.take()
}

// unanswered returns the customer lines of a transcript after the last line
// by one of the speakers; none when they never spoke (what the customer
// wrote is then what the greeting restates).
func unanswered(t []Line, speakers ...string) []string {
	var out []string
	spoke := false
	for _, l := range t {
		switch {
		case l.Speaker == SpeakerCustomer:
			out = append(out, l.Text)
		case slices.Contains(speakers, l.Speaker):
			out, spoke = out[:0], true
		}
	}
	if !spoke {
		return nil
	}
	return out
}

// AwaitsCustomer reports that an operator has the focus chat and has
// nothing more to say until the customer writes: they have greeted, and no
// reply is being typed or planned; at most the close after silence is
// scheduled.
func (d *Desk) AwaitsCustomer() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.focus
	if f == nil || f.closed || f.op < 0 || f.brain == nil || !f.brain.greeted || f.closing {
		return false
	}
	return f.pending == nil && len(f.replies) == 0 && len(f.unheard) == 0 && (!f.scheduled || f.releasing)
}

// Close ends the focus chat: the customer leaves the queue or closes the
// conversation.
func (d *Desk) Close(now time.Time) []Event {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.run(d.e.seconds(now))
	f := d.focus
	if f == nil || f.closed {
		return d.take()
	}
	e := d.e
	c := &e.chats[f.ci]
	switch c.state {
	case chatServing:
		e.finish(f.ci)
	case chatQueued:
		e.releaseChat(f.ci)
		e.changed()
	}
	f.closed = true
	d.emit(Event{Kind: EventClosed})
	return d.take()
}

func (d *Desk) emit(ev Event) {
	ev.At = d.e.clock(d.e.now)
	d.out = append(d.out, ev)
}

func (d *Desk) info(oi int32) *OperatorInfo {
	return InfoOf(d.e.ops[oi].op, d.focus.packet.Lang)
}

// InfoOf is how op is shown to a customer writing in lang.
func InfoOf(op *Operator, lang string) *OperatorInfo {
	langs := make(map[string]string, len(op.Languages))
	for _, l := range op.Languages {
		langs[l.Code] = l.Level.String()
	}
	return &OperatorInfo{ID: op.ID, Name: op.DisplayName(lang), Label: op.Label(lang), Languages: langs}
}

// focusAssigned: an operator takes the focus chat (first time or after a
// transfer).
func (d *Desk) focusAssigned(e *engine, ci, oi int32) {
	f := d.focus
	c := &e.chats[ci]
	f.op = oi
	f.steps = 0
	f.faultAt = -1
	// An operator who takes the chat back (the only native speaker on shift,
	// after a timeout, say) is not taking over from anyone: they say they
	// are back, not that they have read a colleague's notes.
	var prev *Operator
	back := c.prevOp == oi
	if c.prevOp >= 0 && !back {
		prev = e.ops[c.prevOp].op
	}
	// The notes show what was already done; carry on from there.
	f.brain = newBrain(e.ops[oi].op, f.packet, d.cfg.Knowledge, prev, f.notes)
	f.brain.back = back
	f.brain.offered = f.offered
	f.brain.canPass = func(group string) bool { return d.canTake(oi, group) }
	// Faults strike at a random step of this operator's part.
	faults := e.faults
	if u := e.rng.Float64(); u < faults.LineFault+faults.Timeout {
		f.faultCause = CauseLineFault
		if u >= faults.LineFault {
			f.faultCause = CauseTimeout
		}
		f.faultAt = 1 + e.rng.IntN(3)
	}
	ev := Event{Kind: EventJoined, Operator: d.info(oi), Back: back}
	if prev != nil {
		ev.Handover = true
		ev.From = prev.DisplayName(f.packet.Lang)
	}
	d.emit(ev)
	d.scheduleStep(3)
}

func (d *Desk) scheduleStep(after float64) {
	f := d.focus
	f.scheduled = true
	f.releasing = false
	d.e.schedule(event{t: d.e.now + after, kind: evFocus, aux: focusType, chat: f.ci, gen: f.stepGen})
}

// focusTransferred: the operator left; the engine routes the chat on.
func (d *Desk) focusTransferred(e *engine, ci, oi int32, cause Cause) {
	f := d.focus
	d.gens++
	f.stepGen = d.gens
	f.scheduled, f.releasing = false, false
	f.pending = nil
	f.replies = nil
	f.closing = false
	// Messages the leaving operator had not answered yet are read again by
	// the next one.
	if n := f.heard - f.replied; n > len(f.unheard) {
		f.unheard = lastCustomerLines(f.packet.Transcript, n)
	}
	// f.awaiting stays: the customer's answer to the last ask may come while
	// the chat is between operators, and the next one must not ask again.
	f.brain = nil
	f.op = -1
	f.lastPos = -1
	d.emit(Event{Kind: EventLeft, Operator: d.info(oi), Cause: cause})
}

// focusEvent plays the focus operator's next beat.
func (d *Desk) focusEvent(e *engine, ev event) {
	f := d.focus
	if f == nil || ev.gen != f.stepGen || ev.chat != f.ci || f.closed || f.op < 0 {
		return
	}
	switch ev.aux {
	case focusType:
		f.scheduled = false
		if f.faultAt >= 0 && f.steps >= f.faultAt {
			e.transfer(f.ci, f.faultCause)
			return
		}
		var st Step
		switch {
		case !f.brain.greeted:
			st, _ = f.brain.Next(f.packet)
		case len(f.replies) > 0:
			st, f.replies = f.replies[0], f.replies[1:]
		case f.closing:
			return
		case f.awaiting != "":
			return // waiting for the customer's answer
		default:
			next, ok := f.brain.Next(f.packet)
			if !ok {
				if f.offered {
					// Taken over after the offer to close: wait for the
					// customer, then close.
					d.release(300)
				}
				return
			}
			if next.Kind == StepOfferClose && f.replied < f.heard {
				// The customer's last message has had no reply yet.
				f.brain.unoffer()
				next = Step{Kind: StepAck, Text: f.brain.say(phAck)}
			}
			st = next
		}
		st.heard = f.heard
		f.pending = &st
		f.scheduled = true
		d.emit(Event{Kind: EventTyping, Operator: d.info(f.op)})
		e.schedule(event{t: e.now + d.typingTime(st.Text), kind: evFocus, aux: focusSend, chat: f.ci, gen: f.stepGen})
	case focusSend:
		f.scheduled = false
		st := f.pending
		f.pending = nil
		if st == nil {
			return
		}
		switch {
		case st.Kind == StepOfferClose && (st.heard < f.heard || len(f.replies) > 0):
			// The customer wrote while the offer was being typed: answer first.
			f.brain.unoffer()
			d.scheduleStep(1)
			return
		case st.Kind == StepAsk && f.packet.Facts.Has(st.Fact):
			// The customer gave it while the operator was typing: don't ask.
			d.scheduleStep(1)
			return
		}
		f.packet.Add(Line{At: e.clock(e.now), Speaker: SpeakerOperator, Name: e.ops[f.op].op.ID, Text: st.Text})
		f.steps++
		if st.Kind != StepOfferClose {
			f.replied = max(f.replied, st.heard)
		}
		f.brain.Sent(*st, f.packet)
		d.emit(Event{Kind: EventMessage, Operator: d.info(f.op), Step: st})
		switch st.Kind {
		case StepGreet, StepHandover:
			// Now the operator reads what the customer wrote meanwhile.
			for _, text := range f.unheard {
				replies, _ := f.brain.Hear(f.packet, text, e.rng.Float64() < d.cfg.Pool.BasicRephrase, f.awaiting)
				f.awaiting = ""
				f.replies = append(f.replies, replies...)
			}
			f.unheard = nil
			d.scheduleStep(3)
		case StepAsk:
			f.awaiting = st.Fact
			switch {
			case len(f.replies) > 0:
				d.scheduleStep(2)
			case f.faultAt >= 0 && f.steps >= f.faultAt:
				// The line can drop while the operator waits for the answer.
				d.scheduleStep(20)
			}
		case StepOfferClose:
			f.offered = true
			d.emit(Event{Kind: EventResolved, Operator: d.info(f.op)})
			// If the customer stays silent, the operator closes the chat.
			d.release(300)
		case StepTransfer:
			f.group = TopicGroup(st.Intent)
			e.chats[f.ci].group = groupIndex(f.group)
			e.transfer(f.ci, CauseSkill)
		case StepBye:
			f.closing = true
			f.scheduled = true
			e.schedule(event{t: e.now + 3, kind: evFocus, aux: focusRelease, chat: f.ci, gen: f.stepGen})
		default:
			d.scheduleStep(4)
		}
	case focusRelease:
		if !f.closing && (!f.releasing || e.now < f.releaseAt) {
			return // the customer wrote since: this close is off
		}
		if len(f.replies) > 0 && !f.closing {
			d.scheduleStep(1)
			return
		}
		e.finish(f.ci)
		f.closed = true
		d.emit(Event{Kind: EventClosed})
	}
}

// release schedules closing the chat after after seconds of silence.
func (d *Desk) release(after float64) {
	f := d.focus
	f.scheduled, f.releasing = true, true
	f.releaseAt = d.e.now + after
	d.e.schedule(event{t: f.releaseAt, kind: evFocus, aux: focusRelease, chat: f.ci, gen: f.stepGen})
}

// canTake reports that an operator other than oi, on shift now, could take
// the focus chat for an issue of group.
func (d *Desk) canTake(oi int32, group string) bool {
	f := d.focus
	for _, o := range d.eligibleOps(f.packet.Lang, group, f.nativeOnly) {
		if o != oi && d.e.ops[o].onShift {
			return true
		}
	}
	return false
}

// lastCustomerLines returns the last n customer lines of a transcript.
func lastCustomerLines(t []Line, n int) []string {
	var out []string
	for i := len(t) - 1; i >= 0 && len(out) < n; i-- {
		if t[i].Speaker == SpeakerCustomer {
			out = append(out, t[i].Text)
		}
	}
	slices.Reverse(out)
	return out
}

func (d *Desk) typingTime(text string) float64 {
	return math.Min(20, math.Max(2, float64(utf8.RuneCountInString(text))/d.typing))
}

// queueChanged recomputes the focus chat's position, and its expected wait
// when the position changes. Between changes the wait counts down (see
// countdown).
func (d *Desk) queueChanged(e *engine) {
	f := d.focus
	if f == nil || f.closed {
		return
	}
	c := &e.chats[f.ci]
	if c.state != chatQueued || !c.focus {
		return
	}
	ahead := d.aheadOf(c.class, f.ci, f.packet.Lang, f.group, f.nativeOnly)
	if ahead+1 == f.lastPos {
		return
	}
	wait := d.expectedWait(ahead, f.packet.Lang, f.group, f.nativeOnly)
	f.lastPos, f.lastWait = ahead+1, wait
	f.waitUntil = e.now + wait.Seconds()
	d.emit(Event{Kind: EventQueue, Position: ahead + 1, Wait: wait})
}

// minShownWait is the least wait shown while the chat is still queued: a
// quoted wait that has run out shows as "about 10 seconds", not zero.
const minShownWait = 10 * time.Second

// countdown lets the quoted wait of a queued focus chat run down with
// simulated time, reported in steps a person notices (10 s).
func (d *Desk) countdown() {
	f := d.focus
	if f == nil || f.closed || f.lastPos < 0 {
		return
	}
	c := &d.e.chats[f.ci]
	if c.state != chatQueued || !c.focus || f.lastWait >= time.Duration(math.MaxInt64/2) {
		return
	}
	left := max(dur(f.waitUntil-d.e.now), minShownWait)
	if left/(10*time.Second) != f.lastWait/(10*time.Second) {
		f.lastWait = left
		d.emit(Event{Kind: EventQueue, Position: f.lastPos, Wait: left})
	}
}

// aheadOf counts live chats that will be served before a chat of class
// (before ci itself when ci >= 0; all of its class otherwise) and compete
// for the same operators: someone who could take the focus chat could take
// them too.
func (d *Desk) aheadOf(class Class, ci int32, lang, group string, nativeOnly bool) int {
	e := d.e
	ops := d.eligibleOps(lang, group, nativeOnly)
	n := 0
	for k := Class(0); k <= class; k++ {
		q := &e.queues[k]
		for i := q.head; i < len(q.items); i++ {
			it := q.items[i]
			if !e.live(it) {
				continue
			}
			if it.chat == ci {
				return n
			}
			if d.competes(ops, it.chat) {
				n++
			}
		}
	}
	return n
}

func (d *Desk) competes(ops []int32, ci int32) bool {
	c := &d.e.chats[ci]
	for _, oi := range ops {
		o := &d.e.ops[oi]
		lv := o.level[c.lang]
		if lv != LevelNone && (!c.nativeOnly || lv == LevelNative) && o.skills&(1<<c.group) != 0 {
			return true
		}
	}
	return false
}

func (d *Desk) eligibleOps(lang, group string, nativeOnly bool) []int32 {
	var out []int32
	li := langIndex[lang]
	gi := groupIndex(group)
	for i := range d.e.ops {
		o := &d.e.ops[i]
		lv := o.level[li]
		if lv == LevelNone || (nativeOnly && lv != LevelNative) || o.skills&(1<<gi) == 0 {
			continue
		}
		out = append(out, int32(i))
	}
	return out
}

// expectedWait estimates the wait of a chat with ahead chats before it: the
// (ahead+1)-th completion among the eligible operators' busy slots, each
// finishing at the rate of its mean handle time. With nobody eligible on
// shift, it adds the time until the first eligible shift starts.
func (d *Desk) expectedWait(ahead int, lang, group string, nativeOnly bool) time.Duration {
	e := d.e
	ops := d.eligibleOps(lang, group, nativeOnly)
	rate := 0.0 // completions per second
	free := false
	for _, oi := range ops {
		o := &e.ops[oi]
		if !o.onShift {
			continue
		}
		rate += float64(o.capacity) / o.op.Handle.Mean.Seconds()
		if o.busy < o.capacity {
			free = true
		}
	}
	if free && ahead == 0 {
		return 0
	}
	if rate > 0 {
		// Walk down the line: each chat ahead is still there when its turn
		// comes unless its customer has given up by then (exponential
		// patience, which is memoryless, so time already waited is no matter).
		t := 0.0
		for range ahead {
			stays := 1.0
			if e.patienceMean > 0 {
				stays = math.Exp(-t / e.patienceMean)
			}
			t += stays / rate
		}
		return dur(t + 1/rate)
	}
	// Nobody eligible on shift: wait for the first one to start.
	now := e.clock(e.now)
	var first time.Time
	var firstOp *opState
	for _, oi := range ops {
		o := &e.ops[oi]
		if t := nextShiftChange(o.op.Shifts, now, e.loc); !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first, firstOp = t, o
		}
	}
	if firstOp == nil {
		return time.Duration(math.MaxInt64)
	}
	return first.Sub(now) + dur(float64(ahead)*firstOp.op.Handle.Mean.Seconds()/float64(firstOp.capacity))
}
