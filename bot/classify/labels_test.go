package classify

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"tsunagu/bot/yamlfile"
)

const askYAML = `# Does a line ask for a person?
labels:
  person:
    en:
      - I want to talk to a person
      - can I speak to a human
      - put me through to an agent
    ja:
      - 人と話したいです
      - オペレーターにつないでください
  other:
    en: [the parcel never arrived, it stopped working, I want a refund]
    ja:
      - 荷物が届きません
      - 返金してください
`

func TestLoadLabels(t *testing.T) {
	m, err := LoadLabels("ask.yaml", []byte(askYAML), smallOptions)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Labels(); !slices.Equal(got, []string{"person", "other"}) {
		t.Fatalf("labels %v; want the file's order", got)
	}
	for text, want := range map[string]string{
		"can I talk to a human please": "person", "my parcel has not arrived": "other",
		"オペレーターと話したい": "person", "まだ荷物が届きません": "other",
	} {
		if got := m.Classify(text, "en").Top().Label; got != want {
			t.Errorf("%q: %s, want %s", text, got, want)
		}
	}
	again, err := LoadLabels("ask.yaml", []byte(askYAML), smallOptions)
	if err != nil || !reflect.DeepEqual(m, again) {
		t.Fatalf("loading twice gives two models (%v)", err)
	}
	// Labels in opts check the file and set the order.
	m, err = LoadLabels("ask.yaml", []byte(askYAML), Options{Labels: []string{"other", "person"}})
	if err != nil || !slices.Equal(m.Labels(), []string{"other", "person"}) {
		t.Fatalf("with Options.Labels: %v, %v", m, err)
	}
}

func TestLoadLabelsRefuses(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		opts Options
		want string // "NAME:LINE: message" fragment
	}{
		{"empty file", "", Options{}, "bad.yaml:1: file is empty"},
		{"no labels", "labels: {}\n", Options{}, "bad.yaml:1: a label set needs at least two labels"},
		{"one label", "labels:\n  a:\n    en: [hello]\n", Options{}, "bad.yaml:1: a label set needs at least two labels"},
		{"unknown key", "labels:\n  a:\n    en: [hi]\n    fr: [salut]\n  b:\n    en: [yo]\n", Options{}, "bad.yaml:4: field fr not found"},
		{"label without examples", "labels:\n  a:\n    en: [hi]\n  b:\n", Options{}, `bad.yaml:4: label "b" has no examples`},
		{"empty example", "labels:\n  a:\n    en: [hi]\n  b:\n    en:\n      - '!!!'\n", Options{}, `bad.yaml:6: label "b" (en): example 1 has no words`},
		{"one text, two labels", "labels:\n  a:\n    en: [I want a refund]\n  b:\n    en:\n      - yo\n      - I want a REFUND!\n", Options{}, `bad.yaml:7: "I want a REFUND!" is an example of both "a" and "b"`},
		{"Japanese under en", "labels:\n  a:\n    en: [hi]\n  b:\n    en:\n      - yo\n      - 返金してください\n", Options{}, "bad.yaml:7: \"返金してください\" is given as en but reads as ja"},
		{"a label the program needs is missing", "labels:\n  a:\n    en: [hi]\n  b:\n    en: [yo]\n", Options{Labels: []string{"a", "c"}}, `bad.yaml:1: label "c" is missing`},
		{"a label the program does not know", "labels:\n  a:\n    en: [hi]\n  b:\n    en: [yo]\n", Options{Labels: []string{"a"}}, `bad.yaml:4: unknown label "b"`},
		{"duplicate key", "labels:\n  a:\n    en: [hi]\n  a:\n    en: [yo]\n", Options{}, "bad.yaml:4:"},
		{"wrong type", "labels:\n  a: hello\n  b:\n    en: [yo]\n", Options{}, "bad.yaml:2:"},
		{"invalid UTF-8", "labels:\n  a:\n    en: [\xff]\n", Options{}, "bad.yaml:3: invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LoadLabels("bad.yaml", []byte(tt.yaml), tt.opts)
			if err == nil || m != nil {
				t.Fatalf("LoadLabels = %v, %v; want an error", m, err)
			}
			if lines := yamlfile.Lines("bad.yaml", err); !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, tt.want) }) {
				t.Errorf("errors %q; want one containing %q", lines, tt.want)
			}
		})
	}
}

func TestMustLoadLabelsPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustLoadLabels accepted a bad file")
		}
	}()
	MustLoadLabels("bad.yaml", []byte("labels: {}\n"), Options{})
}
