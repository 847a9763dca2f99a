package handoff

import (
	"tsunagu/bot"
)

// RulesKnowledge is what operators know with the bot's rules: every intent
// the rules define, said as knowledge/playbooks.yaml says it (the rules'
// own playbooks are the operator's checklist, with conditions an operator
// decides and never reads out). With the bot's trained engine
// (WithEngine) it is also a Reader: operators read the customer's words
// with the same classifier and triggers as the bot.
type RulesKnowledge struct {
	rules  *bot.Rules
	engine *bot.Engine
}

// NewRulesKnowledge wraps a loaded rules file.
func NewRulesKnowledge(r *bot.Rules) *RulesKnowledge { return &RulesKnowledge{rules: r} }

// NewEngineKnowledge wraps the bot's trained engine: its rules, and its
// classifier for reading the customer's words.
func NewEngineKnowledge(e *bot.Engine) *RulesKnowledge {
	return &RulesKnowledge{rules: e.Rules(), engine: e}
}

// Intents lists the intents an operator can be handed (greetings and
// goodbyes never reach one).
func (k *RulesKnowledge) Intents() []string {
	var out []string
	for _, name := range k.rules.IntentNames() {
		if name != "greeting" && name != "goodbye" {
			out = append(out, name)
		}
	}
	return out
}

// Playbook implements Knowledge. An intent the rules define but no spoken
// playbook covers (a greeting, a request for a person) is restated with the
// rules' label and has nothing to resolve.
func (k *RulesKnowledge) Playbook(intent, lang string) (Playbook, bool) {
	in, ok := k.rules.Intent(intent)
	if !ok {
		return Playbook{}, false
	}
	if lang != "ja" {
		lang = "en"
	}
	if pb, ok := words().playbooks[intent][lang]; ok {
		return pb, true
	}
	label := in.In(lang).Label
	if lang == "ja" {
		return Playbook{Problem: "「" + label + "」のお問い合わせの件"}, true
	}
	return Playbook{Problem: "you need help with \"" + label + "\""}, true
}

// ReadClause implements Reader: the issue one clause names, when the bot's
// classifier is confident of it by the rules' own thresholds. Otherwise a
// known issue among the likely candidates, or of the same group of the rules
// as one of them, is the one meant: "how long will the refund take?" asked
// about a refund at hand.
func (k *RulesKnowledge) ReadClause(text, lang string, known []string) (string, bool) {
	if k.engine == nil {
		return "", false
	}
	cls := k.engine.Classify(text, lang, "", false)
	pol := k.rules.Policy
	top := cls.Top()
	if !cls.InScope || top.Intent == "" {
		return "", false
	}
	// A clause is short: ask for the confidence of a bare topic, or of a
	// pattern the rules wrote for the intent, and a clear margin.
	need := max(pol.MinConfidence.In(cls.Lang), 0.6)
	if _, ok := cls.Patterns[top.Intent]; ok {
		need = max(pol.MinConfidenceWithPattern.In(cls.Lang), 0.4)
	}
	if top.Score >= need && cls.Margin() >= pol.ClarifyMargin.In(cls.Lang) {
		return top.Intent, true
	}
	for _, c := range cls.Candidates[:min(3, len(cls.Candidates))] {
		if c.Score < likelyScore {
			break
		}
		for _, in := range known {
			if in == c.Intent || k.sameGroup(in, c.Intent) {
				return in, true
			}
		}
	}
	return "", false
}

// likelyScore is the least score of a candidate that may point to a known
// issue.
const likelyScore = 0.15

func (k *RulesKnowledge) sameGroup(a, b string) bool {
	ia, okA := k.rules.Intent(a)
	ib, okB := k.rules.Intent(b)
	return okA && okB && ia.Group != "" && ia.Group == ib.Group
}

// Triggers implements Reader: the escalation triggers of the rules that the
// whole message sets off (anger, not_helped, ...).
func (k *RulesKnowledge) Triggers(text, lang string) []string {
	if k.engine == nil {
		return nil
	}
	cls := k.engine.Classify(text, lang, "", false)
	out := make([]string, 0, len(cls.Triggers))
	for t := range cls.Triggers {
		out = append(out, t)
	}
	return out
}
