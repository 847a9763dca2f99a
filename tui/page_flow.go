package tui

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
type (
	startChosenMsg struct{ signedIn bool }
	orderChosenMsg struct{ order *profile.Order }
	topicChosenMsg struct {
		category common.Category
		topic    common.Topic
	}
	channelChosenMsg struct{ callback bool }
	backMsg          struct{}
)

// A screen reports a choice by setting its out field; the root takes it
// right after the screen's Update and handles it in the same Update, so a
// key typed quickly after Enter goes to the next screen, never the old one.

// choiceList is a keyboard-driven list: arrows move, Enter chooses, digits
// 1-9 choose directly when the list has no filter.
type choiceList struct {
	items  []string
	cursor int
}

func (l *choiceList) move(d int) {
	if len(l.items) == 0 {
		l.cursor = 0
		return
	}
	l.cursor = (l.cursor + d + len(l.items)) % len(l.items)
}

// update handles list keys and reports whether Enter (or a digit) chose.
func (l *choiceList) update(k tea.KeyPressMsg, keys common.ListKeys, digits bool) bool {
	switch {
	case key.Matches(k, keys.Up):
		l.move(-1)
	case key.Matches(k, keys.Down):
		l.move(1)
	case key.Matches(k, keys.Choose):
		return len(l.items) > 0
	case digits && len(k.Text) == 1 && k.Text[0] >= '1' && k.Text[0] <= '9':
		if n := int(k.Text[0] - '1'); n < len(l.items) {
			l.cursor = n
			return true
		}
	}
	return false
}

// view renders at most height rows, keeping the cursor visible.
func (l *choiceList) view(st *common.Styles, width, height int) string {
	return components.ListWindow(st, l.items, l.cursor, width, height)
}

// --- start: who are you ------------------------------------------------------

type startPage struct {
	e             env
	out           tea.Msg
	list          choiceList
	width, height int
}

func newStartPage(e env) startPage {
	p := startPage{e: e}
	name := termsafe.Line(e.prof.Customer.DisplayName(e.lang))
	p.list.items = []string{fmt.Sprintf(e.text.StartSignedIn, name), e.text.StartNoAccount}
	return p
}

func (p *startPage) SetSize(w, h int) { p.width, p.height = w, h }

func (p startPage) Update(msg tea.Msg) (startPage, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && p.list.update(k, p.e.keys.List, true) {
		p.out = startChosenMsg{signedIn: p.list.cursor == 0}
		return p, nil
	}
	return p, nil
}

func (p startPage) View() string {
	t := p.e.text
	var b strings.Builder
	b.WriteString(p.e.st.Header.Render(t.StartTitle) + "\n\n")
	b.WriteString(p.list.view(p.e.st, p.width, 2) + "\n\n")
	if p.list.cursor == 1 {
		b.WriteString(ansi.Wrap(t.NoAccountNote, p.width, "") + "\n\n")
		b.WriteString(contactsView(p.e, p.width))
	}
	return b.String()
}

// contactsView lists the shop's contact numbers.
func contactsView(e env, width int) string {
	shop := e.prof.Shop
	var rows []string
	rows = append(rows, e.st.Header.Render(fmt.Sprintf(e.text.ContactNumbers, termsafe.Line(shop.DisplayName(e.lang)))))
	for _, c := range shop.Contacts {
		rows = append(rows, ansi.Truncate("  "+termsafe.Line(c.Number)+"  "+termsafe.Line(c.DisplayLabel(e.lang)), width, "…"))
	}
	return strings.Join(rows, "\n")
}

// --- order: which order ------------------------------------------------------

type orderPage struct {
	e             env
	out           tea.Msg
	filter        string
	shown         []int // indexes into the profile's orders; -1 = not about an order
	list          choiceList
	width, height int
}

func newOrderPage(e env) orderPage {
	p := orderPage{e: e}
	p.refilter()
	return p
}

func (p *orderPage) SetSize(w, h int) { p.width, p.height = w, h }

func (p *orderPage) orderRow(o profile.Order) string {
	status := p.e.text.Status[o.Status]
	return fmt.Sprintf("%s  %s  %-10s  %s", termsafe.Line(o.ID), termsafe.Line(o.Date), status,
		termsafe.Line(strings.Join(o.DisplayItems(p.e.lang), ", ")))
}

// refilter keeps the orders whose id, date, status or items contain the
// filter (case-insensitive). "Not about an order" is always offered.
func (p *orderPage) refilter() {
	q := strings.ToLower(strings.TrimSpace(p.filter))
	p.shown = p.shown[:0]
	p.list.items = p.list.items[:0]
	for i, o := range p.e.prof.Orders {
		row := p.orderRow(o)
		if q == "" || strings.Contains(strings.ToLower(row+" "+o.Status+" "+strings.Join(o.Items, " ")), q) {
			p.shown = append(p.shown, i)
			p.list.items = append(p.list.items, row)
		}
	}
	p.shown = append(p.shown, -1)
	p.list.items = append(p.list.items, p.e.text.OrderNone)
	p.list.cursor = min(p.list.cursor, len(p.list.items)-1)
}

func (p orderPage) Update(msg tea.Msg) (orderPage, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if paste, ok := msg.(tea.PasteMsg); ok {
			p.filter += termsafe.Line(paste.Content)
			p.refilter()
		}
		return p, nil
	}
	if key.Matches(k, p.e.keys.Global.Back) {
		if p.filter != "" {
			p.filter = ""
			p.refilter()
			return p, nil
		}
		p.out = backMsg{}
		return p, nil
	}
	if p.list.update(k, p.e.keys.List, false) {
		if i := p.shown[p.list.cursor]; i >= 0 {
			o := p.e.prof.Orders[i]
			p.out = orderChosenMsg{order: &o}
			return p, nil
		}
		p.out = orderChosenMsg{}
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

func (p orderPage) View() string {
	t := p.e.text
	var b strings.Builder
	b.WriteString(p.e.st.Header.Render(t.OrderTitle) + "\n")
	b.WriteString(p.e.st.Muted.Render(t.OrderFilter) + p.filter + "▏\n\n")
	if len(p.shown) == 1 && p.filter != "" {
		b.WriteString(p.e.st.Muted.Render(t.OrderNoMatch) + "\n")
	}
	b.WriteString(p.list.view(p.e.st, p.width, max(p.height-4, 1)))
	return b.String()
}

// --- topic: category, then sub-topic ----------------------------------------

type topicPage struct {
	e             env
	out           tea.Msg
	menu          []common.Category // the whole menu, once the rules are loaded
	allowed       []common.Category // what this customer may pick
	cat           int               // chosen category, -1 while choosing one
	list          choiceList
	signedIn      bool
	hasOrder      bool
	loaded        bool
	width, height int
}

func (p *topicPage) SetSize(w, h int) { p.width, p.height = w, h }

func (p *topicPage) setMenu(menu []common.Category) {
	p.menu, p.loaded = menu, menu != nil
	p.reset(p.signedIn, p.hasOrder)
}

// reset offers the categories a customer may use: without an account only
// those that need none (account and login help); order topics only when the
// chat is about an order.
func (p *topicPage) reset(signedIn, hasOrder bool) {
	p.signedIn, p.hasOrder, p.cat = signedIn, hasOrder, -1
	p.allowed = p.allowed[:0]
	for _, c := range p.menu {
		if (signedIn || !c.NeedsAccount) && (hasOrder || !c.NeedsOrder) {
			p.allowed = append(p.allowed, c)
		}
	}
	p.list = choiceList{}
	for _, c := range p.allowed {
		p.list.items = append(p.list.items, termsafe.Line(c.Label))
	}
}

func (p topicPage) Update(msg tea.Msg) (topicPage, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if key.Matches(k, p.e.keys.Global.Back) {
		if p.cat >= 0 {
			cursor := p.cat
			p.reset(p.signedIn, p.hasOrder)
			p.list.cursor = cursor
			return p, nil
		}
		p.out = backMsg{}
		return p, nil
	}
	if !p.list.update(k, p.e.keys.List, true) {
		return p, nil
	}
	if p.cat < 0 {
		p.cat = p.list.cursor
		c := p.allowed[p.cat]
		p.list = choiceList{}
		for _, t := range c.Topics {
			p.list.items = append(p.list.items, termsafe.Line(t.Label))
		}
		return p, nil
	}
	c := p.allowed[p.cat]
	p.out = topicChosenMsg{category: c, topic: c.Topics[p.list.cursor]}
	return p, nil
}

func (p topicPage) View() string {
	t := p.e.text
	if !p.loaded {
		return p.e.st.Muted.Render(t.Loading)
	}
	head := t.TopicTitle
	if p.cat >= 0 {
		head = fmt.Sprintf(t.SubtopicTitle, termsafe.Line(p.allowed[p.cat].Label))
	}
	return p.e.st.Header.Render(head) + "\n\n" + p.list.view(p.e.st, p.width, max(p.height-2, 1))
}

// --- channel: chat now or a phone call --------------------------------------

type channelPage struct {
	e             env
	out           tea.Msg
	list          choiceList
	hours         string // the phone line's state, shown beside the option
	width, height int
}

func newChannelPage(e env, hours string) channelPage {
	p := channelPage{e: e, hours: hours}
	p.list.items = []string{e.text.ChannelChat, e.text.ChannelCall + " — " + hours}
	return p
}

func (p *channelPage) SetSize(w, h int) { p.width, p.height = w, h }

func (p channelPage) Update(msg tea.Msg) (channelPage, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if key.Matches(k, p.e.keys.Global.Back) {
		p.out = backMsg{}
		return p, nil
	}
	if p.list.update(k, p.e.keys.List, true) {
		p.out = channelChosenMsg{callback: p.list.cursor == 1}
		return p, nil
	}
	return p, nil
}

func (p channelPage) View() string {
	return p.e.st.Header.Render(p.e.text.ChannelTitle) + "\n\n" + p.list.view(p.e.st, p.width, 2)
}
