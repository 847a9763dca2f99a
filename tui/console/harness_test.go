package console

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/live"
	"tsunagu/handoff/training"
	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

var (
	botOnce   sync.Once
	sharedBot chat.Bot
)

// realBot is the default rules' bot, trained once per test binary.
func realBot() chat.Bot {
	botOnce.Do(func() { sharedBot = chat.NewBot(bot.NewEngine(bot.DefaultRules())) })
	return sharedBot
}

// rig is a real floor with a virtual clock, a real store and the real bot,
// on which customers' conversations and consoles meet.
type rig struct {
	t     *testing.T
	clock *handoff.VirtualClock
	pool  *handoff.Pool
	floor *live.Floor
	store *transcripts.Store
	seq   int

	mu    sync.Mutex
	cards []training.Scorecard
}

func newRig(t *testing.T) *rig {
	t.Helper()
	clock := handoff.NewVirtualClock(time.Date(2026, 11, 26, 10, 0, 0, 0, tuitest.JST))
	st, err := transcripts.Open(filepath.Join(t.TempDir(), "t.db"), transcripts.Options{Timeout: time.Second, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &rig{t: t, clock: clock, pool: handoff.DefaultPool(), store: st}
	r.floor, err = live.New(live.Config{Pool: r.pool, Clock: clock, Seed: 1,
		Knowledge: func() handoff.Knowledge { return realBot().Knowledge() },
		SaveScorecard: func(c training.Scorecard) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.cards = append(r.cards, c)
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) saved() []training.Scorecard {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]training.Scorecard(nil), r.cards...)
}

func (r *rig) signIn(id string, role live.Role) *live.Seat {
	r.t.Helper()
	s, err := r.floor.SignIn(id, role)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

// chatConfig is a customer conversation's config on the floor.
func (r *rig) chatConfig(lang string, prof *profile.Profile) chat.Config {
	r.seq++
	n := r.seq
	return chat.Config{Lang: lang, Profile: prof, Clock: r.clock, Bot: realBot(), Seed: uint64(n),
		OpenStore: func() (chat.Store, error) { return r.store, nil },
		Callbacks: handoff.NewCallbacks(r.pool),
		NewID:     func(at time.Time) string { return fmt.Sprintf("c%s-%02d", at.Format("150405"), n) },
		NewDesk: func(id string) (chat.Desk, error) {
			sim, err := handoff.NewDesk(handoff.DeskConfig{Pool: r.pool, Knowledge: realBot().Knowledge(), Start: r.clock.Now(), Seed: 1})
			if err != nil {
				return nil, err
			}
			return r.floor.Desk(id, sim), nil
		}}
}

// customer starts a signed-in customer's chat about a late parcel and
// asks for a person: the chat reaches the floor.
func (r *rig) customer(lang string) *chat.Conversation {
	r.t.Helper()
	ct := chat.Contact{SignedIn: true}
	for _, c := range realBot().Menu(lang) {
		for _, tp := range c.Topics {
			if c.ID == "delivery" && tp.ID == "not_arrived" {
				ct.Category, ct.Topic = c, tp
			}
		}
	}
	p := profile.Demo()
	o := p.Orders[0]
	ct.Order = &o
	conv := chat.New(r.chatConfig(lang, p), ct)
	conv.StartChat()
	conv.AskForPerson("a person please")
	if !conv.State().Choosing {
		r.t.Fatalf("the customer is not asked who should answer: %+v", conv.State().Problem)
	}
	conv.Choose(false)
	return conv
}

// openRolePlay is what the server does for a trainer: the scenario's
// customer in a real conversation on the floor.
func (r *rig) openRolePlay(sc *training.Scenario, lang string) (*chat.Conversation, error) {
	prof, ct := live.RolePlayCustomer(sc, lang)
	return chat.New(r.chatConfig(lang, prof), ct), nil
}

// harness drives one console through Update, running every command
// synchronously and feeding its message back. Ticks are held until the
// test fires them.
type harness struct {
	t      *testing.T
	r      *rig
	m      *Model
	timers []tuitest.Timer
	quit   bool
	w, h   int
}

func (r *rig) console(seat *live.Seat, lang string, w, h int) *harness {
	r.t.Helper()
	hh := &harness{t: r.t, r: r, w: w, h: h}
	hh.m = New(Config{Seat: seat, Lang: lang, NoColor: true, Clock: r.clock, Tick: tuitest.Tick,
		OpenRolePlay: r.openRolePlay})
	hh.run(hh.m.Init())
	hh.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hh
}

func (hh *harness) send(msg tea.Msg) {
	hh.t.Helper()
	_, cmd := hh.m.Update(msg)
	hh.run(cmd)
}

func (hh *harness) run(cmd tea.Cmd) {
	hh.t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			hh.t.Fatal("commands do not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch m := msg.(type) {
		case nil:
			continue
		case tea.BatchMsg:
			queue = append(queue, m...)
			continue
		case tuitest.Timer:
			hh.timers = append(hh.timers, m)
			continue
		case tea.QuitMsg:
			hh.quit = true
			continue
		}
		if tuitest.IsSequence(msg) {
			queue = append(queue, tuitest.SequenceCmds(msg)...)
			continue
		}
		_, next := hh.m.Update(msg)
		queue = append(queue, next)
	}
}

// tick fires the held timers once: the console reads the floor again and
// the trainer's conversation advances.
func (hh *harness) tick() {
	due := hh.timers
	hh.timers = nil
	for _, tm := range due {
		hh.send(tm.Fn(time.Time{}))
	}
}

func (hh *harness) view() string {
	f := hh.m.Frame()
	tuitest.CheckFits(hh.t, f, hh.w, hh.h)
	return ansi.Strip(f)
}

func (hh *harness) key(code rune, mod tea.KeyMod) { hh.send(tea.KeyPressMsg{Code: code, Mod: mod}) }
func (hh *harness) ctrl(r rune)                   { hh.key(r, tea.ModCtrl) }
func (hh *harness) enter()                        { hh.key(tea.KeyEnter, 0) }
func (hh *harness) esc()                          { hh.key(tea.KeyEscape, 0) }
func (hh *harness) down()                         { hh.key(tea.KeyDown, 0) }

// typeText types s one key at a time.
func (hh *harness) typeText(s string) {
	for _, r := range s {
		if r == ' ' {
			hh.send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
			continue
		}
		hh.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (hh *harness) mustShow(parts ...string) {
	hh.t.Helper()
	tuitest.MustShow(hh.t, hh.view(), parts...)
}

func (hh *harness) mustNotShow(parts ...string) {
	hh.t.Helper()
	tuitest.MustNotShow(hh.t, hh.view(), parts...)
}

// operatorLines are the operator's lines the customer's engine gave out.
func operatorLines(res chat.Result) []string {
	var out []string
	for _, ev := range res.Events {
		if ev.Kind == chat.KindOperator {
			out = append(out, ev.Text)
		}
	}
	return out
}
