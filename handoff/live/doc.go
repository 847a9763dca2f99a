// Package live is the shared desk of `tsunagu serve`: one Floor per server
// holds every customer chat that has been handed to people, the people
// signed in at the desk (operators, trainees and trainers of the pool), and
// what those people do to the chats: take, reply, ask for a fact, transfer
// with the packet, book a callback, close, watch, and play a scenario's
// customer for a trainee.
//
// A signed-in person is an operator of the pool: a chat is offered to them
// only when their languages, skills and free capacity fit it, as routing
// does for simulated operators. Chats nobody signed in can take, or that
// nobody takes within the claim window, go to the simulated operators of
// the chat's own desk (a *handoff.Desk), so the desk never stops.
//
// Each customer conversation reaches the floor through a CustomerDesk,
// which the conversation engine (handoff/chat) drives as it drives any
// desk; a person's words reach the customer on the engine's next Advance.
// Time comes from the engine's clock and the floor's Clock, never from the
// wall.
package live
