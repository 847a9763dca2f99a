// Package common holds what the three apps' screens share: the styles
// (built once per theme, all in styles.go), the key bindings of each app,
// the UI strings (one table per app, filled once per language: Strings,
// HistoryStrings, TrainStrings; the one way the UI says a thing in two
// languages), the Component contract every screen and widget satisfies, and
// small shared types: the clock, the topic menu's types, the environment
// the customer app's screens read and the Choice through which they report
// to the root.
//
// The conversation itself, and the small interfaces through which it
// reaches the store, the bot, the desk and callbacks, belong to the
// conversation engine (handoff/chat); screens only render it.
package common
