package handoff

import (
	"strings"
	"testing"
	"time"

	"tsunagu/bot"
)

// Turn-taking at the desk: who speaks when.

const skillsPool = `pool:
  timezone: Asia/Tokyo
phone:
  days: [daily]
  hours: "09:00-18:00"
  call_minutes: 5
operators:
  - id: refunder
    name: Refunder
    languages: {en: native}
    skills: [refunds]
    shifts: [{days: [daily], hours: "00:00-23:59"}]
    concurrent: 1
    handle: {dist: fixed, mean: 1h}
  - id: payer
    name: Payer
    languages: {en: native}
    skills: [payment]
    shifts: [{days: [daily], hours: "00:00-23:59"}]
    concurrent: 1
    handle: {dist: fixed, mean: 1h}
  - id: learner
    name: Learner
    languages: {en: basic}
    skills: [feedback]
    shifts: [{days: [daily], hours: "00:00-23:59"}]
    concurrent: 1
    handle: {dist: fixed, mean: 1h}
  - id: phone
    name: Phone
    team: phone
    languages: {en: native}
    skills: [all]
    shifts: [{days: [daily], hours: "09:00-18:00"}]
    concurrent: 1
    handle: {dist: fixed, mean: 5m}
`

func skillsDesk(t *testing.T, start time.Time) *Desk {
	t.Helper()
	pool, err := LoadPool("pool.yaml", []byte(skillsPool))
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDesk(DeskConfig{Pool: pool, Knowledge: testReader(), Start: start, Seed: 1, ArrivalsPerHour: 0.001, Faults: &Faults{}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// chatPacket is an escalated chat about the earbuds order: the bot's
// transcript, then whatever the customer wrote after the bot handed over.
func chatPacket(at time.Time, intent string, after ...string) *Packet {
	lines := []Line{{At: at, Speaker: SpeakerCustomer, Text: "I want a person"},
		{At: at, Speaker: SpeakerBot, Text: "I'm passing your conversation to our team now."}}
	for _, a := range after {
		lines = append(lines, Line{At: at, Speaker: SpeakerCustomer, Text: a})
	}
	p := NewPacket(at, "c1", bot.ReasonHumanRequested, "en",
		Facts{Order: &Order{ID: "250-1234567-1234567", Items: []string{"Wireless earbuds"}, Status: "in_transit"}, Topic: Topic{Intent: intent}},
		nil, lines, testReader())
	p.RaiseIssue(intent, "")
	return p
}

func messages(evs []Event) []Step {
	var out []Step
	for _, ev := range evs {
		if ev.Kind == EventMessage {
			out = append(out, *ev.Step)
		}
	}
	return out
}

// TestDeskReadsWhatWasWrittenBeforeItJoined: a problem the customer raised
// while choosing who should answer is read after the greeting, before any
// offer to close, and the packet's case lists it.
func TestDeskReadsWhatWasWrittenBeforeItJoined(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, &Faults{})
	d.cfg.Knowledge = testReader()
	p := chatPacket(start, "track_order", "My card was charged twice")
	d.Enqueue(start, p, ClassNormal, false)
	evs, _ := runDesk(d, start, 10*time.Minute, func(ev Event) bool { return ev.Kind == EventResolved })
	steps := messages(evs)
	if len(steps) < 3 || steps[0].Kind != StepGreet || steps[1].Kind != StepIssue || steps[1].Intent != "payment_issue" {
		t.Fatalf("steps %+v", steps)
	}
	worked := false
	for _, st := range steps {
		if st.Kind == StepResolve && st.Intent == "payment_issue" {
			worked = true
		}
	}
	if !worked || p.issueStatus("payment_issue") != IssueResolved || find(evs, EventResolved) == nil {
		t.Fatalf("the second problem was not worked on before the offer: %+v, %+v", steps, p.Issues)
	}
}

// TestDeskGreetsBeforeAnythingElse: a message that arrives before the
// greeting is answered after it; a basic speaker introduces himself before
// thanking anyone.
func TestDeskGreetsBeforeAnythingElse(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := skillsDesk(t, start)
	p := chatPacket(start, "review")
	evs, _ := d.Enqueue(start, p, ClassNormal, false)
	if j := find(evs, EventJoined); j == nil || j.Operator.ID != "learner" {
		t.Fatalf("joined: %+v", j)
	}
	d.CustomerMessage(start.Add(time.Second), "ok")
	evs, _ = runDesk(d, start.Add(time.Second), 10*time.Minute, func(ev Event) bool { return ev.Kind == EventResolved })
	steps := messages(evs)
	if len(steps) == 0 || steps[0].Kind != StepGreet || !strings.HasPrefix(steps[0].Text, "Hello, I am Learner.") {
		t.Fatalf("first message %+v", steps)
	}
	for _, st := range steps[1:] {
		if st.Kind == StepGreet {
			t.Fatal("greeted twice")
		}
	}
}

// TestDeskNeverOffersToCloseOverAnUnansweredMessage: a question that comes
// while the offer to close is being typed is answered first; the offer
// follows.
func TestDeskNeverOffersToCloseOverAnUnansweredMessage(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, &Faults{})
	d.cfg.Knowledge = testReader()
	d.Enqueue(start, chatPacket(start, "get_refund"), ClassNormal, false)
	now := start
	for ; now.Before(start.Add(10 * time.Minute)); now = now.Add(time.Second) {
		d.Advance(now)
		if pend := d.focus.pending; pend != nil && pend.Kind == StepOfferClose {
			break
		}
	}
	if d.focus.pending == nil {
		t.Fatal("no offer to close was typed")
	}
	d.CustomerMessage(now, "How long will the refund take?")
	evs, _ := runDesk(d, now, 10*time.Minute, func(ev Event) bool { return ev.Kind == EventResolved })
	steps := messages(evs)
	if len(steps) < 2 || steps[0].Kind != StepAnswer || steps[len(steps)-1].Kind != StepOfferClose {
		t.Fatalf("after the question: %+v", steps)
	}
}

// TestDeskPassesAnIssueToAColleagueWithTheSkill: the refunds operator
// finishes the refund, then passes the payment problem to the payments
// operator with the packet; the colleague greets with it and resolves it.
func TestDeskPassesAnIssueToAColleagueWithTheSkill(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := skillsDesk(t, start)
	p := chatPacket(start, "get_refund")
	evs, _ := d.Enqueue(start, p, ClassNormal, false)
	if j := find(evs, EventJoined); j == nil || j.Operator.ID != "refunder" {
		t.Fatalf("joined: %+v", j)
	}
	more, now := runDesk(d, start, time.Minute, func(ev Event) bool { return ev.Kind == EventMessage })
	evs = append(evs, more...)
	evs = append(evs, d.CustomerMessage(now, "Also my card was charged twice")...)
	more, _ = runDesk(d, now, 20*time.Minute, func(ev Event) bool { return ev.Kind == EventResolved })
	evs = append(evs, more...)
	left := find(evs, EventLeft)
	if left == nil || left.Cause != CauseSkill || left.Operator.ID != "refunder" {
		t.Fatalf("left: %+v", left)
	}
	var byRefunder, byPayer []Step
	for _, ev := range evs {
		if ev.Kind != EventMessage {
			continue
		}
		if ev.Operator.ID == "refunder" {
			byRefunder = append(byRefunder, *ev.Step)
		} else {
			byPayer = append(byPayer, *ev.Step)
		}
	}
	last := byRefunder[len(byRefunder)-1]
	if last.Kind != StepTransfer || !strings.Contains(last.Text, "payments team") {
		t.Fatalf("the refunds operator's last message: %+v", last)
	}
	for _, st := range byRefunder {
		if st.Kind == StepResolve && st.Intent != "get_refund" {
			t.Fatalf("the refunds operator worked on %s", st.Intent)
		}
	}
	if p.issueStatus("get_refund") != IssueResolved || p.issueStatus("payment_issue") != IssueResolved {
		t.Fatalf("issues %+v", p.Issues)
	}
	if len(byPayer) == 0 || byPayer[0].Kind != StepHandover || !strings.Contains(byPayer[0].Text, "taken over from Refunder") ||
		!strings.Contains(byPayer[0].Text, "problem with a payment") || strings.Contains(byPayer[0].Text, "refund for") {
		t.Fatalf("the payments operator's greeting: %+v", byPayer)
	}
	if len(p.Transfers) != 1 || p.Transfers[0].Cause != CauseSkill || p.Transfers[0].To != "payer" {
		t.Fatalf("transfers %+v", p.Transfers)
	}
}

// TestDeskSaysGoodbyeAndCloses: thanks after the offer to close ends the
// chat at once.
func TestDeskSaysGoodbyeAndCloses(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, &Faults{})
	d.cfg.Knowledge = testReader()
	d.Enqueue(start, chatPacket(start, "get_refund"), ClassNormal, false)
	_, now := runDesk(d, start, 10*time.Minute, func(ev Event) bool { return ev.Kind == EventResolved })
	d.CustomerMessage(now, "thanks, that's all")
	evs, end := runDesk(d, now, 10*time.Minute, func(ev Event) bool { return ev.Kind == EventClosed })
	steps := messages(evs)
	if len(steps) != 1 || steps[0].Kind != StepBye || find(evs, EventClosed) == nil || end.Sub(now) > time.Minute {
		t.Fatalf("after thanks: %+v, closed after %s", steps, end.Sub(now))
	}
}

const busyPool = `pool:
  timezone: Asia/Tokyo
phone:
  days: [daily]
  hours: "09:00-18:00"
  call_minutes: 5
operators:
  - id: only
    name: Only
    languages: {en: native}
    skills: [all]
    shifts: [{days: [daily], hours: "00:00-23:59"}]
    concurrent: 1
    handle: {dist: fixed, mean: 20m}
  - id: phone
    name: Phone
    team: phone
    languages: {en: native}
    skills: [all]
    shifts: [{days: [daily], hours: "09:00-18:00"}]
    concurrent: 1
    handle: {dist: fixed, mean: 5m}
`

// TestQueueWaitCountsDown: while the position stays the same, the wait
// shown runs down with simulated time, in 10-second steps, never below 10 s.
func TestQueueWaitCountsDown(t *testing.T) {
	pool, err := LoadPool("pool.yaml", []byte(busyPool))
	if err != nil {
		t.Fatal(err)
	}
	start := tokyo(6, 10, 0)
	d, err := NewDesk(DeskConfig{Pool: pool, Knowledge: testKnowledge, Start: start, Seed: 3, ArrivalsPerHour: 4, Faults: &Faults{}})
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := d.Enqueue(start, refundPacket("en", true), ClassNormal, false)
	q := find(evs, EventQueue)
	if q == nil {
		t.Fatal("the chat was not queued behind the busy operator")
	}
	type shown struct {
		pos  int
		wait time.Duration
	}
	seen := []shown{{q.Position, q.Wait}}
	now := start
	for range 600 {
		now = now.Add(time.Second)
		for _, ev := range d.Advance(now) {
			if ev.Kind == EventQueue {
				seen = append(seen, shown{ev.Position, ev.Wait})
			}
		}
	}
	downs := 0
	for i := 1; i < len(seen); i++ {
		if seen[i].pos != seen[i-1].pos {
			continue
		}
		if seen[i].wait >= seen[i-1].wait || seen[i].wait < minShownWait {
			t.Fatalf("at position %d the wait went from %s to %s: %v", seen[i].pos, seen[i-1].wait, seen[i].wait, seen)
		}
		downs++
	}
	if downs < 10 {
		t.Fatalf("the wait shown changed only %d times in 10 minutes: %v", downs, seen)
	}
}
