package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tsunagu/handoff/training"
	"tsunagu/transcripts"
)

// TestRulesCheckPlaysScenarios: a scenario that parses but whose opening
// never reaches a person fails the check, with its file and line.
func TestRulesCheckPlaysScenarios(t *testing.T) {
	dir := t.TempDir()
	good, _ := training.BuiltinYAML("parcel-not-arrived")
	sc, err := training.Load("good", good)
	if err != nil {
		t.Fatal(err)
	}
	var opening []string
	opening = append(opening, sc.Opening.EN...)
	tests := []struct {
		name     string
		data     []byte
		wantCode int
		want     string
	}{
		{"plays", good, 0, "ok"},
		{"never escalates", replaceOpening(t, good, opening), 1, "does not play in"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			out, _, code := runTrainCLI(t, "", "rules", "check", path)
			if code != tc.wantCode || !strings.Contains(out, tc.want) {
				t.Fatalf("code %d (want %d), out:\n%s", code, tc.wantCode, out)
			}
			if tc.wantCode != 0 && !strings.Contains(out, path+":") {
				t.Errorf("the problem does not name the file and line: %s", out)
			}
		})
	}
}

// replaceOpening swaps the scenario's opening messages for a greeting the
// bot answers itself.
func replaceOpening(t *testing.T, data []byte, opening []string) []byte {
	t.Helper()
	out := data
	for _, o := range opening {
		out = bytes.Replace(out, []byte(o), []byte("Hello"), 1)
	}
	sc, err := training.Load("x", out)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range sc.Opening.JA {
		out = bytes.Replace(out, []byte(o), []byte("こんにちは"), 1)
	}
	if bytes.Equal(out, data) {
		t.Fatal("the opening was not replaced")
	}
	return out
}

// TestTrainFromHistoryRefusesScenariosThatDoNotPlay: a conversation whose
// customer messages the bot answers itself makes no scenario, and no file.
func TestTrainFromHistoryRefusesScenariosThatDoNotPlay(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	st, err := transcripts.Open(db, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	c := transcripts.Conversation{ID: "conv-2", StartedAt: at, Lang: "en", Customer: transcripts.Customer{Name: "Kim"}, Status: "closed",
		Entries: []transcripts.Entry{
			{At: at, Role: transcripts.RoleCustomer, Text: "Hello"},
			{At: at, Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: &transcripts.Meta{Reason: "human_requested"}},
		}}
	if _, err := st.CreateConversation(c); err != nil {
		t.Fatal(err)
	}
	st.Close()
	outFile := filepath.Join(dir, "replay.yaml")
	_, stderr, code := runTrainCLI(t, "", append(trainFlags(db), "train", "from-history", "conv-2", "-o", outFile)...)
	if code != 1 || !strings.Contains(stderr, "does not make a scenario that plays") {
		t.Fatalf("code %d, stderr %s", code, stderr)
	}
	if _, err := os.Stat(outFile); !os.IsNotExist(err) {
		t.Errorf("a scenario that does not play was written: %v", err)
	}
}
