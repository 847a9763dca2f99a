package train

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff/training"
)

var ctrlC = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}

func letter(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// quits reports whether cmd (run through batches) asks the program to quit.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if quits(c) {
				return true
			}
		}
	}
	return false
}

// Ctrl+C mid-session asks first; n goes back with nothing saved, y (or a
// second Ctrl+C) ends the chat, scores it, saves the card, then quits.
func TestCtrlCMidSessionAsksFirst(t *testing.T) {
	for _, answer := range []tea.KeyPressMsg{letter('y'), ctrlC} {
		h := newTrainHarness(t, "")
		h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
		if _, cmd := h.m.Update(ctrlC); cmd != nil {
			t.Fatal("ctrl+c mid-session did something before asking")
		}
		if !strings.Contains(h.view(), "End the session? y/n") {
			t.Fatalf("no question on screen:\n%s", h.view())
		}
		h.send(letter('n'))
		if strings.Contains(h.view(), "End the session?") || len(h.saved) != 0 || h.m.screen != screenSession {
			t.Fatalf("n did not go back to the session (saved %d):\n%s", len(h.saved), h.view())
		}
		h.send(ctrlC)
		_, ended := h.m.Update(answer)
		_, save := h.m.Update(ended())
		if _, cmd := h.m.Update(save()); !quits(cmd) {
			t.Fatalf("%s: did not quit after saving", answer)
		}
		if len(h.saved) != 1 || h.saved[0].Outcome != training.OutcomeClosed {
			t.Fatalf("%s: saved %d cards: %+v", answer, len(h.saved), h.saved)
		}
	}
}

// The store is checked before a session starts: in use, the screen says so
// and offers to wait (r retries) or quit.
func TestStoreInUseHoldsTheSessionBack(t *testing.T) {
	h := newTrainHarness(t, "")
	busy := 1
	h.m.cfg.CheckStore = func() error {
		if busy > 0 {
			busy--
			return errors.New("/tmp/t.db is in use by tsunagu chat (pid 42)")
		}
		return nil
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	v := h.view()
	if !strings.Contains(v, "store is in use") || !strings.Contains(v, "pid 42") || !strings.Contains(v, "r: wait and try again") {
		t.Fatalf("the busy store is not said:\n%s", v)
	}
	h.send(letter('r'))
	if h.m.screen != screenSession {
		t.Fatalf("r did not start the session once the store was free:\n%s", h.view())
	}

	h = newTrainHarness(t, "")
	h.m.cfg.CheckStore = func() error { return errors.New("in use") }
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	if _, cmd := h.m.Update(letter('q')); !quits(cmd) {
		t.Fatal("q on the busy screen does not quit")
	}
}

// A scorecard that could not be saved is kept, said, retried with r, and
// handed back by Unsaved if the trainee quits first.
func TestUnsavedScorecardIsRetriedNotDropped(t *testing.T) {
	h := newTrainHarness(t, "")
	save := h.m.cfg.Save
	fail := true
	h.m.cfg.Save = func(c training.Scorecard) (string, error) {
		if fail {
			return "", errors.New("the store is in use")
		}
		return save(c)
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	h.send(tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl})
	if v := h.view(); !strings.Contains(v, "Not saved: the store is in use") || !strings.Contains(v, "r tries again") {
		t.Fatalf("the failed save is not said:\n%s", v)
	}
	if len(h.m.Unsaved()) != 1 {
		t.Fatalf("the unsaved card is not kept: %d", len(h.m.Unsaved()))
	}
	h.send(letter('r'))
	if len(h.m.Unsaved()) != 1 {
		t.Fatal("a retry that failed dropped the card")
	}
	fail = false
	h.send(letter('r'))
	if len(h.m.Unsaved()) != 0 || len(h.saved) != 1 || !strings.Contains(h.view(), "Saved as session 1") {
		t.Fatalf("the retry did not save it: unsaved %d, saved %d\n%s", len(h.m.Unsaved()), len(h.saved), h.view())
	}
}
