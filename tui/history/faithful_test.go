package history

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/handoff"
	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

// inUTC runs the rest of the test with the process's zone set to UTC, as on
// a machine with TZ=UTC, and puts the zone back after.
func inUTC(t *testing.T) {
	t.Helper()
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })
}

// One time zone rule: whatever TZ says, the
// browser shows a conversation's times in the zone it was recorded in, and
// the date filters mean days in that zone.
func TestHistoryTimesInTheRecordedZone(t *testing.T) {
	inUTC(t)
	jst := time.FixedZone("JST", 9*3600)
	start := time.Date(2026, 2, 1, 3, 0, 0, 0, jst)
	cb := time.Date(2026, 2, 1, 15, 30, 0, 0, jst)
	early := transcripts.Conversation{ID: "c-early", StartedAt: start, Lang: "en",
		Customer: transcripts.Customer{Name: "Early Bird"}, Topic: "delivery/late", Channel: "chat", Status: transcripts.StatusOpen,
		Entries: []transcripts.Entry{
			{At: start.Add(5 * time.Second), Role: transcripts.RoleCustomer, Text: "Where is my parcel?"},
			{At: start.Add(6 * time.Second), Role: transcripts.RoleBot, Text: "Let me look.",
				Meta: histMeta(transcripts.Meta{Intent: "track_order", Action: "answer", Confidence: 0.9})},
			{At: start.Add(time.Minute), Role: transcripts.RoleSystem, Event: transcripts.EventCallbackBooked,
				Meta: histMeta(transcripts.Meta{CallbackAt: &cb})},
		}}
	// The day before in Tokyo, the same UTC day as c-early.
	before := early
	before.ID, before.StartedAt, before.Topic = "c-before", time.Date(2026, 1, 31, 10, 0, 0, 0, jst), "returns/refund"
	before.Entries = []transcripts.Entry{{At: before.StartedAt.Add(time.Second), Role: transcripts.RoleCustomer, Text: "refund please"}}
	s, _ := historyFixtureStore(t, []transcripts.Conversation{early, before})

	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 140, height: 40})
	hh.mustShow("2026-02-01 03:00", "2026-01-31 10:00")
	hh.mustNotShow("18:00", "01:00")

	// The open conversation: header, messages, events and side panel.
	hh.press(tea.KeyEnter, 0)
	hh.mustShow("2026-02-01 03:00", "03:00 Early Bird", "03:00 Assistant", "callback booked for 2026-02-01T15:30:00+09:00")
	hh.press(tea.KeyTab, 0)
	hh.mustShow("#1 03:00:06")
	hh.mustNotShow("18:00")
	hh.press(tea.KeyEscape, 0)

	// The delete prompt.
	hh.ctrl('d')
	hh.mustShow("c-early · 2026-02-01 03:00")
	hh.typeText("n")

	// from = to = 2026-02-01 finds it, and only it; the day before in Tokyo
	// (the same day in UTC) is not.
	filterDates(hh, "2026-02-01", "2026-02-01")
	hh.mustShow("Filters: From (YYYY-MM-DD)=2026-02-01, To (YYYY-MM-DD)=2026-02-01", "delivery/late", "1 conversations")
	hh.mustNotShow("returns/refund")
	// to = 2026-01-31 does not list a row shown as 1 February.
	hh.ctrl('f')
	hh.ctrl('r')
	filterDates(hh, "", "2026-01-31")
	hh.mustShow("returns/refund", "1 conversations")
	hh.mustNotShow("delivery/late")
	// The form shows the dates it holds.
	hh.ctrl('f')
	if got := hh.h.form.to; got != "2026-01-31" {
		t.Fatalf("the form reopened with to = %q", got)
	}
}

// filterDates opens the filter form, types the dates and applies them.
func filterDates(hh *harness, from, to string) {
	hh.t.Helper()
	hh.ctrl('f')
	hh.press(tea.KeyDown, 0)
	hh.press(tea.KeyDown, 0)
	hh.typeText(from)
	hh.press(tea.KeyDown, 0)
	hh.typeText(to)
	hh.press(tea.KeyEnter, 0)
	hh.flush()
}

// The chat shows a resumed conversation with Messages: times in the zone it
// was recorded in, whatever TZ says.
func TestHistoryMessagesInTheRecordedZone(t *testing.T) {
	inUTC(t)
	jst := time.FixedZone("", 9*3600)
	c := transcripts.Conversation{ID: "c", StartedAt: time.Date(2026, 2, 1, 3, 0, 0, 0, jst), Lang: "en",
		Entries: []transcripts.Entry{{At: time.Date(2026, 1, 31, 18, 5, 0, 0, time.UTC), Role: transcripts.RoleCustomer, Text: "hi"}}}
	ms := Messages(c, "en")
	if len(ms) != 1 || ms[0].At.Format("2006-01-02 15:04 -07:00") != "2026-02-01 03:05 +09:00" {
		t.Fatalf("messages: %+v", ms)
	}
}

// The browser describes events with the store's labels (the words of
// history show and the Markdown export), in the browser's language:
// ratings say bot or operator, a leave says why, the offer to close, the
// native-speaker choice and a resume are shown.
func TestHistoryEventLabelsInTheChosenLanguage(t *testing.T) {
	jst := time.FixedZone("", 9*3600)
	at := func(m int) time.Time { return time.Date(2026, 3, 2, 10, m, 0, 0, jst) }
	ev := func(m int, e transcripts.Event, author string, meta transcripts.Meta) transcripts.Entry {
		return transcripts.Entry{At: at(m), Role: transcripts.RoleSystem, Event: e, Author: author, Meta: histMeta(meta)}
	}
	c := transcripts.Conversation{ID: "c-labels", StartedAt: at(0), Lang: "ja", Customer: transcripts.Customer{Name: "佐藤"},
		Topic: "delivery/late", Channel: "chat", Status: transcripts.StatusClosed,
		Entries: []transcripts.Entry{
			{At: at(0), Role: transcripts.RoleCustomer, Text: "荷物が届きません"},
			ev(1, transcripts.EventOperatorChoice, "", transcripts.Meta{Reason: transcripts.ChoiceNativeSpeaker}),
			ev(2, transcripts.EventOperatorJoined, "", transcripts.Meta{Operator: "田中"}),
			ev(3, transcripts.EventOperatorLeft, "", transcripts.Meta{Operator: "田中", Reason: "line_fault"}),
			ev(4, transcripts.EventResumed, "", transcripts.Meta{}),
			ev(5, transcripts.EventCloseOffered, "", transcripts.Meta{Operator: "鈴木"}),
			ev(6, transcripts.EventRating, transcripts.RatedBot, transcripts.Meta{Rating: 2}),
			ev(6, transcripts.EventRating, transcripts.RatedOperator, transcripts.Meta{Rating: 5}),
			ev(7, transcripts.EventClosed, "", transcripts.Meta{}),
		}}
	s, _ := historyFixtureStore(t, []transcripts.Conversation{c})
	want := map[string][]string{
		"en": {"the customer chose to wait for a native speaker", "田中 joined", "田中 left (line fault)", "conversation resumed",
			"鈴木 offered to close the chat", "rated the bot 2 of 5", "rated the operator 5 of 5", "conversation closed"},
		"ja": {"お客様はネイティブ話者を待つことを選びました", "田中が参加しました", "田中が退出しました（回線障害）", "会話を再開しました",
			"鈴木がチャットの終了を提案しました", "ボットの評価: 5段階中2", "担当者の評価: 5段階中5", "会話を終了しました"},
	}
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			hh := newHarness(t, harnessOpts{lang: lang, store: s, width: 140, height: 40})
			hh.press(tea.KeyEnter, 0)
			hh.mustShow(want[lang]...)
			hh.mustNotShow("event ", "イベント ", "operator_choice", "close_offered")
		})
	}
}

// Esc on a search, even one emptied with backspace, goes back to the plain
// list without quitting; only Esc on the plain list leaves (quits
// standalone, returns to the chat embedded).
func TestHistoryEscLeavesAnEmptySearchFirst(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	for _, embedded := range []bool{false, true} {
		hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30, embedded: embedded})
		hh.search("refund")
		hh.mustShow("2 of 2 matches")
		for range len("refund") {
			hh.press(tea.KeyBackspace, 0)
		}
		hh.flush()
		hh.mustShow("4 conversations")
		hh.press(tea.KeyEscape, 0)
		if hh.quit || hh.closed {
			t.Fatalf("embedded %v: esc on an emptied search left the browser", embedded)
		}
		hh.mustShow("4 conversations")
		// A search typed and not yet run is left the same way.
		hh.typeText("ref")
		hh.press(tea.KeyEscape, 0)
		hh.flush()
		if hh.quit || hh.closed || hh.h.list.query != "" {
			t.Fatalf("embedded %v: esc on a typed search: quit %v closed %v query %q", embedded, hh.quit, hh.closed, hh.h.list.query)
		}
		hh.mustShow("4 conversations")
		hh.press(tea.KeyEscape, 0)
		if embedded && (!hh.closed || hh.quit) || !embedded && !hh.quit {
			t.Fatalf("embedded %v: esc on the plain list: quit %v closed %v", embedded, hh.quit, hh.closed)
		}
	}
}

// Search pages through every match: scrolling down fetches the next page
// of hits, with the store's cursor (SearchAfter) or, from a store without
// one, by asking for more, until the last match is on screen.
func TestHistorySearchPagesThroughAllMatches(t *testing.T) {
	s, _ := historyFixtureStore(t, historyMany(250))
	for _, st := range []Store{s, &historyCountingStore{Store: s}} {
		hh := newHarness(t, harnessOpts{lang: "en", store: st, width: 100, height: 24, searchLimit: 40})
		hh.search("parcel")
		hh.mustShow(" of 250 matches", "parcel number 249 is late")
		if n := len(hh.h.list.results); n >= 250 || n%40 != 0 {
			t.Fatalf("%T: %d hits fetched before scrolling", st, n)
		}
		for i := 0; i < 40 && !strings.Contains(hh.view(), "parcel number 0 is late"); i++ {
			hh.press(tea.KeyPgDown, 0)
			hh.flush()
		}
		hh.mustShow("250 of 250 matches", "parcel number 0 is late")
		seen := map[string]bool{}
		for _, r := range hh.h.list.results {
			if seen[r.ID] {
				t.Fatalf("%T: %s listed twice", st, r.ID)
			}
			seen[r.ID] = true
		}
		if len(seen) != 250 {
			t.Fatalf("%T: %d distinct hits, want 250", st, len(seen))
		}
		// A new search starts again from its first page.
		hh.press(tea.KeyEscape, 0)
		hh.search("parcel number 7")
		hh.mustShow("parcel number 7 is late")
	}
}

// Japanese wraps between characters as in the chat (UAX #14): a name
// before a long sentence stays on the line with it, in the open
// conversation and in the delete prompt.
func TestHistoryJapaneseWrapsLikeTheChat(t *testing.T) {
	jst := time.FixedZone("", 9*3600)
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, jst)
	long := "佐藤 由美です。注文したワイヤレスイヤホンがまだ届きませんので、配送状況を確認していただけますでしょうか。よろしくお願いいたします。"
	c := transcripts.Conversation{ID: "c-wrap", StartedAt: start, Lang: "ja", Customer: transcripts.Customer{Name: "佐藤 由美"},
		Topic: "delivery/late", Channel: "chat", Status: transcripts.StatusOpen,
		Entries: []transcripts.Entry{{At: start, Role: transcripts.RoleCustomer, Text: long}}}
	s, _ := historyFixtureStore(t, []transcripts.Conversation{c})
	alone := func(hh *harness) {
		t.Helper()
		for _, l := range strings.Split(hh.view(), "\n") {
			if strings.Trim(l, " │") == "佐藤" {
				t.Fatalf("佐藤 alone on a line:\n%s", hh.view())
			}
		}
	}
	for _, w := range []int{60, 80, 100} {
		hh := newHarness(t, harnessOpts{lang: "ja", store: s, width: w, height: 30})
		hh.ctrl('d')
		hh.mustShow("この会話を削除しますか？", "佐藤 由美です。")
		alone(hh)
		hh.typeText("n")
		hh.press(tea.KeyEnter, 0)
		hh.mustShow("佐藤 由美です。")
		alone(hh)
	}
}

// An export never overwrites a file: the same export again goes to
// name-2.ext, then name-3.ext, says so, and leaves the first file as it
// was.
func TestHistoryExportNeverOverwrites(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	dir := t.TempDir()
	first := filepath.Join(dir, "tsunagu-c-ja-transfer.md")
	if err := os.WriteFile(first, []byte("my notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 200, height: 30, exportDir: dir})
	for _, n := range []string{"2", "3"} {
		hh.ctrl('e')
		hh.typeText("m")
		want := filepath.Join(dir, "tsunagu-c-ja-transfer-"+n+".md")
		hh.mustShow("Exported to "+want, "(tsunagu-c-ja-transfer.md already exists and was left as it was)")
		b, err := os.ReadFile(want)
		if err != nil || !strings.Contains(string(b), "注文したワイヤレスイヤホンがまだ届きません。") {
			t.Fatalf("export %s: %v\n%s", want, err, b)
		}
		if info, _ := os.Stat(want); info.Mode().Perm() != 0o600 {
			t.Fatalf("export mode %v, want 0600", info.Mode().Perm())
		}
	}
	if b, _ := os.ReadFile(first); string(b) != "my notes\n" {
		t.Fatalf("the existing file was changed: %q", b)
	}
	// A failed export leaves no empty file behind.
	hh.h.cfg.ExportDir = filepath.Join(dir, "gone")
	if err := os.Mkdir(hh.h.cfg.ExportDir, 0o700); err != nil {
		t.Fatal(err)
	}
	hh.h.store = failingExport{Store: s}
	hh.ctrl('e')
	hh.typeText("j")
	hh.mustShow("Export failed:")
	if left, _ := os.ReadDir(hh.h.cfg.ExportDir); len(left) != 0 {
		t.Fatalf("a failed export left %v", left)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 { // the notes, -2, -3 and the folder
		t.Fatalf("files in the export folder: %v", entries)
	}
}

type failingExport struct{ Store }

func (failingExport) ExportFile(string, transcripts.Format, ...string) error {
	return errors.New("disk on fire")
}

// The side panel scrolls: at 100×30 the handoff packet is taller than the
// panel, K/J (shift+↑/↓) bring its end into view, the title shows which way
// there is more, and the help names the keys.
func TestHistorySidePanelScrolls(t *testing.T) {
	// A longer conversation: its packet lists fourteen decisions of the bot.
	convs := historyFixtures()
	for i, e := range convs[0].Entries {
		if e.Meta == nil || len(e.Meta.Packet) == 0 {
			continue
		}
		var p handoff.Packet
		if err := json.Unmarshal(e.Meta.Packet, &p); err != nil {
			t.Fatal(err)
		}
		for turn := 3; turn <= 14; turn++ {
			p.Decisions = append(p.Decisions, handoff.Decision{Turn: turn, Intent: "track_order", Confidence: 0.8, Action: "clarify"})
		}
		raw, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		m := *e.Meta
		m.Packet = raw
		convs[0].Entries[i].Meta = &m
	}
	s, _ := historyFixtureStore(t, convs)
	for _, lang := range []string{"en", "ja"} {
		end := map[string]string{"en": "Transcript lines: 1", "ja": "会話の行数: 1"}[lang]
		hh := newHarness(t, harnessOpts{lang: lang, store: s, width: 100, height: 30})
		hh.press(tea.KeyEnter, 0)
		hh.mustNotShow(end)
		hh.mustShow("K/J", "↓")
		for i := 0; i < 30 && !strings.Contains(hh.view(), end); i++ {
			hh.send(tea.KeyPressMsg{Code: 'J', Text: "J"})
		}
		hh.mustShow(end, "↑")
		tuitest.CheckFits(t, hh.h.Frame(), 100, 30)
		// More presses stay at the end; shift+↑ goes back to the top.
		for range 5 {
			hh.send(tea.KeyPressMsg{Code: 'J', Text: "J"})
		}
		hh.mustShow(end)
		for range 40 {
			hh.press(tea.KeyUp, tea.ModShift)
		}
		hh.mustNotShow(end)
		if hh.h.conv.panelTop != 0 {
			t.Fatalf("%s: panel top %d after scrolling up", lang, hh.h.conv.panelTop)
		}
		// The transcript did not move with the panel.
		hh.mustShow("注文したワイヤレスイヤホンがまだ届きません。")
		tuitest.RequireGolden(t, "history_panel_scrolled_"+lang+"_100x30", hh.view())
	}
}
