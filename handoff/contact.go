package handoff

import (
	"time"

	"tsunagu/bot"
)

// Contact is what the contact flow collected before a chat, in the
// customer's language: who they are, the order and the menu topic. It is
// the one place these facts are turned into the bot's form and the
// packet's form, for the customer's conversation and for trainee sessions
// alike.
type Contact struct {
	Lang         string
	SignedIn     bool
	CustomerID   string
	CustomerName string
	Order        *Order // nil: not about an order
	Category     string
	Subtopic     string
	Intent       string // the menu topic's intent
}

// BotFacts is the contact in the bot's form.
func (c Contact) BotFacts() bot.Facts {
	f := bot.Facts{Lang: c.Lang, CustomerName: c.CustomerName, SignedIn: c.SignedIn, Intent: c.Intent}
	if o := c.Order; o != nil {
		status := o.Status
		if status == "in_transit" {
			status = "shipped" // the profile's word for it; the bot knows "shipped"
		}
		date, _ := time.Parse(time.DateOnly, o.Date) // a missing date stays zero: the bot then gives none
		f.Order = &bot.Order{ID: o.ID, Items: o.Items, Status: status, StatusDate: date}
	}
	return f
}

// PacketFacts is the contact in the handoff packet's form.
func (c Contact) PacketFacts() Facts {
	f := Facts{Topic: Topic{Category: c.Category, Subtopic: c.Subtopic, Intent: c.Intent}}
	if c.SignedIn || c.CustomerName != "" {
		f.Customer = Customer{ID: c.CustomerID, Name: c.CustomerName}
	}
	if o := c.Order; o != nil {
		cp := *o
		f.Order = &cp
	}
	return f
}
