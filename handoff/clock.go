package handoff

import (
	"sync"
	"time"
)

// Clock tells simulated time. The live app scales the wall clock by --speed;
// tests and simulations use a VirtualClock.
type Clock interface {
	Now() time.Time
}

// ScaledClock runs from a start time, Speed times faster than the wall clock.
type ScaledClock struct {
	start     time.Time
	wallStart time.Time
	speed     float64
	wall      func() time.Time
}

// NewScaledClock starts at start (the zero time means the wall clock's now) and
// runs speed times faster than wall. wall is usually time.Now; tests pass a fake.
func NewScaledClock(start time.Time, speed float64, wall func() time.Time) *ScaledClock {
	if speed <= 0 {
		speed = 1
	}
	w := wall()
	if start.IsZero() {
		start = w
	}
	return &ScaledClock{start: start, wallStart: w, speed: speed, wall: wall}
}

// Now returns the simulated time.
func (c *ScaledClock) Now() time.Time {
	elapsed := c.wall().Sub(c.wallStart)
	return c.start.Add(time.Duration(float64(elapsed) * c.speed))
}

// VirtualClock only moves when told to. It is safe for concurrent use.
type VirtualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewVirtualClock starts a virtual clock at t.
func NewVirtualClock(t time.Time) *VirtualClock { return &VirtualClock{t: t} }

// Now returns the current virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d (never backwards).
func (c *VirtualClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.t = c.t.Add(d)
	}
	return c.t
}

// Set moves the clock to t if t is later than now.
func (c *VirtualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}
