package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tsunagu/bot"
	"tsunagu/handoff/training"
	"tsunagu/transcripts"
)

// runTrainCLI runs one command line with the given standard input.
func runTrainCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func trainFlags(db string) []string {
	return []string{"--db", db, "--lang", "en", "--clock", "2026-11-26T10:00:00+09:00", "--seed", "1"}
}

func TestTrainList(t *testing.T) {
	out, _, code := runTrainCLI(t, "", "--lang", "en", "train", "--list")
	if code != 0 || !strings.Contains(out, "hijacked-account") || !strings.Contains(out, "A phone callback asked for at 19:30") {
		t.Fatalf("code %d:\n%s", code, out)
	}
	out, _, _ = runTrainCLI(t, "", "--lang", "ja", "train", "--list", "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) < 8 {
		t.Fatalf("json list: %v %s", err, out)
	}
	if rows[0]["title"] != "3度目の問い合わせで暴言を吐くお客様" {
		t.Errorf("titles are not in Japanese with --lang ja: %v", rows[0])
	}
}

func TestTrainUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	cases := [][]string{
		append(trainFlags(db), "train", "--scenario", "no-such", "--plain"),
		append(trainFlags(db), "train", "export", "abc"),
		append(trainFlags(db), "train", "from-history"),
		append(trainFlags(db), "train", "--scenarios", filepath.Join(t.TempDir(), "missing")),
	}
	for _, args := range cases {
		_, stderr, code := runTrainCLI(t, "", args...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: code %d, stderr %q; want exit 2 with one line", args, code, stderr)
		}
	}
}

func TestRulesCheckScenarioFiles(t *testing.T) {
	dir := t.TempDir()
	good, _ := training.BuiltinYAML("cancel-membership")
	goodPath := filepath.Join(dir, "good.yaml")
	os.WriteFile(goodPath, good, 0o600)
	bad := bytes.Replace(good, []byte("persona: angry"), []byte("persona: furious"), 1)
	badPath := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badPath, bad, 0o600)

	out, _, code := runTrainCLI(t, "", "rules", "check", goodPath)
	if code != 0 || !strings.Contains(out, "good.yaml: ok") {
		t.Errorf("valid scenario: code %d, %s", code, out)
	}
	out, _, code = runTrainCLI(t, "", "rules", "check", badPath)
	if code != 1 || !strings.Contains(out, "bad.yaml:9: persona must be one of") {
		t.Errorf("invalid scenario: code %d, %s", code, out)
	}
}

// TestTrainPlainSessionIsStoredAndExported plays a scenario line by line,
// then reads the progress and the Markdown scorecard back from the store.
func TestTrainPlainSessionIsStoredAndExported(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	md := filepath.Join(dir, "card.md")
	script := strings.Join([]string{
		"Hi Naoko, I've read your conversation with our assistant about the surprise fee. I'm sorry, I understand how annoying that is.",
		"I've cancelled your membership. Your benefits end today.",
		"As you haven't used any benefits this month, I'll refund the fee; it will show within 5 business days.",
		"/transfer nowhere",
		"/close",
	}, "\n") + "\n"
	args := append(trainFlags(db), "train", "--plain", "--scenario", "cancel-membership", "--trainee", "amy", "--markdown", md)
	out, stderr, code := runTrainCLI(t, script, args...)
	if code != 0 {
		t.Fatalf("code %d, stderr %s\n%s", code, stderr, out)
	}
	for _, want := range []string{"Handoff packet", "Reason: complaint", "Score: 100.0 / 100", `there is no team called "nowhere"`, "Saved as session 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A poor run by the same trainee.
	poor := "Please give me your card number and CVV.\n/close\n"
	args = append(trainFlags(db), "train", "--plain", "--scenario", "cancel-membership", "--trainee", "amy")
	if out, _, code := runTrainCLI(t, poor, args...); code != 0 || !strings.Contains(out, "FAIL") {
		t.Fatalf("poor run: code %d\n%s", code, out)
	}

	out, _, code = runTrainCLI(t, "", append(trainFlags(db), "train", "history", "--json")...)
	var review training.Review
	if err := json.Unmarshal([]byte(out), &review); err != nil || code != 0 {
		t.Fatalf("history: %v %s", err, out)
	}
	progress := review.Progress
	if len(progress) != 1 || progress[0].Trainee != "amy" || progress[0].Scenarios[0].Best != 100 || progress[0].Scenarios[0].Last != 0 {
		t.Errorf("progress %+v", progress)
	}
	out, _, _ = runTrainCLI(t, "", append(trainFlags(db), "train", "history")...)
	if !strings.Contains(out, "cancel-membership") || !strings.Contains(out, "█▁") {
		t.Errorf("history text:\n%s", out)
	}
	out, _, code = runTrainCLI(t, "", append(trainFlags(db), "train", "export", "1")...)
	file, _ := os.ReadFile(md)
	if code != 0 || !strings.HasPrefix(out, "# Scorecard: Cancelling a membership") || out != string(file) {
		t.Errorf("export differs from the --markdown file or is wrong:\n%s\n---\n%s", out, file)
	}
}

func TestTrainFromHistory(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	st, err := transcripts.Open(db, transcripts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	engine, err := trainEngine("")
	if err != nil {
		t.Fatal(err)
	}
	conv := engine.NewConversation("x", bot.Facts{Lang: "en", SignedIn: true})
	c := transcripts.Conversation{ID: "conv-1", StartedAt: at, Lang: "en", Customer: transcripts.Customer{Name: "Kim", HasAccount: true}, Status: "closed"}
	text := "Someone hacked my account and placed orders."
	d := conv.Respond(text)
	c.Entries = []transcripts.Entry{
		{At: at, Role: transcripts.RoleCustomer, Text: text},
		{At: at, Role: transcripts.RoleBot, Text: d.Reply, Meta: &transcripts.Meta{Intent: d.Intent, Action: string(d.Action), Reason: string(d.Reason)}},
		{At: at, Role: transcripts.RoleSystem, Event: transcripts.EventEscalated, Meta: &transcripts.Meta{Reason: string(d.Reason)}},
	}
	if _, err := st.CreateConversation(c); err != nil {
		t.Fatal(err)
	}
	st.Close()
	outFile := filepath.Join(dir, "replay.yaml")
	if _, stderr, code := runTrainCLI(t, "", append(trainFlags(db), "train", "from-history", "conv-1", "-o", outFile)...); code != 0 {
		t.Fatalf("from-history: %d %s", code, stderr)
	}
	out, _, code := runTrainCLI(t, "", "rules", "check", outFile)
	if code != 0 {
		t.Fatalf("the replay file does not check: %s", out)
	}
	data, _ := os.ReadFile(outFile)
	sc, err := training.Load(outFile, data)
	if err != nil || !sc.Sensitive || sc.Resolution.Transfer != training.TeamSecurity {
		t.Errorf("replay of a hacked account: %+v %v", sc, err)
	}
	// And it plays: its opening reaches a person through the same bot.
	out, stderr, code := runTrainCLI(t, "/transfer security\n", append(trainFlags(db), "train", "--plain", "--scenarios", dir, "--scenario", "replay-conv-1", "--trainee", "kim")...)
	if code != 0 || !strings.Contains(out, "Handoff packet") {
		t.Errorf("replayed scenario did not play: %d %s\n%s", code, stderr, out)
	}
	if _, _, code := runTrainCLI(t, "", append(trainFlags(db), "train", "from-history", "nope")...); code != 1 {
		t.Errorf("missing conversation: exit %d, want 1", code)
	}
}

func TestTrainDrill(t *testing.T) {
	// Answer "escalate human_requested" to everything: only that question scores fully.
	answers := strings.Repeat("e human_requested\n", len(training.DrillItems()))
	db := filepath.Join(t.TempDir(), "t.db")
	out, _, code := runTrainCLI(t, "x\n"+answers, "--db", db, "--lang", "en", "--seed", "2", "train", "drill", "--trainee", "kim")
	if code != 0 || !strings.Contains(out, "Score ") || !strings.Contains(out, `"x" is not a, c or e REASON`) {
		t.Fatalf("code %d:\n%s", code, out)
	}
	if !strings.Contains(out, "Escalate: asked for a person.") || !strings.Contains(out, "✗") {
		t.Errorf("drill output lacks explanations or wrong marks:\n%s", out)
	}
	// The results are stored and appear in progress, with their own trend row.
	if !strings.Contains(out, "Drill results saved as session 1") {
		t.Errorf("the drill results were not saved:\n%s", out)
	}
	out, _, _ = runTrainCLI(t, "", "--db", db, "--lang", "en", "train", "history")
	if !strings.Contains(out, "kim") || !strings.Contains(out, "drill") || !strings.Contains(out, "escalation drill") {
		t.Errorf("the drill is not in the history:\n%s", out)
	}
}

// TestTrainDrillMultiTurnPlain: the plain drill prints a multi-turn item's
// chat so far before the message to decide on, and scores it with that
// history, in both languages.
func TestTrainDrillMultiTurnPlain(t *testing.T) {
	engine, err := trainEngine("")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id, lang, answer string
		want             []string
	}{
		{"answer-did-not-help", "en", "e unresolved", []string{"The chat so far:", "customer: How do I cancel my membership?", "bot: ", "then: I already tried that", "✓ 2/2"}},
		{"answer-did-not-help", "ja", "e unresolved", []string{"これまでのやり取り：", "お客様： 有料会員を解約", "ボット： ", "続けて： その方法で試しましたが", "✓ 2/2"}},
		{"still-unclear", "en", "e no_progress", []string{"customer: I have a question about something.", "customer: What's the weather like tomorrow?", "✓ 2/2"}},
		{"still-unclear", "ja", "c", []string{"お客様： 明日の天気はどうですか？", "✗ 0/2"}},
	}
	for _, c := range cases {
		t.Run(c.id+" "+c.lang, func(t *testing.T) {
			var items []training.DrillItem
			for _, it := range training.DrillItems() {
				if it.ID == c.id {
					items = append(items, it)
				}
			}
			d := training.NewDrill(items, c.lang, 1, func(id string) training.Bot {
				return engine.NewConversation(id, bot.Facts{Lang: c.lang, SignedIn: true})
			})
			var out bytes.Buffer
			if err := runDrill(d, c.lang, strings.NewReader(c.answer+"\n"), &out); err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
