package transcripts

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// TrainingLine is one line of a stored training session's transcript: the
// bot stage, then the trainee's chat with the simulated customer.
type TrainingLine struct {
	At      time.Time `json:"at"`
	Speaker string    `json:"speaker"` // customer, bot, trainee or system
	Text    string    `json:"text,omitempty"`
	// Action is set for trainee actions other than a reply: transfer,
	// callback, close, wait.
	Action string `json:"action,omitempty"`
	// Mood is the customer's mood after the line (customer lines only).
	Mood int `json:"mood,omitempty"`
}

// SpeakerTrainee is the Speaker of the trainee's own lines.
const SpeakerTrainee = "trainee"

// TraineeLines returns the trainee's replies in the session's transcript.
func (t TrainingSession) TraineeLines() []TrainingLine {
	var out []TrainingLine
	for _, l := range t.Transcript {
		if l.Speaker == SpeakerTrainee && l.Action == "" {
			out = append(out, l)
		}
	}
	return out
}

// cleanTrainingLines cleans every text like all stored text (card numbers
// masked, controls removed).
func cleanTrainingLines(ls []TrainingLine) []TrainingLine {
	if len(ls) == 0 {
		return nil
	}
	out := make([]TrainingLine, len(ls))
	for i, l := range ls {
		l.Speaker, l.Text, l.Action = cleanText(l.Speaker), cleanText(l.Text), cleanText(l.Action)
		out[i] = l
	}
	return out
}

// TrainingByID returns one stored training session; ErrNotFound when no
// session has that id.
func (s *Store) TrainingByID(id uint64) (TrainingSession, error) {
	var t TrainingSession
	err := s.view(func(tx *bbolt.Tx) error {
		k := u64(id)
		v := tx.Bucket(bucketTraining).Get(k)
		if v == nil {
			return fmt.Errorf("%w: there is no training session %d", ErrNotFound, id)
		}
		js, _, err := unseal(k, v)
		if err == nil {
			err = json.Unmarshal(js, &t)
		}
		if err != nil {
			return &DamagedError{What: fmt.Sprintf("training session %d is damaged or unreadable: %v", id, err)}
		}
		return nil
	})
	return t, err
}
