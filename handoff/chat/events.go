package chat

import (
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
)

// Kind names one thing that happened in a conversation. The names are the
// `kind` values of `tsunagu chat --jsonl`, plus a few the
// screen shows and the JSON Lines runner does not print.
type Kind string

// What can happen, roughly in the order a customer meets it.
const (
	KindCustomer   Kind = "customer"    // the customer wrote Text
	KindBot        Kind = "bot"         // the bot answered: Decision
	KindEscalated  Kind = "escalated"   // handed to a person: Reason
	KindChoice     Kind = "choice"      // who should answer: Quote
	KindQueue      Kind = "queue"       // Position, Wait
	KindJoined     Kind = "joined"      // Operator (Handover, From, Back)
	KindTyping     Kind = "typing"      // Operator is typing
	KindOperator   Kind = "operator"    // Operator wrote Text
	KindLeft       Kind = "left"        // Operator left: Cause
	KindOfferClose Kind = "offer_close" // Operator offered to close: the case is resolved
	KindCallback   Kind = "callback"    // a call was booked: Booking
	KindResumed    Kind = "resumed"     // a stored conversation goes on
	KindClosed     Kind = "closed"      // the conversation is over
	KindCase       Kind = "case"        // the case after a customer message, and when the operators change it: Issues
	KindCardNotice Kind = "card_notice" // card details were hidden: Text tells the customer, once
)

// Event is one thing that happened, at simulated time At. Line numbers the
// conversation's stored lines (customer, bot and operator messages, and the
// system events shown inline) from 1; the Saves of a Result refer to it. It
// is 0 for events that are not stored as lines.
type Event struct {
	Kind     Kind
	At       time.Time
	Line     int
	Text     string
	Decision *bot.Decision
	Reason   bot.Reason
	Quote    *handoff.Quote
	Position int
	Wait     time.Duration
	Operator *handoff.OperatorInfo
	Handover bool   // joined after a transfer
	From     string // joined after a transfer: the previous operator's name
	Back     bool   // the same operator took the chat back
	Cause    handoff.Cause
	Booking  *handoff.Booking
	Issues   []Issue
}

// Save is the store's verdict on one line: Saved once it is committed;
// not saved (yet) when the write failed. A line reported not saved may be
// reported saved later, when a retry succeeds.
type Save struct {
	Line  int
	Saved bool
}

// Result is what one call on a Conversation produced.
type Result struct {
	Events []Event
	Saves  []Save
}

// Empty reports that nothing happened.
func (r Result) Empty() bool { return len(r.Events) == 0 && len(r.Saves) == 0 }

// merge appends what o produced after what r did.
func (r Result) merge(o Result) Result {
	r.Events = append(r.Events, o.Events...)
	r.Saves = append(r.Saves, o.Saves...)
	return r
}
