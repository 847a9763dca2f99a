package training

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"tsunagu/bot"
	"tsunagu/bot/slots"
	"tsunagu/handoff"
)

// Bot is one conversation with the first-line bot, as a session drives it:
// the caller wires the real engine (with the order and topic the contact
// flow collected) behind it. The session keeps no bot logic of its own.
type Bot interface {
	Respond(text string) bot.Decision
}

// Contact is what the contact flow collected before the chat, in lang.
func (s *Scenario) Contact(lang string) handoff.Contact {
	f := handoff.Contact{Lang: lang, SignedIn: s.Customer.Account != "", CustomerID: s.Customer.Account,
		CustomerName: s.Customer.Name.In(lang), Category: s.Topic.Category, Subtopic: s.Topic.Subtopic, Intent: s.Topic.Intent}
	if o := s.Order; o != nil {
		f.Order = &handoff.Order{ID: o.ID, Items: o.Items.In(lang), Date: o.Date, Status: o.Status}
	}
	return f
}

// BotFacts is the contact in the bot's form, for starting the real bot's
// conversation (bot.Engine.NewConversation).
func (s *Scenario) BotFacts(lang string) bot.Facts { return s.Contact(lang).BotFacts() }

// Phase is where a session is.
type Phase string

// Session phases.
const (
	PhaseBot   Phase = "bot"   // the bot stage has not been played yet
	PhaseHuman Phase = "human" // the trainee holds the chat
	PhaseEnded Phase = "ended"
)

// Outcome is how the human stage ended.
type Outcome string

// Outcomes.
const (
	OutcomeOpen        Outcome = ""
	OutcomeClosed      Outcome = "closed"      // the trainee closed the chat
	OutcomeTransferred Outcome = "transferred" // the trainee transferred the chat
	OutcomeLeft        Outcome = "left"        // the customer gave up
)

// Speaker of a chat line in the human stage.
const (
	SpeakerTrainee  = "trainee"
	SpeakerCustomer = handoff.SpeakerCustomer
	SpeakerSystem   = handoff.SpeakerSystem
)

// Line is one line of the trainee's chat, after the handover.
type Line struct {
	At      time.Time `json:"at"`
	Speaker string    `json:"speaker"`
	Text    string    `json:"text"`
	// Mood is the customer's mood after this line (customer lines only).
	Mood int `json:"mood,omitempty"`
	// Fired lists the reaction triggers a trainee line set off.
	Fired []When `json:"fired,omitempty"`
	// Signals is what a trainee line did (trainee lines only).
	Signals *Signals `json:"signals,omitempty"`
	// Action is set for trainee actions other than a reply: transfer,
	// callback, close, wait.
	Action string `json:"action,omitempty"`
	Team   Team   `json:"team,omitempty"`
}

// Config sets a session up.
type Config struct {
	Scenario *Scenario
	Lang     string // ja or en; the customer writes in it
	Seed     uint64
	Trainee  string
	// Start is when the scenario starts when it has no clock of its own.
	Start time.Time
	// Paused makes the clock stand still while the trainee types: each turn
	// advances a virtual clock by a typing estimate. When false, Clock (the
	// real, scaled clock) runs and the screen calls Tick.
	Paused bool
	Clock  handoff.Clock
	// Bot is the real first-line bot for this conversation.
	Bot       Bot
	Knowledge handoff.Knowledge
	// Rules, when set, lets screens name topics and statuses in the
	// customer's language (the same rules the bot uses).
	Rules *bot.Rules
	// Pool supplies phone hours and the time zone for callbacks; nil means
	// the default pool.
	Pool *handoff.Pool
}

// Session is one trainee run of a scenario.
type Session struct {
	cfg     Config
	sc      *Scenario
	lang    string
	rng     *rand.Rand
	clock   handoff.Clock
	virtual *handoff.VirtualClock // set when paused
	live    bool                  // a person plays the customer (NewLiveSession)
	pool    *handoff.Pool
	calls   *handoff.Callbacks

	phase     Phase
	outcome   Outcome
	botStage  []handoff.Line
	decisions []bot.Decision
	packet    *handoff.Packet
	packetAt  time.Time
	lines     []Line
	mood      int
	stepsDone map[string]int // step id → index of the line that gave it
	usedOnce  map[int]bool
	said      map[string]bool // the customer's lines so far: none is said twice
	transfer  Team
	booking   *handoff.Booking
	resolved  bool
	lastHeard time.Time // last customer line (or the packet's arrival)
	impatient bool
	endedAt   time.Time
}

// defaultPool parses the embedded pool once; sessions only read it.
var defaultPool = sync.OnceValue(handoff.DefaultPool)

// ErrEnded is returned by actions after the session has ended.
var ErrEnded = errors.New("the session has ended")

// checkScenario checks what every session needs: a scenario written in
// the session's language.
func (cfg Config) checkScenario() error {
	if cfg.Scenario == nil {
		return errors.New("no scenario given")
	}
	if cfg.Lang != "ja" && cfg.Lang != "en" {
		return fmt.Errorf("language must be ja or en, not %q", cfg.Lang)
	}
	if !cfg.Scenario.Plays(cfg.Lang) {
		return fmt.Errorf("scenario %s is not written in %s", cfg.Scenario.ID, cfg.Lang)
	}
	return nil
}

// NewSession prepares a session; Start plays the bot stage.
func NewSession(cfg Config) (*Session, error) {
	if err := cfg.checkScenario(); err != nil {
		return nil, err
	}
	if cfg.Bot == nil {
		return nil, errors.New("a session needs the bot")
	}
	s := &Session{cfg: cfg, sc: cfg.Scenario, lang: cfg.Lang, phase: PhaseBot,
		rng:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5deece66d)),
		stepsDone: map[string]int{}, usedOnce: map[int]bool{}, said: map[string]bool{}, pool: cfg.Pool}
	if s.pool == nil {
		s.pool = defaultPool()
	}
	s.calls = handoff.NewCallbacks(s.pool)
	start := s.sc.Start(cfg.Start)
	if cfg.Paused || cfg.Clock == nil {
		s.virtual = handoff.NewVirtualClock(start)
		s.clock = s.virtual
	} else {
		s.clock = cfg.Clock
	}
	return s, nil
}

// botPace is how far the virtual clock moves per message in the bot stage:
// the customer typing and the bot answering.
const botPace = 20 * time.Second

// Start plays the scenario's opening messages through the bot. When the bot
// escalates, the packet is built; messages after the escalation join it, as
// a waiting customer's would. A bot that never escalates is an error: the
// scenario's opening does not reach a person with these rules.
func (s *Session) Start() error {
	if s.phase != PhaseBot {
		return nil
	}
	var escalated *bot.Decision
	for _, text := range nonBlank(s.sc.Opening.In(s.lang)) {
		s.tick(botPace)
		at := s.clock.Now()
		cust := handoff.Line{At: at, Speaker: handoff.SpeakerCustomer, Text: text}
		if escalated != nil {
			s.botStage = append(s.botStage, cust)
			s.packet.Add(cust)
			continue
		}
		s.botStage = append(s.botStage, cust)
		d := s.cfg.Bot.Respond(text)
		s.decisions = append(s.decisions, d)
		s.botStage = append(s.botStage, handoff.Line{At: at.Add(time.Second), Speaker: handoff.SpeakerBot, Text: d.Reply})
		if d.Action == bot.ActionEscalate {
			escalated = &d
			s.packet = s.buildPacket(at.Add(time.Second), d.Reason)
		}
	}
	if escalated == nil {
		return fmt.Errorf("the bot did not hand scenario %s over to a person in %s; its opening messages need to reach an escalation with these rules", s.sc.ID, s.lang)
	}
	s.tick(5 * time.Second)
	s.packetAt = s.clock.Now()
	s.lastHeard = s.packetAt
	s.mood = s.sc.startMood()
	s.phase = PhaseHuman
	return nil
}

func (s *Session) buildPacket(at time.Time, reason bot.Reason) *handoff.Packet {
	facts := s.sc.Contact(s.lang).PacketFacts()
	var ds []handoff.Decision
	for _, d := range s.decisions {
		ds = append(ds, handoff.DecisionFrom(d))
	}
	return handoff.NewPacket(at, "training-"+s.sc.ID, reason, s.lang, facts, ds, s.botStage, s.cfg.Knowledge)
}

// tick moves the virtual clock; on the real clock it does nothing.
func (s *Session) tick(d time.Duration) {
	if s.virtual != nil {
		s.virtual.Advance(d)
	}
}

// typingTime estimates how long the simulated customer takes to read and
// type a line: five seconds plus a quarter second per character. The
// trainee's own typing is never charged on the paused clock.
func typingTime(text string) time.Duration {
	return 5*time.Second + time.Duration(len([]rune(text)))*250*time.Millisecond
}

// Phase, Outcome and friends expose the session's state to the screens.
func (s *Session) Phase() Phase                 { return s.phase }
func (s *Session) Outcome() Outcome             { return s.outcome }
func (s *Session) Scenario() *Scenario          { return s.sc }
func (s *Session) Lang() string                 { return s.lang }
func (s *Session) Packet() *handoff.Packet      { return s.packet }
func (s *Session) BotStage() []handoff.Line     { return slices.Clone(s.botStage) }
func (s *Session) BotDecisions() []bot.Decision { return slices.Clone(s.decisions) }
func (s *Session) Lines() []Line                { return slices.Clone(s.lines) }
func (s *Session) Mood() int                    { return s.mood }
func (s *Session) Resolved() bool               { return s.resolved }
func (s *Session) Now() time.Time               { return s.clock.Now() }
func (s *Session) Paused() bool                 { return s.virtual != nil }

// StepsDone returns the ids of the resolution steps given so far.
func (s *Session) StepsDone() []string {
	var out []string
	for _, st := range s.sc.Resolution.Steps {
		if _, ok := s.stepsDone[st.ID]; ok {
			out = append(out, st.ID)
		}
	}
	return out
}

// Turn is what one trainee action led to.
type Turn struct {
	Fired    []When
	Customer *Line // the simulated customer's answer, if any; never in a live session
	Mood     int
	Ended    bool
}

// Reply sends a trainee line to the customer and returns their reaction.
// In a live session the reaction is the mood and the fired rules only: the
// person playing the customer answers with CustomerSays.
func (s *Session) Reply(text string) (Turn, error) {
	if s.phase != PhaseHuman {
		return Turn{}, ErrEnded
	}
	// On the paused clock the trainee's typing costs nothing: the clock
	// really stands still until the line is sent (the card says so). On the
	// real clock the time has already passed.
	s.checkSilence(s.clock.Now())
	if s.phase != PhaseHuman {
		return Turn{Ended: true, Mood: s.mood, Customer: s.lastCustomer()}, nil
	}
	sig := Read(text, s.lang, s.packet, s.sc)
	tl := Line{At: s.clock.Now(), Speaker: SpeakerTrainee, Text: text, Signals: &sig}
	s.lines = append(s.lines, tl)
	idx := len(s.lines) - 1
	s.packet.Add(handoff.Line{At: tl.At, Speaker: handoff.SpeakerOperator, Name: s.cfg.Trainee, Text: text})

	var fired []When
	if sig.Card != "" {
		fired = append(fired, WhenCard)
	}
	if len(sig.AskedKnown) > 0 {
		fired = append(fired, WhenKnownFact)
	}
	if sig.Banned != "" {
		fired = append(fired, WhenBanned)
	}
	// Only a customer writing in their second language struggles with it.
	if sig.Complex != "" && s.sc.Persona == NonNative {
		fired = append(fired, WhenComplex)
	}
	newStep := false
	for _, id := range sig.Steps {
		if _, ok := s.stepsDone[id]; !ok {
			s.stepsDone[id] = idx
			newStep = true
		}
	}
	if !s.resolved && s.conditionsMet() {
		s.resolved = true
		fired = append(fired, WhenResolved)
	}
	if newStep {
		fired = append(fired, WhenStep)
	}
	if len(sig.Matches) > 0 {
		fired = append(fired, WhenMatch)
	}
	if sig.Apology != "" {
		fired = append(fired, WhenApology)
	}
	if sig.Empathy != "" {
		fired = append(fired, WhenEmpathy)
	}
	if sig.Acknowledge != "" {
		fired = append(fired, WhenAcknowledge)
	}
	return s.react(idx, fired, sig.Matches), nil
}

// conditionsMet reports whether every resolution condition holds now.
func (s *Session) conditionsMet() bool {
	for _, st := range s.sc.Resolution.Steps {
		if _, ok := s.stepsDone[st.ID]; !ok {
			return false
		}
	}
	if s.sc.Resolution.Transfer != "" && s.transfer != s.sc.Resolution.Transfer {
		return false
	}
	if s.sc.Resolution.Callback && s.booking == nil {
		return false
	}
	return true
}

// react applies every fired rule's mood change and answers with the
// highest-priority one whose mood change goes the way the mood went (see
// answerFor and lineFor). With nothing fired, the "other" rule answers.
func (s *Session) react(trainee int, fired []When, matches []int) Turn {
	if len(fired) == 0 {
		fired = []When{WhenOther}
	}
	if trainee >= 0 {
		s.lines[trainee].Fired = fired
	}
	var applied []*Reaction
	delta := 0
	for i := range s.sc.Reactions {
		r := &s.sc.Reactions[i]
		if !slices.Contains(fired, r.When) || (r.Once && s.usedOnce[i]) {
			continue
		}
		if r.When == WhenMatch && !slices.Contains(matches, i) {
			continue
		}
		if r.Once {
			s.usedOnce[i] = true
		}
		// Once the case is resolved, small talk and goodbyes no longer
		// puzzle the customer: "other" costs no mood.
		if !(s.resolved && r.When == WhenOther) {
			delta += r.Mood
		}
		applied = append(applied, r)
	}
	answer := answerFor(applied, delta)
	if answer == nil {
		// Every fired rule was used up: the customer still answers.
		answer = s.rule(WhenOther)
	}
	s.mood = min(100, max(0, s.mood+delta))
	turn := Turn{Fired: fired}
	// In a live session a person answers and decides whether to leave: the
	// meter moves for the card, but no line is written for them.
	if answer != nil && answer.When != WhenLeave && !s.live {
		if s.mood == 0 {
			turn.Customer = s.leave()
		} else {
			turn.Customer = s.speak(s.lineFor(answer, applied, delta))
		}
	}
	turn.Mood = s.mood
	turn.Ended = s.phase == PhaseEnded
	return turn
}

// say appends one of the rule's lines not said yet as the customer's answer.
func (s *Session) say(r *Reaction) *Line { return s.speak(s.pickFresh(r.Say.In(s.lang))) }

// speak appends text as the customer's line; "" says nothing.
func (s *Session) speak(text string) *Line {
	if text == "" {
		return nil
	}
	s.said[sayKey(text)] = true
	s.tick(typingTime(text))
	l := Line{At: s.clock.Now(), Speaker: SpeakerCustomer, Text: text, Mood: s.mood}
	s.lines = append(s.lines, l)
	s.packet.Add(handoff.Line{At: l.At, Speaker: handoff.SpeakerCustomer, Text: text})
	s.lastHeard = l.At
	s.impatient = false
	return &s.lines[len(s.lines)-1]
}

func (s *Session) rule(w When) *Reaction {
	for i := range s.sc.Reactions {
		if s.sc.Reactions[i].When == w {
			return &s.sc.Reactions[i]
		}
	}
	return nil
}

// leave makes the customer give up and ends the session.
func (s *Session) leave() *Line {
	var l *Line
	if r := s.rule(WhenLeave); r != nil {
		s.mood = min(100, max(0, s.mood+r.Mood))
		if s.resolved {
			// A resolved customer left waiting says goodbye, not "I'll try again".
			l = s.speak(s.pickFresh(sharedLines().Goodbye.In(s.lang)))
		} else {
			l = s.say(r)
		}
	}
	s.end(OutcomeLeft)
	return l
}

func (s *Session) end(o Outcome) {
	s.phase = PhaseEnded
	s.outcome = o
	s.endedAt = s.clock.Now()
}

func (s *Session) lastCustomer() *Line {
	for i := len(s.lines) - 1; i >= 0; i-- {
		if s.lines[i].Speaker == SpeakerCustomer {
			return &s.lines[i]
		}
	}
	return nil
}

// Tick tells the session the time (the real clock's screens call it every
// second). A customer kept waiting past their patience complains once; at
// twice their patience they leave. It returns the customer's line, if any.
// In a live session it does nothing.
func (s *Session) Tick() *Line {
	if s.phase != PhaseHuman {
		return nil
	}
	n := len(s.lines)
	s.checkSilence(s.clock.Now())
	if len(s.lines) > n {
		return &s.lines[len(s.lines)-1]
	}
	return nil
}

// Wait lets d pass without a word from the trainee (paused clock only; on
// the real clock time passes by itself) and returns the customer's line, if any.
func (s *Session) Wait(d time.Duration) *Line {
	if s.phase != PhaseHuman {
		return nil
	}
	s.tick(d)
	s.lines = append(s.lines, Line{At: s.clock.Now(), Speaker: SpeakerSystem, Action: "wait"})
	return s.Tick()
}

func (s *Session) checkSilence(now time.Time) {
	if s.live {
		// A person's silence is their own choice, not a sign of impatience.
		return
	}
	waited := now.Sub(s.lastHeard)
	p := s.sc.patience()
	switch {
	case waited >= 2*p:
		s.leave()
	case waited >= p && !s.impatient:
		if r := s.rule(WhenSilence); r != nil {
			s.mood = min(100, max(0, s.mood+r.Mood))
			if s.resolved {
				s.speak(s.pickFresh(sharedLines().SettledSilence.In(s.lang)))
			} else {
				s.say(r)
			}
			// say resets the wait, so a second silence is measured from
			// the complaint; the customer stays impatient.
			s.impatient = true
			if s.mood == 0 {
				s.leave()
			}
		}
	}
}

// Transfer hands the chat to a team and ends the trainee's part.
func (s *Session) Transfer(team Team) (Turn, error) {
	if s.phase != PhaseHuman {
		return Turn{}, ErrEnded
	}
	if !slices.Contains(Teams, team) {
		return Turn{}, fmt.Errorf("there is no team called %q", team)
	}
	s.tick(10 * time.Second)
	s.transfer = team
	s.lines = append(s.lines, Line{At: s.clock.Now(), Speaker: SpeakerSystem, Action: "transfer", Team: team,
		Text: team.Label(s.lang)})
	idx := len(s.lines) - 1
	fired := []When{WhenWrongTransfer}
	if team == s.sc.Resolution.Transfer {
		fired = []When{WhenTransfer}
		if !s.resolved && s.conditionsMet() {
			s.resolved = true
			fired = append([]When{WhenResolved}, fired...)
		}
	}
	turn := s.react(idx, fired, nil)
	if s.phase != PhaseEnded {
		s.end(OutcomeTransferred)
	}
	turn.Ended = true
	return turn, nil
}

// CallbackOffer says when the phone team could call: within minutes in
// phone hours (09:00-18:00), otherwise from the next opening.
func (s *Session) CallbackOffer() handoff.CallbackOffer { return s.calls.Offer(s.clock.Now()) }

// Booking returns the callback booked in this session, if any.
func (s *Session) Booking() (handoff.Booking, bool) {
	if s.booking == nil {
		return handoff.Booking{}, false
	}
	return *s.booking, true
}

// BookCallback books a phone callback with the phone team (handoff.Callbacks)
// to the given number, or to the packet's phone when number is "". Outside
// phone hours the booking is for the next opening. A bad number is refused
// with one sentence in the session's language, and nothing is booked.
func (s *Session) BookCallback(number string) (Turn, error) {
	if s.phase != PhaseHuman {
		return Turn{}, ErrEnded
	}
	if number == "" {
		number = s.packet.Facts.Value(handoff.FactPhone)
	}
	b, err := s.calls.Book(s.clock.Now(), number)
	if err != nil {
		var pe *slots.PhoneError
		if errors.As(err, &pe) {
			return Turn{}, errors.New(pe.Message(s.lang))
		}
		return Turn{}, err
	}
	s.tick(15 * time.Second)
	s.booking = &b
	s.packet.Facts.Set(handoff.FactPhone, b.Phone)
	s.lines = append(s.lines, Line{At: s.clock.Now(), Speaker: SpeakerSystem, Action: "callback", Text: b.Text(s.lang, s.pool.Location)})
	idx := len(s.lines) - 1
	fired := []When{WhenCallback}
	if !s.resolved && s.conditionsMet() {
		s.resolved = true
		fired = append([]When{WhenResolved}, fired...)
	}
	return s.react(idx, fired, nil), nil
}

// Close ends the chat. The customer has the last word: thanks and goodbye
// when the case is resolved, otherwise that nothing was sorted out. Their
// line comes after the close and is not charged to the handle time. In a
// live session no goodbye is written for the person.
func (s *Session) Close() error {
	if s.phase != PhaseHuman {
		return ErrEnded
	}
	s.tick(5 * time.Second)
	s.lines = append(s.lines, Line{At: s.clock.Now(), Speaker: SpeakerSystem, Action: "close"})
	s.end(OutcomeClosed)
	if s.live {
		return nil // no words are put in the mouth of the person playing the customer
	}
	bye := sharedLines().GoodbyeUnresolved
	if s.resolved {
		bye = sharedLines().Goodbye
	}
	if text := s.pickFresh(bye.In(s.lang)); text != "" {
		s.said[sayKey(text)] = true
		s.lines = append(s.lines, Line{At: s.endedAt, Speaker: SpeakerCustomer, Text: text, Mood: s.mood})
		s.packet.Add(handoff.Line{At: s.endedAt, Speaker: handoff.SpeakerCustomer, Text: text})
	}
	return nil
}

// PacketLines renders the packet as the trainee receives it.
func (s *Session) PacketLines() []string { return PacketLines(s.packet, s.lang, s.cfg.Rules) }
