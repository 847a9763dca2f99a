package chat

import "tsunagu/bot"

// IssueStatus is where one of the customer's issues stands.
type IssueStatus string

// Issue statuses (SPEC section 4a).
const (
	IssueOpen     IssueStatus = "open"     // nobody has dealt with it yet, or the answer did not help
	IssueAnswered IssueStatus = "answered" // the bot or an operator answered it
	IssueResolved IssueStatus = "resolved" // an operator resolved it
)

// Issue is one of the customer's issues: what it is about, in the customer's
// own words when they gave some, and where it stands.
type Issue struct {
	Intent string      `json:"intent"`
	Status IssueStatus `json:"status"`
	Text   string      `json:"text,omitempty"` // the customer's words that raised it
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
func (c *caseFile) set(intent string, status IssueStatus, text string) {
	if intent == "" {
		return
	}
	is := c.find(intent)
	if is == nil {
		c.issues = append(c.issues, Issue{Intent: intent, Status: status, Text: text})
		return
	}
	is.Status = status
	if text != "" {
		is.Text = text
	}
}

// decided updates the case from the bot's decision on the customer's text.
func (c *caseFile) decided(d bot.Decision, text string) {
	switch d.Action {
	case bot.ActionAnswer:
		c.set(d.Intent, IssueAnswered, text)
	case bot.ActionEscalate:
		if d.Intent != "" && d.Reason != bot.ReasonHumanRequested {
			c.set(d.Intent, IssueOpen, text)
		}
		if d.Reason == bot.ReasonUnresolved || d.Reason == bot.ReasonHumanRequested {
			c.reopenAnswered()
		}
	}
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
	return append([]Issue(nil), c.issues...)
}
