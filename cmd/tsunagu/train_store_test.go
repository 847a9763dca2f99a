package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tsunagu/handoff/training"
	"tsunagu/transcripts"
)

var cancelScript = strings.Join([]string{
	"Hi Naoko, I've read your conversation with our assistant about the surprise fee. I'm sorry, I understand how annoying that is.",
	"I've cancelled your membership. Your benefits end today.",
	"/close",
}, "\n") + "\n"

func plainTrainArgs(db, lang string) []string {
	return []string{"--db", db, "--lang", lang, "--clock", "2026-11-26T10:00:00+09:00", "--seed", "1",
		"train", "--plain", "--scenario", "cancel-membership", "--trainee", "amy"}
}

// The store is checked before a plain session starts: held by a running
// chat, the session does not start; it says so and offers to wait or quit.
func TestTrainPlainStoreInUse(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "t.db")
			held, err := transcripts.Open(db, transcripts.Options{Holder: transcripts.HolderChat})
			if err != nil {
				t.Fatal(err)
			}
			defer held.Close()
			out, stderr, code := runTrainCLI(t, "q\n"+cancelScript, plainTrainArgs(db, lang)...)
			want := map[string]string{"en": "the store is in use", "ja": "会話ストアが使用中です"}[lang]
			if code != 1 || !strings.Contains(out, want) || !strings.Contains(stderr, "did not start") {
				t.Fatalf("code %d, stderr %s\n%s", code, stderr, out)
			}
			if strings.Contains(out, "Handoff packet") || strings.Contains(out, "引き継ぎ") {
				t.Errorf("the session ran with the store in use:\n%s", out)
			}
		})
	}
}

// failingStore makes every open after the first n fail as in use, and
// restores the real open when the test ends.
func failingStore(t *testing.T, n int) {
	t.Helper()
	real := openTrainStore
	calls := 0
	openTrainStore = func(path string) (*transcripts.Store, error) {
		calls++
		if calls > n {
			return nil, &transcripts.InUseError{Path: path, Holder: transcripts.HolderChat}
		}
		return real(path)
	}
	t.Cleanup(func() { openTrainStore = real })
}

var recoveryPathRE = regexp.MustCompile(`kept in (\S+training-unsaved-\S+\.json),`)

// A scorecard that cannot be saved is retried on request, then kept in a
// recovery file that the next session stores, and `train import` can too.
func TestTrainPlainUnsavedCardIsKept(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	failingStore(t, 1) // the check before the session opens; the saves fail
	// The card's save fails; an empty line retries (and fails), q quits.
	out, stderr, code := runTrainCLI(t, cancelScript+"\nq\n", plainTrainArgs(db, "en")...)
	if code != 1 || strings.Count(out, "Not saved:") != 2 || !strings.Contains(stderr, "tsunagu train import") {
		t.Fatalf("code %d, stderr %s\n%s", code, stderr, out)
	}
	m := recoveryPathRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("the recovery file is not named: %s", stderr)
	}
	path := m[1]
	if filepath.Dir(path) != dir {
		t.Errorf("the recovery file %s is not in the data folder %s", path, dir)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := parseRecovery(data)
	if err != nil || len(sessions) != 1 || sessions[0].Trainee != "amy" {
		t.Fatalf("recovery file: %v %+v", err, sessions)
	}
	backup := filepath.Join(t.TempDir(), "copy.json")
	if err := os.WriteFile(backup, data, 0o600); err != nil {
		t.Fatal(err)
	}

	// The next session finds the store free: the kept card is stored first.
	openTrainStore = func(path string) (*transcripts.Store, error) {
		return transcripts.Open(path, transcripts.Options{})
	}
	out, stderr, code = runTrainCLI(t, cancelScript, plainTrainArgs(db, "en")...)
	if code != 0 || !strings.Contains(out, "Stored 1 scorecard(s) kept") || !strings.Contains(out, "Saved as session 2") {
		t.Fatalf("code %d, stderr %s\n%s", code, stderr, out)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the recovery file is still there after it was stored: %v", err)
	}
	// Importing a copy adds nothing twice.
	out, stderr, code = runTrainCLI(t, "", "--db", db, "train", "import", backup)
	if code != 0 || !strings.Contains(out, "0 sessions stored") {
		t.Fatalf("import of a stored card: code %d %s %s", code, stderr, out)
	}
	st, err := transcripts.Open(db, transcripts.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.ListTraining("amy", 0)
	st.Close()
	if err != nil || len(list) != 2 {
		t.Fatalf("stored %d sessions (%v), want 2", len(list), err)
	}
}

// `train import` stores a recovery file into a fresh store and refuses
// files that are not recovery files.
func TestTrainImport(t *testing.T) {
	dir := t.TempDir()
	card := training.Scorecard{Trainee: "kim", ScenarioID: "parcel-not-arrived", Total: 80,
		Items: []training.ItemResult{{Item: training.ItemEmpathy, Weight: 15, Score: 1, Points: 15}}}
	path, err := writeTrainRecovery(dir, []training.Scorecard{card})
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"kind":"something else"}`), 0o600)
	db := filepath.Join(dir, "t.db")
	tests := []struct {
		file string
		code int
		want string
	}{
		{path, 0, "1 session stored"},
		{bad, 1, "not a training recovery file"},
		{filepath.Join(dir, "missing.json"), 1, "no such file"},
	}
	for _, tc := range tests {
		out, stderr, code := runTrainCLI(t, "", "--db", db, "train", "import", tc.file)
		if code != tc.code || !strings.Contains(out+stderr, tc.want) {
			t.Errorf("%s: code %d, %s %s", tc.file, code, out, stderr)
		}
	}
	out, _, _ := runTrainCLI(t, "", "--db", db, "train", "history", "--json")
	if !strings.Contains(out, "kim") {
		t.Errorf("the imported session is not in the history: %s", out)
	}
}

// FuzzParseRecovery: the recovery file parser never panics, and what it
// accepts has a trainee and scenario in every session.
func FuzzParseRecovery(f *testing.F) {
	f.Add([]byte(`{"kind":"tsunagu-training-sessions","sessions":[{"trainee":"a","scenario_id":"b","score":1}]}`))
	f.Add([]byte(`{"kind":"tsunagu-training-sessions","sessions":[{"trainee":" ","scenario_id":"b"}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		sessions, err := parseRecovery(data)
		if err != nil {
			return
		}
		for _, s := range sessions {
			if strings.TrimSpace(s.Trainee) == "" || strings.TrimSpace(s.ScenarioID) == "" {
				t.Fatalf("accepted a session without trainee or scenario: %+v", s)
			}
		}
		if _, err := json.Marshal(sessions); err != nil {
			t.Fatal(err)
		}
	})
}
