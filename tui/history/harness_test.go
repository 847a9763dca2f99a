package history

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/transcripts"
	"tsunagu/tui/internal/tuitest"
)

// harness drives the history browser through Update, running every
// command synchronously and feeding its message back, like harness does for
// the chat. Timers (the search debounce) are held until flush.
type harness struct {
	t         testing.TB
	h         *Model
	timers    []tuitest.Timer
	quit      bool
	clipboard []string
	closed    bool
}

type harnessOpts struct {
	lang          string
	width, height int
	open          func() (Store, error)
	store         Store
	exportDir     string
	resume        func(id string) tea.Cmd
	pageSize      int
	searchLimit   int
	embedded      bool
	noColor       *bool
	query         string
}

var historyNow = time.Date(2026, 11, 26, 18, 0, 0, 0, tuitest.JST)

type historyFixedClock struct{ t time.Time }

func (c historyFixedClock) Now() time.Time { return c.t }

func newHarness(t testing.TB, o harnessOpts) *harness {
	t.Helper()
	if o.width == 0 {
		o.width, o.height = 80, 24
	}
	hh := &harness{t: t}
	open := o.open
	if open == nil {
		st := o.store
		open = func() (Store, error) { return st, nil }
	}
	noColor := true
	if o.noColor != nil {
		noColor = *o.noColor
	}
	cfg := Config{
		Lang: o.lang, Clock: historyFixedClock{historyNow}, NoColor: noColor, Open: open,
		ExportDir: o.exportDir, Resume: o.resume, PageSize: o.pageSize, SearchLimit: o.searchLimit, Query: o.query,
		Tick: tuitest.Tick,
	}
	if o.embedded {
		cfg.Close = func() tea.Cmd { hh.closed = true; return nil }
	}
	hh.h = New(cfg)
	hh.run(hh.h.Init())
	hh.send(tea.WindowSizeMsg{Width: o.width, Height: o.height})
	hh.flush()
	return hh
}

func (hh *harness) send(msg tea.Msg) {
	hh.t.Helper()
	_, cmd := hh.h.Update(msg)
	hh.run(cmd)
}

func (hh *harness) run(cmd tea.Cmd) {
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
		if reflect.TypeOf(msg).String() == "tea.setClipboardMsg" {
			hh.clipboard = append(hh.clipboard, reflect.ValueOf(msg).String())
			continue
		}
		_, next := hh.h.Update(msg)
		queue = append(queue, next)
	}
}

// flush fires every held timer (the typing pause has passed).
func (hh *harness) flush() {
	for len(hh.timers) > 0 {
		due := hh.timers
		hh.timers = nil
		for _, tm := range due {
			hh.send(tm.Fn(historyNow))
		}
	}
}

func (hh *harness) view() string { return ansi.Strip(hh.h.Frame()) }

func (hh *harness) press(code rune, mod tea.KeyMod) {
	hh.send(tea.KeyPressMsg{Code: code, Mod: mod})
}

func (hh *harness) ctrl(r rune) { hh.press(r, tea.ModCtrl) }

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

// search types a query and lets the debounce fire.
func (hh *harness) search(q string) {
	hh.typeText(q)
	hh.flush()
}

func (hh *harness) mustShow(parts ...string) {
	hh.t.Helper()
	tuitest.MustShow(hh.t, hh.view(), parts...)
}

func (hh *harness) mustNotShow(parts ...string) {
	hh.t.Helper()
	tuitest.MustNotShow(hh.t, hh.view(), parts...)
}

// --- fixtures ---------------------------------------------------------------

func histAt(day, hour, minute, sec int) time.Time {
	return time.Date(2026, 11, day, hour, minute, sec, 0, tuitest.JST)
}

func histMeta(m transcripts.Meta) *transcripts.Meta { return &m }

// historyFixtures are four conversations in both languages: a
// Japanese chat escalated, transferred and called back; an English refund
// the bot handled alone; an abandoned Japanese login question; and an
// English double charge waiting for a callback.
func historyFixtures() []transcripts.Conversation {
	packet := handoff.Packet{Conversation: "c-ja-transfer", Reason: bot.ReasonHumanRequested, Lang: "ja",
		Summary: map[string]string{"ja": "ご注文のワイヤレスイヤホンが届いていない件", "en": "The wireless earbuds have not arrived"},
		Facts: handoff.Facts{Customer: handoff.Customer{Name: "佐藤 由美"},
			Order: &handoff.Order{ID: "250-1234567-1234567", Items: []string{"ワイヤレスイヤホン"}, Status: "in_transit"},
			Topic: handoff.Topic{Category: "delivery", Subtopic: "not_arrived", Intent: "track_order"}},
		Decisions: []handoff.Decision{{Turn: 1, Intent: "track_order", Confidence: 0.91, Action: bot.ActionAnswer},
			{Turn: 2, Intent: "human_request", Confidence: 0.97, Action: bot.ActionEscalate, Reason: bot.ReasonHumanRequested}},
		Transcript: []handoff.Line{{At: histAt(26, 10, 0, 5), Speaker: handoff.SpeakerCustomer, Text: "注文したワイヤレスイヤホンがまだ届きません。"}},
		CreatedAt:  histAt(26, 10, 1, 0)}
	raw, err := json.Marshal(packet)
	if err != nil {
		panic(err)
	}
	cb := histAt(26, 15, 0, 0)
	cb2 := histAt(24, 10, 0, 0)
	return []transcripts.Conversation{
		{ID: "c-ja-transfer", StartedAt: histAt(26, 10, 0, 0), Lang: "ja", Customer: transcripts.Customer{Name: "佐藤 由美", HasAccount: true},
			OrderID: "250-1234567-1234567", Topic: "delivery/not_arrived", Channel: "chat", Status: transcripts.StatusClosed,
			Entries: []transcripts.Entry{
				{At: histAt(26, 10, 0, 5), Role: transcripts.RoleCustomer, Author: "あなた", Text: "注文したワイヤレスイヤホンがまだ届きません。"},
				{At: histAt(26, 10, 0, 6), Role: transcripts.RoleBot, Text: "ご不便をおかけして申し訳ございません。ご注文250-1234567-1234567は配送業者に引き渡し済みです。",
					Meta: histMeta(transcripts.Meta{Intent: "track_order", Action: "answer", Confidence: 0.91, Rules: []string{"pattern:track_order/届かない"}})},
				{At: histAt(26, 10, 0, 40), Role: transcripts.RoleCustomer, Author: "あなた", Text: "担当者と話したいです。"},
				{At: histAt(26, 10, 0, 41), Role: transcripts.RoleBot, Text: "担当者におつなぎします。同じ説明を繰り返す必要はありません。",
					Meta: histMeta(transcripts.Meta{Intent: "human_request", Action: "escalate", Confidence: 0.97, Reason: "human_requested", Rules: []string{"trigger:human"}})},
				{At: histAt(26, 10, 1, 0), Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: histMeta(transcripts.Meta{Reason: "human_requested", Packet: raw})},
				{At: histAt(26, 10, 1, 1), Role: transcripts.RoleSystem, Event: transcripts.EventQueue, Meta: histMeta(transcripts.Meta{QueuePosition: 2})},
				{At: histAt(26, 10, 3, 0), Role: transcripts.RoleSystem, Event: transcripts.EventOperatorJoined, Meta: histMeta(transcripts.Meta{Operator: "田中", OperatorID: "op-tanaka"})},
				{At: histAt(26, 10, 3, 20), Role: transcripts.RoleOperator, Author: "田中", Text: "田中と申します。ご注文の商品が届いていない件ですね。配送業者に確認します。",
					Meta: histMeta(transcripts.Meta{Operator: "田中", OperatorID: "op-tanaka"})},
				{At: histAt(26, 10, 9, 0), Role: transcripts.RoleSystem, Event: transcripts.EventOperatorLeft, Meta: histMeta(transcripts.Meta{Operator: "田中", OperatorID: "op-tanaka", Reason: "shift_end"})},
				{At: histAt(26, 10, 9, 5), Role: transcripts.RoleSystem, Event: transcripts.EventTransfer, Meta: histMeta(transcripts.Meta{Operator: "鈴木", OperatorID: "op-suzuki", Packet: raw})},
				{At: histAt(26, 10, 9, 30), Role: transcripts.RoleOperator, Author: "鈴木", Text: "前の担当の田中から引き継ぎました。内容は確認済みですので、続きから対応いたします。",
					Meta: histMeta(transcripts.Meta{Operator: "鈴木", OperatorID: "op-suzuki"})},
				{At: histAt(26, 10, 12, 0), Role: transcripts.RoleSystem, Event: transcripts.EventCallbackBooked, Text: "090-1234-5678 への折り返し電話を 15:00 に予約しました",
					Meta: histMeta(transcripts.Meta{CallbackAt: &cb})},
				{At: histAt(26, 10, 13, 0), Role: transcripts.RoleSystem, Event: transcripts.EventRating, Author: "bot", Meta: histMeta(transcripts.Meta{Rating: 2})},
				{At: histAt(26, 10, 13, 0), Role: transcripts.RoleSystem, Event: transcripts.EventRating, Author: "operator", Meta: histMeta(transcripts.Meta{Rating: 5})},
				{At: histAt(26, 10, 13, 1), Role: transcripts.RoleSystem, Event: transcripts.EventClosed},
			}},
		{ID: "c-en-refund", StartedAt: histAt(25, 18, 30, 0), Lang: "en", Customer: transcripts.Customer{Name: "Alex Kim", HasAccount: true},
			OrderID: "250-7654321-7654321", Topic: "returns/refund", Channel: "chat", Status: transcripts.StatusClosed,
			Entries: []transcripts.Entry{
				{At: histAt(25, 18, 30, 5), Role: transcripts.RoleCustomer, Author: "You", Text: "The earbuds arrived broken. Can I get a refund?"},
				{At: histAt(25, 18, 30, 6), Role: transcripts.RoleBot, Text: "Sorry about that. I've started a refund for order 250-7654321-7654321; it shows in 3-5 business days.",
					Meta: histMeta(transcripts.Meta{Intent: "refund", Action: "answer", Confidence: 0.88})},
				{At: histAt(25, 18, 31, 0), Role: transcripts.RoleSystem, Event: transcripts.EventRating, Author: "bot", Meta: histMeta(transcripts.Meta{Rating: 2})},
				{At: histAt(25, 18, 31, 1), Role: transcripts.RoleSystem, Event: transcripts.EventClosed},
			}},
		{ID: "c-ja-login", StartedAt: histAt(24, 9, 15, 0), Lang: "ja", Customer: transcripts.Customer{Name: "山田 太郎"},
			Topic: "account/login", Channel: "chat", Status: transcripts.StatusAbandoned,
			Entries: []transcripts.Entry{
				{At: histAt(24, 9, 15, 5), Role: transcripts.RoleCustomer, Author: "あなた", Text: "ログインできません。パスワードを忘れました。"},
				{At: histAt(24, 9, 15, 6), Role: transcripts.RoleBot, Text: "パスワードの再設定と、二段階認証のどちらについてですか？",
					Meta: histMeta(transcripts.Meta{Intent: "password_reset", Action: "clarify", Confidence: 0.52})},
			}},
		{ID: "c-en-callback", StartedAt: histAt(23, 14, 0, 0), Lang: "en", Customer: transcripts.Customer{Name: "Sam Lee", HasAccount: true},
			OrderID: "250-5550001-5550001", Topic: "billing/double_charge", Channel: "callback", Status: transcripts.StatusEscalated,
			Entries: []transcripts.Entry{
				{At: histAt(23, 14, 0, 5), Role: transcripts.RoleCustomer, Author: "You", Text: "⚠️ I was charged twice for the ｱｲｳ headphones 🇯🇵 — refund please"},
				{At: histAt(23, 14, 0, 6), Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: histMeta(transcripts.Meta{Reason: "complaint"})},
				{At: histAt(23, 14, 0, 7), Role: transcripts.RoleSystem, Event: transcripts.EventCallbackBooked, Meta: histMeta(transcripts.Meta{CallbackAt: &cb2})},
			}},
	}
}

// historyOpenFixtures are the stores historyFixtureStore opened, by path.
var historyOpenFixtures = map[string]*transcripts.Store{}

// historyFixtureStore is a real store holding convs, in a temporary folder.
func historyFixtureStore(t testing.TB, convs []transcripts.Conversation) (*transcripts.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := transcripts.Open(path, transcripts.Options{Timeout: time.Second, Now: func() time.Time { return historyNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	historyOpenFixtures[path] = s
	var b strings.Builder
	for _, c := range convs {
		line, err := transcripts.EncodeJSON(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	rep, err := s.Import(strings.NewReader(b.String()))
	if err != nil || rep.Imported != len(convs) {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	return s, path
}

// historyMany makes n small conversations a minute apart, newest
// last; every seventh is escalated to an operator.
func historyMany(n int) []transcripts.Conversation {
	out := make([]transcripts.Conversation, n)
	for i := range out {
		c := transcripts.Conversation{ID: fmt.Sprintf("c%05d", i), StartedAt: histAt(1, 9, 0, 0).Add(time.Duration(i) * time.Minute),
			Lang: "en", Customer: transcripts.Customer{Name: "Customer"}, Topic: "delivery/not_arrived", Channel: "chat", Status: transcripts.StatusClosed,
			Entries: []transcripts.Entry{{At: histAt(1, 9, 0, 1).Add(time.Duration(i) * time.Minute), Role: transcripts.RoleCustomer, Text: fmt.Sprintf("parcel number %d is late", i)}}}
		if i%7 == 0 {
			c.Entries = append(c.Entries,
				transcripts.Entry{At: c.StartedAt.Add(time.Minute), Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: histMeta(transcripts.Meta{Reason: "complaint"})},
				transcripts.Entry{At: c.StartedAt.Add(2 * time.Minute), Role: transcripts.RoleOperator, Author: "Tanaka", Text: "I'm on it."})
		}
		out[i] = c
	}
	return out
}
