package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"tsunagu/transcripts"
	"tsunagu/tui"
)

// historyListFlagNames are the bare "tsunagu history" flags that ask for the
// printed list; any of them keeps the old behaviour.
var historyListFlagNames = []string{"status", "topic", "from", "to", "escalated", "max-rating", "limit", "json", "cursor"}

// historyWantsTUI reports whether bare "tsunagu history" should open the
// browser: both ends are a terminal and no list flag was given. Scripts
// (piped output) keep getting the printed list.
func historyWantsTUI(cmd *cobra.Command) bool {
	changed := false
	cmd.Flags().Visit(func(f *pflag.Flag) {
		for _, n := range historyListFlagNames {
			if f.Name == n {
				changed = true
			}
		}
	})
	return !changed && historyIsTerminal(cmd.InOrStdin()) && historyOutIsTerminal(cmd.OutOrStdout())
}

// historyOutIsTerminal is a variable so tests can pretend.
var historyOutIsTerminal = func(w io.Writer) bool {
	f, ok := rawWriter(w).(*os.File)
	return ok && historyIsTerminal(f)
}

// runHistoryTUI runs the history browser on the store at --db. The store
// opens after the first frame, and is closed when the program ends, also
// after a panic. Resuming a conversation ends the browser and runs the chat
// app on it in this same process, handing it the store already open (bbolt
// lets only one process write the file, and the browser opened it for
// writing; a read-only store is refused by the browser with a message).
func runHistoryTUI(cmd *cobra.Command, g *globalOptions, opts ...tea.ProgramOption) (err error) {
	start, err := g.startTime()
	if err != nil {
		return err
	}
	var clock historyClock
	if !start.IsZero() {
		clock.offset = time.Until(start)
	}
	var (
		mu       sync.Mutex
		store    io.Closer
		resumeID string
	)
	open := tui.HistoryOpener(g.dbPath, time.Second, clock.Now)
	cwd, _ := os.Getwd()
	h := tui.NewHistory(tui.HistoryConfig{
		Lang:      g.language(),
		Clock:     clock,
		NoColor:   os.Getenv("NO_COLOR") != "",
		ExportDir: cwd,
		Open: func() (tui.HistoryStore, error) {
			s, err := open()
			if c, ok := s.(io.Closer); ok && err == nil {
				mu.Lock()
				store = c
				mu.Unlock()
			}
			return s, err
		},
		Resume: func(id string) tea.Cmd {
			mu.Lock()
			resumeID = id
			mu.Unlock()
			return tea.Quit
		},
	})
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the history stopped on an internal error: %v", r)
		}
		mu.Lock()
		defer mu.Unlock()
		if store != nil {
			if cerr := store.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
	}()
	chatOpts := opts
	opts = append([]tea.ProgramOption{tea.WithInput(cmd.InOrStdin()), tea.WithOutput(rawWriter(cmd.OutOrStdout()))}, opts...)
	if _, err := tea.NewProgram(h, opts...).Run(); err != nil {
		if errors.Is(err, tea.ErrProgramPanic) {
			return errors.New("the history stopped on an internal error; the terminal was restored and the conversation store closed")
		}
		return err
	}
	mu.Lock()
	id, held := resumeID, store
	mu.Unlock()
	if id == "" {
		return nil
	}
	s, ok := held.(*transcripts.Store)
	if !ok || s.ReadOnlyReason() != nil {
		return errors.New("the conversation store is read-only, so the conversation cannot be resumed")
	}
	deps, err := buildChat(g, g.profileFile)
	if err != nil {
		return err
	}
	// The chat owns the store from here and closes it when it ends.
	mu.Lock()
	store = nil
	mu.Unlock()
	deps.store.s = s
	deps.cfg.ResumeID = id
	return runProgram(deps, cmd.InOrStdin(), rawWriter(cmd.OutOrStdout()), chatOpts...)
}

// historyClock is the wall clock, shifted to --clock when it is given.
type historyClock struct{ offset time.Duration }

func (c historyClock) Now() time.Time { return time.Now().Add(c.offset) }
