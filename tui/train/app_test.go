package train

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/handoff/training"
	"tsunagu/tui/internal/tuitest"
)

// trainHarness drives the trainee root model by hand: every command runs at
// once and its message is fed back, timers included (they fire immediately).
type trainHarness struct {
	t     *testing.T
	m     *Model
	saved []training.Scorecard
}

var (
	trainEngineOnce sync.Once
	trainBotEngine  *bot.Engine
)

func newTrainHarness(t *testing.T, preset string) *trainHarness {
	trainEngineOnce.Do(func() { trainBotEngine = bot.NewEngine(bot.DefaultRules()) })
	engine := trainBotEngine
	h := &trainHarness{t: t}
	start := time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))
	cfg := Config{Lang: "en", Scenarios: training.Builtins(),
		NewSession: func(sc *training.Scenario) (*training.Session, error) {
			s, err := training.NewSession(training.Config{Scenario: sc, Lang: "en", Seed: 1, Trainee: "t", Start: start, Paused: true,
				Bot: engine.NewConversation("c", sc.BotFacts("en")), Knowledge: handoff.NewRulesKnowledge(engine.Rules()), Rules: engine.Rules()})
			if err != nil {
				return nil, err
			}
			return s, s.Start()
		},
		Save: func(c training.Scorecard) (string, error) {
			h.saved = append(h.saved, c)
			return "Saved as session 1", nil
		},
		Tick: func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
			return func() tea.Msg { return fn(start) }
		},
	}
	for _, sc := range cfg.Scenarios {
		if sc.ID == preset {
			cfg.Scenario = sc
		}
	}
	h.m = New(cfg)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.run(h.m.Init())
	return h
}

func (h *trainHarness) send(msg tea.Msg) {
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

func (h *trainHarness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case nil:
	default:
		if _, ok := msg.(tea.QuitMsg); ok {
			return
		}
		h.send(msg)
	}
}

func (h *trainHarness) view() string { return ansi.Strip(h.m.View().Content) }

func (h *trainHarness) typeLine(s string) {
	for _, r := range s {
		k := tea.KeyPressMsg{Code: r, Text: string(r)}
		if r == ' ' {
			k = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		}
		h.send(k)
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

func TestTrainAppPlaysAScenarioToTheScorecard(t *testing.T) {
	h := newTrainHarness(t, "")
	if !strings.Contains(h.view(), "pick a scenario") {
		t.Fatalf("no scenario list:\n%s", h.view())
	}
	// The list is sorted by id; hijacked-account is the fifth.
	for range 4 {
		h.send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	if v := h.view(); !strings.Contains(v, "A hijacked account") || !strings.Contains(v, "Handoff packet") {
		t.Fatalf("session not shown with its packet:\n%s", v)
	}
	h.typeLine("I've read your conversation with our assistant; I'm sorry, that must be frightening. Our security team will lock your account.")
	h.send(tea.KeyPressMsg{Code: 't', Mod: tea.ModCtrl})
	h.send(tea.KeyPressMsg{Code: '1', Text: "1"})
	v := h.view()
	if !strings.Contains(v, "Scorecard: A hijacked account") || !strings.Contains(v, "Saved as session 1") {
		t.Fatalf("scorecard not shown after the transfer:\n%s", v)
	}
	if len(h.saved) != 1 || h.saved[0].CriticalFailed || h.saved[0].Total < 80 {
		t.Errorf("saved scorecards: %+v", h.saved)
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !strings.Contains(h.view(), "pick a scenario") {
		t.Error("enter on the scorecard does not return to the list")
	}
}

func TestTrainAppTooSmall(t *testing.T) {
	h := newTrainHarness(t, "parcel-not-arrived")
	h.send(tea.WindowSizeMsg{Width: 10, Height: 4})
	if v := h.view(); strings.Contains(v, "Handoff") || ansi.StringWidth(v) > 10 {
		t.Errorf("tiny window shows %q", v)
	}
}

// TestTrainAppTeatestSmoke runs the trainee app in a real Bubble Tea program
// (teatest): the scenario starts, the packet arrives, a reply is shown
// and closing shows the scorecard.
func TestTrainAppTeatestSmoke(t *testing.T) {
	trainEngineOnce.Do(func() { trainBotEngine = bot.NewEngine(bot.DefaultRules()) })
	engine := trainBotEngine
	start := time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))
	var sc *training.Scenario
	for _, s := range training.Builtins() {
		if s.ID == "cancel-membership" {
			sc = s
		}
	}
	var played *training.Session // the session the program runs, for the end
	m := New(Config{Lang: "en", Scenarios: training.Builtins(), Scenario: sc, NoColor: true,
		RevealEvery: time.Millisecond,
		NewSession: func(sc *training.Scenario) (*training.Session, error) {
			s, err := training.NewSession(training.Config{Scenario: sc, Lang: "en", Seed: 1, Trainee: "t", Start: start, Paused: true,
				Bot: engine.NewConversation("c", sc.BotFacts("en")), Knowledge: handoff.NewRulesKnowledge(engine.Rules()), Rules: engine.Rules()})
			if err != nil {
				return nil, err
			}
			played = s
			return s, s.Start()
		}})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	out := tuitest.NewProgramOutput(tm)
	wait := func(want string) {
		t.Helper()
		out.WaitFor(t, want)
	}
	wait("Handed over to you")
	tm.Type("I'm sorry about the fee. I've cancelled your membership.")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("cancelled your membership.")
	tm.Send(tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl})
	wait("Scorecard: Cancelling a membership")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(tuitest.HangBound))
	// The text on screen may be the input box's echo: the session itself
	// must hold the reply.
	sent := false
	for _, l := range played.Lines() {
		sent = sent || l.Speaker == training.SpeakerTrainee && strings.Contains(l.Text, "cancelled your membership")
	}
	if !sent {
		t.Error("Enter did not send the reply to the session")
	}
}

// B5: ctrl+c while the scorecard is being saved quits once it is saved,
// and the screen says it is saving meanwhile.
func TestTraineeQuitWaitsForScorecardSave(t *testing.T) {
	h := newTrainHarness(t, "")
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	_, save := h.m.Update(endedMsg{})
	if save == nil {
		t.Fatal("the scorecard is not saved")
	}
	if !strings.Contains(h.view(), "Saving the scorecard") {
		t.Fatalf("no saving state on screen:\n%s", h.view())
	}
	_, cmd := h.m.Update(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Fatal("quit before the scorecard was saved")
		}
	}
	_, cmd = h.m.Update(save())
	if cmd == nil {
		t.Fatal("did not quit once saved")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok || len(h.saved) != 1 {
		t.Fatalf("quit %v, saved %d scorecards", ok, len(h.saved))
	}
}

// R4: the trainee's scenario list scrolls to keep the cursor in view and
// the frame fits a short terminal.
func TestTraineeListScrollsAndFits(t *testing.T) {
	h := newTrainHarness(t, "")
	h.send(tea.WindowSizeMsg{Width: 40, Height: 8})
	all := training.Builtins()
	if len(all) <= 6 {
		t.Fatalf("only %d scenarios: the list would not need to scroll", len(all))
	}
	for range len(all) - 1 {
		h.send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	tuitest.CheckFits(t, h.m.View().Content, 40, 8)
	last := all[len(all)-1].ID
	if !strings.Contains(h.view(), last[:min(len(last), 20)]) {
		t.Fatalf("the chosen last scenario %q is not in view:\n%s", last, h.view())
	}
}

// B3: errors from the domain reach the trainee app's error line without
// their escapes.
func TestErrorTextIsSanitisedOnScreen(t *testing.T) {
	th := newTrainHarness(t, "")
	th.m.cfg.NewSession = func(*training.Scenario) (*training.Session, error) { return nil, errors.New(tuitest.EvilError) }
	th.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !strings.Contains(th.view(), "desk down") {
		t.Fatalf("the error is not shown:\n%s", th.view())
	}
	tuitest.CheckNoEscapes(t, th.m.View().Content)
}
