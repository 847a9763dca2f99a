package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/live"
	"tsunagu/handoff/training"
	"tsunagu/transcripts"
	"tsunagu/tui"
	"tsunagu/tui/console"
	"tsunagu/tui/serve"
)

func init() {
	subcommands = append(subcommands, newServeCmd)
}

// serveOptions are the flags of `tsunagu serve`.
type serveOptions struct {
	addr     string
	deskKeys string
	hostKey  string
	idle     time.Duration
	rate     int
	claim    time.Duration
	max      int
	perAddr  int
}

func newServeCmd(g *globalOptions) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the customer app and the operator console over SSH (a shared desk)",
		Long: `Serve the apps over SSH from one process that owns the store and the desk.

  ssh -p 2222 localhost         the customer app (the demo customer, or --profile)
  ssh -p 2222 desk@localhost    the operator console, for keys listed in --desk-keys

--desk-keys FILE is in authorized_keys format; each key's options name an
operator id of the pool (--operators) and a role (operator, trainee, trainer):
  operator="tanaka",role="operator" ssh-ed25519 AAAAC3Nz... tanaka@laptop
Operators take customers' chats; trainees take the role-plays a trainer routes
to them and are scored; trainers play scenarios' customers and watch any chat.
Whoever is not signed in is covered by simulated operators.

The host key is created on the first start next to the store (--db) and reused.
Listens on loopback unless --addr says otherwise. Ctrl+C stops accepting, lets
open writes finish and closes the store.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("serve takes no arguments, not %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, g, o, cmd.OutOrStdout(), cmd.ErrOrStderr(), nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", serve.DefaultAddr, "address to listen on (host:port)")
	f.StringVar(&o.deskKeys, "desk-keys", "", "public keys allowed at the operator console, with their operator id and role (authorized_keys format)")
	f.StringVar(&o.hostKey, "host-key", "", "the server's host key (default: ssh_host_ed25519_key next to the store)")
	f.DurationVar(&o.idle, "idle", serve.DefaultIdleTimeout, "close a customer session after this long without input")
	f.IntVar(&o.rate, "messages-per-minute", defaultMessagesPerMinute, "most messages one customer may send in a minute")
	f.DurationVar(&o.claim, "claim-window", live.DefaultClaimWindow, "how long a chat is offered to signed-in people before simulated operators take it")
	f.IntVar(&o.max, "max-sessions", serve.DefaultMaxSessions, "most customer sessions at once (desk sessions are not counted)")
	f.IntVar(&o.perAddr, "max-sessions-per-address", 0, fmt.Sprintf("most customer sessions at once from one address (0: %d, loopback not capped; -1: no cap)", serve.DefaultMaxSessionsPerIP))
	return cmd
}

// defaultMessagesPerMinute lets a person type fast and stops a script.
const defaultMessagesPerMinute = 20

// desk is the server's shared state, built once: what every session uses.
type desk struct {
	store   *transcripts.Store
	floor   *live.Floor
	bot     chat.Bot
	pool    *handoff.Pool
	clock   handoff.Clock
	calls   *handoff.Callbacks
	profile *profile.Profile
	lang    string
	seed    uint64
	newID   func(time.Time) string
	dataDir string
	rate    int
	wall    handoff.Clock // real time, for limits a person feels (--speed does not scale them)
	log     *slog.Logger
}

// serveReady is told where the server listens (tests use it to connect).
type serveReady func(addr net.Addr)

func runServe(ctx context.Context, g *globalOptions, o *serveOptions, out, errOut io.Writer, ready serveReady) error {
	if o.max < 1 {
		return usageErrorf("--max-sessions must be 1 or more, not %d", o.max)
	}
	if o.rate < 0 {
		return usageErrorf("--messages-per-minute must be 0 (no limit) or more, not %d", o.rate)
	}
	prof, err := g.customerProfile()
	if err != nil {
		return err
	}
	pool, start, err := g.poolAndStart()
	if err != nil {
		return err
	}
	var keys []serve.DeskKey
	if o.deskKeys != "" {
		data, err := os.ReadFile(o.deskKeys)
		if err != nil {
			return usageErrorf("cannot read the desk keys file %s: %s", o.deskKeys, readErrorText(err))
		}
		if keys, err = serve.ParseDeskKeys(o.deskKeys, data); err != nil {
			return usageErrorf("%s", err.Error())
		}
		known := func(id string) bool { _, ok := pool.Operator(id); return ok }
		if err := serve.CheckOperators(keys, known); err != nil {
			return usageErrorf("%s: %s (the pool is --operators, or the built-in one)", o.deskKeys, err.Error())
		}
	}
	rules, err := loadBotRules(g.rulesFile)
	if err != nil {
		return err
	}
	dataDir := filepath.Dir(g.dbPath)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("cannot create the data folder %s: %s", dataDir, readErrorText(err))
	}
	store, err := transcripts.Open(g.dbPath, transcripts.Options{Timeout: time.Second, Holder: transcripts.HolderServe})
	if err != nil {
		return err
	}
	b := chat.NewBot(bot.NewEngine(rules))
	clock := handoff.NewScaledClock(start, g.speed, time.Now)
	d := &desk{store: store, bot: b, pool: pool, clock: clock, calls: handoff.NewCallbacks(pool), profile: prof,
		lang: g.language(), seed: uint64(g.seed), newID: newIDFunc(time.Now().UnixNano()), dataDir: dataDir, rate: o.rate,
		wall: handoff.NewScaledClock(time.Now(), 1, time.Now)}
	d.floor, err = live.New(live.Config{Pool: pool, Clock: clock, Knowledge: b.Knowledge, Callbacks: d.calls,
		ClaimWindow: o.claim, Seed: uint64(g.seed), SaveScorecard: d.saveScorecard})
	if err != nil {
		store.Close()
		return err
	}
	hostKey := o.hostKey
	if hostKey == "" {
		hostKey = filepath.Join(dataDir, "ssh_host_ed25519_key")
	}
	logger := slog.New(slog.NewTextHandler(errOut, &slog.HandlerOptions{Level: slog.LevelInfo}))
	d.log = logger
	srv, err := serve.New(serve.Config{HostKeyPath: hostKey, DeskKeys: keys, IdleTimeout: o.idle,
		MaxSessions: o.max, MaxSessionsPerIP: o.perAddr,
		Customer: d.customerApp, Desk: d.deskApp, Ended: d.ended, Logger: logger})
	if err != nil {
		store.Close()
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		store.Close()
		return fmt.Errorf("cannot listen on %s: %s", o.addr, readErrorText(err))
	}
	fmt.Fprintf(out, "tsunagu serve: listening on %s (host key %s)\n", ln.Addr(), srv.Fingerprint())
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	fmt.Fprintf(out, "  customers:  ssh -p %s %s\n", port, host)
	if len(keys) > 0 {
		fmt.Fprintf(out, "  operators:  ssh -p %s desk@%s   (%d desk keys)\n", port, host, len(keys))
	} else {
		fmt.Fprintln(out, "  operators:  none (give --desk-keys FILE to open the operator console); simulated operators answer")
	}
	fmt.Fprintln(out, "Press Ctrl+C to stop.")
	if ready != nil {
		ready(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
		fmt.Fprintln(out, "tsunagu serve: stopping; open conversations are saved")
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = srv.Shutdown(shut)
		cancel()
		<-served
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil // some sessions had to be closed; their apps were still wound up
	}
	if cerr := store.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return err
}

func (d *desk) saveScorecard(c training.Scorecard) error {
	rec, err := c.Record()
	if err != nil {
		return err
	}
	_, err = d.store.SaveTraining(rec)
	return err
}

// sessionLang is the customer's language: LANG as the ssh client sent it,
// else the server's.
func (d *desk) sessionLang(s serve.Session) string {
	for _, k := range []string{"LC_ALL", "LANG"} {
		if v := s.Getenv(k); v != "" {
			if strings.HasPrefix(v, "ja") {
				return "ja"
			}
			return "en"
		}
	}
	return d.lang
}

// newDesk is a customer conversation's desk: the floor, covered by the
// simulated operators of those not signed in.
func (d *desk) newDesk(id string) (chat.Desk, error) {
	sim, err := handoff.NewDesk(handoff.DeskConfig{Pool: d.floor.CoverPool(), Knowledge: d.bot.Knowledge(),
		Start: d.clock.Now(), Seed: d.seed})
	if err != nil {
		return nil, err
	}
	return d.floor.Desk(id, sim), nil
}

func (d *desk) openStore() (chat.Store, error) { return d.store, nil }

func (d *desk) customerApp(s serve.Session) tea.Model {
	return tui.New(tui.Config{
		Lang:         d.sessionLang(s),
		Profile:      d.profile,
		Clock:        d.clock,
		Seed:         d.seed,
		NoColor:      s.NoColor(),
		OpenStore:    d.openStore,
		LoadBot:      func() (chat.Bot, error) { return d.bot, nil },
		NewDesk:      d.newDesk,
		Callbacks:    d.calls,
		NewID:        d.newID,
		RecoveryDir:  d.dataDir,
		MessageLimit: tui.MessageLimit{PerMinute: d.rate, Burst: min(d.rate, 5), Clock: d.wall},
		Served:       true, // the store holds everybody's conversations
	})
}

// deskApp is the operator console for the person the key names.
func (d *desk) deskApp(s serve.Session, p serve.Person) tea.Model {
	role, err := live.ParseRole(string(p.Role))
	lang := d.sessionLang(s)
	if err != nil {
		return console.Notice(lang, err.Error())
	}
	seat, err := d.floor.SignIn(p.Operator, role)
	if err != nil {
		return console.SignInRefused(lang, p.Operator, err)
	}
	return console.New(console.Config{Seat: seat, Lang: lang, NoColor: s.NoColor(), Clock: d.clock,
		OpenRolePlay: d.openRolePlay})
}

// openRolePlay is the customer conversation a trainer plays.
func (d *desk) openRolePlay(sc *training.Scenario, lang string) (*chat.Conversation, error) {
	p, ct := live.RolePlayCustomer(sc, lang)
	return chat.New(chat.Config{Lang: lang, Profile: p, Clock: d.clock, Bot: d.bot, Seed: d.seed,
		OpenStore: d.openStore, NewDesk: d.newDesk, Callbacks: d.calls, NewID: d.newID}, ct), nil
}

// ended runs after a session's app has stopped, however it stopped (quit,
// a dropped connection, the server shutting down): a customer's open
// conversation is kept as abandoned and a person's seat is freed, so no
// chat waits for someone who is gone.
func (d *desk) ended(s serve.Session, m tea.Model) {
	switch m := m.(type) {
	case *tui.Model:
		if what := m.Hangup(); what != "" {
			// Lines the store never took went to a recovery file: the
			// server's operator must know where.
			d.log.Warn("serve: "+what, "session", s.ID)
		}
	case *console.Model:
		m.Close()
	}
}
