// Package chat is the conversation engine: one customer conversation from
// the contact flow's facts to the close, through the first-line bot, the
// operator desk, phone callbacks and the transcript store, and back again
// when a stored conversation is resumed.
//
// It is plain Go with no terminal code. The customer app (tui) and
// `tsunagu chat --jsonl` both drive it: they call its methods and render
// what comes back. Each call returns what happened as values (Events, in
// order, and Saves, the store's verdict on each line), and State gives a
// snapshot of where the conversation stands. The caller decides when to
// call it, and passes the clock; nothing here sleeps or starts goroutines.
//
// The engine owns:
//   - the one mapping of the contact flow's facts to bot and packet form;
//   - every store write, in the order the customer saw them, with retries
//     that keep that order (a failed write holds back the ones after it);
//   - the escalation: the packet is built and stored with the intent that
//     both the wait quote and the routing use;
//   - the case: the customer's issues and their status;
//   - abandon on quit, close with ratings, and resume.
//
// A Conversation serialises its methods with a mutex, so a caller may run
// them from background commands; callers that need a strict order of calls
// (the customer's messages) must still issue them one at a time.
package chat
