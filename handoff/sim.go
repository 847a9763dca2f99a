package handoff

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"tsunagu/bot"
)

// SimConfig describes one simulation run.
type SimConfig struct {
	// Agents > 0 simulates that many identical operators with every skill and
	// language, always on shift, with Handle as their handle time and no
	// faults (the M/M/c set-up). Otherwise Pool is used, with its shifts,
	// routing and faults.
	Agents int
	Handle HandleTime
	Pool   *Pool

	ArrivalsPerHour float64
	// Profile, when it has 24 entries, gives the arrival rate for each hour
	// of the day in the pool's time zone instead of ArrivalsPerHour.
	Profile []float64

	// Patience is the mean time a customer waits before giving up
	// (exponential). Zero means nobody abandons.
	Patience time.Duration

	Duration time.Duration // simulated time; arrivals stop at the end
	// MaxCustomers, when > 0, stops arrivals after that many customers.
	MaxCustomers int
	// Warmup excludes customers arriving in the first part of the run from the
	// statistics, so an empty start does not bias them.
	Warmup time.Duration
	Start  time.Time // simulated start (matters for shifts); zero = 2026-01-05 00:00 in the pool's zone
	Seed   uint64

	// Knowledge and Intents turn on conversation modelling (pool mode only):
	// every chat carries a real Packet, operators greet, ask for missing facts
	// and resolve from Knowledge, and every transfer carries the packet.
	Knowledge Knowledge
	Intents   []string
	// NativeOnlyShare is the share of customers who ask for a native speaker.
	NativeOnlyShare float64
	// JapaneseShare is the share of customers writing in Japanese (default 0.7).
	JapaneseShare float64
	// Faults override the pool's fault rates when non-nil.
	Faults *Faults

	// Observer, when set, sees every step of every chat (for tests).
	Observer Observer
}

// ObsKind is a kind of observed simulation step.
type ObsKind uint8

// Observed steps.
const (
	ObsArrive ObsKind = iota
	ObsAssign
	ObsAsk
	ObsTransfer
	ObsResolve
	ObsAbandon
)

// ObsEvent is one step of one chat, for tests that check invariants.
type ObsEvent struct {
	Kind     ObsKind
	At       float64 // seconds since start
	Chat     uint64  // unique per chat
	Operator string
	Fact     string // ObsAsk: the fact asked for
	Cause    Cause  // ObsTransfer
	Packet   *Packet
	// HadFact is, for ObsAsk, whether the packet already held the fact when
	// the operator asked: always false unless the invariant is broken.
	HadFact bool
}

// Observer receives simulation steps.
type Observer func(ObsEvent)

func (e *engine) obsEvent(kind ObsKind, ci, oi int32, cause Cause) {
	if e.obs == nil {
		return
	}
	c := &e.chats[ci]
	e.obs(ObsEvent{Kind: kind, At: e.now, Chat: c.serial, Operator: e.opID(oi), Cause: cause, Packet: c.packet})
}

// OperatorStats is one operator's share of a pool simulation.
type OperatorStats struct {
	ID          string  `json:"id"`
	Answered    int     `json:"answered"`
	Utilisation float64 `json:"utilisation"`
}

// Result is the JSON output of `tsunagu sim`.
type Result struct {
	Offered         int                `json:"offered"`
	Answered        int                `json:"answered"`
	Abandoned       int                `json:"abandoned"`
	Resolved        int                `json:"resolved"`
	InSystemAtEnd   int                `json:"in_system_at_end"`
	WaitMean        float64            `json:"wait_mean_s"`
	WaitP50         float64            `json:"wait_p50_s"`
	WaitP90         float64            `json:"wait_p90_s"`
	PWait           float64            `json:"p_wait"`
	ServiceLevel    map[string]float64 `json:"service_level"`
	Utilisation     float64            `json:"utilisation"`
	Transfers       int                `json:"transfers"`
	RepeatQuestions int                `json:"repeat_questions"`
	Callbacks       int                `json:"callbacks"`
	Operators       []OperatorStats    `json:"operators,omitempty"`
	// Anomalies counts chats lost or served twice; it is always 0 unless the
	// engine is broken, and tests assert so.
	Anomalies int `json:"anomalies"`
}

// Simulate runs a discrete-event simulation of the queue.
func Simulate(cfg SimConfig) (Result, error) {
	e, err := newSimEngine(cfg)
	if err != nil {
		return Result{}, err
	}
	e.horizon = cfg.Duration.Seconds()
	e.maxCustomers = cfg.MaxCustomers
	e.warmup = cfg.Warmup.Seconds()
	e.gen = newArrivals(cfg, e)
	e.scheduleArrival(0)
	for len(e.events) > 0 {
		ev := e.events.pop()
		if ev.t > e.horizon {
			e.now = e.horizon
			break
		}
		e.step(ev)
	}
	return e.result(), nil
}

func newSimEngine(cfg SimConfig) (*engine, error) {
	if cfg.ArrivalsPerHour <= 0 && len(cfg.Profile) == 0 {
		return nil, errors.New("the arrival rate must be greater than 0")
	}
	if len(cfg.Profile) != 0 && len(cfg.Profile) != 24 {
		return nil, fmt.Errorf("an hourly profile needs 24 rates, not %d", len(cfg.Profile))
	}
	if cfg.Duration <= 0 {
		return nil, errors.New("the simulated duration must be greater than 0")
	}
	loc := time.UTC
	if cfg.Pool != nil && cfg.Pool.Location != nil {
		loc = cfg.Pool.Location
	}
	start := cfg.Start
	if start.IsZero() {
		start = time.Date(2026, 1, 5, 0, 0, 0, 0, loc)
	}
	e := newEngine(cfg.Seed, start, loc)
	e.patienceMean = cfg.Patience.Seconds()
	switch {
	case cfg.Agents > 0:
		if cfg.Handle.Mean <= 0 {
			return nil, errors.New("the mean handle time must be greater than 0")
		}
		e.addAgents(cfg.Agents, cfg.Handle)
	case cfg.Pool != nil:
		e.addPool(cfg.Pool)
		e.faults = cfg.Pool.Faults
		if cfg.Faults != nil {
			e.faults = *cfg.Faults
		}
	default:
		return nil, errors.New("give either a number of agents or an operator pool")
	}
	e.obs = cfg.Observer
	e.kb = cfg.Knowledge
	return e, nil
}

// arrivals generates customers: Poisson at a constant rate, or by thinning
// against an hourly profile.
type arrivals struct {
	cfg     SimConfig
	maxRate float64 // per second
	jaShare float64
}

func newArrivals(cfg SimConfig, e *engine) *arrivals {
	a := &arrivals{cfg: cfg, maxRate: cfg.ArrivalsPerHour / 3600, jaShare: cfg.JapaneseShare}
	if len(cfg.Profile) == 24 {
		a.maxRate = slices.Max(cfg.Profile) / 3600
	}
	if a.jaShare == 0 {
		a.jaShare = 0.7
	}
	return a
}

func (a *arrivals) next(e *engine, t float64) (float64, bool) {
	if a.maxRate <= 0 {
		return 0, false
	}
	for range 1 << 20 {
		t += e.rng.ExpFloat64() / a.maxRate
		if len(a.cfg.Profile) != 24 {
			return t, true
		}
		h := e.clock(t).In(e.loc).Hour()
		if e.rng.Float64()*a.maxRate*3600 < a.cfg.Profile[h] {
			return t, true
		}
	}
	return 0, false
}

// customer creates the customer arriving now: a callback booking in phone
// hours for some, a chat for the rest.
func (a *arrivals) customer(e *engine) {
	p := a.cfg.Pool
	counted := e.now >= e.warmup
	if a.cfg.Agents == 0 && p != nil && p.CallbackShare > 0 && p.PhoneHours.Open(e.clock(e.now), e.loc) && e.rng.Float64() < p.CallbackShare {
		if counted {
			e.st.callbacks++
		}
		if e.onCallback != nil {
			e.onCallback(e.clock(e.now))
		}
		return
	}
	ci := e.newChat()
	c := &e.chats[ci]
	c.counted = counted
	c.class = ClassNormal
	if a.cfg.Agents == 0 {
		if e.rng.Float64() >= a.jaShare {
			c.lang = 1
		}
		c.nativeOnly = e.rng.Float64() < a.cfg.NativeOnlyShare
		if len(a.cfg.Intents) > 0 {
			c.intent = a.cfg.Intents[e.rng.IntN(len(a.cfg.Intents))]
		}
		c.group = groupIndex(TopicGroup(c.intent))
		reason := bot.ReasonHumanRequested
		switch c.intent {
		case "account_security":
			reason = bot.ReasonSensitive
		case "complaint":
			reason = bot.ReasonComplaint
		}
		c.class = ClassOf(reason)
		if a.cfg.Knowledge != nil {
			c.packet = a.packet(e, c, reason)
		}
	}
	e.arrive(ci)
}

// packet builds the escalation packet of a simulated customer: the bot has
// collected some of the facts the operator will need, never all.
func (a *arrivals) packet(e *engine, c *chat, reason bot.Reason) *Packet {
	lang := langCodes[c.lang]
	f := Facts{Topic: Topic{Intent: c.intent}}
	if e.rng.Float64() < 0.8 {
		f.Customer = Customer{ID: "sim-" + strconv.Itoa(int(c.serial)), Name: "Customer " + strconv.Itoa(int(c.serial))}
	}
	if pb, ok := a.cfg.Knowledge.Playbook(c.intent, lang); ok {
		for _, need := range pb.Needs {
			if e.rng.Float64() < 0.5 {
				f.Set(need, simFactValue(need, c.serial))
			}
		}
	}
	return NewPacket(e.clock(e.now), "sim-"+strconv.Itoa(int(c.serial)), reason, lang, f, nil,
		[]Line{{At: e.clock(e.now), Speaker: SpeakerCustomer, Text: map[string]string{"en": "I need a person, please.", "ja": "担当者と話したいです。"}[lang]}}, a.cfg.Knowledge)
}

// simFactValue is what a simulated customer answers when asked for a fact.
// Values are clearly fictional.
func simFactValue(fact string, serial uint64) string {
	n := int(serial % 10000000)
	switch fact {
	case FactOrderID:
		return fmt.Sprintf("250-%07d-0000000", n)
	case FactEmail:
		return "customer" + strconv.Itoa(n) + "@example.com"
	case FactPhone:
		return fmt.Sprintf("+8190%08d", n)
	case FactAmount:
		return "¥3,980"
	case FactItem:
		return "wireless earbuds"
	case FactCustomer:
		return "Customer " + strconv.Itoa(n)
	}
	return fact + "-" + strconv.Itoa(n)
}

// converse plays the operator's side of a simulated chat from now until
// stop (when the assignment ends or faults): greeting, then asks for missing
// facts spaced through the service time; each ask gets the customer's answer.
func (e *engine) converse(ci, oi int32, stop float64) {
	c := &e.chats[ci]
	p := c.packet
	var prev *Operator
	if c.prevOp >= 0 {
		prev = e.ops[c.prevOp].op
	}
	op := e.ops[oi].op
	b := newBrain(op, p, e.hooksKnowledge(), prev, nil)
	at := e.now
	// At least a second between steps: after many faults the remaining handle
	// time can be so small that adding it to the clock changes nothing, and
	// the loop would never reach stop.
	gap := math.Max(1, math.Min(45, c.remaining/4))
	for at < stop {
		st, ok := b.Next(p)
		if !ok || st.Kind == StepResolve || st.Kind == StepOfferClose {
			break
		}
		p.Add(Line{At: e.clock(at), Speaker: SpeakerOperator, Name: op.ID, Text: st.Text})
		if st.Kind == StepAsk {
			had := p.Facts.Has(st.Fact)
			if had && c.counted {
				e.st.repeatQuestions++
			}
			if e.obs != nil {
				e.obs(ObsEvent{Kind: ObsAsk, At: at, Chat: c.serial, Operator: op.ID, Fact: st.Fact, Packet: p, HadFact: had})
			}
			// The customer answers even if the line drops first: the answer
			// waits in the packet for the next operator.
			at += gap
			p.Add(Line{At: e.clock(math.Min(at, stop)), Speaker: SpeakerCustomer, Text: simFactValue(st.Fact, c.serial)})
			p.Facts.Set(st.Fact, simFactValue(st.Fact, c.serial))
			if at >= stop {
				break
			}
		}
		at += gap
	}
}

func (e *engine) hooksKnowledge() Knowledge { return e.kb }

func (e *engine) result() Result {
	e.flush()
	s := &e.st
	r := Result{
		Offered: s.offered, Answered: s.answered, Abandoned: s.abandoned, Resolved: s.resolved,
		Transfers: s.transfers, RepeatQuestions: s.repeatQuestions, Callbacks: s.callbacks,
		Anomalies: s.lostOrTwice,
	}
	r.InSystemAtEnd = r.Offered - r.Answered - r.Abandoned + (r.Answered - r.Resolved)
	if n := s.waits.n; n > 0 {
		r.WaitMean = s.waits.sum / float64(n)
		r.WaitP50 = s.waits.quantile(0.5)
		r.WaitP90 = s.waits.quantile(0.9)
		r.PWait = float64(s.waitedAny) / float64(n)
	}
	// Service level counts abandoned customers as not answered in time;
	// customers still waiting at the end are left out.
	den := float64(s.answered + s.abandoned)
	r.ServiceLevel = map[string]float64{"20s": 0, "60s": 0, "120s": 0}
	if den > 0 {
		r.ServiceLevel["20s"] = float64(s.sl20) / den
		r.ServiceLevel["60s"] = float64(s.sl60) / den
		r.ServiceLevel["120s"] = float64(s.sl120) / den
	}
	busy, avail := 0.0, 0.0
	for i := range e.ops {
		o := &e.ops[i]
		busy += o.busyTime
		avail += o.shiftTime
		if o.op != nil {
			u := 0.0
			if o.shiftTime > 0 {
				u = o.busyTime / o.shiftTime
			}
			r.Operators = append(r.Operators, OperatorStats{ID: o.op.ID, Answered: o.answered, Utilisation: round4(u)})
		}
	}
	if avail > 0 {
		r.Utilisation = round4(busy / avail)
	}
	r.WaitMean, r.WaitP50, r.WaitP90 = round2(r.WaitMean), round2(r.WaitP50), round2(r.WaitP90)
	r.PWait = round4(r.PWait)
	for k, v := range r.ServiceLevel {
		r.ServiceLevel[k] = round4(v)
	}
	return r
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// ClassOf maps an escalation reason to its queue class.
func ClassOf(r bot.Reason) Class {
	switch r {
	case bot.ReasonSensitive:
		return ClassSensitive
	case bot.ReasonComplaint:
		return ClassComplaint
	}
	return ClassNormal
}
