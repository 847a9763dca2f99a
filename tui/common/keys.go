package common

import "charm.land/bubbles/v2/key"

// GlobalKeys work on every screen.
type GlobalKeys struct {
	Quit key.Binding
	Help key.Binding
	Back key.Binding
}

// ListKeys move through a list of choices.
type ListKeys struct {
	Up     key.Binding
	Down   key.Binding
	Choose key.Binding
}

// ChatKeys are the chat screen's keys. None of them is a printable character,
// so typing never triggers them: j, k, space, f and b always go into the
// input, never to the transcript.
type ChatKeys struct {
	Send     key.Binding
	Newline  key.Binding
	ScrollUp key.Binding
	ScrollDn key.Binding
	Human    key.Binding
	Receipt  key.Binding
	Why      key.Binding
	Call     key.Binding
	End      key.Binding
	Help     key.Binding
}

// Keys are all bindings with help texts in one language.
type Keys struct {
	Global GlobalKeys
	List   ListKeys
	Chat   ChatKeys
}

// NewKeys builds the bindings with help in the UI language.
func NewKeys(t *Strings) Keys {
	h := t.Help
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return Keys{
		Global: GlobalKeys{
			Quit: b(h["quit"], "ctrl+c"),
			Help: b(h["help"], "?", "f1"),
			Back: b(h["back"], "esc"),
		},
		List: ListKeys{
			Up:     key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", h["up"])),
			Down:   key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", h["down"])),
			Choose: b(h["choose"], "enter"),
		},
		Chat: ChatKeys{
			Send:     b(h["send"], "enter"),
			Newline:  b(h["newline"], "alt+enter", "ctrl+j"),
			ScrollUp: b(h["scroll"], "pgup", "shift+up"),
			ScrollDn: b(h["scroll"], "pgdown", "shift+down"),
			Human:    b(h["human"], "ctrl+o"),
			Receipt:  b(h["receipt"], "ctrl+r"),
			Why:      b(h["why"], "ctrl+y", "f2"),
			Call:     b(h["call"], "ctrl+l"),
			End:      b(h["end"], "ctrl+x"),
			Help:     b(h["help"], "f1"),
		},
	}
}

// HistoryKeys are the history browser's bindings. In the list, printable
// keys type into the search, so every list action is a control or
// navigation key; the open conversation has no text input, so it uses
// letters.
type HistoryKeys struct {
	Up, Down, PageUp, PageDown, Home key.Binding
	Open, Back, Quit, Help           key.Binding
	Filter, Mark, Export, Delete     key.Binding

	// Open conversation.
	ScrollUp, ScrollDown, PgUp, PgDown key.Binding
	NextHit, PrevHit, Panel            key.Binding
	Copy, ConvExport, ConvDelete       key.Binding
	Resume                             key.Binding

	Retry key.Binding
}

// NewHistoryKeys builds the bindings with help in the UI language.
func NewHistoryKeys(t *Strings) HistoryKeys {
	h := t.Help
	b := func(help, label string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, help))
	}
	return HistoryKeys{
		Up:       b(h["scroll"], "↑/↓", "up"),
		Down:     b(h["scroll"], "↓", "down"),
		PageUp:   b(h["page"], "pgup/pgdn", "pgup"),
		PageDown: b(h["page"], "pgdn", "pgdown"),
		Home:     b(h["top"], "home", "home"),
		Open:     b(h["open"], "enter", "enter"),
		Back:     b(h["back"], "esc", "esc"),
		Quit:     b(h["quit"], "ctrl+c", "ctrl+c"),
		Help:     b(h["help"], "f1", "f1"),
		Filter:   b(h["filter"], "ctrl+f", "ctrl+f"),
		Mark:     b(h["mark"], "ctrl+t", "ctrl+t"),
		Export:   b(h["export"], "ctrl+e", "ctrl+e"),
		Delete:   b(h["delete"], "ctrl+d", "ctrl+d"),

		ScrollUp:   b(h["scroll"], "↑/↓", "up", "k"),
		ScrollDown: b(h["scroll"], "↓", "down", "j"),
		PgUp:       b(h["page"], "pgup/pgdn", "pgup", "b"),
		PgDown:     b(h["page"], "pgdn", "pgdown", "f", "space"),
		NextHit:    b(h["hits"], "n/N", "n"),
		PrevHit:    b(h["hits"], "N", "N"),
		Panel:      b(h["panel"], "tab", "tab"),
		Copy:       b(h["copy"], "y", "y"),
		ConvExport: b(h["export"], "e", "e"),
		ConvDelete: b(h["delete"], "d", "d"),
		Resume:     b(h["resume"], "r", "r"),

		Retry: b(h["retry"], "r", "r"),
	}
}

// TrainKeys are the trainee app's bindings. Actions use control keys so
// typing a reply never triggers them.
type TrainKeys struct {
	Up, Down, Choose key.Binding
	Send, Newline    key.Binding
	Transfer         key.Binding
	Callback         key.Binding
	Wait             key.Binding
	Close            key.Binding
	ScrollUp         key.Binding
	ScrollDown       key.Binding
	Team             key.Binding // 1-4 in the transfer picker
	Cancel           key.Binding
	Again            key.Binding
	Quit             key.Binding
}

// NewTrainKeys builds the bindings with help in the UI language.
func NewTrainKeys(t *Strings) TrainKeys {
	h := t.Help
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return TrainKeys{
		Up:         key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", h["up"])),
		Down:       key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", h["down"])),
		Choose:     b(h["play"], "enter"),
		Send:       b(h["send"], "enter"),
		Newline:    b(h["newline"], "alt+enter", "ctrl+j"),
		Transfer:   b(h["transfer"], "ctrl+t"),
		Callback:   b(h["callback"], "ctrl+b"),
		Wait:       b(h["wait"], "ctrl+w"),
		Close:      b(h["close"], "ctrl+x"),
		ScrollUp:   b(h["scroll"], "pgup"),
		ScrollDown: b(h["scroll"], "pgdown"),
		Team:       b(h["team"], "1", "2", "3", "4"),
		Cancel:     b(h["cancel"], "esc"),
		Again:      b(h["list"], "enter"),
		Quit:       b(h["quit"], "ctrl+c"),
	}
}
