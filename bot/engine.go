package bot

import (
	"math"
	"slices"
	"strings"
	"sync"

	"tsunagu/bot/classify"
)

// Engine classifies messages with one set of rules. It is built once (the
// scorer is trained from the rules' examples, deterministically) and is safe
// for concurrent use by any number of conversations.
type Engine struct {
	rules    *Rules
	model    *classify.Model
	clauses  *classify.Model            // what each clause does: see rules/clauses.yaml
	variants map[string]*classify.Model // per intent with variants: which kind a message is
	patterns *patternIndex
	classes  []string       // class index → intent name
	index    map[string]int // intent name → class index
}

// NewEngine returns a ready engine for the rules. The default rules come
// with their scorer trained at build time (go generate, see precomputed.go),
// so they are ready in milliseconds. Other rules are trained here, from
// their example utterances and the example corpus they name: with rules the
// size of the default ones that takes about a second, so load them in the
// background.
func NewEngine(r *Rules) *Engine {
	e := &Engine{rules: r, index: map[string]int{}, patterns: newPatternIndex(r.compiled)}
	for _, name := range r.order {
		e.index[name] = len(e.classes)
		e.classes = append(e.classes, name)
	}
	e.clauses = clauseModel()
	if p := precomputedFor(r); p != nil {
		e.model, e.variants = p.intents, p.variants
		return e
	}
	e.model, e.variants = trainIntents(r), trainVariants(r)
	return e
}

// trainIntents trains the intent scorer of the rules.
func trainIntents(r *Rules) *classify.Model {
	corpus, err := r.loadCorpus()
	if err != nil {
		panic("bot: " + err.Error()) // LoadRules checked the name; the corpus is embedded
	}
	examples := make([]classify.Example, 0, len(corpus)+64*len(r.order))
	for _, ex := range corpus {
		examples = append(examples, classify.Example{Label: ex.intent, Text: ex.text, Weight: 1})
	}
	// Hand-written examples weigh example_weight against the corpus. Their
	// language is not checked here: `tsunagu rules check` owns the rules'
	// checks, and an engine must always be built from loaded rules.
	for _, name := range r.order {
		in := r.IntentMap[name]
		for _, lang := range []string{"en", "ja"} {
			for _, text := range in.In(lang).Examples {
				examples = append(examples, classify.Example{Label: name, Text: text, Weight: float64(r.Policy.ExampleWeight)})
			}
			for _, v := range in.variantOrder {
				for _, text := range in.Variants[v].In(lang).Examples {
					examples = append(examples, classify.Example{Label: name, Text: text, Weight: float64(r.Policy.ExampleWeight)})
				}
			}
		}
	}
	m, err := classify.Train(examples, classify.Options{Labels: r.IntentNames()})
	if err != nil {
		// Every label comes from the rules' own intents, so this is a bug.
		panic("bot: training the scorer: " + err.Error())
	}
	return m
}

// defaultVariant labels an intent's own examples in its variant model.
const defaultVariant = "default"

// trainVariants trains, for each intent with variants, a small model that
// tells its kinds apart: the intent's own examples are "default".
func trainVariants(r *Rules) map[string]*classify.Model {
	out := map[string]*classify.Model{}
	for _, name := range r.order {
		in := r.IntentMap[name]
		if len(in.variantOrder) == 0 {
			continue
		}
		var examples []classify.Example
		for _, lang := range []string{"en", "ja"} {
			for _, text := range in.In(lang).Examples {
				examples = append(examples, classify.Example{Label: defaultVariant, Text: text})
			}
			for _, v := range in.variantOrder {
				for _, text := range in.Variants[v].In(lang).Examples {
					examples = append(examples, classify.Example{Label: v, Text: text})
				}
			}
		}
		m, err := classify.Train(examples, classify.Options{Labels: append([]string{defaultVariant}, in.variantOrder...), Epochs: 40, Rate: 4})
		if err != nil {
			panic("bot: training the variants of " + name + ": " + err.Error())
		}
		out[name] = m
	}
	return out
}

// variant returns the kind of intent in that text is, when it is clearly
// one of the intent's variants.
func (e *Engine) variant(in *Intent, text string) (*Variant, string) {
	m := e.variants[in.Name]
	if m == nil || text == "" {
		return nil, ""
	}
	top := m.Classify(text, "en").Top()
	if top.Label == defaultVariant || top.Score < minVariantScore {
		return nil, ""
	}
	return in.Variants[top.Label], top.Label
}

// minVariantScore: a variant's reply is used only when the message reads
// clearly as that variant.
const minVariantScore = 0.6

// Rules returns the rules the engine was built from.
func (e *Engine) Rules() *Rules { return e.rules }

// Classification is the stateless reading of one message: what it is about,
// how sure the bot is, and why. Conversation.Respond turns it into a Decision.
type Classification struct {
	Lang       string
	Normalized string
	// Candidates are all intents, best first, with scores summing to 1.
	Candidates []Candidate
	// Coverage is the share of the message's features the scorer knows
	// (for Japanese, the lower of that and the share of its character
	// trigrams seen in the examples).
	Coverage float64
	// InScope is false when the message is not about the shop at all.
	InScope bool
	// Patterns lists the intents whose patterns matched, with the rule ids
	// (nil when none did).
	Patterns map[string]string
	// patternLen is the length in runes of each intent's longest match.
	patternLen map[string]int
	// Triggers lists the escalation triggers that matched (human_request,
	// sensitive, anger, legal, not_helped, multi_issue), with rule ids.
	Triggers map[string]string
	// Features are the strongest features of the top intent (only when
	// classified with explain).
	Features []Feature
	// Parts are the message's clauses (classify.IssueClauses), each read on
	// its own: what it does (Role) and what it is about. A message of one
	// clause has one part, about what the whole is about.
	Parts []Part
}

// Part is one clause of a message, read on its own.
type Part struct {
	Text string
	// Role is what the clause does, learnt from rules/clauses.yaml:
	// problem, remedy, detail, vague, social or legal.
	Role      string
	RoleScore float64
	// RoleCoverage is the share of the clause the clause examples know.
	RoleCoverage float64
	// Intent is the clause's best intent and Score its score; InScope is
	// false when the clause is not about the shop.
	Intent  string
	Score   float64
	InScope bool
	// cls is the clause's own reading, for a message of several parts.
	cls *Classification
}

// Top returns the best candidate.
func (c *Classification) Top() Candidate {
	if len(c.Candidates) == 0 {
		return Candidate{}
	}
	return c.Candidates[0]
}

// Margin is the gap between the best two candidates.
func (c *Classification) Margin() float64 {
	if len(c.Candidates) < 2 {
		return c.Top().Score
	}
	return c.Candidates[0].Score - c.Candidates[1].Score
}

// matchPool recycles the per-message pattern hit table and literal cache:
// they are the largest allocation of a classification and never escape it.
var matchPool = sync.Pool{New: func() any { return new(matchScratch) }}

var triggerKeys = []string{"human_request", "sensitive", "anger", "legal", "not_helped", "multi_issue"}

// Classify reads one message. fallbackLang is used when the message has no
// letters (e.g. "?" or "2"). prior, if not empty, is an intent the contact
// flow already chose; it gets a small boost. explain fills Features.
func (e *Engine) Classify(text, fallbackLang, prior string, explain bool) Classification {
	c := e.classifyText(text, fallbackLang, prior, explain, true)
	n := 0
	for part := range classify.IssueClauses(text) {
		if n == maxParts {
			break
		}
		n++
		rc := e.clauses.Classify(part, c.Lang)
		c.Parts = append(c.Parts, Part{Text: part, Role: rc.Top().Label, RoleScore: rc.Top().Score, RoleCoverage: rc.Coverage})
	}
	if len(c.Parts) == 1 {
		p := &c.Parts[0]
		p.Intent, p.Score, p.InScope = c.Top().Intent, c.Top().Score, c.InScope
		return c
	}
	for i := range c.Parts {
		p := &c.Parts[i]
		if p.saysNoIssue(e.rules.Policy.NoIssueMin) {
			continue // a greeting or "I have a question" raises no issue: its intent is not read
		}
		pc := e.classifyText(p.Text, c.Lang, prior, false, true)
		p.Intent, p.Score, p.InScope, p.cls = pc.Top().Intent, pc.Top().Score, pc.InScope, &pc
	}
	return c
}

// saysNoIssue reports a clause surely read as social, vague or off-topic:
// whatever intent it leans to, it raises no issue.
func (p *Part) saysNoIssue(min float64) bool {
	return p.RoleScore >= min && (p.Role == RoleSocial || p.Role == RoleVague || p.Role == RoleOffTopic)
}

// maxParts bounds the clauses read on their own; the rest of a very long
// message is read only as part of the whole.
const maxParts = 6

// classifyText reads one text: the whole message, or one of its clauses.
func (e *Engine) classifyText(text, fallbackLang, prior string, explain, patterns bool) Classification {
	lang := DetectLanguage(text, fallbackLang)
	norm := Normalize(text)
	c := Classification{Lang: lang, Normalized: norm}
	padded := " " + norm + " "
	ms := matchPool.Get().(*matchScratch)
	defer matchPool.Put(ms)
	var hits []patternHit
	if patterns {
		hits = e.patterns.match(padded, ms)
	}
	for owner, h := range hits {
		if h.source < 0 {
			continue
		}
		name, id := e.patterns.names[owner], e.patterns.ruleIDs[owner][h.source]
		if e.patterns.trigger[owner] {
			if _, done := c.Triggers[name]; !done {
				if c.Triggers == nil {
					c.Triggers = map[string]string{}
				}
				c.Triggers[name] = id
			}
			continue
		}
		if h.runes > c.patternLen[name] {
			if c.Patterns == nil {
				c.Patterns, c.patternLen = map[string]string{}, map[string]int{}
			}
			c.Patterns[name] = id
			c.patternLen[name] = h.runes
		}
	}
	reading := e.model.Read(norm, explain)
	defer reading.Release()
	c.Coverage = reading.Coverage()
	probs := reading.Probs
	boost := e.rules.Policy.PatternBoost.In(lang)
	// Each matching intent gets the boost in proportion to the length of
	// its match against the longest one: the most specific pattern wins
	// ("会員登録ができない" over "会員登録").
	longest := 0
	for _, n := range c.patternLen {
		longest = max(longest, n)
	}
	for name, n := range c.patternLen {
		probs[e.index[name]] += boost * float64(n) / float64(longest)
	}
	if i, ok := e.index[prior]; ok {
		probs[i] += boost / 2
	}
	sum := 0.0
	for _, p := range probs {
		sum += p
	}
	// Best first; equal scores keep the rules' order.
	order := reading.Ranked()
	c.Candidates = make([]Candidate, len(probs))
	for k, i := range order {
		c.Candidates[k] = Candidate{Intent: e.classes[i], Score: probs[i] / sum}
	}
	minCov := e.rules.Policy.MinCoverage.In(lang)
	c.InScope = norm != "" && (len(c.Patterns) > 0 || c.Coverage >= minCov)
	if explain {
		for _, f := range reading.Features(e.index[c.Candidates[0].Intent], 5) {
			c.Features = append(c.Features, Feature{Name: f.Name, Weight: f.Weight})
		}
	}
	return c
}

// round keeps scores readable in JSON.
func round(x float64) float64 { return math.Round(x*10000) / 10000 }

// topCandidates returns the first n candidates with rounded scores.
func topCandidates(cs []Candidate, n int) []Candidate {
	out := slices.Clone(cs[:min(n, len(cs))])
	for i := range out {
		out[i].Score = round(out[i].Score)
	}
	return out
}

// fill replaces {slot} placeholders; unknown placeholders are left as they are
// so a typo in a rules file is visible rather than silently blank.
func fill(template string, values map[string]string) string {
	if !strings.Contains(template, "{") {
		return template
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(template, '{')
		if i < 0 {
			b.WriteString(template)
			break
		}
		j := strings.IndexByte(template[i:], '}')
		if j < 0 {
			b.WriteString(template)
			break
		}
		key := template[i+1 : i+j]
		b.WriteString(template[:i])
		if v, ok := values[key]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(template[i : i+j+1])
		}
		template = template[i+j+1:]
	}
	return b.String()
}
