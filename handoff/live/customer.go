package live

import (
	"encoding/json"
	"time"

	"tsunagu/handoff"
	"tsunagu/handoff/chat"
	"tsunagu/handoff/training"
)

// SimDesk is a chat's own simulated desk (*handoff.Desk): the operators who
// cover for the people who are not signed in. It is a desk the engine
// could drive itself, plus the deep copy of its packet people's screens
// read.
type SimDesk interface {
	chat.Desk
	PacketCopy() *handoff.Packet
}

// CustomerDesk satisfies the engine's Desk.
var _ chat.Desk = (*CustomerDesk)(nil)

// CustomerDesk is one customer conversation's desk on the floor; the
// conversation engine drives it (it satisfies handoff/chat's Desk). The
// engine calls it for one conversation at a time, so only the floor's
// people race with it, and they go through the floor's lock.
type CustomerDesk struct {
	f   *Floor
	id  string
	sim SimDesk
}

// Desk returns the desk for the customer conversation id, with sim to
// cover when no person takes the chat.
func (f *Floor) Desk(id string, sim SimDesk) *CustomerDesk {
	return &CustomerDesk{f: f, id: id, sim: sim}
}

// entry returns the conversation's chat on the floor, or nil before it
// was enqueued; f.mu is held.
func (d *CustomerDesk) entry() *entry { return d.f.chats[d.id] }

// simulated reports that the simulated operators have the chat.
func (d *CustomerDesk) simulated() bool {
	d.f.mu.Lock()
	defer d.f.mu.Unlock()
	e := d.entry()
	return e != nil && e.state == StateSimulated
}

// Quote is the simulated desk's quote, or no wait at all when a signed-in
// person could take the chat now.
func (d *CustomerDesk) Quote(now time.Time, lang, intent string, class handoff.Class) handoff.Quote {
	q := d.sim.Quote(now, lang, intent, class)
	f := d.f
	f.mu.Lock()
	defer f.mu.Unlock()
	probe := &entry{lang: lang, group: handoff.TopicGroup(intent), state: StateWaiting}
	if f.plays[d.id] != nil {
		return handoff.Quote{NativeOnShift: true} // the trainee is waiting for it
	}
	if f.anyoneFor(probe) {
		q.FirstAvailable = 0
	}
	probe.nativeOnly = true
	if f.anyoneFor(probe) {
		q.NativeOnly, q.NativeOnShift = 0, true
	}
	return q
}

// Enqueue puts the chat on the floor: offered to the people who can take
// it for the claim window, or straight to the simulated operators when
// nobody signed in can.
func (d *CustomerDesk) Enqueue(now time.Time, p *handoff.Packet, class handoff.Class, nativeOnly bool) ([]handoff.Event, error) {
	return d.enqueue(now, p, class, nativeOnly, "")
}

// EnqueueResumed is Enqueue for a stored conversation that goes on.
func (d *CustomerDesk) EnqueueResumed(now time.Time, p *handoff.Packet, class handoff.Class, nativeOnly bool, lastOperator string) ([]handoff.Event, error) {
	return d.enqueue(now, p, class, nativeOnly, lastOperator)
}

func (d *CustomerDesk) enqueue(now time.Time, p *handoff.Packet, class handoff.Class, nativeOnly bool, lastOperator string) ([]handoff.Event, error) {
	f := d.f
	var e *entry
	var toSim bool
	err := f.locked(func() error {
		if old := d.entry(); old != nil && old.state != StateClosed {
			return errSecondChat
		}
		f.prune(now)
		f.seq++
		// The floor keeps its own copy: the conversation reads the one it
		// passed under its own lock, and people write to this one under
		// the floor's.
		e = &entry{id: d.id, seq: f.seq, lang: p.Lang, packet: p.Clone(), class: class, nativeOnly: nativeOnly,
			group: handoff.TopicGroup(p.Facts.Topic.Intent), queuedAt: now, state: StateWaiting, sim: d.sim,
			lines: written(p.Transcript), lastOp: lastOperator, customer: p.Facts.Customer.Name}
		if lastOperator != "" {
			if op, ok := f.cfg.Pool.Operator(lastOperator); ok {
				e.lastOpName = op.DisplayName(p.Lang)
			}
		}
		if play := f.plays[d.id]; play != nil {
			delete(f.plays, d.id)
			e.play, e.target = play, play.trainee
		} else {
			e.deadline = now.Add(f.cfg.ClaimWindow)
		}
		f.chats[d.id] = e
		toSim = !e.playing() && !f.anyoneFor(e)
		if toSim {
			e.state = StateSimulated
		}
		f.changed()
		return nil
	})
	if err != nil {
		return nil, err
	}
	if toSim {
		return d.toSim(now, e, e.packet, lastOperator)
	}
	return d.Advance(now), nil
}

// toSim hands the chat to the simulated operators. They get a copy of the
// packet: the floor's stays readable by people's screens.
func (d *CustomerDesk) toSim(now time.Time, e *entry, p *handoff.Packet, lastOperator string) ([]handoff.Event, error) {
	var evs []handoff.Event
	var err error
	if lastOperator != "" {
		evs, err = d.sim.EnqueueResumed(now, p.Clone(), e.class, e.nativeOnly, lastOperator)
	} else {
		evs, err = d.sim.Enqueue(now, p.Clone(), e.class, e.nativeOnly)
	}
	if err != nil {
		return nil, err
	}
	d.mirror(evs)
	return evs, nil
}

// mirror copies what the simulated operators did to the floor, for the
// people watching.
func (d *CustomerDesk) mirror(evs []handoff.Event) {
	if len(evs) == 0 {
		return
	}
	pc := d.sim.PacketCopy()
	f := d.f
	f.mu.Lock()
	defer f.mu.Unlock()
	e := d.entry()
	if e == nil {
		return
	}
	for _, ev := range evs {
		switch ev.Kind {
		case handoff.EventJoined:
			if ev.Operator != nil {
				e.lastOp, e.lastOpName = ev.Operator.ID, ev.Operator.Name
				e.lines = append(e.lines, eventLine(ev.At, LineJoined, ev.Operator.ID, ""))
			}
		case handoff.EventMessage:
			if ev.Step != nil && ev.Operator != nil {
				e.lines = append(e.lines, Line{Line: handoff.Line{At: ev.At, Speaker: handoff.SpeakerOperator, Name: ev.Operator.ID, Text: ev.Step.Text}})
			}
		case handoff.EventLeft:
			if ev.Operator != nil {
				e.lines = append(e.lines, eventLine(ev.At, LineLeft, ev.Operator.ID, ev.Cause))
			}
		case handoff.EventClosed:
			if e.state != StateClosed {
				f.closeEntry(e, ev.At)
			}
		}
	}
	if pc != nil {
		e.packet = pc
	}
	f.changed()
}

// Advance hands the customer what people did since the last call; on the
// simulated path it is the simulated desk's Advance. A chat nobody took
// within the claim window goes to the simulated operators.
func (d *CustomerDesk) Advance(now time.Time) []handoff.Event {
	f := d.f
	var out []handoff.Event
	var e *entry
	var handOver, simulated bool
	var p *handoff.Packet
	var last string
	_ = f.locked(func() error {
		if e = d.entry(); e == nil {
			return nil
		}
		if e.state == StateSimulated {
			simulated = true
			return nil
		}
		out, e.out = e.out, nil
		if e.state != StateWaiting {
			return nil
		}
		if !e.deadline.IsZero() && !now.Before(e.deadline) {
			e.state, e.target = StateSimulated, ""
			p, last, handOver = e.packet, e.lastOp, true
			f.changed()
			return nil
		}
		out = append(out, f.queueEvent(e, now)...)
		return nil
	})
	switch {
	case simulated:
		evs := d.sim.Advance(now)
		d.mirror(evs)
		return evs
	case handOver:
		evs, err := d.toSim(now, e, p, last)
		if err != nil {
			// The simulated desk refused the chat (it cannot happen for a
			// packet that was enqueued once): keep offering it.
			_ = f.locked(func() error {
				e.state, e.deadline = StateWaiting, now.Add(f.cfg.ClaimWindow)
				return nil
			})
		}
		return append(out, evs...)
	}
	return out
}

// queueEvent tells a waiting customer where they stand: their place among
// the chats waiting for people, and how much of the claim window is left
// (after it the simulated operators answer). It speaks only when the
// place changes or the wait crosses a 10-second step.
func (f *Floor) queueEvent(e *entry, now time.Time) []handoff.Event {
	pos := 1
	for _, o := range f.chats {
		if o != e && o.state == StateWaiting && o.seq < e.seq && o.lang == e.lang {
			pos++
		}
	}
	wait := f.cfg.ClaimWindow
	if !e.deadline.IsZero() {
		wait = max(10*time.Second, e.deadline.Sub(now))
	}
	if pos == e.lastPos && wait/(10*time.Second) == e.lastWait/(10*time.Second) {
		return nil
	}
	e.lastPos, e.lastWait = pos, wait
	return []handoff.Event{{At: now, Kind: handoff.EventQueue, Position: pos, Wait: wait}}
}

// CustomerMessage records what the customer wrote: the person who has the
// chat reads it on their screen.
func (d *CustomerDesk) CustomerMessage(now time.Time, text string) []handoff.Event {
	f := d.f
	var out []handoff.Event
	var simulated bool
	_ = f.lockedSaving(func() error {
		e := d.entry()
		if e == nil || e.state == StateClosed {
			return nil
		}
		l := handoff.Line{At: now, Speaker: handoff.SpeakerCustomer, Text: text}
		e.lines = append(e.lines, Line{Line: l})
		f.changed()
		if e.state == StateSimulated {
			simulated = true
			return nil
		}
		e.packet.Add(l)
		if e.awaiting != "" && e.packet.Facts.Has(e.awaiting) {
			e.awaiting = ""
		}
		if p := e.play; p != nil && p.session != nil && p.session.Phase() == training.PhaseHuman && validText(text) {
			_, _ = p.session.CustomerSays(text)
		}
		out, e.out = e.out, nil
		return nil
	})
	if simulated {
		evs := d.sim.CustomerMessage(now, text)
		d.mirror(evs)
		return evs
	}
	return out
}

// Close: the customer closed the conversation or left the queue.
func (d *CustomerDesk) Close(now time.Time) []handoff.Event {
	f := d.f
	var out []handoff.Event
	var simulated, open bool
	_ = f.lockedSaving(func() error {
		delete(f.plays, d.id)
		e := d.entry()
		if e == nil || e.state == StateClosed {
			return nil
		}
		open, simulated = true, e.state == StateSimulated
		// What people said that the customer's side has not taken yet goes
		// with the close, so nothing said is lost.
		out, e.out = e.out, nil
		e.left = true
		f.closeEntry(e, now)
		if p := e.play; p != nil && p.session != nil && p.session.Phase() == training.PhaseHuman {
			_ = p.session.CustomerLeft()
			f.score(p)
		}
		return nil
	})
	switch {
	case simulated:
		return d.sim.Close(now)
	case !open:
		return nil
	}
	return append(out, handoff.Event{At: now, Kind: handoff.EventClosed})
}

// PacketJSON is the packet as the operators hold it now.
func (d *CustomerDesk) PacketJSON() ([]byte, error) {
	p := d.PacketCopy()
	if p == nil {
		return nil, nil
	}
	return json.Marshal(p)
}

// PacketCopy is a deep copy of the packet as the operators hold it now.
func (d *CustomerDesk) PacketCopy() *handoff.Packet {
	if d.simulated() {
		return d.sim.PacketCopy()
	}
	f := d.f
	f.mu.Lock()
	defer f.mu.Unlock()
	if e := d.entry(); e != nil {
		return e.packet.Clone()
	}
	return nil
}

// AwaitsCustomer reports that an operator has the chat and has nothing
// more queued for the customer. A person may always write again; the
// customer's app never waits on this.
func (d *CustomerDesk) AwaitsCustomer() bool {
	if d.simulated() {
		return d.sim.AwaitsCustomer()
	}
	f := d.f
	f.mu.Lock()
	defer f.mu.Unlock()
	e := d.entry()
	return e != nil && (e.state == StateClosed || e.state == StatePerson && len(e.out) == 0)
}

// written are transcript lines as people's screens show them.
func written(ls []handoff.Line) []Line {
	out := make([]Line, len(ls))
	for i, l := range ls {
		out[i] = Line{Line: l}
	}
	return out
}
