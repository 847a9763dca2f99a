package chat

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/transcripts"
)

var jst = time.FixedZone("JST", 9*3600)

var (
	botOnce   sync.Once
	sharedBot Bot
)

// realBot is the default rules' bot, trained once per test binary.
func realBot() Bot {
	botOnce.Do(func() { sharedBot = NewBot(bot.NewEngine(bot.DefaultRules())) })
	return sharedBot
}

// rig is one engine on a real store, a virtual clock and the real bot.
type rig struct {
	t     *testing.T
	clock *handoff.VirtualClock
	store *transcripts.Store
	cfg   Config
}

func newRig(t *testing.T) *rig {
	t.Helper()
	clock := handoff.NewVirtualClock(time.Date(2026, 11, 26, 10, 0, 0, 0, jst))
	st, err := transcripts.Open(filepath.Join(t.TempDir(), "t.db"), transcripts.Options{Timeout: time.Second, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := realBot()
	pool := handoff.DefaultPool()
	r := &rig{t: t, clock: clock, store: st}
	r.cfg = Config{Lang: "en", Clock: clock, Bot: b, Seed: 3,
		OpenStore: func() (Store, error) { return st, nil },
		Callbacks: handoff.NewCallbacks(pool),
		NewDesk: func(string) (Desk, error) {
			return handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: b.Knowledge(), Start: clock.Now(), Seed: 3})
		}}
	return r
}

// topic finds a menu topic of the default rules.
func topic(t *testing.T, cat, sub string) (Category, Topic) {
	t.Helper()
	for _, c := range realBot().Menu("en") {
		for _, tp := range c.Topics {
			if c.ID == cat && tp.ID == sub {
				return c, tp
			}
		}
	}
	t.Fatalf("no topic %s/%s", cat, sub)
	return Category{}, Topic{}
}

func demoOrder() *profile.Order {
	o := profile.Demo().Orders[0]
	return &o
}

func (r *rig) load(id string) transcripts.Conversation {
	r.t.Helper()
	c, err := r.store.Load(id)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

func customerTexts(c transcripts.Conversation) []string {
	var out []string
	for _, e := range c.Entries {
		if e.Role == transcripts.RoleCustomer {
			out = append(out, e.Text)
		}
	}
	return out
}

func kinds(r Result) []Kind {
	var out []Kind
	for _, ev := range r.Events {
		out = append(out, ev.Kind)
	}
	return out
}

func has(r Result, k Kind) bool {
	for _, ev := range r.Events {
		if ev.Kind == k {
			return true
		}
	}
	return false
}

// flakyStore fails every write while failing is set, like a full disk.
type flakyStore struct {
	Store
	mu      sync.Mutex
	failing bool
}

func (f *flakyStore) fail(on bool) { f.mu.Lock(); f.failing = on; f.mu.Unlock() }

func (f *flakyStore) down() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.failing }

var errFull = &transcripts.DiskFullError{Path: "t.db", Err: transcripts.ErrDiskFull}

func (f *flakyStore) CreateConversation(c transcripts.Conversation) (transcripts.Conversation, error) {
	if f.down() {
		return c, errFull
	}
	return f.Store.CreateConversation(c)
}

func (f *flakyStore) AppendEntry(id string, e transcripts.Entry) (uint64, error) {
	if f.down() {
		return 0, errFull
	}
	return f.Store.AppendEntry(id, e)
}

func (f *flakyStore) SetStatus(id string, s transcripts.Status) error {
	if f.down() {
		return errFull
	}
	return f.Store.SetStatus(id, s)
}

func TestChatStoresEveryLineAndClosesOnce(t *testing.T) {
	r := newRig(t)
	cat, tp := topic(t, "delivery", "not_arrived")
	c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder(), Category: cat, Topic: tp})
	res := c.StartChat()
	if !has(res, KindBot) {
		t.Fatalf("no opening: %v", kinds(res))
	}
	res = c.Send("where is my parcel?")
	if got := kinds(res); len(got) < 3 || got[0] != KindCustomer || got[1] != KindBot || got[len(got)-1] != KindCase {
		t.Fatalf("events = %v", got)
	}
	for _, s := range res.Saves {
		if !s.Saved {
			t.Fatalf("line %d not saved", s.Line)
		}
	}
	c.Close(4, 0)
	conv := r.load(c.ID())
	closes := 0
	for _, e := range conv.Entries {
		if e.Event == transcripts.EventClosed {
			closes++
			if !e.At.Equal(r.clock.Now()) {
				t.Errorf("closed at %v, want the simulated %v", e.At, r.clock.Now())
			}
		}
		if e.Role == transcripts.RoleCustomer && e.Author != "Yumi Sato" {
			t.Errorf("customer author %q, want the customer's name", e.Author)
		}
	}
	if closes != 1 || conv.Status != transcripts.StatusClosed {
		t.Fatalf("%d close events, status %s", closes, conv.Status)
	}
	if conv.Topic != "delivery/not_arrived" || conv.OrderID != demoOrder().ID {
		t.Fatalf("stored topic %q order %q", conv.Topic, conv.OrderID)
	}
}

// A full disk holds the writes back; once space is freed the retries store
// them in the order the customer sent them (issue 14, item 4).
func TestRetriesKeepTheCustomersOrder(t *testing.T) {
	r := newRig(t)
	fs := &flakyStore{Store: r.store}
	r.cfg.OpenStore = func() (Store, error) { return fs, nil }
	c := New(r.cfg, Contact{SignedIn: true})
	c.StartChat()
	fs.fail(true)
	var notSaved int
	for i := 1; i <= 12; i++ {
		r.clock.Advance(time.Second)
		res := c.Send(fmt.Sprintf("message %d", i))
		for _, s := range res.Saves {
			if !s.Saved {
				notSaved++
			}
		}
		if i%4 == 0 {
			c.Retry() // retries while the disk is still full change nothing
		}
	}
	st := c.State()
	if st.Pending == 0 || st.StoreError == nil || notSaved == 0 {
		t.Fatalf("pending %d, error %v, %d lines marked not saved", st.Pending, st.StoreError, notSaved)
	}
	fs.fail(false)
	res := c.Retry()
	saved := 0
	for _, s := range res.Saves {
		if s.Saved {
			saved++
		}
	}
	if st := c.State(); st.Pending != 0 || st.StoreError != nil || saved == 0 {
		t.Fatalf("after freeing space: pending %d, error %v, %d saved", st.Pending, st.StoreError, saved)
	}
	got := customerTexts(r.load(c.ID()))
	if len(got) != 12 {
		t.Fatalf("stored %d customer messages, want 12: %q", len(got), got)
	}
	for i, text := range got {
		if want := fmt.Sprintf("message %d", i+1); text != want {
			t.Fatalf("message %d stored as %q: %q", i+1, text, got)
		}
	}
}

// A store that cannot be opened at start (another process has it) is
// opened later, and nothing typed meanwhile is lost (issue 14, item 2).
func TestStoreOpenedLaterKeepsEverything(t *testing.T) {
	r := newRig(t)
	var mu sync.Mutex
	busy := true
	r.cfg.OpenStore = func() (Store, error) {
		mu.Lock()
		defer mu.Unlock()
		if busy {
			return nil, fmt.Errorf("%w (pid 42)", transcripts.ErrInUse)
		}
		return r.store, nil
	}
	c := New(r.cfg, Contact{SignedIn: true})
	c.StartChat()
	c.Send("first")
	c.Send("second")
	if st := c.State(); st.Pending == 0 || !errors.Is(st.StoreError, transcripts.ErrInUse) {
		t.Fatalf("pending %d, error %v", st.Pending, st.StoreError)
	}
	mu.Lock()
	busy = false
	mu.Unlock()
	c.Retry()
	if got := customerTexts(r.load(c.ID())); len(got) != 2 || got[0] != "first" || got[1] != "second" {
		t.Fatalf("stored %q", got)
	}
}

// An id that is taken is never written into: the conversation is named
// anew, or, when no new name can be had, nothing of it is stored.
func TestTakenIDIsNeverMergedInto(t *testing.T) {
	for _, fresh := range []bool{true, false} {
		r := newRig(t)
		const taken = "c20261126-100000-dup0"
		if _, err := r.store.CreateConversation(transcripts.Conversation{ID: taken, StartedAt: r.clock.Now(), Lang: "en",
			Entries: []transcripts.Entry{{At: r.clock.Now(), Role: transcripts.RoleCustomer, Text: "older chat"}}}); err != nil {
			t.Fatal(err)
		}
		n := 0
		r.cfg.NewID = func(time.Time) string {
			n++
			if fresh && n > 1 {
				return fmt.Sprintf("c20261126-100000-new%d", n)
			}
			return taken
		}
		c := New(r.cfg, Contact{SignedIn: true})
		c.StartChat()
		res := c.Send("new chat")
		if got := customerTexts(r.load(taken)); len(got) != 1 || got[0] != "older chat" {
			t.Fatalf("fresh=%v: the older conversation changed: %q", fresh, got)
		}
		st := c.State()
		if fresh {
			if st.ID == taken || st.Lost != 0 || len(customerTexts(r.load(st.ID))) != 1 {
				t.Fatalf("fresh=%v: id %q, lost %d", fresh, st.ID, st.Lost)
			}
			continue
		}
		marked := false
		for _, s := range res.Saves {
			marked = marked || !s.Saved
		}
		if st.Lost == 0 || !marked {
			t.Fatalf("fresh=%v: lost %d, marked not saved %v", fresh, st.Lost, marked)
		}
	}
}

// recordingDesk wraps the real desk and records the intent the wait was
// quoted for and the packet the chat was routed with.
type recordingDesk struct {
	*handoff.Desk
	quoted string
	routed *handoff.Packet
}

func (d *recordingDesk) Quote(now time.Time, lang, intent string, class handoff.Class) handoff.Quote {
	d.quoted = intent
	return d.Desk.Quote(now, lang, intent, class)
}

func (d *recordingDesk) Enqueue(now time.Time, p *handoff.Packet, class handoff.Class, native bool) ([]handoff.Event, error) {
	d.routed = p
	return d.Desk.Enqueue(now, p, class, native)
}

// The wait is quoted and the chat routed by the same intent: what the
// customer asks about now, not the menu topic they started from; and the
// stored packet carries that intent.
func TestQuoteAndRoutingUseTheSameIntent(t *testing.T) {
	r := newRig(t)
	var desk *recordingDesk
	base := r.cfg.NewDesk
	r.cfg.NewDesk = func(id string) (Desk, error) {
		d, err := base(id)
		if err != nil {
			return nil, err
		}
		desk = &recordingDesk{Desk: d.(*handoff.Desk)}
		return desk, nil
	}
	cat, tp := topic(t, "delivery", "not_arrived")
	c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder(), Category: cat, Topic: tp})
	c.StartChat()
	c.Send("I want a refund for this order")
	res := c.AskForPerson("I'd like to talk to a person.")
	if !has(res, KindChoice) {
		t.Fatalf("no choice offered: %v", kinds(res))
	}
	c.Choose(false)
	if desk == nil || desk.routed == nil {
		t.Fatal("the chat was not routed")
	}
	if desk.quoted == "" || desk.quoted != desk.routed.Facts.Topic.Intent {
		t.Fatalf("quoted for %q, routed by %q", desk.quoted, desk.routed.Facts.Topic.Intent)
	}
	if desk.quoted == tp.Intent {
		t.Fatalf("routed by the menu topic %q, not by the refund the customer asked about", tp.Intent)
	}
	var stored handoff.Packet
	for _, e := range r.load(c.ID()).Entries {
		if e.Event == transcripts.EventEscalated {
			if err := json.Unmarshal(e.Meta.Packet, &stored); err != nil {
				t.Fatal(err)
			}
		}
	}
	if stored.Facts.Topic.Intent != desk.quoted {
		t.Fatalf("stored packet intent %q, want %q", stored.Facts.Topic.Intent, desk.quoted)
	}
}

// What the customer writes while asked who should answer joins the packet.
func TestTextWhileChoosingReachesThePacket(t *testing.T) {
	r := newRig(t)
	c := New(r.cfg, Contact{SignedIn: true})
	c.StartChat()
	c.AskForPerson("A person, please.")
	c.Send("it was a birthday present")
	c.Choose(true)
	p := c.State().Packet
	found := false
	for _, l := range p.Transcript {
		found = found || l.Text == "it was a birthday present"
	}
	if !found {
		t.Fatalf("not in the packet: %+v", p.Transcript)
	}
}

// The operator joins and writes; Settle stops once they wait for the
// customer; silence after the offer to close closes the chat once.
func TestOperatorJoinsAndSilenceCloses(t *testing.T) {
	r := newRig(t)
	c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder()})
	c.StartChat()
	c.AskForPerson("A person, please.")
	res := c.Choose(false)
	tick := func(d time.Duration) { r.clock.Advance(d) }
	res = res.merge(c.Settle(15*time.Minute, time.Second, tick))
	if !has(res, KindJoined) || !has(res, KindOperator) {
		t.Fatalf("events = %v", kinds(res))
	}
	if !c.AwaitsCustomer() {
		t.Fatal("Settle returned before the operator waited")
	}
	for range 200 {
		st := c.State()
		if st.Closed {
			break
		}
		if !st.Resolved && c.AwaitsCustomer() {
			c.Send("ok") // answer whatever was asked
		}
		c.Pass(time.Minute, time.Second, tick) // after the offer to close: silence
	}
	if !c.State().Closed {
		t.Fatal("the chat never closed")
	}
	closes := 0
	for _, e := range r.load(c.ID()).Entries {
		if e.Event == transcripts.EventClosed {
			closes++
		}
	}
	if closes != 1 {
		t.Fatalf("%d close events", closes)
	}
	c.Close(3, 5) // the customer may still rate a chat the operator closed
	ratings := 0
	for _, e := range r.load(c.ID()).Entries {
		if e.Event == transcripts.EventRating {
			ratings++
		}
	}
	if ratings != 2 {
		t.Fatalf("%d ratings stored", ratings)
	}
}

// Abandon stores the conversation as abandoned after what waited.
func TestAbandonAfterPendingWrites(t *testing.T) {
	r := newRig(t)
	fs := &flakyStore{Store: r.store}
	r.cfg.OpenStore = func() (Store, error) { return fs, nil }
	c := New(r.cfg, Contact{SignedIn: true})
	c.StartChat()
	fs.fail(true)
	c.Send("before quitting")
	c.Abandon()
	if c.State().Pending == 0 {
		t.Fatal("nothing waits")
	}
	fs.fail(false)
	c.Retry()
	conv := r.load(c.ID())
	if conv.Status != transcripts.StatusAbandoned || len(customerTexts(conv)) != 1 {
		t.Fatalf("status %s, customer lines %q", conv.Status, customerTexts(conv))
	}
}

func TestResume(t *testing.T) {
	t.Run("bot only", func(t *testing.T) {
		r := newRig(t)
		cat, tp := topic(t, "delivery", "not_arrived")
		c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder(), Category: cat, Topic: tp})
		c.StartChat()
		c.Send("where is it?")
		c.Abandon()
		r.clock.Advance(time.Hour)
		c2, stored, res, err := Resume(r.cfg, c.ID())
		if err != nil {
			t.Fatal(err)
		}
		if len(stored.Entries) == 0 || !has(res, KindResumed) {
			t.Fatalf("stored %d entries, events %v", len(stored.Entries), kinds(res))
		}
		st := c2.State()
		if st.Contact.Topic.ID != "not_arrived" || st.Contact.Order == nil || st.ID != c.ID() {
			t.Fatalf("resumed contact %+v id %q", st.Contact, st.ID)
		}
		c2.Send("thanks")
		conv := r.load(c.ID())
		if conv.Status != transcripts.StatusOpen || len(customerTexts(conv)) != 2 {
			t.Fatalf("status %s, customer lines %q", conv.Status, customerTexts(conv))
		}
	})
	t.Run("escalated goes back to the queue", func(t *testing.T) {
		r := newRig(t)
		c := New(r.cfg, Contact{SignedIn: true, Order: demoOrder()})
		c.StartChat()
		c.AskForPerson("A person, please.")
		c.Choose(false)
		c.Settle(15*time.Minute, time.Second, func(d time.Duration) { r.clock.Advance(d) })
		c.Abandon()
		c2, _, _, err := Resume(r.cfg, c.ID())
		if err != nil {
			t.Fatal(err)
		}
		st := c2.State()
		if !st.Escalated || !st.Queued || st.Packet == nil {
			t.Fatalf("escalated %v queued %v packet %v", st.Escalated, st.Queued, st.Packet != nil)
		}
		if conv := r.load(c.ID()); conv.Status != transcripts.StatusEscalated {
			t.Fatalf("status %s", conv.Status)
		}
	})
	t.Run("waits for the bot", func(t *testing.T) {
		r := newRig(t)
		c := New(r.cfg, Contact{SignedIn: true})
		c.StartChat()
		c.Abandon()
		cfg := r.cfg
		cfg.Bot = nil
		c2, _, _, err := Resume(cfg, c.ID())
		if err != nil {
			t.Fatal(err)
		}
		c2.Send("typed while the rules load")
		if st := c2.State(); !st.Resuming || !st.Answering {
			t.Fatalf("resuming %v answering %v", st.Resuming, st.Answering)
		}
		res := c2.SetBot(realBot())
		if !has(res, KindBot) || c2.State().Resuming {
			t.Fatalf("after the bot came: %v", kinds(res))
		}
	})
	t.Run("closed is refused", func(t *testing.T) {
		r := newRig(t)
		c := New(r.cfg, Contact{SignedIn: true})
		c.StartChat()
		c.Close(0, 0)
		if _, _, _, err := Resume(r.cfg, c.ID()); !errors.Is(err, ErrResumeClosed) {
			t.Fatalf("err = %v", err)
		}
	})
}

// Messages written before the rules loaded are answered once they have.
func TestMessagesBeforeTheBotAreAnswered(t *testing.T) {
	r := newRig(t)
	cfg := r.cfg
	cfg.Bot = nil
	c := New(cfg, Contact{SignedIn: true})
	c.StartChat()
	c.Send("where is my order?")
	if st := c.State(); !st.Answering || st.BotReady {
		t.Fatalf("answering %v ready %v", st.Answering, st.BotReady)
	}
	res := c.SetBot(realBot())
	bots := 0
	for _, ev := range res.Events {
		if ev.Kind == KindBot {
			bots++
		}
	}
	if bots != 2 || c.State().Answering {
		t.Fatalf("%d bot lines (want the opening and the answer): %v", bots, kinds(res))
	}
}

// A callback booked from the channel choice creates a "callback"
// conversation; its stored text is the booking's own confirmation.
func TestBookCallback(t *testing.T) {
	r := newRig(t)
	c := New(r.cfg, Contact{SignedIn: true})
	if _, err := c.Book("not a number"); err == nil {
		t.Fatal("a bad number was booked")
	}
	res, err := c.Book("090-1234-5678")
	if err != nil {
		t.Fatal(err)
	}
	if !has(res, KindCallback) {
		t.Fatalf("events = %v", kinds(res))
	}
	conv := r.load(c.ID())
	if conv.Channel != "callback" || len(conv.Entries) != 1 || conv.Entries[0].Text == "" {
		t.Fatalf("stored %+v", conv)
	}
	// Issue 10: the stored text is the booking's own confirmation, not a
	// screen's string.
	var b *handoff.Booking
	for _, ev := range res.Events {
		if ev.Kind == KindCallback {
			b = ev.Booking
		}
	}
	if want := b.Text("en", b.At.Location()); conv.Entries[0].Text != want {
		t.Fatalf("stored %q, want the booking's confirmation %q", conv.Entries[0].Text, want)
	}
	if again, _ := c.Book("090-1234-5678"); has(again, KindCallback) {
		t.Fatal("booked twice")
	}
}

// What the store never got can be written to a recovery file that
// `history import` takes, card numbers masked: the whole conversation when
// even its creation waits, else a continuation of it.
func TestUnsavedGoesToARecoveryFile(t *testing.T) {
	for _, createdFirst := range []bool{false, true} {
		r := newRig(t)
		fs := &flakyStore{Store: r.store}
		r.cfg.OpenStore = func() (Store, error) { return fs, nil }
		c := New(r.cfg, Contact{SignedIn: true})
		if createdFirst {
			c.StartChat()
		}
		fs.fail(true)
		c.StartChat()
		c.Send("my card is 4111 1111 1111 1111")
		c.Send("second message")
		c.Abandon()
		conv, ok := c.Unsaved()
		if !ok {
			t.Fatal("nothing unsaved")
		}
		path, err := transcripts.WriteRecoveryFile(t.TempDir(), r.clock.Now(), conv)
		if err != nil {
			t.Fatal(err)
		}
		fs.fail(false)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := r.store.Import(f)
		f.Close()
		if err != nil || rep.Imported != 1 {
			t.Fatalf("createdFirst=%v: import %+v, %v", createdFirst, rep, err)
		}
		got, err := r.store.Load(conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		texts := customerTexts(got)
		if len(texts) != 2 || texts[1] != "second message" || strings.Contains(texts[0], "4111 1111") {
			t.Fatalf("createdFirst=%v: recovered %q", createdFirst, texts)
		}
		if createdFirst == (conv.ID == c.ID()) {
			t.Fatalf("createdFirst=%v: recovered as %q from %q", createdFirst, conv.ID, c.ID())
		}
		if got.Status != transcripts.StatusAbandoned {
			t.Fatalf("status %s", got.Status)
		}
	}
}

// Issue 14: card details typed in chat are masked before the screen, the
// store, the bot and the operator see them, CVV and expiry included, and
// the customer is told once that they are not needed.
func TestCardDetailsAreHiddenAndTheCustomerToldOnce(t *testing.T) {
	r := newRig(t)
	c := New(r.cfg, Contact{SignedIn: true})
	c.StartChat()
	res := c.Send("my card 4111\u00a01111\u00a01111\u00a01111 cvv 123 exp 12/29 was charged twice")
	notices := 0
	for _, ev := range res.Events {
		if ev.Kind == KindCustomer && (strings.Contains(ev.Text, "4111") || strings.Contains(ev.Text, "123") || strings.Contains(ev.Text, "12/29")) {
			t.Fatalf("shown in clear: %q", ev.Text)
		}
		if ev.Kind == KindCardNotice {
			notices++
		}
	}
	res = c.Send("again 5500 0000 0000 0004")
	for _, ev := range res.Events {
		if ev.Kind == KindCardNotice {
			notices++
		}
	}
	if notices != 1 {
		t.Fatalf("%d card notices, want 1", notices)
	}
	c.AskForPerson("A person, please.")
	c.Choose(false)
	for _, l := range c.State().Packet.Transcript {
		if strings.Contains(l.Text, "4111") || strings.Contains(l.Text, "5500") {
			t.Fatalf("the operator's packet holds a card: %q", l.Text)
		}
	}
	for _, e := range r.load(c.ID()).Entries {
		if strings.Contains(e.Text, "4111") || strings.Contains(e.Text, "12/29") {
			t.Fatalf("stored in clear: %q", e.Text)
		}
	}
}
