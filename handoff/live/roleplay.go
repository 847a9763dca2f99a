package live

import (
	"tsunagu/bot/profile"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/training"
)

// RolePlayCustomer is who a trainer is when playing sc's customer in lang:
// the scenario's customer and order as a profile, and the contact flow's
// answers (signed in, the order, the topic) for the conversation engine.
func RolePlayCustomer(sc *training.Scenario, lang string) (*profile.Profile, chat.Contact) {
	p := profile.Demo()
	name := sc.Customer.Name.In(lang)
	p.Customer = profile.Customer{ID: sc.Customer.Account, Name: sc.Customer.Name.In("ja"), NameEN: sc.Customer.Name.In("en"), Lang: lang}
	if name == "" {
		p.Customer.Name, p.Customer.NameEN = "", ""
	}
	ct := chat.Contact{SignedIn: sc.Customer.Account != "",
		Category: chat.Category{ID: sc.Topic.Category},
		Topic:    chat.Topic{ID: sc.Topic.Subtopic, Intent: sc.Topic.Intent}}
	p.Orders = nil
	if o := sc.Order; o != nil {
		po := profile.Order{ID: o.ID, Items: o.Items.In("ja"), ItemsEN: o.Items.In("en"), Date: o.Date, Status: o.Status}
		p.Orders = []profile.Order{po}
		ct.Order = &p.Orders[0]
	}
	return p, ct
}
