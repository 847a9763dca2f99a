package transcripts

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"
)

// One time zone rule: a conversation's times are shown,
// listed and filtered in the zone it was recorded in, whatever TZ says.
//
// Every stored time is RFC 3339 with its offset (the chat's clock, the shop's
// zone for the demo), so the offset of StartedAt is the conversation's zone.
// Decoding such a time gives time.Local when the offset happens to equal the
// machine's, and an unnamed fixed zone otherwise; RecordedZone turns both
// into the same fixed zone, and the store hands out StartedAt and LastAt in
// it, so nothing a caller does depends on TZ. Callers show other times of
// the conversation (entries, callbacks) with Conversation.In.

// RecordedZone is the zone t was recorded in: a fixed zone at t's offset,
// named like "UTC+09:00" ("UTC" for offset 0), never time.Local.
func RecordedZone(t time.Time) *time.Location {
	_, off := t.Zone()
	if off == 0 {
		return time.UTC
	}
	sign, a := '+', off
	if a < 0 {
		sign, a = '-', -a
	}
	return time.FixedZone(fmt.Sprintf("UTC%c%02d:%02d", sign, a/3600, a/60%60), off)
}

// Location is the zone the conversation was recorded in (its StartedAt's).
func (c Conversation) Location() *time.Location { return RecordedZone(c.StartedAt) }

// In returns t in the conversation's zone: how its entries' times, callback
// times and the like are shown.
func (c Conversation) In(t time.Time) time.Time { return t.In(c.Location()) }

// Location is the zone the conversation was recorded in (its StartedAt's).
func (s Summary) Location() *time.Location { return RecordedZone(s.StartedAt) }

// inRecordedZone puts the header's times in the conversation's zone.
func (h *header) inRecordedZone() {
	loc := RecordedZone(h.StartedAt)
	h.StartedAt = h.StartedAt.In(loc)
	if !h.LastAt.IsZero() {
		h.LastAt = h.LastAt.In(loc)
	}
}

// Date is a day on the calendar, without a zone. Filter.FromDate and ToDate
// are matched against each conversation's start in the zone it was recorded
// in, so "2026-02-01" finds a conversation started 2026-02-01 03:00 +09:00
// whatever the machine's TZ.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads a day written as 2006-01-02.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q is not a day such as 2026-11-26", ErrInvalid, s)
	}
	return DateOf(t), nil
}

// DateOf is the day t falls on in its own zone.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date (no bound).
func (d Date) IsZero() bool { return d == Date{} }

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	}
	return cmpInt(d.Day, o.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// midnightUTC is 00:00 UTC on d; next days are counted by AddDate.
func (d Date) midnightUTC() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// zoneSlack bounds how far a recorded zone can be from UTC: RFC 3339
// offsets stay within ±23:59.
const zoneSlack = 24 * time.Hour

// The instants timeKey can order (UnixNano's range); bounds beyond them are
// left open rather than wrapped.
var (
	minKeyTime = time.Unix(0, -1<<63+1)
	maxKeyTime = time.Unix(0, 1<<63-1)
)

func (f *Filter) hasDates() bool { return !f.FromDate.IsZero() || !f.ToDate.IsZero() }

// instantBounds are the From/To instants the by_time walk uses: f's own
// From and To (clamped to storable years) narrowed to the instants its dates can match in any zone.
// Zero means unbounded.
func (f *Filter) instantBounds() (from, to time.Time) {
	from, to = f.From, f.To
	// Instants beyond the years a start can have are clamped, so that "from
	// 3000-01-01" finds nothing instead of wrapping around.
	if !from.IsZero() {
		from = storableTime(from)
	}
	if !to.IsZero() {
		to = storableTime(to)
	}
	if !f.FromDate.IsZero() {
		lo := f.FromDate.midnightUTC().Add(-zoneSlack)
		if lo.After(minKeyTime) && (from.IsZero() || lo.After(from)) {
			from = lo
		}
	}
	if !f.ToDate.IsZero() {
		hi := f.ToDate.midnightUTC().AddDate(0, 0, 1).Add(zoneSlack)
		if hi.Before(maxKeyTime) && (to.IsZero() || hi.Before(to)) {
			to = hi
		}
	}
	return from, to
}

// datesSure reports whether a conversation started at instant t is on or
// between f's dates whatever zone it was recorded in, so that its header
// need not be read to know.
func (f *Filter) datesSure(t time.Time) bool {
	if !f.FromDate.IsZero() && t.Before(f.FromDate.midnightUTC().Add(zoneSlack)) {
		return false
	}
	if !f.ToDate.IsZero() && !t.Before(f.ToDate.midnightUTC().AddDate(0, 0, 1).Add(-zoneSlack)) {
		return false
	}
	return true
}

// datesMatch reports whether startedAt, in its own (recorded) zone, falls on
// or between f's dates.
func (f *Filter) datesMatch(startedAt time.Time) bool {
	d := DateOf(startedAt)
	if !f.FromDate.IsZero() && d.compare(f.FromDate) < 0 {
		return false
	}
	if !f.ToDate.IsZero() && d.compare(f.ToDate) > 0 {
		return false
	}
	return true
}

// keyTime is the instant at the start of a by_time key or posting (the
// inverse of timeKey).
func keyTime(k []byte) time.Time {
	return time.Unix(0, int64(^binary.BigEndian.Uint64(k[:8])^1<<63))
}

// inInstants reports whether the by_time key or posting k lies in [from, to).
func inInstants(k []byte, from, to time.Time) bool {
	if !from.IsZero() && bytes.Compare(k[:8], timeKey(from)) > 0 {
		return false
	}
	if !to.IsZero() && bytes.Compare(k[:8], timeKey(to)) <= 0 {
		return false
	}
	return true
}
