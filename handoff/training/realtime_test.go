package training

import (
	"sync"
	"testing"
	"time"

	"tsunagu/handoff"
)

// fakeWall is a wall clock the test moves by hand.
type fakeWall struct {
	mu sync.Mutex
	t  time.Time
}

func (w *fakeWall) now() time.Time { w.mu.Lock(); defer w.mu.Unlock(); return w.t }
func (w *fakeWall) add(d time.Duration) {
	w.mu.Lock()
	w.t = w.t.Add(d)
	w.mu.Unlock()
}

// TestRealtimeClockRunsWhileTheTraineeThinks: with the real (scaled) clock,
// time passes between turns by itself; Tick lets the customer react.
func TestRealtimeClockRunsWhileTheTraineeThinks(t *testing.T) {
	sc := builtin(t, "parcel-not-arrived")
	wall := &fakeWall{t: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, err := NewSession(Config{Scenario: sc, Lang: "en", Seed: 1, Start: testStart,
		Clock: handoff.NewScaledClock(testStart, 2, wall.now), Bot: realEngine().NewConversation("rt", sc.BotFacts("en"))})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if s.Paused() {
		t.Fatal("a session with a clock and Paused false should run in real time")
	}
	if l := s.Tick(); l != nil {
		t.Fatalf("customer spoke at once: %q", l.Text)
	}
	wall.add(50 * time.Second) // 100 s of simulated time at --speed 2
	if l := s.Tick(); l == nil || s.Phase() != PhaseHuman {
		t.Fatalf("no impatient line after 100 s: %+v", l)
	}
	wall.add(100 * time.Second)
	s.Tick()
	if s.Outcome() != OutcomeLeft {
		t.Fatalf("customer did not leave after 300 s of silence: %q", s.Outcome())
	}
	if fr, _ := s.Scorecard().Item(ItemFirstResponse); fr.Score != 0 {
		t.Errorf("first response scored %.1f without a reply", fr.Score)
	}
}
