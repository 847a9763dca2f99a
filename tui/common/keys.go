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
