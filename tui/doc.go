// Package tui is the customer's terminal app: the contact flow (who are you, which order, which topic, which channel), the chat
// with the first-line bot, the live handoff to an operator, phone callbacks,
// ratings and closing, and the history browser as one of its screens.
//
// This package is only the app's root model (Model): screen switching and
// layout, global keys, the theme, quitting, and the glue between the screens
// and the conversation engine (handoff/chat), which holds the conversation.
// The rest of the terminal code is laid out by screen:
//
//	tui/common/      styles, keys and strings (one table per app and
//	                 language), the Component contract every screen and
//	                 widget satisfies, and small shared types.
//	tui/components/  widgets: the windowed transcript, the bounded input,
//	                 the side panels, lists, search-hit highlighting.
//	tui/pages/flow/  the contact flow's screens: who, order, topic, channel.
//	tui/pages/chat/  the chat, the phone-call request, the ratings and the
//	                 closing screen: they render the engine's state and
//	                 never touch the store.
//	tui/history/     the history browser, its root and its pages; also
//	                 run on its own by "tsunagu history".
//	tui/train/       the trainee app, its root and its pages.
//
// Screens report what the customer chose by leaving a message for the root
// (common.Choice: flow.StartChosenMsg, chat.SendMsg, …), which the root
// handles in the same Update. To add a screen: write it in the package of
// its part of the app as a common.Component with Update, add a screen
// constant here, and route to it in Model.updateScreen and Model.current.
//
// # Commands, the engine lane and who may touch what
//
// Update never blocks and never does I/O. Engine calls (which write the
// store, ask the bot and advance the operator desk) and timers run as
// tea.Cmds. The engine's calls must happen in the order the customer made
// them, so every one runs in the engine lane (see lane): a queue that starts
// the next call only when the previous one has delivered its result
// message. The model itself is only ever changed by Update, from the
// messages the commands return; commands capture copies of what they need,
// never the model. The screens only render the engine's snapshot (State),
// handed to them at the end of every Update.
//
// Slow starts happen after the first frame: opening the store and loading
// (training) the rules are commands started by Init.
package tui
