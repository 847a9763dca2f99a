// Package serve serves the customer app and the operator console over SSH,
// in one process: the host key, who may log in as what (customers with any
// key or none, operators as the desk user with a key from the desk-keys
// file), and what each session gets around its app: a recovered panic, a
// terminal check, caps on customers' sessions (overall, per address, per
// connection), a keepalive that drops dead peers, an input pacer and, for
// customers, an idle timeout. Building the apps themselves is the caller's
// (Config.Customer and Config.Desk).
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	wishrecover "charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"
)

// DeskUser is the user name operators log in as; every other name is a
// customer.
const DeskUser = "desk"

// DefaultAddr is where the server listens unless told otherwise: the
// loopback only.
const DefaultAddr = "localhost:2222"

// Defaults for the zero values of Config.
const (
	DefaultIdleTimeout         = 10 * time.Minute
	DefaultMaxSessions         = 500
	DefaultMaxSessionsPerIP    = 16
	DefaultSessionWait         = 30 * time.Second
	DefaultKeepaliveInterval   = 30 * time.Second
	DefaultInputBytesPerSecond = 4 << 10
	// inputBurst is how much input may arrive at once (a paste) before the
	// pacer slows it down.
	inputBurst = 16 << 10
	// drainLimit bounds how long Shutdown waits for the apps to finish once
	// their connections are closed.
	drainLimit = 10 * time.Second
)

// Texts the server itself writes to a session. They are constants: nothing
// the client sent is ever echoed.
const (
	msgFull    = "The desk is full, try again later."
	msgPerIP   = "Too many sessions from your address; close one and try again."
	msgOneSess = "One session per connection; connect again for another."
	msgNoPTY   = "tsunagu is a terminal app: connect with ssh -t so that a terminal is allocated."
	msgCommand = "This server runs no commands: connect without one."
	msgNoApp   = "This app is not available on this server."
	msgRefused = "This login is not allowed here."
	msgCrashed = "Sorry, something went wrong and this session was closed. Please connect again."
	msgIdle    = "Closed after a while without input. Connect again to continue."
	msgStop    = "The server is stopping; what you wrote is saved. Connect again later."
)

// Config is what New needs.
type Config struct {
	HostKeyPath string // the host key, created on the first start
	DeskKeys    []DeskKey
	// Customer builds the customer app for one session; Desk builds the
	// operator console for a desk session. A nil Desk refuses desk logins.
	Customer func(Session) tea.Model
	Desk     func(Session, Person) tea.Model
	// IdleTimeout closes a customer session after that long without input
	// (0: DefaultIdleTimeout, negative: never). Desk sessions have none: an
	// operator watching a queue is not idle.
	IdleTimeout time.Duration
	// MaxSessions caps the customer sessions open at once (0:
	// DefaultMaxSessions); one more is told the desk is full. Desk sessions
	// are not counted and always get in: they come with a listed key, and
	// a crowd of customers must not keep the operators out.
	MaxSessions int
	// MaxSessionsPerIP caps the customer sessions open at once from one
	// address (an IPv6 address counts as its /64), so one client cannot
	// take every place (0: DefaultMaxSessionsPerIP, negative: no cap). The
	// default leaves the loopback uncapped, since a local proxy or port
	// forward brings every customer from there; a cap set here applies to
	// the loopback too. A customer's connection carries one session at a
	// time (one more is refused at its opening), so that it cannot
	// multiply its sessions; an operator's may carry several.
	MaxSessionsPerIP int
	// SessionWait closes a connection that has had no session for that
	// long: one that logged in and never started one, or whose session has
	// ended and that did not hang up. It counts from the connection's
	// start, handshake included (0: DefaultSessionWait, negative: never).
	SessionWait time.Duration
	// KeepaliveInterval is how often the server asks each client with a
	// session for an answer (keepalive@openssh.com; any answer will do,
	// a refusal too). When none comes within one more interval, the
	// connection is closed and its sessions end (Ended runs): a client
	// that went away without a word, such as a laptop put to sleep, frees
	// its place, and an operator's seat, within two intervals instead of
	// when TCP gives up (0: DefaultKeepaliveInterval, negative: none).
	KeepaliveInterval time.Duration
	// InputBytesPerSecond paces each session's input (0: the default,
	// with bursts of 16 KiB or one second's worth, whichever is more).
	InputBytesPerSecond int
	Logger              *slog.Logger // nil: slog.Default()
	// Ended, when set, is called once a session's app has stopped, however
	// it stopped (quit, idle timeout, dropped connection, shutdown), with
	// the app's last model: the place to wind up what the session held.
	Ended func(Session, tea.Model)
}

// Session is what an app knows of its connection.
type Session struct {
	ID         string // unique in this server's run, for logs
	User       string // as the client sent it: sanitise before showing
	RemoteAddr net.Addr
	Width      int
	Height     int
	Term       string
	Environ    []string // the client's environment requests, and TERM
	// Context ends when the connection does.
	Context context.Context
}

// Getenv returns the value of key in the session's environment.
func (s Session) Getenv(key string) string {
	for _, kv := range s.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// NoColor reports that the client asked for no colour (NO_COLOR set).
func (s Session) NoColor() bool { return s.Getenv("NO_COLOR") != "" }

// Person is who logged in at the desk, from the desk-keys line of the key
// they authenticated with.
type Person struct {
	Operator    string
	Role        Role
	Fingerprint string // SHA256 fingerprint of the key
}

// Server serves the apps over SSH.
type Server struct {
	cfg  Config
	log  *slog.Logger
	ssh  *ssh.Server
	keys map[string]DeskKey // marshalled key → line
	// fingerprint is the host key's SHA256 fingerprint.
	fingerprint string
	active      atomic.Int64 // sessions past the capacity check, desk ones too
	ids         atomic.Uint64
	wg          sync.WaitGroup // sessions past the capacity check

	pacerHook     func(*pacer) // tests see each session's pacer
	keepaliveHook func()       // tests see each keepalive answered
	// keepaliveTick, when set, replaces the keepalive's timer (tests tick it
	// by hand, so a slow machine never looks like a dead peer).
	keepaliveTick <-chan time.Time
	// afterFunc arms the wait for a session (time.AfterFunc; tests fire it
	// by hand).
	afterFunc func(d time.Duration, f func()) stopper
	// drain is how long Shutdown waits for the apps once their
	// connections are closed: drainLimit, shorter in tests.
	drain time.Duration

	capMu     sync.Mutex
	customers int            // customer sessions open
	perIP     map[string]int // customer sessions open by sourceKey

	mu       sync.Mutex
	shutdown bool
	serving  []net.Listener
	conns    map[*conn]struct{} // sessions past routing, to quit on shutdown
}

// Permission extensions set at authentication. They decide the app; the
// user name alone never does.
const (
	extApp      = "tsunagu-app"
	extOperator = "tsunagu-operator"
	extRole     = "tsunagu-role"
	extFP       = "tsunagu-fingerprint"
	appCustomer = "customer"
	appDesk     = "desk"
)

// New checks cfg and loads (or creates) the host key.
func New(cfg Config) (*Server, error) {
	if cfg.Customer == nil {
		return nil, errors.New("serve: Config.Customer is required")
	}
	if cfg.HostKeyPath == "" {
		return nil, errors.New("serve: Config.HostKeyPath is required")
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.SessionWait == 0 {
		cfg.SessionWait = DefaultSessionWait
	}
	if cfg.KeepaliveInterval == 0 {
		cfg.KeepaliveInterval = DefaultKeepaliveInterval
	}
	if cfg.InputBytesPerSecond <= 0 {
		cfg.InputBytesPerSecond = DefaultInputBytesPerSecond
	}
	s := &Server{cfg: cfg, log: cfg.Logger, keys: map[string]DeskKey{}, drain: drainLimit, perIP: map[string]int{},
		afterFunc: func(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) }}
	if s.log == nil {
		s.log = slog.Default()
	}
	for _, k := range cfg.DeskKeys {
		if k.Key == nil || k.Operator == "" || !k.Role.valid() {
			return nil, fmt.Errorf("serve: desk key on line %d is incomplete", k.Line)
		}
		m := string(k.Key.Marshal())
		if first, dup := s.keys[m]; dup {
			return nil, fmt.Errorf("serve: desk key on line %d is already listed on line %d", k.Line, first.Line)
		}
		s.keys[m] = k
	}
	signer, err := hostSigner(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s.fingerprint = gossh.FingerprintSHA256(signer.PublicKey())
	s.ssh = &ssh.Server{
		HostSigners:                []ssh.Signer{signer},
		Version:                    "tsunagu",
		HandshakeTimeout:           30 * time.Second,
		PublicKeyHandler:           s.publicKey,
		KeyboardInteractiveHandler: s.keyboardInteractive,
		ServerConfigCallback:       s.serverConfig,
		ConnCallback:               s.connected,
		ChannelHandlers:            map[string]ssh.ChannelHandler{"session": s.sessionChannel},
	}
	if err := s.ssh.SetOption(wish.WithMiddleware(
		// Listed innermost first: the program runs inside everything else.
		wishrecover.MiddlewareWithLogger(printfLogger{s.log},
			bubbletea.MiddlewareWithProgramHandler(s.program),
			s.route,
			s.terminalOnly,
			s.capacity,
			s.logging,
			s.linked,
		),
	)); err != nil {
		return nil, err
	}
	return s, nil
}

// Serve serves connections from ln until Shutdown, and then returns nil.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		_ = ln.Close()
		return nil
	}
	s.serving = append(s.serving, ln)
	s.mu.Unlock()
	err := s.ssh.Serve(ln)
	s.mu.Lock()
	down := s.shutdown
	s.mu.Unlock()
	if down || errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections, asks every open app to quit and
// waits for the sessions to end. When ctx ends first, it closes the
// connections, waits up to 10 s more for their apps to finish (an app stuck
// in Update is left behind, logged), and returns ctx's error: so it takes
// at most ctx's deadline plus 10 s.
func (s *Server) Shutdown(ctx context.Context) error {
	// The listeners are closed here too: a Serve that has not yet handed
	// its listener to the SSH server would otherwise keep accepting.
	s.mu.Lock()
	s.shutdown = true
	lns := s.serving
	s.serving = nil
	var open []*conn
	for c := range s.conns {
		open = append(open, c)
	}
	s.mu.Unlock()
	for _, ln := range lns {
		_ = ln.Close()
	}
	// Every app is asked to quit, as if its person had: its session then
	// winds up (Ended) and ends, instead of waiting for the person to
	// leave or for the deadline to cut the connection.
	for _, c := range open {
		c.mu.Lock()
		p := c.prog
		c.mu.Unlock()
		if p != nil {
			// Quit waits for the program to take the message; an app stuck
			// in Update must not hold up the shutdown (the deadline ends it).
			go p.Quit()
		}
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		// Every session has ended; what is left are idle connections (a
		// client that has not hung up yet) and handshakes.
		return s.ssh.Close()
	case <-ctx.Done():
	}
	_ = s.ssh.Close()
	t := time.NewTimer(s.drain)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		s.log.Warn("serve: sessions still running after shutdown", "sessions", s.active.Load())
	}
	return ctx.Err()
}

// serverConfig lets customers in with no authentication at all ("none"),
// which is how a person without keys gets in with a plain ssh; the desk
// user is refused it and must use a key.
func (s *Server) serverConfig(ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		NoClientAuth: true,
		NoClientAuthCallback: func(conn gossh.ConnMetadata) (*gossh.Permissions, error) {
			if conn.User() == DeskUser {
				return nil, errors.New("the desk needs a key")
			}
			return &gossh.Permissions{Extensions: map[string]string{extApp: appCustomer}}, nil
		},
	}
}

// publicKey accepts any key from a customer, and for the desk user only a
// key from the desk-keys file, whose operator and role it records.
func (s *Server) publicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	perms := ctx.Permissions()
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	if ctx.User() != DeskUser {
		perms.Extensions[extApp] = appCustomer
		return true
	}
	dk, ok := s.keys[string(key.Marshal())]
	if !ok {
		return false
	}
	perms.Extensions[extApp] = appDesk
	perms.Extensions[extOperator] = dk.Operator
	perms.Extensions[extRole] = string(dk.Role)
	perms.Extensions[extFP] = gossh.FingerprintSHA256(key)
	return true
}

// keyboardInteractive lets a customer in without asking anything (clients
// that do not try "none" end up here); never the desk user.
func (s *Server) keyboardInteractive(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool {
	if ctx.User() == DeskUser {
		return false
	}
	perms := ctx.Permissions()
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	perms.Extensions[extApp] = appCustomer
	return true
}

// stopper is the part of *time.Timer the wait for a session uses.
type stopper interface {
	Stop() bool
	Reset(d time.Duration) bool
}

// link is what the server keeps of one SSH connection, for the rules on
// its sessions.
type link struct {
	mu       sync.Mutex
	channels int     // customer session channels open
	sessions int     // sessions started (shell asked for) and not ended
	wait     stopper // closes the connection while it has no session
	closed   bool    // the connection has ended
	alive    bool    // the keepalive is running
}

type linkKey struct{}

func linkOf(ctx context.Context) *link {
	l, _ := ctx.Value(linkKey{}).(*link)
	return l
}

// connected starts the wait for a session on every new connection.
func (s *Server) connected(ctx ssh.Context, nc net.Conn) net.Conn {
	l := &link{}
	if s.cfg.SessionWait > 0 {
		l.wait = s.afterFunc(s.cfg.SessionWait, func() {
			s.log.Info("serve: closed a connection without a session", "remote", nc.RemoteAddr().String())
			_ = nc.Close()
		})
	}
	context.AfterFunc(ctx, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.closed = true
		if l.wait != nil {
			l.wait.Stop()
		}
	})
	ctx.SetValue(linkKey{}, l)
	return nc
}

// sessionChannel lets a customer's connection have one session channel
// open at a time: more would multiply its sessions past the per-address
// cap's intent and hold a channel each. It is refused at its opening, so
// the client shows why.
func (s *Server) sessionChannel(srv *ssh.Server, sc *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	if sc.Permissions == nil || sc.Permissions.Extensions[extApp] != appDesk {
		l := linkOf(ctx)
		if l == nil {
			_ = ch.Reject(gossh.Prohibited, msgRefused)
			return
		}
		l.mu.Lock()
		first := l.channels == 0
		if first {
			l.channels++
		}
		l.mu.Unlock()
		if !first {
			_ = ch.Reject(gossh.Prohibited, msgOneSess)
			return
		}
		defer func() {
			l.mu.Lock()
			l.channels--
			l.mu.Unlock()
		}()
	}
	// It returns once the channel is closed.
	ssh.DefaultSessionHandler(srv, sc, ch, ctx)
}

// linked stops the wait for a session while one runs, starts it again
// when the last one ends, and keeps the connection's keepalive going from
// its first session on.
func (s *Server) linked(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ctx := sess.Context()
		l := linkOf(ctx)
		if l == nil {
			next(sess)
			return
		}
		l.mu.Lock()
		l.sessions++
		if l.wait != nil {
			l.wait.Stop()
		}
		startKeepalive := !l.alive && s.cfg.KeepaliveInterval > 0
		l.alive = true
		l.mu.Unlock()
		if conn, ok := ctx.Value(ssh.ContextKeyConn).(gossh.Conn); ok && startKeepalive {
			go s.keepalive(ctx, conn)
		}
		defer func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.sessions--; l.sessions == 0 && l.wait != nil && !l.closed {
				l.wait.Reset(s.cfg.SessionWait)
			}
		}()
		next(sess)
	}
}

// keepaliveRequest is the request OpenSSH's own keepalives use; clients
// answer it, if only with a refusal.
const keepaliveRequest = "keepalive@openssh.com"

// keepalive asks the client for an answer every KeepaliveInterval, and
// closes the connection when none has come after one more: a dead peer is
// otherwise noticed only when TCP gives up, and an operator (who has no
// idle timeout) would hold a seat and its chats that long.
func (s *Server) keepalive(ctx context.Context, conn gossh.Conn) {
	tick := func() <-chan time.Time { return time.After(s.cfg.KeepaliveInterval) }
	if s.keepaliveTick != nil {
		tick = func() <-chan time.Time { return s.keepaliveTick }
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick():
		}
		answered := make(chan struct{})
		go func() {
			// An error means the connection is gone, and ctx ends with it.
			if _, _, err := conn.SendRequest(keepaliveRequest, true, nil); err == nil {
				close(answered)
			}
		}()
		select {
		case <-ctx.Done():
			return
		case <-answered:
			if s.keepaliveHook != nil {
				s.keepaliveHook()
			}
		case <-tick():
			s.log.Warn("serve: no answer to a keepalive; closing the connection", "remote", conn.RemoteAddr().String())
			_ = conn.Close()
			return
		}
	}
}

// conn is a session on its way to its app: the ssh.Session, with its input
// paced, plus what route decided. The bubbletea middleware is handed it in
// place of the session, so the program reads the paced input.
type conn struct {
	ssh.Session
	in      *pacer
	info    Session
	app     string
	person  Person
	mu      sync.Mutex
	prog    *tea.Program
	running *guarded // the running app, for Ended
	idled   bool
	crashed atomic.Bool
}

func (c *conn) Read(b []byte) (int, error) { return c.in.Read(b) }

// who reads the app decided at authentication. A desk session whose key is
// not (or no longer) listed is refused: ok is false.
func (s *Server) who(sess ssh.Session) (app string, p Person, ok bool) {
	ext := sess.Permissions().Extensions
	if sess.User() != DeskUser {
		return appCustomer, Person{}, ext[extApp] == appCustomer
	}
	key := sess.PublicKey()
	if ext[extApp] != appDesk || key == nil {
		return "", Person{}, false
	}
	dk, listed := s.keys[string(key.Marshal())]
	if !listed || dk.Operator != ext[extOperator] {
		return "", Person{}, false
	}
	return appDesk, Person{Operator: dk.Operator, Role: dk.Role, Fingerprint: gossh.FingerprintSHA256(key)}, true
}

// logging logs each session's start and end, never what was typed.
func (s *Server) logging(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		app, p, _ := s.who(sess)
		pty, _, _ := sess.Pty()
		s.log.Info("serve: connect", "user", plain(sess.User()), "remote", sess.RemoteAddr().String(),
			"app", app, "operator", p.Operator, "role", string(p.Role),
			"term", plain(pty.Term), "width", pty.Window.Width, "height", pty.Window.Height)
		next(sess)
		s.log.Info("serve: disconnect", "user", plain(sess.User()), "remote", sess.RemoteAddr().String(),
			"duration", time.Since(start).Round(time.Millisecond))
	}
}

// capacity turns away customer sessions beyond MaxSessions, or beyond
// MaxSessionsPerIP from one address. Desk sessions are not counted.
func (s *Server) capacity(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		app, _, ok := s.who(sess)
		desk := ok && app == appDesk
		var key string
		if !desk {
			key = s.sourceKey(sess.RemoteAddr())
			if msg := s.admit(key); msg != "" {
				s.log.Warn("serve: full", "remote", sess.RemoteAddr().String(), "per_address", msg == msgPerIP)
				say(sess, msg)
				_ = sess.Exit(1)
				return
			}
		}
		s.active.Add(1)
		s.wg.Add(1)
		defer func() {
			if !desk {
				s.leave(key)
			}
			s.active.Add(-1)
			s.wg.Done()
		}()
		next(sess)
	}
}

// admit takes a customer place for a session from key ("": not capped by
// address), or returns the line saying why there is none.
func (s *Server) admit(key string) string {
	s.capMu.Lock()
	defer s.capMu.Unlock()
	if key != "" && s.perIP[key] >= s.perIPLimit() {
		return msgPerIP
	}
	if s.customers >= s.cfg.MaxSessions {
		return msgFull
	}
	s.customers++
	if key != "" {
		s.perIP[key]++
	}
	return ""
}

// leave gives back the place admit took.
func (s *Server) leave(key string) {
	s.capMu.Lock()
	defer s.capMu.Unlock()
	s.customers--
	if key == "" {
		return
	}
	if s.perIP[key]--; s.perIP[key] <= 0 {
		delete(s.perIP, key) // the map holds only addresses with sessions
	}
}

func (s *Server) perIPLimit() int {
	if s.cfg.MaxSessionsPerIP == 0 {
		return DefaultMaxSessionsPerIP
	}
	return s.cfg.MaxSessionsPerIP
}

// sourceKey is what the per-address cap counts a session under: its IPv4
// address, or its IPv6 /64 (one host usually has the whole of it, and
// would otherwise change address to get more places). "" means not
// capped: no per-address cap, an address that is not IP, or the loopback
// under the default cap (see Config.MaxSessionsPerIP).
func (s *Server) sourceKey(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || s.cfg.MaxSessionsPerIP < 0 {
		return ""
	}
	if tcp.IP.IsLoopback() && s.cfg.MaxSessionsPerIP == 0 {
		return ""
	}
	if ip4 := tcp.IP.To4(); ip4 != nil {
		return ip4.String()
	}
	return tcp.IP.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// terminalOnly refuses sessions without a terminal, and commands.
func (s *Server) terminalOnly(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if _, _, ok := sess.Pty(); !ok {
			say(sess, msgNoPTY)
			_ = sess.Exit(1)
			return
		}
		if len(sess.Command()) > 0 || sess.Subsystem() != "" {
			say(sess, msgCommand)
			_ = sess.Exit(1)
			return
		}
		next(sess)
	}
}

// route picks the app, paces the input, watches a customer's idle time,
// and says why a session ended when the app did not.
func (s *Server) route(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		app, person, ok := s.who(sess)
		if !ok {
			say(sess, msgRefused)
			_ = sess.Exit(1)
			return
		}
		pty, _, _ := sess.Pty()
		ctx := sess.Context()
		rate := s.cfg.InputBytesPerSecond
		c := &conn{Session: sess, app: app, person: person,
			in: newPacer(ctx, sess, rate, max(rate, inputBurst)),
			info: Session{ID: strconv.FormatUint(s.ids.Add(1), 10), User: sess.User(), RemoteAddr: sess.RemoteAddr(),
				Width: pty.Window.Width, Height: pty.Window.Height, Term: pty.Term,
				Environ: append(sess.Environ(), "TERM="+pty.Term), Context: ctx}}
		if s.pacerHook != nil {
			s.pacerHook(c.in)
		}
		s.mu.Lock()
		if s.shutdown {
			s.mu.Unlock()
			say(sess, msgStop)
			_ = sess.Exit(1)
			return
		}
		if s.conns == nil {
			s.conns = map[*conn]struct{}{}
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
		stop := make(chan struct{})
		if app == appCustomer && s.cfg.IdleTimeout > 0 {
			go s.watchIdle(c, stop)
		}
		next(c)
		close(stop)
		c.mu.Lock()
		idled, started, running := c.idled, c.prog != nil, c.running
		c.mu.Unlock()
		if running != nil && s.cfg.Ended != nil {
			// The program has stopped (quit, idle, dropped, shut down):
			// the app's model is no longer updated and can be wound up.
			s.cfg.Ended(c.info, running.m)
		}
		s.mu.Lock()
		stopping := s.shutdown
		s.mu.Unlock()
		switch {
		case c.crashed.Load():
			say(sess, msgCrashed)
		case stopping:
			say(sess, msgStop)
		case idled:
			say(sess, msgIdle)
		case !started:
			say(sess, msgNoApp)
		}
	}
}

// watchIdle quits a customer's program after IdleTimeout without input.
func (s *Server) watchIdle(c *conn, stop <-chan struct{}) {
	idle := s.cfg.IdleTimeout
	t := time.NewTimer(idle)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-c.info.Context.Done():
			return
		case <-t.C:
		}
		since := time.Since(c.in.lastInput())
		if since < idle {
			t.Reset(idle - since)
			continue
		}
		c.mu.Lock()
		c.idled = true
		p := c.prog
		c.mu.Unlock()
		s.log.Info("serve: idle", "session", c.info.ID)
		if p != nil {
			p.Quit()
		}
		return
	}
}

// program builds the session's app; nil when there is none (the route
// middleware then says so).
func (s *Server) program(sess ssh.Session) (prog *tea.Program) {
	c, ok := sess.(*conn)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idled {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("serve: building the app panicked", "session", c.info.ID, "panic", fmt.Sprint(r))
			c.crashed.Store(true)
			prog = nil
		}
	}()
	var m tea.Model
	switch c.app {
	case appDesk:
		if s.cfg.Desk != nil {
			m = s.cfg.Desk(c.info, c.person)
		}
	case appCustomer:
		m = s.cfg.Customer(c.info)
	}
	if m == nil {
		return nil
	}
	c.running = &guarded{m: m, c: c, log: s.log}
	c.prog = tea.NewProgram(c.running, bubbletea.MakeOptions(c)...)
	return c.prog
}

// guarded keeps a panic in the app's Init, Update or View inside its
// session: it is logged, and the program quits.
type guarded struct {
	m   tea.Model
	c   *conn
	log *slog.Logger
}

func (g *guarded) caught(r any) {
	g.log.Error("serve: the app panicked", "session", g.c.info.ID, "panic", fmt.Sprint(r))
	g.c.crashed.Store(true)
}

func (g *guarded) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.caught(r)
			cmd = tea.Quit
		}
	}()
	return g.m.Init()
}

func (g *guarded) Update(msg tea.Msg) (out tea.Model, cmd tea.Cmd) {
	if g.c.crashed.Load() {
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.caught(r)
			out, cmd = g, tea.Quit
		}
	}()
	m, cmd := g.m.Update(msg)
	g.m = m
	return g, cmd
}

func (g *guarded) View() (v tea.View) {
	if g.c.crashed.Load() {
		return tea.NewView("")
	}
	defer func() {
		if r := recover(); r != nil {
			g.caught(r)
			v = tea.NewView("")
		}
	}()
	return g.m.View()
}

// say writes one of the server's own lines to a session.
func say(sess ssh.Session, msg string) {
	_, _ = io.WriteString(sess, "\r\n"+msg+"\r\n")
}

// printfLogger hands wish's recover middleware the server's logger.
type printfLogger struct{ l *slog.Logger }

func (p printfLogger) Printf(format string, v ...any) {
	p.l.Error("serve: " + strings.TrimSpace(fmt.Sprintf(format, v...)))
}

// Fingerprint is the host key's SHA256 fingerprint, for people to check
// the first time their ssh asks.
func (s *Server) Fingerprint() string { return s.fingerprint }
