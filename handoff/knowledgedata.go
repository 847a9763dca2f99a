package handoff

import (
	"embed"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"tsunagu/bot"
	"tsunagu/bot/yamlfile"
)

// What operators say is data, never code: knowledge/playbooks.yaml holds what
// they say about each issue, knowledge/phrases.yaml their set phrases by
// language and level. Both are checked when first loaded (and by the tests),
// so a phrase the code needs cannot go missing and a placeholder cannot be
// left unfilled.
//
//go:embed knowledge/*.yaml
var knowledgeFS embed.FS

type sayYAML struct {
	When  []string  `yaml:"when"`
	EN    string    `yaml:"en"`
	JA    string    `yaml:"ja"`
	Basic *bot.Text `yaml:"basic"`
}

type playbookYAML struct {
	Asks     []string  `yaml:"asks"`
	Replaces []string  `yaml:"replaces"`
	Problem  bot.Text  `yaml:"problem"`
	Want     bot.Text  `yaml:"want"`
	Outcome  bot.Text  `yaml:"outcome"`
	Steps    []sayYAML `yaml:"steps"`
	Answer   []sayYAML `yaml:"answer"`
	Retry    []sayYAML `yaml:"retry"`
}

type playbooksFile struct {
	Intents map[string]*playbookYAML `yaml:"intents"`
}

type leveledYAML struct {
	Basic  string `yaml:"basic"`
	Fluent string `yaml:"fluent"`
	Native string `yaml:"native"`
}

func (l leveledYAML) at(lv Level) string {
	switch lv {
	case LevelNative:
		return l.Native
	case LevelFluent:
		return l.Fluent
	}
	return l.Basic
}

type phraseYAML struct {
	EN leveledYAML `yaml:"en"`
	JA leveledYAML `yaml:"ja"`
}

func (p *phraseYAML) at(lv Level, lang string) string {
	if lang == "ja" {
		return p.JA.at(lv)
	}
	return p.EN.at(lv)
}

type phrasesFile struct {
	Phrases map[string]*phraseYAML `yaml:"phrases"`
	Asks    map[string]*phraseYAML `yaml:"asks"`
	Teams   map[string]*bot.Text   `yaml:"teams"`
}

// The phrases the code says, each with the placeholders it fills.
const (
	phGreet          = "greet"
	phHandover       = "handover"
	phHandoverTail   = "handover_tail"
	phBack           = "back"
	phIssue          = "issue"
	phInstead        = "instead"
	phAlso           = "also"
	phGeneralProblem = "general_problem"
	phUrgent         = "urgent"
	phAck            = "ack"
	phWelcome        = "welcome"
	phNewIssue       = "new_issue"
	phTransfer       = "transfer"
	phSorry          = "sorry"
	phReadAll        = "read_all"
	phWorking        = "working"
	phAllDone        = "all_done"
	phBotNotHelped   = "bot_not_helped"
	phRetry          = "retry"
	phRephrase       = "rephrase"
	phOfferClose     = "offer_close"
	phBye            = "bye"

	askOther = "other" // the ask for a fact with no phrase of its own
)

var phrasePlaceholders = map[string][]string{
	phGreet: {"name"}, phHandover: {"name", "prev"}, phHandoverTail: nil, phBack: nil,
	phIssue: {"problem", "Problem"}, phInstead: {"want", "outcome"}, phAlso: {"problem", "Problem"},
	phGeneralProblem: {"order"}, phUrgent: nil, phAck: nil, phWelcome: nil,
	phNewIssue: {"problem", "Problem"}, phTransfer: {"problem", "Problem", "team"}, phSorry: nil,
	phReadAll: nil, phWorking: nil, phAllDone: nil, phBotNotHelped: nil, phRetry: nil, phRephrase: nil,
	phOfferClose: nil, phBye: nil,
}

// playbookPlaceholders are the placeholders fill knows.
var playbookPlaceholders = []string{"order", "order_id", "item"}

var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

// operatorWords is the loaded data.
type operatorWords struct {
	playbooks map[string]map[string]Playbook // intent → lang → spoken playbook
	phrases   map[string]*phraseYAML
	asks      map[string]*phraseYAML
	teams     map[string]*bot.Text
}

var words = sync.OnceValue(func() *operatorWords {
	pb, err := knowledgeFS.ReadFile("knowledge/playbooks.yaml")
	if err != nil {
		panic(err)
	}
	ph, err := knowledgeFS.ReadFile("knowledge/phrases.yaml")
	if err != nil {
		panic(err)
	}
	w, err := loadOperatorWords(pb, ph)
	if err != nil {
		panic("handoff: the embedded operator phrases are invalid: " + err.Error())
	}
	return w
})

// loadOperatorWords reads and checks the two files' contents.
func loadOperatorWords(playbooks, phrases []byte) (*operatorWords, error) {
	var pf playbooksFile
	var ph phrasesFile
	if err := yamlfile.Decode("handoff/knowledge/playbooks.yaml", playbooks, &pf); err != nil {
		return nil, err
	}
	if err := yamlfile.Decode("handoff/knowledge/phrases.yaml", phrases, &ph); err != nil {
		return nil, err
	}
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	checkText := func(where, text string, allowed []string) {
		if strings.TrimSpace(text) == "" {
			bad("%s is empty", where)
			return
		}
		for _, ph := range placeholderRE.FindAllString(text, -1) {
			if !slices.Contains(allowed, strings.Trim(ph, "{}")) {
				bad("%s: placeholder %s is not one of %v", where, ph, allowed)
			}
		}
		if strings.Count(text, "{") != strings.Count(text, "}") {
			bad("%s: unbalanced braces in %q", where, text)
		}
	}
	w := &operatorWords{playbooks: map[string]map[string]Playbook{}, phrases: ph.Phrases, asks: ph.Asks, teams: ph.Teams}
	checkLeveled := func(where string, p *phraseYAML, allowed []string) {
		if p == nil {
			bad("%s is missing", where)
			return
		}
		for _, lang := range []string{"en", "ja"} {
			for _, lv := range []Level{LevelBasic, LevelFluent, LevelNative} {
				checkText(fmt.Sprintf("%s %s %s", where, lang, lv), p.at(lv, lang), allowed)
			}
		}
	}
	for id, allowed := range phrasePlaceholders {
		checkLeveled("phrase "+id, ph.Phrases[id], allowed)
	}
	for id := range ph.Phrases {
		if _, ok := phrasePlaceholders[id]; !ok {
			bad("phrase %s is not used by the operators", id)
		}
	}
	if ph.Asks[askOther] == nil {
		bad("asks: %s is missing", askOther)
	}
	for id, p := range ph.Asks {
		checkLeveled("ask "+id, p, nil)
	}
	for _, g := range TopicGroups {
		if t := ph.Teams[g]; t == nil || t.EN == "" || t.JA == "" {
			bad("teams: %s needs en and ja", g)
		}
	}
	intents := make([]string, 0, len(pf.Intents))
	for name := range pf.Intents {
		intents = append(intents, name)
	}
	sort.Strings(intents)
	for _, name := range intents {
		y := pf.Intents[name]
		if !slices.Contains(bot.Intents, name) {
			bad("intent %s is not one of the intents of SPEC section 3", name)
		}
		if len(y.Steps) == 0 || len(y.Answer) == 0 {
			bad("intent %s needs steps and an answer", name)
		}
		for _, ask := range y.Asks {
			if ph.Asks[ask] == nil {
				bad("intent %s asks for %s, which asks: does not phrase", name, ask)
			}
		}
		for _, r := range y.Replaces {
			if o, ok := pf.Intents[r]; !ok || o.Outcome.EN == "" || o.Outcome.JA == "" {
				bad("intent %s replaces %s, which needs an outcome", name, r)
			}
		}
		if len(y.Replaces) > 0 && (y.Want.EN == "" || y.Want.JA == "") {
			bad("intent %s replaces others and needs a want", name)
		}
		byLang := map[string]Playbook{}
		for _, lang := range []string{"en", "ja"} {
			checkText(name+" problem "+lang, y.Problem.In(lang), playbookPlaceholders)
			if lang == "ja" && !strings.HasSuffix(y.Problem.JA, "件") {
				bad("intent %s: the Japanese problem must end in 件: %q", name, y.Problem.JA)
			}
			pb := Playbook{Problem: y.Problem.In(lang), Want: y.Want.In(lang), Outcome: y.Outcome.In(lang),
				Replaces: y.Replaces, Needs: y.Asks}
			convert := func(part string, in []sayYAML) []Say {
				out := make([]Say, 0, len(in))
				for i, s := range in {
					where := fmt.Sprintf("%s %s %d %s", name, part, i+1, lang)
					for _, st := range s.When {
						if !slices.Contains(OrderStatuses, st) {
							bad("%s: when %q is not one of %v", where, st, OrderStatuses)
						}
					}
					text := s.EN
					if lang == "ja" {
						text = s.JA
					}
					checkText(where, text, playbookPlaceholders)
					say := Say{When: s.When, Text: text}
					if s.Basic != nil {
						say.Basic = s.Basic.In(lang)
						checkText(where+" basic", say.Basic, playbookPlaceholders)
					}
					out = append(out, say)
				}
				return out
			}
			pb.Steps = convert("step", y.Steps)
			pb.Answer = convert("answer", y.Answer)
			pb.Retry = convert("retry", y.Retry)
			byLang[lang] = pb
		}
		w.playbooks[name] = byLang
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return w, nil
}

// phrase returns the set phrase id at level lv in lang, its placeholders
// replaced by pairs (name, value, ...).
func phrase(id string, lv Level, lang string, pairs ...string) string {
	p := words().phrases[id]
	text := p.at(lv, lang)
	if len(pairs) == 0 {
		return text
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		args = append(args, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(args...).Replace(text)
}

// AskText is how a native speaker of lang asks a customer for fact (one of
// the Fact names): the shared desk's people ask with the same words the
// simulated operators use.
func AskText(lang, fact string) string { return askText(LevelNative, lang, fact) }

// askText is how an operator at level lv asks for fact in lang.
func askText(lv Level, lang, fact string) string {
	p := words().asks[fact]
	if p == nil {
		p = words().asks[askOther]
	}
	return p.at(lv, lang)
}

// teamName names the team of skill group g.
func teamName(g, lang string) string {
	if t := words().teams[g]; t != nil {
		return t.In(lang)
	}
	return words().teams["general"].In(lang)
}
