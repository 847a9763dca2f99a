package bot

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestDefaultRulesAreComplete(t *testing.T) {
	r := DefaultRules()
	if got := r.IntentNames(); !slices.Equal(sortedCopy(got), sortedCopy(Intents)) {
		t.Fatalf("default rules define %d intents %v; want the 33 of SPEC section 3", len(got), got)
	}
	for _, name := range r.IntentNames() {
		in, _ := r.Intent(name)
		for _, lang := range []string{"en", "ja"} {
			p := in.In(lang)
			if p.Label == "" || p.Reply == "" || len(p.Patterns) == 0 || len(p.Examples) < 3 {
				t.Errorf("%s/%s: label, reply, patterns and at least 3 examples are required", name, lang)
			}
			if len(in.Playbook.Steps.In(lang)) == 0 {
				t.Errorf("%s/%s: playbook has no steps", name, lang)
			}
		}
		if in.Group == "" {
			t.Errorf("%s: no group", name)
		}
	}
	// Every intent a customer can reach from the menu, and the product's
	// examples of the menu.
	for _, want := range []struct{ cat, topic, intent string }{
		{"delivery", "not_arrived", "track_order"}, {"delivery", "late", "delivery_period"},
		{"delivery", "change_address", "change_shipping_address"}, {"item_problem", "damaged", "product_problem"},
		{"item_problem", "defective", "product_problem"}, {"item_problem", "wrong_item", "product_problem"},
		{"returns", "return", "return_item"}, {"payment", "problem", "payment_issue"},
		{"account", "password", "recover_password"}, {"membership", "membership", "membership"},
	} {
		found := false
		for _, c := range r.Menu {
			for _, tp := range c.Topics {
				if c.ID == want.cat && tp.ID == want.topic && tp.Intent == want.intent {
					found = true
				}
				if tp.Label.EN == "" || tp.Label.JA == "" {
					t.Errorf("menu topic %s/%s lacks a label", c.ID, tp.ID)
				}
			}
		}
		if !found {
			t.Errorf("menu lacks %s → %s (%s)", want.cat, want.topic, want.intent)
		}
	}
	for _, key := range triggerKeys {
		m := map[string]Texts{"human_request": r.Triggers.HumanRequest, "sensitive": r.Triggers.Sensitive, "anger": r.Triggers.Anger,
			"legal": r.Triggers.Legal, "not_helped": r.Triggers.NotHelped, "multi_issue": r.Triggers.MultiIssue}[key]
		if len(m.EN) == 0 || len(m.JA) == 0 {
			t.Errorf("trigger %s needs patterns in both languages", key)
		}
	}
}

// TestDefaultRulesShopIsFictional guards the product contract: the demo shop has its
// own name and clearly fictional contact details.
func TestDefaultRulesShopIsFictional(t *testing.T) {
	r := DefaultRules()
	if r.Shop.Phone != "0120-000-000" {
		t.Errorf("shop phone %q; want the obviously fictional 0120-000-000", r.Shop.Phone)
	}
	if !strings.HasSuffix(r.Shop.Email, ".example") || !strings.Contains(r.Shop.Web, ".example") {
		t.Errorf("shop email %q and web %q must use the reserved .example domain", r.Shop.Email, r.Shop.Web)
	}
	phone := regexp.MustCompile(`0\d{1,4}-\d{1,4}-\d{3,4}`)
	for _, m := range phone.FindAllString(string(DefaultRulesYAML()), -1) {
		if m != "0120-000-000" && m != "090-1234-5678" {
			t.Errorf("default rules mention the phone number %s; only fictional ones are allowed", m)
		}
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// minimalRules is a valid one-intent file, the base of the broken variants.
const minimalRules = `version: 1
shop: {name: {en: "Test Shop", ja: "テスト店"}, phone: "0120-000-000"}
policy:
  min_confidence: {en: 0.5, ja: 0.4}
  clarify_margin: {en: 0.1, ja: 0.1}
  min_coverage: {en: 0.5, ja: 0.3}
  max_clarifications: 2
  max_choices: 3
  pattern_boost: {en: 0.5, ja: 0.5}
menu:
  - id: orders
    label: {en: Orders, ja: 注文}
    topics:
      - {id: track, label: {en: Track, ja: 追跡}, intent: track_order}
messages:
  escalation:
    human_requested: {en: "a", ja: "あ"}
    sensitive: {en: "a", ja: "あ"}
    complaint: {en: "a", ja: "あ"}
    multi_issue: {en: "a", ja: "あ"}
    unresolved: {en: "a", ja: "あ"}
    no_progress: {en: "a", ja: "あ"}
intents:
  track_order:
    en:
      label: Track
      patterns: ["where is my order", "re:\\btrack"]
      examples: ["where is my order"]
      reply: "It is on its way."
    ja:
      label: 追跡
      patterns: ["届かない"]
      examples: ["荷物が届かない"]
      reply: "配送中です。"
`

func TestLoadRulesMinimal(t *testing.T) {
	r, err := LoadRules("min.yaml", []byte(minimalRules))
	if err != nil {
		t.Fatalf("minimal rules: %v", err)
	}
	e := NewEngine(r)
	d := e.NewConversation("c", Facts{Lang: "en", SignedIn: true}).Respond("where is my order")
	if d.Intent != "track_order" || d.Action != ActionAnswer || d.Reply != "It is on its way." {
		t.Errorf("a one-intent file: got %s/%s %q", d.Intent, d.Action, d.Reply)
	}
}

// TestCheckReportsProblemsWithLines covers `tsunagu rules check`: every
// semantic problem of the issue is reported at its line.
func TestCheckReportsProblemsWithLines(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		want    string // regexp over the joined problems
		wantLen int
	}{
		{"unknown intent", func(s string) string {
			return strings.Replace(s, "intents:\n  track_order:", "intents:\n  track_parcel:", 1)
		}, `^min\.yaml:24: unknown intent "track_parcel"`, 2},
		{"empty reply", func(s string) string {
			return strings.Replace(s, `reply: "配送中です。"`, `reply: "  "`, 1)
		}, `^min\.yaml:34: intent track_order \(ja\) has an empty reply$`, 1},
		{"bad regexp", func(s string) string {
			return strings.Replace(s, `"re:\\btrack"`, `"re:(track"`, 1)
		}, `^min\.yaml:27: intent track_order \(en\): pattern "re:\(track" is not a valid regexp: missing closing \)$`, 1},
		{"missing language", func(s string) string {
			i := strings.Index(s, "    ja:\n")
			return s[:i]
		}, `^min\.yaml:24: intent track_order has no "ja" section; every intent needs both ja and en$`, 1},
		{"menu points nowhere", func(s string) string {
			return strings.Replace(s, "intent: track_order}", "intent: cancel_order}", 1)
		}, `^min\.yaml:14: menu topic orders/track points at intent "cancel_order"`, 1},
		{"bad trigger regexp", func(s string) string {
			return strings.Replace(s, "messages:", "triggers:\n  anger:\n    en: [\"re:[\"]\nmessages:", 1)
		}, `^min\.yaml:17: trigger anger \(en\): pattern "re:\[" is not a valid regexp`, 1},
		{"unknown field", func(s string) string {
			return strings.Replace(s, "      label: Track\n", "      label: Track\n      colour: red\n", 1)
		}, `^min\.yaml:27: .*colour`, 1},
		{"wrong type", func(s string) string {
			return strings.Replace(s, "max_choices: 3", "max_choices: lots", 1)
		}, `^min\.yaml:8: `, 1},
		{"duplicate intent", func(s string) string {
			return s + "  track_order:\n    en: {label: x, reply: y}\n"
		}, `^min\.yaml:\d+: .*(already|duplicate)`, -1},
		{"escalation text missing", func(s string) string {
			return strings.Replace(s, "    no_progress: {en: \"a\", ja: \"あ\"}\n", "", 1)
		}, `messages\.escalation\.no_progress needs both en and ja`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := Check("min.yaml", []byte(tt.edit(minimalRules)))
			joined := strings.Join(problems, "\n")
			if !regexp.MustCompile(`(?m)` + tt.want).MatchString(joined) {
				t.Errorf("problems:\n%s\nwant a line matching %s", joined, tt.want)
			}
			for _, p := range problems {
				if !regexp.MustCompile(`^min\.yaml:[1-9]\d*: `).MatchString(p) {
					t.Errorf("problem %q has no real line number", p)
				}
			}
			if tt.wantLen >= 0 && len(problems) != tt.wantLen {
				t.Errorf("got %d problems, want %d:\n%s", len(problems), tt.wantLen, joined)
			}
		})
	}
	if p := Check("min.yaml", []byte(minimalRules)); p != nil {
		t.Errorf("valid file reported %v", p)
	}
	if p := Check("default.yaml", DefaultRulesYAML()); p != nil {
		t.Errorf("default rules reported %v", p)
	}
}

// TestLoadRulesD34 covers reliability case D34 for the rules loader: hostile
// files are refused with one clear NAME:LINE message, never a panic or hang.
func TestLoadRulesD34(t *testing.T) {
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\nintents: *h\n"
	tests := map[string][]byte{
		"too big":      bytes.Repeat([]byte("# padding\n"), 1<<20),
		"invalid utf8": []byte("version: 1\nintents:\n  track_order: \xff\xfe\n"),
		"deep":         []byte("intents: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"),
		"alias bomb":   []byte(bomb),
		"empty":        nil,
		"not a map":    []byte("- just\n- a list\n"),
		"binary":       []byte("\x00\x01\x02intents:"),
		"tabs":         []byte("intents:\n\ttrack_order: {}\n"),
	}
	line := regexp.MustCompile(`^x\.yaml:[1-9]\d*: \S`)
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := LoadRules("x.yaml", data)
			if err == nil || r != nil {
				t.Fatalf("accepted: %v", r)
			}
			for _, l := range strings.Split(err.Error(), "\n") {
				if !line.MatchString(l) {
					t.Errorf("problem %q is not NAME:LINE: message", l)
				}
			}
		})
	}
}

func FuzzLoadRules(f *testing.F) {
	f.Add([]byte(minimalRules))
	f.Add([]byte("intents:\n  track_order:\n    en: {label: a, reply: b, patterns: [\"re:(\"]}\n"))
	f.Add([]byte("intents: {greeting: {en: {}, ja: {}}}\nmenu: [{topics: [{intent: x}]}]\n"))
	f.Add([]byte("a: &a [1]\nintents: *a\n"))
	f.Add([]byte("intents:\n  track_order: ~\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := LoadRules("f.yaml", data)
		if err != nil {
			for _, l := range strings.Split(err.Error(), "\n") {
				if !regexp.MustCompile(`^f\.yaml:[1-9]\d*: `).MatchString(l) {
					t.Fatalf("problem %q lacks the NAME:LINE prefix", l)
				}
			}
			return
		}
		// Whatever loads must run.
		if len(r.IntentNames()) > 0 && len(data) < 4096 {
			c := NewEngine(r).NewConversation("f", Facts{})
			c.Opening()
			c.Respond("where is my order")
			c.Respond("1")
		}
	})
}

// TestPrefilterNeverHidesAMatch: for every regexp of the default rules and
// every example and test utterance, the literal prefilter lets through each
// text the regexp matches.
func TestPrefilterNeverHidesAMatch(t *testing.T) {
	r := DefaultRules()
	var texts []string
	for _, name := range r.IntentNames() {
		in, _ := r.Intent(name)
		texts = append(texts, in.EN.Examples...)
		texts = append(texts, in.JA.Examples...)
	}
	for _, f := range []string{"testdata/ja_intents.tsv", "testdata/en_intents.tsv"} {
		for _, c := range readLabelled(t, f) {
			texts = append(texts, c.text)
		}
	}
	checked := 0
	for _, m := range r.compiled {
		for _, re := range m.regexps {
			for _, text := range texts {
				n := Normalize(text)
				if re.re.MatchString(n) {
					checked++
					if re.find(n) == nil {
						t.Errorf("prefilter %v hides the match of %s in %q", re.sets, re.re, n)
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d regexp matches checked", checked)
	}
	sets, ok := requiredLiterals(`\b(get|send)\w* (a |the )?(invoice|bill)s?\b`)
	if !ok || len(sets) != 2 {
		t.Errorf("requiredLiterals: %v, %v; want a verb set and a noun set", sets, ok)
	}
	if _, ok := requiredLiterals(`\b\w+\b`); ok {
		t.Error("a pattern without literals must not be prefiltered")
	}
}
