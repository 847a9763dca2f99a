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
	NeedsAccount bool // order-specific: hidden without an account
	AccountHelp  bool // account and login help: offered without an account
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
	Lang         string
	CustomerID   string
	CustomerName string
	SignedIn     bool
	OrderID      string
	OrderItems   []string
	OrderDate    string
	OrderStatus  string
	Category     Category
	Topic        Topic
}

// Bot is the first-line bot, once its rules are loaded.
type Bot interface {
	// Menu is the topic menu in lang.
	Menu(lang string) []Category
	// Start creates the dialogue state for one conversation from what the
	// contact flow collected, and returns the bot's opening message, which
	// states what it already knows.
	Start(f Facts) (Dialogue, string)
}

// Dialogue is one conversation's dialogue state. Respond changes that state,
// so the app calls it from one command at a time (see tui's "lanes").
type Dialogue interface {
	Respond(text string) bot.Decision
}

// Quote is the native-speaker trade-off shown before queueing.
type Quote struct {
	FirstAvailable time.Duration
	NativeOnly     time.Duration
	NativeLang     string // the customer's language, whose native speakers are asked for
	NativeOK       bool   // false when no native speaker is on shift at all
}

// DeskEventKind says what happened at the operator desk.
type DeskEventKind int

// Desk events, as the live handoff desk reports them.
const (
	DeskQueue    DeskEventKind = iota // position and expected wait changed
	DeskJoined                        // an operator joined (also after a transfer)
	DeskTyping                        // the operator is typing
	DeskMessage                       // the operator wrote Text
	DeskLeft                          // the operator left; Cause says why (shift_end, timeout, line_fault)
	DeskResolved                      // the operator offers to close
)

// DeskEvent is one thing that happened at the desk, already in the
// customer's language.
type DeskEvent struct {
	At            time.Time
	Kind          DeskEventKind
	Position      int
	ETA           time.Duration
	OperatorID    string
	OperatorName  string
	OperatorLabel string // "Tanaka (Japanese: native, English: fluent)"
	Text          string
	Cause         string
	Transfer      bool // a join that continues a transfer
}

// Desk is the live operator desk for this app's one chat. It is a stateful
// simulation: the app drives it from one command at a time.
type Desk interface {
	Quote(lang, intent string) Quote
	Enqueue(now time.Time, p *handoff.Packet, nativeOnly bool) []DeskEvent
	Advance(now time.Time) []DeskEvent
	CustomerMessage(now time.Time, text string) []DeskEvent
	// Packet is the packet as the operator currently holds it.
	Packet() *handoff.Packet
}

// Booking is a confirmed phone callback.
type Booking struct {
	Phone  string        // normalised, E.164
	At     time.Time     // when the call is expected
	Within time.Duration // "within N minutes" in phone hours; 0 for a slot
	Slot   bool          // booked for the next opening, outside phone hours
}

// Callbacks books phone callbacks.
type Callbacks interface {
	// Open reports whether the phone team is working at t, and otherwise
	// when it next opens.
	Open(t time.Time) (open bool, next time.Time)
	// Book validates the number and books a call.
	Book(now time.Time, phone string) (Booking, error)
}
