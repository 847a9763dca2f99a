// Package tui is the customer's terminal app: the contact flow of SPEC
// section 2 (who are you, which order, which topic, which channel), the chat
// with the first-line bot, the live handoff to an operator, phone callbacks,
// ratings and closing. Later issues add the history screen and trainee mode
// beside it.
//
// # Layout
//
//	tui/            one root tea.Model (Model): screen switching, global keys,
//	                sizes, theme, and every domain command. Each screen is a
//	                plain struct in its own file (page_*.go) with SetSize,
//	                View() string and Update(msg) (T, tea.Cmd); a screen
//	                reports a choice by returning a command that yields a
//	                message (orderChosenMsg, topicChosenMsg, …) for the root.
//	tui/common/     styles (NewStyles(isDark, noColor) with lipgloss.LightDark),
//	                key bindings per context, UI strings in ja and en, and the
//	                small interfaces tui needs of the store, the bot, the desk
//	                and the clock.
//	tui/components/ widgets: the windowed transcript, the bounded input,
//	                the receipt and "why?" panels.
//	tui/wire/       adapters from the real domain packages to those
//	                interfaces, used by cmd/tsunagu and the tests.
//
// To add a screen: write page_x.go with the three methods, add a screen
// constant, and route to it from Model.Update and Model.View.
//
// # Commands, lanes and who may touch what
//
// Update never blocks and never does I/O. Store writes, bot calls, desk
// advances and timers run as tea.Cmds. The bot's dialogue state and the
// operator desk are stateful domain objects that are not safe for concurrent
// use, and the store's entries must land in the order they were shown. So
// every command that touches one of them runs in that object's lane (see
// lane): a queue that starts the next command only when the previous one
// has delivered its result message. Two commands never touch the same object
// at once, and the model itself is only ever changed by Update, from the
// messages the commands return. Commands capture copies of what they need,
// never the model.
//
// Slow starts happen after the first frame: opening the store and loading
// (training) the rules are commands started by Init.
package tui
