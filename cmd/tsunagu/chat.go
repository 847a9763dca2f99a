package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui"
)

func init() {
	subcommands = append(subcommands, newChatCmd)
	// Customer profiles (--profile) are checked by "tsunagu rules check"
	// too; "orders:" is a top-level key only they have (rules files have
	// "shop:" as well).
	fileCheckers = append(fileCheckers, fileChecker{kind: "profile", topKey: "orders", check: profile.Check})
	defaultRun = func(g *globalOptions) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error { return runChat(cmd, g) }
	}
}

func newChatCmd(g *globalOptions) *cobra.Command {
	var jsonl bool
	cmd := &cobra.Command{
		Use:   "chat",
		Short: "Open the customer app: pick an order and a topic, chat with the bot, get a person or a call back",
		Long: `Open the customer app (also what bare "tsunagu" does). You are the built-in demo
customer, or another profile given with --profile FILE (YAML). Needs a terminal.

With --jsonl there is no terminal: the same conversation engine reads JSON
Lines from standard input and writes every event as one JSON line, in
simulated time (--clock, --seed), storing each conversation as the app does:
  {"conversation":"c1","start":{"account":true,"order":"250-...","topic":"delivery/not_arrived"}}
  {"conversation":"c1","text":"it still hasn't arrived"}
  {"conversation":"c1","choose":"first"}     (or "native")
  {"conversation":"c1","wait":"90s"}
  {"conversation":"c1","callback":"090-1234-5678"}
  {"conversation":"c1","close":true,"rating":{"bot":4,"operator":5}}
A line that cannot be used gives {"error":"...","line":N} and the rest go on.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("chat takes no arguments, not %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if jsonl {
				return runChatJSONLCmd(cmd, g)
			}
			return runChat(cmd, g)
		},
	}
	cmd.Flags().BoolVar(&jsonl, "jsonl", false, "no terminal: read customer lines as JSON Lines on standard input, write events as JSON Lines")
	return cmd
}

// chatDeps is what runChat builds from the flags before the UI starts. Only
// fast things happen here; the store and the rules open after the first
// frame, inside the app.
type chatDeps struct {
	cfg   tui.Config
	store *lazyStore
}

// lazyStore opens the store when the app asks, and closes it whatever
// happens to the app (also after a panic).
type lazyStore struct {
	path string
	mu   sync.Mutex
	s    *transcripts.Store
}

func (l *lazyStore) open() (chat.Store, error) {
	l.mu.Lock()
	handed := l.s
	l.mu.Unlock()
	if handed != nil {
		return handed, nil // opened already, by the history that handed over
	}
	s, err := transcripts.Open(l.path, transcripts.Options{Timeout: time.Second, Holder: transcripts.HolderChat})
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.s = s
	l.mu.Unlock()
	return s, nil
}

func (l *lazyStore) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.s == nil {
		return nil
	}
	err := l.s.Close()
	l.s = nil
	return err
}

func buildChat(g *globalOptions) (*chatDeps, error) {
	prof, err := g.customerProfile()
	if err != nil {
		return nil, err
	}
	pool, start, err := g.poolAndStart()
	if err != nil {
		return nil, err
	}
	clock := handoff.NewScaledClock(start, g.speed, time.Now)
	lang := g.language()
	if g.lang == "" && prof.Customer.Lang != "" && os.Getenv("LANG") == "" && os.Getenv("LC_ALL") == "" {
		lang = prof.Customer.Lang
	}
	store := &lazyStore{path: g.dbPath}
	seed := uint64(g.seed)
	rulesFile := g.rulesFile
	// The desk's operators use the playbooks of the loaded rules. The bot
	// loads in a command; its result reaches Update before any escalation
	// can start a desk, so the channel orders the write before the read.
	var kb handoff.Knowledge
	cfg := tui.Config{
		Lang:      lang,
		Profile:   prof,
		Clock:     clock,
		Seed:      seed,
		NoColor:   os.Getenv("NO_COLOR") != "",
		OpenStore: store.open,
		LoadBot: func() (chat.Bot, error) {
			rules, err := loadBotRules(rulesFile)
			if err != nil {
				return nil, err
			}
			b := chat.NewBot(bot.NewEngine(rules))
			kb = b.Knowledge()
			return b, nil
		},
		Callbacks: handoff.NewCallbacks(pool),
		// Ids must differ between runs even with the same --clock and
		// --seed (a store outlives a run), so their suffix comes from a
		// source seeded by the wall clock, not from --seed.
		NewID:       newIDFunc(time.Now().UnixNano()),
		RecoveryDir: filepath.Dir(g.dbPath),
	}
	cfg.NewDesk = func(string) (chat.Desk, error) {
		return handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: kb, Start: clock.Now(), Seed: seed})
	}
	return &chatDeps{cfg: cfg, store: store}, nil
}

// errNotTerminal is returned when stdin is piped: the app needs keys.
var errNotTerminal = errors.New("the customer app needs a terminal; for scripts use 'tsunagu bot' or 'tsunagu history'")

func runChat(cmd *cobra.Command, g *globalOptions) error {
	in := cmd.InOrStdin()
	if !isTerminal(in) {
		return errNotTerminal
	}
	deps, err := buildChat(g)
	if err != nil {
		return err
	}
	return runProgram(deps, in, rawWriter(cmd.OutOrStdout()), cmd.ErrOrStderr())
}

// runProgram runs the app and closes the store afterwards, also when the
// app panicked (Bubble Tea restores the terminal and returns an error).
func runProgram(deps *chatDeps, in io.Reader, out, errOut io.Writer, opts ...tea.ProgramOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the app stopped on an internal error: %v", r)
		}
		if cerr := deps.store.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	opts = append([]tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out)}, opts...)
	p := tea.NewProgram(tui.New(deps.cfg), opts...)
	final, err := p.Run()
	if err != nil {
		if errors.Is(err, tea.ErrProgramPanic) {
			return errors.New("the app stopped on an internal error; the terminal was restored and the conversation store closed")
		}
		return err
	}
	// What the app has to say once the terminal is back: an unfinished
	// conversation's id, a recovery file.
	if m, ok := final.(*tui.Model); ok {
		if msg := m.Farewell(); msg != "" {
			fmt.Fprintln(errOut, msg)
		}
	}
	return nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// newIDFunc names conversations c20261126-100000-3f9a2c: the start time and
// 24 random bits from a source seeded with seed.
func newIDFunc(seed int64) func(time.Time) string {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)>>17|1))
	var mu sync.Mutex
	return func(t time.Time) string {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("c%s-%06x", t.Format("20060102-150405"), rng.Uint32()&0xffffff)
	}
}
