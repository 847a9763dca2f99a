package bot

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"tsunagu/bot/classify"
	"tsunagu/bot/slots"
)

// Order is what the contact flow knows about the order a conversation is
// about.
type Order struct {
	ID    string
	Items []string
	// Status is processing, shipped, delivered, cancelled or returned.
	Status string
	// StatusDate is when the status last changed (e.g. the shipping date).
	StatusDate time.Time
}

// Facts are what the contact flow collected before the chat started. The bot
// never asks for them again.
type Facts struct {
	// Lang is the profile's language, used until the customer writes.
	Lang         string
	CustomerName string
	SignedIn     bool
	// Order is nil for "not about an order".
	Order *Order
	// Intent is the topic chosen in the menu, e.g. track_order.
	Intent string
	// Now is today for the conversation (the caller's clock), so replies
	// can say that a parcel is late or when a refund is due. The zero
	// value leaves dates out of it.
	Now time.Time
}

// Conversation is the dialogue state of one chat. It is not safe for
// concurrent use; one goroutine drives one conversation.
type Conversation struct {
	engine *Engine
	id     string
	facts  Facts
	lang   string
	turn   int
	// slots collected so far (from the facts and the messages).
	slots map[string]string
	// unclear counts clarifications in a row.
	unclear int
	// choices offered by the last clarification.
	choices []Choice
	// lastAnswer is the intent of the last answer, for "that didn't help".
	lastAnswer string
	// orderStated: the reply being built has already described the order,
	// so {order} becomes "this order" instead of repeating it.
	orderStated bool
	// text is the message being answered ("" for the opening).
	text string
}

// NewConversation starts a dialogue with what the contact flow knows.
func (e *Engine) NewConversation(id string, f Facts) *Conversation {
	if f.Lang != "ja" {
		f.Lang = "en"
	}
	c := &Conversation{engine: e, id: id, facts: f, lang: f.Lang, slots: map[string]string{}}
	if f.Order != nil && f.Order.ID != "" {
		c.slots[slots.OrderID] = f.Order.ID
	}
	return c
}

// Lang is the language of the conversation so far.
func (c *Conversation) Lang() string { return c.lang }

// Slots returns a copy of the facts collected so far.
func (c *Conversation) Slots() map[string]string { return maps.Clone(c.slots) }

// Opening is the bot's first message: who it is, what it already knows, and
// (when the contact flow chose a topic) the answer for that topic, so the
// customer never has to say it again.
func (c *Conversation) Opening() Decision {
	r := c.engine.rules
	lang := c.lang
	vals := c.values(lang)
	var parts []string
	parts = append(parts, fill(r.Messages.Greeting.In(lang), vals))
	d := Decision{Conversation: c.id, Turn: 0, Lang: lang, Slots: c.Slots(), Candidates: []Candidate{}}
	in, ok := r.IntentMap[c.facts.Intent]
	if !ok {
		parts = append(parts, fill(r.Messages.HowCanIHelp.In(lang), vals))
		d.Action = ActionAnswer
		d.Reply = strings.Join(parts, joiner(lang))
		d.Explanation = Explanation{Rules: []string{"state:opening"}, Note: "no topic from the contact flow: greet and ask"}
		return d
	}
	vals["topic"] = c.topicLabel(in.Name, lang)
	if c.facts.Order != nil {
		parts = append(parts, fill(r.Messages.Known.In(lang), vals))
		c.orderStated = true
		defer func() { c.orderStated = false }()
	}
	d.Intent = in.Name
	d.Confidence = 1
	d.Candidates = []Candidate{{Intent: in.Name, Score: 1}}
	body := c.act(in, lang, &d, []string{"state:opening", "context:topic"})
	parts = append(parts, body)
	d.Reply = strings.Join(parts, joiner(lang))
	d.Explanation.Note = "topic chosen in the contact flow: " + d.Explanation.Note
	return d
}

func joiner(lang string) string {
	if lang == "ja" {
		return ""
	}
	return " "
}

// topicLabel names the topic as the menu did, e.g. "Delivery: Not arrived".
func (c *Conversation) topicLabel(intent, lang string) string {
	r := c.engine.rules
	if cat, t, ok := r.TopicOf(intent); ok {
		if lang == "ja" {
			return cat.Label.JA + "：" + t.Label.JA
		}
		return strings.ToLower(t.Label.EN)
	}
	return r.Label(intent, lang)
}

// Respond reads one customer message and decides what to do.
func (c *Conversation) Respond(text string) Decision {
	c.turn++
	c.text = text
	e := c.engine
	r := e.rules
	cls := e.Classify(text, c.lang, c.facts.Intent, true)
	c.lang = cls.Lang
	lang := c.lang
	maps.Copy(c.slots, slots.Extract(text).Map())

	d := Decision{
		Conversation: c.id, Turn: c.turn, Lang: lang,
		Candidates: topCandidates(cls.Candidates, 5),
	}
	var fired []string
	for _, k := range triggerKeys {
		if id, ok := cls.Triggers[k]; ok {
			fired = append(fired, id)
		}
	}
	for _, name := range e.classes {
		if id, ok := cls.Patterns[name]; ok {
			fired = append(fired, id)
		}
	}
	top := cls.Top()
	d.Explanation.Features = cls.Features

	// A number answers the last clarification.
	if n, ok := choiceNumber(text); ok && len(c.choices) > 0 {
		if n >= 1 && n <= len(c.choices) {
			ch := c.choices[n-1]
			in := r.IntentMap[ch.Intent]
			d.Intent, d.Confidence = ch.Intent, 1
			d.Candidates = []Candidate{{Intent: ch.Intent, Score: 1}}
			d.Explanation.Features = nil
			c.choices = nil
			c.unclear = 0
			d.Reply = c.act(in, lang, &d, append(fired, fmt.Sprintf("state:choice_picked:%d", n)))
			d.Explanation.Note = fmt.Sprintf("customer picked choice %d: %s", n, d.Explanation.Note)
			d.Slots = c.Slots()
			return d
		}
	}
	intent := ""
	if cls.InScope {
		intent = top.Intent
	}
	d.Intent = intent
	d.Confidence = round(top.Score)
	if intent == "" {
		d.Confidence = 0
	}

	escalate := func(reason Reason, intent string, rule, note string) Decision {
		d.Action, d.Reason, d.Intent = ActionEscalate, reason, intent
		d.Confidence = 0
		for _, cand := range cls.Candidates {
			if cand.Intent == intent {
				d.Confidence = round(cand.Score)
			}
		}
		msg := r.Messages.Escalation[string(reason)].In(lang)
		if legal := r.Messages.Escalation["legal"].In(lang); d.legal && legal != "" {
			msg = legal
		}
		d.Reply = fill(msg, c.values(lang))
		d.Explanation.Rules = append(fired, rule)
		d.Explanation.Note = note
		d.Slots = c.Slots()
		c.choices, c.unclear = nil, 0
		return d
	}
	orIntent := func(fallback string) string {
		if intent != "" {
			return intent
		}
		return fallback
	}
	_, legal := cls.Triggers["legal"]
	legalRule, legalBy := "policy:legal", "the legal trigger "+cls.Triggers["legal"]
	if part, score, ok := c.partWithRole(cls, RoleLegal, r.Policy.LegalMin); ok {
		legal, legalRule = true, "clause:legal:"+part
		legalBy = fmt.Sprintf("the clause %q, read as a legal threat %.2f", part, score)
	}
	_, sensitive := cls.Triggers["sensitive"]
	if c.offTopic(cls) {
		// The weather, a joke: not about the shop, whatever intent the
		// scorer leans to.
		cls.InScope, intent = false, ""
		d.Intent, d.Confidence = "", 0
		fired = append(fired, "clause:off_topic")
	}
	issues, vague := c.issues(&cls)
	if len(issues) == 1 && issues[0].part != nil && (!cls.InScope || conversational(intent)) {
		// "Hi there! Where is my parcel?": the greeting is not the
		// request; the clause that raises the issue is.
		whole := cls
		cls = *issues[0].part
		cls.Parts, cls.Triggers = whole.Parts, whole.Triggers
		top = cls.Top()
		d.Candidates = topCandidates(cls.Candidates, 5)
		intent = ""
		if cls.InScope {
			intent = top.Intent
		}
		d.Intent, d.Confidence = intent, round(top.Score)
		fired = append(fired, "clause:issue:"+top.Intent)
		d.Explanation.Decided = fmt.Sprintf("the clause %q, read as %s %.2f", issues[0].Text, top.Intent, top.Score)
	}
	if len(issues) == 1 {
		d.Issues = issues
	}
	// Explicit trigger words first, in order of gravity; then the state
	// rule "that didn't help"; then intents that always go to a person
	// (even when the scorer is unsure, a likely request for a person or a
	// security problem is not worth a clarification); then multi-issue.
	switch {
	case legal:
		// The threat is about the issue the message raises, else it is a
		// complaint.
		d.legal = true
		d.Explanation.Decided = legalBy
		about := "complaint"
		if len(issues) > 0 {
			about = issues[0].Intent
		} else if intent != "" && !conversational(intent) {
			about = intent
		}
		return escalate(ReasonSensitive, about, legalRule, "legal threat: escalate as sensitive, to a specialist")
	case sensitive:
		d.Explanation.Decided = "the sensitive trigger " + cls.Triggers["sensitive"]
		return escalate(ReasonSensitive, orIntent("account_security"), "policy:sensitive", "account security: escalate as sensitive")
	case hasKey(cls.Triggers, "human_request"):
		d.Explanation.Decided = "the human_request trigger " + cls.Triggers["human_request"]
		return escalate(ReasonHumanRequested, orIntent("contact_human_agent"), "policy:human_requested", "the customer asked for a person: escalate")
	case hasKey(cls.Triggers, "anger"):
		d.Explanation.Decided = "the anger trigger " + cls.Triggers["anger"]
		return escalate(ReasonComplaint, orIntent("complaint"), "policy:anger", "anger or abuse: escalate as a complaint")
	case hasKey(cls.Triggers, "not_helped") && c.lastAnswer != "":
		d.Explanation.Decided = fmt.Sprintf("the not_helped trigger %s after the answer for %s", cls.Triggers["not_helped"], c.lastAnswer)
		return escalate(ReasonUnresolved, c.lastAnswer, "policy:unresolved", "the customer says the answer did not help: escalate")
	case intent == "account_security" && r.IntentMap[intent].Escalate != "":
		return escalate(ReasonSensitive, intent, "policy:sensitive", "account security: escalate as sensitive")
	case intent == "contact_human_agent" && r.IntentMap[intent].Escalate != "":
		return escalate(ReasonHumanRequested, intent, "policy:human_requested", "the customer asked for a person: escalate")
	}
	if len(issues) >= 2 {
		d.Issues = issues
		var by []string
		for _, is := range issues {
			by = append(by, fmt.Sprintf("%q read as %s %.2f", is.Text, is.Intent, is.Confidence))
		}
		d.Explanation.Decided = "the clauses " + strings.Join(by, "; ")
		return escalate(ReasonMultiIssue, issues[0].Intent, "policy:multi_issue:"+issues[1].Intent,
			fmt.Sprintf("%d distinct problems in one message (%s): escalate", len(issues), issueList(issues)))
	}
	if vague {
		return c.clarifyVague(&d, fired, cls)
	}

	// Unclear: out of scope, not confident, or too close to call.
	pol := r.Policy
	unclear := ""
	switch {
	case !cls.InScope:
		unclear = "policy:out_of_scope"
	case hasKey(cls.Patterns, top.Intent) && top.Score < pol.MinConfidenceWithPattern.In(lang):
		unclear = "policy:min_confidence_with_pattern"
	case !hasKey(cls.Patterns, top.Intent) && c.isBareTopic(cls) && top.Score < pol.MinConfidenceShort.In(lang):
		unclear = "policy:min_confidence_short"
	case !hasKey(cls.Patterns, top.Intent) && top.Score < pol.MinConfidence.In(lang):
		unclear = "policy:min_confidence"
	case cls.Margin() < pol.ClarifyMargin.In(lang) && !(hasKey(cls.Patterns, top.Intent) && cls.Margin() >= pol.ClarifyMargin.In(lang)/2) && !c.sameOrderReply(cls):
		// A pattern-confirmed top intent needs half the margin.
		unclear = "policy:clarify_margin"
	}
	if unclear != "" {
		if c.unclear >= pol.MaxClarifications {
			return escalate(ReasonNoProgress, intent, "policy:no_progress", fmt.Sprintf("%d clarifications in a row did not help: escalate", c.unclear))
		}
		c.unclear++
		d.Action = ActionClarify
		d.Explanation.Rules = append(fired, unclear)
		if !cls.InScope {
			c.choices = nil
			for i, name := range r.Policy.OutOfScopeOffer {
				c.choices = append(c.choices, Choice{Number: i + 1, Intent: name, Label: r.Label(name, lang)})
			}
			d.Choices = c.choices
			d.Reply = c.choicesText(r.Messages.OutOfScope.In(lang), lang)
			d.Explanation.Note = fmt.Sprintf("the message is outside the shop's topics (coverage %.2f): say what the bot can help with", cls.Coverage)
		} else {
			c.choices = c.offer(cls.Candidates, lang)
			d.Choices = c.choices
			d.Reply = c.choicesText(r.Messages.Clarify.In(lang), lang)
			d.Explanation.Note = fmt.Sprintf("top intent %.2f, margin %.2f: clarify", top.Score, cls.Margin())
		}
		d.Slots = c.Slots()
		return d
	}
	c.unclear = 0
	c.choices = nil
	d.Reply = c.act(r.IntentMap[intent], lang, &d, fired)
	d.Slots = c.Slots()
	return d
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// issues returns the distinct issues a message raises, in order: one per
// clause that raises one. A clause raises an issue when it
// reads as a problem (rules/clauses.yaml) about a confidently read intent;
// the first one may also be a remedy or a detail ("I'd like to return the
// dress"). A remedy or a detail after it is about the same issue ("broken,
// I'd like a replacement"), and so is a clause whose intents overlap an
// earlier issue's by at least same_issue_overlap ("It's late. When will it
// come?"). vague reports a message that raises nothing and says only that
// there is something ("I have a problem", 「ちょっと困っているのですが」).
func (c *Conversation) issues(cls *Classification) (out []Issue, vague bool) {
	e := c.engine
	pol := e.rules.Policy
	var dists [][]float64
	saidVague, saidOther := false, false
	for i := range cls.Parts {
		p := &cls.Parts[i]
		sure := p.RoleScore >= pol.ClauseRoleMin
		switch {
		case p.Role == RoleVague && p.RoleScore >= pol.VagueMin && p.RoleCoverage >= pol.ClauseMinCoverage.In(cls.Lang):
			saidVague = true
			continue
		case p.Role == RoleVague && sure:
			continue // vague, but not surely: neither a topic nor "there is something"
		case p.Role == RoleSocial && sure:
			continue
		case p.saysNoIssue(pol.NoIssueMin):
			saidOther = true // off-topic: not vague, and no issue
			continue
		}
		saidOther = true
		// A remedy or a detail after an issue is about that issue.
		raises := p.Role == RoleProblem && sure || len(out) == 0 && p.Role != RoleSocial && p.Role != RoleVague
		if !raises || conversational(p.Intent) || p.Score < pol.ClauseMinConfidence.In(cls.Lang) {
			continue
		}
		cands := cls.Candidates
		if p.cls != nil {
			cands = p.cls.Candidates
		}
		dist := make([]float64, len(e.classes))
		for _, cand := range cands {
			dist[e.index[cand.Intent]] = cand.Score
		}
		same := false
		for k, prev := range out {
			if prev.Intent == p.Intent || overlap(dists[k], dist) >= pol.SameIssueOverlap {
				same = true
				break
			}
		}
		if same {
			continue
		}
		dists = append(dists, dist)
		out = append(out, Issue{Intent: p.Intent, Confidence: round(p.Score), Text: p.Text, part: p.cls})
	}
	// A topic the rules name by a pattern, or the scorer reads with
	// near certainty, is not vague ("I have a problem paying").
	top := cls.Top()
	_, named := cls.Patterns[top.Intent]
	named = named || !conversational(top.Intent) && top.Score >= pol.VagueMaxConfidence
	return out, saidVague && !saidOther && !named
}

// overlap is how much two readings agree: the sum over intents of the
// smaller of the two scores (1: the same reading, 0: nothing in common).
func overlap(a, b []float64) float64 {
	sum := 0.0
	for i := range a {
		sum += min(a[i], b[i])
	}
	return sum
}

// partWithRole returns the text of the first clause that surely has role.
func (c *Conversation) partWithRole(cls Classification, role string, min float64) (string, float64, bool) {
	for _, p := range cls.Parts {
		if p.Role == role && p.RoleScore >= min && p.RoleCoverage >= c.engine.rules.Policy.ClauseMinCoverage.In(cls.Lang) {
			return p.Text, p.RoleScore, true
		}
	}
	return "", 0, false
}

// offTopic reports a message every clause of which is surely about
// something other than the shop (rules/clauses.yaml), and that names no
// topic by a pattern.
func (c *Conversation) offTopic(cls Classification) bool {
	pol := c.engine.rules.Policy
	if _, named := cls.Patterns[cls.Top().Intent]; len(cls.Parts) == 0 || named {
		return false
	}
	for _, p := range cls.Parts {
		// Unknown words are less reason to doubt it here (a message about
		// something else is full of them), so it has its own coverage.
		if p.Role != RoleOffTopic || p.RoleScore < pol.OffTopicMin || p.RoleCoverage < pol.OffTopicMinCoverage.In(cls.Lang) {
			return false
		}
	}
	return true
}

func issueList(issues []Issue) string {
	names := make([]string, len(issues))
	for i, is := range issues {
		names[i] = is.Intent
	}
	return strings.Join(names, ", ")
}

// clarifyVague answers a message that says there is something without
// saying what: it never answers a topic, it offers the likely ones (the
// menu's topic, then what the order's status makes likely, then the
// rules' vague_offer).
func (c *Conversation) clarifyVague(d *Decision, fired []string, cls Classification) Decision {
	r := c.engine.rules
	lang := d.Lang
	pol := r.Policy
	if c.unclear >= pol.MaxClarifications {
		d.Action, d.Reason = ActionEscalate, ReasonNoProgress
		d.Reply = fill(r.Messages.Escalation[string(ReasonNoProgress)].In(lang), c.values(lang))
		d.Explanation.Rules = append(fired, "policy:no_progress")
		d.Explanation.Note = fmt.Sprintf("%d clarifications in a row did not help: escalate", c.unclear)
		d.Slots = c.Slots()
		c.choices, c.unclear = nil, 0
		return *d
	}
	c.unclear++
	var likely []string
	add := func(names ...string) {
		for _, n := range names {
			if _, ok := r.IntentMap[n]; ok && !slices.Contains(likely, n) && len(likely) < pol.MaxChoices {
				likely = append(likely, n)
			}
		}
	}
	add(c.facts.Intent)
	if o := c.facts.Order; o != nil {
		add(pol.LikelyTopics[o.Status]...)
	}
	add(pol.VagueOffer...)
	c.choices = nil
	for i, name := range likely {
		c.choices = append(c.choices, Choice{Number: i + 1, Intent: name, Label: r.Label(name, lang)})
	}
	d.Action, d.Intent, d.Confidence = ActionClarify, "", 0
	d.Choices = c.choices
	msg := r.Messages.Vague.In(lang)
	if msg == "" {
		msg = r.Messages.Clarify.In(lang)
	}
	d.Reply = c.choicesText(msg, lang)
	d.Explanation.Rules = append(fired, "clause:vague")
	for _, p := range cls.Parts {
		if p.Role == RoleVague {
			d.Explanation.Decided = fmt.Sprintf("the clause %q, read as vague %.2f", p.Text, p.RoleScore)
			break
		}
	}
	d.Explanation.Note = "the message says there is something but not what: ask, offering the likely topics"
	d.Explanation.Features = nil
	d.Slots = c.Slots()
	return *d
}

func conversational(intent string) bool { return intent == "greeting" || intent == "goodbye" }

// act answers (or escalates) a chosen intent, and records it in d.
func (c *Conversation) act(in *Intent, lang string, d *Decision, fired []string) string {
	r := c.engine.rules
	d.Explanation.Rules = fired
	if in.Escalate != "" {
		d.Action, d.Reason = ActionEscalate, in.Escalate
		d.Explanation.Rules = append(d.Explanation.Rules, "intent:"+in.Name+":escalate")
		d.Explanation.Note = fmt.Sprintf("intent %s always goes to a person (%s)", in.Name, in.Escalate)
		c.lastAnswer = ""
		return fill(r.Messages.Escalation[string(in.Escalate)].In(lang), c.values(lang))
	}
	d.Action = ActionAnswer
	c.lastAnswer = in.Name
	if in.NeedsAccount && !c.facts.SignedIn {
		d.Explanation.Rules = append(d.Explanation.Rules, "state:needs_account")
		d.Explanation.Note = fmt.Sprintf("answer %s: it needs an account and the customer is not signed in", in.Name)
		return fill(r.Messages.NeedsAccount.In(lang), c.values(lang))
	}
	p := in.In(lang)
	reply := p.Reply
	if _, known := c.slots[slots.OrderID]; !known && p.ReplyNoOrder != "" {
		reply = p.ReplyNoOrder
		d.Explanation.Rules = append(d.Explanation.Rules, "state:no_order_known")
	}
	if v, id := c.engine.variant(in, c.text); v != nil && v.In(lang).Reply != "" {
		reply = v.In(lang).Reply
		d.Explanation.Rules = append(d.Explanation.Rules, "variant:"+in.Name+"/"+id)
	}
	if o, k, ok := c.orderReply(in); ok {
		reply = o
		d.Explanation.Rules = append(d.Explanation.Rules, fmt.Sprintf("order:%s:%d", in.Name, k))
		d.Explanation.Note = fmt.Sprintf("answer %s from the order's status (%s, %d days)", in.Name, c.facts.Order.Status, c.daysSinceStatus())
	}
	if d.Explanation.Note == "" {
		d.Explanation.Note = fmt.Sprintf("answer %s", in.Name)
	}
	return fill(reply, c.values(lang))
}

// orderReply is the intent's reply for the order as it stands, with the
// index of the rule that chose it, when one applies.
func (c *Conversation) orderReply(in *Intent) (string, int, bool) {
	o := c.facts.Order
	if o == nil || o.StatusDate.IsZero() || len(in.OrderReplies) == 0 {
		return "", 0, false // the replies speak of the date
	}
	if id, ok := c.slots[slots.OrderID]; ok && id != o.ID {
		return "", 0, false // the customer is asking about another order
	}
	days := c.daysSinceStatus()
	for k, rep := range in.OrderReplies {
		if !slices.Contains(rep.Status, o.Status) {
			continue
		}
		if rep.MinDays > 0 && (days < 0 || days < rep.MinDays) {
			continue
		}
		if rep.Overdue != nil {
			due := c.refundDue()
			if due.IsZero() || c.facts.Now.IsZero() || c.facts.Now.After(due) != *rep.Overdue {
				continue
			}
		}
		text := rep.EN
		if c.lang == "ja" {
			text = rep.JA
		}
		return text, k, true
	}
	return "", 0, false
}

// sameOrderReply reports that the two best intents would get the same
// reply from the order ("it hasn't arrived, when will it come?" is
// tracking or delivery time, and either way the parcel is late): asking
// which would not change the answer.
func (c *Conversation) sameOrderReply(cls Classification) bool {
	if len(cls.Candidates) < 2 {
		return false
	}
	r := c.engine.rules
	a, b := r.IntentMap[cls.Candidates[0].Intent], r.IntentMap[cls.Candidates[1].Intent]
	if a == nil || b == nil {
		return false
	}
	ra, _, okA := c.orderReply(a)
	rb, _, okB := c.orderReply(b)
	return okA && okB && ra == rb
}

// daysSinceStatus counts the calendar days since the order's status
// changed, or -1 when today or the date is not known.
func (c *Conversation) daysSinceStatus() int {
	o := c.facts.Order
	if o == nil || o.StatusDate.IsZero() || c.facts.Now.IsZero() {
		return -1
	}
	y1, m1, d1 := o.StatusDate.Date()
	y2, m2, d2 := c.facts.Now.In(o.StatusDate.Location()).Date()
	a := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
	b := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// refundDue is the day a refund should reach the customer: refund_days
// business days after the return arrived (the status date).
func (c *Conversation) refundDue() time.Time {
	o := c.facts.Order
	if o == nil || o.StatusDate.IsZero() {
		return time.Time{}
	}
	return addBusinessDays(o.StatusDate, c.engine.rules.Policy.RefundDays)
}

// addBusinessDays moves n days forward, skipping Saturdays and Sundays.
func addBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// offer builds the numbered choices of a clarification from the best
// candidates, skipping greeting and goodbye.
func (c *Conversation) offer(cands []Candidate, lang string) []Choice {
	r := c.engine.rules
	var out []Choice
	for _, cand := range cands {
		if len(out) == r.Policy.MaxChoices {
			break
		}
		if conversational(cand.Intent) || (len(out) >= 2 && cand.Score < 0.05) {
			continue
		}
		out = append(out, Choice{Number: len(out) + 1, Intent: cand.Intent, Label: r.Label(cand.Intent, lang)})
	}
	return out
}

// choicesText is a question followed by the numbered choices on offer and
// the hint that a number picks one.
func (c *Conversation) choicesText(question, lang string) string {
	r := c.engine.rules
	var b strings.Builder
	b.WriteString(fill(question, c.values(lang)))
	if len(c.choices) == 0 {
		return b.String()
	}
	for _, ch := range c.choices {
		fmt.Fprintf(&b, "\n%d. %s", ch.Number, ch.Label)
	}
	b.WriteString("\n")
	b.WriteString(r.Messages.ChoiceHint.In(lang))
	return b.String()
}

// choiceNumber reads "2", "２", "2.", "2番", "2つ目" or "#2" as a choice.
func choiceNumber(text string) (int, bool) {
	s := strings.TrimSpace(norm.NFKC.String(text))
	s = strings.TrimPrefix(s, "#")
	for _, suffix := range []string{"番目", "番", "つ目", ".", ")", "です"} {
		s = strings.TrimSuffix(s, suffix)
	}
	s = strings.TrimSpace(s)
	if len(s) != 1 || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// values are the placeholders a reply can use.
func (c *Conversation) values(lang string) map[string]string {
	r := c.engine.rules
	v := map[string]string{
		"shop_name":   r.Shop.Name.In(lang),
		"shop_phone":  r.Shop.Phone,
		"phone_hours": r.Shop.PhoneHours,
		"shop_email":  r.Shop.Email,
		"shop_web":    r.Shop.Web,
		"name":        c.facts.CustomerName,
		"order":       r.Messages.AnyOrder.In(lang),
		"status":      "",
	}
	if c.facts.CustomerName != "" {
		v["name_suffix"] = " " + c.facts.CustomerName
		v["name_prefix"] = c.facts.CustomerName + "様、"
	} else {
		v["name_suffix"], v["name_prefix"] = "", ""
	}
	for k, val := range c.slots {
		v[k] = val
	}
	v["order_id_or_order"] = v["order"]
	if id, ok := c.slots[slots.OrderID]; ok {
		v["order_id_or_order"] = id
		v["order"] = c.orderLine(id, lang)
		v["status"] = c.statusText(lang)
		if c.orderStated {
			v["order"] = map[string]string{"en": "this order", "ja": "こちらのご注文"}[langOrEN(lang)]
		}
	}
	if o := c.facts.Order; o != nil && !o.StatusDate.IsZero() {
		v["status_date"] = formatDate(o.StatusDate, lang)
		if n := c.daysSinceStatus(); n >= 0 {
			v["days"] = strconv.Itoa(n)
		}
		if due := c.refundDue(); !due.IsZero() {
			v["refund_by"] = formatDate(due, lang)
		}
	}
	if v["status"] == "" {
		v["status"] = map[string]string{"en": "in progress", "ja": "手配中"}[langOrEN(lang)]
	}
	return v
}

// orderLine says what the bot knows about the order:
// "order 250-1234567-1234567 (wireless earbuds, shipped 24 Nov)".
func (c *Conversation) orderLine(id, lang string) string {
	o := c.facts.Order
	if o == nil || o.ID != id {
		if lang == "ja" {
			return "ご注文 " + id
		}
		return "order " + id
	}
	var details []string
	if len(o.Items) > 0 {
		items := o.Items[0]
		if len(o.Items) > 1 {
			if lang == "ja" {
				items += fmt.Sprintf("ほか%d点", len(o.Items)-1)
			} else {
				items += fmt.Sprintf(" and %d more", len(o.Items)-1)
			}
		}
		details = append(details, items)
	}
	if s := c.statusText(lang); s != "" {
		details = append(details, s)
	}
	if lang == "ja" {
		if len(details) == 0 {
			return "ご注文 " + id
		}
		return "ご注文 " + id + "（" + strings.Join(details, "、") + "）"
	}
	if len(details) == 0 {
		return "order " + id
	}
	return "order " + id + " (" + strings.Join(details, ", ") + ")"
}

// statusText renders the order status with its date: "shipped 24 Nov",
// 「11月24日 発送済み」.
func (c *Conversation) statusText(lang string) string {
	o := c.facts.Order
	if o == nil || o.Status == "" {
		return ""
	}
	label := o.Status
	if t, ok := c.engine.rules.Messages.OrderStatuses[o.Status]; ok && t.In(lang) != "" {
		label = t.In(lang)
	}
	if o.StatusDate.IsZero() {
		return label
	}
	if lang == "ja" {
		return fmt.Sprintf("%d月%d日 %s", o.StatusDate.Month(), o.StatusDate.Day(), label)
	}
	return label + " " + o.StatusDate.Format("2 Jan")
}

// formatDate writes a date as the bot does: 「11月24日」, "24 Nov".
func formatDate(t time.Time, lang string) string {
	if lang == "ja" {
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	}
	return t.Format("2 Jan")
}

func langOrEN(lang string) string {
	if lang == "ja" {
		return "ja"
	}
	return "en"
}

// isBareTopic reports a message too short to be a request: a topic word or
// two ("invoice", "my account", 「注文について」).
func (c *Conversation) isBareTopic(cls Classification) bool {
	pol := c.engine.rules.Policy
	if cls.Lang == "ja" {
		n := 0
		for _, r := range cls.Normalized {
			if classify.IsJapanese(r) {
				n++
			}
		}
		return n <= pol.ShortChars
	}
	return len(strings.Fields(cls.Normalized)) <= pol.ShortWords
}
