package tui

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

// The real bot is trained once per test binary (about a second).
var (
	botOnce   sync.Once
	sharedBot chat.Bot
)

func realBot(t testing.TB) chat.Bot {
	t.Helper()
	botOnce.Do(func() { sharedBot = chat.NewBot(bot.NewEngine(bot.DefaultRules())) })
	return sharedBot
}

// harness drives the root model through Update like the Bubble Tea loop
// does, synchronously: it runs every returned command and feeds its message
// back, keeping timers until the test advances the clock.
type harness struct {
	t      testing.TB
	m      *Model
	clock  *handoff.VirtualClock
	store  *transcripts.Store
	timers []tuitest.Timer
	quit   bool
}

type harnessOpts struct {
	lang      string
	at        time.Time
	faults    *handoff.Faults
	store     chat.Store // replaces the real store when set
	noStore   bool
	width     int
	height    int
	callbacks chat.Callbacks
	load      float64 // background arrivals per hour at the desk (0: the desk's default)
	limit     MessageLimit
	served    bool
}

func newHarness(t testing.TB, o harnessOpts) *harness {
	t.Helper()
	if o.lang == "" {
		o.lang = "en"
	}
	if o.at.IsZero() {
		o.at = time.Date(2026, 11, 26, 10, 0, 0, 0, tuitest.JST)
	}
	if o.width == 0 {
		o.width, o.height = 100, 30
	}
	h := &harness{t: t, clock: handoff.NewVirtualClock(o.at)}
	b := realBot(t)
	pool := handoff.DefaultPool()
	cfg := Config{
		Lang:         o.lang,
		Profile:      profile.Demo(),
		Clock:        h.clock,
		Seed:         7,
		NoColor:      true,
		LoadBot:      func() (chat.Bot, error) { return b, nil },
		Callbacks:    o.callbacks,
		Tick:         tuitest.Tick,
		MessageLimit: o.limit,
		Served:       o.served,
		NewDesk: func(string) (chat.Desk, error) {
			return handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: b.Knowledge(), Start: h.clock.Now(), Seed: 7, Faults: o.faults, ArrivalsPerHour: o.load})
		},
	}
	if cfg.Callbacks == nil {
		cfg.Callbacks = handoff.NewCallbacks(pool)
	}
	switch {
	case o.store != nil:
		cfg.OpenStore = func() (chat.Store, error) { return o.store, nil }
	case o.noStore:
	default:
		s, err := transcripts.Open(filepath.Join(t.TempDir(), "t.db"), transcripts.Options{Timeout: time.Second, Now: h.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		h.store = s
		cfg.OpenStore = func() (chat.Store, error) { return s, nil }
	}
	h.m = New(cfg)
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: o.width, Height: o.height})
	return h
}

// send delivers one message and everything it causes.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// run executes cmd and feeds the resulting messages back, breadth first.
func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			h.t.Fatal("commands do not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tuitest.Timer:
			h.timers = append(h.timers, msg)
		case tea.QuitMsg:
			h.quit = true
		default:
			if tuitest.IsSequence(msg) {
				queue = append(queue, tuitest.SequenceCmds(msg)...)
				continue
			}
			_, next := h.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// advance moves the virtual clock and fires the timers that were due.
func (h *harness) advance(d time.Duration) {
	h.t.Helper()
	h.clock.Advance(d)
	due := h.timers
	h.timers = nil
	for _, tm := range due {
		if tm.D <= d {
			h.send(tm.Fn(h.clock.Now()))
		} else {
			tm.D -= d
			h.timers = append(h.timers, tm)
		}
	}
}

// advanceUntil steps the clock until the view contains want.
func (h *harness) advanceUntil(want string, step time.Duration, limit int) {
	h.t.Helper()
	for range limit {
		if strings.Contains(h.view(), want) {
			return
		}
		h.advance(step)
	}
	h.t.Fatalf("view never showed %q:\n%s", want, h.view())
}

func (h *harness) view() string { return ansi.Strip(h.m.View().Content) }

func (h *harness) press(code rune, mod tea.KeyMod) { h.send(tea.KeyPressMsg{Code: code, Mod: mod}) }

func (h *harness) enter() { h.press(tea.KeyEnter, 0) }
func (h *harness) esc()   { h.press(tea.KeyEscape, 0) }
func (h *harness) down()  { h.press(tea.KeyDown, 0) }
func (h *harness) ctrl(r rune) {
	h.press(r, tea.ModCtrl)
}

// typeText types s one key at a time, as a person would.
func (h *harness) typeText(s string) {
	for _, r := range s {
		if r == ' ' {
			h.send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
			continue
		}
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (h *harness) mustShow(parts ...string) {
	h.t.Helper()
	tuitest.MustShow(h.t, h.view(), parts...)
}

// conversation loads the one stored conversation.
func (h *harness) conversation() transcripts.Conversation {
	h.t.Helper()
	c, err := h.store.Load(h.m.sess.id)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// startChat goes signed in → first order → Delivery → Not arrived → chat.
func (h *harness) startChat() {
	h.t.Helper()
	h.enter() // signed in
	h.enter() // first order
	h.enter() // first category (Delivery)
	h.enter() // first sub-topic (Not arrived)
	h.enter() // chat now
}
