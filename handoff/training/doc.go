// Package training is trainee mode's scenario engine: the operator's seat,
// played by a person, with a simulated customer on the other side.
//
// It owns the scenario file format (YAML, loaded through bot/yamlfile), the
// embedded built-in scenarios, the simulated customer (persona, mood and
// reaction rules), resolution conditions, the weighted QA scorecard, the
// escalation drill, turning a stored conversation back into a scenario file,
// and the Markdown export of a scorecard. It is domain code: no Bubble Tea,
// no lipgloss.
//
// A [Session] first plays the scenario's opening messages through the real
// first-line bot (a [Bot]), builds the real handoff packet
// ([handoff.NewPacket]) when the bot escalates, and then lets the trainee
// reply, transfer, book a callback or close. Each trainee line is read by
// [Read] into [Signals]; the scenario's reaction rules turn signals into the
// customer's mood change and answer. [Session.Scorecard] grades the whole run.
//
// A live session ([NewLiveSession]) has a person play the customer instead:
// it starts from the packet of a real escalated chat, takes the customer's
// lines from [Session.CustomerSays], and grades the trainee with the same
// scorecard while the mood meter moves by the same rules.
//
// Time comes from a [handoff.Clock] and every random choice from a seeded
// math/rand/v2 source, so a session replays exactly for a given seed.
package training
