package handoff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"tsunagu/bot"
)

// runDesk advances a desk second by second until stop says so or limit
// passes, collecting events.
func runDesk(d *Desk, from time.Time, limit time.Duration, stop func(Event) bool) ([]Event, time.Time) {
	var all []Event
	now := from
	for end := from.Add(limit); now.Before(end); {
		now = now.Add(time.Second)
		for _, ev := range d.Advance(now) {
			all = append(all, ev)
			if stop != nil && stop(ev) {
				return all, now
			}
		}
	}
	return all, now
}

func quietDesk(t *testing.T, start time.Time, seed uint64, faults *Faults) *Desk {
	t.Helper()
	d, err := NewDesk(DeskConfig{Pool: DefaultPool(), Knowledge: testKnowledge, Start: start, Seed: seed,
		ArrivalsPerHour: 1, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeskGreetsWithThePacketAndResolves(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, &Faults{})
	p := refundPacket("en", true)
	evs, err := d.Enqueue(start, p, ClassNormal, false)
	if err != nil {
		t.Fatal(err)
	}
	more, now := runDesk(d, start, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage && ev.Step.Kind == StepAsk })
	evs = append(evs, more...)
	joined := find(evs, EventJoined)
	if joined == nil || !strings.Contains(joined.Operator.Label, "(") {
		t.Fatalf("no operator joined with a language label: %+v", evs)
	}
	greet := findStep(evs, StepGreet)
	if greet == nil || !strings.Contains(greet.Text, "I've read your conversation with our assistant. You're waiting on a refund for order 123-4567890-1234567") {
		t.Fatalf("greeting does not restate the packet: %+v", greet)
	}
	if find(evs, EventTyping) == nil {
		t.Fatal("no typing indicator before the greeting")
	}
	// The order is in the packet; the amount is not: the operator asks for
	// the amount, never the order.
	ask := findStep(evs, StepAsk)
	if ask == nil || ask.Fact != FactAmount {
		t.Fatalf("ask = %+v, want the amount", ask)
	}
	evs = d.CustomerMessage(now, "It was 3,980 yen.")
	more, _ = runDesk(d, now, time.Hour, func(ev Event) bool { return ev.Kind == EventClosed })
	evs = append(evs, more...)
	if n := countSteps(evs, StepResolve); n != 2 {
		t.Fatalf("%d resolution steps, want 2", n)
	}
	if find(evs, EventResolved) == nil || findStep(evs, StepOfferClose) == nil {
		t.Fatal("no offer to close")
	}
	for _, ev := range evs {
		if ev.Kind == EventMessage && ev.Step.Kind == StepAsk {
			t.Fatalf("asked again after the customer answered: %+v", ev.Step)
		}
	}
	if find(evs, EventClosed) == nil {
		t.Fatal("the chat did not close after the customer stayed silent")
	}
	// The packet grew with every message and is still valid JSON.
	if got := p.Facts.Value(FactAmount); got == "" {
		t.Fatal("the amount did not reach the packet")
	}
	var back Packet
	data, _ := json.Marshal(p)
	if err := json.Unmarshal(data, &back); err != nil || len(back.Transcript) < 6 {
		t.Fatalf("packet JSON: %v, %d lines", err, len(back.Transcript))
	}
}

func TestDeskJapaneseGreetingFollowsVoice(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, &Faults{})
	evs, err := d.Enqueue(start, refundPacket("ja", true), ClassNormal, true)
	if err != nil {
		t.Fatal(err)
	}
	more, _ := runDesk(d, start, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage })
	evs = append(evs, more...)
	greet := findStep(evs, StepGreet)
	joined := find(evs, EventJoined)
	if joined == nil || !strings.Contains(joined.Operator.Label, "日本語：ネイティブ") {
		t.Fatalf("native-only chat joined by %+v", joined)
	}
	want := joined.Operator.Name + "と申します。アシスタントとのやり取りを拝見しました。ご注文（123-4567890-1234567）の返金をお待ちの件ですね。"
	if greet == nil || !strings.HasPrefix(greet.Text, want) {
		t.Fatalf("greeting = %q, want prefix %q", greet.Text, want)
	}
}

// TestNeverAsksForAFactThePacketHolds drives many desk chats with faults and
// volunteered facts and checks every ask against the packet at that moment.
func TestNeverAsksForAFactThePacketHolds(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		start := tokyo(5, 10, 0)
		d := quietDesk(t, start, seed, &Faults{LineFault: 0.3, Timeout: 0.2})
		p := refundPacket([]string{"en", "ja"}[seed%2], seed%3 == 0)
		if _, err := d.Enqueue(start, p, ClassNormal, false); err != nil {
			t.Fatal(err)
		}
		now := start
		for range 3 * 3600 {
			now = now.Add(time.Second)
			for _, ev := range d.Advance(now) {
				if ev.Kind == EventMessage && ev.Step.Kind == StepAsk {
					// The message is already in the transcript; the fact must
					// not be in the facts.
					if p.Facts.Has(ev.Step.Fact) {
						t.Fatalf("seed %d: asked for %s, which the packet holds", seed, ev.Step.Fact)
					}
					// Answer some asks with the fact, volunteer others early.
					d.CustomerMessage(now, "order 123-4567890-1234567, it was ¥3,980")
				}
			}
		}
	}
}

func TestTransferCarriesThePacketAndIsAcknowledged(t *testing.T) {
	start := tokyo(5, 10, 0)
	var handover *Step
	var left, joinedAfter *Event
	for seed := uint64(1); seed < 50 && handover == nil; seed++ {
		d := quietDesk(t, start, seed, &Faults{LineFault: 0.9})
		p := refundPacket("en", true)
		d.Enqueue(start, p, ClassNormal, false)
		evs, _ := runDesk(d, start, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage && ev.Step.Kind == StepHandover })
		for i := range evs {
			switch {
			case evs[i].Kind == EventLeft && left == nil:
				left = &evs[i]
			case evs[i].Kind == EventJoined && evs[i].Handover:
				joinedAfter = &evs[i]
			case evs[i].Kind == EventMessage && evs[i].Step.Kind == StepHandover:
				handover = evs[i].Step
				if len(p.Transfers) == 0 || p.Transfers[0].Cause != CauseLineFault || p.Transfers[0].To == "" {
					t.Fatalf("the packet does not record the transfer: %+v", p.Transfers)
				}
			}
		}
	}
	if handover == nil || left == nil || joinedAfter == nil {
		t.Fatal("no transfer happened at a 90% line-fault rate")
	}
	if left.Cause != CauseLineFault {
		t.Fatalf("left cause = %q", left.Cause)
	}
	if !strings.Contains(handover.Text, "taken over from "+joinedAfter.From) || !strings.Contains(handover.Text, "order 123-4567890-1234567") {
		t.Fatalf("handover text does not acknowledge the transfer and restate the problem: %q", handover.Text)
	}
}

const nightAndDayPool = `pool:
  timezone: Asia/Tokyo
phone:
  days: [daily]
  hours: "09:00-18:00"
  call_minutes: 5
operators:
  - id: night
    name: Night
    languages: {en: native}
    skills: [all]
    shifts: [{days: [daily], hours: "23:00-07:30"}]
    concurrent: 1
    handle: {dist: fixed, mean: 1h}
  - id: day
    name: Day
    languages: {en: fluent}
    skills: [all]
    shifts: [{days: [daily], hours: "07:30-23:00"}]
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

func TestShiftEndMovesChatsWithPacket(t *testing.T) {
	pool, err := LoadPool("pool.yaml", []byte(nightAndDayPool))
	if err != nil {
		t.Fatal(err)
	}
	start := tokyo(6, 7, 29) // the night shift ends at 07:30
	d, err := NewDesk(DeskConfig{Pool: pool, Knowledge: testKnowledge, Start: start, Seed: 3, ArrivalsPerHour: 0.001, Faults: &Faults{}})
	if err != nil {
		t.Fatal(err)
	}
	p := refundPacket("en", false)
	evs, _ := d.Enqueue(start, p, ClassNormal, false)
	if j := find(evs, EventJoined); j == nil || j.Operator.ID != "night" {
		t.Fatalf("the night operator did not take the chat: %+v", evs)
	}
	more, _ := runDesk(d, start, 10*time.Minute, func(ev Event) bool { return ev.Kind == EventMessage && ev.Step.Kind == StepHandover })
	evs = append(evs, more...)
	left := find(evs, EventLeft)
	if left == nil || left.Cause != CauseShiftEnd || !left.At.Equal(tokyo(6, 7, 30)) {
		t.Fatalf("the chat did not move at 07:30: %+v", left)
	}
	var joined *Event
	for i := range evs {
		if evs[i].Kind == EventJoined && evs[i].Handover {
			joined = &evs[i]
		}
	}
	if joined == nil || joined.Operator.ID != "day" || joined.From != "Night" {
		t.Fatalf("handover joined = %+v", joined)
	}
	if len(p.Transfers) != 1 || !p.Transfers[0].At.Equal(tokyo(6, 7, 30)) || p.Transfers[0].From != "night" || p.Transfers[0].To != "day" || p.Transfers[0].Cause != CauseShiftEnd {
		t.Fatalf("packet transfers = %+v", p.Transfers)
	}
	if st := findStep(evs, StepHandover); st == nil || !strings.Contains(st.Text, "taken over from Night") {
		t.Fatalf("the next operator did not acknowledge the handover: %+v", st)
	}
}

func TestPriorityOrdering(t *testing.T) {
	// One agent, busy; then a normal, a complaint, a sensitive and a second
	// normal chat queue up. They are served sensitive, complaint, normal,
	// normal.
	e := newEngine(1, tokyo(5, 0, 0), time.UTC)
	e.addAgents(1, HandleTime{Dist: DistFixed, Mean: time.Minute})
	var order []Class
	e.obs = func(ev ObsEvent) {
		if ev.Kind == ObsAssign {
			for i := range e.chats {
				if e.chats[i].serial == ev.Chat {
					order = append(order, e.chats[i].class)
				}
			}
		}
	}
	for _, cl := range []Class{ClassNormal, ClassNormal, ClassComplaint, ClassSensitive, ClassNormal, ClassComplaint} {
		ci := e.newChat()
		e.chats[ci].class = cl
		e.arrive(ci)
	}
	for len(e.events) > 0 {
		e.step(e.events.pop())
	}
	want := []Class{ClassNormal, ClassSensitive, ClassComplaint, ClassComplaint, ClassNormal, ClassNormal}
	if !reflect.DeepEqual(order, want) {
		t.Fatalf("service order %v, want %v", order, want)
	}
}

func TestPriorityOrderingFIFOWithinClass(t *testing.T) {
	e := newEngine(1, tokyo(5, 0, 0), time.UTC)
	e.addAgents(1, HandleTime{Dist: DistFixed, Mean: time.Minute})
	var served []uint64
	e.obs = func(ev ObsEvent) {
		if ev.Kind == ObsAssign {
			served = append(served, ev.Chat)
		}
	}
	for range 5 {
		e.arrive(e.newChat())
	}
	for len(e.events) > 0 {
		e.step(e.events.pop())
	}
	if !reflect.DeepEqual(served, []uint64{1, 2, 3, 4, 5}) {
		t.Fatalf("served %v, want arrival order", served)
	}
}

func TestQueueShowsPositionAndExpectedWait(t *testing.T) {
	start := tokyo(5, 10, 0)
	d, err := NewDesk(DeskConfig{Pool: DefaultPool(), Knowledge: testKnowledge, Start: start, Seed: 9, ArrivalsPerHour: 160, Faults: &Faults{}})
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := d.Enqueue(start, refundPacket("en", true), ClassNormal, false)
	first := find(evs, EventQueue)
	if first == nil || first.Position < 2 || first.Wait <= 0 {
		t.Fatalf("under heavy load the chat should queue with a position and a wait: %+v", evs)
	}
	more, _ := runDesk(d, start, 2*time.Hour, func(ev Event) bool { return ev.Kind == EventJoined })
	last := first
	updates := 0
	for i := range more {
		if more[i].Kind == EventQueue {
			updates++
			last = &more[i]
		}
	}
	if updates == 0 || last.Position >= first.Position || find(more, EventJoined) == nil {
		t.Fatalf("position went %d -> %d over %d updates; joined: %v", first.Position, last.Position, updates, find(more, EventJoined) != nil)
	}
}

func TestNativeSpeakerChoice(t *testing.T) {
	// Evening, English customer: Brown is the only native English speaker on
	// shift (15:00-23:30); Li is fluent. Keep Brown busy and compare quotes.
	start := tokyo(5, 20, 0)
	d := quietDesk(t, start, 4, &Faults{})
	e := d.e
	var brown int32 = -1
	for i := range e.ops {
		if e.ops[i].op.ID == "brown" {
			brown = int32(i)
		}
	}
	for range e.ops[brown].capacity {
		ci := e.newChat()
		e.chats[ci].lang = 1
		e.chats[ci].nativeOnly = true
		e.chats[ci].counted = true
		e.arrive(ci)
	}
	if e.ops[brown].busy != e.ops[brown].capacity {
		t.Fatal("could not fill brown's slots")
	}
	q := d.Quote(start, "en", "get_refund", ClassNormal)
	if !q.NativeOnShift || q.FirstAvailable != 0 || q.NativeOnly <= 0 {
		t.Fatalf("quote = %+v; want first available now and a wait for a native speaker", q)
	}
	evs, _ := d.Enqueue(start, refundPacket("en", true), ClassNormal, true)
	if j := find(evs, EventJoined); j != nil {
		t.Fatalf("native-only chat joined by %s at once, although the only native speaker is busy", j.Operator.ID)
	}
	more, _ := runDesk(d, start, 2*time.Hour, func(ev Event) bool { return ev.Kind == EventJoined })
	if j := find(more, EventJoined); j == nil || j.Operator.ID != "brown" {
		t.Fatalf("native-only chat joined by %+v, want brown", j)
	}
	// First available goes to a free non-native operator at once.
	d2 := quietDesk(t, start, 4, &Faults{})
	evs, _ = d2.Enqueue(start, refundPacket("en", true), ClassNormal, false)
	if find(evs, EventJoined) == nil {
		t.Fatal("first available did not join at once")
	}
	// At 03:00 nobody natively Japanese works except Yamamoto; a quote still
	// reports whether one is on shift.
	q = quietDesk(t, tokyo(5, 3, 0), 4, &Faults{}).Quote(tokyo(5, 3, 0), "ja", "get_refund", ClassNormal)
	if !q.NativeOnShift {
		t.Fatalf("yamamoto is on shift at 03:00: %+v", q)
	}
}

func TestBasicOperatorAsksForRephrase(t *testing.T) {
	pool := DefaultPool()
	pool.BasicRephrase = 1
	long := "ちょっと聞きたいんですけど、前に返品したイヤホンの返金ってなんかまだみたいで、いつ頃になりそうかなって思ってて…"
	// Nguyen (Japanese: basic) is on the day shift; find a seed where he
	// takes a Japanese chat.
	for seed := uint64(1); seed < 200; seed++ {
		start := tokyo(5, 10, 0)
		d, _ := NewDesk(DeskConfig{Pool: pool, Knowledge: testKnowledge, Start: start, Seed: seed, ArrivalsPerHour: 90, Faults: &Faults{}})
		p := refundPacket("ja", true)
		p.Facts.Set(FactAmount, "3,980円")
		evs, _ := d.Enqueue(start, p, ClassNormal, false)
		j := find(evs, EventJoined)
		if j == nil || j.Operator.ID != "nguyen" {
			continue
		}
		_, now := runDesk(d, start, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage })
		evs = d.CustomerMessage(now, long)
		more, _ := runDesk(d, now, time.Hour, func(ev Event) bool { return ev.Kind == EventMessage })
		evs = append(evs, more...)
		st := findStep(evs, StepRephrase)
		if st == nil || st.Text != "すみません、もう一度、簡単に教えてください。" {
			t.Fatalf("basic operator's reply to a long, idiomatic message: %+v", evs)
		}
		return
	}
	t.Fatal("no seed routed the chat to the basic-level operator")
}

func TestNativeOperatorPicksUpUrgency(t *testing.T) {
	const urgent = "明日までに必要なので至急お願いします"
	tests := []struct {
		name  string
		level Level
		want  string // a reply saying so; "" when the operator misses it
	}{
		{"native", LevelNative, "お急ぎのところ申し訳ございません。"},
		{"fluent", LevelFluent, "お急ぎとのこと、承知いたしました。"},
		{"basic", LevelBasic, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := refundPacket("ja", true)
			b := newBrain(&Operator{Name: "Tanaka", NameJa: "田中", Languages: []Language{{"ja", tt.level}}}, p, testKnowledge, nil, nil)
			b.Next(p) // the greeting
			replies, _ := b.Hear(p, urgent, false, "")
			got := ""
			for _, st := range replies {
				if strings.Contains(st.Text, "急") {
					got = st.Text
				}
			}
			if got != tt.want {
				t.Fatalf("reply about the urgency = %q, want %q (all: %+v)", got, tt.want, replies)
			}
		})
	}
}

func TestDeskIsDeterministicForASeed(t *testing.T) {
	run := func(seed uint64) []Event {
		start := tokyo(5, 12, 0)
		d, err := NewDesk(DeskConfig{Pool: DefaultPool(), Knowledge: testKnowledge, Start: start, Seed: seed, ArrivalsPerHour: 120})
		if err != nil {
			t.Fatal(err)
		}
		evs, _ := d.Enqueue(start, refundPacket("en", false), ClassComplaint, false)
		now := start
		for range 3600 {
			now = now.Add(time.Second)
			for _, ev := range d.Advance(now) {
				evs = append(evs, ev)
				if ev.Kind == EventMessage && ev.Step.Kind == StepAsk {
					evs = append(evs, d.CustomerMessage(now, "order 123-4567890-1234567 for ¥3,980, I need it by tomorrow")...)
				}
			}
		}
		return evs
	}
	a, b, c := run(21), run(21), run(22)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different desk events")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds, identical desk events")
	}
}

func TestEnqueueTwiceIsRefused(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, &Faults{})
	if _, err := d.Enqueue(start, refundPacket("en", true), ClassNormal, false); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Enqueue(start, refundPacket("en", true), ClassNormal, false); err == nil {
		t.Fatal("a second chat on the same desk was accepted")
	}
	d.Close(start.Add(time.Minute))
	if _, err := d.Enqueue(start.Add(2*time.Minute), refundPacket("en", true), ClassNormal, false); err != nil {
		t.Fatalf("a new chat after closing: %v", err)
	}
	bad := refundPacket("en", true)
	bad.Lang = "fr"
	d2 := quietDesk(t, start, 1, &Faults{})
	if _, err := d2.Enqueue(start, bad, ClassNormal, false); err == nil {
		t.Fatal("a packet in an unsupported language was accepted")
	}
}

func TestClassOf(t *testing.T) {
	if ClassOf(bot.ReasonSensitive) != ClassSensitive || ClassOf(bot.ReasonComplaint) != ClassComplaint || ClassOf(bot.ReasonHumanRequested) != ClassNormal {
		t.Fatal("reason to class mapping is wrong")
	}
}

func find(evs []Event, k EventKind) *Event {
	for i := range evs {
		if evs[i].Kind == k {
			return &evs[i]
		}
	}
	return nil
}

func findStep(evs []Event, k StepKind) *Step {
	for i := range evs {
		if evs[i].Kind == EventMessage && evs[i].Step.Kind == k {
			return evs[i].Step
		}
	}
	return nil
}

func countSteps(evs []Event, k StepKind) int {
	n := 0
	for i := range evs {
		if evs[i].Kind == EventMessage && evs[i].Step.Kind == k {
			n++
		}
	}
	return n
}

func TestTransferAfterResolutionDoesNotStartOver(t *testing.T) {
	pool, err := LoadPool("pool.yaml", []byte(nightAndDayPool))
	if err != nil {
		t.Fatal(err)
	}
	start := tokyo(6, 7, 27)
	d, _ := NewDesk(DeskConfig{Pool: pool, Knowledge: testKnowledge, Start: start, Seed: 3, ArrivalsPerHour: 0.001, Faults: &Faults{}})
	p := refundPacket("en", true)
	p.Facts.Set(FactAmount, "¥3,980")
	evs, _ := d.Enqueue(start, p, ClassNormal, false)
	more, _ := runDesk(d, start, 10*time.Minute, func(ev Event) bool { return ev.Kind == EventMessage && ev.Step.Kind == StepHandover })
	evs = append(evs, more...)
	if find(evs, EventResolved) == nil || findStep(evs, StepHandover) == nil {
		t.Fatalf("want a resolution before the 07:30 shift end and a handover after it: %+v", evs)
	}
	after, _ := runDesk(d, tokyo(6, 7, 30), 10*time.Minute, nil)
	if n := countSteps(after, StepResolve) + countSteps(after, StepGreet) + countSteps(after, StepAsk); n != 0 {
		t.Fatalf("the next operator repeated %d steps after the case was resolved", n)
	}
	if find(after, EventClosed) == nil {
		t.Fatal("the resolved chat never closed after the handover")
	}
}

func TestDeskAndCallbacksAreSafeAcrossGoroutines(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, nil)
	if _, err := d.Enqueue(start, refundPacket("en", true), ClassNormal, false); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			d.CustomerMessage(start.Add(time.Duration(i)*time.Second), "still there?")
			if _, err := d.Callbacks().Book(start, "090-1234-5678"); err != nil {
				t.Error(err)
			}
			if _, err := d.PacketJSON(); err != nil {
				t.Error(err)
			}
		}
	}()
	for i := range 200 {
		d.Advance(start.Add(time.Duration(i) * time.Second))
		d.Quote(start.Add(time.Duration(i)*time.Second), "ja", "track_order", ClassNormal)
	}
	<-done
}

// TestExpectedWaitTracksActualWaits compares the expected wait shown on
// joining the queue with the wait that followed, over many busy desks.
func TestExpectedWaitTracksActualWaits(t *testing.T) {
	predicted, actual, queued := 0.0, 0.0, 0
	for seed := uint64(1); seed <= 40; seed++ {
		start := tokyo(5, 11, 0)
		d, err := NewDesk(DeskConfig{Pool: DefaultPool(), Knowledge: testKnowledge, Start: start, Seed: seed, ArrivalsPerHour: 140})
		if err != nil {
			t.Fatal(err)
		}
		evs, _ := d.Enqueue(start, refundPacket("ja", true), ClassNormal, false)
		q := find(evs, EventQueue)
		if q == nil {
			continue
		}
		_, joined := runDesk(d, start, 3*time.Hour, func(ev Event) bool { return ev.Kind == EventJoined })
		predicted += q.Wait.Seconds()
		actual += joined.Sub(start).Seconds()
		queued++
	}
	if queued < 20 {
		t.Fatalf("only %d of 40 busy desks queued the chat", queued)
	}
	if ratio := predicted / actual; ratio < 0.7 || ratio > 1.5 {
		t.Fatalf("mean expected wait %.0f s against a mean actual wait of %.0f s (ratio %.2f)", predicted/float64(queued), actual/float64(queued), ratio)
	}
}

func TestStaleStepsOfAClosedChatDoNotTouchTheNext(t *testing.T) {
	start := tokyo(5, 10, 0)
	d := quietDesk(t, start, 1, &Faults{})
	p := refundPacket("en", true)
	p.Facts.Set(FactAmount, "¥3,980")
	d.Enqueue(start, p, ClassNormal, false)
	_, now := runDesk(d, start, time.Hour, func(ev Event) bool { return ev.Kind == EventResolved })
	// The operator would close the chat 5 minutes after the offer; the
	// customer closes it at once and starts another.
	d.Close(now)
	evs, _ := d.Enqueue(now, refundPacket("en", true), ClassNormal, false)
	more, _ := runDesk(d, now, 6*time.Minute, nil)
	evs = append(evs, more...)
	if c := find(evs, EventClosed); c != nil {
		t.Fatalf("the new chat was closed by the old chat's pending step at %s", c.At)
	}
	if findStep(evs, StepGreet) == nil {
		t.Fatal("the new chat was not greeted")
	}
}

func TestAnswerGivenBetweenOperatorsIsNotAskedAgain(t *testing.T) {
	// Line faults are frequent; when one strikes after the ask, the customer
	// answers while the chat is moving to the next operator.
	exercised := 0
	for seed := uint64(1); seed <= 30; seed++ {
		start := tokyo(5, 10, 0)
		d := quietDesk(t, start, seed, &Faults{LineFault: 0.6})
		p := refundPacket("en", true) // holds the order, lacks the amount
		d.Enqueue(start, p, ClassNormal, false)
		asks := 0
		now := start
		for range 3600 {
			now = now.Add(time.Second)
			for _, ev := range d.Advance(now) {
				switch {
				case ev.Kind == EventMessage && ev.Step.Kind == StepAsk:
					asks++
				case ev.Kind == EventLeft && asks == 1 && !p.Facts.Has(FactAmount):
					// Answer in words the slot extractor cannot read, so only
					// the pending ask can give it meaning.
					d.CustomerMessage(now, "three thousand nine hundred and eighty yen")
					exercised++
				}
			}
		}
		if asks > 1 {
			t.Fatalf("seed %d: the amount was asked %d times", seed, asks)
		}
	}
	if exercised == 0 {
		t.Fatal("no line fault struck between the ask and the answer")
	}
}

// TestOperatorTakingAChatBackSaysSo: when the only operator who can take a
// native-only chat drops it (a timeout) and picks it up again, they say they
// are back; they never claim to take over from themselves.
func TestOperatorTakingAChatBackSaysSo(t *testing.T) {
	start := tokyo(5, 10, 0)
	if _, err := NewDesk(DeskConfig{Pool: DefaultPool(), Start: start, Faults: &Faults{Timeout: 1}}); err == nil {
		t.Fatal("a desk where every service faults was accepted; no chat would ever finish")
	}
	d := quietDesk(t, start, 2, &Faults{Timeout: 0.8})
	evs, err := d.Enqueue(start, refundPacket("en", true), ClassNormal, true)
	if err != nil {
		t.Fatal(err)
	}
	more, _ := runDesk(d, start, time.Hour, nil)
	evs = append(evs, more...)
	var joins []Event
	for _, ev := range evs {
		if ev.Kind == EventJoined {
			joins = append(joins, ev)
		}
	}
	backs := 0
	for i := 1; i < len(joins); i++ {
		same := joins[i].Operator.ID == joins[i-1].Operator.ID
		if same && (!joins[i].Back || joins[i].Handover) {
			t.Fatalf("%s took the chat back but the event says %+v", joins[i].Operator.ID, joins[i])
		}
		if same {
			backs++
		}
	}
	if backs == 0 {
		t.Fatalf("no operator took the chat back in %d joins; the test no longer covers the case", len(joins))
	}
	for _, ev := range evs {
		if ev.Kind == EventMessage && ev.Step.Kind == StepHandover && strings.Contains(ev.Step.Text, "taken over from "+ev.Operator.Name) {
			t.Fatalf("operator claims to take over from themselves: %q", ev.Step.Text)
		}
	}
}
