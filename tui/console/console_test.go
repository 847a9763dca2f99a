package console

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/live"
	"tsunagu/handoff/training"
	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

// An operator takes an escalated chat, reads the packet beside the
// transcript, and their reply reaches the customer's engine; the
// customer's answer comes back on the next tick.
func TestOperatorTakesRepliesAndHearsBack(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "en", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.mustShow("Yumi Sato", "English", "waiting", "asked for a person")
	op.enter()
	op.mustShow("Chat with", "Packet and case", "Summary", "order: ", "a person please", "Smith joined")

	op.typeText("Hello, I can help")
	op.enter()
	res := conv.Advance()
	if got := operatorLines(res); !slices.Contains(got, "Hello, I can help") {
		t.Fatalf("the customer did not get the reply: %v", got)
	}
	conv.Send("thanks, where is my parcel")
	op.tick()
	op.mustShow("thanks, where is my parcel")
}

// Asking for a fact the packet holds is refused with its value and sends
// nothing; a fact it lacks reaches the customer.
func TestAskForAFact(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "en", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.enter()
	conv.Advance() // the join

	op.ctrl('f')
	op.mustShow("Ask the customer for:", "order", "email")
	op.enter() // the order, which the packet holds
	op.mustShow("The packet already has it:", "don't make the customer repeat it")
	if got := operatorLines(conv.Advance()); len(got) != 0 {
		t.Fatalf("a refused ask reached the customer: %v", got)
	}

	op.ctrl('f')
	for _, f := range live.AskFacts {
		if f == handoff.FactEmail {
			break
		}
		op.down()
	}
	op.enter()
	op.mustShow("Asked the customer for email.")
	if got := operatorLines(conv.Advance()); len(got) != 1 {
		t.Fatalf("the customer was not asked: %v", got)
	}
	op.tick()
	op.mustShow("asked for email")
}

// A trainee never gets a real customer's chat, nor does an operator who
// does not speak the customer's language: the floor keeps it from their
// queue, and a take that races with the list is refused in words.
func TestWhoCannotTake(t *testing.T) {
	for _, tc := range []struct {
		name, id string
		role     live.Role
		why      string
	}{
		{"trainee", "tanaka", live.RoleTrainee, "your role cannot do that"},
		{"no language", "kobayashi", live.RoleOperator, "you do not speak the customer's language"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			r.signIn("smith", live.RoleOperator) // someone who can, so the chat waits
			h := r.console(r.signIn(tc.id, tc.role), "en", 100, 30)
			conv := r.customer("en")
			h.tick()
			h.mustShow("No chats on the desk right now.")
			h.run(h.m.take(conv.ID()))
			h.mustShow("Cannot: " + tc.why + ".")
		})
	}
}

// An operator at capacity sees the chat and is told why Enter cannot take
// it.
func TestFullOperatorIsToldWhy(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("suzuki", live.RoleOperator), "en", 100, 30)
	r.signIn("sato", live.RoleOperator) // someone who can, so the chats wait
	for i := range 2 {                  // suzuki takes two Japanese chats: full (capacity 2)
		r.customer("ja")
		op.tick()
		for range i {
			op.down()
		}
		op.enter()
		op.esc()
	}
	r.customer("ja")
	op.tick()
	op.down() // from the chat just opened to the new one below it
	op.mustShow("you already hold as many chats as you can")
	op.enter()
	op.mustShow("Cannot: you already hold as many chats as you can.")
}

// The trainer plays a scenario's customer for a trainee: the chat reaches
// the trainee's console, the trainee takes it, answers and closes, and both
// see the scorecard, which the floor stored.
func TestRolePlay(t *testing.T) {
	r := newRig(t)
	trainee := r.console(r.signIn("nguyen", live.RoleTrainee), "en", 100, 30)
	trainer := r.console(r.signIn("tanaka", live.RoleTrainer), "en", 100, 30)

	trainer.key('n', 0)
	trainer.mustShow("New role-play", "Scenario")
	sc := training.Builtins()[0]
	trainer.enter() // the first scenario
	trainer.mustShow("Language", "English")
	for _, l := range []string{"ja", "en"} {
		if l == "en" {
			break
		}
		if sc.Plays(l) {
			trainer.down()
		}
	}
	trainer.enter()
	trainer.mustShow("Trainee", "Nguyen")
	trainer.enter()
	opening := sc.Opening.In("en")
	trainer.mustShow("you are the customer", "Opening lines", firstWords(opening[0]))

	for range opening {
		trainer.key(tea.KeyTab, 0)
		trainer.enter()
	}
	trainer.ctrl('o') // a person, please
	trainer.mustShow("handed to a person")
	trainer.tick()

	trainee.tick()
	trainee.mustShow("[role-play]", "waiting")
	trainee.enter()
	trainee.mustShow("Chat with", "Packet and case")
	trainee.typeText("Hello, I am sorry for the trouble. I will check it now.")
	trainee.enter()
	trainer.tick()
	trainer.mustShow("I am sorry for the trouble")
	if debugFrames {
		t.Log("\n" + trainer.view())
	}

	trainee.ctrl('t')
	trainee.mustShow("Transfer to a team:", "Security team", "Billing team")
	trainee.esc()

	trainee.ctrl('x')
	trainee.mustShow("Close this chat? y/n")
	trainee.key('y', 0)
	trainee.mustShow("Chat closed.", "Scorecard:", "Total")

	trainer.tick()
	trainer.tick()
	trainer.mustShow("The chat ended.", "Scorecard:", "Total")
	if cards := r.saved(); len(cards) != 1 || cards[0].Trainee != "nguyen" {
		t.Fatalf("the floor stored %d cards: %+v", len(cards), cards)
	}
}

// firstWords is the start of a line, short enough to fit on the screen.
func firstWords(s string) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(3, len(f))], " ")
}

// A trainer watching a chat reads it; nothing typed reaches it.
func TestTrainerWatchIsReadOnly(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "en", 100, 30)
	trainer := r.console(r.signIn("tanaka", live.RoleTrainer), "en", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.enter()
	conv.Advance()
	trainer.tick()
	trainer.enter()
	trainer.mustShow("Watching", "READ-ONLY", "a person please")
	trainer.typeText("hello from the trainer")
	trainer.enter()
	trainer.ctrl('x')
	trainer.mustNotShow("hello from the trainer", "Close this chat?")
	if got := operatorLines(conv.Advance()); len(got) != 0 {
		t.Fatalf("the watcher's keys reached the customer: %v", got)
	}
}

// Quitting signs the seat out and abandons the trainer's conversation.
func TestQuitSignsOut(t *testing.T) {
	r := newRig(t)
	seat := r.signIn("smith", live.RoleOperator)
	op := r.console(seat, "en", 100, 30)
	op.key('q', 0)
	if !op.quit {
		t.Fatal("q did not quit")
	}
	if _, err := r.floor.SignIn("smith", live.RoleOperator); err != nil {
		t.Fatalf("the seat is still taken after quit: %v", err)
	}
	op.m.Close() // the server's call after the session: harmless twice
}

func TestCloseAbandonsTheRolePlay(t *testing.T) {
	r := newRig(t)
	r.signIn("nguyen", live.RoleTrainee)
	trainer := r.console(r.signIn("tanaka", live.RoleTrainer), "en", 100, 30)
	trainer.key('n', 0)
	trainer.enter()
	trainer.enter()
	trainer.enter()
	conv := trainer.m.play.conv
	trainer.m.Close()
	if st := conv.State(); !st.Closed {
		t.Fatal("the role-play conversation was left open")
	}
}

// A customer's hostile text is drawn without its escapes.
func TestHostileTextIsDrawnSafely(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "en", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.enter()
	conv.Advance()
	conv.Send("look " + tuitest.EvilError + " \xff\xfe bad")
	op.tick()
	frame := op.m.Frame()
	tuitest.CheckNoEscapes(t, frame)
	op.mustShow("desk down", "now")
}

// Tiny windows never panic, on any screen.
func TestTinyWindows(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "en", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.enter()
	conv.Advance()
	for _, sz := range [][2]int{{20, 5}, {1, 1}, {0, 0}, {24, 8}, {40, 10}, {59, 12}} {
		op.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		tuitest.CheckFits(t, op.m.Frame(), max(sz[0], 1), sz[1])
		op.ctrl('f')
		tuitest.CheckFits(t, op.m.Frame(), max(sz[0], 1), sz[1])
		op.esc()
	}
}

// Every refusal code of the floor has words in both languages.
func TestEveryRefusalHasWords(t *testing.T) {
	codes := live.RefusalCodes
	for _, lang := range []string{"en", "ja"} {
		m := New(Config{Seat: nil, Lang: lang, Scenarios: []*training.Scenario{}})
		for _, c := range codes {
			if why := m.text.Refusals[c]; why == "" || !strings.Contains(m.refusal(&live.Refusal{Code: c}), why) {
				t.Errorf("%s: %s has no words: %q", lang, c, m.refusal(&live.Refusal{Code: c}))
			}
		}
	}
}

// Goldens of the queue and of a chat, in both languages.
func TestGoldens(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			r := newRig(t)
			op := r.console(r.signIn("tanaka", live.RoleOperator), lang, 100, 30)
			r.signIn("smith", live.RoleOperator)
			conv := r.customer(lang)
			op.tick()
			tuitest.RequireGolden(t, "queue_"+lang, op.view())
			op.enter()
			conv.Advance()
			conv.Send(map[string]string{"en": "It has been a week.", "ja": "一週間たちました。"}[lang])
			op.tick()
			tuitest.RequireGolden(t, "chat_"+lang, op.view())
		})
	}
}

// Transfer to a signed-in colleague: the chat leaves my screen, the
// customer sees me leave, and the colleague's queue offers it to them.
func TestTransferToAColleague(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "en", 100, 30)
	colleague := r.console(r.signIn("tanaka", live.RoleOperator), "en", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.enter()
	conv.Advance()
	op.ctrl('t')
	op.mustShow("Transfer to:", "Tanaka (0/2)", "the queue")
	op.enter()
	op.mustShow("Transferred to Tanaka (0/2).")
	op.mustNotShow("Chat with")
	if !slices.ContainsFunc(conv.Advance().Events, func(ev chat.Event) bool { return ev.Kind == chat.KindLeft }) {
		t.Fatal("the customer did not see the operator leave")
	}
	colleague.tick()
	colleague.mustShow("Yumi Sato", "waiting")
	colleague.enter()
	colleague.mustShow("Chat with Yumi Sato", "Transfers:", "Smith → Tanaka")
}

// A callback booked from the console reaches the customer; a bad number is
// refused in words and books nothing.
func TestBookACallback(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "en", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.enter()
	conv.Advance()
	op.ctrl('b')
	op.mustShow("Book a callback: phone number", "Empty uses the packet's number: none")
	op.enter()
	op.mustShow("Not done:")
	op.ctrl('b')
	op.typeText("090-1234-5678")
	op.enter()
	op.mustShow("Callback booked.", "090-1234-5678")
	if !slices.ContainsFunc(conv.Advance().Events, func(ev chat.Event) bool { return ev.Kind == chat.KindCallback }) {
		t.Fatal("the customer did not get the booking")
	}
}

// When the customer leaves, the console says so.
func TestCustomerLeft(t *testing.T) {
	r := newRig(t)
	op := r.console(r.signIn("smith", live.RoleOperator), "ja", 100, 30)
	conv := r.customer("en")
	op.tick()
	op.enter()
	conv.Advance()
	conv.Close(0, 0)
	op.tick()
	op.mustShow("お客さまが退出しました。")
}

// debugFrames logs a few frames, for a person looking at the layout.
const debugFrames = false

// A trainer whose console closes (the connection dropped) while a
// role-play is being opened leaves no conversation open: the one just
// started is kept as abandoned.
func TestRolePlayOpenedAfterTheCloseIsAbandoned(t *testing.T) {
	r := newRig(t)
	trainer := r.signIn("li", live.RoleTrainer)
	m := New(Config{Seat: trainer, Lang: "en", OpenRolePlay: r.openRolePlay})
	m.Close()
	conv, err := r.openRolePlay(training.Builtins()[0], "en")
	if err != nil {
		t.Fatal(err)
	}
	conv.StartChat()
	if m.closer.hold(conv) {
		t.Fatal("a closed console took charge of a new role-play")
	}
	stored, err := r.store.Load(conv.ID())
	if err != nil {
		t.Fatal(err)
	}
	if stored.Status != transcripts.StatusAbandoned {
		t.Errorf("the role-play opened after the close is stored as %s, want abandoned", stored.Status)
	}
}
