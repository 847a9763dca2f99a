package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"tsunagu/handoff/training"
	"tsunagu/transcripts"
)

// Review: `train history` lists every stored session with its id, date,
// trainee, scenario and score, and a trend per trainee and rubric item;
// `train replay ID` prints one session line by line with the card items
// beside the lines that decided them; `train export ID` writes the card and
// the transcript as Markdown.

// openTrainReview opens the store read-only for review commands.
func openTrainReview(g *globalOptions) (*transcripts.Store, error) {
	st, err := transcripts.Open(g.dbPath, transcripts.Options{Timeout: time.Second, ReadOnly: true})
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("there is no store at %s yet; play a scenario first", g.dbPath)
	}
	return st, err
}

func newTrainHistoryCmd(g *globalOptions) *cobra.Command {
	var trainee string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List stored training sessions (id, date, trainee, scenario, score) and each trainee's trend",
		Long: `List every stored training session, newest first, with its id (for
'train replay ID' and 'train export ID'), date, trainee, scenario and score,
then each trainee's trend: the score and every rubric item, oldest to newest,
as a row of bars. Escalation drill results have their own row. --json prints
the same (sessions with ids, trends, and the per-scenario progress).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := openTrainReview(g)
			if err != nil {
				return err
			}
			defer st.Close()
			sessions, err := st.ListTraining(trainee, 0)
			if err != nil {
				return err
			}
			review := training.NewReview(sessions)
			w := cmd.OutOrStdout()
			if asJSON {
				return printSafeJSON(w, review)
			}
			if len(review.Sessions) == 0 {
				fmt.Fprintln(w, say(g.language(), "No training sessions yet.", "研修セッションはまだありません。"))
				return nil
			}
			_, err = io.WriteString(w, review.Text(g.language()))
			return err
		},
	}
	cmd.Flags().StringVar(&trainee, "trainee", "", "only this trainee")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// sessionIDArg checks a SESSION argument (a number from 'train history').
func sessionIDArg(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageErrorf("train %s needs one SESSION id (see 'tsunagu train history')", name)
		}
		if _, err := strconv.ParseUint(args[0], 10, 64); err != nil {
			return usageErrorf("SESSION must be a number from 'tsunagu train history', not %q", args[0])
		}
		return nil
	}
}

// loadTrainingSession reads one stored session by its id.
func loadTrainingSession(g *globalOptions, arg string) (transcripts.TrainingSession, error) {
	id, _ := strconv.ParseUint(arg, 10, 64)
	st, err := openTrainReview(g)
	if err != nil {
		return transcripts.TrainingSession{}, err
	}
	defer st.Close()
	s, err := st.TrainingByID(id)
	if errors.Is(err, transcripts.ErrNotFound) {
		return s, fmt.Errorf("there is no training session %d; 'tsunagu train history' lists their ids", id)
	}
	return s, err
}

func newTrainReplayCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "replay SESSION",
		Short: "Print a stored training session line by line, with the card items beside the lines that decided them",
		Args:  sessionIDArg("replay"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := loadTrainingSession(g, args[0])
			if err != nil {
				return err
			}
			lang := g.language()
			if card, ok := training.StoredScorecard(s); ok && card.Lang != "" {
				lang = card.Lang
			}
			_, err = io.WriteString(cmd.OutOrStdout(), training.ReplayText(s, lang))
			return err
		},
	}
}

func newTrainExportCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "export SESSION",
		Short: "Write a stored training session's scorecard and transcript as Markdown",
		Args:  sessionIDArg("export"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := loadTrainingSession(g, args[0])
			if err != nil {
				return err
			}
			card, ok := training.StoredScorecard(s)
			if !ok {
				return fmt.Errorf("training session %d has no readable scorecard", s.ID)
			}
			_, err = io.WriteString(cmd.OutOrStdout(), card.Markdown())
			return err
		},
	}
}
