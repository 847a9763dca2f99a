package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
)

func init() { subcommands = append(subcommands, newHistoryCmd) }

// historyIsTerminal reports whether r is an interactive terminal; delete
// asks for confirmation only there. A variable so tests can pretend.
var historyIsTerminal = func(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// historyListFlags are the filters shared by list and search.
type historyListFlags struct {
	status, topic, from, to, cursor string
	escalated                       bool
	maxRating, limit                int
	json                            bool
}

func (f *historyListFlags) add(cmd *cobra.Command, paging bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.status, "status", "", "only this status: open, escalated, closed or abandoned")
	fl.StringVar(&f.topic, "topic", "", `only this topic or those under it ("returns" matches "returns/refund")`)
	fl.StringVar(&f.from, "from", "", "only conversations started on or after this day (2026-11-01, in the zone each was recorded in) or time (RFC 3339)")
	fl.StringVar(&f.to, "to", "", "only conversations started on or before this day (in the zone each was recorded in), or before this time")
	fl.BoolVar(&f.escalated, "escalated", false, "only conversations handed to a person")
	fl.IntVar(&f.maxRating, "max-rating", 0, "only conversations rated this many stars or fewer (1-5)")
	fl.IntVar(&f.limit, "limit", transcripts.DefaultPageSize, "how many to show")
	fl.BoolVar(&f.json, "json", false, "print JSON instead of a table")
	if paging {
		fl.StringVar(&f.cursor, "cursor", "", "continue from where the previous page ended")
	}
}

func (f *historyListFlags) filter() (transcripts.Filter, error) {
	var out transcripts.Filter
	if f.status != "" {
		out.Status = transcripts.Status(f.status)
		if !out.Status.Valid() {
			return out, usageErrorf("--status must be open, escalated, closed or abandoned, not %q", f.status)
		}
	}
	if f.maxRating < 0 || f.maxRating > 5 {
		return out, usageErrorf("--max-rating must be between 1 and 5, not %d", f.maxRating)
	}
	if f.limit < 1 {
		return out, usageErrorf("--limit must be at least 1, not %d", f.limit)
	}
	var err error
	if out.From, out.FromDate, err = historyParseDay(f.from, "--from"); err != nil {
		return out, err
	}
	if out.To, out.ToDate, err = historyParseDay(f.to, "--to"); err != nil {
		return out, err
	}
	out.Topic, out.Escalated, out.MaxRating = f.topic, f.escalated, f.maxRating
	return out, nil
}

// historyParseDay reads an RFC 3339 time (an instant) or a day such as
// 2026-11-26. A day means that day in each conversation's own time zone, the
// one it was recorded in, whatever TZ says; --to includes it.
func historyParseDay(s, flag string) (time.Time, transcripts.Date, error) {
	if s == "" {
		return time.Time{}, transcripts.Date{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, transcripts.Date{}, nil
	}
	d, err := transcripts.ParseDate(s)
	if err != nil {
		return time.Time{}, d, usageErrorf("%s wants a day such as 2026-11-26 or an RFC 3339 time, not %q", flag, s)
	}
	return time.Time{}, d, nil
}

// historyLockTimeout bounds the wait for a lock another process holds.
const historyLockTimeout = time.Second

// openHistory opens the store for reading, side by side with other readers
// (the browser, other history commands): nothing is written, created or
// moved aside, and a running chat is named if it holds the file. A store too
// old to read is upgraded once by a brief write open. A missing store reads
// as empty: ok is false and err nil.
func openHistory(g *globalOptions) (s *transcripts.Store, ok bool, err error) {
	return openHistoryReader(g.dbPath, transcripts.Options{Timeout: historyLockTimeout})
}

func openHistoryReader(path string, opts transcripts.Options) (s *transcripts.Store, ok bool, err error) {
	s, err = transcripts.OpenReadOnly(path, opts)
	if errors.Is(err, transcripts.ErrNeedsUpgrade) {
		if uerr := transcripts.Upgrade(path, opts); uerr != nil {
			return nil, false, fmt.Errorf("%w, and upgrading it failed: %w", err, uerr)
		}
		s, err = transcripts.OpenReadOnly(path, opts)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return s, true, nil
}

// openHistoryWriter opens the store for writing, as holder (named in the
// errors other tsunagu processes get meanwhile).
func openHistoryWriter(g *globalOptions, holder string) (*transcripts.Store, error) {
	return transcripts.Open(g.dbPath, transcripts.Options{Timeout: historyLockTimeout, Holder: holder})
}

func newHistoryCmd(g *globalOptions) *cobra.Command {
	var bare historyListFlags
	history := &cobra.Command{
		Use:   "history",
		Short: "List, show, search, export, import and delete stored conversations",
		Long: `Work with the conversation store (--db). With no subcommand, opens the history
browser in a terminal, or lists the newest conversations when output is piped
or a list flag is given. Reading commands and the browser share the file with
each other and never change it; a running chat holds it alone, and meanwhile
they say so. Times are shown, and --from/--to days meant, in the zone each
conversation was recorded in, whatever TZ says.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if historyWantsTUI(cmd) {
				return runHistoryTUI(cmd, g)
			}
			return runHistoryList(cmd, g, &bare)
		},
	}
	bare.add(history, true)
	history.AddCommand(newHistoryListCmd(g), newHistoryShowCmd(g), newHistorySearchCmd(g),
		newHistoryExportCmd(g), newHistoryImportCmd(g), newHistoryDeleteCmd(g), newHistoryCheckCmd(g))
	return history
}

func newHistoryListCmd(g *globalOptions) *cobra.Command {
	var f historyListFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List conversations, newest first",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return runHistoryList(cmd, g, &f) },
	}
	f.add(cmd, true)
	return cmd
}

func runHistoryList(cmd *cobra.Command, g *globalOptions, f *historyListFlags) error {
	filter, err := f.filter()
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	s, ok, err := openHistory(g)
	if err != nil {
		return err
	}
	var page transcripts.Page
	if ok {
		defer s.Close()
		if page, err = s.List(filter, f.cursor, f.limit); err != nil {
			if errors.Is(err, transcripts.ErrInvalid) {
				return usageErrorf("%s", err)
			}
			return err
		}
	}
	if f.json {
		return historyPrintJSON(out, page)
	}
	if len(page.Items) == 0 {
		fmt.Fprintln(out, "No conversations found.")
		return nil
	}
	historyPrintSummaries(out, page.Items)
	if page.Next != "" {
		fmt.Fprintf(out, "\nMore: tsunagu history list --cursor %s (same filters)\n", page.Next)
	}
	return nil
}

func historyPrintJSON(w io.Writer, v any) error { return printSafeJSON(w, v) }

// historyPrintSummaries prints an aligned table. Widths are terminal cells
// (ansi.StringWidth), so Japanese names line up.
func historyPrintSummaries(w io.Writer, items []transcripts.Summary) {
	rows := [][]string{{"STARTED", "ID", "STATUS", "MSGS", "TOPIC", "CUSTOMER", "FIRST MESSAGE"}}
	for _, it := range items {
		status := string(it.Status)
		if it.Rating > 0 {
			status += fmt.Sprintf(" ★%d", it.Rating)
		}
		rows = append(rows, []string{
			it.StartedAt.Format("2006-01-02 15:04"),
			termsafe.Line(it.ID),
			termsafe.Line(status),
			fmt.Sprint(it.Entries),
			ansi.Truncate(termsafe.Line(it.Topic), 24, "…"),
			ansi.Truncate(termsafe.Line(it.Customer.Name), 16, "…"),
			ansi.Truncate(termsafe.Line(historyPreview(it)), 40, "…"),
		})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func newHistoryShowCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one conversation",
		Args:  historyExactArgs(1, "show needs one conversation ID (see 'tsunagu history list')"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, ok, err := openHistory(g)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("there is no conversation %s: the store %s is empty", termsafe.Line(args[0]), g.dbPath)
			}
			defer s.Close()
			c, err := s.Load(args[0])
			if err != nil {
				return historyNotFound(err, args[0])
			}
			if asJSON {
				b, err := transcripts.EncodeJSON(c)
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
				return err
			}
			historyPrintConversation(cmd.OutOrStdout(), c, g.language())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the conversation as JSON (the export format)")
	return cmd
}

func historyNotFound(err error, id string) error {
	if errors.Is(err, transcripts.ErrNotFound) {
		return fmt.Errorf("there is no conversation %s (see 'tsunagu history list')", termsafe.Line(id))
	}
	return historyDamaged(err)
}

// historyDamaged adds what to do to an error about damage in the store.
func historyDamaged(err error) error {
	var stopped *transcripts.ExportStoppedError
	switch {
	case errors.As(err, &stopped):
		others := stopped.Total - 1
		return fmt.Errorf("%w; run 'tsunagu history check' to see all the damage, or add --skip-damaged to export the %d others", err, others)
	case errors.Is(err, transcripts.ErrDamaged):
		return fmt.Errorf("%w; run 'tsunagu history check' to see all the damage, and 'tsunagu history export --skip-damaged' saves everything else", err)
	}
	return err
}

// historyPreview is a list row's first message, or what is wrong with it.
func historyPreview(it transcripts.Summary) string {
	if it.Damaged != "" {
		return "(damaged: " + it.Damaged + ")"
	}
	return it.Preview
}

// historyPrintConversation prints a conversation for reading in a terminal,
// labelled in lang, with its times in the zone it was recorded in. Speaker
// labels come from the entry's role and author, never from its text.
func historyPrintConversation(w io.Writer, c transcripts.Conversation, lang string) {
	line := termsafe.Line
	l := transcripts.LabelsFor(lang)
	loc := c.Location()
	fmt.Fprintf(w, "%s %s · %s · %s", l.Conversation, line(c.ID), c.StartedAt.In(loc).Format("2006-01-02 15:04 -07:00"), l.StatusName(c.Status))
	if c.Topic != "" {
		fmt.Fprintf(w, " · %s", line(c.Topic))
	}
	fmt.Fprintln(w)
	who := l.Customer
	if c.Customer.Name != "" {
		who += " " + line(c.Customer.Name)
	}
	fmt.Fprintf(w, "%s%s%s%s", who, l.Open, l.Account(c.Customer.HasAccount), l.Close)
	if c.OrderID != "" {
		fmt.Fprintf(w, " · %s %s", l.Order, line(c.OrderID))
	}
	fmt.Fprintf(w, " · %s", line(c.Lang))
	if c.Channel != "" {
		fmt.Fprintf(w, " · %s", line(c.Channel))
	}
	fmt.Fprintln(w)
	for _, e := range c.Entries {
		at := e.At.In(loc).Format("15:04:05")
		if e.Event != "" {
			fmt.Fprintf(w, "\n%s  — %s\n", at, l.Event(e, loc))
			if e.Text == "" {
				continue
			}
		} else {
			fmt.Fprintf(w, "\n%s  %s\n", at, l.Speaker(e, c.Customer.Name))
		}
		for _, t := range strings.Split(termsafe.Text(e.Text), "\n") {
			fmt.Fprintf(w, "          %s\n", strings.ReplaceAll(t, "\t", "    "))
		}
	}
}

func newHistorySearchCmd(g *globalOptions) *cobra.Command {
	var f historyListFlags
	cmd := &cobra.Command{
		Use:   "search QUERY...",
		Short: "Find conversations containing every word of QUERY (Japanese or English)",
		Long: `Find conversations whose messages, customer name, order id, topic or operator
names contain every word of QUERY, newest first. Japanese needs no spaces:
"返品" finds "返品したい". English words of 3 or more letters match as prefixes:
"refund" finds "Refunds". Case, full-width and half-width forms do not matter.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("search needs a QUERY")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			filter, err := f.filter()
			if err != nil {
				return err
			}
			query := strings.Join(args, " ")
			s, ok, err := openHistory(g)
			if err != nil {
				return err
			}
			var res transcripts.SearchResult
			if ok {
				defer s.Close()
				if res, err = s.Search(query, filter, f.limit); err != nil {
					if errors.Is(err, transcripts.ErrInvalid) {
						return usageErrorf("%s", err)
					}
					return err
				}
			}
			out := cmd.OutOrStdout()
			if f.json {
				return historyPrintJSON(out, res)
			}
			if res.Total == 0 {
				fmt.Fprintf(out, "Nothing found for %q.\n", termsafe.Line(query))
				return nil
			}
			historyPrintSummaries(out, res.Items)
			if res.Total > len(res.Items) {
				fmt.Fprintf(out, "\n%d conversations match; showing the newest %d (--limit to see more).\n", res.Total, len(res.Items))
			}
			return nil
		},
	}
	f.add(cmd, false)
	return cmd
}

func newHistoryExportCmd(g *globalOptions) *cobra.Command {
	var format, out string
	var skipDamaged bool
	cmd := &cobra.Command{
		Use:   "export [ID] --format md|json|jsonl [--out FILE]",
		Short: "Export one conversation, or all of them, as Markdown, JSON or JSON Lines",
		Long: `Export one conversation, or every conversation when no ID is given (newest
first). md is for reading; json and jsonl write one conversation per line,
which 'tsunagu history import' reads back, so an export is also a backup.
--out writes the file atomically with mode 0600; otherwise the export goes to
standard output.

Every conversation exported has passed its checksums. When one is damaged,
the export stops there and names it (with --out nothing is written);
--skip-damaged exports all the others instead and lists what it skipped on
standard error. 'tsunagu history check' shows all the damage.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("export takes at most one conversation ID")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := transcripts.ParseFormat(format)
			if err != nil {
				return usageErrorf("--format must be md, json or jsonl, not %q", format)
			}
			s, ok, err := openHistory(g)
			if err != nil {
				return err
			}
			if !ok {
				if len(args) == 1 {
					return fmt.Errorf("there is no conversation %s: the store %s is empty", termsafe.Line(args[0]), g.dbPath)
				}
				if out != "" {
					return transcripts.WriteFileAtomic(out, func(io.Writer) error { return nil })
				}
				return nil
			}
			defer s.Close()
			lang := g.language()
			if len(args) == 1 {
				if out != "" {
					err = s.ExportFileLang(out, f, lang, args...)
				} else {
					err = s.ExportLang(cmd.OutOrStdout(), f, lang, args...)
				}
				return historyNotFound(err, args[0])
			}
			opts := transcripts.ExportOptions{SkipDamaged: skipDamaged, Lang: lang}
			var rep transcripts.ExportReport
			if out != "" {
				rep, err = s.ExportAllFile(out, f, opts)
			} else {
				rep, err = s.ExportAll(cmd.OutOrStdout(), f, opts)
			}
			if err != nil {
				if out != "" && errors.Is(err, transcripts.ErrDamaged) {
					err = fmt.Errorf("%w; nothing was written to %s", err, out)
				}
				return historyDamaged(err)
			}
			if n := len(rep.Skipped); n > 0 {
				errOut := cmd.ErrOrStderr()
				for _, d := range rep.Skipped {
					fmt.Fprintf(errOut, "tsunagu: skipped damaged %s\n", termsafe.Line(historySkipped(d)))
				}
				fmt.Fprintf(errOut, "tsunagu: exported %d conversations and skipped %d damaged (listed above); 'tsunagu history check' tells more.\n", rep.Exported, n)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md, json or jsonl")
	cmd.Flags().BoolVar(&skipDamaged, "skip-damaged", false, "export every sound conversation, skipping damaged ones (listed on standard error)")
	cmd.Flags().StringVar(&out, "out", "", "write to FILE (atomically, mode 0600) instead of standard output")
	return cmd
}

func newHistoryImportCmd(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import conversations from a JSON Lines file ('-' for standard input)",
		Long: `Import conversations from JSON Lines, as written by 'tsunagu history export
--format jsonl'. Conversations whose id is already stored are skipped and
listed, never duplicated or overwritten. Bad lines are reported with their
line numbers and the rest are imported; the exit code is then 1.`,
		Args: historyExactArgs(1, "import needs one FILE (or - for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var in io.Reader = cmd.InOrStdin()
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return fmt.Errorf("cannot read %s: %w", args[0], errors.Unwrap(err))
				}
				defer f.Close()
				in = f
			}
			s, err := openHistoryWriter(g, "a history import")
			if err != nil {
				return err
			}
			defer s.Close()
			start := time.Now()
			rep, err := s.Import(in)
			out := cmd.OutOrStdout()
			if asJSON {
				if perr := historyPrintJSON(out, rep); perr != nil {
					return perr
				}
			} else {
				fmt.Fprintf(out, "Imported %d conversations in %s.\n", rep.Imported, time.Since(start).Round(time.Millisecond))
				if n := len(rep.Skipped); n > 0 {
					fmt.Fprintf(out, "Skipped %d already stored:", n)
					for i, sk := range rep.Skipped {
						if i == 10 {
							fmt.Fprintf(out, " and %d more", n-10)
							break
						}
						fmt.Fprintf(out, " %s (line %d)", termsafe.Line(sk.ID), sk.Line)
					}
					fmt.Fprintln(out)
				}
				for _, le := range rep.Errors {
					fmt.Fprintf(out, "%s:%d: %s\n", termsafe.Line(args[0]), le.Line, termsafe.Line(le.Err))
				}
				if rep.BadLines > len(rep.Errors) {
					fmt.Fprintf(out, "… and %d more bad lines.\n", rep.BadLines-len(rep.Errors))
				}
			}
			if err != nil {
				return fmt.Errorf("the import stopped after %d conversations: %w", rep.Imported, err)
			}
			if rep.BadLines > 0 {
				return fmt.Errorf("%d lines of %s could not be imported", rep.BadLines, termsafe.Line(args[0]))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the import report as JSON")
	return cmd
}

func newHistoryDeleteCmd(g *globalOptions) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a conversation for good (its text is removed from the file)",
		Long: `Delete a conversation. The store is then compacted, so the text is really gone
from the file, not only hidden. On a terminal you are asked to confirm; --yes
skips the question, and is required when not on a terminal.`,
		Args: historyExactArgs(1, "delete needs one conversation ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			in := cmd.InOrStdin()
			if !yes && !historyIsTerminal(in) {
				return usageErrorf("delete asks for confirmation and there is no terminal; add --yes to delete %s", termsafe.Line(id))
			}
			// Read and ask with the store shared; hold the write lock only to delete.
			s, ok, err := openHistory(g)
			if err != nil {
				return err
			}
			if !ok {
				return historyNotFound(transcripts.ErrNotFound, id)
			}
			defer s.Close()
			c, err := s.Load(id)
			if err != nil {
				return historyNotFound(err, id)
			}
			if !yes {
				fmt.Fprintf(cmd.ErrOrStderr(), "Delete conversation %s (%s, %d entries, customer %s)? It cannot be undone. [y/N] ",
					termsafe.Line(id), c.StartedAt.Format("2006-01-02 15:04"), len(c.Entries), termsafe.Line(c.Customer.Name))
				answer, _ := bufio.NewReader(in).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
					fmt.Fprintln(cmd.OutOrStdout(), "Nothing deleted.")
					return nil
				}
			}
			err = s.WithWriter("a history delete", func(w *transcripts.Store) error { return w.Delete(id) })
			if err != nil {
				return historyNotFound(err, id)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Deleted conversation %s.\n", termsafe.Line(id))
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking")
	return cmd
}

// historyExactArgs is cobra.ExactArgs with a usage error (exit 2) in our words.
func historyExactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("%s", msg)
		}
		return nil
	}
}
