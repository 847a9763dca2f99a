package bot

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The default engine is trained once per test binary: training is the
// expensive part, and every test reads it only.
var (
	defaultEngineOnce sync.Once
	defaultEngine     *Engine
)

func testEngine(t testing.TB) *Engine {
	t.Helper()
	defaultEngineOnce.Do(func() { defaultEngine = NewEngine(DefaultRules()) })
	return defaultEngine
}

type labelled struct {
	group, intent, text string
}

// readLabelled reads intent<TAB>utterance lines, with "# group: X" headers.
func readLabelled(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	group := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if g, ok := strings.CutPrefix(line, "# group: "); ok {
			group = g
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		intent, text, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: bad line %q", path, line)
		}
		out = append(out, labelled{group, intent, text})
	}
	return out
}

// accuracyByGroup runs single-message conversations and reports accuracy per
// group; it fails when a group or the whole set falls below the floor.
func accuracyByGroup(t *testing.T, cases []labelled, minGroup, minAll float64, minPerGroup int) {
	e := testEngine(t)
	type tally struct{ ok, n int }
	groups := map[string]*tally{}
	all := tally{}
	for _, c := range cases {
		d := e.NewConversation("t", Facts{Lang: "en", SignedIn: true}).Respond(c.text)
		g := groups[c.group]
		if g == nil {
			g = &tally{}
			groups[c.group] = g
		}
		hit := d.Intent == c.intent && d.Action != ActionClarify
		if hit {
			g.ok++
			all.ok++
		} else {
			t.Logf("miss [%s] %q: want %s, got %q/%s (%.2f)", c.group, c.text, c.intent, d.Intent, d.Action, d.Confidence)
		}
		g.n++
		all.n++
		// Intents that always go to a person must escalate.
		if in := e.rules.IntentMap[c.intent]; hit && in.Escalate != "" && (d.Action != ActionEscalate || d.Reason != in.Escalate) {
			t.Errorf("%q: intent %s must escalate with %s, got %s/%s", c.text, c.intent, in.Escalate, d.Action, d.Reason)
		}
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		acc := float64(groups[g].ok) / float64(groups[g].n)
		t.Logf("group %-18s %3d/%3d = %5.1f%%", g, groups[g].ok, groups[g].n, 100*acc)
		if groups[g].n < minPerGroup {
			t.Errorf("group %s has only %d test utterances; want at least %d", g, groups[g].n, minPerGroup)
		}
		if acc < minGroup {
			t.Errorf("group %s accuracy %.1f%% is below %.0f%%", g, 100*acc, 100*minGroup)
		}
	}
	acc := float64(all.ok) / float64(all.n)
	t.Logf("overall %d/%d = %.2f%% (answered or escalated with the right intent)", all.ok, all.n, 100*acc)
	if acc < minAll {
		t.Errorf("overall accuracy %.2f%% is below %.0f%%", 100*acc, 100*minAll)
	}
}

func TestJapaneseAccuracy(t *testing.T) {
	cases := readLabelled(t, "testdata/ja_intents.tsv")
	for _, c := range cases {
		if DetectLanguage(c.text, "en") != "ja" {
			t.Errorf("%q not detected as Japanese", c.text)
		}
	}
	accuracyByGroup(t, cases, 0.85, 0.95, 20)
}

func TestEnglishAccuracy(t *testing.T) {
	cases := readLabelled(t, "testdata/en_intents.tsv")
	accuracyByGroup(t, cases, 0.85, 0.95, 10)
}

// TestJapaneseHoldout measures Japanese the rules were not tuned on (see the
// file's header). Its floor is lower: it reports an estimate, and guards
// against the bot getting worse on unseen Japanese.
func TestJapaneseHoldout(t *testing.T) {
	cases := readLabelled(t, "testdata/ja_holdout.tsv")
	accuracyByGroup(t, cases, 0, 0.85, 1)
}
