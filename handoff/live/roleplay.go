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

// PlayCustomer starts conv, the trainer's customer conversation for sc in
// lang, and routes it to trainee once it reaches a person. A refused
// role-play (the trainee is gone or does not speak lang) leaves nothing
// open: the conversation is abandoned.
func (s *Seat) PlayCustomer(conv *chat.Conversation, sc *training.Scenario, lang, trainee string) (chat.Result, error) {
	res := conv.StartChat()
	if err := s.StartRolePlay(conv.ID(), sc, lang, trainee); err != nil {
		conv.Abandon()
		return res, err
	}
	return res, nil
}

// PlayTurn runs one call of the role-play's customer conversation. The
// customer never has to choose who answers: the chat is for the trainee,
// so when the engine asks, the first available person is taken.
func PlayTurn(conv *chat.Conversation, call func(*chat.Conversation) chat.Result) chat.Result {
	res := call(conv)
	if conv.State().Choosing {
		more := conv.Choose(false)
		res.Events = append(res.Events, more.Events...)
		res.Saves = append(res.Saves, more.Saves...)
	}
	return res
}
