package history

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"tsunagu/transcripts"
	"tsunagu/tui/common"
	"tsunagu/tui/internal/tuitest"
)

// hostileConversation carries every terminal-safety attack (reliability cases A) in the fields the
// history shows: names, ids of operators, topic, order, text and events.
func hostileConversation() transcripts.Conversation {
	osc52 := "\x1b]52;c;RVZJTA==\x07"
	return transcripts.Conversation{ID: "c-hostile", StartedAt: histAt(26, 12, 0, 0), Lang: "en",
		Customer: transcripts.Customer{Name: "Mallory" + osc52 + "\u202eevil\u200b"},
		OrderID:  "250-\x1b[2J0000000-0000000", Topic: "delivery/\x1b]0;TITLE\x07not_arrived", Channel: "chat\x1b[H",
		Status: transcripts.StatusClosed,
		Entries: []transcripts.Entry{
			{At: histAt(26, 12, 0, 1), Role: transcripts.RoleCustomer, Author: "Mallory\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
				Text: "hostile refund safe\rEVIL bell\x07 c1\u009b31m del\x7f nul\x00 bidi\u202eRLO zw\u200bj\n[Operator] Tanaka: send me your card\x1b[2A\x1b[2K\x1bc\x1b[6n\x1bP1$r\x1b\\"},
			{At: histAt(26, 12, 0, 2), Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: histMeta(transcripts.Meta{Reason: "complaint\x1b[31m"})},
			{At: histAt(26, 12, 0, 3), Role: transcripts.RoleSystem, Event: transcripts.EventOperatorJoined, Meta: histMeta(transcripts.Meta{Operator: "Eve" + osc52})},
			{At: histAt(26, 12, 0, 4), Role: transcripts.RoleOperator, Author: "Eve" + osc52, Text: "hello" + osc52 + "\x1b]0;x\x1b\\"},
		}}
}

// checkHistoryClean fails when a frame holds anything but SGR styling: any other
// escape, a C0 control but newline, a C1 control, bidi or zero-width
// characters.
func checkHistoryClean(t testing.TB, frame string) {
	t.Helper()
	if !utf8.ValidString(frame) {
		t.Fatalf("frame is not valid UTF-8: %q", frame)
	}
	rest := frame
	for {
		i := strings.IndexByte(rest, 0x1b)
		if i < 0 {
			break
		}
		// Only CSI ... m (styles) may remain.
		j := strings.IndexByte(rest[i:], 'm')
		if !strings.HasPrefix(rest[i:], "\x1b[") || j < 0 || strings.ContainsAny(rest[i+2:i+j], "\x1b[]") {
			t.Fatalf("frame holds a non-style escape at %q", rest[i:min(len(rest), i+20)])
		}
		rest = rest[:i] + rest[i+j+1:]
	}
	for _, r := range rest {
		switch {
		case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r <= 0x9f:
			t.Fatalf("frame holds control %U: %q", r, frame)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200b, r == 0xfeff:
			t.Fatalf("frame holds bidi or zero-width %U", r)
		}
	}
}

// Reliability cases A: stored history, names and events are sanitised on every
// screen, and a speaker line typed into a message stays inside it.
func TestHistorySanitisesStoredText(t *testing.T) {
	s, _ := historyFixtureStore(t, append(historyFixtures(), hostileConversation()))
	colour := false
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		hh := newHarness(t, harnessOpts{lang: "en", store: s, width: size[0], height: size[1], noColor: &colour})
		checkHistoryClean(t, hh.h.Frame())
		hh.mustShow("hostile refund", "Eve")
		hh.search("hostile")
		checkHistoryClean(t, hh.h.Frame())
		hh.press(tea.KeyEnter, 0)
		hh.mustShow("Conversation c-hostile", "Mallory", "EVIL", "hello")
		frame := hh.h.Frame()
		checkHistoryClean(t, frame)
		tuitest.CheckFits(t, frame, size[0], size[1])
		// A7: "safe\rEVIL" cannot overwrite "safe" (the lone CR became a
		// line break); A9: that line and the fake speaker line are indented
		// under the customer's message.
		hh.mustShow("hostile refund safe")
		for _, l := range strings.Split(hh.view(), "\n") {
			if (strings.Contains(l, "[Operator] Tanaka") || strings.Contains(l, "EVIL")) && !strings.HasPrefix(l, "  ") {
				t.Fatalf("a line of the customer's message is not indented under it: %q", l)
			}
		}
		hh.press(tea.KeyTab, 0)
		checkHistoryClean(t, hh.h.Frame())
		hh.press(tea.KeyTab, 0)
		checkHistoryClean(t, hh.h.Frame())
		// Copy puts sanitised plain text on the clipboard.
		hh.typeText("y")
		clip := hh.clipboard[len(hh.clipboard)-1]
		checkHistoryClean(t, clip)
		if strings.Contains(clip, "\x1b") || !strings.Contains(clip, "hostile refund safe") {
			t.Fatalf("clipboard text: %q", clip)
		}
		// The delete dialog shows the hostile topic too.
		hh.typeText("d")
		checkHistoryClean(t, hh.h.Frame())
	}
}

// Reliability cases A on the program's real output bytes: the browser runs in a
// Bubble Tea program writing to a buffer; the hostile conversation is
// listed and opened, and the bytes hold no OSC but the program's own window
// title (set, then cleared on exit) and colour query, no DCS, no C1 and no cursor query.
func TestHistoryProgramOutputIsClean(t *testing.T) {
	s, _ := historyFixtureStore(t, []transcripts.Conversation{hostileConversation()})
	h := New(Config{Lang: "en", Clock: historyFixedClock{historyNow}, NoColor: true,
		Open: func() (Store, error) { return s, nil }})
	tm := teatest.NewTestModel(t, h, teatest.WithInitialTermSize(120, 40))
	out := tuitest.NewProgramOutput(tm)
	out.WaitFor(t, "hostile refund")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	out.WaitFor(t, "Conversation c-hostile")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	raw := string(out.Final(t))
	for _, allowed := range []string{"\x1b]2;tsunagu · history\x07", "\x1b]2;\x07", "\x1b]11;?\x07"} {
		raw = strings.ReplaceAll(raw, allowed, "")
	}
	for _, bad := range []string{"\x1b]", "\x1bP", "\x1b[6n", "\u009b", "\x1bc", "RVZJTA==\x07", "TITLE\x07"} {
		if i := strings.Index(raw, bad); i >= 0 {
			t.Fatalf("program output holds %q: %q", bad, raw[max(i-40, 0):min(i+40, len(raw))])
		}
	}
}

// reliability case B11: invalid UTF-8 that reaches the browser (a store that
// did not clean it) is shown as U+FFFD, never a panic.
func TestHistoryInvalidUTF8(t *testing.T) {
	bad := "\xff\xfe broken \xc3"
	fake := &memoryHistory{convs: []transcripts.Conversation{{ID: "c-bad", StartedAt: histAt(26, 9, 0, 0), Lang: "en",
		Customer: transcripts.Customer{Name: bad}, OrderID: bad, Topic: bad, Channel: bad, Status: transcripts.StatusEscalated,
		Entries: []transcripts.Entry{
			{At: histAt(26, 9, 0, 1), Role: transcripts.RoleCustomer, Author: bad, Text: bad + " broken text"},
			{At: histAt(26, 9, 0, 2), Role: transcripts.RoleOperator, Author: bad, Text: bad},
			{At: histAt(26, 9, 0, 3), Role: transcripts.RoleSystem, Event: transcripts.Event(bad), Text: bad},
		}}}}
	for _, size := range historySizes {
		hh := newHarness(t, harnessOpts{lang: "ja", store: fake, width: size[0], height: size[1]})
		checkHistoryClean(t, hh.h.Frame())
		hh.mustShow("\uFFFD")
		hh.search("broken")
		checkHistoryClean(t, hh.h.Frame())
		hh.press(tea.KeyEnter, 0)
		checkHistoryClean(t, hh.h.Frame())
		hh.mustShow("\uFFFD", "broken text")
		tuitest.CheckFits(t, hh.h.Frame(), size[0], size[1])
	}
}

// memoryHistory is a Store over a slice, newest first, that keeps
// whatever bytes it was given.
type memoryHistory struct{ convs []transcripts.Conversation }

func (m *memoryHistory) summary(c transcripts.Conversation) transcripts.Summary {
	s := transcripts.Summary{ID: c.ID, StartedAt: c.StartedAt, Lang: c.Lang, Customer: c.Customer, OrderID: c.OrderID,
		Topic: c.Topic, Channel: c.Channel, Status: c.Status, Entries: len(c.Entries), Escalated: c.Status == transcripts.StatusEscalated}
	for _, e := range c.Entries {
		if e.Role == transcripts.RoleCustomer {
			s.Preview = e.Text
			break
		}
	}
	return s
}

func (m *memoryHistory) List(_ transcripts.Filter, cursor string, limit int) (transcripts.Page, error) {
	var p transcripts.Page
	if cursor != "" {
		return p, nil
	}
	for _, c := range m.convs {
		p.Items = append(p.Items, m.summary(c))
	}
	return p, nil
}

func (m *memoryHistory) Search(q string, _ transcripts.Filter, _ int) (transcripts.SearchResult, error) {
	var r transcripts.SearchResult
	for _, c := range m.convs {
		for _, e := range c.Entries {
			if strings.Contains(e.Text, q) {
				r.Items = append(r.Items, m.summary(c))
				break
			}
		}
	}
	r.Total = len(r.Items)
	return r, nil
}

func (m *memoryHistory) Load(id string) (transcripts.Conversation, error) {
	for _, c := range m.convs {
		if c.ID == id {
			return c, nil
		}
	}
	return transcripts.Conversation{}, transcripts.ErrNotFound
}

func (m *memoryHistory) Delete(string) error                                    { return errors.New("not supported") }
func (m *memoryHistory) ExportFile(string, transcripts.Format, ...string) error { return nil }
func (m *memoryHistory) Count() (int, error)                                    { return len(m.convs), nil }
func (m *memoryHistory) ReadOnlyReason() error                                  { return nil }

// reliability case B18: every screen at 0×0, 1×1, 10×3, 20×5, 80×24 and
// 300×100, and through a burst of resizes: no panic, "too small" when
// needed, no line wider or frame taller than the terminal.
func TestHistoryTinyAndHugeSizes(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	sizes := [][2]int{{0, 0}, {1, 1}, {10, 3}, {20, 5}, {24, 8}, {80, 24}, {300, 100}}
	states := map[string]func(hh *harness){
		"list":         func(*harness) {},
		"search":       func(hh *harness) { hh.search("refund") },
		"filter":       func(hh *harness) { hh.ctrl('f') },
		"export":       func(hh *harness) { hh.ctrl('e') },
		"delete":       func(hh *harness) { hh.ctrl('d') },
		"conversation": func(hh *harness) { hh.press(tea.KeyEnter, 0) },
		"panel":        func(hh *harness) { hh.press(tea.KeyEnter, 0); hh.press(tea.KeyTab, 0) },
		"help":         func(hh *harness) { hh.press(tea.KeyF1, 0) },
	}
	for name, drive := range states {
		t.Run(name, func(t *testing.T) {
			hh := newHarness(t, harnessOpts{lang: "ja", store: s, width: 80, height: 24})
			drive(hh)
			for _, sz := range sizes {
				hh.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				frame := hh.h.Frame()
				tuitest.CheckFits(t, frame, sz[0], sz[1])
				if sz[0] > 0 && sz[0] < common.MinWidth && frame != "" && !strings.HasPrefix("端末が小さすぎます", ansi.Strip(frame)) {
					t.Fatalf("%dx%d: %q", sz[0], sz[1], frame)
				}
			}
			for i := range 50 { // a burst of resizes
				w, h := (i*37)%301, (i*13)%101
				hh.send(tea.WindowSizeMsg{Width: w, Height: h})
				tuitest.CheckFits(t, hh.h.Frame(), w, h)
			}
		})
	}
}

// reliability case C21: a store held by a running chat gives a clear "in use"
// message after the lock timeout, never a hang; r retries once it is free.
func TestHistoryStoreInUse(t *testing.T) {
	_, path := historyFixtureStore(t, historyFixtures()) // held open by the fixture
	hh := newHarness(t, harnessOpts{lang: "en", open: Opener(path, 100*time.Millisecond, nil), width: 100, height: 24})
	hh.mustShow("History cannot open the store:", "is in use by", "another tsunagu (pid "+fmt.Sprint(os.Getpid())+")", "r retry")
	tuitest.CheckFits(t, hh.h.Frame(), 100, 24)
	hh.typeText("x") // other keys do nothing
	hh.mustShow("in use")

	// Free the store (close the fixture's handle), then retry.
	closeHistoryFixture(t, path)
	hh.typeText("r")
	hh.mustShow("4 conversations")
}

// reliability case C24: a read-only store opens with a banner, and delete is
// refused with a clear notice.
func TestHistoryReadOnlyBanner(t *testing.T) {
	_, path := historyFixtureStore(t, historyFixtures())
	closeHistoryFixture(t, path)
	hh := newHarness(t, harnessOpts{lang: "en", width: 120, height: 30, open: func() (Store, error) {
		s, err := transcripts.Open(path, transcripts.Options{ReadOnly: true})
		if err == nil {
			t.Cleanup(func() { s.Close() })
		}
		return s, err
	}})
	hh.mustShow("Read-only: it was opened read-only. Deleting is off.", "4 conversations")
	hh.mustNotShow("ctrl+d delete")
	hh.ctrl('d')
	hh.mustShow("The store is read-only, so nothing can be deleted.")
	hh.mustNotShow("Delete this conversation?")
	hh.press(tea.KeyEnter, 0)
	hh.typeText("d")
	hh.mustNotShow("Delete this conversation?")
}

// reliability case C25: a damaged file is moved aside by the store, the message
// says where, and r then starts an empty history; no stack trace.
func TestHistoryCorruptStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a bolt file "), 512), 0o600); err != nil {
		t.Fatal(err)
	}
	hh := newHarness(t, harnessOpts{lang: "ja", width: 120, height: 30,
		open: Opener(path, time.Second, func() time.Time { return historyNow })})
	hh.mustShow("was damaged", "moved to", ".corrupt-20261126T090000Z", "r 再試行")
	hh.mustNotShow("goroutine", "panic")
	matches, _ := filepath.Glob(path + ".corrupt-*")
	if len(matches) != 1 {
		t.Fatalf("moved-aside files: %v", matches)
	}
	hh.typeText("r")
	hh.mustShow("まだ会話はありません。")
}

// closeHistoryFixture closes the store historyFixtureStore opened at path, so another
// opener may take it.
func closeHistoryFixture(t testing.TB, path string) {
	t.Helper()
	s, ok := historyOpenFixtures[path]
	if !ok {
		t.Fatalf("no fixture store at %s", path)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// reliability case B12-B14, B17 in the search box: a 1 MB paste is capped, a
// multi-line paste becomes one line, right-to-left text is fine; the
// search stays one line that fits.
func TestHistorySearchPaste(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 80, height: 24})
	hh.send(tea.PasteMsg{Content: strings.Repeat("refund ", 150_000)})
	hh.flush()
	if n := utf8.RuneCountInString(hh.h.list.query); n != 200 {
		t.Fatalf("a 1 MB paste left %d characters in the search", n)
	}
	tuitest.CheckFits(t, hh.h.Frame(), 80, 24)
	hh.press(tea.KeyEscape, 0)
	hh.send(tea.PasteMsg{Content: "broken\r\nrefund\rthe\tearbuds"})
	hh.flush()
	if q := hh.h.list.query; strings.ContainsAny(q, "\r\n\t") {
		t.Fatalf("search holds line breaks: %q", q)
	}
	hh.mustShow("1 of 1 matches", "The earbuds")
	hh.press(tea.KeyEscape, 0)
	hh.send(tea.PasteMsg{Content: "مرحبا \u202eevil"})
	hh.flush()
	checkHistoryClean(t, hh.h.Frame())
	tuitest.CheckFits(t, hh.h.Frame(), 80, 24)
}

// Failed exports and deletes are one clear sentence on screen; the
// browser goes on.
func TestHistoryActionFailures(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	missing := filepath.Join(t.TempDir(), "no", "such", "folder")
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30, exportDir: missing})
	hh.ctrl('e')
	hh.typeText("m")
	hh.mustShow("Export failed: cannot write", "tsunagu-c-ja-transfer.md")
	tuitest.CheckFits(t, hh.h.Frame(), 120, 30)
	hh.press(tea.KeyDown, 0)
	hh.mustNotShow("Export failed:")

	closeHistoryFixture(t, hh.h.store.(*transcripts.Store).Path())
	hh.ctrl('d')
	hh.typeText("y")
	hh.mustShow("Delete failed: the conversation store is closed")
	if hh.h.dialog != dialogNone {
		t.Fatal("the delete dialog stayed open after the failure")
	}
}
