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
