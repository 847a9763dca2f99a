package live

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/handoff/training"
	"tsunagu/transcripts/termsafe"
)

// Role is what a signed-in person does at the desk.
type Role string

// The roles a desk key can name.
const (
	// RoleOperator takes customers' chats.
	RoleOperator Role = "operator"
	// RoleTrainee takes the role-play chats a trainer routes to them and is
	// scored at the close.
	RoleTrainee Role = "trainee"
	// RoleTrainer plays scenarios' customers for trainees and watches any
	// chat read-only.
	RoleTrainer Role = "trainer"
)

// Roles lists the roles in the order help texts name them.
var Roles = []Role{RoleOperator, RoleTrainee, RoleTrainer}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("%q is not a role; use operator, trainee or trainer", s)
	}
	return r, nil
}

// State is where a chat on the floor stands.
type State string

// Chat states.
const (
	StateWaiting   State = "waiting"   // offered to the people who can take it
	StatePerson    State = "person"    // a signed-in person has it
	StateSimulated State = "simulated" // simulated operators have it
	StateClosed    State = "closed"    // over
)

// DefaultClaimWindow is how long a chat is offered to signed-in people
// before the simulated operators take it.
const DefaultClaimWindow = 45 * time.Second

// MaxText is the longest line a person can send, in characters: what a
// customer's input box takes too.
const MaxText = 10000

// Config sets up a floor.
type Config struct {
	Pool  *handoff.Pool
	Clock handoff.Clock
	// Knowledge is what operators know per intent; it is read when a
	// role-play starts (the bot's rules load after the server starts, so
	// this is a function).
	Knowledge func() handoff.Knowledge
	// Callbacks books the phone calls people promise; nil makes one on Pool.
	Callbacks *handoff.Callbacks
	// ClaimWindow: 0 means DefaultClaimWindow.
	ClaimWindow time.Duration
	// SaveScorecard stores a role-play's scorecard with its transcript; its
	// error is shown to the trainee and the trainer.
	SaveScorecard func(training.Scorecard) error
	// Seed makes the role-play sessions' random choices repeatable.
	Seed uint64
}

// Floor is the shared desk. Its methods are safe for concurrent use.
type Floor struct {
	mu      sync.Mutex
	cfg     Config
	calls   *handoff.Callbacks
	chats   map[string]*entry
	seats   map[string]*Seat
	plays   map[string]*rolePlay // by conversation id, before the chat escalates
	unsaved []*rolePlay          // scored, waiting to be stored (see saveCards)
	seq     uint64               // arrival order of chats
	version uint64
}

// New opens a floor.
func New(cfg Config) (*Floor, error) {
	if cfg.Pool == nil {
		return nil, errors.New("the shared desk needs an operator pool")
	}
	if cfg.Clock == nil {
		return nil, errors.New("the shared desk needs a clock")
	}
	if cfg.ClaimWindow <= 0 {
		cfg.ClaimWindow = DefaultClaimWindow
	}
	calls := cfg.Callbacks
	if calls == nil {
		calls = handoff.NewCallbacks(cfg.Pool)
	}
	return &Floor{cfg: cfg, calls: calls, chats: map[string]*entry{}, seats: map[string]*Seat{},
		plays: map[string]*rolePlay{}}, nil
}

// Version changes whenever anything on the floor changes: screens redraw
// when it moves.
func (f *Floor) Version() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version
}

func (f *Floor) changed() { f.version++ }

// locked runs fn holding the floor's lock, and lets go of it even when fn
// panics: one session's failure must not freeze the desk for everyone.
func (f *Floor) locked(fn func() error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fn()
}

// lockedSaving is locked, then stores the scorecards fn made, outside the
// lock: a store write (an fsync) must not hold up every screen.
func (f *Floor) lockedSaving(fn func() error) error {
	err := f.locked(fn)
	f.saveCards()
	return err
}

// saveCards stores the scorecards waiting to be stored.
func (f *Floor) saveCards() {
	var todo []*rolePlay
	_ = f.locked(func() error {
		todo, f.unsaved = f.unsaved, nil
		return nil
	})
	if len(todo) == 0 {
		return
	}
	errs := make([]error, len(todo))
	if f.cfg.SaveScorecard != nil {
		for i, p := range todo {
			errs[i] = f.cfg.SaveScorecard(*p.card)
		}
	}
	_ = f.locked(func() error {
		for i, p := range todo {
			p.saveErr = errs[i]
		}
		f.changed()
		return nil
	})
}

// prune forgets chats closed longer ago than closedShown, with their
// packets and simulated desks; their conversations are in the store.
func (f *Floor) prune(now time.Time) {
	for id, e := range f.chats {
		if e.state == StateClosed && now.Sub(e.closedAt) > closedShown {
			delete(f.chats, id)
		}
	}
}

func (f *Floor) now() time.Time { return f.cfg.Clock.Now() }

// entry is one chat on the floor.
type entry struct {
	id         string
	seq        uint64
	lang       string
	customer   string
	packet     *handoff.Packet // the floor's while waiting or with a person
	class      handoff.Class
	nativeOnly bool
	group      string
	queuedAt   time.Time
	deadline   time.Time // zero: no claim window (a role-play waits for its trainee)
	state      State
	holder     *Seat
	target     string // only this operator may take it (a named transfer, a role-play)
	lastOp     string // the last operator, for the handover greeting
	lastOpName string
	sim        SimDesk
	out        []handoff.Event // for the customer's next Advance
	lines      []Line          // what people see: the whole conversation
	lastPos    int
	lastWait   time.Duration
	closedAt   time.Time
	left       bool // the customer closed or left
	awaiting   string
	booked     bool // a person booked a call: one per chat
	play       *rolePlay
}

// rolePlay is a trainer playing a scenario's customer for a trainee.
type rolePlay struct {
	scenario *training.Scenario
	lang     string
	trainee  string
	trainer  string
	session  *training.Session
	card     *training.Scorecard
	saveErr  error
	// done: the trainee transferred the chat; colleagues serve the trainer
	// from then on, and the entry keeps the card for both screens.
	done bool
}

// playing reports that e is a role-play still routed to its trainee.
func (e *entry) playing() bool { return e.play != nil && !e.play.done }

// Seat is one signed-in person.
type Seat struct {
	f    *Floor
	op   *handoff.Operator
	role Role
	out  bool // signed out
}

// ErrSignedIn is returned when the operator already has a seat.
var ErrSignedIn = errors.New("this operator is already signed in at the desk")

// SignIn seats the pool's operator id in role.
func (f *Floor) SignIn(operatorID string, role Role) (*Seat, error) {
	if !slices.Contains(Roles, role) {
		return nil, fmt.Errorf("%q is not a role", role)
	}
	op, ok := f.cfg.Pool.Operator(operatorID)
	if !ok {
		return nil, fmt.Errorf("there is no operator %q in the pool", operatorID)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, taken := f.seats[operatorID]; taken {
		return nil, ErrSignedIn
	}
	s := &Seat{f: f, op: op, role: role}
	f.seats[operatorID] = s
	f.changed()
	return s, nil
}

// Operator is the seat's operator of the pool.
func (s *Seat) Operator() *handoff.Operator { return s.op }

// Role is what the seat does.
func (s *Seat) Role() Role { return s.role }

// SignOut frees the seat. The person's chats go back to the queue with
// their packets (a role-play waits for its trainee to come back); the
// trainer's role-plays end when their customer conversations are closed
// by the app.
func (s *Seat) SignOut() {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.out {
		return
	}
	s.out = true
	delete(f.seats, s.op.ID)
	now := f.now()
	for _, e := range f.chats {
		if e.state == StatePerson && e.holder == s {
			f.leave(e, s, handoff.CauseShiftEnd, now)
			if e.playing() {
				// A role-play waits for its trainee, however long.
				e.target, e.deadline = s.op.ID, time.Time{}
			} else {
				e.target = ""
				f.offer(e, now)
			}
		}
	}
	for id, p := range f.plays {
		// A role-play that has not reached a person yet is a customer's
		// chat like any other once its trainer or trainee is gone.
		if p.trainer == s.op.ID || p.trainee == s.op.ID {
			delete(f.plays, id)
		}
	}
	f.changed()
}

// offer gives the people who can take e the claim window, or hands it to
// the simulated operators at once (the next Advance) when nobody can.
func (f *Floor) offer(e *entry, now time.Time) {
	e.deadline = now
	if f.anyoneFor(e) {
		e.deadline = now.Add(f.cfg.ClaimWindow)
	}
}

// leave takes e from its person: the customer sees them leave; e waits.
func (f *Floor) leave(e *entry, s *Seat, cause handoff.Cause, now time.Time) {
	info := handoff.InfoOf(s.op, e.lang)
	e.out = append(e.out, handoff.Event{At: now, Kind: handoff.EventLeft, Operator: info, Cause: cause})
	e.packet.Transfers = append(e.packet.Transfers, handoff.Transfer{At: now, From: s.op.ID, Cause: cause})
	e.lines = append(e.lines, eventLine(now, LineLeft, s.op.ID, cause))
	e.state, e.holder = StateWaiting, nil
	e.lastOp, e.lastOpName = s.op.ID, s.op.DisplayName(e.lang)
	e.deadline = now.Add(f.cfg.ClaimWindow)
	e.lastPos = 0
}

// Refusal says why a person cannot do something to a chat; Code is
// stable, for screens to word in their language.
type Refusal struct {
	Code string
}

// Refusal codes.
const (
	NoSuchChat   = "no_such_chat" // the chat is not on the floor
	NotWaiting   = "not_waiting"  // someone else has it, or it is over
	NotYours     = "not_yours"    // the chat is with someone else
	WrongRole    = "wrong_role"   // the role cannot do this
	NoLanguage   = "no_language"  // the person does not speak the customer's language
	NotNative    = "not_native"   // the customer asked for a native speaker
	NoSkill      = "no_skill"     // not the person's topic group
	Full         = "full"         // the person has as many chats as they can handle
	Reserved     = "reserved"     // kept for another person (a named transfer, a role-play)
	Closed       = "closed"       // the chat is over
	EmptyText    = "empty"        // nothing to send
	UnknownFact  = "unknown_fact" // not a fact operators ask for
	NoSuchPerson = "no_such_person"
	SignedOut    = "signed_out"
	Booked       = "booked" // a call is already booked for this chat
)

// RefusalCodes lists every Refusal code, for screens that word them all.
var RefusalCodes = []string{NoSuchChat, NotWaiting, NotYours, WrongRole, NoLanguage, NotNative, NoSkill, Full,
	Reserved, Closed, EmptyText, UnknownFact, NoSuchPerson, SignedOut, Booked}

func (r *Refusal) Error() string { return "refused: " + r.Code }

func refuse(code string) error { return &Refusal{Code: code} }

// capacity is how many chats op handles at once.
func capacity(op *handoff.Operator) int { return max(1, op.Concurrent) }

func (f *Floor) holding(s *Seat) int {
	n := 0
	for _, e := range f.chats {
		if e.state == StatePerson && e.holder == s {
			n++
		}
	}
	return n
}

// whyNot says why s cannot take e now; "" when it can.
func (f *Floor) whyNot(s *Seat, e *entry) string {
	switch {
	case s.out:
		return SignedOut
	case e.state == StateClosed:
		return Closed
	case e.state != StateWaiting:
		return NotWaiting
	case e.target != "" && e.target != s.op.ID:
		return Reserved
	case e.playing():
		if s.role != RoleTrainee {
			return WrongRole
		}
	case s.role != RoleOperator:
		return WrongRole
	}
	lv := s.op.Level(e.lang)
	switch {
	case lv == handoff.LevelNone:
		return NoLanguage
	case e.nativeOnly && lv != handoff.LevelNative:
		return NotNative
	case !e.playing() && (s.op.Phone || !s.op.HasSkill(e.group)):
		return NoSkill
	case f.holding(s) >= capacity(s.op):
		return Full
	}
	return ""
}

// anyoneFor reports that a signed-in person could take e now.
func (f *Floor) anyoneFor(e *entry) bool {
	for _, s := range f.seats {
		if f.whyNot(s, e) == "" {
			return true
		}
	}
	return false
}

func (f *Floor) chat(id string) (*entry, error) {
	e, ok := f.chats[id]
	if !ok {
		return nil, refuse(NoSuchChat)
	}
	return e, nil
}

// Take gives the waiting chat id to the person: the customer sees them
// join (with the handover from the last operator, if there was one).
func (s *Seat) Take(id string) error {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.chat(id)
	if err != nil {
		return err
	}
	if why := f.whyNot(s, e); why != "" {
		return refuse(why)
	}
	now := f.now()
	info := handoff.InfoOf(s.op, e.lang)
	ev := handoff.Event{At: now, Kind: handoff.EventJoined, Operator: info}
	if e.lastOp != "" {
		ev.Back = e.lastOp == s.op.ID
		ev.Handover = !ev.Back
		if ev.Handover {
			ev.From = e.lastOpName
			if n := len(e.packet.Transfers); n > 0 && e.packet.Transfers[n-1].To == "" {
				e.packet.Transfers[n-1].To = s.op.ID
			}
		}
	}
	e.out = append(e.out, ev)
	e.lines = append(e.lines, eventLine(now, LineJoined, s.op.ID, ""))
	e.state, e.holder, e.target = StatePerson, s, ""
	if p := e.play; e.playing() && p.session == nil {
		p.session, err = training.NewLiveSession(training.Config{Scenario: p.scenario, Lang: p.lang,
			Seed: f.cfg.Seed, Trainee: s.op.ID, Clock: f.cfg.Clock, Knowledge: f.knowledge(), Pool: f.cfg.Pool},
			e.packet.Clone(), botStage(e.packet))
		if err != nil {
			// The scenario was checked when the role-play started; the
			// chat is still served, only not scored.
			p.saveErr = err
		}
	}
	f.changed()
	return nil
}

func (f *Floor) knowledge() handoff.Knowledge {
	if f.cfg.Knowledge == nil {
		return nil
	}
	return f.cfg.Knowledge()
}

// botStage is the conversation before the first operator: what a trainee
// reads in the packet.
func botStage(p *handoff.Packet) []handoff.Line {
	var out []handoff.Line
	for _, l := range p.Transcript {
		if l.Speaker == handoff.SpeakerOperator {
			break
		}
		out = append(out, l)
	}
	return out
}

// held returns the chat id if s has it.
func (f *Floor) held(s *Seat, id string) (*entry, error) {
	e, err := f.chat(id)
	if err != nil {
		return nil, err
	}
	switch {
	case s.out:
		return nil, refuse(SignedOut)
	case e.state == StateClosed:
		return nil, refuse(Closed)
	case e.state != StatePerson || e.holder != s:
		return nil, refuse(NotYours)
	}
	return e, nil
}

// cleanText makes a person's line safe to store and send, as customers'
// lines are: terminal controls and bidi overrides removed (the shared
// sanitiser), invalid UTF-8 replaced, trimmed, at most MaxText characters.
func cleanText(text string) string {
	text = termsafe.Text(text)
	if utf8.RuneCountInString(text) > MaxText {
		text = string([]rune(text)[:MaxText])
	}
	return strings.TrimSpace(text)
}

// say sends a person's line to the customer.
func (f *Floor) say(e *entry, s *Seat, st handoff.Step, now time.Time) {
	info := handoff.InfoOf(s.op, e.lang)
	e.out = append(e.out, handoff.Event{At: now, Kind: handoff.EventMessage, Operator: info, Step: &st})
	l := handoff.Line{At: now, Speaker: handoff.SpeakerOperator, Name: s.op.ID, Text: st.Text}
	e.packet.Add(l)
	e.lines = append(e.lines, Line{Line: l})
	if p := e.play; p != nil && p.session != nil && p.session.Phase() == training.PhaseHuman {
		_, _ = p.session.Reply(st.Text) // a reply after the session ended is only not scored
	}
	f.changed()
}

// Reply sends text to the customer of a chat the person has.
func (s *Seat) Reply(id, text string) error {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.held(s, id)
	if err != nil {
		return err
	}
	text = cleanText(text)
	if text == "" {
		return refuse(EmptyText)
	}
	f.say(e, s, handoff.Step{Kind: handoff.StepAnswer, Text: text}, f.now())
	return nil
}

// AskFacts are the facts a person can ask for from the console.
var AskFacts = []string{handoff.FactOrderID, handoff.FactItem, handoff.FactEmail, handoff.FactPhone, handoff.FactAmount}

// Ask asks the customer for fact in the words simulated operators use.
// Asking for what the packet already holds is refused: the customer must
// never repeat themselves.
func (s *Seat) Ask(id, fact string) error {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.held(s, id)
	if err != nil {
		return err
	}
	if !slices.Contains(AskFacts, fact) {
		return refuse(UnknownFact)
	}
	if e.packet.Facts.Has(fact) {
		return &KnownFact{Fact: fact, Value: e.packet.Facts.Value(fact)}
	}
	e.awaiting = fact
	f.say(e, s, handoff.Step{Kind: handoff.StepAsk, Fact: fact, Text: handoff.AskText(e.lang, fact)}, f.now())
	return nil
}

// KnownFact refuses asking for a fact the packet holds.
type KnownFact struct {
	Fact, Value string
}

func (k *KnownFact) Error() string { return "the packet already has " + k.Fact }

// Transfer hands a chat on with its packet: to the signed-in operator to
// (who alone may take it during the claim window), or to the queue when to
// is "". In a role-play, team is the trainee's choice of team, which the
// scorecard marks; the simulated team carries on with the trainer.
func (s *Seat) Transfer(id, to string, team training.Team) error {
	f := s.f
	defer f.saveCards() // after the lock is let go
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.held(s, id)
	if err != nil {
		return err
	}
	if to != "" {
		if t, ok := f.seats[to]; !ok || !t.takesTransfersFrom(s) {
			return refuse(NoSuchPerson)
		}
	}
	now := f.now()
	if p := e.play; p != nil && p.session != nil && p.session.Phase() == training.PhaseHuman {
		if team == "" {
			team = training.Teams[0]
		}
		if _, err := p.session.Transfer(team); err != nil {
			return err
		}
		f.score(p)
		to = ""
	}
	f.leave(e, s, handoff.CauseSkill, now)
	e.target = to
	switch {
	case e.playing():
		e.play.done = true // the trainee's part is over: colleagues carry on
		e.deadline = now
	case to == "":
		f.offer(e, now)
	}
	f.changed()
	return nil
}

// takesTransfersFrom reports that t may be handed s's chats: another
// signed-in operator.
func (t *Seat) takesTransfersFrom(s *Seat) bool { return t != s && t.role == RoleOperator }

// BookCallback books a phone call for the customer, to phone or to the
// number in the packet when phone is "".
func (s *Seat) BookCallback(id, phone string) (handoff.Booking, error) {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.held(s, id)
	if err != nil {
		return handoff.Booking{}, err
	}
	if e.booked {
		return handoff.Booking{}, refuse(Booked)
	}
	phone = cleanText(phone)
	if phone == "" {
		phone = e.packet.Facts.Value(handoff.FactPhone)
	}
	now := f.now()
	b, err := f.calls.Book(now, phone)
	if err != nil {
		return handoff.Booking{}, err
	}
	e.booked = true
	e.packet.Facts.Set(handoff.FactPhone, b.Phone)
	bc := b
	e.out = append(e.out, handoff.Event{At: now, Kind: handoff.EventCallback, Operator: handoff.InfoOf(s.op, e.lang), Booking: &bc})
	booked := eventLine(now, LineBooked, s.op.ID, "")
	booked.Text = b.Text(e.lang, f.cfg.Pool.Location)
	e.lines = append(e.lines, booked)
	if p := e.play; p != nil && p.session != nil && p.session.Phase() == training.PhaseHuman {
		_, _ = p.session.BookCallback(b.Phone)
	}
	f.changed()
	return b, nil
}

// Close ends a chat the person has.
func (s *Seat) Close(id string) error {
	f := s.f
	defer f.saveCards() // after the lock is let go
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.held(s, id)
	if err != nil {
		return err
	}
	now := f.now()
	e.out = append(e.out, handoff.Event{At: now, Kind: handoff.EventClosed, Operator: handoff.InfoOf(s.op, e.lang)})
	f.closeEntry(e, now)
	if p := e.play; p != nil && p.session != nil && p.session.Phase() == training.PhaseHuman {
		_ = p.session.Close()
		f.score(p)
	}
	return nil
}

func (f *Floor) closeEntry(e *entry, now time.Time) {
	e.state = StateClosed
	e.closedAt = now
	e.lines = append(e.lines, eventLine(now, LineClosed, "", ""))
	f.changed()
}

// score makes a role-play's scorecard once; it is stored when the floor's
// lock is let go (saveCards).
func (f *Floor) score(p *rolePlay) {
	if p.card != nil || p.session == nil {
		return
	}
	c := p.session.Scorecard()
	p.card = &c
	f.unsaved = append(f.unsaved, p)
	f.changed()
}

// StartRolePlay routes the customer conversation id, which the trainer
// plays as sc's customer in lang, to trainee when it reaches a person. The
// trainee must be signed in as a trainee.
func (s *Seat) StartRolePlay(id string, sc *training.Scenario, lang, trainee string) error {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.out {
		return refuse(SignedOut)
	}
	if s.role != RoleTrainer {
		return refuse(WrongRole)
	}
	t, ok := f.seats[trainee]
	if !ok || t.role != RoleTrainee {
		return refuse(NoSuchPerson)
	}
	if t.op.Level(lang) == handoff.LevelNone {
		return refuse(NoLanguage) // they could never take it
	}
	if sc == nil || !sc.Plays(lang) {
		return fmt.Errorf("the scenario is not written in %s", lang)
	}
	f.plays[id] = &rolePlay{scenario: sc, lang: lang, trainee: trainee, trainer: s.op.ID}
	f.changed()
	return nil
}

// Person is a signed-in person as screens show them.
type Person struct {
	Operator string
	Name     string // in English
	NameJa   string // in Japanese
	Role     Role
	Holding  int
	Capacity int
}

// LineEvent names what a system line of a chat records.
type LineEvent string

// What system lines record; "" is a line someone wrote.
const (
	LineJoined LineEvent = "joined" // Name joined the chat
	LineLeft   LineEvent = "left"   // Name left it: Cause
	LineClosed LineEvent = "closed" // the chat is over
	LineBooked LineEvent = "booked" // Name booked a call: Text says when
)

// Line is one line of a chat as people see it: what someone wrote, or
// (Event) what happened, to the operator Name.
type Line struct {
	handoff.Line
	Event LineEvent
	Cause handoff.Cause // LineLeft
}

func eventLine(at time.Time, ev LineEvent, operator string, cause handoff.Cause) Line {
	return Line{Line: handoff.Line{At: at, Speaker: handoff.SpeakerSystem, Name: operator}, Event: ev, Cause: cause}
}

// ChatView is a chat as a person's screen shows it. Packet and Lines are
// copies, filled only by Chat.
type ChatView struct {
	ID           string
	Customer     string
	Lang         string
	Intent       string
	Reason       bot.Reason
	Class        handoff.Class
	State        State
	Holder       string // operator id of the person or simulated operator
	HolderName   string
	Mine         bool
	Waited       time.Duration // since the chat reached the floor
	Left         time.Duration // of the claim window, while waiting
	WhyNot       string        // why the viewer cannot take it ("" : they can)
	CustomerLeft bool
	Awaiting     string
	RolePlay     bool
	Scenario     string
	Trainee      string
	Trainer      string
	Card         *training.Scorecard
	CardError    error
	Packet       *handoff.Packet
	Lines        []Line
}

// View is the floor as one person sees it.
type View struct {
	Me     Person
	People []Person
	// Targets are the people the viewer may hand a chat to (Transfer).
	Targets []Person
	Chats   []ChatView
	Version uint64
}

// closedShown is how long a closed chat stays on the list.
const closedShown = 5 * time.Minute

// visible reports whether s may see e at all: trainers see everything;
// others see what they can take or have, and what they had.
func (f *Floor) visible(s *Seat, e *entry) bool {
	if s.role == RoleTrainer {
		return true
	}
	if e.holder == s || (e.play != nil && e.play.trainee == s.op.ID) {
		return true
	}
	if e.state != StateWaiting {
		return false
	}
	why := f.whyNot(s, e)
	return why == "" || why == Full
}

// Snapshot is the floor as s sees it now, newest activity last.
func (s *Seat) Snapshot() View {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	f.prune(now)
	v := View{Version: f.version, Me: f.person(s)}
	for _, o := range f.seats {
		v.People = append(v.People, f.person(o))
		if o.takesTransfersFrom(s) {
			v.Targets = append(v.Targets, f.person(o))
		}
	}
	for _, ps := range [][]Person{v.People, v.Targets} {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Operator < ps[j].Operator })
	}
	var es []*entry
	for _, e := range f.chats {
		if e.state == StateClosed && now.Sub(e.closedAt) > closedShown {
			continue
		}
		if f.visible(s, e) {
			es = append(es, e)
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].seq < es[j].seq })
	for _, e := range es {
		v.Chats = append(v.Chats, f.view(s, e, now, false))
	}
	return v
}

// Chat is one chat with its packet and lines, if s may see it.
func (s *Seat) Chat(id string) (ChatView, error) {
	f := s.f
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.chat(id)
	if err != nil {
		return ChatView{}, err
	}
	if !f.visible(s, e) && !(e.state == StateClosed && e.holder == s) {
		return ChatView{}, refuse(NotYours)
	}
	return f.view(s, e, f.now(), true), nil
}

func (f *Floor) person(s *Seat) Person {
	return Person{Operator: s.op.ID, Name: s.op.DisplayName("en"), NameJa: s.op.DisplayName("ja"), Role: s.role,
		Holding: f.holding(s), Capacity: capacity(s.op)}
}

// NameIn is the person's name in lang.
func (p Person) NameIn(lang string) string {
	if lang == "ja" && p.NameJa != "" {
		return p.NameJa
	}
	return p.Name
}

func (f *Floor) view(s *Seat, e *entry, now time.Time, full bool) ChatView {
	v := ChatView{ID: e.id, Customer: e.customer, Lang: e.lang, Intent: e.packet.Facts.Topic.Intent,
		Reason: e.packet.Reason, Class: e.class, State: e.state, Mine: e.holder == s && e.state == StatePerson,
		Waited: now.Sub(e.queuedAt), CustomerLeft: e.left, Awaiting: e.awaiting}
	if e.holder != nil {
		v.Holder, v.HolderName = e.holder.op.ID, e.holder.op.Name
	} else if e.state == StateSimulated {
		v.Holder, v.HolderName = e.lastOp, e.lastOpName
	}
	if e.state == StateWaiting {
		v.WhyNot = f.whyNot(s, e)
		if !e.deadline.IsZero() {
			v.Left = max(0, e.deadline.Sub(now))
		}
	}
	if p := e.play; p != nil {
		v.RolePlay, v.Scenario, v.Trainee, v.Trainer = true, p.scenario.ID, p.trainee, p.trainer
		v.Card, v.CardError = p.card, p.saveErr
	}
	if full {
		v.Packet = e.packet.Clone()
		v.Lines = slices.Clone(e.lines)
	}
	return v
}

// validText reports whether a line is worth keeping as the customer's.
func validText(s string) bool { return utf8.ValidString(s) && strings.TrimSpace(s) != "" }

// errSecondChat: a conversation reaches the floor once at a time.
var errSecondChat = errors.New("this conversation already has a chat on the shared desk")

// CoverPool is the pool a chat's simulated desk covers with: the people
// signed in now serve as themselves, so their simulated doubles are off
// shift (they stay in the pool, so a simulated colleague taking over from
// one of them greets with the handover). When every chat operator is
// signed in it is the whole pool, so a chat nobody takes is still answered.
func (f *Floor) CoverPool() *handoff.Pool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seats) == 0 {
		return f.cfg.Pool
	}
	p := *f.cfg.Pool
	p.Operators = slices.Clone(f.cfg.Pool.Operators)
	covering := 0
	for i := range p.Operators {
		op := &p.Operators[i]
		if _, in := f.seats[op.ID]; in {
			op.Shifts = nil
			continue
		}
		if !op.Phone {
			covering++
		}
	}
	if covering == 0 {
		return f.cfg.Pool
	}
	return &p
}

// NameOf is how the pool's operator id is named in lang (the id itself
// when the pool has no such operator).
func (s *Seat) NameOf(id, lang string) string {
	if op, ok := s.f.cfg.Pool.Operator(id); ok {
		return op.DisplayName(lang)
	}
	return id
}
