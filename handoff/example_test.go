package handoff_test

import (
	"fmt"
	"time"

	"tsunagu/bot"
	"tsunagu/handoff"
)

func ExampleErlangC() {
	e := handoff.ErlangC(12, 100, 6*time.Minute)
	fmt.Printf("load %.0f erlangs, P(wait) %.3f, mean wait %.1f s, within 20 s %.3f\n",
		e.Load, e.PWait, e.MeanWait.Seconds(), e.ServiceLevel(20*time.Second))
	// Output: load 10 erlangs, P(wait) 0.449, mean wait 80.9 s, within 20 s 0.598
}

// ExampleDesk drives one customer chat the way the TUI does: quote, enqueue,
// then advance the clock and pass on what the customer types.
func ExampleDesk() {
	pool := handoff.DefaultPool()
	// The app uses handoff.NewEngineKnowledge(engine); a table keeps the
	// example's output stable.
	kb := handoff.StaticKnowledge{"track_order": {"en": {
		Problem: "{order} hasn't arrived yet",
		Needs:   []string{handoff.FactOrderID},
		Steps:   []handoff.Say{{Text: "It's with the carrier and arrives tomorrow."}, {Text: "I've emailed you the tracking link."}},
	}}}
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, pool.Location)
	desk, err := handoff.NewDesk(handoff.DeskConfig{Pool: pool, Knowledge: kb, Start: now, Seed: 1, ArrivalsPerHour: 1, Faults: &handoff.Faults{}})
	if err != nil {
		panic(err)
	}
	packet := handoff.NewPacket(now, "c1", bot.ReasonHumanRequested, "en",
		handoff.Facts{Order: &handoff.Order{ID: "123-4567890-1234567"}, Topic: handoff.Topic{Intent: "track_order"}},
		nil, []handoff.Line{{At: now, Speaker: handoff.SpeakerCustomer, Text: "Where is my parcel? I want a person."}}, kb)
	q := desk.Quote(now, "en", "track_order", handoff.ClassOf(packet.Reason))
	fmt.Println("first available in", q.FirstAvailable)
	events, _ := desk.Enqueue(now, packet, handoff.ClassOf(packet.Reason), false)
	for range 600 {
		now = now.Add(time.Second)
		events = append(events, desk.Advance(now)...)
	}
	for _, ev := range events {
		switch ev.Kind {
		case handoff.EventJoined:
			fmt.Println("joined:", ev.Operator.Label)
		case handoff.EventMessage:
			fmt.Printf("%s: %s\n", ev.Step.Kind, ev.Step.Text)
		case handoff.EventResolved, handoff.EventClosed:
			fmt.Println(ev.Kind)
		}
	}
	// Output:
	// first available in 0s
	// joined: Smith (English: native, Japanese: fluent)
	// greet: Hi, I'm Smith. I've read your conversation with our assistant. Order 123-4567890-1234567 hasn't arrived yet.
	// resolve: It's with the carrier and arrives tomorrow.
	// resolve: I've emailed you the tracking link.
	// offer_close: Is there anything else I can help with? The chat closes by itself after five quiet minutes.
	// resolved
	// closed
}
