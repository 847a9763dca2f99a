package training

import (
	"reflect"
	"strings"
	"testing"

	"tsunagu/bot"
)

// TestLoadDrillBuiltIn: the built-in drill.yaml passes the file checks a
// trainer's drill file gets.
func TestLoadDrillBuiltIn(t *testing.T) {
	items, err := LoadDrill("drill.yaml", drillYAML)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(items, DrillItems()) || len(items) == 0 {
		t.Errorf("LoadDrill and DrillItems disagree")
	}
	if p := CheckDrill("drill.yaml", drillYAML); len(p) != 0 {
		t.Errorf("built-in drill has problems: %q", p)
	}
}

// TestLoadDrillProblems: each problem in a drill file is reported at its
// line as NAME:LINE: message.
func TestLoadDrillProblems(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string
	}{
		{"empty", "drill: []\n", []string{"d.yaml:1: the file has no drill items"}},
		{"unknown key", "drill:\n  - id: a\n    txt: {en: hi}\n", []string{"d.yaml:3:"}},
		{"bad id and no text", "drill:\n  - id: Bad Id\n    text: {en: hi}\n  - id: ok\n    text: {en: \"  \"}\n",
			[]string{"d.yaml:2: drill item 1: id must be", `d.yaml:5: drill item "ok": text needs`}},
		{"twice", "drill:\n  - id: a\n    text: {en: hi}\n  - id: a\n    text: {en: ho}\n",
			[]string{`d.yaml:4: drill item "a" is given twice (first at line 2)`}},
		{"blank before", "drill:\n  - id: a\n    before:\n      en: [\"x\", \"\"]\n    text: {ja: やあ}\n",
			[]string{`d.yaml:4: drill item "a": before.en message 2 is blank`, `d.yaml:4: drill item "a": before.en is given but text.en is not`}},
		{"wrong type", "drill:\n  - id: a\n    text: [1, 2]\n", []string{"d.yaml:3:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CheckDrill("d.yaml", []byte(c.data))
			if len(got) != len(c.want) {
				t.Fatalf("got %d problems %q, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}

// TestDrillAnswerErrorsInLanguage: the drill's own errors are in its language.
func TestDrillAnswerErrorsInLanguage(t *testing.T) {
	for lang, want := range map[string]string{"en": "an escalation needs a reason: one of human_requested", "ja": "エスカレーションには理由が必要です。次のいずれか：1 "} {
		d := NewDrill(DrillItems()[:1], lang, 1, func(string) Bot { return fakeDrillBot{} })
		if _, err := d.Answer("escalate", "nope"); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want prefix %q", lang, err, want)
		}
		if _, err := d.Answer("answer", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Answer("answer", ""); err == nil || (lang == "ja") != strings.Contains(err.Error(), "ドリルは終了しています") {
			t.Errorf("%s: after the end: %v", lang, err)
		}
	}
}

// fakeDrillBot answers everything.
type fakeDrillBot struct{}

func (fakeDrillBot) Respond(string) bot.Decision { return bot.Decision{Action: bot.ActionAnswer} }
