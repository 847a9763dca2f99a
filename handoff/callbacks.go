package handoff

import (
	"math"
	"strconv"
	"sync"
	"time"

	"tsunagu/bot/slots"
)

// Callbacks books phone callbacks with the pool's phone team. It is safe for
// concurrent use.
type Callbacks struct {
	mu      sync.Mutex
	pool    *Pool
	pending []time.Time // expected call times of bookings not yet called
}

// NewCallbacks starts an empty callback book for the pool.
func NewCallbacks(p *Pool) *Callbacks { return &Callbacks{pool: p} }

// CallbackOffer is what the contact flow shows before the customer chooses.
type CallbackOffer struct {
	Open        bool          // inside phone hours now
	Within      time.Duration // in phone hours: we call within this long
	NextOpening time.Time     // outside phone hours: the next time phone hours open
}

// Booking is one booked callback, stored as an event with the conversation.
type Booking struct {
	Phone    string        `json:"phone"`   // E.164, e.g. "+819012345678"
	Display  string        `json:"display"` // as shown to people, e.g. "090-1234-5678"
	BookedAt time.Time     `json:"booked_at"`
	Slot     bool          `json:"slot"`             // true: booked for the next opening, outside phone hours
	At       time.Time     `json:"at"`               // phone hours: latest expected call; slot: when the slot opens
	Within   time.Duration `json:"within,omitempty"` // phone hours: the promise "within N minutes"
}

// Text is the confirmation shown to the customer.
func (b Booking) Text(lang string, loc *time.Location) string {
	mins := strconv.Itoa(int(b.Within / time.Minute))
	if b.Slot {
		when := b.At.In(loc)
		if lang == "ja" {
			return when.Format("1月2日 15:04") + "以降に " + b.Display + " へお電話します（" + mins + "分以内を目安）。"
		}
		return "We'll call you at " + b.Display + " from " + when.Format("Mon 2 Jan 15:04") + ", within " + mins + " minutes of opening."
	}
	if lang == "ja" {
		return mins + "分以内に " + b.Display + " へお電話します。"
	}
	return "We'll call you at " + b.Display + " within " + mins + " minutes."
}

// Offer says whether a callback can be made now and how soon.
func (c *Callbacks) Offer(now time.Time) CallbackOffer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offer(now)
}

func (c *Callbacks) offer(now time.Time) CallbackOffer {
	loc := c.pool.Location
	if c.pool.PhoneHours.Open(now, loc) {
		return CallbackOffer{Open: true, Within: c.within(now, now)}
	}
	next := c.pool.PhoneHours.NextOpening(now, loc)
	return CallbackOffer{NextOpening: next, Within: c.within(now, next)}
}

// Book validates the number and books a callback: "within N minutes" in
// phone hours, or the next opening slot outside them. A bad number gives a
// *slots.PhoneError whose Message(lang) is one clear sentence.
func (c *Callbacks) Book(now time.Time, number string) (Booking, error) {
	e164, err := slots.ParsePhone(number)
	if err != nil {
		return Booking{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	off := c.offer(now)
	b := Booking{Phone: e164, Display: slots.FormatPhone(e164), BookedAt: now, Within: off.Within}
	if off.Open {
		b.At = now.Add(off.Within)
	} else {
		b.Slot = true
		b.At = off.NextOpening
	}
	c.pending = append(c.pending, b.At)
	return b, nil
}

// add records a booking expected to be called at t (background load too).
func (c *Callbacks) add(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = append(c.pending, t)
}

// within estimates how soon a new booking made now is called, from the phone
// team's load at from: the bookings still waiting then, shared among the team
// members on shift, each call taking CallMinutes; rounded up to 5 minutes.
func (c *Callbacks) within(now, from time.Time) time.Duration {
	keep := c.pending[:0]
	waiting := 0
	for _, t := range c.pending {
		if t.After(now) {
			keep = append(keep, t)
			waiting++
		}
	}
	c.pending = keep
	team := 0
	for _, op := range c.pool.PhoneTeam() {
		if op.OnShift(from, c.pool.Location) {
			team += op.Concurrent
		}
	}
	if team == 0 {
		team = 1
	}
	minutes := float64(waiting+1) / float64(team) * c.pool.CallMinutes
	return time.Duration(math.Max(5, math.Ceil(minutes/5)*5)) * time.Minute
}
