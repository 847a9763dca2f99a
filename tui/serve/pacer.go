package serve

import (
	"context"
	"io"
	"math"
	"sync/atomic"
	"time"
)

// pacer is a session's input as the app reads it: at most rate bytes a
// second on average, with bursts up to burst (a token bucket). Reading
// waits for tokens instead of dropping bytes, so a flood is slowed down at
// the client's end (SSH flow control) and no escape sequence is ever cut.
// It also notes when input last arrived, for the idle timeout.
type pacer struct {
	r      io.Reader
	ctx    context.Context
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
	input  atomic.Int64 // unix nanoseconds of the last byte read
	total  atomic.Int64
	// now and sleep are the clock, replaceable so that a test can check
	// the pacing without depending on how fast the machine is. sleep
	// returns false when ctx ended first.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) bool
}

func newPacer(ctx context.Context, r io.Reader, rate, burst int) *pacer {
	return newPacerClock(ctx, r, rate, burst, time.Now, sleep)
}

func newPacerClock(ctx context.Context, r io.Reader, rate, burst int, now func() time.Time, sleep func(context.Context, time.Duration) bool) *pacer {
	p := &pacer{r: r, ctx: ctx, rate: float64(rate), burst: float64(burst), tokens: float64(burst),
		now: now, sleep: sleep}
	p.last = now()
	p.input.Store(p.last.UnixNano())
	return p
}

// sleep waits for d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Read is called by one goroutine only (the program's input loop).
func (p *pacer) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	// A throttled reader waits for 10 ms' worth of bytes at a time (at
	// least one), not for each byte: a flood then wakes it about a hundred
	// times a second, not thousands.
	want := min(p.burst, max(1, p.rate/100))
	for {
		now := p.now()
		p.tokens = min(p.burst, p.tokens+now.Sub(p.last).Seconds()*p.rate)
		p.last = now
		if p.tokens >= 1 && (p.tokens >= want || p.tokens >= float64(len(b))) {
			break
		}
		// Rounded up: a wait cut short by rounding would only come back
		// for the last fraction of a token.
		wait := time.Duration(math.Ceil((want - p.tokens) / p.rate * float64(time.Second)))
		if !p.sleep(p.ctx, wait) {
			return 0, io.EOF
		}
	}
	if n := int(p.tokens); n < len(b) {
		b = b[:n]
	}
	n, err := p.r.Read(b)
	if n > 0 {
		p.tokens -= float64(n)
		p.input.Store(p.now().UnixNano())
		p.total.Add(int64(n))
	}
	return n, err
}

// lastInput is when the client last sent something.
func (p *pacer) lastInput() time.Time { return time.Unix(0, p.input.Load()) }
