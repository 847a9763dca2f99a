// Package history is the history browser: the stored conversations listed
// newest first and paged from the store, type-to-search with highlighted
// hits, filters, one conversation opened with its events, handoff packet and
// the bot's decisions, and export, clipboard copy, delete and resume.
//
// Model is its root tea.Model. It runs on its own for "tsunagu history",
// and the customer app (tui) embeds it as a screen, drawing its Frame and
// passing it messages. Its pages (the list, the open conversation, the
// filter form) are plain structs the root lays out and draws.
//
// The browser reaches the conversation store only through Store, and only
// from commands, so a big store never blocks a frame.
package history
