package train

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/handoff/training"
	"tsunagu/tui/common"
)

var (
	engineOnce sync.Once
	engine     *bot.Engine
)

func realEngine() *bot.Engine {
	engineOnce.Do(func() { engine = bot.NewEngine(bot.DefaultRules()) })
	return engine
}

var start = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("JST", 9*3600))

func scenario(t *testing.T, id string) *training.Scenario {
	t.Helper()
	for _, s := range training.Builtins() {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no scenario %s", id)
	return nil
}

// recordedBot replays the bot decisions recorded in testdata, so the
// golden views pin the screen's layout, not the bot's current wording (the
// rules are tuned often; the scoring tests in handoff/training use the live
// bot). Run the tests with -update to record the live bot's decisions again.
type recordedBot struct {
	decisions []bot.Decision
	next      int
}

func (b *recordedBot) Respond(string) bot.Decision {
	d := b.decisions[min(b.next, len(b.decisions)-1)]
	b.next++
	return d
}

var update = flag.Lookup("update")

// stageBot returns the recorded bot for id/lang, recording it from the live
// bot first when -update is given.
func stageBot(t *testing.T, sc *training.Scenario, lang string) training.Bot {
	t.Helper()
	path := filepath.Join("testdata", "bot-"+sc.ID+"-"+lang+".json")
	if update != nil && update.Value.String() == "true" {
		live := realEngine().NewConversation("g", sc.BotFacts(lang))
		var ds []bot.Decision
		for _, text := range sc.Opening.In(lang) {
			d := live.Respond(text)
			ds = append(ds, d)
			if d.Action == bot.ActionEscalate {
				break
			}
		}
		data, _ := json.MarshalIndent(ds, "", "  ")
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no recorded bot decisions (run with -update): %v", err)
	}
	var ds []bot.Decision
	if err := json.Unmarshal(data, &ds); err != nil || len(ds) == 0 {
		t.Fatalf("recorded bot decisions %s: %v", path, err)
	}
	return &recordedBot{decisions: ds}
}

// newPage starts a session (recorded bot stage, real packet, paused clock,
// fixed seed) and shows it at 100×30 with the bot stage fully revealed.
func newPage(t *testing.T, id, lang string) sessionPage {
	t.Helper()
	sc := scenario(t, id)
	rules := realEngine().Rules()
	s, err := training.NewSession(training.Config{Scenario: sc, Lang: lang, Seed: 5, Trainee: "golden", Start: start, Paused: true,
		Bot: stageBot(t, sc, lang), Knowledge: handoff.NewRulesKnowledge(rules), Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	// Dark theme, colour on: the goldens compare the text with ANSI stripped.
	p := newSessionPage(common.NewStyles(true, false), common.NewTrainKeys(common.Text(lang)), lang, s)
	p.SetSize(100, 30)
	for p.Revealing() {
		p.Reveal()
	}
	return p
}

func typeText(p sessionPage, s string) sessionPage {
	for _, r := range s {
		k := tea.KeyPressMsg{Code: r, Text: string(r)}
		if r == ' ' {
			k = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		}
		p, _ = p.Update(k)
	}
	return p
}

func send(t *testing.T, p sessionPage, s string) (sessionPage, tea.Cmd) {
	t.Helper()
	p = typeText(p, s)
	return p.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
}

func ctrl(p sessionPage, r rune) (sessionPage, tea.Cmd) {
	return p.Update(tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl})
}

func checkFrame(t *testing.T, frame string, w, h int) {
	t.Helper()
	rows := strings.Split(frame, "\n")
	if len(rows) != h {
		t.Errorf("frame has %d rows, want %d", len(rows), h)
	}
	for i, r := range rows {
		if got := ansi.StringWidth(r); got > w {
			t.Errorf("row %d is %d cells wide, more than %d: %q", i, got, w, ansi.Strip(r))
		}
	}
}

var lines = map[string][]string{
	"en": {
		"Hi Yumi, I'm Alex. I've read your conversation with our assistant about the earbuds. I'm sorry for the wait.",
		"I've checked the carrier tracking: the parcel has not moved since the depot scan.",
	},
	"ja": {
		"佐藤様、担当の山本です。アシスタントとのやり取りを拝見しました。イヤホンが届いていない件ですね。お待たせして申し訳ございません。",
		"配送業者の追跡情報を確認したところ、3日前から更新が止まっております。",
	},
}

func TestSessionScreenGolden(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			p := newPage(t, "parcel-not-arrived", lang)
			for _, l := range lines[lang] {
				p, _ = send(t, p, l)
			}
			frame := p.View()
			checkFrame(t, frame, 100, 30)
			golden.RequireEqual(t, []byte(ansi.Strip(frame)))
		})
	}
}

func TestScorecardGolden(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		t.Run(lang, func(t *testing.T) {
			p := newPage(t, "parcel-not-arrived", lang)
			for _, l := range lines[lang] {
				p, _ = send(t, p, l)
			}
			var cmd tea.Cmd
			p, cmd = ctrl(p, 'x')
			if cmd == nil {
				t.Fatal("closing the chat did not end the session")
			}
			if _, ok := cmd().(endedMsg); !ok {
				t.Fatal("closing the chat did not send endedMsg")
			}
			c := newScorePage(common.NewStyles(true, false), common.NewTrainKeys(common.Text(lang)), p.Scorecard())
			c.SetSaved(map[string]string{"en": "Saved as session 1", "ja": "セッション 1 として保存しました"}[lang])
			c.SetSize(100, 30)
			frame := c.View()
			checkFrame(t, frame, 100, 30)
			golden.RequireEqual(t, []byte(ansi.Strip(frame)))
		})
	}
}

func TestTransferPickerAndNoticeKeys(t *testing.T) {
	p := newPage(t, "hijacked-account", "en")
	p, _ = ctrl(p, 't')
	if !strings.Contains(ansi.Strip(p.View()), "1 Security team") {
		t.Fatalf("transfer picker not shown:\n%s", ansi.Strip(p.View()))
	}
	p, cmd := p.Update(tea.KeyPressMsg{Code: '1', Text: "1"})
	if cmd == nil {
		t.Fatal("transfer did not end the session")
	}
	card := p.Scorecard()
	if r, _ := card.Item(training.ItemSensitiveCase); r.Failed {
		t.Errorf("transfer to security failed the sensitive item: %s", r.Why)
	}
	// Text typed while the picker is closed goes to the input, never to actions.
	q := newPage(t, "parcel-not-arrived", "en")
	q = typeText(q, "1234 ok")
	if got := len(q.s.Lines()); got != 0 {
		t.Errorf("typing triggered %d actions", got)
	}
}

func TestBotStageIsRevealedBeforeThePacket(t *testing.T) {
	sc := scenario(t, "parcel-not-arrived")
	s, _ := training.NewSession(training.Config{Scenario: sc, Lang: "en", Seed: 1, Start: start, Paused: true,
		Bot: realEngine().NewConversation("g", sc.BotFacts("en"))})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	p := newSessionPage(common.NewStyles(true, true), common.NewTrainKeys(common.Text("en")), "en", s)
	p.SetSize(100, 30)
	if !strings.Contains(p.View(), "Waiting for the bot") {
		t.Error("packet shown before the bot stage played")
	}
	p, _ = send(t, p, "hello")
	if len(s.Lines()) != 0 || !strings.Contains(p.View(), "still talking") {
		t.Error("a reply was sent before the handover")
	}
	for p.Revealing() {
		p.Reveal()
	}
	if !strings.Contains(p.View(), "Handoff packet") || !strings.Contains(p.View(), "250-1234567-1234567") {
		t.Errorf("packet not shown after the bot stage:\n%s", p.View())
	}
}

func TestDrillPage(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		d := training.NewDrill(training.DrillItems(), lang, 1, func(id string) training.Bot {
			return realEngine().NewConversation(id, bot.Facts{Lang: lang, SignedIn: true})
		})
		p := newDrillPage(common.NewStyles(true, true), lang, d)
		p.SetSize(100, 30)
		press := func(s string) {
			code := rune(s[0])
			if s == "enter" {
				code = tea.KeyEnter
			}
			p, _ = p.Update(tea.KeyPressMsg{Code: code, Text: map[bool]string{true: "", false: s}[s == "enter"]})
		}
		for range d.Len() {
			q, _ := d.Current()
			if !strings.Contains(p.View(), q.Text) {
				t.Fatalf("question not shown:\n%s", p.View())
			}
			press("e")
			if !strings.Contains(p.View(), training.ReasonLabel(bot.ReasonComplaint, lang)) {
				t.Fatalf("reason picker not shown:\n%s", p.View())
			}
			press("3") // complaint
			frame := p.View()
			checkFrame(t, frame, 100, 30)
			if !strings.Contains(frame, "✓") && !strings.Contains(frame, "✗") {
				t.Fatalf("no verdict:\n%s", frame)
			}
			press("enter")
		}
		points, maxPoints := d.Score()
		if points == 0 || points == maxPoints {
			t.Errorf("always 'complaint' should score some but not all: %d/%d", points, maxPoints)
		}
		if !strings.Contains(p.View(), fmt.Sprintf("%d", points)) {
			t.Errorf("final score not shown:\n%s", p.View())
		}
	}
}

// TestDrillPageMultiTurn: a multi-turn item shows the chat so far (the
// customer's earlier messages and the bot's replies, one row each) and then
// the message to decide on, in both languages.
func TestDrillPageMultiTurn(t *testing.T) {
	var items []training.DrillItem
	for _, it := range training.DrillItems() {
		if len(it.Before.EN) > 0 {
			items = append(items, it)
		}
	}
	if len(items) < 2 {
		t.Fatalf("%d multi-turn drill items, want at least 2", len(items))
	}
	for _, size := range []struct{ w, h int }{{100, 30}, {60, 20}} {
		for _, lang := range []string{"en", "ja"} {
			t.Run(fmt.Sprintf("%s %dx%d", lang, size.w, size.h), func(t *testing.T) {
				d := training.NewDrill(items, lang, 1, func(id string) training.Bot {
					return realEngine().NewConversation(id, bot.Facts{Lang: lang, SignedIn: true})
				})
				p := newDrillPage(common.NewStyles(true, true), lang, d)
				p.SetSize(size.w, size.h)
				text := common.TrainText(lang)
				for range d.Len() {
					q, _ := d.Current()
					frame := p.View()
					checkFrame(t, frame, size.w, size.h)
					first := []rune(q.Before[0].Customer)
					for _, want := range []string{text.DrillSoFar, text.DrillThen, text.DrillBot, string(first[:min(8, len(first))]), string([]rune(q.Text)[:6])} {
						if !strings.Contains(frame, want) {
							t.Fatalf("%s: %q not shown:\n%s", q.ID, want, frame)
						}
					}
					p, _ = p.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
					p, _ = p.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
				}
			})
		}
	}
}
