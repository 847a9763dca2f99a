package serve

import (
	"context"
	"io"
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
}

func newPacer(ctx context.Context, r io.Reader, rate, burst int) *pacer {
	p := &pacer{r: r, ctx: ctx, rate: float64(rate), burst: float64(burst), tokens: float64(burst), last: time.Now()}
	p.input.Store(p.last.UnixNano())
	return p
}

// Read is called by one goroutine only (the program's input loop).
func (p *pacer) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for {
		now := time.Now()
		p.tokens = min(p.burst, p.tokens+now.Sub(p.last).Seconds()*p.rate)
		p.last = now
		if p.tokens >= 1 {
			break
		}
		wait := time.Duration((1 - p.tokens) / p.rate * float64(time.Second))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-p.ctx.Done():
			t.Stop()
			return 0, io.EOF
		}
	}
	if n := int(p.tokens); n < len(b) {
		b = b[:n]
	}
	n, err := p.r.Read(b)
	if n > 0 {
		p.tokens -= float64(n)
		p.input.Store(time.Now().UnixNano())
		p.total.Add(int64(n))
	}
	return n, err
}

// lastInput is when the client last sent something.
func (p *pacer) lastInput() time.Time { return time.Unix(0, p.input.Load()) }
