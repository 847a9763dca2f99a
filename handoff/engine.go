package handoff

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// The engine is the discrete-event core shared by Simulate (many chats, no
// UI) and Desk (one live focus chat among simulated background load). Time is
// float64 seconds since the engine's start, for speed.

// Class is a queue priority class. Lower serves first.
type Class uint8

// Priority classes: chats already handed over between operators go first,
// then sensitive cases, then complaints, then the rest. FIFO inside a class.
const (
	ClassHandover Class = iota
	ClassSensitive
	ClassComplaint
	ClassNormal
	numClasses
)

func (c Class) String() string {
	return [...]string{"handover", "sensitive", "complaint", "normal"}[c]
}

// Cause says why an operator left a chat.
type Cause string

// Causes of a transfer.
const (
	CauseShiftEnd  Cause = "shift_end"
	CauseTimeout   Cause = "timeout"
	CauseLineFault Cause = "line_fault"
	// CauseSkill: the customer raised an issue the operator has no skill
	// for; a colleague who has it takes the chat with the packet.
	CauseSkill Cause = "skill"
)

type eventKind uint8

const (
	evArrival eventKind = iota
	evFinish
	evAbandon
	evFault
	evShift
	evFocus
)

type event struct {
	t    float64
	seq  uint64
	kind eventKind
	aux  uint8 // evFault: 0 line fault, 1 timeout
	chat int32
	op   int32
	gen  uint32
}

// eventHeap is a binary min-heap on (t, seq); hand-written so events stay
// values (no interface boxing) on the hot path.
type eventHeap []event

func (h eventHeap) less(i, j int) bool {
	if h[i].t != h[j].t {
		return h[i].t < h[j].t
	}
	return h[i].seq < h[j].seq
}

func (h *eventHeap) push(e event) {
	*h = append(*h, e)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !s.less(i, p) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *eventHeap) pop() event {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && s.less(r, l) {
			m = r
		}
		if !s.less(m, i) {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

type chatState uint8

const (
	chatFree chatState = iota // slot unused
	chatQueued
	chatServing
	chatMoving // between two operators, for the instant of a transfer
)

type chat struct {
	serial     uint64 // unique over the run; slots are reused
	arrive     float64
	remaining  float64 // service seconds left
	servStart  float64
	gen        uint32 // bumped on every state change to void stale events
	qserial    uint32 // matches the queue entry that is live
	op         int32
	transfers  uint16
	class      Class
	lang       uint8
	group      uint8
	state      chatState
	nativeOnly bool
	answered   bool
	counted    bool // arrived after warm-up: counts in statistics
	focus      bool
	prevOp     int32
	packet     *Packet
	intent     string
}

type queueEntry struct {
	chat    int32
	qserial uint32
}

// fifo is a queue with lazy deletion: entries whose chat has moved on are
// skipped when met.
type fifo struct {
	items []queueEntry
	head  int
}

func (q *fifo) push(e queueEntry) {
	if q.head > 1024 && q.head*2 > len(q.items) {
		n := copy(q.items, q.items[q.head:])
		q.items = q.items[:n]
		q.head = 0
	}
	q.items = append(q.items, e)
}

func (q *fifo) pushFront(e queueEntry) {
	if q.head > 0 {
		q.head--
		q.items[q.head] = e
		return
	}
	q.items = append([]queueEntry{e}, q.items...)
}

type opState struct {
	op         *Operator // nil for identical agents
	capacity   int
	busy       int
	onShift    bool
	level      [2]Level // by language index
	skills     uint16   // bit per topic group; all bits for "all"
	handle     sampler
	busyTime   float64 // slot-seconds busy
	shiftTime  float64 // slot-seconds on shift
	lastChange float64
	answered   int
	chats      []int32
}

func (o *opState) account(now float64) {
	dt := now - o.lastChange
	if dt > 0 {
		o.busyTime += float64(o.busy) * dt
		if o.onShift {
			o.shiftTime += float64(o.capacity) * dt
		}
	}
	o.lastChange = now
}

var langIndex = map[string]uint8{"ja": 0, "en": 1}
var langCodes = [2]string{"ja", "en"}

func groupIndex(g string) uint8 {
	for i, name := range TopicGroups {
		if name == g {
			return uint8(i)
		}
	}
	return uint8(len(TopicGroups) - 1)
}

// engineHooks lets the Desk take over the focus chat and watch the queue, and
// lets tests observe every step.
type engineHooks interface {
	focusAssigned(e *engine, ci int32, oi int32)
	focusTransferred(e *engine, ci int32, oi int32, cause Cause)
	focusEvent(e *engine, ev event)
	queueChanged(e *engine)
}

type engine struct {
	rng     *rand.Rand
	start   time.Time
	loc     *time.Location
	now     float64
	seq     uint64
	events  eventHeap
	ops     []opState
	queues  [numClasses]fifo
	chats   []chat
	free    []int32 // free chat slots
	idle    []int32 // agents mode: operators with a free slot
	matched bool    // pool mode: route by language, skill and shift

	faults       Faults
	patienceMean float64
	handle       sampler // agents mode: one distribution for all
	nextSerial   uint64
	warmup       float64
	hooks        engineHooks
	// noWaitStats: nobody reads the wait percentiles (a live desk), so the
	// 1.4 MB histogram is never allocated.
	noWaitStats  bool
	obs          Observer
	kb           Knowledge
	gen          *arrivals
	horizon      float64 // arrivals stop here (seconds); 0 = never
	maxCustomers int
	customers    int
	onCallback   func(at time.Time)

	st stats
}

type stats struct {
	offered, answered, abandoned, resolved int
	transfers, repeatQuestions, callbacks  int
	waitedAny                              int
	waits                                  waitHistogram
	sl20, sl60, sl120                      int
	lostOrTwice                            int
}

func newEngine(seed uint64, start time.Time, loc *time.Location) *engine {
	e := &engine{
		rng:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		start: start,
		loc:   loc,
	}
	return e
}

func (e *engine) schedule(ev event) {
	e.seq++
	ev.seq = e.seq
	e.events.push(ev)
}

func (e *engine) clock(t float64) time.Time { return e.start.Add(dur(t)) }

func (e *engine) seconds(t time.Time) float64 { return t.Sub(e.start).Seconds() }

// addAgents sets up c identical always-on operators.
func (e *engine) addAgents(c int, h HandleTime) {
	e.handle = newSampler(h)
	e.ops = make([]opState, c)
	e.idle = make([]int32, 0, c)
	for i := range e.ops {
		e.ops[i] = opState{capacity: 1, onShift: true, skills: math.MaxUint16, level: [2]Level{LevelNative, LevelNative}, handle: e.handle}
		e.idle = append(e.idle, int32(c-1-i))
	}
}

// addPool sets up the pool's chat operators with their shifts.
func (e *engine) addPool(p *Pool) {
	e.matched = true
	for _, op := range p.ChatOperators() {
		s := opState{op: op, capacity: op.Concurrent, handle: newSampler(op.Handle)}
		for code, i := range langIndex {
			s.level[i] = op.Level(code)
		}
		for gi, g := range TopicGroups {
			if op.HasSkill(g) {
				s.skills |= 1 << gi
			}
		}
		s.onShift = op.OnShift(e.start, e.loc)
		e.ops = append(e.ops, s)
	}
	for i := range e.ops {
		e.scheduleShift(int32(i))
	}
}

func (e *engine) scheduleShift(oi int32) {
	o := &e.ops[oi]
	next := nextShiftChange(o.op.Shifts, e.clock(e.now), e.loc)
	if next.IsZero() {
		return
	}
	e.schedule(event{t: e.seconds(next), kind: evShift, op: oi})
}

func (e *engine) newChat() int32 {
	var ci int32
	if n := len(e.free); n > 0 {
		ci = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		e.chats = append(e.chats, chat{})
		ci = int32(len(e.chats) - 1)
	}
	e.nextSerial++
	e.chats[ci] = chat{serial: e.nextSerial, arrive: e.now, op: -1, prevOp: -1, gen: e.chats[ci].gen + 1, qserial: e.chats[ci].qserial}
	return ci
}

func (e *engine) releaseChat(ci int32) {
	c := &e.chats[ci]
	c.state = chatFree
	c.gen++
	c.packet = nil
	e.free = append(e.free, ci)
}

// eligible reports whether operator oi may take chat ci now.
func (e *engine) eligible(oi int32, ci int32) bool {
	o := &e.ops[oi]
	if !o.onShift || o.busy >= o.capacity {
		return false
	}
	if !e.matched {
		return true
	}
	c := &e.chats[ci]
	lv := o.level[c.lang]
	if lv == LevelNone || (c.nativeOnly && lv != LevelNative) {
		return false
	}
	return o.skills&(1<<c.group) != 0
}

// pickOperator returns the best free operator for chat ci, or -1: the
// strongest speaker of the customer's language, then the least loaded.
func (e *engine) pickOperator(ci int32, exclude int32) int32 {
	if !e.matched {
		if n := len(e.idle); n > 0 {
			oi := e.idle[n-1]
			e.idle = e.idle[:n-1]
			return oi
		}
		return -1
	}
	best := int32(-1)
	c := &e.chats[ci]
	for i := range e.ops {
		oi := int32(i)
		if oi == exclude || !e.eligible(oi, ci) {
			continue
		}
		if best < 0 {
			best = oi
			continue
		}
		a, b := &e.ops[oi], &e.ops[best]
		if a.level[c.lang] > b.level[c.lang] || (a.level[c.lang] == b.level[c.lang] && a.busy*b.capacity < b.busy*a.capacity) {
			best = oi
		}
	}
	return best
}

func (e *engine) enqueue(ci int32, front bool) {
	c := &e.chats[ci]
	c.state = chatQueued
	c.qserial++
	c.gen++
	entry := queueEntry{chat: ci, qserial: c.qserial}
	if front {
		e.queues[c.class].pushFront(entry)
	} else {
		e.queues[c.class].push(entry)
	}
}

func (e *engine) live(q queueEntry) bool {
	c := &e.chats[q.chat]
	return c.state == chatQueued && c.qserial == q.qserial
}

// arrive brings a new chat in: straight to a free operator, or the queue.
func (e *engine) arrive(ci int32) {
	c := &e.chats[ci]
	if c.counted {
		e.st.offered++
	}
	e.obsEvent(ObsArrive, ci, -1, "")
	if oi := e.pickOperator(ci, -1); oi >= 0 {
		e.assign(ci, oi)
		return
	}
	e.enqueue(ci, false)
	if e.patienceMean > 0 && !c.focus {
		e.schedule(event{t: e.now + e.rng.ExpFloat64()*e.patienceMean, kind: evAbandon, chat: ci, gen: c.gen})
	}
	e.changed()
}

func (e *engine) changed() {
	if e.hooks != nil {
		e.hooks.queueChanged(e)
	}
}

// assign starts (or resumes, after a transfer) service of chat ci by oi.
func (e *engine) assign(ci int32, oi int32) {
	c := &e.chats[ci]
	o := &e.ops[oi]
	if c.state == chatServing {
		e.st.lostOrTwice++ // must never happen: a chat served by two operators at once
	}
	o.account(e.now)
	o.busy++
	if e.matched {
		o.chats = append(o.chats, ci)
	}
	c.state = chatServing
	c.gen++
	c.op = oi
	c.servStart = e.now
	if p := c.packet; p != nil && len(p.Transfers) > 0 && p.Transfers[len(p.Transfers)-1].To == "" {
		p.Transfers[len(p.Transfers)-1].To = e.opID(oi)
	}
	if !c.answered {
		c.answered = true
		wait := e.now - c.arrive
		if c.counted {
			e.st.answered++
			if !e.noWaitStats {
				e.st.waits.add(wait)
			}
			if wait > 0 {
				e.st.waitedAny++
			}
			if wait <= 20 {
				e.st.sl20++
			}
			if wait <= 60 {
				e.st.sl60++
			}
			if wait <= 120 {
				e.st.sl120++
			}
		}
		o.answered++
		c.remaining = o.handle.draw(e.rng)
	}
	if c.focus {
		e.hooks.focusAssigned(e, ci, oi)
		return
	}
	e.obsEvent(ObsAssign, ci, oi, "")
	ev := event{t: e.now + c.remaining, kind: evFinish, chat: ci, op: oi, gen: c.gen}
	if u := e.rng.Float64(); u < e.faults.LineFault+e.faults.Timeout {
		ev.kind = evFault
		if u >= e.faults.LineFault {
			ev.aux = 1
		}
		ev.t = e.now + e.rng.Float64()*c.remaining
	}
	if c.packet != nil {
		e.converse(ci, oi, ev.t)
	}
	e.schedule(ev)
}

// unassign frees oi's slot held by chat ci and offers it to the queue.
func (e *engine) unassign(ci int32, oi int32) {
	o := &e.ops[oi]
	o.account(e.now)
	o.busy--
	if e.matched {
		for i, x := range o.chats {
			if x == ci {
				o.chats = append(o.chats[:i], o.chats[i+1:]...)
				break
			}
		}
	} else {
		e.idle = append(e.idle, oi)
	}
	c := &e.chats[ci]
	c.op = -1
}

// dispatch gives free capacity of oi to the queue, best class first.
func (e *engine) dispatch(oi int32) {
	for e.ops[oi].onShift && e.ops[oi].busy < e.ops[oi].capacity {
		ci := e.takeFor(oi)
		if ci < 0 {
			return
		}
		if !e.matched {
			// agents mode: oi is in idle; take it out.
			for i := len(e.idle) - 1; i >= 0; i-- {
				if e.idle[i] == oi {
					e.idle = append(e.idle[:i], e.idle[i+1:]...)
					break
				}
			}
		}
		e.assign(ci, oi)
		e.changed()
	}
}

// takeFor removes and returns the first queued chat oi may take, or -1.
func (e *engine) takeFor(oi int32) int32 {
	for k := range e.queues {
		q := &e.queues[k]
		for q.head < len(q.items) && !e.live(q.items[q.head]) {
			q.head++
		}
		for i := q.head; i < len(q.items); i++ {
			it := q.items[i]
			if !e.live(it) {
				continue
			}
			if e.eligible(oi, it.chat) {
				if i == q.head {
					q.head++
				}
				return it.chat
			}
			if !e.matched {
				break
			}
		}
	}
	return -1
}

// finish ends a chat: resolved.
func (e *engine) finish(ci int32) {
	c := &e.chats[ci]
	oi := c.op
	if c.state != chatServing {
		e.st.lostOrTwice++
		return
	}
	if c.counted {
		e.st.resolved++
	}
	e.obsEvent(ObsResolve, ci, oi, "")
	e.unassign(ci, oi)
	e.releaseChat(ci)
	e.dispatch(oi)
}

// transfer moves a chat away from its operator, with the packet, to the next
// operator or the front of the handover queue.
func (e *engine) transfer(ci int32, cause Cause) {
	c := &e.chats[ci]
	from := c.op
	c.remaining = math.Max(0, c.remaining-(e.now-c.servStart))
	e.unassign(ci, from)
	c.transfers++
	c.prevOp = from
	c.class = ClassHandover
	if c.counted {
		e.st.transfers++
	}
	if c.packet != nil {
		c.packet.Transfers = append(c.packet.Transfers, Transfer{At: e.clock(e.now), From: e.opID(from), Cause: cause})
	}
	e.obsEvent(ObsTransfer, ci, from, cause)
	if c.focus {
		e.hooks.focusTransferred(e, ci, from, cause)
	}
	c.state = chatMoving
	c.gen++
	if to := e.pickOperator(ci, from); to >= 0 {
		e.assign(ci, to)
	} else {
		e.enqueue(ci, true)
		e.changed()
	}
	if e.ops[from].onShift {
		e.dispatch(from)
	}
}

func (e *engine) opID(oi int32) string {
	if oi < 0 {
		return ""
	}
	if o := e.ops[oi].op; o != nil {
		return o.ID
	}
	return "agent-" + strconv.Itoa(int(oi)+1)
}

// itoa remains only for callbacks.go (owned elsewhere); new code calls
// strconv.Itoa directly.

// shift flips an operator's on-shift state at a shift boundary.
func (e *engine) shift(oi int32) {
	o := &e.ops[oi]
	o.account(e.now)
	o.onShift = o.op.OnShift(e.clock(e.now), e.loc)
	if o.onShift {
		e.dispatch(oi)
	} else {
		for len(o.chats) > 0 {
			e.transfer(o.chats[0], CauseShiftEnd)
		}
	}
	e.scheduleShift(oi)
}

// step handles one event; stale ones (their chat moved on) do nothing.
func (e *engine) step(ev event) {
	e.now = ev.t
	switch ev.kind {
	case evFinish:
		if c := &e.chats[ev.chat]; c.gen == ev.gen && c.state == chatServing {
			e.finish(ev.chat)
		}
	case evFault:
		if c := &e.chats[ev.chat]; c.gen == ev.gen && c.state == chatServing {
			cause := CauseLineFault
			if ev.aux == 1 {
				cause = CauseTimeout
			}
			e.transfer(ev.chat, cause)
		}
	case evAbandon:
		if c := &e.chats[ev.chat]; c.gen == ev.gen && c.state == chatQueued {
			if c.counted {
				e.st.abandoned++
			}
			e.obsEvent(ObsAbandon, ev.chat, -1, "")
			e.releaseChat(ev.chat)
			e.changed()
		}
	case evArrival:
		e.customers++
		e.scheduleArrival(ev.t)
		e.gen.customer(e)
	case evShift:
		e.shift(ev.op)
	case evFocus:
		e.hooks.focusEvent(e, ev)
	}
}

// waitHistogram keeps waits in 10 ms buckets up to an hour (and the rare
// longer ones as they are), so percentiles need no sort of millions of values.
type waitHistogram struct {
	n       int
	sum     float64
	buckets []uint32
	long    []float64
}

const (
	waitBucket  = 0.01 // seconds
	waitBuckets = 360000
)

func (h *waitHistogram) add(w float64) {
	h.n++
	h.sum += w
	if w >= waitBucket*waitBuckets {
		h.long = append(h.long, w)
		return
	}
	if h.buckets == nil {
		h.buckets = make([]uint32, waitBuckets)
	}
	h.buckets[int(w/waitBucket)]++
}

// quantile returns the q-quantile (nearest rank), to the bucket's lower
// edge.
func (h *waitHistogram) quantile(q float64) float64 {
	rank := int(q * float64(h.n-1)) // 0-based
	seen := 0
	for i, c := range h.buckets {
		seen += int(c)
		if seen > rank {
			return float64(i) * waitBucket
		}
	}
	slices.Sort(h.long)
	return h.long[rank-seen]
}

// scheduleArrival schedules the next customer after t, unless arrivals have
// stopped.
func (e *engine) scheduleArrival(t float64) {
	if e.gen == nil || (e.maxCustomers > 0 && e.customers >= e.maxCustomers) {
		return
	}
	if next, ok := e.gen.next(e, t); ok && (e.horizon <= 0 || next < e.horizon) {
		e.schedule(event{t: next, kind: evArrival})
	}
}

// flush brings utilisation accounting up to now.
func (e *engine) flush() {
	for i := range e.ops {
		e.ops[i].account(e.now)
	}
}
