package chat

import (
	"encoding/json"
	"maps"

	"tsunagu/bot"
	"tsunagu/bot/slots"
	"tsunagu/handoff"
)

// IssueStatus is where one of the customer's issues stands.
type IssueStatus string

// Issue statuses.
const (
	IssueOpen     IssueStatus = "open"     // nobody has dealt with it yet, or the answer did not help
	IssueAnswered IssueStatus = "answered" // the bot or an operator answered it
	IssueResolved IssueStatus = "resolved" // an operator resolved it
)

// Issue is one of the customer's issues: what it is about, in the customer's
// own words when they gave some, its facts and where it stands.
type Issue struct {
	Intent string      `json:"intent"`
	Status IssueStatus `json:"status"`
	Text   string      `json:"text,omitempty"` // the customer's words that raised it
	// Facts are what is known about it: the order (order_id, items,
	// order_status, order_date) and what the customer typed (amount,
	// email, phone, another order id).
	Facts map[string]string `json:"facts,omitempty"`
}

// caseFile is the conversation's case: its issues in the order they were
// raised.
type caseFile struct {
	issues []Issue
}

func (c *caseFile) find(intent string) *Issue {
	for i := range c.issues {
		if c.issues[i].Intent == intent {
			return &c.issues[i]
		}
	}
	return nil
}

// set records intent with status, raising it if it is new. A new text
// replaces the old one: the latest words say best what the customer wants.
// Facts are added to what the issue knew.
func (c *caseFile) set(intent string, status IssueStatus, text string, facts map[string]string) {
	if intent == "" {
		return
	}
	is := c.find(intent)
	if is == nil {
		c.issues = append(c.issues, Issue{Intent: intent, Status: status, Text: text, Facts: maps.Clone(facts)})
		return
	}
	is.Status = status
	if text != "" {
		is.Text = text
	}
	if len(facts) > 0 {
		if is.Facts == nil {
			is.Facts = map[string]string{}
		}
		maps.Copy(is.Facts, facts)
	}
}

// issueFacts are the facts of an issue raised now: the contact's order and
// what the bot has collected from the customer's words.
func issueFacts(order *handoff.Order, d bot.Decision) map[string]string {
	f := map[string]string{}
	if order != nil {
		f[slots.OrderID] = order.ID
		if len(order.Items) > 0 {
			f["items"] = joinItems(order.Items)
		}
		if order.Status != "" {
			f["order_status"] = order.Status
		}
		if order.Date != "" {
			f["order_date"] = order.Date
		}
	}
	for _, k := range []string{slots.OrderID, slots.Amount, slots.Email, slots.Phone} {
		if v := d.Slots[k]; v != "" {
			f[k] = v
		}
	}
	if len(f) == 0 {
		return nil
	}
	return f
}

func joinItems(items []string) string {
	out := items[0]
	for _, it := range items[1:] {
		out += ", " + it
	}
	return out
}

// decided updates the case from the bot's decision on the customer's text:
// each issue the message raised (several for multi_issue, each in its own
// words), or the decision's intent.
func (c *caseFile) decided(d bot.Decision, text string, facts map[string]string) {
	status := IssueAnswered
	switch d.Action {
	case bot.ActionEscalate:
		status = IssueOpen
	case bot.ActionAnswer:
	default:
		return // a clarification settles nothing yet
	}
	if d.Action == bot.ActionEscalate && (d.Reason == bot.ReasonUnresolved || d.Reason == bot.ReasonHumanRequested) {
		c.reopenAnswered()
	}
	if d.Action == bot.ActionEscalate && d.Reason == bot.ReasonHumanRequested && len(d.Issues) == 0 {
		return // "a person, please" raises no issue of its own
	}
	if len(d.Issues) > 0 {
		for _, is := range d.Issues {
			c.set(is.Intent, status, is.Text, facts)
		}
		return
	}
	c.set(d.Intent, status, text, facts)
}

// reopenAnswered: the customer says the answers did not settle it, or asks
// for a person about them, so what was answered is open again.
func (c *caseFile) reopenAnswered() {
	for i := range c.issues {
		if c.issues[i].Status == IssueAnswered {
			c.issues[i].Status = IssueOpen
		}
	}
}

// resolveAll marks every issue resolved (the operator offered to close).
func (c *caseFile) resolveAll() {
	for i := range c.issues {
		c.issues[i].Status = IssueResolved
	}
}

// latest is the intent of the most recently raised issue that is still
// open, or of the last issue at all, or "".
func (c *caseFile) latest() string {
	for i := len(c.issues) - 1; i >= 0; i-- {
		if c.issues[i].Status == IssueOpen {
			return c.issues[i].Intent
		}
	}
	if n := len(c.issues); n > 0 {
		return c.issues[n-1].Intent
	}
	return ""
}

func (c *caseFile) snapshot() []Issue {
	out := make([]Issue, len(c.issues))
	for i, is := range c.issues {
		is.Facts = maps.Clone(is.Facts)
		out[i] = is
	}
	return out
}

// forPacket is the case in the handoff packet's form.
func (c *caseFile) forPacket() []handoff.Issue {
	out := make([]handoff.Issue, len(c.issues))
	for i, is := range c.issues {
		out[i] = handoff.Issue{Intent: is.Intent, Status: string(is.Status), Text: is.Text, Facts: maps.Clone(is.Facts)}
	}
	return out
}

// stored is the case as kept with the conversation (transcripts.Meta.Case).
func (c *caseFile) stored() json.RawMessage {
	if len(c.issues) == 0 {
		return nil
	}
	raw, err := json.Marshal(c.issues)
	if err != nil {
		return nil // plain data: cannot happen
	}
	return raw
}

// restore takes the case kept with a stored entry (a resumed conversation).
func (c *caseFile) restore(raw json.RawMessage) {
	var issues []Issue
	if len(raw) > 0 && json.Unmarshal(raw, &issues) == nil {
		c.issues = issues
	}
}
