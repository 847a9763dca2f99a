package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodDrillFile = `# a trainer's own drill
drill:
  - id: my-human
    text: {en: "Can I speak to a human being?", ja: "人間の担当者と話せますか？"}
  - id: my-did-not-help
    before:
      en: ["How do I cancel my membership?"]
      ja: ["有料会員を解約するにはどうすればいいですか？"]
    text: {en: "I already tried that, it still doesn't work.", ja: "その方法で試しましたが、解決しません。"}
`

const badDrillFile = `drill:
  - id: ok
    text: {en: "Hello"}
  - id: ok
    text: {en: "Hello again"}
  - id: no-text
    before:
      en: ["Where is my order?"]
`

func writeDrillFiles(t *testing.T) (good, bad string) {
	t.Helper()
	dir := t.TempDir()
	good, bad = filepath.Join(dir, "good.yaml"), filepath.Join(dir, "bad.yaml")
	for name, data := range map[string]string{good: goodDrillFile, bad: badDrillFile} {
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return good, bad
}

// TestTrainDrillFile: --file plays the items of a drill file (a multi-turn
// one included) instead of the built-in ones; a bad file is refused with
// every problem as FILE:LINE: message.
func TestTrainDrillFile(t *testing.T) {
	good, bad := writeDrillFiles(t)
	db := filepath.Join(t.TempDir(), "t.db")
	out, stderr, code := runTrainCLI(t, "e human_requested\ne unresolved\n", "--db", db, "--lang", "en", "--seed", "3",
		"train", "drill", "--plain", "--file", good, "--trainee", "kim")
	if code != 0 {
		t.Fatalf("code %d: %s\n%s", code, stderr, out)
	}
	for _, want := range []string{"1/2", "2/2", "Can I speak to a human being?", "customer: How do I cancel my membership?",
		"then: I already tried that", "Score 4/4", "Drill results saved as session 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "What's the weather like tomorrow?") || strings.Contains(out, "3/") {
		t.Errorf("built-in items were played too:\n%s", out)
	}

	out, stderr, code = runTrainCLI(t, "a\n", "--db", db, "--lang", "en", "train", "drill", "--plain", "--file", bad)
	if code == 0 {
		t.Fatalf("a bad drill file played:\n%s", out)
	}
	for _, want := range []string{bad + `:4: drill item "ok" is given twice (first at line 2)`,
		bad + `:6: drill item "no-text": text needs`, bad + `:8: drill item "no-text": before.en is given but text.en is not`,
		"has 3 problems"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(out, "1/") {
		t.Errorf("questions were asked from a bad file:\n%s", out)
	}

	_, stderr, code = runTrainCLI(t, "", "--db", db, "--lang", "en", "train", "drill", "--plain", "--file", filepath.Join(t.TempDir(), "none.yaml"))
	if code == 0 || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: code %d, %s", code, stderr)
	}
}

// TestRulesCheckDrillFile: rules check recognises a drill file by its
// top-level drill: key and reports its problems as FILE:LINE: message.
func TestRulesCheckDrillFile(t *testing.T) {
	good, bad := writeDrillFiles(t)
	out, _, code := runTrainCLI(t, "", "rules", "check", good)
	if code != 0 || !strings.Contains(out, good+": ok") {
		t.Errorf("good drill file: code %d\n%s", code, out)
	}
	out, _, code = runTrainCLI(t, "", "rules", "check", bad)
	if code != 1 {
		t.Errorf("bad drill file: code %d, want 1", code)
	}
	for _, want := range []string{bad + `:4: drill item "ok" is given twice`, bad + `:6: drill item "no-text": text needs`} {
		if !strings.Contains(out, want) {
			t.Errorf("rules check output lacks %q:\n%s", want, out)
		}
	}
}
