// Package console is the operator console of the shared desk: the app
// `tsunagu serve` opens for people whose desk keys name an operator of the
// pool and a role (operator, trainee or trainer).
//
// It owns the console's screens and nothing of the desk itself: the queue
// of chats on the floor (take, open, watch), an operator's or trainee's chat
// with the packet and the case beside it (reply, ask for a fact, transfer,
// book a callback, close, and a trainee's scorecard), a trainer's read-only
// watch, and a trainer's role-play, in which the trainer plays a scenario's
// customer through a real customer conversation (handoff/chat) routed to a
// trainee. What people do goes through their live.Seat, what the trainer's
// customer says through the conversation engine; the screens render what
// those return.
//
// As in the other apps, Update never blocks: the seat's and the engine's
// calls run in commands, each on its own serial lane so they happen in the
// order the person made them, and a tick refreshes the floor's snapshot and
// lets the trainer's conversation catch up with the clock.
package console
