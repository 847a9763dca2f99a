package handoff

import (
	"testing"
	"time"
)

func TestScaledClock(t *testing.T) {
	wall := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fake := func() time.Time { return wall }
	start := tokyo(5, 9, 0)
	c := NewScaledClock(start, 60, fake)
	if !c.Now().Equal(start) {
		t.Fatalf("now = %s, want the start", c.Now())
	}
	wall = wall.Add(2 * time.Second)
	if got := c.Now(); !got.Equal(start.Add(2 * time.Minute)) {
		t.Fatalf("after 2 s at 60x: %s, want 2 min later", got)
	}
	if z := NewScaledClock(time.Time{}, 1, fake); !z.Now().Equal(wall) {
		t.Fatal("a zero start must mean the wall clock's now")
	}
}

func TestVirtualClock(t *testing.T) {
	c := NewVirtualClock(tokyo(5, 9, 0))
	c.Advance(time.Minute)
	c.Advance(-time.Hour)
	c.Set(tokyo(5, 8, 0))
	if !c.Now().Equal(tokyo(5, 9, 1)) {
		t.Fatalf("now = %s; the clock must never go back", c.Now())
	}
	c.Set(tokyo(5, 10, 0))
	if !c.Now().Equal(tokyo(5, 10, 0)) {
		t.Fatal("Set did not move the clock forward")
	}
}
