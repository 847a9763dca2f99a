package train

import "charm.land/bubbles/v2/key"

// Keys are the trainee screens' bindings. Actions use control keys so typing
// a reply never triggers them.
type Keys struct {
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

// NewKeys builds the bindings with help in lang.
func NewKeys(lang string) Keys {
	h := func(en, ja string) string {
		if lang == "ja" {
			return ja
		}
		return en
	}
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return Keys{
		Up:         key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", h("up", "上"))),
		Down:       key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", h("down", "下"))),
		Choose:     b(h("play", "開始"), "enter"),
		Send:       b(h("send", "送信"), "enter"),
		Newline:    b(h("new line", "改行"), "alt+enter", "ctrl+j"),
		Transfer:   b(h("transfer", "転送"), "ctrl+t"),
		Callback:   b(h("callback", "折り返し予約"), "ctrl+b"),
		Wait:       b(h("wait 30s", "30秒待つ"), "ctrl+w"),
		Close:      b(h("close chat", "対応終了"), "ctrl+x"),
		ScrollUp:   b(h("scroll", "スクロール"), "pgup"),
		ScrollDown: b(h("scroll", "スクロール"), "pgdown"),
		Team:       b(h("team", "担当"), "1", "2", "3", "4"),
		Cancel:     b(h("cancel", "キャンセル"), "esc"),
		Again:      b(h("scenario list", "シナリオ一覧"), "enter"),
		Quit:       b(h("quit", "終了"), "ctrl+c"),
	}
}
