// Package bot is the first-line support bot. It owns the rules format (YAML,
// with a complete default embedded), text normalisation, language detection,
// slot extraction (sub-package slots), intent scoring, the clarify/escalate
// policy of the product contract and the per-conversation dialogue state. It turns
// one customer message into a Decision that explains itself. It never
// imports a UI package.
//
// Use:
//
//	rules := bot.DefaultRules()                  // or bot.LoadRules(name, data)
//	engine := bot.NewEngine(rules)               // trains the scorer: load in the background
//	conv := engine.NewConversation(id, bot.Facts{Lang: "ja", SignedIn: true, Order: &bot.Order{...}, Intent: "track_order"})
//	first := conv.Opening()                      // states what the bot knows, answers the topic
//	d := conv.Respond("まだ届きません")            // one Decision per customer message
//
// Rules expose what other packages need: Rules.Menu (the contact flow's
// categories and topics), Rules.Intent(name) with its phrasings per language
// (label, reply) and Playbook (facts and steps for operators), Rules.Shop and
// Rules.Triggers. Check(name, data) lists a file's problems as
// "NAME:LINE: message" for `tsunagu rules check`. Normalize and
// DetectLanguage are the folding and language rules the bot itself uses.
//
// An Engine is safe for concurrent use; a Conversation is driven by one
// goroutine.
package bot

// Action is what the bot does with one message.
type Action string

// The three actions of the product contract.
const (
	ActionAnswer   Action = "answer"
	ActionClarify  Action = "clarify"
	ActionEscalate Action = "escalate"
)

// Reason is the escalation reason code. It is empty unless the action is
// ActionEscalate.
type Reason string

// The escalation reasons of the product contract.
const (
	ReasonNone           Reason = ""
	ReasonHumanRequested Reason = "human_requested"
	ReasonSensitive      Reason = "sensitive"
	ReasonComplaint      Reason = "complaint"
	ReasonMultiIssue     Reason = "multi_issue"
	ReasonUnresolved     Reason = "unresolved"
	ReasonNoProgress     Reason = "no_progress"
)

// Candidate is one scored intent.
type Candidate struct {
	Intent string  `json:"intent"`
	Score  float64 `json:"score"`
}

// Choice is one numbered option offered by a clarification. The customer
// picks it by replying with its number.
type Choice struct {
	Number int    `json:"number"`
	Intent string `json:"intent"`
	Label  string `json:"label"`
}

// Feature is one input feature that contributed to the score of the chosen
// intent, for the "why?" view.
type Feature struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// Explanation says why the bot decided what it did.
type Explanation struct {
	// Rules are the ids of the rules that fired: patterns, triggers,
	// thresholds and dialogue-state rules.
	Rules []string `json:"rules,omitempty"`
	// Features are the strongest scoring features for the chosen intent.
	Features []Feature `json:"features,omitempty"`
	// Note is one plain sentence, in English, stating the policy step taken,
	// e.g. "top two intents within 0.05: clarify".
	Note string `json:"note,omitempty"`
	// Decided names what decided the action when it was not simply the
	// best intent of the message: a trigger, a clause read on its own
	// (with its score), or the dialogue state.
	Decided string `json:"decided,omitempty"`
}

// Decision is the bot's answer to one customer message. Its JSON form is the
// output line of `tsunagu bot` plus the explanation.
type Decision struct {
	Conversation string            `json:"conversation,omitempty"`
	Turn         int               `json:"turn"`
	Lang         string            `json:"lang"`
	Intent       string            `json:"intent"`
	Confidence   float64           `json:"confidence"`
	Candidates   []Candidate       `json:"candidates"`
	Action       Action            `json:"action"`
	Reason       Reason            `json:"reason"`
	Reply        string            `json:"reply"`
	Slots        map[string]string `json:"slots"`
	Choices      []Choice          `json:"choices,omitempty"`
	// Issues are the distinct issues the message raised, one per clause
	// that raised one, in order; two or more make it multi_issue.
	Issues      []Issue     `json:"issues,omitempty"`
	Explanation Explanation `json:"explanation"`
	// legal: the escalation is for a legal threat (it says so).
	legal bool
}

// Issue is one issue a message raised: its intent, how sure the bot is,
// and the customer's words (the clause) that raised it.
type Issue struct {
	Intent     string  `json:"intent"`
	Confidence float64 `json:"confidence"`
	Text       string  `json:"text"`
	part       *Classification
}
