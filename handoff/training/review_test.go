package training

import (
	"strings"
	"testing"
	"time"

	"tsunagu/transcripts"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		values []float64
		top    float64
		want   string
	}{
		{nil, 100, ""},
		{[]float64{0, 50, 100}, 100, "▁▄█"},
		{[]float64{-5, 200}, 100, "▁█"},
		{[]float64{1}, 0, "▁"},
		{[]float64{0, 0.5, 1}, 1, "▁▄█"},
	}
	for _, tc := range tests {
		if got := Sparkline(tc.values, tc.top); got != tc.want {
			t.Errorf("Sparkline(%v, %v) = %q, want %q", tc.values, tc.top, got, tc.want)
		}
	}
}

func TestReviewAndReplay(t *testing.T) {
	s := newTestSession(t, "parcel-not-arrived", "en", 1)
	good := "I'm sorry for the wait. I've read your conversation with our assistant about your earbuds."
	play(t, s, []act{say(good), say("What's your order number?"), closeChat()})
	rec, err := s.Scorecard().Record()
	if err != nil {
		t.Fatal(err)
	}
	rec.ID = 2
	drill := transcripts.TrainingSession{ID: 3, Trainee: "tester", ScenarioID: DrillScenarioID, At: rec.At.Add(time.Hour), Score: 50}
	bare := transcripts.TrainingSession{ID: 1, Trainee: "tester", ScenarioID: "x", At: rec.At.Add(-time.Hour), Score: 10}
	r := NewReview([]transcripts.TrainingSession{drill, rec, bare})
	if len(r.Sessions) != 3 || r.Sessions[0].ID != 3 || !r.Sessions[1].CriticalFailed {
		t.Fatalf("sessions %+v", r.Sessions)
	}
	if tr := r.Trends[0]; len(tr.Scores) != 2 || len(tr.Drill) != 1 || len(tr.Items) == 0 {
		t.Fatalf("trend %+v", tr)
	}
	replay := ReplayText(rec, "en")
	for _, want := range []string{good, "What's your order number?", "↳ Re-asked", "FAIL"} {
		if !strings.Contains(replay, want) {
			t.Errorf("replay lacks %q:\n%s", want, replay)
		}
	}
	// The failing item sits after the line that decided it.
	if strings.Index(replay, "FAIL") < strings.Index(replay, "What's your order number?") {
		t.Errorf("the critical failure is not beside its line:\n%s", replay)
	}
	if !strings.Contains(ReplayText(bare, "ja"), "保存されていません") {
		t.Error("a session without a transcript does not say so")
	}
}
