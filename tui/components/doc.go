// Package components holds the widgets the three apps share: the
// transcript view (windowed, with per-message line caches), the message input
// (a bounded textarea that normalises pastes), the side panels (the receipt,
// "why?", the history's panels), lists, search-hit highlighting and the
// layout helpers that fit a frame to the terminal. Each widget is a plain
// struct satisfying common.Component (those that take input also have
// Update(msg) (T, tea.Cmd)), or a function that draws one; none does I/O.
package components

import "tsunagu/tui/common"

var (
	_ common.Component = (*Transcript)(nil)
	_ common.Component = (*Input)(nil)
)
