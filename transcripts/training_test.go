package transcripts

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTrainingTranscriptIsStoredCleanAndFoundByID(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		lines   []TrainingLine
		trainee int
		masked  bool
	}{
		{"no transcript", nil, 0, false},
		{"replies and actions", []TrainingLine{
			{At: at, Speaker: "customer", Text: "Where is my parcel?", Mood: 40},
			{At: at, Speaker: SpeakerTrainee, Text: "I'm sorry, I'll check."},
			{At: at, Speaker: SpeakerTrainee, Action: "close"},
		}, 1, false},
		{"a card number is masked", []TrainingLine{
			{At: at, Speaker: SpeakerTrainee, Text: "Is your card 4111 1111 1111 1111?"},
		}, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := st.SaveTraining(TrainingSession{Trainee: "amy", ScenarioID: "x", At: at, Score: 50, Transcript: tc.lines})
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.TrainingByID(id)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Transcript) != len(tc.lines) || len(got.TraineeLines()) != tc.trainee {
				t.Fatalf("transcript %+v", got.Transcript)
			}
			if tc.masked && strings.Contains(got.Transcript[0].Text, "4111 1111 1111 1111") {
				t.Errorf("card number stored: %q", got.Transcript[0].Text)
			}
		})
	}
	if _, err := st.TrainingByID(999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing id: %v, want ErrNotFound", err)
	}
}
