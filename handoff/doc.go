// Package handoff owns everything that happens after the bot escalates: the
// operator pool, the priority queue, routing, shifts, simulated operators,
// injected faults and transfers, phone callbacks, the handoff packet, the
// discrete-event queue simulator and Erlang C. It never imports a UI package.
//
// # Time and randomness
//
// Nothing here reads the wall clock or a global random source. Callers pass a
// [Clock] ([NewScaledClock] for the live app, scaled by --speed;
// [VirtualClock] for tests) and a seed; the same seed gives the same run.
//
// # The pool
//
// [DefaultPool] is the embedded default (default_pool.yaml): round-the-clock
// chat cover through day, evening and night shifts, native Japanese and native
// English speakers, operators whose Japanese is fluent or basic, and a phone
// callback team working 09:00-18:00 every day in the pool's time zone
// (Asia/Tokyo). [LoadPool] reads a replacement file (--operators) through
// bot/yamlfile and adds semantic checks reported as NAME:LINE: message.
//
// # The packet
//
// A [Packet] is built once at escalation ([NewPacket]) and grows with every
// later message ([Packet.Add]). It is plain JSON (the store keeps it raw in the
// escalation event) and travels with the chat on every transfer.
//
// # Understanding the customer
//
// What the packet and the operators read in a customer's words (does a line
// ask for a person, which outcome does the customer want, is a message
// idiomatic for a basic-level reader) is learnt from examples in
// understand/*.yaml with bot/classify, the bot's own scorer, and trained once
// on first use. Only a message's length is a numeric rule.
//
// # The desk: one live customer chat
//
// A [Desk] runs the pool in simulated time with background load (other
// customers) so the queue is real, and carries ONE focus chat for the TUI:
//
//	desk, err := handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: kb, Start: clock.Now(), Seed: seed})
//	quote := desk.Quote(clock.Now(), packet.Lang, packet.Facts.Topic.Intent, handoff.ClassOf(packet.Reason))
//	// show quote.FirstAvailable beside quote.NativeOnly, then:
//	events, err := desk.Enqueue(clock.Now(), packet, handoff.ClassOf(packet.Reason), nativeOnly)
//	// then, on every tick:
//	events = desk.Advance(clock.Now())
//	// for every customer message (it joins the packet):
//	events = desk.CustomerMessage(clock.Now(), text)
//	// and when the customer leaves the queue or ends the chat:
//	events = desk.Close(clock.Now())
//
// Every call returns [Event] values in time order: queue position and
// expected wait (recomputed on every change), operator joined, typing,
// operator message, operator left (shift end, timeout, line fault) followed by
// the next operator's acknowledged handover, and resolved with an offer to
// close. Operators' steps are explicit [Step] values; an operator never asks
// for a fact the packet already holds.
//
// # Callbacks
//
// [Callbacks.Offer] says whether phone hours are open (09:00 open, 18:00
// closed) and how soon a call would come; [Callbacks.Book] validates the
// number (bot/slots.ParsePhone: Japanese domestic, E.164, full-width digits)
// and books "within N minutes" from the phone team's load in phone hours, or
// the next opening slot outside them. The [Booking] is stored as an event with
// the conversation.
//
// # Simulation
//
// [Simulate] is the discrete-event simulator behind `tsunagu sim`; [ErlangC]
// and [Staffing] give the M/M/c formulas it is checked against. The desk and
// the simulator share one engine (engine.go): the same queue, routing, shifts,
// faults and transfers, and the same operator brain (operator.go).
//
// # Knowledge
//
// Operators know each intent through [Knowledge]; [RulesKnowledge] adapts the
// bot's rules (their per-intent playbooks), [StaticKnowledge] is a plain table.
package handoff
