package training

import (
	"sync"
	"testing"
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
)

var (
	engineOnce sync.Once
	engine     *bot.Engine
)

// realEngine is the real first-line bot with the default rules, trained once
// per test binary.
func realEngine() *bot.Engine {
	engineOnce.Do(func() { engine = bot.NewEngine(bot.DefaultRules()) })
	return engine
}

var testStart = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))

// newTestSession starts a paused-clock session of a built-in scenario with the real bot.
func newTestSession(t *testing.T, id, lang string, seed uint64) *Session {
	t.Helper()
	sc := builtin(t, id)
	s, err := NewSession(Config{Scenario: sc, Lang: lang, Seed: seed, Trainee: "tester", Start: testStart, Paused: true,
		Bot: realEngine().NewConversation("training-"+id, sc.BotFacts(lang)), Knowledge: handoff.NewRulesKnowledge(realEngine().Rules()), Rules: realEngine().Rules()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	return s
}

// testBuiltins parses the built-ins once per test binary.
var testBuiltins = sync.OnceValue(Builtins)

func builtin(t *testing.T, id string) *Scenario {
	t.Helper()
	for _, s := range testBuiltins() {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no built-in scenario %q", id)
	return nil
}
