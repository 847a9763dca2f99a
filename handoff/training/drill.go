package training

import (
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"tsunagu/bot"
	"tsunagu/bot/yamlfile"
	"tsunagu/handoff"
)

// DrillItem is one customer message of the escalation drill. Before, when
// given, are the customer's earlier messages in the same conversation: the
// bot answers them first and the trainee decides on Text with that history
// (multi-turn items, for unresolved and no_progress).
type DrillItem struct {
	ID     string    `yaml:"id"`
	Before bot.Texts `yaml:"before,omitempty"`
	Text   bot.Text  `yaml:"text"`
}

type drillFile struct {
	Drill []DrillItem `yaml:"drill"`
}

//go:embed drill.yaml
var drillYAML []byte

// DrillItems returns the built-in drill messages.
func DrillItems() []DrillItem {
	items, err := LoadDrill("drill.yaml", drillYAML)
	if err != nil {
		panic(err)
	}
	return items
}

// DrillTopKey is the top-level key of a drill file; `rules check` tells
// drill files from other kinds by it.
const DrillTopKey = "drill"

// LoadDrill parses and validates a drill file (the format of the built-in
// drill.yaml) with the hardened loader. Problems are reported as
// NAME:LINE: message (a *yamlfile.Error).
func LoadDrill(name string, data []byte) ([]DrillItem, error) {
	var f drillFile
	doc, err := yamlfile.DecodeDoc(name, data, &f)
	if err != nil {
		return nil, err
	}
	if len(f.Drill) == 0 {
		return nil, yamlfile.Errorf(name, max(1, doc.ValueLine(DrillTopKey)), "the file has no drill items: give a %q list of items with id and text", DrillTopKey)
	}
	var ps []yamlfile.Problem
	add := func(line int, format string, a ...any) {
		ps = append(ps, yamlfile.Problem{Line: line, Message: fmt.Sprintf(format, a...)})
	}
	seen := map[string]int{}
	for i, it := range f.Drill {
		line := doc.Line(DrillTopKey, i)
		switch {
		case !idRE.MatchString(it.ID):
			add(doc.ValueLine(DrillTopKey, i, "id"), "drill item %d: id must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit; got %q", i+1, it.ID)
		case seen[it.ID] > 0:
			add(doc.ValueLine(DrillTopKey, i, "id"), "drill item %q is given twice (first at line %d)", it.ID, seen[it.ID])
		default:
			seen[it.ID] = line
		}
		if strings.TrimSpace(it.Text.EN) == "" && strings.TrimSpace(it.Text.JA) == "" {
			add(doc.ValueLine(DrillTopKey, i, "text"), "drill item %q: text needs the customer's message in en, ja or both", it.ID)
		}
		for _, l := range []string{"en", "ja"} {
			for j, b := range it.Before.In(l) {
				if strings.TrimSpace(b) == "" {
					add(doc.ValueLine(DrillTopKey, i, "before", l, j), "drill item %q: before.%s message %d is blank", it.ID, l, j+1)
				}
			}
			if len(it.Before.In(l)) > 0 && strings.TrimSpace(it.Text.In(l)) == "" {
				add(doc.Line(DrillTopKey, i, "before", l), "drill item %q: before.%s is given but text.%s is not", it.ID, l, l)
			}
		}
	}
	if len(ps) > 0 {
		return nil, &yamlfile.Error{Name: name, Problems: ps}
	}
	return f.Drill, nil
}

// CheckDrill returns every problem in a drill file as NAME:LINE: message,
// for `tsunagu rules check`. An empty result means the file is valid.
func CheckDrill(name string, data []byte) []string {
	_, err := LoadDrill(name, data)
	return yamlfile.Lines(name, err)
}

// DrillQuestion is one question as the trainee sees it.
type DrillQuestion struct {
	Number int // 1-based
	ID     string
	// Before is the conversation so far, for multi-turn items.
	Before []DrillTurn
	Text   string
}

// DrillTurn is one earlier exchange of a multi-turn item: the customer's
// message and the bot's reply.
type DrillTurn struct {
	Customer string
	Bot      string
	// Action is what the bot did with the message (answer or clarify).
	Action bot.Action
}

// DrillResult explains one answer against the bot's policy.
type DrillResult struct {
	Question       DrillQuestion
	Action         bot.Action
	Reason         bot.Reason
	ExpectedAction bot.Action
	ExpectedReason bot.Reason
	ActionRight    bool
	ReasonRight    bool // escalations only
	Points         int  // 0-2: the action, and for escalations the reason
	MaxPoints      int
	Explanation    string // in the drill's language
	Rules          []string
}

// Drill is one run of the quiz. Questions come in a seeded order; the
// expected answers are the real bot's decisions.
type Drill struct {
	rules     *bot.Rules // names intents in explanations; may be nil
	lang      string
	questions []DrillQuestion
	expected  []bot.Decision
	results   []DrillResult
}

// NewDrill prepares a drill in lang over items. newBot starts a fresh
// conversation with the real bot for each question, so answers never depend
// on earlier questions.
func NewDrill(items []DrillItem, lang string, seed uint64, newBot func(id string) Bot) *Drill {
	d := &Drill{lang: lang}
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for _, i := range order {
		it := items[i]
		text := it.Text.In(lang)
		if text == "" {
			continue
		}
		q := DrillQuestion{Number: len(d.questions) + 1, ID: it.ID, Text: text}
		b := newBot("drill-" + it.ID)
		for _, m := range nonBlank(it.Before.In(lang)) {
			r := b.Respond(m)
			q.Before = append(q.Before, DrillTurn{Customer: m, Bot: r.Reply, Action: r.Action})
		}
		d.questions = append(d.questions, q)
		d.expected = append(d.expected, b.Respond(text))
	}
	return d
}

// SetRules lets explanations name topics as the rules do ("Reset a
// password") instead of by intent id.
func (d *Drill) SetRules(r *bot.Rules) { d.rules = r }

// Len is the number of questions.
func (d *Drill) Len() int { return len(d.questions) }

// Current returns the next unanswered question, or false when done.
func (d *Drill) Current() (DrillQuestion, bool) {
	if len(d.results) >= len(d.questions) {
		return DrillQuestion{}, false
	}
	return d.questions[len(d.results)], true
}

// Results returns the answers so far.
func (d *Drill) Results() []DrillResult { return slices.Clone(d.results) }

// Answer records the trainee's choice for the current question: an action
// and, for escalate, the reason (the "why").
func (d *Drill) Answer(action bot.Action, reason bot.Reason) (DrillResult, error) {
	q, ok := d.Current()
	if !ok {
		return DrillResult{}, errors.New(msg(d.lang, "the drill is finished", "ドリルは終了しています"))
	}
	switch action {
	case bot.ActionAnswer, bot.ActionClarify:
		reason = bot.ReasonNone
	case bot.ActionEscalate:
		if !slices.Contains(Reasons, reason) {
			return DrillResult{}, errors.New(msg(d.lang, "an escalation needs a reason: one of %s", "エスカレーションには理由が必要です。次のいずれか：%s", joinReasons(d.lang)))
		}
	default:
		return DrillResult{}, errors.New(msg(d.lang, "the action must be answer, clarify or escalate, not %q", "判断は回答・確認・エスカレーションのいずれかです（%q ではありません）", action))
	}
	exp := d.expected[len(d.results)]
	r := DrillResult{Question: q, Action: action, Reason: reason, ExpectedAction: exp.Action, ExpectedReason: exp.Reason,
		Rules: exp.Explanation.Rules, MaxPoints: 1}
	r.ActionRight = action == exp.Action
	if r.ActionRight {
		r.Points++
	}
	if exp.Action == bot.ActionEscalate {
		r.MaxPoints = 2
		r.ReasonRight = r.ActionRight && reason == exp.Reason
		if r.ReasonRight {
			r.Points++
		}
	}
	r.Explanation = explainPolicy(exp, d.lang, d.rules)
	d.results = append(d.results, r)
	return r, nil
}

// Score returns the points won and the points possible so far.
func (d *Drill) Score() (points, max int) {
	for _, r := range d.results {
		points += r.Points
		max += r.MaxPoints
	}
	return points, max
}

// Reasons are the escalation reasons a trainee can give.
var Reasons = []bot.Reason{bot.ReasonHumanRequested, bot.ReasonSensitive, bot.ReasonComplaint,
	bot.ReasonMultiIssue, bot.ReasonUnresolved, bot.ReasonNoProgress}

// joinReasons lists the reasons: by name in English, numbered with their
// labels in Japanese (the plain drill takes numbers too).
func joinReasons(lang string) string {
	var s []string
	for i, r := range Reasons {
		if lang == "ja" {
			s = append(s, fmt.Sprintf("%d %s", i+1, ReasonLabel(r, lang)))
		} else {
			s = append(s, string(r))
		}
	}
	return strings.Join(s, msg(lang, ", ", "、"))
}

// ReasonLabel names an escalation reason in lang.
func ReasonLabel(r bot.Reason, lang string) string { return handoff.ReasonLabel(r, lang) }

// explainPolicy says, in lang, why the bot's policy gives this decision.
func explainPolicy(d bot.Decision, lang string, rules *bot.Rules) string {
	switch d.Action {
	case bot.ActionEscalate:
		return msg(lang, "Escalate: %s. The bot hands over whenever a customer %s.", "エスカレーション：%s。%s場合、ボットは担当者に引き継ぎます。",
			ReasonLabel(d.Reason, lang), whenText(d.Reason, lang))
	case bot.ActionClarify:
		if d.Intent == "" && len(d.Choices) == 0 {
			return msg(lang, "Clarify: the message is outside the shop's topics, so the bot says what it can help with.",
				"確認：お店の対象外の話題なので、ボットは対応できる内容を案内します。")
		}
		return msg(lang, "Clarify: no topic is clear enough (or the top two are too close), so the bot offers numbered choices.",
			"確認：話題が特定できない（上位2つが近すぎる）ため、ボットは番号付きの選択肢を出します。")
	}
	topic := d.Intent
	if rules != nil {
		if label := rules.Label(d.Intent, lang); label != "" {
			topic = label
		}
	}
	return msg(lang, "Answer: the topic (%s) is clear and needs no person, so the bot gives the self-service answer.",
		"回答：話題（%s）が明確で担当者は不要なため、ボットがセルフサービスの回答をします。", topic)
}

func whenText(r bot.Reason, lang string) string {
	l := map[bot.Reason][2]string{
		bot.ReasonHumanRequested: {"asks for a person", "お客様が人との会話を求めた"},
		bot.ReasonSensitive:      {"reports a security problem or threatens legal action", "セキュリティの問題や法的措置に触れた"},
		bot.ReasonComplaint:      {"complains, is angry or abusive", "苦情・怒り・暴言があった"},
		bot.ReasonMultiIssue:     {"raises two or more distinct problems in one message", "1つのメッセージに2つ以上の問題がある"},
		bot.ReasonUnresolved:     {"says the bot's answer did not solve it", "ボットの回答で解決しなかったと言われた"},
		bot.ReasonNoProgress:     {"is still unclear after two clarifications", "2回確認しても内容が分からない"},
	}[r]
	if lang == "ja" {
		return l[1]
	}
	return l[0]
}
