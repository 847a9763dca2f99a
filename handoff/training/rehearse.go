package training

import (
	"fmt"
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
)

// Rig is what a headless play of a scenario needs besides the scenario:
// the live bot (one conversation per call), its knowledge and rules.
type Rig struct {
	NewBot    func(sc *Scenario, lang string) Bot
	Knowledge handoff.Knowledge
	Rules     *bot.Rules
	Pool      *handoff.Pool
	Start     time.Time
	Seed      uint64
}

// Rehearse plays a scenario headless in each of its languages, as a model
// trainee would: the bot stage must reach a person, each resolution step's
// first example must be understood as that step, the routing the case needs
// (transfer, callback) must be accepted, and the case must end resolved with
// a scorecard. It returns every problem found, each one sentence; none means
// the scenario plays.
func Rehearse(sc *Scenario, rig Rig) []string {
	var problems []string
	for _, lang := range sc.Languages {
		if err := rehearseIn(sc, lang, rig); err != nil {
			problems = append(problems, fmt.Sprintf("does not play in %s: %s", lang, err))
		}
	}
	return problems
}

func rehearseIn(sc *Scenario, lang string, rig Rig) error {
	if rig.NewBot == nil {
		return fmt.Errorf("no bot to play the opening")
	}
	start := rig.Start
	if start.IsZero() {
		start = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	}
	s, err := NewSession(Config{Scenario: sc, Lang: lang, Seed: rig.Seed, Trainee: "rehearsal", Start: start, Paused: true,
		Bot: rig.NewBot(sc, lang), Knowledge: rig.Knowledge, Rules: rig.Rules, Pool: rig.Pool})
	if err != nil {
		return err
	}
	if err := s.Start(); err != nil {
		return err
	}
	for _, st := range sc.Resolution.Steps {
		ex := nonBlank(st.Examples.In(lang))
		if len(ex) == 0 {
			return fmt.Errorf("resolution step %s has no example sentence in %s", st.ID, lang)
		}
		if s.Phase() != PhaseHuman {
			return fmt.Errorf("the chat ended (%s) before resolution step %s could be given", s.Outcome(), st.ID)
		}
		if _, err := s.Reply(ex[0]); err != nil {
			return fmt.Errorf("resolution step %s: %w", st.ID, err)
		}
		if !contains(s.StepsDone(), st.ID) {
			return fmt.Errorf("resolution step %s is not understood from its own first example %q", st.ID, ex[0])
		}
	}
	if sc.Resolution.Callback && s.Phase() == PhaseHuman {
		if _, err := s.BookCallback(""); err != nil {
			return fmt.Errorf("the callback the case needs could not be booked: %w", err)
		}
	}
	if sc.Resolution.Transfer != "" && s.Phase() == PhaseHuman {
		if _, err := s.Transfer(sc.Resolution.Transfer); err != nil {
			return fmt.Errorf("the transfer to %s the case needs was refused: %w", sc.Resolution.Transfer, err)
		}
	}
	if s.Phase() == PhaseHuman {
		if err := s.Close(); err != nil {
			return err
		}
	}
	if !s.Resolved() {
		return fmt.Errorf("a session that gives every resolution step does not end resolved")
	}
	if card := s.Scorecard(); len(card.Items) == 0 {
		return fmt.Errorf("the session gives no scorecard")
	}
	return nil
}
