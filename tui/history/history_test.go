package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

var historySizes = [][2]int{{80, 24}, {120, 40}}

// Golden views of every must-show state at 80×24 and 120×40, in Japanese
// and English. Regenerate with: go test ./tui -run TestHistoryGolden -update
func TestHistoryGolden(t *testing.T) {
	queries := map[string]string{"ja": "イヤホン", "en": "refund"}
	cases := []struct {
		name  string
		empty bool
		drive func(hh *harness, lang string)
		want  map[string][]string // lang → texts the frame must hold
	}{
		{"empty", true, func(*harness, string) {},
			map[string][]string{"en": {"No conversations yet."}, "ja": {"まだ会話はありません。"}}},
		{"list", false, func(*harness, string) {},
			map[string][]string{"en": {"4 conversations", "bot only", "田中", "no one yet"}, "ja": {"4件", "ボットのみ", "田中", "未対応"}}},
		{"search", false, func(hh *harness, lang string) { hh.search(queries[lang]) },
			map[string][]string{"en": {"2 of 2 matches"}, "ja": {"1件表示／全1件"}}},
		{"conversation", false, func(hh *harness, lang string) {
			hh.press(tea.KeyEnter, 0)
			// Scroll until the callback booking is on screen.
			for i := 0; i < 10 && !strings.Contains(hh.view(), "15:00"); i++ {
				hh.typeText("f")
			}
		}, map[string][]string{"en": {"Conversation c-ja-transfer", "15:00"}, "ja": {"会話 c-ja-transfer", "15:00"}}},
		{"delete", false, func(hh *harness, _ string) { hh.ctrl('d') },
			map[string][]string{"en": {"Delete this conversation?", "y delete"}, "ja": {"この会話を削除しますか？", "y 削除"}}},
	}
	for _, tc := range cases {
		for _, lang := range []string{"en", "ja"} {
			for _, size := range historySizes {
				name := fmt.Sprintf("history_%s_%s_%dx%d", tc.name, lang, size[0], size[1])
				t.Run(name, func(t *testing.T) {
					o := harnessOpts{lang: lang, width: size[0], height: size[1]}
					if tc.empty {
						o.open = Opener(filepath.Join(t.TempDir(), "none.db"), time.Second, nil)
					} else {
						o.store, _ = historyFixtureStore(t, historyFixtures())
					}
					hh := newHarness(t, o)
					tc.drive(hh, lang)
					hh.flush()
					frame := hh.h.Frame()
					tuitest.CheckFits(t, frame, size[0], size[1])
					hh.mustShow(tc.want[lang]...)
					tuitest.RequireGolden(t, name, hh.view())
				})
			}
		}
	}
}

// The conversation screen shows every event inline, rebuilt from metadata
// in the UI language, and the side panels hold the packet and the bot's
// decisions.
func TestHistoryConversationEventsAndPanels(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 140, height: 60})
	hh.press(tea.KeyEnter, 0)
	hh.mustShow("Conversation c-ja-transfer", "2026-11-26 10:00", "佐藤 由美", "order 250-1234567-1234567",
		"handed to a person (reason: asked for a person)", "waiting in the queue, position 2", "田中 joined",
		"田中 left (end of shift)", "transferred to 鈴木",
		"callback booked for 2026-11-26T15:00:00+09:00 — 090-1234-5678",
		"rated the bot 2 of 5", "rated the operator 5 of 5", "conversation closed",
		"What the operator receives", "human_requested", "The wireless earbuds have not")
	hh.press(tea.KeyTab, 0)
	hh.mustShow("The bot's decisions", "#1 10:00:06", "answer", "track_order", "0.91", "pattern:track_order/届かない",
		"#2 10:00:41", "escalate", "human_requested", "trigger:human")
	hh.press(tea.KeyTab, 0)
	hh.mustNotShow("The bot's decisions", "What the operator receives")
	hh.press(tea.KeyEscape, 0)
	hh.mustShow("Search:")
	if hh.h.screen != screenList {
		t.Fatal("esc did not go back to the list")
	}
}

// Search uses the store's index in both languages, highlights hits in the
// list, runs once per typing pause, and n/N jump between hits in the open
// conversation.
func TestHistorySearchHighlightsAndJumps(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	counting := &historyCountingStore{Store: s}
	hh := newHarness(t, harnessOpts{lang: "en", store: counting, width: 120, height: 40})

	hh.typeText("refund")
	if counting.searches != 0 {
		t.Fatalf("searched %d times before typing paused", counting.searches)
	}
	hh.mustShow("searching…")
	hh.flush()
	if counting.searches != 1 {
		t.Fatalf("searched %d times for one pause, want 1", counting.searches)
	}
	hh.mustShow("2 of 2 matches", "returns/refund", "billing/double")
	hh.mustNotShow("account/login", "delivery/not_arrived")
	// The hit is drawn in reverse video (NO_COLOR keeps reverse).
	if !strings.Contains(hh.h.Frame(), "\x1b[7mrefund") {
		t.Fatalf("the hit is not highlighted:\n%q", hh.h.Frame())
	}

	// Japanese: bigram index, full-width and half-width folding.
	for _, q := range []string{"パスワード", "ログイン", "届きません", "ＲＥＦＵＮＤ"} {
		hh.send(tea.KeyPressMsg{Code: tea.KeyEscape})
		hh.search(q)
		if len(hh.h.list.results) == 0 {
			t.Fatalf("search %q found nothing:\n%s", q, hh.view())
		}
	}

	// Esc clears the search and goes back to browsing everything.
	hh.press(tea.KeyEscape, 0)
	hh.mustShow("4 conversations")

	// n/N in the open conversation.
	hh.search("田中")
	hh.mustShow("1 of 1 matches")
	hh.press(tea.KeyEnter, 0)
	hh.mustShow("hit 1 of 4 (n/N)")
	// The words are highlighted in the transcript too.
	if !strings.Contains(hh.h.Frame(), "\x1b[7m田中") {
		t.Fatalf("the hit is not highlighted in the conversation:\n%q", hh.h.Frame())
	}
	hh.typeText("n")
	hh.mustShow("hit 2 of 4")
	hh.typeText("N")
	hh.typeText("N")
	hh.mustShow("hit 4 of 4")
	hh.typeText("n")
	hh.mustShow("hit 1 of 4")
}

type historyCountingStore struct {
	Store
	searches, lists, loads int
}

func (c *historyCountingStore) Search(q string, f transcripts.Filter, limit int) (transcripts.SearchResult, error) {
	c.searches++
	return c.Store.Search(q, f, limit)
}

func (c *historyCountingStore) List(f transcripts.Filter, cursor string, limit int) (transcripts.Page, error) {
	c.lists++
	return c.Store.List(f, cursor, limit)
}

func (c *historyCountingStore) Load(id string) (transcripts.Conversation, error) {
	c.loads++
	return c.Store.Load(id)
}

// Filters: status, topic, date range, escalated and rated ≤ 2, through
// the form.
func TestHistoryFilters(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	cases := []struct {
		name string
		keys func(hh *harness)
		want []string
		not  []string
	}{
		{"status abandoned", func(hh *harness) {
			for range 4 {
				hh.press(tea.KeyRight, 0)
			}
		}, []string{"account/login"}, []string{"returns/refund", "delivery/not_arrived"}},
		{"topic prefix", func(hh *harness) {
			hh.press(tea.KeyDown, 0)
			hh.typeText("returns")
		}, []string{"returns/refund"}, []string{"account/login", "delivery/not_arrived"}},
		{"date range", func(hh *harness) {
			hh.press(tea.KeyDown, 0)
			hh.press(tea.KeyDown, 0)
			hh.typeText("2026-11-24")
			hh.press(tea.KeyDown, 0)
			hh.typeText("2026-11-25")
		}, []string{"account/login", "returns/refund"}, []string{"delivery/not_arrived", "billing/double"}},
		{"escalated", func(hh *harness) {
			for range 4 {
				hh.press(tea.KeyDown, 0)
			}
			hh.send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		}, []string{"delivery/not_arrived", "billing/double"}, []string{"account/login", "returns/refund"}},
		{"rated 2 or less", func(hh *harness) {
			for range 5 {
				hh.press(tea.KeyDown, 0)
			}
			hh.send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		}, []string{"returns/refund"}, []string{"account/login", "delivery/not_arrived", "billing/double"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30})
			hh.ctrl('f')
			hh.mustShow("Filters")
			tc.keys(hh)
			hh.press(tea.KeyEnter, 0)
			hh.mustShow(append([]string{"Filters: "}, tc.want...)...)
			hh.mustNotShow(tc.not...)
			// Reset brings everything back.
			hh.ctrl('f')
			hh.ctrl('r')
			hh.mustShow("4 conversations")
		})
	}
	t.Run("bad date", func(t *testing.T) {
		hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30})
		hh.ctrl('f')
		hh.press(tea.KeyDown, 0)
		hh.press(tea.KeyDown, 0)
		hh.typeText("26/11")
		hh.press(tea.KeyEnter, 0)
		hh.mustShow("From (YYYY-MM-DD) is not a day like 2026-11-26.")
		if hh.h.dialog != dialogFilter {
			t.Fatal("a bad date closed the form")
		}
	})
}

// Export writes the selection or the open conversation and names the path;
// copy puts sanitised plain text on the clipboard only on its key.
func TestHistoryExportAndCopy(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	dir := t.TempDir()
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30, exportDir: dir})

	hh.ctrl('e')
	hh.mustShow("Export 1 conversation(s) as:")
	hh.typeText("m")
	want := filepath.Join(dir, "tsunagu-c-ja-transfer.md")
	hh.mustShow("Exported to " + want)
	md, err := os.ReadFile(want)
	if err != nil || !strings.Contains(string(md), "注文したワイヤレスイヤホンがまだ届きません。") {
		t.Fatalf("markdown export: %v\n%s", err, md)
	}
	if info, _ := os.Stat(want); info.Mode().Perm() != 0o600 {
		t.Fatalf("export mode %v, want 0600", info.Mode().Perm())
	}

	// Mark two rows, export them as JSON Lines.
	hh.ctrl('t')
	hh.ctrl('t')
	hh.mustShow("2 marked")
	hh.ctrl('e')
	hh.typeText("l")
	many := filepath.Join(dir, "tsunagu-export-20261126-180000-2.jsonl")
	hh.mustShow("Exported to " + many)
	b, err := os.ReadFile(many)
	if err != nil || strings.Count(string(b), "\n") != 2 || !strings.Contains(string(b), `"id":"c-en-refund"`) {
		t.Fatalf("jsonl export: %v\n%s", err, b)
	}
	hh.mustNotShow("marked")

	// Open conversation: export as JSON, then copy.
	hh.press(tea.KeyHome, 0)
	hh.press(tea.KeyEnter, 0)
	hh.typeText("e")
	hh.typeText("j")
	hh.mustShow("Exported to " + filepath.Join(dir, "tsunagu-c-ja-transfer.json"))
	if len(hh.clipboard) != 0 {
		t.Fatal("something was copied without the copy key")
	}
	hh.typeText("y")
	if len(hh.clipboard) != 1 {
		t.Fatalf("copy sent %d clipboard writes, want 1", len(hh.clipboard))
	}
	clip := hh.clipboard[0]
	for _, want := range []string{"Conversation c-ja-transfer", "注文したワイヤレスイヤホンがまだ届きません。", "transferred to 鈴木", "鈴木:"} {
		if !strings.Contains(clip, want) {
			t.Fatalf("clipboard lacks %q:\n%s", want, clip)
		}
	}
	hh.mustShow("Copied")
}

// Delete asks first, uses the store's compacting delete, and the row is
// gone; "n" keeps it.
func TestHistoryDelete(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30})
	hh.ctrl('d')
	hh.mustShow("Delete this conversation?", "c-ja-transfer")
	hh.typeText("n")
	hh.mustNotShow("Delete this conversation?")
	if _, err := s.Load("c-ja-transfer"); err != nil {
		t.Fatal("n deleted the conversation")
	}
	// From the open conversation.
	hh.press(tea.KeyEnter, 0)
	hh.typeText("d")
	hh.mustShow("Delete this conversation?")
	hh.typeText("y")
	hh.mustShow("Deleted c-ja-transfer.", "3 conversations")
	hh.mustNotShow("delivery/not_arrived")
	if _, err := s.Load("c-ja-transfer"); !errors.Is(err, transcripts.ErrNotFound) {
		t.Fatalf("after delete, Load: %v", err)
	}
}

// Resume is offered only when the chat app wired it, and hands it the id.
func TestHistoryResumeAndLeave(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	var resumed string
	type resumeMsg struct{}
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30, embedded: true,
		resume: func(id string) tea.Cmd { resumed = id; return func() tea.Msg { return resumeMsg{} } }})
	// The newest row is closed: it cannot be resumed, and the key says why.
	hh.press(tea.KeyEnter, 0)
	hh.mustNotShow("resume in chat")
	hh.typeText("r")
	hh.mustShow("This conversation is closed, so it cannot be resumed.")
	if resumed != "" {
		t.Fatalf("a closed conversation was resumed: %q", resumed)
	}
	// The third row was abandoned: it can.
	hh.press(tea.KeyEscape, 0)
	hh.press(tea.KeyDown, 0)
	hh.press(tea.KeyDown, 0)
	hh.press(tea.KeyEnter, 0)
	hh.mustShow("Conversation c-ja-login", "resume in chat")
	hh.typeText("r")
	if resumed != "c-ja-login" {
		t.Fatalf("resume got %q", resumed)
	}
	hh.press(tea.KeyEscape, 0)
	hh.press(tea.KeyEscape, 0)
	if !hh.closed || hh.quit {
		t.Fatalf("embedded esc: closed %v quit %v", hh.closed, hh.quit)
	}

	plain := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30})
	plain.press(tea.KeyEnter, 0)
	plain.mustNotShow("resume in chat")
	plain.typeText("r")
	plain.press(tea.KeyEscape, 0)
	plain.press(tea.KeyEscape, 0)
	if !plain.quit {
		t.Fatal("esc on the list did not quit the standalone browser")
	}
}

// The chat app can open the history searched for the conversation that
// just ended.
func TestHistoryOpensOnAQuery(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	hh := newHarness(t, harnessOpts{lang: "en", store: s, width: 120, height: 30, query: "c-ja-login"})
	hh.mustShow("Search: c-ja-login", "1 of 1 matches", "account/login")
	hh.press(tea.KeyEnter, 0)
	hh.mustShow("Conversation c-ja-login")
}

// readOnlyHistory is a store the browser may read but the chat may not
// write, like a store from a newer tsunagu.
type readOnlyHistory struct{ *transcripts.Store }

func (readOnlyHistory) ReadOnlyReason() error { return transcripts.ErrNewerSchema }

// The history's resume key: offered only for a conversation that can be
// continued, and otherwise it says why.
func TestHistoryResumeKeyOnlyWhereItCanWork(t *testing.T) {
	s, _ := historyFixtureStore(t, historyFixtures())
	tests := []struct {
		name    string
		store   Store
		downs   int // rows below the newest
		offered bool
		say     string
		want    string // the id resumed, "" for none
	}{
		{name: "closed", store: s, downs: 0, say: "This conversation is closed, so it cannot be resumed."},
		{name: "abandoned", store: s, downs: 2, offered: true, want: "c-ja-login"},
		{name: "escalated", store: s, downs: 3, offered: true, want: "c-en-callback"},
		{name: "read-only store", store: readOnlyHistory{s}, downs: 2, say: "The store is read-only, so conversations cannot be resumed from here."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resumed := ""
			hh := newHarness(t, harnessOpts{lang: "en", store: tc.store, width: 140, height: 30, embedded: true,
				resume: func(id string) tea.Cmd { resumed = id; return nil }})
			for range tc.downs {
				hh.press(tea.KeyDown, 0)
			}
			hh.press(tea.KeyEnter, 0)
			if tc.offered {
				hh.mustShow("resume in chat")
			} else {
				hh.mustNotShow("resume in chat")
			}
			hh.typeText("r")
			if tc.say != "" {
				hh.mustShow(tc.say)
			}
			if resumed != tc.want {
				t.Fatalf("resumed %q, want %q", resumed, tc.want)
			}
		})
	}
}
