package training

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"tsunagu/bot"
	"tsunagu/bot/classify"
	"tsunagu/bot/yamlfile"
)

// What a trainee's words do is learnt from examples (understand/*.yaml and
// each scenario's resolution step examples) with the shared classifier,
// never from keyword lists written in Go. Each line is split into clauses
// (classify.Clauses) and each clause is read on its own, so a negation or
// an apology in one clause says nothing about the next.
//
//go:embed understand/*.yaml
var understandFS embed.FS

// Acts a clause can perform (understand/acts.yaml).
const (
	ActAcknowledge = "acknowledge"
	ActApology     = "apology"
	ActEmpathy     = "empathy"
	ActBlame       = "blame"
	ActRefuse      = "refuse"
	ActOffer       = "offer"
	ActOverpromise = "overpromise"
	ActClose       = "close"
	ActOther       = "other"
)

var actLabels = []string{ActAcknowledge, ActApology, ActEmpathy, ActBlame, ActRefuse, ActOffer, ActOverpromise, ActClose, ActOther}

// What a clause can ask for (understand/asks.yaml); askNone is none.
const (
	askCard = "card"
	askNone = "none"
)

var askLabels = []string{"order", "item", "account", "email", "phone", "problem", askCard, askNone}

// stepNone is the step models' label for a clause that gives no step.
const stepNone = "none"

// Small label sets train with a higher rate and more passes (as
// handoff/understand does); a label counts only at minUnderstood.
var understandOptions = classify.Options{Epochs: 40, Rate: 4}

const minUnderstood = 0.55

// minRequest is how clear an ask must be in a line without a question mark.
const minRequest = 0.65

// labelSet is a parsed label file: labels in file order with their examples.
type labelSet struct {
	order    []string
	examples map[string]bot.Texts
}

func loadLabelSet(file string, want []string) labelSet {
	data, err := understandFS.ReadFile("understand/" + file)
	if err != nil {
		panic("training: " + err.Error())
	}
	var f struct {
		Labels map[string]bot.Texts `yaml:"labels"`
	}
	doc, err := yamlfile.DecodeDoc("handoff/training/understand/"+file, data, &f)
	if err != nil {
		panic("training: " + err.Error())
	}
	ls := labelSet{order: doc.Keys("labels"), examples: f.Labels}
	if want != nil && !slices.Equal(sortedCopy(ls.order), sortedCopy(want)) {
		panic(fmt.Sprintf("training: %s defines labels %v; the program acts on %v", file, ls.order, want))
	}
	return ls
}

func sortedCopy(s []string) []string { c := slices.Clone(s); slices.Sort(c); return c }

// modelInput is the text a model reads for a clause: time expressions become
// one placeholder word.
func modelInput(s string) string { return withTimePlaceholder(s) }

func (ls labelSet) add(out []classify.Example, relabel func(string) string) []classify.Example {
	for _, label := range ls.order {
		to := label
		if relabel != nil {
			if to = relabel(label); to == "" {
				continue
			}
		}
		t := ls.examples[label]
		for _, s := range append(slices.Clone(t.EN), t.JA...) {
			out = append(out, classify.Example{Label: to, Text: modelInput(s)})
		}
	}
	return out
}

func train(examples []classify.Example, labels []string) *classify.Model {
	opts := understandOptions
	opts.Labels = labels
	m, err := classify.Train(examples, opts)
	if err != nil {
		panic("training: " + err.Error())
	}
	return m
}

var (
	actSet   = sync.OnceValue(func() labelSet { return loadLabelSet("acts.yaml", actLabels) })
	askSet   = sync.OnceValue(func() labelSet { return loadLabelSet("asks.yaml", askLabels) })
	idiomSet = sync.OnceValue(func() labelSet { return loadLabelSet("idiom.yaml", []string{"idiomatic", "plain"}) })

	// Each model also learns from the other's examples: a question is no
	// act ("other") and an act asks for nothing ("none").
	actModel = sync.OnceValue(func() *classify.Model {
		return train(askSet().add(actSet().add(nil, nil), func(string) string { return ActOther }), actLabels)
	})
	askModel = sync.OnceValue(func() *classify.Model {
		return train(actSet().add(askSet().add(nil, nil), func(string) string { return askNone }), askLabels)
	})
	idiomModel = sync.OnceValue(func() *classify.Model {
		return train(idiomSet().add(nil, nil), []string{"idiomatic", "plain"})
	})
)

// stepWeight makes a step's few examples count against the many of "none".
const stepWeight = 3

// stepModels caches one model per scenario (by pointer: a Scenario is not
// changed once loaded).
var stepModels sync.Map // *Scenario → *classify.Model

// stepModel is trained on the scenario's step examples, against every
// built-in act and question (which give no step) as "none". An offer is left
// out of "none": offering a replacement is a step in some scenarios.
func (s *Scenario) stepModel() *classify.Model {
	if len(s.Resolution.Steps) == 0 {
		return nil
	}
	if m, ok := stepModels.Load(s); ok {
		return m.(*classify.Model)
	}
	var ex []classify.Example
	labels := []string{}
	for _, st := range s.Resolution.Steps {
		labels = append(labels, st.ID)
		for _, t := range append(slices.Clone(st.Examples.EN), st.Examples.JA...) {
			ex = append(ex, classify.Example{Label: st.ID, Text: modelInput(t), Weight: stepWeight})
		}
	}
	labels = append(labels, stepNone)
	toNone := func(l string) string {
		if l == ActOffer {
			return ""
		}
		return stepNone
	}
	ex = actSet().add(ex, toNone)
	ex = askSet().add(ex, toNone)
	m, err := classify.Train(ex, classify.Options{Labels: labels, Epochs: understandOptions.Epochs, Rate: understandOptions.Rate})
	if err != nil {
		// Validate refuses a scenario without examples; a bad label set here is a bug.
		panic("training: " + err.Error())
	}
	actual, _ := stepModels.LoadOrStore(s, m)
	return actual.(*classify.Model)
}

// Clause is how one clause of a trainee line was understood.
type Clause struct {
	Text string `json:"text"`
	Act  string `json:"act,omitempty"`  // "" when none is clear
	Ask  string `json:"ask,omitempty"`  // what it asks for, "" when nothing
	Step string `json:"step,omitempty"` // the resolution step it gives
	Time string `json:"time,omitempty"` // the time expression in it
	// Fragment is a clause too short to be a sentence ("tracking", "within
	// two days"): it can ask or apologise, but it gives no step.
	Fragment bool `json:"fragment,omitempty"`
}

// Sentence lengths below which a clause is a fragment: words for English,
// characters for Japanese (time expressions not counted).
const (
	minSentenceWords = 3
	minSentenceRunes = 5
)

func isFragment(clause string) bool {
	rest := strings.ReplaceAll(withTimePlaceholder(clause), timePlaceholder, " ")
	n := classify.Normalize(rest)
	if classify.DetectLanguage(clause, "en") == "ja" {
		return utf8.RuneCountInString(strings.ReplaceAll(n, " ", "")) < minSentenceRunes
	}
	return len(strings.Fields(n)) < minSentenceWords
}

// top returns the model's label for text when it is clear, else "".
func top(m *classify.Model, text string) string {
	r := m.Classify(modelInput(text), "en").Top()
	if r.Score < minUnderstood {
		return ""
	}
	return r.Label
}

// readClause understands one clause; question says whether its line asks
// anything (a fragment such as "by phone" asks only in a question).
func readClause(text string, question bool, stepM *classify.Model) Clause {
	c := Clause{Text: text, Fragment: isFragment(text)}
	if t := timeExpressions(text); len(t) > 0 {
		c.Time = t[0]
	}
	if a := top(actModel(), text); a != ActOther {
		c.Act = a
	}
	// A clause asks when its line is a question, or when it is a clear
	// request ("Please tell me your password."); a fragment only in a question.
	if r := askModel().Classify(modelInput(text), "en").Top(); r.Label != askNone &&
		(question && r.Score >= minUnderstood || !c.Fragment && r.Score >= minRequest) {
		c.Ask = r.Label
	}
	// A refusal, blame or a fragment gives no step; neither does a question.
	if stepM != nil && !c.Fragment && c.Act != ActBlame && c.Act != ActRefuse && c.Ask == "" {
		if st := top(stepM, text); st != stepNone {
			c.Step = st
		}
	}
	return c
}

// A line is a list of cue words rather than sentences when its clauses are
// mostly fragments that carry meaning, or when one clause crams several
// different things into a few words (read in windows of cueWindow words).
const (
	cueWindow       = 3
	minCueFragments = 3
	minCueThings    = 4
)

// cueList says why a line is a list of cue words, or "".
func cueList(line string, clauses []Clause, stepM *classify.Model) string {
	frags, meaning := 0, 0
	for _, c := range clauses {
		if c.Fragment {
			frags++
			if c.Act != "" || c.Time != "" || c.Ask != "" {
				meaning++
			}
		}
	}
	if meaning >= minCueFragments || frags > minCueFragments && meaning >= 2 && 2*frags > len(clauses) {
		return fmt.Sprintf("%d of %d clauses are single cue words", frags, len(clauses))
	}
	for _, c := range clauses {
		words := strings.Fields(withTimePlaceholder(c.Text))
		// A clause understood as a whole (an act or a step) is a sentence.
		if len(words) < 2*cueWindow || c.Act != "" || c.Step != "" {
			continue
		}
		things := map[string]bool{}
		social, steps := false, false
		windows := 0
		for i := 0; i+cueWindow <= len(words); i++ {
			windows++
			w := strings.Join(words[i:i+cueWindow], " ")
			if strings.Contains(w, timePlaceholder) {
				things["time"] = true
			}
			if a := top(actModel(), w); a == ActAcknowledge || a == ActApology || a == ActEmpathy {
				things["act:"+a], social = true, true
			}
			if stepM != nil {
				if st := top(stepM, w); st != stepNone && st != "" {
					things["step:"+st], steps = true, true
				}
			}
		}
		// Feelings, the handover and the fix in one run of a few words,
		// with no punctuation between them, is a list, not a sentence.
		if social && steps && len(things) >= minCueThings && windows <= 2*len(things) {
			return fmt.Sprintf("%d different cues packed into %d words", len(things), len(words))
		}
	}
	return ""
}

// readLine splits a line into clauses and understands each.
func readLine(line string, sc *Scenario) (clauses []Clause, list string) {
	var stepM *classify.Model
	if sc != nil {
		stepM = sc.stepModel()
	}
	question := strings.ContainsAny(line, "?？")
	for text := range classify.Clauses(line) {
		// Japanese is written without spaces: words set apart by spaces
		// are a list, each read as a clause of its own.
		if parts := strings.Fields(text); len(parts) >= minCueFragments && classify.DetectLanguage(text, "en") == "ja" {
			for _, p := range parts {
				clauses = append(clauses, readClause(p, question, stepM))
			}
			continue
		}
		clauses = append(clauses, readClause(text, question, stepM))
	}
	return clauses, cueList(line, clauses, stepM)
}

// idiomatic reports a clause a reader in their second language may miss.
func idiomatic(clause string) bool { return top(idiomModel(), clause) == "idiomatic" }
