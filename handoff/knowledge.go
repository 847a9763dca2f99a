package handoff

import (
	"strings"
)

// Knowledge is what simulated operators know about each topic, per intent
// and language: the issue restated, the facts to ask for, what to say while
// resolving it, the answer to a question about it and what to do when that
// did not help. RulesKnowledge provides it for the bot's rules; tests may
// use a StaticKnowledge table.
type Knowledge interface {
	Playbook(intent, lang string) (Playbook, bool)
}

// Reader is the optional part of a Knowledge that reads a customer's words
// the way the bot does (RulesKnowledge with an engine): the issues a clause
// names and the escalation triggers a message sets off. Operators without a
// Reader still understand the kind of message (question, thanks, "that
// didn't help") from their own label sets, but not which issue it names.
type Reader interface {
	// ReadClause returns the issue a clause names; known lists the issues
	// the chat already has, the one at hand first, to resolve a clause the
	// classifier is unsure of.
	ReadClause(text, lang string, known []string) (intent string, ok bool)
	Triggers(text, lang string) []string
}

// Playbook is an operator's knowledge of one intent in one language.
//
// Problem restates the issue as a clause with placeholders: {order}
// ("order 123-…" or "your order"), {order_id}, {item}. In English it reads
// as a sentence once capitalised ("You're waiting on a refund for {order}");
// in Japanese it is a noun phrase ending in 件, followed by 「ですね。」
// (「{order}の返金をお待ちの件」).
//
// Want and Outcome serve "You'd now like {Want} rather than {Outcome}":
// Want is the issue as what the customer wants now (set on intents that
// Replace others), Outcome what an issue usually ends in (set on intents that
// can be replaced).
type Playbook struct {
	Problem  string
	Want     string
	Outcome  string
	Replaces []string // earlier issues this one takes the place of
	Needs    []string // facts (see the Fact constants) asked for when the packet lacks them
	Steps    []Say    // said while resolving it, in order
	Answer   []Say    // the answer to a question about it: the first that applies
	Retry    []Say    // what the operator does next when it did not help: the first that applies
}

// Say is one finished sentence (or two) an operator says, for the order
// statuses in When (every status when empty; see OrderStatus).
type Say struct {
	When  []string
	Text  string // fluent and native speakers
	Basic string // basic-level speakers; "" means the first sentence of Text
}

// Order statuses a Say can be for: the profile's statuses, and StatusNone
// when no order or no status is known.
const (
	StatusProcessing = "processing"
	StatusInTransit  = "in_transit"
	StatusDelivered  = "delivered"
	StatusCancelled  = "cancelled"
	StatusReturned   = "returned"
	StatusNone       = "none"
)

// OrderStatuses lists every status a Say may name.
var OrderStatuses = []string{StatusProcessing, StatusInTransit, StatusDelivered, StatusCancelled, StatusReturned, StatusNone}

// OrderStatus is the status the packet's order is in, as a Say names it.
func OrderStatus(f *Facts) string {
	if f.Order == nil {
		return StatusNone
	}
	switch s := f.Order.Status; s {
	case "shipped":
		return StatusInTransit
	case StatusProcessing, StatusInTransit, StatusDelivered, StatusCancelled, StatusReturned:
		return s
	}
	return StatusNone
}

// For reports whether s is said for an order in status.
func (s Say) For(status string) bool {
	if len(s.When) == 0 {
		return true
	}
	for _, w := range s.When {
		if w == status {
			return true
		}
	}
	return false
}

// In returns what s says at level lv.
func (s Say) In(lv Level) string {
	if lv <= LevelBasic {
		if s.Basic != "" {
			return s.Basic
		}
		return withoutNotes(firstSentence(s.Text))
	}
	return s.Text
}

// first returns the first Say of says for status.
func first(says []Say, status string) (Say, bool) {
	for _, s := range says {
		if s.For(status) {
			return s, true
		}
	}
	return Say{}, false
}

// Resolving reports whether the playbook has something to do for an issue:
// greetings, goodbyes and asking for a person are not issues an operator
// works on.
func (pb Playbook) Resolving() bool { return len(pb.Steps) > 0 }

// StaticKnowledge is a Knowledge held in a table keyed by intent, then
// language.
type StaticKnowledge map[string]map[string]Playbook

// Playbook implements Knowledge.
func (k StaticKnowledge) Playbook(intent, lang string) (Playbook, bool) {
	byLang, ok := k[intent]
	if !ok {
		return Playbook{}, false
	}
	pb, ok := byLang[lang]
	return pb, ok
}

// Intents lists the table's intents, for simulations that draw topics.
func (k StaticKnowledge) Intents() []string {
	out := make([]string, 0, len(k))
	for in := range k {
		out = append(out, in)
	}
	return out
}

// fill replaces the placeholders of an operator's text with the packet's
// facts.
func fill(text, lang string, f *Facts) string {
	if !strings.Contains(text, "{") {
		return text
	}
	orderID := f.Value(FactOrderID)
	order := "your order"
	if lang == "ja" {
		order = "ご注文"
	}
	if orderID != "" {
		if lang == "ja" {
			order = "ご注文（" + orderID + "）"
		} else {
			order = "order " + orderID
		}
	}
	return strings.NewReplacer("{order}", order, "{order_id}", orderID, "{item}", itemPhrase(lang, f)).Replace(text)
}

// itemPhrase names the order's items: "the wireless earbuds", 「ワイヤレスイヤホン」.
func itemPhrase(lang string, f *Facts) string {
	var items []string
	if f.Order != nil {
		items = f.Order.Items
	}
	if len(items) == 0 {
		if v := f.Slots[FactItem]; v != "" {
			items = []string{v}
		}
	}
	if lang == "ja" {
		if len(items) == 0 {
			return "商品"
		}
		return strings.Join(items, "・")
	}
	if len(items) == 0 {
		return "the item"
	}
	low := make([]string, len(items))
	for i, it := range items {
		low[i] = lowerFirst(it, "en")
	}
	if len(low) == 1 {
		return "the " + low[0]
	}
	return "the " + strings.Join(low[:len(low)-1], ", ") + " and " + low[len(low)-1]
}

// TopicGroup maps an intent to the skill group an operator
// needs for it.
func TopicGroup(intent string) string {
	switch intent {
	case "cancel_order", "change_order", "place_order", "track_order", "check_cancellation_fee":
		return "orders"
	case "change_shipping_address", "set_up_shipping_address", "delivery_options", "delivery_period":
		return "delivery"
	case "check_invoice", "get_invoice", "check_payment_methods", "payment_issue":
		return "payment"
	case "check_refund_policy", "get_refund", "track_refund", "return_item", "product_problem":
		return "refunds"
	case "create_account", "delete_account", "edit_account", "recover_password", "registration_problems", "switch_account":
		return "account"
	case "account_security":
		return "security"
	case "membership":
		return "membership"
	case "complaint", "review", "newsletter_subscription":
		return "feedback"
	}
	return "general"
}
