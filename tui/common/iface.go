// Package common holds what every screen of the customer app shares: the
// styles (built once per theme), the key bindings, the UI strings in Japanese
// and English, and the small interfaces through which tui reaches the domain
// packages (the store, the bot, the operator desk, callbacks, the clock).
//
// tui declares these interfaces itself, as ARCHITECTURE.md asks, so the
// screens can be driven in tests and the domain packages never learn about
// Bubble Tea. cmd/tsunagu wires the real implementations (see tui/wire).
package common

import (
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// Clock is the app's only source of time. The live app passes the scaled
// handoff clock (--clock, --speed); tests pass a virtual clock.
type Clock interface {
	Now() time.Time
}

// Store is what the app needs of the conversation store. Every call commits
// before it returns, so a message is shown as saved only after AppendEntry
// returned nil.
type Store interface {
	CreateConversation(c transcripts.Conversation) (transcripts.Conversation, error)
	AppendEntry(id string, e transcripts.Entry) (uint64, error)
	SetStatus(id string, s transcripts.Status) error
	CloseConversation(id string) error
}

// Category is one step of the topic menu: a category and its sub-topics,
// labelled in the customer's language.
type Category struct {
	ID           string
	Label        string
	NeedsAccount bool // offered only to signed-in customers
	NeedsOrder   bool // offered only when the chat is about an order
	Topics       []Topic
}

// Topic is one sub-topic; Intent is what the bot starts from.
type Topic struct {
	ID     string
	Label  string
	Intent string
}

// Facts is what the contact flow collected before the chat starts. The bot
// opens with them and never asks for them again.
type Facts struct {
	ConversationID string
	Lang           string
	CustomerID     string
	CustomerName   string
	SignedIn       bool
	OrderID        string
	OrderItems     []string
	OrderDate      string
	OrderStatus    string
	Category       Category
	Topic          Topic
}

// Bot is the first-line bot, once its rules are loaded.
type Bot interface {
	// Menu is the topic menu in lang.
	Menu(lang string) []Category
	// Start creates the dialogue state for one conversation from what the
	// contact flow collected, and returns the bot's opening, which states
	// what it already knows and answers the chosen topic.
	Start(f Facts) (Dialogue, bot.Decision)
}

// Dialogue is one conversation's dialogue state. Respond changes that state,
// so the app calls it from one command at a time (see tui's "lanes").
type Dialogue interface {
	Respond(text string) bot.Decision
}

// Desk is the live operator desk for this app's one chat
// (*handoff.Desk). It is a stateful simulation, not safe for concurrent use:
// the app drives it from one command at a time.
type Desk interface {
	Quote(now time.Time, lang, intent string, class handoff.Class) handoff.Quote
	Enqueue(now time.Time, p *handoff.Packet, class handoff.Class, nativeOnly bool) ([]handoff.Event, error)
	Advance(now time.Time) []handoff.Event
	CustomerMessage(now time.Time, text string) []handoff.Event
	Close(now time.Time) []handoff.Event
	// Packet is the packet as the operator currently holds it.
	Packet() *handoff.Packet
}

// Callbacks books phone callbacks (*handoff.Callbacks).
type Callbacks interface {
	// Offer says whether the phone team is working now, how soon it calls,
	// and otherwise when it next opens.
	Offer(now time.Time) handoff.CallbackOffer
	// Book validates the number and books a call.
	Book(now time.Time, number string) (handoff.Booking, error)
}
