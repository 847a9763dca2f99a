package handoff

import (
	"strings"
	"time"
	"unicode"

	"tsunagu/bot"
	"tsunagu/bot/slots"
)

// Fact names an operator may need. Slot facts use the bot's slot names.
const (
	FactCustomer = "customer" // who the customer is (signed-in profile)
	FactOrderID  = slots.OrderID
	FactItem     = "item"
	FactEmail    = slots.Email
	FactPhone    = slots.Phone
	FactAmount   = slots.Amount
	// FactDescription is the customer's own first description of the
	// problem; it answers the descriptive facts (what happened, what kind of
	// problem, the error shown).
	FactDescription = "description"
)

// Customer is who the customer is, when signed in.
type Customer struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// Order is the order the conversation is about.
type Order struct {
	ID     string   `json:"id"`
	Items  []string `json:"items,omitempty"`
	Date   string   `json:"date,omitempty"`
	Status string   `json:"status,omitempty"`
}

// Topic is what the contact flow and the bot established.
type Topic struct {
	Category string `json:"category,omitempty"`
	Subtopic string `json:"subtopic,omitempty"`
	Intent   string `json:"intent,omitempty"`
}

// Facts are everything known about the case.
type Facts struct {
	Customer Customer          `json:"customer"`
	Order    *Order            `json:"order,omitempty"`
	Topic    Topic             `json:"topic"`
	Slots    map[string]string `json:"slots,omitempty"`
}

// Value returns the fact called name, or "" when it is not known.
func (f *Facts) Value(name string) string {
	switch name {
	case FactCustomer:
		if f.Customer.Name != "" {
			return f.Customer.Name
		}
		if f.Customer.ID != "" {
			return f.Customer.ID
		}
	case FactOrderID:
		if f.Order != nil && f.Order.ID != "" {
			return f.Order.ID
		}
	case FactItem:
		if f.Order != nil && len(f.Order.Items) > 0 {
			return strings.Join(f.Order.Items, ", ")
		}
	}
	if v := f.Slots[name]; v != "" || !describedFacts[name] {
		return v
	}
	// The contact flow's sub-topic ("damaged", "wrong_item") already says
	// what kind of problem it is.
	if name == "problem_kind" && f.Topic.Subtopic != "" {
		return f.Topic.Subtopic
	}
	return f.Slots[FactDescription]
}

// Has reports whether the fact called name is known.
func (f *Facts) Has(name string) bool { return f.Value(name) != "" }

// Set records a fact the customer gave.
func (f *Facts) Set(name, value string) {
	if value == "" {
		return
	}
	if f.Slots == nil {
		f.Slots = map[string]string{}
	}
	f.Slots[name] = value
}

// Decision is one bot decision kept in the packet, with its explanation.
type Decision struct {
	Turn       int        `json:"turn"`
	Intent     string     `json:"intent"`
	Confidence float64    `json:"confidence"`
	Action     bot.Action `json:"action"`
	Reason     bot.Reason `json:"reason,omitempty"`
	Rules      []string   `json:"rules,omitempty"`
	Note       string     `json:"note,omitempty"`
}

// DecisionFrom keeps what an operator needs from a bot decision.
func DecisionFrom(d bot.Decision) Decision {
	return Decision{Turn: d.Turn, Intent: d.Intent, Confidence: d.Confidence, Action: d.Action,
		Reason: d.Reason, Rules: d.Explanation.Rules, Note: d.Explanation.Note}
}

// Speakers of transcript lines.
const (
	SpeakerCustomer = "customer"
	SpeakerBot      = "bot"
	SpeakerOperator = "operator"
	SpeakerSystem   = "system"
)

// Line is one transcript entry.
type Line struct {
	At      time.Time `json:"at"`
	Speaker string    `json:"speaker"`
	Name    string    `json:"name,omitempty"` // operator id for operator lines
	Text    string    `json:"text"`
}

// Transfer records one handover the packet went through.
type Transfer struct {
	At    time.Time `json:"at"`
	From  string    `json:"from"`
	To    string    `json:"to,omitempty"`
	Cause Cause     `json:"cause"`
}

// Issue is one of the customer's issues as the conversation's case holds it
// : its intent, where it stands ("open", "answered",
// "resolved"), the customer's own words that raised it, and its facts
// (order, items, amounts, dates).
type Issue struct {
	Intent string            `json:"intent"`
	Status string            `json:"status"`
	Text   string            `json:"text,omitempty"`
	Facts  map[string]string `json:"facts,omitempty"`
}

// Packet is what an operator receives: built once at escalation, it grows
// with every later message and goes with the chat on every transfer. Its JSON
// form is what the store keeps in the escalation event.
type Packet struct {
	Conversation string            `json:"conversation,omitempty"`
	Reason       bot.Reason        `json:"reason"`
	Lang         string            `json:"lang"`    // the customer's language
	Summary      map[string]string `json:"summary"` // one short summary per operator language ("ja", "en")
	Facts        Facts             `json:"facts"`
	Decisions    []Decision        `json:"decisions,omitempty"`
	Transcript   []Line            `json:"transcript"`
	Transfers    []Transfer        `json:"transfers,omitempty"`
	CreatedAt    time.Time         `json:"created_at"`
	// Issues is the conversation's case when the packet was built (or
	// last given one): what the summary names.
	Issues []Issue `json:"issues,omitempty"`
}

// SetCase gives the packet the conversation's case and writes the
// summaries again from it: they name the latest open issues, in the
// customer's words.
func (p *Packet) SetCase(issues []Issue, kb Knowledge) {
	p.Issues = append([]Issue(nil), issues...)
	p.Summary = map[string]string{"ja": p.summarise("ja", kb), "en": p.summarise("en", kb)}
}

// maxSummaryIssues is how many of the latest open issues a summary names.
const maxSummaryIssues = 3

// openIssues returns the latest open issues, at most maxSummaryIssues, in
// the order they were raised.
func (p *Packet) openIssues() []Issue {
	var open []Issue
	for i := len(p.Issues) - 1; i >= 0 && len(open) < maxSummaryIssues; i-- {
		if p.Issues[i].Status == "open" {
			open = append([]Issue{p.Issues[i]}, open...)
		}
	}
	return open
}

// NewPacket builds the packet at escalation. kb supplies the problem
// statement for the summaries; it may be nil.
func NewPacket(at time.Time, conversation string, reason bot.Reason, lang string, facts Facts,
	decisions []Decision, transcript []Line, kb Knowledge) *Packet {
	p := &Packet{Conversation: conversation, Reason: reason, Lang: lang, Facts: facts,
		Decisions: append([]Decision(nil), decisions...), Transcript: append([]Line(nil), transcript...), CreatedAt: at}
	if p.Facts.Slots != nil {
		cp := make(map[string]string, len(p.Facts.Slots))
		for k, v := range p.Facts.Slots {
			cp[k] = v
		}
		p.Facts.Slots = cp
	}
	for _, l := range p.Transcript {
		if l.Speaker == SpeakerCustomer {
			p.learn(l.Text)
		}
	}
	p.Summary = map[string]string{"ja": p.summarise("ja", kb), "en": p.summarise("en", kb)}
	return p
}

// Add appends a transcript line. Facts the customer types (order ids, phone
// numbers, emails, amounts) join the packet's facts.
func (p *Packet) Add(l Line) {
	p.Transcript = append(p.Transcript, l)
	if l.Speaker == SpeakerCustomer {
		p.learn(l.Text)
	}
}

func (p *Packet) learn(text string) {
	for name, v := range slots.Extract(text).Map() {
		if !p.Facts.Has(name) {
			p.Facts.Set(name, v)
		}
	}
	// A customer who has described the problem has answered "what happened?"
	// in their own words; asking again is exactly the repetition the seed's
	// customers hate.
	if !p.Facts.Has(FactDescription) && describesProblem(text) && !asksForPerson(text) {
		p.Facts.Set(FactDescription, text)
	}
	if outcome := wantedOutcome(text); outcome != "" {
		for _, f := range []string{"preferred_outcome", "desired_outcome"} {
			if !p.Facts.Has(f) {
				p.Facts.Set(f, outcome)
			}
		}
	}
}

// describedFacts are the playbook facts a customer's own description of the
// problem answers.
var describedFacts = map[string]bool{"what_happened": true, "problem_kind": true, "error_message": true,
	"item_condition": true, "requested_change": true}

// describesProblem reports whether a customer line is more than a greeting,
// a number or a yes: at least four words, or eight characters of Japanese.
func describesProblem(text string) bool {
	if len(strings.Fields(text)) >= 4 {
		return true
	}
	cjk := 0
	for _, r := range text {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			cjk++
		}
	}
	return cjk >= 8
}

var reasonText = map[bot.Reason][2]string{
	bot.ReasonHumanRequested: {"asked for a person", "担当者との会話を希望"},
	bot.ReasonSensitive:      {"sensitive (security or legal)", "要注意（セキュリティ・法的）"},
	bot.ReasonComplaint:      {"complaint, anger or abuse", "苦情・怒り・暴言"},
	bot.ReasonMultiIssue:     {"several problems at once", "複数の問題"},
	bot.ReasonUnresolved:     {"the bot's answer did not solve it", "ボットの回答で未解決"},
	bot.ReasonNoProgress:     {"the bot could not understand after two clarifications", "2回の確認でも特定できず"},
}

// ReasonLabel is how operators and trainees are told why the bot handed a
// chat over, in lang ("ja", otherwise English): the one wording of each
// reason, used by packet summaries and trainee screens alike.
func ReasonLabel(r bot.Reason, lang string) string {
	l, ok := reasonText[r]
	if !ok {
		return string(r)
	}
	if lang == "ja" {
		return l[1]
	}
	return l[0]
}

// summarise writes the short summary in an operator's language:
// problem, reason, and the key facts.
func (p *Packet) summarise(lang string, kb Knowledge) string {
	var b strings.Builder
	problem := ""
	if open := p.openIssues(); len(open) > 0 {
		// The case says what the customer talks about now, in their words;
		// the menu topic may be long behind them.
		var parts []string
		for _, is := range open {
			what := is.Intent
			if kb != nil {
				if pb, ok := kb.Playbook(is.Intent, lang); ok && pb.Problem != "" {
					what = fill(pb.Problem, lang, &p.Facts)
				}
			}
			if quote := shortQuote(is.Text); quote != "" {
				if lang == "ja" {
					what += "（「" + quote + "」）"
				} else {
					what += ` ("` + quote + `")`
				}
			}
			parts = append(parts, what)
		}
		if lang == "ja" {
			problem = strings.Join(parts, "、")
		} else {
			problem = strings.Join(parts, "; ")
		}
	} else if kb != nil {
		if pb, ok := kb.Playbook(p.Facts.Topic.Intent, lang); ok {
			problem = fill(pb.Problem, lang, &p.Facts)
		}
	}
	if problem == "" {
		problem = p.Facts.Topic.Intent
		if problem == "" {
			problem = map[bool]string{true: "内容未特定", false: "topic not identified"}[lang == "ja"]
		}
	}
	ja := lang == "ja"
	reason := ReasonLabel(p.Reason, map[bool]string{true: "ja", false: "en"}[ja])
	if reason == "" {
		reason = string(p.Reason)
	}
	custLang := languageNames[p.Lang]
	if ja {
		b.WriteString(problem + "。理由：" + reason + "。顧客の言語：" + custLang[1] + "。")
	} else {
		b.WriteString(upperFirst(problem) + ". Reason: " + reason + ". Customer writes in " + custLang[0] + ".")
	}
	return b.String()
}

// maxQuote is the most of a customer's words a one-line summary quotes.
const maxQuote = 60

// shortQuote is text on one line, cut to maxQuote runes with "…".
func shortQuote(text string) string {
	r := []rune(strings.Join(strings.Fields(text), " "))
	if len(r) > maxQuote {
		return string(r[:maxQuote-1]) + "…"
	}
	return string(r)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}
