package live

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/training"
	"tsunagu/transcripts"
)

var jst = time.FixedZone("JST", 9*3600)

var (
	botOnce   sync.Once
	sharedBot chat.Bot
)

func realBot() chat.Bot {
	botOnce.Do(func() { sharedBot = chat.NewBot(bot.NewEngine(bot.DefaultRules())) })
	return sharedBot
}

// rig is a floor with real customer conversations: the real bot, a real
// store and each chat's own simulated desk behind the floor.
type rig struct {
	t     *testing.T
	clock *handoff.VirtualClock
	store *transcripts.Store
	pool  *handoff.Pool
	floor *Floor
	cards []training.Scorecard
	n     int
}

func newRig(t *testing.T) *rig {
	t.Helper()
	clock := handoff.NewVirtualClock(time.Date(2026, 11, 26, 10, 0, 0, 0, jst))
	st, err := transcripts.Open(filepath.Join(t.TempDir(), "t.db"), transcripts.Options{Timeout: time.Second, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &rig{t: t, clock: clock, store: st, pool: handoff.DefaultPool()}
	r.floor, err = New(Config{Pool: r.pool, Clock: clock, Knowledge: func() handoff.Knowledge { return realBot().Knowledge() },
		SaveScorecard: func(c training.Scorecard) error {
			r.cards = append(r.cards, c)
			rec, err := c.Record()
			if err != nil {
				return err
			}
			_, err = st.SaveTraining(rec)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *rig) config(lang string, p *profile.Profile) chat.Config {
	r.n++
	n := r.n
	return chat.Config{Lang: lang, Profile: p, Clock: r.clock, Bot: realBot(), Seed: 3,
		OpenStore: func() (chat.Store, error) { return r.store, nil },
		Callbacks: handoff.NewCallbacks(r.pool),
		NewID: func(at time.Time) string {
			return "c" + at.Format("150405") + "-" + string(rune('a'+n))
		},
		NewDesk: func(id string) (chat.Desk, error) {
			sim, err := handoff.NewDesk(handoff.DeskConfig{Pool: r.floor.CoverPool(), Knowledge: realBot().Knowledge(), Start: r.clock.Now(), Seed: 3})
			if err != nil {
				return nil, err
			}
			return r.floor.Desk(id, sim), nil
		}}
}

// customer starts a signed-in demo customer's chat about their first
// order's late parcel, and asks for a person.
func (r *rig) customer(lang string, native bool) *chat.Conversation {
	r.t.Helper()
	cat, tp := topic(r.t, "delivery", "not_arrived")
	o := profile.Demo().Orders[0]
	c := chat.New(r.config(lang, nil), chat.Contact{SignedIn: true, Order: &o, Category: cat, Topic: tp})
	c.StartChat()
	c.Send("my parcel still has not arrived")
	c.AskForPerson("")
	if !c.State().Choosing {
		r.t.Fatalf("the customer was not asked who should answer: %+v", c.State())
	}
	c.Choose(native)
	return c
}

func topic(t *testing.T, cat, sub string) (chat.Category, chat.Topic) {
	t.Helper()
	for _, c := range realBot().Menu("en") {
		for _, tp := range c.Topics {
			if c.ID == cat && tp.ID == sub {
				return c, tp
			}
		}
	}
	t.Fatalf("no topic %s/%s", cat, sub)
	return chat.Category{}, chat.Topic{}
}

// parcelScenario is the built-in scenario the role-play tests play.
func parcelScenario(t *testing.T) *training.Scenario {
	t.Helper()
	for _, s := range training.Builtins() {
		if s.ID == "parcel-not-arrived" {
			return s
		}
	}
	t.Fatal("no parcel-not-arrived scenario")
	return nil
}

// rolePlayChat is the trainer's customer conversation for sc in English,
// started (so it has its id) but not yet routed.
func (r *rig) rolePlayChat(sc *training.Scenario) *chat.Conversation {
	p, ct := RolePlayCustomer(sc, "en")
	c := chat.New(r.config("en", p), ct)
	c.StartChat()
	return c
}

func (r *rig) signIn(id string, role Role) *Seat {
	r.t.Helper()
	s, err := r.floor.SignIn(id, role)
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func events(res chat.Result, k chat.Kind) []chat.Event {
	var out []chat.Event
	for _, ev := range res.Events {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

func refusal(err error) string {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// TestPersonTakesTheChat is the desk's promise: the customer escalates,
// the signed-in operator sees it waiting, takes it with its packet, and
// what each writes reaches the other; the store keeps one conversation
// with the person's name on their lines.
func TestPersonTakesTheChat(t *testing.T) {
	r := newRig(t)
	tanaka := r.signIn("tanaka", RoleOperator)
	c := r.customer("en", false)
	id := c.ID()
	if st := c.State(); !st.InQueue || st.Position != 1 {
		t.Fatalf("the waiting customer was not told their place: %+v", st)
	}
	v := tanaka.Snapshot()
	if len(v.Chats) != 1 || v.Chats[0].ID != id || v.Chats[0].State != StateWaiting || v.Chats[0].WhyNot != "" {
		t.Fatalf("the operator does not see the chat waiting for them: %+v", v.Chats)
	}
	if err := tanaka.Take(id); err != nil {
		t.Fatal(err)
	}
	cv, err := tanaka.Chat(id)
	if err != nil {
		t.Fatal(err)
	}
	if cv.Packet == nil || cv.Packet.Summary["en"] == "" || cv.Packet.Facts.Value(handoff.FactOrderID) == "" {
		t.Fatalf("the operator has no packet to work from: %+v", cv.Packet)
	}
	if !strings.Contains(linesText(cv.Lines), "my parcel still has not arrived") {
		t.Errorf("the operator cannot read what the customer wrote to the bot: %q", linesText(cv.Lines))
	}
	if err := tanaka.Reply(id, "Hello, I'm Tanaka. I've read your chat: your parcel is late. I'm checking it now."); err != nil {
		t.Fatal(err)
	}
	res := c.Advance()
	joined := events(res, chat.KindJoined)
	said := events(res, chat.KindOperator)
	if len(joined) != 1 || joined[0].Operator.Name != "Tanaka" || len(said) != 1 || !strings.Contains(said[0].Text, "checking it now") {
		t.Fatalf("the customer did not see Tanaka join and answer: %v", res.Events)
	}
	c.Send("thank you, the order is 250-1234567-1234567")
	cv, _ = tanaka.Chat(id)
	if !strings.Contains(linesText(cv.Lines), "thank you") {
		t.Fatalf("the operator did not get the customer's answer: %q", linesText(cv.Lines))
	}
	if err := tanaka.Close(id); err != nil {
		t.Fatal(err)
	}
	c.Advance()
	if !c.State().Closed {
		t.Fatal("the person closed the chat but the customer's conversation is open")
	}
	page, err := r.store.List(transcripts.Filter{}, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("the store has %d conversations, want the one", len(page.Items))
	}
	conv, err := r.store.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	var ops int
	for _, e := range conv.Entries {
		if e.Role == transcripts.RoleOperator {
			ops++
			if e.Author != "Tanaka" {
				t.Errorf("an operator line is stored as %q, want the person's name", e.Author)
			}
		}
	}
	if ops != 1 {
		t.Errorf("stored %d operator lines, want 1", ops)
	}
	if tanaka.Snapshot().Me.Holding != 0 {
		t.Error("a closed chat still counts against the operator's capacity")
	}
}

func linesText(ls []Line) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.Speaker + ": " + l.Text + "\n")
	}
	return b.String()
}

// TestSimulatedOperatorsCover: with nobody signed in, or nobody taking the
// chat within the claim window, the simulated operators answer.
func TestSimulatedOperatorsCover(t *testing.T) {
	for _, tc := range []struct {
		name   string
		signIn bool
	}{{"nobody signed in", false}, {"nobody took it", true}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			var seat *Seat
			if tc.signIn {
				seat = r.signIn("smith", RoleOperator)
			}
			c := r.customer("en", false)
			joined := false
			for range 600 {
				if c.State().Operator != nil {
					joined = true
					break
				}
				r.clock.Advance(time.Second)
				c.Advance()
			}
			if !joined {
				t.Fatal("no simulated operator joined in ten minutes")
			}
			if seat != nil {
				if err := seat.Take(c.ID()); refusal(err) != NotWaiting {
					t.Errorf("taking a chat the simulated operators have: %v, want %s", err, NotWaiting)
				}
			}
		})
	}
}

// TestRoutingAppliesToPeople: languages, native-only, skills, capacity and
// roles decide who may take a chat, as they do for simulated operators.
func TestRoutingAppliesToPeople(t *testing.T) {
	r := newRig(t)
	smith := r.signIn("smith", RoleOperator)
	suzuki := r.signIn("suzuki", RoleOperator) // en basic
	trainee := r.signIn("brown", RoleTrainee)
	trainer := r.signIn("li", RoleTrainer)
	native := r.customer("en", true)
	cases := []struct {
		seat *Seat
		want string
	}{
		{suzuki, NotNative},
		{trainee, WrongRole},
		{trainer, WrongRole},
	}
	for _, tc := range cases {
		if err := tc.seat.Take(native.ID()); refusal(err) != tc.want {
			t.Errorf("%s taking a native-only English chat: %v, want %s", tc.seat.op.ID, err, tc.want)
		}
	}
	if v := trainee.Snapshot(); len(v.Chats) != 0 {
		t.Errorf("a trainee sees customers' chats: %+v", v.Chats)
	}
	if v := trainer.Snapshot(); len(v.Chats) != 1 {
		t.Errorf("a trainer sees %d chats, want every chat", len(v.Chats))
	}
	if err := smith.Take(native.ID()); err != nil {
		t.Fatal(err)
	}
	second := r.customer("en", false)
	if err := smith.Take(second.ID()); err != nil {
		t.Fatal(err)
	}
	third := r.customer("en", false)
	if err := smith.Take(third.ID()); refusal(err) != Full {
		t.Errorf("a third chat for an operator of two: %v, want %s", err, Full)
	}
	if err := smith.Reply(third.ID(), "hello"); refusal(err) != NotYours {
		t.Errorf("replying in a chat not taken: %v, want %s", err, NotYours)
	}
	if _, err := r.floor.SignIn("smith", RoleOperator); !errors.Is(err, ErrSignedIn) {
		t.Errorf("a second seat for smith: %v", err)
	}
	if _, err := r.floor.SignIn("nobody", RoleOperator); err == nil {
		t.Error("an operator not in the pool signed in")
	}
	ito := r.signIn("ito", RoleOperator) // the phone team
	if err := ito.Take(third.ID()); refusal(err) != NoSkill {
		t.Errorf("the phone team taking a chat: %v, want %s", err, NoSkill)
	}
}

// TestAskNeverMakesTheCustomerRepeat: asking for a fact the packet holds is
// refused with the value; a missing fact is asked in the customer's words.
func TestAskNeverMakesTheCustomerRepeat(t *testing.T) {
	r := newRig(t)
	tanaka := r.signIn("tanaka", RoleOperator)
	c := r.customer("ja", false)
	c.Advance()
	if err := tanaka.Take(c.ID()); err != nil {
		t.Fatal(err)
	}
	err := tanaka.Ask(c.ID(), handoff.FactOrderID)
	var known *KnownFact
	if !errors.As(err, &known) || known.Value == "" {
		t.Fatalf("asking for the order the packet holds: %v", err)
	}
	if err := tanaka.Ask(c.ID(), handoff.FactEmail); err != nil {
		t.Fatal(err)
	}
	said := events(c.Advance(), chat.KindOperator)
	if len(said) != 1 || said[0].Text != handoff.AskText("ja", handoff.FactEmail) {
		t.Fatalf("the customer got %+v, want the Japanese ask for an email", said)
	}
	if err := tanaka.Ask(c.ID(), "password"); refusal(err) != UnknownFact {
		t.Errorf("asking for a password: %v", err)
	}
}

// TestTransferAndSignOutKeepThePacket: a transfer to a named colleague is
// theirs alone; an operator who signs out hands the chat on; the customer
// always hears who left and who took over.
func TestTransferAndSignOutKeepThePacket(t *testing.T) {
	r := newRig(t)
	tanaka := r.signIn("tanaka", RoleOperator)
	smith := r.signIn("smith", RoleOperator)
	brown := r.signIn("brown", RoleOperator)
	c := r.customer("en", false)
	id := c.ID()
	if err := tanaka.Take(id); err != nil {
		t.Fatal(err)
	}
	c.Advance()
	if err := tanaka.Transfer(id, "smith", ""); err != nil {
		t.Fatal(err)
	}
	if err := brown.Take(id); refusal(err) != Reserved {
		t.Errorf("brown took a chat transferred to smith: %v", err)
	}
	if err := smith.Take(id); err != nil {
		t.Fatal(err)
	}
	res := c.Advance()
	left, joined := events(res, chat.KindLeft), events(res, chat.KindJoined)
	if len(left) != 1 || len(joined) != 1 || !joined[0].Handover || joined[0].From != "Tanaka" {
		t.Fatalf("the customer did not see Tanaka hand over to Smith: %v", res.Events)
	}
	cv, _ := smith.Chat(id)
	if len(cv.Packet.Transfers) != 1 || cv.Packet.Transfers[0].To != "smith" {
		t.Errorf("the packet does not record the transfer: %+v", cv.Packet.Transfers)
	}
	smith.SignOut()
	var after []chat.Event
	for range 600 {
		after = append(after, c.Advance().Events...)
		if c.State().Operator != nil {
			break
		}
		r.clock.Advance(time.Second)
	}
	var sawLeft, handover bool
	for _, ev := range after {
		sawLeft = sawLeft || ev.Kind == chat.KindLeft
		handover = handover || ev.Kind == chat.KindJoined && ev.Handover && ev.From == "Smith"
	}
	if !sawLeft {
		t.Fatalf("smith signed out but the customer was not told: %v", after)
	}
	for _, ev := range after {
		if ev.Kind == chat.KindJoined && ev.Operator.ID == "smith" {
			t.Error("smith's simulated double took the chat smith signed out of")
		}
	}
	if !handover {
		t.Fatal("after smith signed out no simulated operator took over with the handover")
	}
}

// TestCustomerLeavesAndCallbacks: a person books the call and the customer
// sees and keeps it; a customer who leaves frees the person.
func TestCustomerLeavesAndCallbacks(t *testing.T) {
	r := newRig(t)
	tanaka := r.signIn("tanaka", RoleOperator)
	c := r.customer("en", false)
	id := c.ID()
	if err := tanaka.Take(id); err != nil {
		t.Fatal(err)
	}
	if _, err := tanaka.BookCallback(id, "not a number"); err == nil {
		t.Error("a callback to a bad number was booked")
	}
	b, err := tanaka.BookCallback(id, "090-1234-5678")
	if err != nil {
		t.Fatal(err)
	}
	if got := events(c.Advance(), chat.KindCallback); len(got) != 1 || !got[0].Booking.At.Equal(b.At) {
		t.Fatalf("the customer did not get the booked call: %+v", got)
	}
	c.Close(0, 0)
	cv, err := tanaka.Chat(id)
	if err != nil {
		t.Fatal(err)
	}
	if !cv.CustomerLeft || cv.State != StateClosed {
		t.Errorf("the operator's view after the customer left: %+v", cv)
	}
	if err := tanaka.Reply(id, "hello?"); refusal(err) != Closed {
		t.Errorf("replying after the customer left: %v", err)
	}
	if tanaka.Snapshot().Me.Holding != 0 {
		t.Error("the customer left but the chat still counts against the operator")
	}
	conv, err := r.store.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range conv.Entries {
		found = found || e.Event == transcripts.EventCallbackBooked
	}
	if !found {
		t.Error("the booked call is not stored")
	}
}

// TestRolePlayIsScored: a trainer plays a scenario's customer; the chat
// reaches only the chosen trainee; at the close the trainee's scorecard is
// the trainee-mode card, stored with the transcript.
func TestRolePlayIsScored(t *testing.T) {
	r := newRig(t)
	trainer := r.signIn("li", RoleTrainer)
	trainee := r.signIn("brown", RoleTrainee)
	smith := r.signIn("smith", RoleOperator)
	sc := parcelScenario(t)
	c := r.rolePlayChat(sc)
	if err := trainer.StartRolePlay(c.ID(), sc, "en", "smith"); refusal(err) != NoSuchPerson {
		t.Errorf("a role-play for an operator, not a trainee: %v", err)
	}
	if err := trainee.StartRolePlay(c.ID(), sc, "en", "brown"); refusal(err) != WrongRole {
		t.Errorf("a trainee starting a role-play: %v", err)
	}
	if err := trainer.StartRolePlay(c.ID(), sc, "en", "brown"); err != nil {
		t.Fatal(err)
	}
	for _, line := range sc.Opening.In("en") {
		c.Send(line)
	}
	if st := c.State(); !st.Escalated {
		c.AskForPerson("")
	}
	c.Choose(false)
	c.Advance()
	if err := smith.Take(c.ID()); refusal(err) != Reserved {
		t.Errorf("an operator took the trainee's role-play: %v", err)
	}
	r.clock.Advance(10 * time.Minute) // no claim window: it waits for the trainee
	c.Advance()
	if err := trainee.Take(c.ID()); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"Hi Yumi, I'm Alex. I've read your conversation with our assistant: your wireless earbuds, order 250-1234567-1234567, were due yesterday. I'm sorry for the wait.",
		"I've checked the carrier tracking: the parcel has not moved since the depot scan.",
		"I've opened a trace with the carrier. If it isn't found within 2 days, we'll send a replacement at no cost.",
	} {
		r.clock.Advance(20 * time.Second)
		if err := trainee.Reply(c.ID(), line); err != nil {
			t.Fatal(err)
		}
		c.Advance()
		r.clock.Advance(10 * time.Second)
		c.Send("ok, thank you")
	}
	if err := trainee.Close(c.ID()); err != nil {
		t.Fatal(err)
	}
	c.Advance()
	if len(r.cards) != 1 {
		t.Fatalf("%d scorecards saved, want 1", len(r.cards))
	}
	card := r.cards[0]
	if !card.Live || card.Trainee != "brown" || card.Total < 70 || card.CriticalFailed {
		t.Errorf("the live card: live %v trainee %q total %.1f critical %v", card.Live, card.Trainee, card.Total, card.CriticalFailed)
	}
	stored, err := r.store.ListTraining("brown", 10)
	if err != nil || len(stored) != 1 || len(stored[0].Transcript) == 0 {
		t.Fatalf("the stored card: %v, %+v", err, stored)
	}
	cv, err := trainer.Chat(c.ID())
	if err != nil || cv.Card == nil {
		t.Fatalf("the trainer cannot see the card: %v", err)
	}
}

// TestRolePlayTransferKeepsTheCard: a trainee who transfers ends their
// part; the card is stored and both the trainee and the trainer still see
// it, while simulated colleagues carry on with the trainer's customer.
func TestRolePlayTransferKeepsTheCard(t *testing.T) {
	r := newRig(t)
	trainer := r.signIn("li", RoleTrainer)
	trainee := r.signIn("brown", RoleTrainee)
	sc := parcelScenario(t)
	c := r.rolePlayChat(sc)
	if err := trainer.StartRolePlay(c.ID(), sc, "en", "brown"); err != nil {
		t.Fatal(err)
	}
	for _, line := range sc.Opening.In("en") {
		c.Send(line)
	}
	if !c.State().Escalated {
		c.AskForPerson("")
	}
	c.Choose(false)
	if err := trainee.Take(c.ID()); err != nil {
		t.Fatal(err)
	}
	if err := trainee.Reply(c.ID(), "Hi Yumi, I'm Alex. I've read your conversation: your earbuds are late. I'm sorry."); err != nil {
		t.Fatal(err)
	}
	if err := trainee.Transfer(c.ID(), "", training.Teams[0]); err != nil {
		t.Fatal(err)
	}
	if len(r.cards) != 1 {
		t.Fatalf("%d cards saved after the transfer, want 1", len(r.cards))
	}
	for _, s := range []*Seat{trainee, trainer} {
		cv, err := s.Chat(c.ID())
		if err != nil || cv.Card == nil || cv.Trainee != "brown" {
			t.Errorf("%s cannot see the card after the transfer: %v %+v", s.op.ID, err, cv.Card)
		}
	}
	answered := false
	for range 600 {
		c.Advance()
		if op := c.State().Operator; op != nil && op.ID != "brown" {
			answered = true
			break
		}
		r.clock.Advance(time.Second)
	}
	if !answered {
		t.Error("after the trainee's transfer nobody served the trainer's customer")
	}
}

// TestRolePlayWaitsForItsTrainee: a trainee who drops out of a role-play
// finds it waiting when they sign in again; no colleague takes it.
func TestRolePlayWaitsForItsTrainee(t *testing.T) {
	r := newRig(t)
	trainer := r.signIn("li", RoleTrainer)
	trainee := r.signIn("brown", RoleTrainee)
	sc := parcelScenario(t)
	c := r.rolePlayChat(sc)
	if err := trainer.StartRolePlay(c.ID(), sc, "en", "brown"); err != nil {
		t.Fatal(err)
	}
	c.AskForPerson("")
	c.Choose(false)
	if err := trainee.Take(c.ID()); err != nil {
		t.Fatal(err)
	}
	trainee.SignOut()
	r.clock.Advance(time.Hour)
	c.Advance()
	if op := c.State().Operator; op != nil {
		t.Fatalf("%s took the role-play while its trainee was away", op.Name)
	}
	again := r.signIn("brown", RoleTrainee)
	if err := again.Take(c.ID()); err != nil {
		t.Fatalf("the trainee could not take their role-play back: %v", err)
	}
	res := c.Advance()
	if j := events(res, chat.KindJoined); len(j) != 1 || !j[0].Back {
		t.Errorf("the customer did not see the trainee come back: %v", res.Events)
	}
}

// TestPeopleAndTheCustomerAtOnce: people write to the chat while the
// customer's side reads its state; under -race this finds any packet both
// sides share.
func TestPeopleAndTheCustomerAtOnce(t *testing.T) {
	r := newRig(t)
	tanaka := r.signIn("tanaka", RoleOperator)
	c := r.customer("en", false)
	id := c.ID()
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = c.State() // reads the packet the conversation holds
		}
	}()
	if err := tanaka.Take(id); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := tanaka.Reply(id, "line "+string(rune('a'+i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tanaka.BookCallback(id, "090-1234-5678"); err != nil {
		t.Fatal(err)
	}
	close(stop)
	<-done
	if _, err := tanaka.BookCallback(id, "090-1234-5678"); refusal(err) != Booked {
		t.Errorf("a second call for the same chat: %v", err)
	}
}

// TestLastWordsBeforeTheCloseAreKept: what a person wrote just before the
// customer closed or left is stored, though the customer's side had not
// taken it yet.
func TestLastWordsBeforeTheCloseAreKept(t *testing.T) {
	for _, leave := range []string{"close", "abandon"} {
		t.Run(leave, func(t *testing.T) {
			r := newRig(t)
			tanaka := r.signIn("tanaka", RoleOperator)
			c := r.customer("en", false)
			if err := tanaka.Take(c.ID()); err != nil {
				t.Fatal(err)
			}
			if err := tanaka.Reply(c.ID(), "zz last words"); err != nil {
				t.Fatal(err)
			}
			if leave == "close" {
				c.Close(4, 5)
			} else {
				c.Abandon()
			}
			conv, err := r.store.Load(c.ID())
			if err != nil {
				t.Fatal(err)
			}
			var said, closedAt, saidAt int
			for i, e := range conv.Entries {
				if e.Role == transcripts.RoleOperator && e.Text == "zz last words" {
					said++
					saidAt = i
				}
				if e.Event == transcripts.EventClosed {
					closedAt = i
				}
			}
			if said != 1 {
				t.Fatalf("the last words are stored %d times", said)
			}
			if leave == "close" && closedAt < saidAt {
				t.Error("the last words are stored after the close")
			}
		})
	}
}

// TestClosedChatsAreForgotten: the floor keeps a closed chat for a while
// (people still see it) and then lets it go.
func TestClosedChatsAreForgotten(t *testing.T) {
	r := newRig(t)
	li := r.signIn("li", RoleTrainer)
	c := r.customer("en", false)
	c.Close(0, 0)
	if v := li.Snapshot(); len(v.Chats) != 1 || v.Chats[0].State != StateClosed {
		t.Fatalf("just closed: %+v", v.Chats)
	}
	r.clock.Advance(closedShown + time.Second)
	if v := li.Snapshot(); len(v.Chats) != 0 {
		t.Fatalf("closed long ago and still listed: %+v", v.Chats)
	}
	if n := len(r.floor.chats); n != 0 {
		t.Errorf("the floor still holds %d closed chats", n)
	}
}

// TestRolePlayNeedsATraineeWhoCanTakeIt: a role-play for a trainee who does
// not speak the language is refused at the start; one whose trainee left
// before it reached a person goes to the desk like any customer's chat.
func TestRolePlayNeedsATraineeWhoCanTakeIt(t *testing.T) {
	r := newRig(t)
	for i := range r.pool.Operators {
		if r.pool.Operators[i].ID == "brown" {
			r.pool.Operators[i].Languages = []handoff.Language{{Code: "ja", Level: handoff.LevelBasic}}
		}
	}
	trainer := r.signIn("li", RoleTrainer)
	brown := r.signIn("brown", RoleTrainee)
	smith := r.signIn("smith", RoleTrainee)
	sc := parcelScenario(t)
	if err := trainer.StartRolePlay("c-x", sc, "en", "brown"); refusal(err) != NoLanguage {
		t.Errorf("a role-play in English for a trainee without English: %v", err)
	}
	_ = brown
	c := r.rolePlayChat(sc)
	if err := trainer.StartRolePlay(c.ID(), sc, "en", "smith"); err != nil {
		t.Fatal(err)
	}
	smith.SignOut()
	c.AskForPerson("")
	c.Choose(false)
	for range 600 {
		if c.State().Operator != nil {
			return
		}
		r.clock.Advance(time.Second)
		c.Advance()
	}
	t.Fatal("the role-play whose trainee left was never answered")
}

// TestSavingACardDoesNotHoldTheDesk: the scorecard is stored outside the
// floor's lock, so a slow store (here, one that looks at the desk while
// saving) never stops everyone else.
func TestSavingACardDoesNotHoldTheDesk(t *testing.T) {
	r := newRig(t)
	trainer := r.signIn("li", RoleTrainer)
	saved := 0
	r.floor.cfg.SaveScorecard = func(training.Scorecard) error {
		_ = trainer.Snapshot() // would never return if the lock were held
		saved++
		return nil
	}
	trainee := r.signIn("brown", RoleTrainee)
	sc := parcelScenario(t)
	c := r.rolePlayChat(sc)
	if err := trainer.StartRolePlay(c.ID(), sc, "en", "brown"); err != nil {
		t.Fatal(err)
	}
	c.AskForPerson("")
	c.Choose(false)
	if err := trainee.Take(c.ID()); err != nil {
		t.Fatal(err)
	}
	if err := trainee.Reply(c.ID(), "Hi Yumi, I'm Alex. I've read your chat: your earbuds are late. I'm sorry."); err != nil {
		t.Fatal(err)
	}
	if err := trainee.Close(c.ID()); err != nil {
		t.Fatal(err)
	}
	if saved != 1 {
		t.Errorf("%d cards saved, want 1", saved)
	}
}

// TestRefusedRolePlayLeavesNothingOpen: a role-play the floor refuses
// keeps no conversation open; one it takes answers "who should answer?"
// by itself, so the chat goes straight to the trainee's queue.
func TestRefusedRolePlayLeavesNothingOpen(t *testing.T) {
	r := newRig(t)
	trainer := r.signIn("li", RoleTrainer)
	r.signIn("brown", RoleTrainee)
	sc := parcelScenario(t)
	p, ct := RolePlayCustomer(sc, "en")
	refused := chat.New(r.config("en", p), ct)
	if _, err := trainer.PlayCustomer(refused, sc, "en", "nobody"); refusal(err) != NoSuchPerson {
		t.Fatalf("a role-play for nobody: %v", err)
	}
	if stored, err := r.store.Load(refused.ID()); err != nil || stored.Status != transcripts.StatusAbandoned {
		t.Errorf("the refused role-play is stored as %v (%v), want abandoned", stored.Status, err)
	}
	taken := chat.New(r.config("en", p), ct)
	if _, err := trainer.PlayCustomer(taken, sc, "en", "brown"); err != nil {
		t.Fatal(err)
	}
	PlayTurn(taken, func(c *chat.Conversation) chat.Result { return c.AskForPerson("") })
	if st := taken.State(); st.Choosing || !st.Queued {
		t.Errorf("the role-play's customer was left choosing: %+v", st)
	}
}
