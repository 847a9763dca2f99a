package handoff

// Issue statuses, as the packet carries them.
const (
	IssueOpen     = "open"     // nobody has dealt with it yet, or what was done did not help
	IssueAnswered = "answered" // a question about it was answered
	IssueResolved = "resolved" // an operator resolved it
)

// Issue returns the packet's issue about intent, or nil.
func (p *Packet) Issue(intent string) *Issue {
	for i := range p.Issues {
		if p.Issues[i].Intent == intent {
			return &p.Issues[i]
		}
	}
	return nil
}

// RaiseIssue records an issue the customer raised (or raised again, with new
// words): it is open.
func (p *Packet) RaiseIssue(intent, text string) {
	if intent == "" {
		return
	}
	if is := p.Issue(intent); is != nil {
		is.Status = IssueOpen
		if text != "" {
			is.Text = text
		}
		return
	}
	p.Issues = append(p.Issues, Issue{Intent: intent, Status: IssueOpen, Text: text})
}

// settle moves an issue forward to status: an answer never undoes a
// resolution.
func (p *Packet) settle(intent, status string) {
	is := p.Issue(intent)
	if is == nil {
		if intent != "" {
			p.Issues = append(p.Issues, Issue{Intent: intent, Status: status})
		}
		return
	}
	if status == IssueAnswered && is.Status == IssueResolved {
		return
	}
	is.Status = status
}

// issueStatus is intent's status, or "" when the packet has no such issue.
func (p *Packet) issueStatus(intent string) string {
	if is := p.Issue(intent); is != nil {
		return is.Status
	}
	return ""
}
