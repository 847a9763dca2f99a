package handoff

import (
	"strings"
)

// Knowledge is what simulated operators know about each topic: a one-line
// problem statement and the resolution steps, per intent and language, and
// which facts they need before they can resolve it. The bot's rules file
// provides it (see RulesKnowledge); tests may use a StaticKnowledge table.
type Knowledge interface {
	Playbook(intent, lang string) (Playbook, bool)
}

// Playbook is an operator's knowledge of one intent in one language.
//
// Problem is a clause the operator restates on joining, with placeholders:
// {order} ("order 123-…" or "your order"), {order_id}, {item}. In English it
// reads after "I've read your conversation with our assistant.", e.g.
// "you're waiting on a refund for {order}"; in Japanese it is followed by
// 「ですね。」, e.g. 「{order}の返金をお待ちの件」.
type Playbook struct {
	Problem string
	Steps   []string
	Needs   []string // fact names (see the Fact constants) the operator must have
}

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

// fill replaces the placeholders of a playbook text with the packet's facts.
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
	item := f.Value(FactItem)
	if item == "" {
		item = map[bool]string{true: "商品", false: "the item"}[lang == "ja"]
	}
	return strings.NewReplacer("{order}", order, "{order_id}", orderID, "{item}", item).Replace(text)
}

// TopicGroup maps an intent (SPEC section 3) to the skill group an operator
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
