// Package flow holds the contact flow's screens: who are
// you, which order, which topic, and which channel. Each is a plain struct
// with SetSize, View, Update and its keys; it reports a choice by leaving
// one of the messages below for the root (common.Choice), which starts the
// conversation from what the flow collected.
package flow

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tsunagu/bot/profile"
	"tsunagu/transcripts/termsafe"
	"tsunagu/tui/common"
	"tsunagu/tui/components"
)

// Messages by which the contact-flow screens report a choice to the root.
// Esc reports common.BackMsg.
type (
	// StartChosenMsg: the customer is signed in, or has no account.
	StartChosenMsg struct{ SignedIn bool }
	// OrderChosenMsg: the order the contact is about; nil for none.
	OrderChosenMsg struct{ Order *profile.Order }
	// TopicChosenMsg: the category and sub-topic.
	TopicChosenMsg struct {
		Category common.Category
		Topic    common.Topic
	}
	// ChannelChosenMsg: chat now, or a phone call (Callback).
	ChannelChosenMsg struct{ Callback bool }
)

var (
	_ common.Component = (*Start)(nil)
	_ common.Component = (*Order)(nil)
	_ common.Component = (*Topic)(nil)
	_ common.Component = (*Channel)(nil)
)

// listKeys is the help of the list screens but the first.
func listKeys(k common.Keys) common.KeyMap {
	g, l := k.Global, k.List
	return common.KeyMap{Short: []key.Binding{l.Up, l.Down, l.Choose, g.Back, g.Help, g.Quit}}
}

// --- start: who are you ------------------------------------------------------

// Start asks who the customer is: signed in, or without an account.
type Start struct {
	common.Choice
	e             common.Env
	list          components.ChoiceList
	width, height int
}

// NewStart offers the signed-in customer and "no account".
func NewStart(e common.Env) Start {
	p := Start{e: e}
	name := termsafe.Line(e.Profile.Customer.DisplayName(e.Lang))
	p.list.Items = []string{fmt.Sprintf(e.Text.StartSignedIn, name), e.Text.StartNoAccount}
	return p
}

// SetSize implements common.Component.
func (p *Start) SetSize(w, h int) { p.width, p.height = w, h }

// SetStyles applies a new theme.
func (p *Start) SetStyles(st *common.Styles) { p.e.Styles = st }

// ShortHelp implements help.KeyMap.
func (p *Start) ShortHelp() []key.Binding { return p.keyMap().ShortHelp() }

// FullHelp implements help.KeyMap.
func (p *Start) FullHelp() [][]key.Binding { return p.keyMap().FullHelp() }

func (p *Start) keyMap() common.KeyMap {
	g, l := p.e.Keys.Global, p.e.Keys.List
	return common.KeyMap{Short: []key.Binding{l.Up, l.Down, l.Choose, g.Help, g.Quit}, Extra: []key.Binding{g.Back}}
}

// Update moves through the two choices and reports StartChosenMsg.
func (p Start) Update(msg tea.Msg) (Start, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && p.list.Update(k, p.e.Keys.List, true) {
		p.Report(StartChosenMsg{SignedIn: p.list.Cursor == 0})
		return p, nil
	}
	return p, nil
}

// View implements common.Component.
func (p Start) View() string {
	t := p.e.Text
	var b strings.Builder
	b.WriteString(p.e.Styles.Header.Render(t.StartTitle) + "\n\n")
	b.WriteString(p.list.View(p.e.Styles, p.width, 2) + "\n\n")
	if p.list.Cursor == 1 {
		b.WriteString(ansi.Wrap(t.NoAccountNote, p.width, "") + "\n\n")
		b.WriteString(contactsView(p.e, p.width))
	}
	return b.String()
}

// contactsView lists the shop's contact numbers.
func contactsView(e common.Env, width int) string {
	shop := e.Profile.Shop
	var rows []string
	rows = append(rows, e.Styles.Header.Render(fmt.Sprintf(e.Text.ContactNumbers, termsafe.Line(shop.DisplayName(e.Lang)))))
	for _, c := range shop.Contacts {
		rows = append(rows, ansi.Truncate("  "+termsafe.Line(c.Number)+"  "+termsafe.Line(c.DisplayLabel(e.Lang)), width, "…"))
	}
	return strings.Join(rows, "\n")
}

// --- order: which order ------------------------------------------------------

// Order asks which of the customer's orders the contact is about, with a
// filter typed above the list.
type Order struct {
	common.Choice
	e             common.Env
	filter        string
	shown         []int // indexes into the profile's orders; -1 = not about an order
	list          components.ChoiceList
	width, height int
}

// NewOrder lists every order and "not about an order".
func NewOrder(e common.Env) Order {
	p := Order{e: e}
	p.refilter()
	return p
}

// SetSize implements common.Component.
func (p *Order) SetSize(w, h int) { p.width, p.height = w, h }

// SetStyles applies a new theme.
func (p *Order) SetStyles(st *common.Styles) { p.e.Styles = st }

// ShortHelp implements help.KeyMap.
func (p *Order) ShortHelp() []key.Binding { return listKeys(p.e.Keys).ShortHelp() }

// FullHelp implements help.KeyMap.
func (p *Order) FullHelp() [][]key.Binding { return listKeys(p.e.Keys).FullHelp() }

func (p *Order) orderRow(o profile.Order) string {
	status := p.e.Text.Status[o.Status]
	return fmt.Sprintf("%s  %s  %-10s  %s", termsafe.Line(o.ID), termsafe.Line(o.Date), status,
		termsafe.Line(strings.Join(o.DisplayItems(p.e.Lang), ", ")))
}

// refilter keeps the orders whose id, date, status or items contain the
// filter (case-insensitive). "Not about an order" is always offered.
func (p *Order) refilter() {
	q := strings.ToLower(strings.TrimSpace(p.filter))
	p.shown = p.shown[:0]
	p.list.Items = p.list.Items[:0]
	for i, o := range p.e.Profile.Orders {
		row := p.orderRow(o)
		if q == "" || strings.Contains(strings.ToLower(row+" "+o.Status+" "+strings.Join(o.Items, " ")), q) {
			p.shown = append(p.shown, i)
			p.list.Items = append(p.list.Items, row)
		}
	}
	p.shown = append(p.shown, -1)
	p.list.Items = append(p.list.Items, p.e.Text.OrderNone)
	p.list.Cursor = min(p.list.Cursor, len(p.list.Items)-1)
}

// Update filters as the customer types and reports OrderChosenMsg; Esc
// clears the filter first.
func (p Order) Update(msg tea.Msg) (Order, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if paste, ok := msg.(tea.PasteMsg); ok {
			p.filter += termsafe.Line(paste.Content)
			p.refilter()
		}
		return p, nil
	}
	if key.Matches(k, p.e.Keys.Global.Back) {
		if p.filter != "" {
			p.filter = ""
			p.refilter()
			return p, nil
		}
		p.Report(common.BackMsg{})
		return p, nil
	}
	if p.list.Update(k, p.e.Keys.List, false) {
		if i := p.shown[p.list.Cursor]; i >= 0 {
			o := p.e.Profile.Orders[i]
			p.Report(OrderChosenMsg{Order: &o})
			return p, nil
		}
		p.Report(OrderChosenMsg{})
		return p, nil
	}
	switch {
	case k.Code == tea.KeyBackspace:
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
			p.refilter()
		}
	case k.Text != "" && k.Mod&^tea.ModShift == 0:
		p.filter += termsafe.Line(k.Text)
		p.refilter()
	}
	return p, nil
}

// View implements common.Component.
func (p Order) View() string {
	t := p.e.Text
	var b strings.Builder
	b.WriteString(p.e.Styles.Header.Render(t.OrderTitle) + "\n")
	b.WriteString(p.e.Styles.Muted.Render(t.OrderFilter) + p.filter + "▏\n\n")
	if len(p.shown) == 1 && p.filter != "" {
		b.WriteString(p.e.Styles.Muted.Render(t.OrderNoMatch) + "\n")
	}
	b.WriteString(p.list.View(p.e.Styles, p.width, max(p.height-4, 1)))
	return b.String()
}

// --- topic: category, then sub-topic ----------------------------------------

// Topic asks for a category of the bot's menu, then one of its sub-topics.
type Topic struct {
	common.Choice
	e             common.Env
	menu          []common.Category // the whole menu, once the rules are loaded
	allowed       []common.Category // what this customer may pick
	cat           int               // chosen category, -1 while choosing one
	list          components.ChoiceList
	signedIn      bool
	hasOrder      bool
	loaded        bool
	early         []tea.KeyPressMsg // keys pressed while the rules loaded, replayed by SetMenu
	width, height int
}

// maxEarlyKeys bounds the keys kept while the rules load.
const maxEarlyKeys = 32

// NewTopic waits for the menu (SetMenu) while the rules load.
func NewTopic(e common.Env) Topic { return Topic{e: e, cat: -1} }

// SetSize implements common.Component.
func (p *Topic) SetSize(w, h int) { p.width, p.height = w, h }

// SetStyles applies a new theme.
func (p *Topic) SetStyles(st *common.Styles) { p.e.Styles = st }

// ShortHelp implements help.KeyMap.
func (p *Topic) ShortHelp() []key.Binding { return listKeys(p.e.Keys).ShortHelp() }

// FullHelp implements help.KeyMap.
func (p *Topic) FullHelp() [][]key.Binding { return listKeys(p.e.Keys).FullHelp() }

// SetMenu hands over the bot's menu once its rules are loaded.
// Keys pressed while the menu was loading are applied now, in order, so
// nothing a fast customer typed is lost; a choice they make is reported
// as usual (Take).
func (p *Topic) SetMenu(menu []common.Category) {
	p.menu, p.loaded = menu, menu != nil
	p.Reset(p.signedIn, p.hasOrder)
	if !p.loaded {
		return
	}
	early := p.early
	p.early = nil
	for _, k := range early {
		*p, _ = p.Update(k)
		if p.Pending() {
			break // a topic was chosen: later keys belong to the next screen
		}
	}
}

// Reset offers the categories a customer may use: without an account only
// those that need none (account and login help); order topics only when the
// chat is about an order.
func (p *Topic) Reset(signedIn, hasOrder bool) {
	p.signedIn, p.hasOrder, p.cat = signedIn, hasOrder, -1
	p.allowed = p.allowed[:0]
	for _, c := range p.menu {
		if c.OfferedTo(signedIn, hasOrder) {
			p.allowed = append(p.allowed, c)
		}
	}
	p.list = components.ChoiceList{}
	for _, c := range p.allowed {
		p.list.Items = append(p.list.Items, termsafe.Line(c.Label))
	}
}

// Update chooses a category, then a sub-topic, and reports TopicChosenMsg;
// Esc goes back from the sub-topics to the categories.
func (p Topic) Update(msg tea.Msg) (Topic, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if !p.loaded && !key.Matches(k, p.e.Keys.Global.Back) {
		if len(p.early) < maxEarlyKeys {
			p.early = append(p.early, k)
		}
		return p, nil
	}
	if key.Matches(k, p.e.Keys.Global.Back) {
		if p.cat >= 0 {
			cursor := p.cat
			p.Reset(p.signedIn, p.hasOrder)
			p.list.Cursor = cursor
			return p, nil
		}
		p.Report(common.BackMsg{})
		return p, nil
	}
	if !p.list.Update(k, p.e.Keys.List, true) {
		return p, nil
	}
	if p.cat < 0 {
		p.cat = p.list.Cursor
		c := p.allowed[p.cat]
		p.list = components.ChoiceList{}
		for _, t := range c.Topics {
			p.list.Items = append(p.list.Items, termsafe.Line(t.Label))
		}
		return p, nil
	}
	c := p.allowed[p.cat]
	p.Report(TopicChosenMsg{Category: c, Topic: c.Topics[p.list.Cursor]})
	return p, nil
}

// View implements common.Component.
func (p Topic) View() string {
	t := p.e.Text
	if !p.loaded {
		return p.e.Styles.Muted.Render(t.Loading)
	}
	head := t.TopicTitle
	if p.cat >= 0 {
		head = fmt.Sprintf(t.SubtopicTitle, termsafe.Line(p.allowed[p.cat].Label))
	}
	return p.e.Styles.Header.Render(head) + "\n\n" + p.list.View(p.e.Styles, p.width, max(p.height-2, 1))
}

// --- channel: chat now or a phone call --------------------------------------

// Channel asks how the customer wants to be contacted: chat now, or a
// phone call.
type Channel struct {
	common.Choice
	e             common.Env
	list          components.ChoiceList
	width, height int
}

// NewChannel offers the chat and the phone call, with hours saying when
// the phone line calls back.
func NewChannel(e common.Env, hours string) Channel {
	p := Channel{e: e}
	p.list.Items = []string{e.Text.ChannelChat, e.Text.ChannelCall + " — " + hours}
	return p
}

// SetSize implements common.Component.
func (p *Channel) SetSize(w, h int) { p.width, p.height = w, h }

// SetStyles applies a new theme.
func (p *Channel) SetStyles(st *common.Styles) { p.e.Styles = st }

// ShortHelp implements help.KeyMap.
func (p *Channel) ShortHelp() []key.Binding { return listKeys(p.e.Keys).ShortHelp() }

// FullHelp implements help.KeyMap.
func (p *Channel) FullHelp() [][]key.Binding { return listKeys(p.e.Keys).FullHelp() }

// Update reports ChannelChosenMsg.
func (p Channel) Update(msg tea.Msg) (Channel, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if key.Matches(k, p.e.Keys.Global.Back) {
		p.Report(common.BackMsg{})
		return p, nil
	}
	if p.list.Update(k, p.e.Keys.List, true) {
		p.Report(ChannelChosenMsg{Callback: p.list.Cursor == 1})
		return p, nil
	}
	return p, nil
}

// View implements common.Component.
func (p Channel) View() string {
	return p.e.Styles.Header.Render(p.e.Text.ChannelTitle) + "\n\n" + p.list.View(p.e.Styles, p.width, 2)
}
