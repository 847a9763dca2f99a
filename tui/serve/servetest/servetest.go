// Package servetest is an SSH client for tests of the SSH server (tui/serve)
// and of the apps it serves: it logs in, asks for a terminal of a given
// size and feeds what the server writes into a virtual terminal, so a test
// reads the screen as a person would see it and types as a person would.
package servetest

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// Term is the terminal type the client asks for.
const Term = "xterm-256color"

// DefaultLimit is a generous bound for WaitFor: it is there to stop a hung
// test, not to measure anything.
const DefaultLimit = 60 * time.Second

// Client is one logged-in session with a terminal.
type Client struct {
	conn    *gossh.Client
	sess    *gossh.Session
	stdin   io.WriteCloser
	hostKey gossh.PublicKey

	inMu sync.Mutex // one writer to stdin at a time

	mu      sync.Mutex // guards emu, changed and ended
	emu     *vt.Emulator
	changed chan struct{} // closed (and replaced) on every write to the screen
	ended   bool          // the server closed the session's output

	closeOnce sync.Once
	done      chan struct{}
}

// NewSigner returns a fresh ed25519 key.
func NewSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// AuthorizedLine is signer's public key as a desk-keys line for operator
// in role, with a trailing newline.
func AuthorizedLine(signer gossh.Signer, operator, role string) string {
	key := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	return fmt.Sprintf("operator=%q,role=%q %s %s@test\n", operator, role, key, operator)
}

// Dial logs in as user with signer (nil: no key, only "none" and an
// empty keyboard-interactive) and opens a w×h terminal. The client is
// closed when the test ends.
func Dial(t testing.TB, addr, user string, signer gossh.Signer, w, h int) (*Client, error) {
	t.Helper()
	var auth []gossh.AuthMethod
	if signer != nil {
		auth = append(auth, gossh.PublicKeys(signer))
	} else {
		auth = append(auth, gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return nil, nil
		}))
	}
	return DialWith(t, addr, user, auth, w, h)
}

// DialWith is Dial with any authentication methods (a password, say).
func DialWith(t testing.TB, addr, user string, auth []gossh.AuthMethod, w, h int) (*Client, error) {
	t.Helper()
	var hostKey gossh.PublicKey
	conn, err := dial(addr, user, auth, &hostKey)
	if err != nil {
		return nil, err
	}
	c, err := Open(t, conn, w, h)
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	c.hostKey = hostKey
	return c, nil
}

// Connect logs in as Dial does but opens no session: Open opens them. A
// deaf connection never answers the server's requests (its keepalives),
// as a peer that went away without closing the connection.
func Connect(t testing.TB, addr, user string, signer gossh.Signer, deaf bool) (*gossh.Client, error) {
	t.Helper()
	auth := []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
		return nil, nil
	})}
	if signer != nil {
		auth = []gossh.AuthMethod{gossh.PublicKeys(signer)}
	}
	cfg := &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second}
	nc, err := net.DialTimeout("tcp", addr, cfg.Timeout)
	if err != nil {
		return nil, err
	}
	cc, chans, reqs, err := gossh.NewClientConn(nc, addr, cfg)
	if err != nil {
		_ = nc.Close()
		return nil, err
	}
	if deaf {
		// The client answers the requests it reads; given none to read,
		// it answers nothing, and the server's requests queue unread.
		reqs = nil
	}
	conn := gossh.NewClient(cc, chans, reqs)
	t.Cleanup(func() { _ = conn.Close() })
	return conn, nil
}

// Open opens a w×h terminal session on a connection from Connect (or one
// a test made itself). Closing the Client closes conn too, and so does a
// failure once the session is open; a session refused at its opening
// leaves conn as it was.
func Open(t testing.TB, conn *gossh.Client, w, h int) (*Client, error) {
	t.Helper()
	c := &Client{conn: conn, changed: make(chan struct{}), done: make(chan struct{})}
	var err error
	if c.sess, err = conn.NewSession(); err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.Close() })
	c.emu = vt.NewEmulator(w, h)
	if c.stdin, err = c.sess.StdinPipe(); err != nil {
		c.Close()
		return nil, err
	}
	stdout, err := c.sess.StdoutPipe()
	if err != nil {
		c.Close()
		return nil, err
	}
	stderr, err := c.sess.StderrPipe()
	if err != nil {
		c.Close()
		return nil, err
	}
	modes := gossh.TerminalModes{gossh.ECHO: 0}
	if err := c.sess.RequestPty(Term, h, w, modes); err != nil {
		c.Close()
		return nil, err
	}
	// The emulator's answers (cursor position, device attributes, colours)
	// go back to the server, which may be waiting for them. Reading them
	// must never wait on stdin, or a client busy typing into a paced
	// session would stop the screen: they are queued.
	go c.pumpReplies()
	var out sync.WaitGroup
	out.Add(2)
	go func() { defer out.Done(); c.feed(stdout) }()
	go func() { defer out.Done(); c.feed(stderr) }()
	go func() {
		out.Wait()
		c.mu.Lock()
		c.ended = true
		c.signal()
		c.mu.Unlock()
	}()
	if err := c.sess.Shell(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func dial(addr, user string, auth []gossh.AuthMethod, hostKey *gossh.PublicKey) (*gossh.Client, error) {
	cfg := &gossh.ClientConfig{
		User: user,
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			*hostKey = key
			return nil
		},
		Timeout: 30 * time.Second,
	}
	return gossh.Dial("tcp", addr, cfg)
}

// feed writes what the server sends into the emulator.
func (c *Client) feed(r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			c.mu.Lock()
			_, _ = c.emu.Write(buf[:n])
			c.signal()
			c.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// signal wakes WaitFor; c.mu is held.
func (c *Client) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// pumpReplies reads the emulator's answers and sends them to the server.
func (c *Client) pumpReplies() {
	queue := make(chan []byte, 1024)
	go func() {
		for b := range queue {
			c.inMu.Lock()
			_, err := c.stdin.Write(b)
			c.inMu.Unlock()
			if err != nil {
				for range queue { // the session is gone: drain
				}
				return
			}
		}
	}()
	defer close(queue)
	buf := make([]byte, 4096)
	for {
		n, err := c.emu.Read(buf)
		if n > 0 {
			select {
			case queue <- append([]byte(nil), buf[:n]...):
			case <-c.done:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// HostKey is the key the server presented.
func (c *Client) HostKey() gossh.PublicKey { return c.hostKey }

// Type sends s as typed (or pasted) text.
func (c *Client) Type(s string) error {
	c.inMu.Lock()
	defer c.inMu.Unlock()
	_, err := io.WriteString(c.stdin, s)
	return err
}

// keys are the bytes a terminal sends for the keys Press knows.
var keys = map[string]string{
	"enter": "\r", "esc": "\x1b", "tab": "\t", "shift+tab": "\x1b[Z", "backspace": "\x7f", "space": " ",
	"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
	"home": "\x1b[H", "end": "\x1b[F", "pgup": "\x1b[5~", "pgdown": "\x1b[6~", "f1": "\x1bOP",
}

// Press sends one key by name: enter, esc, tab, shift+tab, backspace,
// space, up, down, left, right, home, end, pgup, pgdown, f1, or ctrl+a …
// ctrl+z.
func (c *Client) Press(key string) error {
	seq, ok := keys[key]
	if r := strings.TrimPrefix(key, "ctrl+"); !ok && len(r) == 1 && r != key && r[0] >= 'a' && r[0] <= 'z' {
		seq, ok = string(rune(r[0]-'a'+1)), true
	}
	if !ok {
		return fmt.Errorf("servetest: unknown key %q", key)
	}
	return c.Type(seq)
}

// Screen is the terminal's text as a person sees it: one line per row,
// trailing spaces removed.
func (c *Client) Screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.screen()
}

func (c *Client) screen() string {
	lines := strings.Split(c.emu.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// WaitFor waits until cond holds for the screen and returns that screen.
// It is woken by every write from the server; limit only stops a hung
// test. The error carries the last screen; it also comes as soon as the
// server has closed the session and the screen no longer holds.
func (c *Client) WaitFor(cond func(screen string) bool, limit time.Duration) (string, error) {
	t := time.NewTimer(limit)
	defer t.Stop()
	for {
		c.mu.Lock()
		scr, ch, ended := c.screen(), c.changed, c.ended
		c.mu.Unlock()
		if cond(scr) {
			return scr, nil
		}
		if ended {
			return scr, fmt.Errorf("servetest: the session ended; last screen:\n%s", scr)
		}
		select {
		case <-ch:
		case <-t.C:
			return scr, fmt.Errorf("servetest: not on screen after %v; last screen:\n%s", limit, scr)
		}
	}
}

// WaitForText waits until the screen contains every one of texts.
func (c *Client) WaitForText(limit time.Duration, texts ...string) (string, error) {
	return c.WaitFor(func(s string) bool {
		for _, t := range texts {
			if !strings.Contains(s, t) {
				return false
			}
		}
		return true
	}, limit)
}

// Ended reports whether the server has closed the session's output.
func (c *Client) Ended() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ended
}

// TypeAndWaitEcho types marker and returns how long it took until it was
// on the screen: a keystroke-to-frame time. The marker should be unique on
// the screen.
func (c *Client) TypeAndWaitEcho(marker string) (time.Duration, error) {
	start := time.Now()
	if err := c.Type(marker); err != nil {
		return 0, err
	}
	if _, err := c.WaitForText(DefaultLimit, marker); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// Resize changes the terminal's size and tells the server.
func (c *Client) Resize(w, h int) error {
	c.mu.Lock()
	c.emu.Resize(w, h)
	c.mu.Unlock()
	return c.sess.WindowChange(h, w)
}

// Close ends the session and the connection. It may be called more than
// once.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		// Closing the emulator's answer pipe first makes a write into the
		// emulator that is blocked on an answer return, instead of holding
		// the screen forever.
		if c.emu != nil {
			if pw, ok := c.emu.InputPipe().(io.Closer); ok {
				_ = pw.Close()
			}
		}
		close(c.done)
		if c.sess != nil {
			_ = c.sess.Close()
		}
		err = c.conn.Close()
		if errors.Is(err, net.ErrClosed) {
			err = nil
		}
	})
	return err
}

// Shell opens a session without a terminal, as "ssh -T" does, and returns
// everything the server wrote until it closed the session.
func Shell(t testing.TB, addr, user string, signer gossh.Signer) (string, error) {
	t.Helper()
	var auth []gossh.AuthMethod
	if signer != nil {
		auth = append(auth, gossh.PublicKeys(signer))
	}
	var hk gossh.PublicKey
	conn, err := dial(addr, user, auth, &hk)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		return "", err
	}
	defer sess.Close()
	var out safeBuffer
	sess.Stdout, sess.Stderr = &out, &out
	if err := sess.Shell(); err != nil {
		return "", err
	}
	err = sess.Wait()
	return out.String(), err
}

type safeBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
