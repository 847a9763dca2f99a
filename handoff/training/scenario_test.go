package training

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsCoverTheIssuesCasesInBothLanguages(t *testing.T) {
	want := []string{"parcel-not-arrived", "damaged-item-return", "refund-closed-card", "hijacked-account",
		"abusive-third-call", "native-japanese-operator", "callback-after-hours", "cancel-membership"}
	for _, id := range want {
		sc := builtin(t, id)
		if !sc.Plays("ja") || !sc.Plays("en") {
			t.Errorf("%s does not play in both languages: %v", id, sc.Languages)
		}
	}
	if !builtin(t, "hijacked-account").Sensitive || builtin(t, "hijacked-account").Resolution.Transfer != TeamSecurity {
		t.Error("the hijacked account must be sensitive and go to the security team")
	}
	seen := map[Persona]bool{}
	for _, sc := range Builtins() {
		seen[sc.Persona] = true
	}
	for _, p := range personas {
		if !seen[p] {
			t.Errorf("no built-in scenario has the %s persona", p)
		}
	}
}

// valid is a minimal valid scenario; the cases below break one thing each.
const valid = `scenario:
  id: sample
  title: {en: "Sample", ja: "サンプル"}
  persona: polite
  customer:
    name: {en: "Sam", ja: "サム"}
  problem: {en: "A problem", ja: "問題"}
  topic: {intent: track_order}
  opening:
    en: ["Where is my parcel? I want to talk to a person."]
    ja: ["荷物はどこですか？担当者と話したいです。"]
  reactions:
    - {when: known_fact, mood: -20, say: {en: ["I told the bot."], ja: ["ボットに言いました。"]}}
    - {when: silence, mood: -10, say: {en: ["Hello?"], ja: ["もしもし？"]}}
    - {when: leave, mood: 0, say: {en: ["Bye."], ja: ["失礼します。"]}}
    - {when: resolved, mood: 20, say: {en: ["Thanks."], ja: ["ありがとう。"]}}
    - {when: other, mood: -2, say: {en: ["Hm?"], ja: ["え？"]}}
  resolution:
    steps:
      - id: track
        label: {en: "Check tracking", ja: "追跡を確認"}
        examples: {en: ["I checked the tracking", "the tracking shows it left", "I looked at the carrier tracking"], ja: ["追跡を確認しました", "追跡情報を見ました", "配送業者の追跡を調べました"]}
`

func TestLoadReportsProblemsWithLineNumbers(t *testing.T) {
	if _, err := Load("ok.yaml", []byte(valid)); err != nil {
		t.Fatalf("valid scenario refused: %v", err)
	}
	cases := []struct {
		name, old, new, want string
	}{
		{"bad persona", "persona: polite", "persona: grumpy", "ok.yaml:4: persona must be one of"},
		{"bad id", "id: sample", "id: Sample Case", "ok.yaml:2: id must be"},
		{"unknown field", "persona: polite", "persona: polite\n  mood_swing: 3", "ok.yaml:5: field mood_swing not found"},
		{"wrong type", "persona: polite", "persona: polite\n  mood: lots", "ok.yaml:5:"},
		{"bad when", "when: other", "when: sulk", "ok.yaml:17: when must be one of"},
		{"missing required reaction", "    - {when: other, mood: -2, say: {en: [\"Hm?\"], ja: [\"え？\"]}}\n", "", "reactions need a rule for when: other"},
		{"missing ja opening", "    ja: [\"荷物はどこですか？担当者と話したいです。\"]\n", "", "opening.ja needs at least one message"},
		{"bad transfer", "  resolution:\n", "  resolution:\n    transfer: legal\n", "ok.yaml:19: transfer must be one of"},
		{"sensitive without transfer", "persona: polite", "persona: polite\n  sensitive: true", "ok.yaml:5: a sensitive scenario needs resolution.transfer"},
		{"bad clock", "persona: polite", "persona: polite\n  clock: tomorrow", "ok.yaml:5: clock must be an RFC 3339 time"},
		{"duplicate key", "persona: polite", "persona: polite\n  persona: angry", "ok.yaml:5:"},
		{"bad rubric item", "persona: polite", "persona: polite\n  rubric: {charm: 5}", "ok.yaml:5: rubric item must be one of"},
		{"no section", "scenario:", "intentz:", "ok.yaml:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(valid, tc.old, tc.new, 1)
			if data == valid {
				t.Fatal("case did not change the file")
			}
			problems := Check("ok.yaml", []byte(data))
			joined := strings.Join(problems, "\n")
			if !strings.Contains(joined, tc.want) {
				t.Errorf("problems %q do not contain %q", joined, tc.want)
			}
		})
	}
}

// TestLoadD34 covers reliability case D34 for scenario files: each hostile
// file gives an error naming the file and a line, and never a panic.
func TestLoadD34(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = n
	}
	bomb = "scenario:\n  id: x\n" + strings.ReplaceAll(bomb, "\n", "\n  ")
	deep := "scenario:\n  id: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	big := valid + "# " + strings.Repeat("x", 10<<20) + "\n"
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"alias bomb", []byte(bomb), "bomb.yaml:"},
		{"10000-deep nesting", []byte(deep), "bomb.yaml:2: nesting is deeper"},
		{"10 MB file", []byte(big), "bomb.yaml:1: file is"},
		{"duplicate keys", []byte(strings.Replace(valid, "persona: polite", "persona: polite\n  persona: polite", 1)), "bomb.yaml:5:"},
		{"invalid UTF-8", []byte(strings.Replace(valid, "Sample", "Sa\xffmple", 1)), "bomb.yaml:3: invalid UTF-8"},
		{"wrong types", []byte(strings.Replace(valid, "persona: polite", "persona: [1, 2]", 1)), "bomb.yaml:4:"},
		{"empty", nil, "bomb.yaml:1: file is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("bomb.yaml", tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestCatalogAddsAndReplacesFromDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sample.yaml"), []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	data, ok := BuiltinYAML("parcel-not-arrived")
	if !ok {
		t.Fatal("no built-in file for parcel-not-arrived")
	}
	data = bytes.Replace(data, []byte(`en: "A parcel that has not arrived"`), []byte(`en: "Local parcel case"`), 1)
	if err := os.WriteFile(filepath.Join(dir, "parcel.yml"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not yaml"), 0o600)
	c, err := NewCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Scenarios) != len(Builtins())+1 {
		t.Errorf("want built-ins plus one, got %d", len(c.Scenarios))
	}
	if s, ok := c.Find("parcel-not-arrived"); !ok || s.Title.EN != "Local parcel case" {
		t.Errorf("a file with a built-in's id should replace it: %+v", s)
	}
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("scenario:\n  id: [\n"), 0o600)
	if _, err := NewCatalog(dir); err == nil || !strings.Contains(err.Error(), "broken.yaml:") {
		t.Errorf("a broken file must fail the catalog naming file and line, got %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(valid))
	for _, sc := range Builtins() {
		data, _ := BuiltinYAML(sc.ID)
		f.Add(data)
	}
	f.Add([]byte("scenario:\n  reactions:\n    - when: match\n      match: {en: [\"\"]}\n"))
	f.Add([]byte("scenario: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml:") {
				t.Fatalf("error does not name the file and line: %v", err)
			}
			return
		}
		if s.ID == "" || len(s.Languages) == 0 {
			t.Fatalf("accepted a scenario without an id or a language: %+v", s)
		}
	})
}
