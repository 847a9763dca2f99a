package handoff

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
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
	op         int32
	brain      *operatorBrain
	stepGen    uint32 // bumped on every transfer to void scheduled steps
	scheduled  bool   // a step is scheduled
	pending    *Step  // the step being typed
	replies    []Step // replies to the customer to send before the next planned step
	awaiting   string // the fact the operator asked for
	steps      int    // steps sent by the current operator
	faultAt    int    // the step at which the current operator drops out; -1 none
	faultCause Cause
	progress   int // resolution steps sent, over all operators: a new one carries on from here
	resolved   bool
	releasing  bool // the only thing scheduled is closing the chat after silence
	closed     bool
	lastPos    int
	lastWait   time.Duration
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
	f := &focusChat{ci: ci, packet: p, class: class, nativeOnly: nativeOnly, op: -1, faultAt: -1, lastPos: -1, stepGen: d.gens}
	d.focus = f
	e.arrive(ci)
	return f, nil
}

// CustomerMessage records a message from the customer (it joins the packet)
// and lets the operator react.
func (d *Desk) CustomerMessage(now time.Time, text string) []Event {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.run(d.e.seconds(now))
	f := d.focus
	if f == nil || f.closed {
		return d.take()
	}
	f.packet.Add(Line{At: now, Speaker: SpeakerCustomer, Text: text})
	if f.op < 0 || f.brain == nil {
		// Between operators: the message waits in the packet, and answers
		// the last ask if there was one.
		if f.awaiting != "" {
			if !f.packet.Facts.Has(f.awaiting) {
				f.packet.Facts.Set(f.awaiting, strings.TrimSpace(text))
			}
			f.awaiting = ""
		}
		return d.take()
	}
	// The packet may already have learned the awaited fact from the message
	// (an order id, a phone number...).
	answered := false
	if f.awaiting != "" && f.packet.Facts.Has(f.awaiting) {
		f.awaiting, answered = "", true
	}
	coin := d.e.rng.Float64() < d.cfg.Pool.BasicRephrase
	switch {
	case f.brain.wouldRephrase(text, coin):
		f.replies = append(f.replies, f.brain.rephrase())
	case f.awaiting != "":
		f.packet.Facts.Set(f.awaiting, strings.TrimSpace(text))
		f.awaiting = ""
	case answered:
	default:
		f.replies = append(f.replies, f.brain.Reply(text, false))
	}
	if !f.scheduled {
		d.scheduleStep(2)
	}
	return d.take()
}

// AwaitsCustomer reports that an operator has the focus chat and has
// nothing more to say until the customer writes: no reply is being typed or
// planned, and at most the close after silence is scheduled.
func (d *Desk) AwaitsCustomer() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.focus
	if f == nil || f.closed || f.op < 0 || f.brain == nil {
		return false
	}
	return f.pending == nil && len(f.replies) == 0 && (!f.scheduled || f.releasing)
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
	op := d.e.ops[oi].op
	lang := d.focus.packet.Lang
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
	f.brain = newBrain(e.ops[oi].op, f.packet, d.cfg.Knowledge, prev)
	f.brain.back = back
	// The packet's transcript shows what was already done; carry on from there.
	f.brain.next = f.progress
	f.brain.done = f.resolved
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
		if len(f.replies) > 0 {
			st, f.replies = f.replies[0], f.replies[1:]
		} else {
			if f.awaiting != "" && f.brain.greeted {
				return // waiting for the customer's answer
			}
			next, ok := f.brain.Next(f.packet)
			if !ok {
				if f.resolved {
					// Taken over after the offer to close: wait for the
					// customer, then close.
					f.scheduled, f.releasing = true, true
					e.schedule(event{t: e.now + 300, kind: evFocus, aux: focusRelease, chat: f.ci, gen: f.stepGen})
				}
				return
			}
			st = next
		}
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
		if st.Kind == StepAsk && f.packet.Facts.Has(st.Fact) {
			// The customer gave it while the operator was typing: don't ask.
			d.scheduleStep(1)
			return
		}
		f.packet.Add(Line{At: e.clock(e.now), Speaker: SpeakerOperator, Name: e.ops[f.op].op.ID, Text: st.Text})
		f.steps++
		d.emit(Event{Kind: EventMessage, Operator: d.info(f.op), Step: st})
		switch st.Kind {
		case StepAsk:
			f.awaiting = st.Fact
			switch {
			case len(f.replies) > 0:
				d.scheduleStep(2)
			case f.faultAt >= 0 && f.steps >= f.faultAt:
				// The line can drop while the operator waits for the answer.
				d.scheduleStep(20)
			}
		case StepResolve:
			f.progress++
			d.scheduleStep(4)
		case StepOfferClose:
			f.resolved = true
			d.emit(Event{Kind: EventResolved, Operator: d.info(f.op)})
			// If the customer stays silent, the operator closes the chat.
			f.scheduled, f.releasing = true, true
			e.schedule(event{t: e.now + 300, kind: evFocus, aux: focusRelease, chat: f.ci, gen: f.stepGen})
		default:
			d.scheduleStep(4)
		}
	case focusRelease:
		if len(f.replies) > 0 {
			d.scheduleStep(1)
			return
		}
		e.finish(f.ci)
		f.closed = true
		d.emit(Event{Kind: EventClosed})
	}
}

func (d *Desk) typingTime(text string) float64 {
	return math.Min(20, math.Max(2, float64(utf8.RuneCountInString(text))/d.typing))
}

// queueChanged recomputes the focus chat's position and expected wait.
func (d *Desk) queueChanged(e *engine) {
	f := d.focus
	if f == nil || f.closed {
		return
	}
	c := &e.chats[f.ci]
	if c.state != chatQueued || !c.focus {
		return
	}
	group := TopicGroup(f.packet.Facts.Topic.Intent)
	ahead := d.aheadOf(c.class, f.ci, f.packet.Lang, group, f.nativeOnly)
	wait := d.expectedWait(ahead, f.packet.Lang, group, f.nativeOnly)
	// Report every change of position, and changes of the estimate that a
	// person would notice (10 s steps).
	if ahead+1 != f.lastPos || wait/(10*time.Second) != f.lastWait/(10*time.Second) {
		f.lastPos, f.lastWait = ahead+1, wait
		d.emit(Event{Kind: EventQueue, Position: ahead + 1, Wait: wait})
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
