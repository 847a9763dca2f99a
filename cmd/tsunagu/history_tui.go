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
	"tsunagu/tui/history"
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
// app on it in this same process, handing it the store: a store the browser
// opened for writing as it is, a reader's (transcripts.OpenReadOnly) after
// taking the write lock with OpenWriter, which a running chat refuses.
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
	open := func() (history.Store, error) {
		s, ok, err := openHistoryReader(g.dbPath, transcripts.Options{Timeout: historyLockTimeout, Now: clock.Now})
		if err != nil || !ok {
			return nil, err
		}
		return historyReader{s, g.language()}, nil
	}
	cwd, _ := os.Getwd()
	h := history.New(history.Config{
		Lang:      g.language(),
		Clock:     clock,
		NoColor:   os.Getenv("NO_COLOR") != "",
		ExportDir: cwd,
		Open: func() (history.Store, error) {
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
	var s *transcripts.Store
	switch h := held.(type) {
	case historyReader:
		s = h.Store
	case *transcripts.Store:
		s = h
	default:
		return errors.New("the conversation store is read-only, so the conversation cannot be resumed")
	}
	deps, err := buildChat(g)
	if err != nil {
		return err
	}
	if s.ReadOnlyReason() != nil {
		// A browser that reads side by side with others takes the write
		// lock now, for the chat's whole run; a running chat refuses it.
		w, err := s.OpenWriter(transcripts.HolderChat)
		if err != nil {
			return fmt.Errorf("the conversation cannot be resumed: %w", err)
		}
		s = w
	}
	// The chat owns the store from here and closes it when it ends.
	mu.Lock()
	if r, ok := store.(historyReader); ok && r.Store != s {
		r.Close()
	}
	store = nil
	mu.Unlock()
	deps.store.s = s
	deps.cfg.ResumeID = id
	return runProgram(deps, cmd.InOrStdin(), rawWriter(cmd.OutOrStdout()), cmd.ErrOrStderr(), chatOpts...)
}

// historyReader is the browser's store (the product contract: browsing never locks
// other readers out). It reads side by side with other readers and takes
// the write lock only while it deletes; resuming takes it for the chat's run.
// Its Markdown exports are labelled in the browser's language.
type historyReader struct {
	*transcripts.Store
	lang string
}

// ExportFile writes an export with the Markdown labelled in the browser's language.
func (r historyReader) ExportFile(path string, format transcripts.Format, ids ...string) error {
	return r.ExportFileLang(path, format, r.lang, ids...)
}

// Delete takes the write lock just for the delete; a running chat refuses it.
func (r historyReader) Delete(id string) error {
	return r.WithWriter("a history delete", func(w *transcripts.Store) error { return w.Delete(id) })
}

// ReadOnlyReason is nil when delete and resume can take the write lock.
func (r historyReader) ReadOnlyReason() error { return r.WriteRefusal() }

// historyClock is the wall clock, shifted to --clock when it is given.
type historyClock struct{ offset time.Duration }

func (c historyClock) Now() time.Time { return time.Now().Add(c.offset) }
