package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"tsunagu/bot"
	"tsunagu/bot/profile"
	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/transcripts"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
	"tsunagu/tui/internal/tuitest"
)

// Hostile texts of the reliability cases section A. Each carries the marker EVIL
// inside the part that must never reach the terminal as a control.
var hostile = []struct {
	name, text string
}{
	{"A1 OSC 52 BEL", "copy\x1b]52;c;RVZJTA==\x07done"},
	{"A1 OSC 52 ST", "copy\x1b]52;c;RVZJTA==\x1b\\done"},
	{"A2 OSC 2 title", "t\x1b]2;EVIL title\x07x"},
	{"A2 OSC 0 title", "t\x1b]0;EVIL\x1b\\x"},
	{"A2 OSC 8 link", "\x1b]8;;https://EVIL.example\x07click\x1b]8;;\x07"},
	{"A3 cursor moves", "a\x1b[2A\x1b[2K\x1b[H\x1b[2JEVIL"},
	{"A3 alt screen and mouse", "\x1b[?1049h\x1b[?1000hEVIL\x1b[?1049l"},
	{"A3 reset", "\x1bcEVIL"},
	{"A4 queries", "\x1b[6n\x1b[cEVIL"},
	{"A5 8-bit C1", "a\x9b31mEVIL\x9d0;EVIL\x07"},
	{"A5 UTF-8 C1", "a\u009b31mEVIL\u0085\u009dEVIL"},
	{"A6 unterminated OSC", "\x1b]52;c;EVIL"},
	{"A6 unterminated DCS", "\x1bPqEVIL"},
	{"A7 CR BS BEL NUL DEL VT FF", "safe\rEVIL\b\a\x00\x7f\v\f"},
	{"A8 bidi and zero width", "abc\u202eEVIL\u2066x\u2069\u200b\u200c\u200d\u2060\ufeff\u00ad"},
}

// forbidden reports the first dangerous control in terminal output: any
// OSC but our own window title, DCS/APC/PM/SOS, terminal queries, reset,
// C1 controls, and CR/BS/BEL/NUL/DEL/VT/FF outside escape sequences.
func forbidden(out []byte, title string) string {
	var state byte
	p := ansi.NewParser()
	altScreen := 0
	for len(out) > 0 {
		seq, _, n, newState := ansi.DecodeSequence(out, state, p)
		state = newState
		s := string(seq)
		switch {
		case strings.HasPrefix(s, "\x1b]"):
			// Our own: the window title (set and cleared) and the
			// background-colour query behind the theme.
			own := strings.HasPrefix(s, "\x1b]2;"+title) || s == "\x1b]2;\a" || s == "\x1b]11;?\a"
			if !own {
				return "OSC " + strings.ToValidUTF8(s, "?")
			}
		case strings.HasPrefix(s, "\x1bP"), strings.HasPrefix(s, "\x1b_"), strings.HasPrefix(s, "\x1b^"), strings.HasPrefix(s, "\x1bX"):
			return "string sequence " + s
		case s == "\x1bc", s == "\x1b[6n", s == "\x1b[c", s == "\x1b[>c":
			return "query or reset " + s
		case strings.HasPrefix(s, "\x1b[?1000") || strings.HasPrefix(s, "\x1b[?1002") || strings.HasPrefix(s, "\x1b[?1003") || strings.HasPrefix(s, "\x1b[?1006"):
			return "mouse mode " + s
		case s == "\x1b[?1049h":
			// The renderer enters the alternate screen once.
			if altScreen++; altScreen > 1 {
				return "alternate screen entered twice"
			}
		case len(s) > 0 && s[0] >= 0x80 && s[0] <= 0x9f, !utf8.ValidString(s):
			return "8-bit C1 or invalid UTF-8"
		case strings.Contains(s, "EVIL") && strings.HasPrefix(s, "\x1b"):
			return "payload inside a sequence " + s
		case len(s) == 1 && (s[0] == '\r' || s[0] == '\b' || s[0] == 0 || s[0] == 0x7f || s[0] == '\v' || s[0] == '\f'):
			// The renderer itself writes CR for line starts; only flag
			// bytes the renderer never writes.
			if s[0] != '\r' {
				return "control byte " + string(rune(s[0]))
			}
		}
		if r, _ := utf8.DecodeRuneInString(s); r >= 0x80 && r <= 0x9f && !strings.HasPrefix(s, "\x1b") {
			return "C1 control"
		}
		if strings.ContainsAny(s, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff\u00ad") {
			return "bidi or zero-width character"
		}
		out = out[n:]
	}
	return ""
}

// A1-A8 on the real output bytes of a running program: hostile text as a
// customer paste, as an operator's name and message, as the bot's reply and
// in the profile (customer name, order items) goes through tea.WithOutput
// into a buffer, and the bytes carry none of it as a control.
func TestHostileTextOnRealOutputBytes(t *testing.T) {
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			prof := profile.Demo()
			prof.Customer.NameEN = "Yumi" + tc.text
			prof.Orders[0].ItemsEN = []string{"Earbuds" + tc.text}
			clock := handoff.NewVirtualClock(time.Date(2026, 11, 26, 10, 0, 0, 0, tuitest.JST))
			st, err := transcripts.Open(filepath.Join(t.TempDir(), "t.db"), transcripts.Options{Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			evil := &handoff.OperatorInfo{ID: "x", Name: "Op" + tc.text, Label: "Op" + tc.text + " (English: native)"}
			b := hostileBot{Bot: realBot(t), reply: "reply " + tc.text}
			m := New(Config{Lang: "en", Profile: prof, Clock: clock, Seed: 1,
				OpenStore: func() (chat.Store, error) { return st, nil },
				LoadBot:   func() (chat.Bot, error) { return b, nil },
				NewDesk: func(string) (chat.Desk, error) {
					return &scriptedDesk{events: []handoff.Event{
						{Kind: handoff.EventJoined, Operator: evil},
						{Kind: handoff.EventMessage, Operator: evil, Step: &handoff.Step{Text: "operator says " + tc.text}},
					}}, nil
				}})
			// teatest runs the real program with tea.WithOutput into a
			// buffer; every byte read from it is kept, once, and checked.
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.TrueColor)))
			out := tuitest.NewProgramOutput(tm)
			enter := tea.KeyPressMsg{Code: tea.KeyEnter}
			waitFor := func(what string) {
				t.Helper()
				out.WaitFor(t, what)
			}
			tm.Send(enter)
			tm.Send(enter)
			waitFor("Delivery") // the rules are loaded
			for range 3 {
				tm.Send(enter)
			}
			waitFor("Assistant")
			// The customer's hostile paste is answered by the bot's hostile
			// reply, which hands the chat to a person; Enter takes the first
			// available, whose name and message are hostile too.
			tm.Send(tea.PasteMsg{Content: "customer " + tc.text})
			tm.Send(enter)
			waitFor("Who should answer")
			tm.Send(enter)
			// Not "operator " with its space: where the hostile text is
			// dropped whole (an unterminated OSC or DCS), the renderer
			// clears the rest of the line instead of writing the space.
			waitFor("operator says")
			tm.Send(tea.PasteMsg{Content: "ZZEND"})
			waitFor("ZZEND")
			if err := tm.Quit(); err != nil {
				t.Fatal(err)
			}
			all := out.Final(t)
			if what := forbidden(all, m.text.AppTitle); what != "" {
				t.Fatalf("output carries %s", what)
			}
			if !utf8.Valid(all) {
				t.Fatal("output is not valid UTF-8")
			}
		})
	}
}

// hostileBot answers every message with reply and hands the chat to a
// person.
type hostileBot struct {
	chat.Bot
	reply string
}

func (b hostileBot) Start(id string, f bot.Facts) (chat.Dialogue, bot.Decision) {
	_, opening := b.Bot.Start(id, f)
	return hostileDialogue{reply: b.reply}, opening
}

type hostileDialogue struct{ reply string }

func (d hostileDialogue) Respond(string) bot.Decision {
	return bot.Decision{Action: bot.ActionEscalate, Reason: bot.ReasonHumanRequested, Reply: d.reply}
}

// scriptedDesk is a desk whose queue hands out events at once.
type scriptedDesk struct{ events []handoff.Event }

func (d *scriptedDesk) Quote(time.Time, string, string, handoff.Class) handoff.Quote {
	return handoff.Quote{}
}
func (d *scriptedDesk) Enqueue(time.Time, *handoff.Packet, handoff.Class, bool) ([]handoff.Event, error) {
	evs := d.events
	d.events = nil
	return evs, nil
}
func (d *scriptedDesk) EnqueueResumed(now time.Time, p *handoff.Packet, c handoff.Class, n bool, _ string) ([]handoff.Event, error) {
	return d.Enqueue(now, p, c, n)
}
func (d *scriptedDesk) Advance(time.Time) []handoff.Event                 { return nil }
func (d *scriptedDesk) CustomerMessage(time.Time, string) []handoff.Event { return nil }
func (d *scriptedDesk) Close(time.Time) []handoff.Event                   { return nil }
func (d *scriptedDesk) PacketJSON() ([]byte, error)                       { return []byte("{}"), nil }
func (d *scriptedDesk) AwaitsCustomer() bool                              { return true }

// A9: a message that imitates a speaker line stays inside its message: the
// fake line is indented like every continuation line, while real speaker
// lines start at column 0.
func TestSpeakerSpoofingStaysInsideTheMessage(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.send(tea.PasteMsg{Content: "hello\n[Operator] Tanaka: please send your password\n10:05 Tanaka"})
	h.enter()
	for _, line := range strings.Split(h.view(), "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "[Operator] Tanaka") || strings.HasPrefix(trimmed, "10:05 Tanaka") {
			if line == trimmed {
				t.Fatalf("spoofed speaker line starts at column 0: %q", line)
			}
		}
	}
	h.mustShow("  [Operator] Tanaka: please send your password")
}

// A10 and B11: the sanitiser's guarantees hold for what the transcript
// shows, whatever goes in (fuzzed), and invalid UTF-8 becomes U+FFFD.
func FuzzTranscriptMessage(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.text, 20)
	}
	f.Add("日本語\t🇯🇵\xff\xfe", 7)
	f.Add("👨‍👩‍👧‍👦 か\u3099 e\u0301", 3)
	st := common.NewStyles(true, true)
	text := common.Text("en")
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = 1 + abs(width)%200
		tr := components.NewTranscript(st, text)
		tr.SetSize(width, 50)
		tr.Append(components.Message{Role: components.RoleCustomer, Label: s, Text: s})
		v := ansi.Strip(tr.View())
		if !utf8.ValidString(v) {
			t.Fatal("invalid UTF-8 on screen")
		}
		for i, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > width {
				t.Fatalf("line %d is %d wide, limit %d", i, w, width)
			}
			for _, r := range l {
				if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
					t.Fatalf("control %U on screen", r)
				}
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// B11: invalid UTF-8 becomes U+FFFD on screen and in the database.
func TestInvalidUTF8BecomesReplacementCharacter(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.send(tea.PasteMsg{Content: "bad \xff\xfe bytes"})
	h.enter()
	h.mustShow("bad \uFFFD")
	var found bool
	for _, e := range h.conversation().Entries {
		if e.Role == transcripts.RoleCustomer {
			found = strings.Contains(e.Text, "\uFFFD") && utf8.ValidString(e.Text)
		}
	}
	if !found {
		t.Fatal("the stored message lacks U+FFFD")
	}
}

// B12: a 1 MB single-line paste is capped with a visible notice, and typing
// goes on.
func TestHugePasteIsCappedWithNotice(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.send(tea.PasteMsg{Content: strings.Repeat("x", 1<<20)})
	h.mustShow("The paste was cut to 10000 characters")
	if n := utf8.RuneCountInString(h.m.chat.Input().Value()); n != components.MaxInputChars {
		t.Fatalf("input holds %d characters", n)
	}
	h.enter()
	for _, e := range h.conversation().Entries {
		if e.Role == transcripts.RoleCustomer && len(e.Text) != components.MaxInputChars {
			t.Fatalf("stored %d bytes", len(e.Text))
		}
	}
}

// B13: a paste of more than 10,000 lines is announced, not cut silently.
func TestManyLinePasteGetsNotice(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.send(tea.PasteMsg{Content: strings.Repeat("line\n", 12000)})
	h.mustShow("You pasted 12001 lines")
}

// B14: CRLF and lone CR become single newlines.
func TestPastedLineEndingsBecomeSingleNewlines(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.send(tea.PasteMsg{Content: "a\r\nb\rc\n\nd"})
	if got := h.m.chat.Input().Value(); got != "a\nb\nc\n\nd" {
		t.Fatalf("input = %q", got)
	}
}

// wideSample has every width trap of reliability case B15.
const wideSample = "日本語 ｱｲｳｴｵ 👨‍👩‍👧‍👦 🇯🇵 👍🏽 ⚠️ か\u3099 e\u0301\ttab\t|"

// B15: golden views with wide, combining and emoji text: every line fits
// and the panel's borders line up.
func TestWidthTrapsFit(t *testing.T) {
	for _, w := range []int{80, 120} {
		h := newHarness(t, harnessOpts{width: w, height: 24})
		defer func(w int) {
			t.Run(fmt.Sprintf("golden_%dx24", w), func(t *testing.T) { golden.RequireEqual(t, []byte(h.view())) })
		}(w)
		h.startChat()
		for range 3 {
			h.send(tea.PasteMsg{Content: strings.Repeat(wideSample+" ", 4)})
			h.enter()
		}
		h.ctrl('r')
		v := h.view()
		tuitest.CheckFits(t, v, w, 24)
		if w >= components.SidePanelMin {
			// The panel's right border is in the last column of every
			// panel row.
			for _, l := range strings.Split(v, "\n") {
				if strings.Contains(l, "│") && ansi.StringWidth(l) != w {
					t.Fatalf("panel row is %d wide, want %d: %q", ansi.StringWidth(l), w, l)
				}
			}
		}
	}
}

// B17: right-to-left text in the input causes no panic and the cursor
// sits after the last character typed.
func TestRightToLeftInput(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	h.typeText("שלום עולם مرحبا")
	if got := h.m.chat.Input().Value(); got != "שלום עולם مرحبا" {
		t.Fatalf("input = %q", got)
	}
	if col := h.m.chat.Input().Column(); col != utf8.RuneCountInString("שלום עולם مرحبا") {
		t.Fatalf("cursor column %d", col)
	}
	h.enter()
	h.mustShow("שלום עולם مرحبا")
}

// B18: tiny and huge sizes and a burst of resizes on every screen: no
// panic, "terminal too small" when needed, no line wider than the terminal.
func TestSizesAndResizeBursts(t *testing.T) {
	sizes := [][2]int{{0, 0}, {1, 1}, {10, 3}, {20, 5}, {80, 24}, {300, 100}, {24, 8}, {23, 8}}
	h := newHarness(t, harnessOpts{})
	screens := []func(){
		func() {}, h.enter, h.enter, h.enter, h.enter,
		func() { h.enter(); h.typeText("hello") },
		func() { h.ctrl('r') },
		func() { h.ctrl('x') },
	}
	for _, next := range screens {
		next()
		for _, s := range sizes {
			h.send(tea.WindowSizeMsg{Width: s[0], Height: s[1]})
			v := h.view()
			tuitest.CheckFits(t, v, s[0], s[1])
			if (s[0] < common.MinWidth || s[1] < common.MinHeight) && s[0] > 0 && s[1] > 0 && !strings.HasPrefix("terminal too small", v) {
				t.Fatalf("%dx%d shows %q", s[0], s[1], v)
			}
		}
		for i := range 50 {
			h.send(tea.WindowSizeMsg{Width: 1 + i*7%140, Height: 1 + i*3%50})
		}
		h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	}
}

// Typing j, k, space, f or b in the input never scrolls the transcript.
func TestTypingNeverScrollsTheTranscript(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	for i := range 60 {
		h.m.chat.Transcript().Append(components.Message{Role: components.RoleBot, Label: "Bot", Text: strings.Repeat("line ", i%7+1)})
	}
	h.press(tea.KeyPgUp, 0)
	before := h.m.chat.Transcript().View()
	h.typeText("jjkk  ffbb")
	if after := h.m.chat.Transcript().View(); after != before {
		t.Fatal("typing scrolled the transcript")
	}
	if got := h.m.chat.Input().Value(); got != "jjkk  ffbb" {
		t.Fatalf("input = %q", got)
	}
	h.press(tea.KeyPgDown, 0)
	if !h.m.chat.Transcript().Following() {
		t.Fatal("PgDn did not return to the newest message")
	}
}

// failingStore fails every write until healed, like a full disk.
type failingStore struct {
	chat.Store
	failing bool
	calls   int
}

func (f *failingStore) AppendEntry(id string, e transcripts.Entry) (uint64, error) {
	f.calls++
	if f.failing {
		return 0, &transcripts.DiskFullError{Path: "t.db", Err: transcripts.ErrDiskFull}
	}
	return f.Store.AppendEntry(id, e)
}

// A store failure keeps the message on screen marked "not saved", retries,
// and shows it saved once the store works again.
func TestNotSavedMarkAndRetry(t *testing.T) {
	base := newHarness(t, harnessOpts{})
	fs := &failingStore{Store: base.store}
	h := newHarness(t, harnessOpts{store: fs})
	h.store = base.store
	h.startChat()
	fs.failing = true
	h.typeText("is it lost?")
	h.enter()
	h.mustShow("not saved, retrying", "is it lost?")
	calls := fs.calls
	fs.failing = false
	h.advance(retryAfter)
	if fs.calls == calls {
		t.Fatal("no retry")
	}
	if strings.Contains(h.view(), "not saved") {
		t.Fatalf("still marked not saved:\n%s", h.view())
	}
	var texts []string
	for _, e := range h.conversation().Entries {
		if e.Role == transcripts.RoleCustomer {
			texts = append(texts, e.Text)
		}
	}
	if len(texts) != 1 || texts[0] != "is it lost?" {
		t.Fatalf("stored customer messages = %q", texts)
	}
}

// Without a usable store the chat still works and says it cannot save.
func TestChatWithoutStoreSaysSo(t *testing.T) {
	h := newHarness(t, harnessOpts{noStore: true})
	h.send(storeOpenedMsg{err: &transcripts.ReadOnlyError{Path: "/ro/t.db"}})
	h.startChat()
	h.typeText("hi")
	h.enter()
	h.mustShow("cannot be used", "not saved")
}

// The output check itself catches every hostile text when it is written
// raw, so the program test above can fail. Cursor moves and clears (A3) are
// what the renderer itself writes, so for them the check is on the screen:
// TestHostileTextStaysInItsMessage.
func TestForbiddenCatchesRawHostileText(t *testing.T) {
	for _, tc := range hostile {
		if tc.name == "A3 cursor moves" {
			continue
		}
		if forbidden([]byte("\x1b[?1049hx"+tc.text), "title") == "" {
			t.Errorf("%s: raw text not flagged", tc.name)
		}
	}
	if got := forbidden([]byte("plain \x1b[1mbold\x1b[m text\r\n"), "title"); got != "" {
		t.Errorf("plain styled output flagged: %s", got)
	}
}

// A3, A6, A7: hostile text in a message stays inside that message: what the
// transcript holds has no escape or control left, and the message's text
// sits on its own indented lines.
func TestHostileTextStaysInItsMessage(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.startChat()
	for _, tc := range hostile {
		if h.m.chat.Choosing() {
			h.enter() // the bot escalated: pick first available
		}
		h.send(tea.PasteMsg{Content: "<" + tc.text + ">"})
		h.enter()
		var msg components.Message
		for i := range h.m.chat.Transcript().Len() {
			if m := h.m.chat.Transcript().Message(i); m.Role == components.RoleCustomer {
				msg = m
			}
		}
		for _, r := range msg.Text {
			if r == 0x1b || r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f {
				t.Errorf("%s: %U kept in %q", tc.name, r, msg.Text)
			}
		}
		// An unterminated OSC or DCS may swallow the rest of its own
		// message, never more.
		unterminated := strings.HasPrefix(tc.name, "A6")
		if !strings.HasPrefix(msg.Text, "<") || !unterminated && !strings.HasSuffix(msg.Text, ">") {
			t.Errorf("%s: message text %q lost its bounds", tc.name, msg.Text)
		}
	}
	tuitest.CheckFits(t, h.view(), 100, 30)
}

// A conversation id that already exists is never written into: the new
// chat is marked not saved instead of merging into someone else's record.
func TestExistingIDIsNeverMergedInto(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	const id = "c20261126-100000-dup0"
	h.m.cfg.NewID = func(time.Time) string { return id }
	if _, err := h.store.CreateConversation(transcripts.Conversation{ID: id, StartedAt: h.clock.Now(), Lang: "en",
		Entries: []transcripts.Entry{{At: h.clock.Now(), Role: transcripts.RoleCustomer, Text: "older chat"}}}); err != nil {
		t.Fatal(err)
	}
	h.startChat()
	h.typeText("new chat")
	h.enter()
	h.mustShow("not saved")
	if c := h.conversation(); len(c.Entries) != 1 || c.Entries[0].Text != "older chat" {
		t.Fatalf("the older conversation changed: %+v", c.Entries)
	}
}
