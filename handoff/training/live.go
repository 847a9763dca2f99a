package training

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"tsunagu/bot"
	"tsunagu/handoff"
)

// NewLiveSession starts a live session: a trainer plays the scenario's
// customer in person (CustomerSays, CustomerLeft) and the trainee answers
// as the operator. There is no bot stage to play: the session starts in
// PhaseHuman with the packet the real chat built when it escalated (lines
// of both sides are added to it, as in trainee mode) and the real bot-stage
// lines, which the transcript and the card keep. decisions are the bot's
// decisions on that stage, for BotDecisions; they may be left out.
//
// The trainee's lines are read, scored and move the mood meter exactly as
// in trainee mode, so the scorecard is the same; only the simulated
// customer is silent. Time comes from cfg.Clock, which is required and must
// run (cfg.Paused false): a person types on both sides, so the time to first
// response and the handle time are real. cfg.Bot is not used.
func NewLiveSession(cfg Config, packet *handoff.Packet, botStage []handoff.Line, decisions ...bot.Decision) (*Session, error) {
	if err := cfg.checkScenario(); err != nil {
		return nil, err
	}
	if cfg.Clock == nil {
		return nil, errors.New("a live session needs the real clock (Config.Clock)")
	}
	if cfg.Paused {
		return nil, errors.New("a live session cannot run on the paused clock: a person plays the customer, so time runs for both sides")
	}
	if packet == nil {
		return nil, errors.New("a live session needs the handoff packet of the escalated chat")
	}
	if packet.Lang != "" && packet.Lang != cfg.Lang {
		return nil, fmt.Errorf("the packet is in %s but the session is in %s", packet.Lang, cfg.Lang)
	}
	s := &Session{cfg: cfg, sc: cfg.Scenario, lang: cfg.Lang, phase: PhaseHuman, live: true,
		rng:       rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5deece66d)),
		stepsDone: map[string]int{}, usedOnce: map[int]bool{}, said: map[string]bool{}, pool: cfg.Pool,
		clock: cfg.Clock, packet: packet, botStage: slices.Clone(botStage), decisions: slices.Clone(decisions)}
	if s.pool == nil {
		s.pool = defaultPool()
	}
	s.calls = handoff.NewCallbacks(s.pool)
	s.packetAt = s.clock.Now()
	s.lastHeard = s.packetAt
	s.mood = s.sc.startMood()
	return s, nil
}

// Live reports whether a person plays the customer (NewLiveSession).
func (s *Session) Live() bool { return s.live }

// errNotLive refuses the customer's side of a simulated session: there the
// scenario's reaction rules speak for the customer.
var errNotLive = errors.New("only a live session takes the customer's lines from a person")

// CustomerSays records a line the person playing the customer wrote, with
// the current mood, and adds it to the packet. A blank line is refused and
// nothing is recorded.
func (s *Session) CustomerSays(text string) (*Line, error) {
	if !s.live {
		return nil, errNotLive
	}
	if s.phase != PhaseHuman {
		return nil, ErrEnded
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, errors.New("the customer's line is empty")
	}
	return s.speak(text), nil
}

// CustomerLeft ends the session because the person playing the customer
// left the chat. The mood stays where the trainee's lines put it.
func (s *Session) CustomerLeft() error {
	if !s.live {
		return errNotLive
	}
	if s.phase != PhaseHuman {
		return ErrEnded
	}
	s.end(OutcomeLeft)
	return nil
}
