package handoff

import (
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"tsunagu/bot/classify"
	"tsunagu/bot/slots"
)

// StepKind is one kind of thing a simulated operator does.
type StepKind string

// Operator steps. Asking for a fact is its own step so that the invariant
// "never ask for a fact the packet holds" can be checked.
const (
	StepGreet      StepKind = "greet"       // first operator: name, handover from the bot, the open issues restated
	StepHandover   StepKind = "handover"    // a later operator: acknowledges the transfer, restates the open issues
	StepAsk        StepKind = "ask"         // asks for one missing fact (Step.Fact)
	StepRephrase   StepKind = "rephrase"    // basic level: asks the customer to say it more simply
	StepAck        StepKind = "ack"         // acknowledges a customer message
	StepIssue      StepKind = "issue"       // acknowledges an issue the customer has just raised
	StepAnswer     StepKind = "answer"      // answers the customer's question
	StepSorry      StepKind = "sorry"       // apologises to an upset customer, and says where things stand
	StepRetry      StepKind = "retry"       // what was done did not help: the operator does something else
	StepResolve    StepKind = "resolve"     // one resolution step of the issue at hand
	StepTransfer   StepKind = "transfer"    // passes the chat to a colleague with the skill for an issue
	StepOfferClose StepKind = "offer_close" // every issue is dealt with; offers to close the chat
	StepBye        StepKind = "bye"         // the customer is done: thanks them; the chat closes
)

// Step is one operator action with the text the customer sees.
type Step struct {
	Kind   StepKind `json:"kind"`
	Fact   string   `json:"fact,omitempty"`
	Intent string   `json:"intent,omitempty"` // the issue the step is about
	Text   string   `json:"text"`
	// Status is what the issue becomes once the step is said: resolved
	// after its last resolution step or a retry, answered after an answer.
	Status string `json:"status,omitempty"`
	// heard is how many customer messages the desk had when it planned the
	// step: the step answers them.
	heard int
}

// notes are what the desk remembers of a chat across operators: the plan of
// work, what was said and asked, and how the customer feels. An operator who
// takes over carries on from them, and so never asks twice.
type notes struct {
	agenda      []string          // issues to work on, in order
	folded      map[string]string // an earlier issue → the issue that took its place
	said        map[string]int    // resolution steps said, per issue
	asked       map[string]bool   // facts asked for
	retries     map[string]int    // "that didn't help", per issue
	transferred map[string]bool   // issues the chat was passed on for
	planned     bool              // the agenda was built from the packet
	last        string            // the issue last worked on
	noAsks      bool              // the customer is upset: no more questions, just the fix
	urgent      bool              // the operator has said they know it is urgent
}

func newNotes() *notes {
	return &notes{folded: map[string]string{}, said: map[string]int{}, asked: map[string]bool{},
		retries: map[string]int{}, transferred: map[string]bool{}}
}

// operatorBrain decides what one operator says, from the packet as it is at
// that moment and the chat's notes. The sim and the desk share it.
type operatorBrain struct {
	op       *Operator
	lang     string // the customer's language: operators always write in it
	kb       Knowledge
	reader   Reader
	n        *notes
	prevName string
	greeted  bool
	offered  bool
	back     bool           // the operator takes back a chat they served before
	planned  map[string]int // resolution steps planned by this operator, per issue
	// canPass reports that a colleague could take an issue of a skill group
	// this operator lacks; nil: the operator works on everything (the sim).
	canPass func(group string) bool
}

func newBrain(op *Operator, p *Packet, kb Knowledge, prev *Operator, n *notes) *operatorBrain {
	if n == nil {
		n = newNotes()
	}
	b := &operatorBrain{op: op, lang: p.Lang, kb: kb, n: n, planned: map[string]int{}}
	if r, ok := kb.(Reader); ok {
		b.reader = r
	}
	if prev != nil {
		b.prevName = prev.DisplayName(p.Lang)
	}
	for in, k := range n.said {
		b.planned[in] = k
	}
	if !n.planned {
		n.planned = true
		b.plan(p)
	}
	return b
}

func (b *operatorBrain) level() Level {
	lv := b.op.Level(b.lang)
	if lv == LevelNone {
		return LevelBasic
	}
	return lv
}

func (b *operatorBrain) joiner() string {
	if b.lang == "ja" {
		return ""
	}
	return " "
}

func (b *operatorBrain) say(id string, pairs ...string) string {
	return phrase(id, b.level(), b.lang, pairs...)
}

func (b *operatorBrain) playbook(intent string) (Playbook, bool) {
	if b.kb == nil || intent == "" {
		return Playbook{}, false
	}
	return b.kb.Playbook(intent, b.lang)
}

// plan builds the agenda from the packet's issues: the latest open issue
// first, then the earlier ones; an issue that replaces an earlier one folds
// it in. A packet without issues is about its topic. Native and fluent
// speakers pick up urgency already in the transcript.
func (b *operatorBrain) plan(p *Packet) {
	if len(p.Issues) == 0 && p.Facts.Topic.Intent != "" {
		p.RaiseIssue(p.Facts.Topic.Intent, "")
	}
	for i := len(p.Issues) - 1; i >= 0; i-- {
		if p.Issues[i].Status == IssueOpen {
			b.consider(p, p.Issues[i].Intent)
		}
	}
	if b.level() >= LevelFluent {
		for _, l := range p.Transcript {
			if l.Speaker == SpeakerCustomer && mentionsDeadline(l.Text) {
				b.n.urgent = true
			}
		}
	}
}

// consider puts an issue on the agenda: after the others, folding in the
// open issues it replaces. An intent no playbook resolves (a greeting, a
// request for a person) is not worked on; it counts as answered.
func (b *operatorBrain) consider(p *Packet, intent string) (folded []string) {
	if slices.Contains(b.n.agenda, intent) || b.n.folded[intent] != "" {
		return nil
	}
	pb, ok := b.playbook(intent)
	if !ok || !pb.Resolving() {
		p.settle(intent, IssueAnswered)
		return nil
	}
	for _, r := range pb.Replaces {
		if p.issueStatus(r) == IssueOpen && b.n.folded[r] == "" {
			b.n.folded[r] = intent
			b.n.agenda = slices.DeleteFunc(b.n.agenda, func(s string) bool { return s == r })
			folded = append(folded, r)
		}
	}
	b.n.agenda = append(b.n.agenda, intent)
	return folded
}

// current is the issue being worked on: the first on the agenda the packet
// does not hold resolved, or "".
func (b *operatorBrain) current(p *Packet) string {
	for _, in := range b.n.agenda {
		if p.issueStatus(in) != IssueResolved {
			return in
		}
	}
	return ""
}

// remaining lists the agenda's unresolved issues, current first.
func (b *operatorBrain) remaining(p *Packet) []string {
	var out []string
	for _, in := range b.n.agenda {
		if p.issueStatus(in) != IssueResolved {
			out = append(out, in)
		}
	}
	return out
}

// idle reports that the operator has nothing left to work on.
func (b *operatorBrain) idle(p *Packet) bool { return b.current(p) == "" }

// text fills a playbook text for the packet, with a capital in English.
func (b *operatorBrain) text(s string, p *Packet) string {
	s = fill(s, b.lang, &p.Facts)
	if b.lang != "ja" {
		s = upperFirst(s)
	}
	return s
}

func (b *operatorBrain) problem(intent string, p *Packet) string {
	if pb, ok := b.playbook(intent); ok && pb.Problem != "" {
		return fill(pb.Problem, b.lang, &p.Facts)
	}
	return fill(b.say(phGeneralProblem), b.lang, &p.Facts)
}

// Next returns the operator's next planned step, or false when there is
// nothing to do until the customer writes. It never returns an ask for a
// fact p holds, or for a fact asked before: asks are chosen here, against
// the packet as it is now.
func (b *operatorBrain) Next(p *Packet) (Step, bool) {
	if !b.greeted {
		b.greeted = true
		switch {
		case b.back:
			return Step{Kind: StepHandover, Text: b.say(phBack)}, true
		case b.prevName != "":
			return Step{Kind: StepHandover, Text: b.greeting(p)}, true
		}
		return Step{Kind: StepGreet, Text: b.greeting(p)}, true
	}
	status := OrderStatus(&p.Facts)
	for {
		in := b.current(p)
		if in == "" {
			// Anything still open that nobody has put on the agenda (raised
			// while the chat moved between operators) goes on it now.
			more := false
			for _, is := range p.Issues {
				if is.Status == IssueOpen && b.n.folded[is.Intent] == "" && !slices.Contains(b.n.agenda, is.Intent) {
					b.consider(p, is.Intent)
					more = true
				}
			}
			if more {
				continue
			}
			break
		}
		pb, _ := b.playbook(in)
		if g := TopicGroup(in); b.canPass != nil && !b.op.HasSkill(g) && !b.n.transferred[in] && b.canPass(g) {
			b.n.transferred[in] = true
			problem := b.problem(in, p)
			return Step{Kind: StepTransfer, Intent: in, Text: b.say(phTransfer, "problem", problem, "Problem", upperFirst(problem), "team", teamName(g, b.lang))}, true
		}
		if !b.n.noAsks {
			for _, need := range pb.Needs {
				if !p.Facts.Has(need) && !b.n.asked[need] {
					b.n.asked[need] = true
					return Step{Kind: StepAsk, Fact: need, Intent: in, Text: askText(b.level(), b.lang, need)}, true
				}
			}
		}
		var steps []Say
		for _, s := range pb.Steps {
			if s.For(status) {
				steps = append(steps, s)
			}
		}
		if k := b.planned[in]; k < len(steps) {
			b.planned[in] = k + 1
			st := Step{Kind: StepResolve, Intent: in, Text: b.text(steps[k].In(b.level()), p)}
			if k == len(steps)-1 {
				st.Status = IssueResolved
			}
			return st, true
		}
		// Everything said (by an operator who left before marking it).
		b.resolve(p, in, IssueResolved)
	}
	if !b.offered {
		b.offered = true
		return Step{Kind: StepOfferClose, Text: b.say(phOfferClose)}, true
	}
	return Step{}, false
}

// resolve settles an issue and those it folded in.
func (b *operatorBrain) resolve(p *Packet, intent, status string) {
	p.settle(intent, status)
	for r, by := range b.n.folded {
		if by == intent {
			p.settle(r, status)
		}
	}
}

// Sent records that st reached the customer: the issue it settles, the
// resolution steps said.
func (b *operatorBrain) Sent(st Step, p *Packet) {
	switch st.Kind {
	case StepResolve:
		b.n.said[st.Intent]++
		b.n.last = st.Intent
	case StepOfferClose:
		b.offered = true
	}
	if st.Status != "" && st.Intent != "" {
		b.resolve(p, st.Intent, st.Status)
	}
}

// unoffer takes back an offer to close that was never sent.
func (b *operatorBrain) unoffer() { b.offered = false }

// greeting names the operator, acknowledges the handover (from the bot or a
// colleague) and restates the open issues, latest first.
func (b *operatorBrain) greeting(p *Packet) string {
	j := b.joiner()
	var s string
	if b.prevName != "" {
		s = b.say(phHandover, "name", b.op.DisplayName(b.lang), "prev", b.prevName) + j + b.issues(p) + j + b.say(phHandoverTail)
	} else {
		s = b.say(phGreet, "name", b.op.DisplayName(b.lang)) + j + b.issues(p)
	}
	if b.n.urgent && b.level() >= LevelFluent {
		s += j + b.say(phUrgent)
	}
	return s
}

// issues restates the open issues: the one at hand (what the customer now
// wants instead of what it replaced, when it did), then up to two others.
func (b *operatorBrain) issues(p *Packet) string {
	open := b.remaining(p)
	if len(open) == 0 {
		in := p.Facts.Topic.Intent
		if len(p.Issues) > 0 {
			in = p.Issues[len(p.Issues)-1].Intent
		}
		problem := b.problem(in, p)
		return b.say(phIssue, "problem", problem, "Problem", upperFirst(problem))
	}
	parts := []string{b.restate(p, open[0])}
	for _, in := range open[1:min(len(open), 3)] {
		problem := b.problem(in, p)
		parts = append(parts, b.say(phAlso, "problem", problem, "Problem", upperFirst(problem)))
	}
	return strings.Join(parts, b.joiner())
}

// restate says one issue; an issue that took the place of an earlier one says
// so: "You'd now like a refund for the earbuds rather than a redelivery."
func (b *operatorBrain) restate(p *Packet, in string) string {
	pb, _ := b.playbook(in)
	if pb.Want != "" {
		// The latest issue it replaced, as the customer raised them.
		for i := len(p.Issues) - 1; i >= 0; i-- {
			r := p.Issues[i].Intent
			if b.n.folded[r] != in {
				continue
			}
			if old, ok := b.playbook(r); ok && old.Outcome != "" {
				return b.say(phInstead, "want", fill(pb.Want, b.lang, &p.Facts), "outcome", fill(old.Outcome, b.lang, &p.Facts))
			}
		}
	}
	problem := b.problem(in, p)
	return b.say(phIssue, "problem", problem, "Problem", upperFirst(problem))
}

// reading is what an operator makes of one customer message.
type reading struct {
	thanks, notHelped, upset, urgent bool
	unplaced                         bool     // a question that names no issue
	asked                            []string // known issues the customer asks about
	raised                           []string // new issues, in the order raised
	raisedByQuestion                 map[string]bool
	statement                        string // the clauses that only tell something
}

// read understands a customer message clause by clause: what each clause
// does (act.yaml) and which issue it names (the bot's classifier, through
// the Reader), plus the bot's escalation triggers for the whole message.
func (b *operatorBrain) read(p *Packet, text string) reading {
	r := reading{raisedByQuestion: map[string]bool{}}
	var told []string
	known := b.remaining(p)
	for i := len(p.Issues) - 1; i >= 0; i-- {
		if !slices.Contains(known, p.Issues[i].Intent) {
			known = append(known, p.Issues[i].Intent)
		}
	}
	for clause, questionMark := range clausesWithMarks(text) {
		act := clauseAct(clause)
		intent := ""
		if b.reader != nil && act != actThanks {
			if in, ok := b.reader.ReadClause(clause, b.lang, known); ok {
				if pb, ok := b.playbook(in); ok && pb.Resolving() {
					intent = in
				}
			}
		}
		if act == actOther && intent == "" && questionMark && !hasSlot(clause) {
			act = actQuestion
		}
		switch act {
		case actThanks:
			r.thanks = true
		case actNotHelped:
			r.notHelped = true
		case actUpset:
			r.upset = true
		}
		known := intent != "" && (p.Issue(intent) != nil || b.n.folded[intent] != "" || slices.Contains(b.n.agenda, intent))
		switch {
		case intent != "" && act == actQuestion && known:
			if !slices.Contains(r.asked, intent) {
				r.asked = append(r.asked, intent)
			}
		case intent != "" && !known && act != actNotHelped:
			if !slices.Contains(r.raised, intent) {
				r.raised = append(r.raised, intent)
				r.raisedByQuestion[intent] = act == actQuestion
			}
		case act == actQuestion:
			r.unplaced = true
		case act == actOther && intent == "":
			told = append(told, clause)
		}
	}
	if b.reader != nil {
		for _, t := range b.reader.Triggers(text, b.lang) {
			switch t {
			case "anger":
				r.upset = true
			case "not_helped":
				r.notHelped = true
			}
		}
	}
	if r.upset {
		// Anger is answered with an apology and the fix, not filed as a
		// complaint to work through.
		r.raised = slices.DeleteFunc(r.raised, func(in string) bool { return in == "complaint" })
	}
	r.urgent = mentionsDeadline(text)
	sep := " "
	if b.lang == "ja" {
		sep = "、"
	}
	r.statement = strings.Join(told, sep)
	return r
}

// clausesWithMarks yields the clauses of text (classify.Clauses) and
// whether a question mark ends each.
func clausesWithMarks(text string) iter.Seq2[string, bool] {
	return func(yield func(string, bool) bool) {
		pos := 0
		for c := range classify.Clauses(text) {
			mark := false
			if i := strings.Index(text[pos:], c); i >= 0 {
				pos += i + len(c)
				r, _ := utf8.DecodeRuneInString(text[pos:])
				mark = r == '?' || r == '？'
			}
			if !yield(c, mark) {
				return
			}
		}
	}
}

func hasSlot(s string) bool { return !slots.Extract(s).Empty() }

// slotFact reports a fact the customer's words give only through a slot
// (bot/slots): an order number, an email address, a phone number, an amount.
func slotFact(fact string) bool {
	switch fact {
	case slots.OrderID, slots.Email, slots.Phone, slots.Amount:
		return true
	}
	return false
}

// Hear reads a customer message and returns the operator's replies, to be
// said before anything planned, and whether it answered the fact the
// operator asked for (awaiting, "" for none). A fact is taken from the
// message's slots (bot/slots) when it is one; otherwise from the clauses
// that only tell something. A basic-level operator may ask for a rephrase of
// a long or idiomatic message instead (rephraseCoin is the seeded coin).
func (b *operatorBrain) Hear(p *Packet, text string, rephraseCoin bool, awaiting string) ([]Step, bool) {
	answered := awaiting != "" && slotFact(awaiting) && p.Facts.Has(awaiting)
	if b.wouldRephrase(text, rephraseCoin) {
		b.offered = false
		return []Step{{Kind: StepRephrase, Text: b.say(phRephrase)}}, answered
	}
	r := b.read(p, text)
	if awaiting != "" && !answered && !slotFact(awaiting) && r.statement != "" && len(r.raised) == 0 &&
		!r.thanks && !r.notHelped && !r.upset {
		p.Facts.Set(awaiting, r.statement)
		answered = true
	}
	var out []Step
	if r.upset {
		b.n.noAsks = true
	}
	switch {
	case r.notHelped:
		out = append(out, b.notHelped(p))
	case r.upset:
		out = append(out, Step{Kind: StepSorry, Text: b.say(phSorry) + b.joiner() + b.standing(p)})
		r.unplaced = false
	}
	for _, in := range r.asked {
		out = append(out, b.answer(p, in))
	}
	for _, in := range r.raised {
		out = append(out, b.raise(p, in, text, r.raisedByQuestion[in]))
	}
	if r.unplaced {
		out = append(out, Step{Kind: StepAnswer, Text: b.standing(p)})
	}
	if r.urgent && b.level() >= LevelFluent && !b.n.urgent {
		b.n.urgent = true
		out = append(out, Step{Kind: StepAck, Text: b.say(phUrgent)})
	}
	if r.thanks && b.offered && len(out) == 0 {
		return []Step{{Kind: StepBye, Text: b.say(phBye)}}, answered
	}
	b.offered = false
	if len(out) == 0 && !answered && b.idle(p) {
		id := phAck
		if r.thanks {
			id = phWelcome
		}
		out = append(out, Step{Kind: StepAck, Text: b.say(id)})
	}
	return out, answered
}

// standing says where things stand: the operator has read everything, the
// issues, and whether they are still working on them.
func (b *operatorBrain) standing(p *Packet) string {
	j := b.joiner()
	s := b.say(phReadAll) + j + b.issues(p) + j
	if b.idle(p) {
		return s + b.say(phAllDone)
	}
	return s + b.say(phWorking)
}

// answer answers a question about a known issue, from its playbook.
func (b *operatorBrain) answer(p *Packet, in string) Step {
	pb, _ := b.playbook(in)
	say, ok := first(pb.Answer, OrderStatus(&p.Facts))
	if !ok {
		return Step{Kind: StepAnswer, Text: b.standing(p)}
	}
	st := Step{Kind: StepAnswer, Intent: in, Text: b.text(say.In(b.level()), p)}
	if p.issueStatus(in) == IssueOpen && !slices.Contains(b.n.agenda, in) {
		st.Status = IssueAnswered
	}
	return st
}

// raise records a new issue: a question about it is answered at once; any
// other mention goes on the agenda and is acknowledged.
func (b *operatorBrain) raise(p *Packet, in, text string, question bool) Step {
	p.RaiseIssue(in, text)
	if question {
		st := b.answer(p, in)
		st.Status = IssueAnswered
		return st
	}
	folded := b.consider(p, in)
	if len(folded) > 0 {
		return Step{Kind: StepIssue, Intent: in, Text: b.restate(p, in)}
	}
	problem := b.problem(in, p)
	return Step{Kind: StepIssue, Intent: in, Text: b.say(phNewIssue, "problem", problem, "Problem", upperFirst(problem))}
}

// notHelped: what was done for the issue last worked on did not help. The
// operator does something else (the playbook's retry, then their team
// lead); before any step of their own, it was the bot's answer.
func (b *operatorBrain) notHelped(p *Packet) Step {
	in := b.n.last
	if in == "" || b.n.said[in] == 0 {
		return Step{Kind: StepSorry, Text: b.say(phBotNotHelped)}
	}
	k := b.n.retries[in]
	b.n.retries[in] = k + 1
	p.settle(in, IssueOpen)
	text := b.say(phRetry)
	if pb, ok := b.playbook(in); ok && k == 0 {
		if say, ok := first(pb.Retry, OrderStatus(&p.Facts)); ok {
			text = b.text(say.In(b.level()), p)
		}
	}
	return Step{Kind: StepRetry, Intent: in, Text: text, Status: IssueResolved}
}

// wouldRephrase reports whether the operator asks the customer to say text
// again more simply: only at basic level, only when the seeded coin says so,
// and only for a long or idiomatic message.
func (b *operatorBrain) wouldRephrase(text string, coin bool) bool {
	return b.level() == LevelBasic && coin && hardToRead(text, b.lang)
}

func lowerFirst(s, lang string) string {
	if lang == "ja" || s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	if r >= 'A' && r <= 'Z' && !(len(s) > n && s[n] >= 'A' && s[n] <= 'Z') {
		return string(r+('a'-'A')) + s[n:]
	}
	return s
}

// firstSentence keeps a saying short for a basic-level operator.
func firstSentence(s string) string {
	for i, r := range s {
		switch r {
		case '。', '!', '?', '！', '？':
			return s[:i+utf8.RuneLen(r)]
		case '.':
			if i+1 == len(s) || s[i+1] == ' ' {
				return s[:i+1]
			}
		}
	}
	return s
}

// withoutNotes drops bracketed asides, which a basic-level writer leaves out.
func withoutNotes(s string) string {
	for _, br := range [][2]string{{"（", "）"}, {" (", ")"}} {
		for {
			i := strings.Index(s, br[0])
			if i < 0 {
				break
			}
			j := strings.Index(s[i:], br[1])
			if j < 0 {
				break
			}
			s = s[:i] + s[i+j+len(br[1]):]
		}
	}
	return s
}
