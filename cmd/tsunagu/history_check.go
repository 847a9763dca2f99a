package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
)

func newHistoryCheckCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Verify the whole store and say what is damaged (exit 1 if anything is)",
		Long: `Read the whole store: every page of the file, every record's checksum, each
conversation's messages, and the list and search indexes against the records.
It changes nothing and never crashes on a damaged file. Damaged conversations
are listed by id; 'tsunagu history export --skip-damaged' saves all the others.
The exit code is 0 when nothing is damaged, 1 otherwise.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("check takes no arguments; it checks the whole store (--db)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			s, ok, err := openHistory(g)
			if err != nil {
				return err
			}
			if !ok {
				fmt.Fprintf(out, "There is no store at %s yet: nothing to check.\n", g.dbPath)
				return nil
			}
			defer s.Close()
			start := time.Now()
			rep, err := s.Check()
			if err != nil {
				return err
			}
			if asJSON {
				if err := printSafeJSON(out, rep); err != nil {
					return err
				}
			} else {
				historyPrintCheck(out, s.Path(), rep, time.Since(start))
			}
			switch {
			case len(rep.Damaged) > 0:
				return fmt.Errorf("%s is damaged: %d records cannot be trusted; 'tsunagu history export --skip-damaged --format jsonl --out FILE' saves everything else",
					s.Path(), len(rep.Damaged))
			case len(rep.Index) > 0:
				return fmt.Errorf("the indexes of %s are damaged, but no text is; to rebuild them, export everything (--format jsonl) and import it into a new store", s.Path())
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

func historyPrintCheck(w io.Writer, path string, rep transcripts.CheckReport, took time.Duration) {
	fmt.Fprintf(w, "Checked %s in %s: %d conversations (%d messages and events) and %d training sessions are sound.\n",
		path, took.Round(time.Millisecond), rep.Conversations, rep.Entries, rep.Training)
	if len(rep.Damaged) > 0 {
		fmt.Fprintf(w, "Damaged (%d):\n", len(rep.Damaged))
		for _, d := range rep.Damaged {
			fmt.Fprintf(w, "  %s\n", termsafe.Line(historySkipped(d)))
		}
	}
	if len(rep.Index) > 0 {
		fmt.Fprintln(w, "Index problems (no text is affected; the list or a search may miss or misplace these):")
		for _, p := range rep.Index {
			fmt.Fprintf(w, "  %s\n", termsafe.Line(p))
		}
	}
	if rep.Unverified > 0 {
		fmt.Fprintf(w, "%d records were written before checksums and could only be checked for being readable; opening the store for writing once (a chat, an import or a delete) adds their checksums.\n", rep.Unverified)
	}
	if rep.OK() {
		fmt.Fprintln(w, "Nothing is damaged.")
	}
}

// historySkipped names a damaged record for a message.
func historySkipped(d transcripts.DamagedRecord) string {
	if d.ID == "" {
		return "record: " + d.What
	}
	return "conversation " + d.ID + ": " + d.What
}
