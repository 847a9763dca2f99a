package serve_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui"
	"tsunagu/tui/serve"
	"tsunagu/tui/serve/servetest"
)

const limit = servetest.DefaultLimit

// The real bot is trained once per test binary.
var (
	botOnce   sync.Once
	sharedBot chat.Bot
)

// customerApp builds the real customer app for each session, all sessions
// sharing one store, as the server command does.
func customerApp(t *testing.T) func(serve.Session) tea.Model {
	t.Helper()
	botOnce.Do(func() { sharedBot = chat.NewBot(bot.NewEngine(bot.DefaultRules())) })
	b := sharedBot
	clock := handoff.NewScaledClock(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), 1, time.Now)
	store, err := transcripts.Open(filepath.Join(t.TempDir(), "t.db"), transcripts.Options{Timeout: time.Second, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	pool := handoff.DefaultPool()
	return func(s serve.Session) tea.Model {
		return tui.New(tui.Config{
			Lang: "en", Profile: profile.Demo(), Clock: clock, Seed: 7, NoColor: s.NoColor(),
			OpenStore: func() (chat.Store, error) { return store, nil },
			LoadBot:   func() (chat.Bot, error) { return b, nil },
			Callbacks: handoff.NewCallbacks(pool),
			NewDesk: func(string) (chat.Desk, error) {
				return handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: b.Knowledge(), Start: clock.Now(), Seed: 7})
			},
			RecoveryDir: t.TempDir(),
		})
	}
}

// echo is a test app: it shows who it was built for, what was typed last
// and how many bytes of input it has had.
type echo struct {
	who     string
	typed   string
	bytes   int
	panicOn string // typing this panics
}

func (e *echo) Init() tea.Cmd { return nil }

func (e *echo) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			return e, tea.Quit
		}
		e.bytes += len(msg.Text)
		e.typed += msg.Text
		if e.panicOn != "" && strings.Contains(e.typed, e.panicOn) {
			panic("test panic")
		}
		if len(e.typed) > 40 {
			e.typed = e.typed[len(e.typed)-40:]
		}
	case tea.PasteMsg:
		e.bytes += len(msg.Content)
	}
	return e, nil
}

func (e *echo) View() tea.View {
	return tea.NewView(fmt.Sprintf("%s\ntyped=[%s]\nbytes=%d", e.who, e.typed, e.bytes))
}

func echoApp(s serve.Session) tea.Model { return &echo{who: "CUSTOMER " + s.User} }

func deskApp(_ serve.Session, p serve.Person) tea.Model {
	return &echo{who: fmt.Sprintf("DESK %s %s %s", p.Operator, p.Role, p.Fingerprint)}
}

type started struct {
	srv   *serve.Server
	addr  string
	dir   string
	log   *syncBuffer
	serve chan error
}

// start runs a server on 127.0.0.1:0 with cfg's host key in a temporary
// folder (unless set) and stops it when the test ends.
func start(t *testing.T, cfg serve.Config, setup ...func(*serve.Server)) *started {
	t.Helper()
	st := &started{dir: t.TempDir(), log: &syncBuffer{}, serve: make(chan error, 1)}
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(st.dir, "keys", "host_ed25519")
	}
	if cfg.Customer == nil {
		cfg.Customer = echoApp
	}
	cfg.Logger = slog.New(slog.NewTextHandler(st.log, nil))
	srv, err := serve.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	st.srv, st.addr = srv, ln.Addr().String()
	go func() { st.serve <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return st
}

func dial(t *testing.T, addr, user string, signer gossh.Signer) *servetest.Client {
	t.Helper()
	c, err := servetest.Dial(t, addr, user, signer, 100, 30)
	if err != nil {
		t.Fatalf("dial %s: %v", user, err)
	}
	return c
}

func waitText(t *testing.T, c *servetest.Client, texts ...string) string {
	t.Helper()
	scr, err := c.WaitForText(limit, texts...)
	if err != nil {
		t.Fatal(err)
	}
	return scr
}

func TestCustomerAppWithoutAndWithKey(t *testing.T) {
	st := start(t, serve.Config{Customer: customerApp(t)})
	for _, signer := range []gossh.Signer{nil, servetest.NewSigner(t)} {
		c := dial(t, st.addr, "alice", signer)
		waitText(t, c, "tsunagu · customer support", "Who are you?")
		if err := c.Press("enter"); err != nil {
			t.Fatal(err)
		}
		waitText(t, c, "Which order is this about?")
		c.Close()
	}
}

func deskKeys(t *testing.T, lines ...string) []serve.DeskKey {
	t.Helper()
	keys, err := serve.ParseDeskKeys("desk-keys", []byte(strings.Join(lines, "")))
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestDeskRouting(t *testing.T) {
	operator, stranger := servetest.NewSigner(t), servetest.NewSigner(t)
	st := start(t, serve.Config{
		DeskKeys: deskKeys(t, servetest.AuthorizedLine(operator, "tanaka", "trainee")),
		Desk:     deskApp,
	})
	t.Run("listed key", func(t *testing.T) {
		c := dial(t, st.addr, serve.DeskUser, operator)
		waitText(t, c, "DESK tanaka trainee "+gossh.FingerprintSHA256(operator.PublicKey()))
		if err := c.Type("hello"); err != nil {
			t.Fatal(err)
		}
		waitText(t, c, "typed=[hello]")
	})
	refused := map[string][]gossh.AuthMethod{
		"unlisted key": {gossh.PublicKeys(stranger)},
		"no key": {gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return nil, nil
		})},
		"password": {gossh.Password("tanaka")},
	}
	for name, auth := range refused {
		t.Run(name, func(t *testing.T) {
			c, err := servetest.DialWith(t, st.addr, serve.DeskUser, auth, 100, 30)
			if err == nil {
				c.Close()
				t.Fatal("the desk let it in")
			}
			// Refused at authentication: no session was ever opened.
			if !strings.Contains(err.Error(), "handshake failed") {
				t.Fatalf("want a failed handshake, got %v", err)
			}
		})
	}
	t.Run("desk key as another user", func(t *testing.T) {
		c := dial(t, st.addr, "tanaka", operator)
		scr := waitText(t, c, "CUSTOMER tanaka")
		if strings.Contains(scr, "DESK") {
			t.Fatalf("a customer reached the desk:\n%s", scr)
		}
	})
}

func TestNoDeskApp(t *testing.T) {
	operator := servetest.NewSigner(t)
	st := start(t, serve.Config{DeskKeys: deskKeys(t, servetest.AuthorizedLine(operator, "tanaka", "operator"))})
	c := dial(t, st.addr, serve.DeskUser, operator)
	waitText(t, c, "This app is not available on this server.")
}

func TestHostKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new", "host_ed25519")
	fingerprint := func() string {
		st := start(t, serve.Config{HostKeyPath: path})
		c := dial(t, st.addr, "alice", nil)
		defer c.Close()
		waitText(t, c, "CUSTOMER alice")
		return gossh.FingerprintSHA256(c.HostKey())
	}
	first := fingerprint()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", info.Mode().Perm())
	}
	if d, _ := os.Stat(filepath.Dir(path)); d.Mode().Perm() != 0o700 {
		t.Errorf("host key folder mode %v, want 0700", d.Mode().Perm())
	}
	if second := fingerprint(); second != first {
		t.Errorf("the host key changed between starts: %s then %s", first, second)
	}

	open := filepath.Join(dir, "open")
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(open, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{open, "open to other users (mode 0644); run chmod 600"},
		{garbage, "is not an unencrypted OpenSSH private key"},
	} {
		_, err := serve.New(serve.Config{HostKeyPath: tc.path, Customer: echoApp})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an error with %q, got %v", filepath.Base(tc.path), tc.want, err)
		}
		if after, _ := os.ReadFile(tc.path); tc.path == garbage && string(after) != "not a key\n" {
			t.Errorf("the unusable host key was replaced")
		}
	}
}

func TestPanicStaysInItsSession(t *testing.T) {
	st := start(t, serve.Config{Customer: func(s serve.Session) tea.Model {
		return &echo{who: "CUSTOMER " + s.User, panicOn: "boom"}
	}})
	bad := dial(t, st.addr, "bad", nil)
	waitText(t, bad, "CUSTOMER bad")
	if err := bad.Type("boom"); err != nil {
		t.Fatal(err)
	}
	waitText(t, bad, "Sorry, something went wrong and this session was closed.")
	if logs := st.log.String(); strings.Contains(logs, "goroutine ") {
		t.Errorf("the panic reached Bubble Tea's handler:\n%s", logs)
	}
	if !strings.Contains(st.log.String(), "the app panicked") {
		t.Errorf("the panic was not logged:\n%s", st.log.String())
	}

	good := dial(t, st.addr, "good", nil)
	waitText(t, good, "CUSTOMER good")
	if err := good.Type("fine"); err != nil {
		t.Fatal(err)
	}
	waitText(t, good, "typed=[fine]")
}

func TestMaxSessions(t *testing.T) {
	st := start(t, serve.Config{MaxSessions: 2})
	a, b := dial(t, st.addr, "a", nil), dial(t, st.addr, "b", nil)
	waitText(t, a, "CUSTOMER a")
	waitText(t, b, "CUSTOMER b")
	full := dial(t, st.addr, "c", nil)
	scr, err := full.WaitFor(func(s string) bool { return strings.Contains(s, "The desk is full, try again later.") }, limit)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(scr, "CUSTOMER") {
		t.Fatalf("the session over the limit got an app:\n%s", scr)
	}
	for _, c := range []*servetest.Client{a, b} {
		if err := c.Type("still"); err != nil {
			t.Fatal(err)
		}
		waitText(t, c, "typed=[still]")
	}
	// A place freed is a place taken.
	a.Close()
	var d *servetest.Client
	for try := 0; ; try++ {
		d = dial(t, st.addr, "d", nil)
		scr, err := d.WaitFor(func(s string) bool { return strings.Contains(s, "CUSTOMER d") || strings.Contains(s, "full") }, limit)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(scr, "CUSTOMER d") {
			break
		}
		d.Close() // a's session had not ended on the server yet
		if try > 1000 {
			t.Fatal("the freed place never came back")
		}
	}
}

func TestNoTerminal(t *testing.T) {
	st := start(t, serve.Config{})
	out, err := servetest.Shell(t, st.addr, "alice", nil)
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("want exit status 1, got %v", err)
	}
	if !strings.Contains(out, "tsunagu is a terminal app: connect with ssh -t") {
		t.Errorf("output %q", out)
	}
}

func TestPacedPasteLosesNothing(t *testing.T) {
	var read atomic.Pointer[func() int64]
	st := start(t, serve.Config{InputBytesPerSecond: 128 << 10}, func(s *serve.Server) {
		s.OnInput(func(f func() int64) { read.Store(&f) })
	})
	c := dial(t, st.addr, "paster", nil)
	waitText(t, c, "CUSTOMER paster")
	const size = 200 << 10
	data := strings.Repeat("abcdefghij", size/10+1)[:size]
	// Bracketed, as a terminal pastes: the pacer splits it across many
	// reads, and the start and end sequences must still be recognised.
	if err := c.Type("\x1b[200~" + data + "\x1b[201~"); err != nil {
		t.Fatal(err)
	}
	waitText(t, c, fmt.Sprintf("bytes=%d", size))
	if err := c.Type("xyz"); err != nil {
		t.Fatal(err)
	}
	waitText(t, c, fmt.Sprintf("bytes=%d", size+3), "typed=[xyz]")
	// The app's input came through the pacer.
	if n := (*read.Load())(); n < size {
		t.Errorf("the pacer passed on %d bytes of a %d-byte paste", n, size)
	}
}

func TestFloodDoesNotStarveOthers(t *testing.T) {
	st := start(t, serve.Config{InputBytesPerSecond: 4 << 10})
	flood := dial(t, st.addr, "flood", nil)
	waitText(t, flood, "CUSTOMER flood")
	quiet := dial(t, st.addr, "quiet", nil)
	waitText(t, quiet, "CUSTOMER quiet")
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		chunk := strings.Repeat("f", 4096)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if flood.Type(chunk) != nil {
				return
			}
		}
	}()
	for i := range 5 {
		marker := fmt.Sprintf("m%d!", i)
		if _, err := quiet.TypeAndWaitEcho(marker); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	flood.Close()
	<-done
}

func TestIdleCustomerIsClosed(t *testing.T) {
	st := start(t, serve.Config{IdleTimeout: 300 * time.Millisecond})
	c := dial(t, st.addr, "sleepy", nil)
	waitText(t, c, "Closed after a while without input.")
}

// TestShutdown: Shutdown asks every open app to quit, so its session
// winds up (Ended sees its last model) and ends, and returns once they
// have; no new connection is accepted.
func TestShutdown(t *testing.T) {
	var mu sync.Mutex
	var ended []string
	st := start(t, serve.Config{Ended: func(s serve.Session, _ tea.Model) {
		mu.Lock()
		ended = append(ended, s.User)
		mu.Unlock()
	}})
	c := dial(t, st.addr, "alice", nil)
	waitText(t, c, "CUSTOMER alice")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := st.srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown with an open session: %v", err)
	}
	if err := <-st.serve; err != nil {
		t.Errorf("Serve returned %v after Shutdown", err)
	}
	waitText(t, c, "The server is stopping")
	mu.Lock()
	if len(ended) != 1 || ended[0] != "alice" {
		t.Errorf("Ended saw %q, want alice's session once", ended)
	}
	mu.Unlock()
	if c2, err := servetest.Dial(t, st.addr, "bob", nil, 80, 24); err == nil {
		c2.Close()
		t.Error("a new connection was accepted after Shutdown")
	}
}

// stuck is an app whose Update never returns once it sees a key: only the
// deadline can end its session.
type stuck struct {
	echo
	entered chan struct{}
	release chan struct{}
}

func (m *stuck) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		close(m.entered)
		<-m.release
	}
	return m, nil
}

// TestShutdownDeadline: an app that does not quit is cut off at the
// deadline, and Shutdown says so.
func TestShutdownDeadline(t *testing.T) {
	release, entered := make(chan struct{}), make(chan struct{})
	defer close(release)
	st := start(t, serve.Config{Customer: func(s serve.Session) tea.Model {
		return &stuck{echo: echo{who: "STUCK " + s.User}, entered: entered, release: release}
	}}, func(s *serve.Server) { s.SetDrainLimit(10 * time.Millisecond) })
	c := dial(t, st.addr, "carol", nil)
	waitText(t, c, "STUCK carol")
	if err := c.Type("x"); err != nil {
		t.Fatal(err)
	}
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := st.srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown with a stuck session: %v, want the deadline", err)
	}
	if _, err := c.WaitFor(func(string) bool { return c.Ended() }, limit); err != nil && !c.Ended() {
		t.Errorf("the stuck session's connection was not closed: %v", err)
	}
}

func TestShutdownWithoutSessions(t *testing.T) {
	st := start(t, serve.Config{})
	if err := st.srv.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-st.serve; err != nil {
		t.Errorf("Serve returned %v", err)
	}
}

func TestLogsHoldNoInput(t *testing.T) {
	st := start(t, serve.Config{})
	c := dial(t, st.addr, "alice\x1b[31m", nil)
	waitText(t, c, "CUSTOMER alice")
	if err := c.Type("secret-words"); err != nil {
		t.Fatal(err)
	}
	waitText(t, c, "typed=[secret-words]")
	c.Close()
	logs := st.log.String()
	if strings.Contains(logs, "secret-words") {
		t.Errorf("the log holds what was typed:\n%s", logs)
	}
	if strings.Contains(logs, "\x1b") {
		t.Errorf("the log holds a raw escape from the user name:\n%q", logs)
	}
	if !strings.Contains(logs, "serve: connect") {
		t.Errorf("no connect line:\n%s", logs)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// A huge paste over SSH is cut by the customer app's input box, as it is
// locally.
func TestHugePasteIsCappedByTheApp(t *testing.T) {
	st := start(t, serve.Config{Customer: customerApp(t), InputBytesPerSecond: 256 << 10})
	c := dial(t, st.addr, "alice", nil)
	waitText(t, c, "Who are you?")
	// signed in → first order → Delivery → Not arrived → chat now
	for _, want := range []string{"Which order is this about?", "What is it about?", "what exactly?", "How would you like to be contacted?", "> "} {
		if err := c.Press("enter"); err != nil {
			t.Fatal(err)
		}
		waitText(t, c, want)
	}
	if err := c.Type("\x1b[200~" + strings.Repeat("x", 50000) + "\x1b[201~"); err != nil {
		t.Fatal(err)
	}
	waitText(t, c, "The paste was cut to 10000 characters")
}

// Desk sessions are not counted against the customers' caps: with every
// customer place taken, an operator still gets in, and the customers'
// places stay as they were.
func TestDeskIsNotCapped(t *testing.T) {
	operator := servetest.NewSigner(t)
	st := start(t, serve.Config{MaxSessions: 1, MaxSessionsPerIP: 1, Desk: deskApp,
		DeskKeys: deskKeys(t, servetest.AuthorizedLine(operator, "tanaka", "operator"))})
	a := dial(t, st.addr, "a", nil)
	waitText(t, a, "CUSTOMER a")
	for i := range 3 {
		d := dial(t, st.addr, serve.DeskUser, operator)
		waitText(t, d, "DESK tanaka")
		if err := d.Type(fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		waitText(t, d, fmt.Sprintf("typed=[%d]", i))
	}
	full := dial(t, st.addr, "b", nil)
	if scr := waitText(t, full, "Too many sessions from your address"); strings.Contains(scr, "CUSTOMER") {
		t.Fatalf("a customer over the cap got an app:\n%s", scr)
	}
}

// One address holds at most MaxSessionsPerIP customer sessions: one more
// is told so in a plain line and exits 1, and the others go on.
func TestMaxSessionsPerIP(t *testing.T) {
	st := start(t, serve.Config{MaxSessionsPerIP: 2})
	a, b := dial(t, st.addr, "a", nil), dial(t, st.addr, "b", nil)
	waitText(t, a, "CUSTOMER a")
	waitText(t, b, "CUSTOMER b")
	over := dial(t, st.addr, "c", nil)
	scr := waitText(t, over, "Too many sessions from your address; close one and try again.")
	if strings.Contains(scr, "CUSTOMER") {
		t.Fatalf("the session over the cap got an app:\n%s", scr)
	}
	out, err := servetest.Shell(t, st.addr, "d", nil)
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 {
		t.Errorf("want exit status 1 over the cap, got %v", err)
	}
	if !strings.Contains(out, "Too many sessions from your address") {
		t.Errorf("output over the cap %q", out)
	}
	for _, c := range []*servetest.Client{a, b} {
		if err := c.Type("still"); err != nil {
			t.Fatal(err)
		}
		waitText(t, c, "typed=[still]")
	}
}

func connect(t *testing.T, addr, user string, signer gossh.Signer, deaf bool) *gossh.Client {
	t.Helper()
	conn, err := servetest.Connect(t, addr, user, signer, deaf)
	if err != nil {
		t.Fatalf("connect %s: %v", user, err)
	}
	return conn
}

func open(t *testing.T, conn *gossh.Client) *servetest.Client {
	t.Helper()
	c, err := servetest.Open(t, conn, 100, 30)
	if err != nil {
		t.Fatalf("open a session: %v", err)
	}
	return c
}

// waitClosed waits until the server has closed conn (limit only stops a
// hung test).
func waitClosed(t *testing.T, conn *gossh.Client, what string) {
	t.Helper()
	closed := make(chan struct{})
	go func() { _ = conn.Wait(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(limit):
		t.Fatalf("%s: the connection is still open", what)
	}
}

// A customer's connection carries one session at a time: a second is
// refused at its opening, with a line saying why, and the first goes on.
// An operator's may carry several.
func TestOneSessionPerCustomerConnection(t *testing.T) {
	operator := servetest.NewSigner(t)
	st := start(t, serve.Config{Desk: deskApp,
		DeskKeys: deskKeys(t, servetest.AuthorizedLine(operator, "tanaka", "operator"))})
	conn := connect(t, st.addr, "alice", nil, false)
	first := open(t, conn)
	waitText(t, first, "CUSTOMER alice")
	for range 3 {
		_, err := servetest.Open(t, conn, 100, 30)
		if err == nil || !strings.Contains(err.Error(), "One session per connection; connect again for another.") {
			t.Fatalf("a second session on a customer's connection: %v, want it refused", err)
		}
	}
	if err := first.Type("still"); err != nil {
		t.Fatal(err)
	}
	waitText(t, first, "typed=[still]")

	desk := connect(t, st.addr, serve.DeskUser, operator, false)
	for i := range 2 {
		c := open(t, desk)
		waitText(t, c, "DESK tanaka")
		if err := c.Type(fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		waitText(t, c, fmt.Sprintf("typed=[%d]", i))
	}
}

// A connection without a session is closed after SessionWait: one that
// logged in and opened none, one whose session never asked for a shell,
// and one whose session has ended; one with a session is not.
func TestConnectionWithoutSessionIsClosed(t *testing.T) {
	var waits *serve.SessionWaits
	st := start(t, serve.Config{SessionWait: time.Hour}, func(s *serve.Server) { waits = s.HandFiredSessionWaits() })
	busy := dial(t, st.addr, "busy", nil)
	waitText(t, busy, "CUSTOMER busy")

	fireUntilClosed(t, waits, connect(t, st.addr, "idle", nil, false), "no session")

	noShell := connect(t, st.addr, "noshell", nil, false)
	sess, err := noShell.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	fireUntilClosed(t, waits, noShell, "a session without a shell")

	doneConn := connect(t, st.addr, "done", nil, false)
	done := open(t, doneConn)
	waitText(t, done, "CUSTOMER done")
	if err := done.Press("ctrl+c"); err != nil {
		t.Fatal(err)
	}
	fireUntilClosed(t, waits, doneConn, "after its session ended")

	// The waits fired all along; the connection with a session stayed.
	if err := busy.Type("still"); err != nil {
		t.Fatal(err)
	}
	waitText(t, busy, "typed=[still]")
}

// fireUntilClosed fires the armed waits for a session until the server
// has closed conn (a wait armed later is fired when it is armed; limit
// only stops a hung test).
func fireUntilClosed(t *testing.T, waits *serve.SessionWaits, conn *gossh.Client, what string) {
	t.Helper()
	closed := make(chan struct{})
	go func() { _ = conn.Wait(); close(closed) }()
	timeout := time.After(limit)
	for {
		armed := waits.Fire()
		select {
		case <-closed:
			return
		case <-armed:
		case <-timeout:
			t.Fatalf("%s: the connection is still open", what)
		}
	}
}

// endedLog records the sessions whose app has stopped.
type endedLog struct {
	mu    sync.Mutex
	users []string
	ch    chan struct{} // closed and replaced on every end
}

func newEndedLog() *endedLog { return &endedLog{ch: make(chan struct{})} }

func (e *endedLog) ended(s serve.Session, _ tea.Model) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.users = append(e.users, s.User)
	close(e.ch)
	e.ch = make(chan struct{})
}

func (e *endedLog) has(user string) (bool, chan struct{}) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Contains(e.users, user), e.ch
}

// A peer that stops answering (a laptop put to sleep) loses its session
// after two keepalive intervals, desk and customer alike, and the app is
// wound up (Ended), which frees an operator's seat.
func TestSilentPeerIsDropped(t *testing.T) {
	operator := servetest.NewSigner(t)
	log := newEndedLog()
	ticks := make(chan time.Time)
	st := start(t, serve.Config{Ended: log.ended, Desk: deskApp,
		DeskKeys: deskKeys(t, servetest.AuthorizedLine(operator, "tanaka", "operator"))},
		func(s *serve.Server) { s.TickKeepalives(ticks) })
	for _, tc := range []struct {
		user   string
		signer gossh.Signer
		want   string
	}{{"sleepy", nil, "CUSTOMER sleepy"}, {serve.DeskUser, operator, "DESK tanaka"}} {
		conn := connect(t, st.addr, tc.user, tc.signer, true)
		c := open(t, conn)
		waitText(t, c, tc.want)
		// One interval to ask, one more without an answer: dropped.
		timeout := time.After(limit)
		for {
			ended, changed := log.has(tc.user)
			if ended {
				break
			}
			select {
			case ticks <- time.Now():
			case <-changed:
			case <-timeout:
				t.Fatalf("%s's session has not ended", tc.user)
			}
		}
		waitClosed(t, conn, tc.user)
	}
}

// A peer that answers keeps its session across many keepalives.
func TestAnsweringPeerIsKept(t *testing.T) {
	var answered atomic.Int64
	changed := make(chan struct{}, 1)
	log := newEndedLog()
	ticks := make(chan time.Time)
	st := start(t, serve.Config{Ended: log.ended}, func(s *serve.Server) {
		s.TickKeepalives(ticks)
		s.OnKeepalive(func() {
			answered.Add(1)
			select {
			case changed <- struct{}{}:
			default:
			}
		})
	})
	c := dial(t, st.addr, "awake", nil)
	waitText(t, c, "CUSTOMER awake")
	timeout := time.After(limit)
	// Each interval begins only once the last ask was answered, however
	// slowly: the peer is never late, so it must never be dropped.
	for n := int64(1); n <= 4; n++ {
		select {
		case ticks <- time.Now():
		case <-timeout:
			t.Fatal("the keepalive stopped asking")
		}
		for answered.Load() < n {
			select {
			case <-changed:
			case <-timeout:
				t.Fatalf("%d keepalives answered, want %d", answered.Load(), n)
			}
		}
	}
	if err := c.Type("here"); err != nil {
		t.Fatal(err)
	}
	waitText(t, c, "typed=[here]")
	if ok, _ := log.has("awake"); ok {
		t.Error("the session of a peer that answers was ended")
	}
}
