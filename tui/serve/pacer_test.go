package serve

import (
	"bytes"
	"context"
	"io"
	"math"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when the pacer sleeps, so the
// pacing is checked by arithmetic, whatever the machine's speed.
type fakeClock struct {
	t     time.Time
	slept int // how many times the pacer waited
}

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	c.t = c.t.Add(d)
	c.slept++
	return true
}

// The pacer hands on every byte, never more than the burst in one read;
// the burst comes at once, and from then on no more than rate bytes a
// second of the (fake) clock: it waits for the tokens, and no longer.
func TestPacer(t *testing.T) {
	const rate, burst, size = 64 << 10, 16 << 10, 48 << 10
	data := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	clock := &fakeClock{t: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	start := clock.t
	p := newPacerClock(context.Background(), bytes.NewReader(data), rate, burst, clock.now, clock.sleep)
	buf := make([]byte, 64<<10)

	n, err := p.Read(buf)
	if err != nil || n != burst || clock.slept != 0 {
		t.Fatalf("first read: %d bytes, %v, after %d waits; want the whole burst (%d) at once", n, err, clock.slept, burst)
	}
	got := append([]byte(nil), buf[:n]...)
	for {
		n, err := p.Read(buf)
		if n > burst {
			t.Fatalf("one read returned %d bytes, over the burst", n)
		}
		got = append(got, buf[:n]...)
		// Never ahead of the bucket: the burst plus what the clock has
		// earned since (one byte of slack for float rounding).
		if earned := burst + clock.t.Sub(start).Seconds()*rate; float64(len(got)) > earned+1 {
			t.Fatalf("%d bytes read after %v: more than the %0.f the rate allows", len(got), clock.t.Sub(start), earned)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes back of %d, or changed", len(got), len(data))
	}
	if last := p.lastInput(); last.Before(start) || last.After(clock.t) {
		t.Errorf("last input at %v, not on the pacer's clock (%v to %v)", last, start, clock.t)
	}
	// Not slower than the rate either: each wait is rounded up by a
	// nanosecond at most, and the read that finds the end may wait for
	// one more step (10 ms of tokens: the pacer wakes for that much).
	step := max(1, float64(rate)/100)
	ideal := time.Duration(math.Ceil((float64(size-burst) + step) / rate * float64(time.Second)))
	if elapsed := clock.t.Sub(start); elapsed > ideal+time.Duration(clock.slept)*time.Nanosecond {
		t.Errorf("the pacer waited %v for %d bytes over the burst; the rate needs %v", elapsed, size-burst, ideal)
	}
}

// A closed connection ends a read that waits for the rate.
func TestPacerStopsWithTheConnection(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := newPacer(ctx, bytes.NewReader(make([]byte, 100)), 1, 1)
	p.tokens = 0
	cancel()
	if _, err := p.Read(make([]byte, 10)); err != io.EOF {
		t.Fatalf("got %v, want EOF", err)
	}
}
