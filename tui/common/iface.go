// Package common holds what every screen of the customer app shares: the
// styles (built once per theme), the key bindings, the UI strings in Japanese
// and English, the clock, and the topic menu's types.
//
// The conversation itself, and the small interfaces through which it
// reaches the store, the bot, the desk and callbacks, belong to the
// conversation engine (handoff/chat); screens only render it.
package common

import (
	"time"

	"tsunagu/handoff/chat"
)

// Clock is the app's only source of time. The live app passes the scaled
// handoff clock (--clock, --speed); tests pass a virtual clock.
type Clock interface {
	Now() time.Time
}

// Category is one step of the topic menu, labelled in the UI language.
type Category = chat.Category

// Topic is one sub-topic of the menu.
type Topic = chat.Topic
