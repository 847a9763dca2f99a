package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tsunagu/handoff/training"
	"tsunagu/transcripts"
)

// Nothing lost: the store is checked before a session starts, a scorecard
// that could not be saved is retried, and one still unsaved when the
// trainee quits is written to a recovery file in the data folder, stored
// the next time the store opens (or with `tsunagu train import FILE`).

// openTrainStore opens the store for writing; tests replace it to make
// saves fail on cue.
var openTrainStore = func(path string) (*transcripts.Store, error) {
	return transcripts.Open(path, transcripts.Options{Timeout: time.Second})
}

// recoveryPattern names the recovery files of unsaved scorecards.
const recoveryPattern = "training-unsaved-*.json"

// checkTrainStore opens the store as a session would to save its card. On
// success, scorecards kept in recovery files are stored (and their files
// removed); it returns how many.
func checkTrainStore(g *globalOptions) (int, error) {
	st, err := openTrainStore(g.dbPath)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	return storeRecovered(st, filepath.Dir(g.dbPath))
}

// storeRecovered stores the scorecards of every recovery file in dir and
// removes each file once its scorecard is stored.
func storeRecovered(st *transcripts.Store, dir string) (int, error) {
	files, _ := filepath.Glob(filepath.Join(dir, recoveryPattern))
	n := 0
	for _, f := range files {
		added, err := importTrainingFile(st, f)
		if err != nil {
			return n, err
		}
		n += added
		if err := os.Remove(f); err != nil {
			return n, fmt.Errorf("stored the scorecards of %s but cannot remove it: %s", f, readErrorText(err))
		}
	}
	return n, nil
}

// recoveryFile is what a recovery file holds.
type recoveryFile struct {
	Kind     string                        `json:"kind"`
	Sessions []transcripts.TrainingSession `json:"sessions"`
}

const recoveryKind = "tsunagu-training-sessions"

// writeTrainRecovery writes scorecards to a new recovery file in dir,
// readable by its owner only, and returns its path.
func writeTrainRecovery(dir string, cards []training.Scorecard) (string, error) {
	var recs []transcripts.TrainingSession
	for _, c := range cards {
		rec, err := c.Record()
		if err != nil {
			return "", err
		}
		recs = append(recs, rec)
	}
	return writeRecoveryRecords(dir, recs)
}

// writeRecoveryRecords writes stored-session records to a new recovery file.
func writeRecoveryRecords(dir string, recs []transcripts.TrainingSession) (string, error) {
	rf := recoveryFile{Kind: recoveryKind, Sessions: recs}
	data, err := json.MarshalIndent(rf, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, recoveryPattern)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	return f.Name(), f.Close()
}

// parseRecovery reads a recovery file: every session must have a trainee
// and a scenario.
func parseRecovery(data []byte) ([]transcripts.TrainingSession, error) {
	var rf recoveryFile
	if err := json.Unmarshal(data, &rf); err != nil {
		return nil, fmt.Errorf("not a training recovery file: %v", err)
	}
	if rf.Kind != recoveryKind {
		return nil, fmt.Errorf("not a training recovery file (kind %q, want %q)", rf.Kind, recoveryKind)
	}
	for i, s := range rf.Sessions {
		if strings.TrimSpace(s.Trainee) == "" || strings.TrimSpace(s.ScenarioID) == "" {
			return nil, fmt.Errorf("session %d has no trainee or no scenario", i+1)
		}
	}
	return rf.Sessions, nil
}

// importTrainingFile stores the sessions of a recovery file, skipping any
// already stored (same trainee, scenario, time and score), and returns how
// many it added.
func importTrainingFile(st *transcripts.Store, path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("cannot read %s: %s", path, readErrorText(err))
	}
	sessions, err := parseRecovery(data)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	stored, err := st.ListTraining("", 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range sessions {
		if alreadyStored(stored, s) {
			continue
		}
		s.ID = 0
		if _, err := st.SaveTraining(s); err != nil {
			return n, fmt.Errorf("%s: %w", path, err)
		}
		n++
	}
	return n, nil
}

func alreadyStored(stored []transcripts.TrainingSession, s transcripts.TrainingSession) bool {
	for _, x := range stored {
		if x.Trainee == s.Trainee && x.ScenarioID == s.ScenarioID && x.At.Equal(s.At) && x.Score == s.Score {
			return true
		}
	}
	return false
}

func newTrainImportCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE...",
		Short: "Store the scorecards of a recovery file written when a session could not be saved",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("train import needs at least one recovery FILE (training-unsaved-*.json)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openTrainStore(g.dbPath)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, f := range args {
				n, err := importTrainingFile(st, f)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d %s\n", f, n, plural(n, "session stored", "sessions stored"))
			}
			return nil
		},
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// say picks the English or Japanese text.
func say(lang, en, ja string) string {
	if lang == "ja" {
		return ja
	}
	return en
}

// waitForTrainStorePlain checks the store before a plain session: in use,
// it says so and asks to wait (Enter or r tries again) or quit (anything
// else, or the end of input).
func waitForTrainStorePlain(g *globalOptions, in *bufio.Reader, out io.Writer, lang string) error {
	for {
		n, err := checkTrainStore(g)
		if err == nil {
			if n > 0 {
				fmt.Fprintf(out, say(lang, "Stored %d scorecard(s) kept from an earlier session that could not be saved.\n",
					"保存できなかった以前のスコアカード %d 件を保存しました。\n"), n)
			}
			return nil
		}
		fmt.Fprintln(out, say(lang,
			"The session has not started: the store is in use. "+err.Error()+"\nPress Enter (or type r) to wait and try again, or type q to quit.",
			"セッションはまだ始まっていません。会話ストアが使用中です。"+err.Error()+"\nEnter（または r）で待って再試行、q で終了します。"))
		line, _, rerr := readLine(in, 4<<10)
		answer := strings.ToLower(strings.TrimSpace(string(line)))
		if (answer != "" && answer != "r") || (answer == "" && rerr != nil) {
			return fmt.Errorf("the session did not start: %w", err)
		}
	}
}

// saveOrKeepPlain saves the scorecard; while it cannot, it says why and
// asks to retry (Enter or r) or quit. On quit the card goes to a recovery
// file and the error says where. answer reads the next line; Ctrl+C there
// (errInterrupted) quits.
func saveOrKeepPlain(g *globalOptions, o *trainOptions, card training.Scorecard, answer func() (string, error), out io.Writer) (uint64, error) {
	lang := card.Lang
	for {
		id, err := saveScorecard(g, o, card)
		if err == nil {
			return id, nil
		}
		fmt.Fprintln(out, say(lang,
			"Not saved: "+err.Error()+"\nPress Enter (or type r) to try again, or type q to quit; the scorecard is then kept in a recovery file.",
			"保存できませんでした："+err.Error()+"\nEnter（または r）で再試行、q で終了します。終了するとスコアカードは復旧用ファイルに残ります。"))
		if f, ok := out.(interface{ Flush() error }); ok {
			f.Flush()
		}
		line, rerr := answer()
		a := strings.ToLower(strings.TrimSpace(line))
		if (a == "" && rerr == nil) || a == "r" {
			continue
		}
		return 0, keepUnsaved(g, []training.Scorecard{card}, err)
	}
}

// keepUnsaved writes unsaved scorecards to a recovery file and returns the
// error that says where and how to store them.
func keepUnsaved(g *globalOptions, cards []training.Scorecard, cause error) error {
	dir := filepath.Dir(g.dbPath)
	path, err := writeTrainRecovery(dir, cards)
	if err != nil {
		return errors.Join(cause, fmt.Errorf("and the recovery file could not be written in %s either (%s); the scorecard is only on screen", dir, readErrorText(err)))
	}
	return fmt.Errorf("%w; the scorecard is kept in %s, stored automatically when the next session starts, or now with: tsunagu train import %s", cause, path, path)
}
