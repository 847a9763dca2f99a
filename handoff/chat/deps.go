package chat

import (
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
	"tsunagu/transcripts"
)

// Clock is the engine's only source of time.
type Clock interface {
	Now() time.Time
}

// Store is what a conversation needs of the transcript store
// (*transcripts.Store). Every call commits before it returns.
type Store interface {
	CreateConversation(c transcripts.Conversation) (transcripts.Conversation, error)
	AppendEntry(id string, e transcripts.Entry) (uint64, error)
	SetStatus(id string, s transcripts.Status) error
	Load(id string) (transcripts.Conversation, error)
}

// Bot is the first-line bot once its rules are loaded (see NewBot).
type Bot interface {
	// Menu is the topic menu in lang.
	Menu(lang string) []Category
	// Start creates one conversation's dialogue state and returns the bot's
	// opening, which states what it already knows and answers the topic.
	Start(conversation string, f bot.Facts) (Dialogue, bot.Decision)
	// Knowledge is what operators and packet summaries know per intent.
	Knowledge() handoff.Knowledge
}

// Dialogue is one conversation's dialogue state.
type Dialogue interface {
	Respond(text string) bot.Decision
}

// Desk is the live operator desk for one chat (*handoff.Desk).
type Desk interface {
	Quote(now time.Time, lang, intent string, class handoff.Class) handoff.Quote
	Enqueue(now time.Time, p *handoff.Packet, class handoff.Class, nativeOnly bool) ([]handoff.Event, error)
	EnqueueResumed(now time.Time, p *handoff.Packet, class handoff.Class, nativeOnly bool, lastOperator string) ([]handoff.Event, error)
	Advance(now time.Time) []handoff.Event
	CustomerMessage(now time.Time, text string) []handoff.Event
	Close(now time.Time) []handoff.Event
	// PacketJSON is the packet as the operator currently holds it.
	PacketJSON() ([]byte, error)
	// AwaitsCustomer reports that an operator has the chat and has nothing
	// more to say until the customer writes.
	AwaitsCustomer() bool
}

// Callbacks books phone callbacks (*handoff.Callbacks).
type Callbacks interface {
	Offer(now time.Time) handoff.CallbackOffer
	Book(now time.Time, number string) (handoff.Booking, error)
}

// Category is one step of the topic menu, labelled in one language.
type Category struct {
	ID           string
	Label        string
	NeedsAccount bool // offered only to signed-in customers
	NeedsOrder   bool // offered only when the chat is about an order
	Topics       []Topic
}

// OfferedTo reports whether the topic menu offers the category to a
// customer: without an account only those that need none (account and
// login help); order topics only when the chat is about an order. The app's
// menu and `chat --jsonl` both ask it.
func (c Category) OfferedTo(signedIn, aboutOrder bool) bool {
	return (signedIn || !c.NeedsAccount) && (aboutOrder || !c.NeedsOrder)
}

// Topic is one sub-topic; Intent is what the bot starts from.
type Topic struct {
	ID     string
	Label  string
	Intent string
}

// botEngine adapts *bot.Engine to Bot.
type botEngine struct {
	e  *bot.Engine
	kb handoff.Knowledge
}

// NewBot wraps a trained rules engine.
func NewBot(e *bot.Engine) Bot {
	return &botEngine{e: e, kb: handoff.NewEngineKnowledge(e)}
}

func (b *botEngine) Menu(lang string) []Category {
	var out []Category
	for _, c := range b.e.Rules().Menu {
		cat := Category{ID: c.ID, Label: c.Label.In(lang), NeedsAccount: c.NeedsAccount, NeedsOrder: c.NeedsOrder}
		for _, t := range c.Topics {
			cat.Topics = append(cat.Topics, Topic{ID: t.ID, Label: t.Label.In(lang), Intent: t.Intent})
		}
		out = append(out, cat)
	}
	return out
}

func (b *botEngine) Start(id string, f bot.Facts) (Dialogue, bot.Decision) {
	c := b.e.NewConversation(id, f)
	return c, c.Opening()
}

func (b *botEngine) Knowledge() handoff.Knowledge { return b.kb }
