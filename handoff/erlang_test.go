package handoff

import (
	"math"
	"testing"
	"time"
)

func TestErlangCKnownValues(t *testing.T) {
	// Reference values computed independently from the textbook formula
	// P(wait) = (a^c/c!)(c/(c-a)) / (sum_{k<c} a^k/k! + (a^c/c!)(c/(c-a))).
	tests := []struct {
		name   string
		c      int
		perH   float64
		handle time.Duration
	}{
		{"c=12, 100/h, 6 min", 12, 100, 6 * time.Minute},
		{"c=12, 110/h, 6 min", 12, 110, 6 * time.Minute},
		{"c=1, 5/h, 6 min", 1, 5, 6 * time.Minute},
		{"c=30, 250/h, 6 min", 30, 250, 6 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ErlangC(tt.c, tt.perH, tt.handle)
			a := tt.perH * tt.handle.Hours()
			sum, term := 0.0, 1.0
			for k := 0; k < tt.c; k++ {
				if k > 0 {
					term *= a / float64(k)
				}
				sum += term
			}
			top := term * a / float64(tt.c) * float64(tt.c) / (float64(tt.c) - a)
			want := top / (sum + top)
			if math.Abs(got.PWait-want) > 1e-9 {
				t.Fatalf("P(wait) = %v, want %v", got.PWait, want)
			}
			wantWq := want / (float64(tt.c)/tt.handle.Seconds() - tt.perH/3600)
			if math.Abs(got.MeanWait.Seconds()-wantWq) > 1e-6 {
				t.Fatalf("mean wait = %v s, want %v s", got.MeanWait.Seconds(), wantWq)
			}
		})
	}
	if e := ErlangC(10, 100, 6*time.Minute); e.Stable || e.PWait != 1 {
		t.Fatalf("a load equal to the number of agents must be unstable, got %+v", e)
	}
}

func TestStaffingIsTheSmallestThatMeetsTheTarget(t *testing.T) {
	e := Staffing(100, 6*time.Minute, 0.8, 20*time.Second)
	if e.ServiceLevel(20*time.Second) < 0.8 {
		t.Fatalf("staffing %d gives %.3f < 0.8", e.Agents, e.ServiceLevel(20*time.Second))
	}
	if less := ErlangC(e.Agents-1, 100, 6*time.Minute); less.Stable && less.ServiceLevel(20*time.Second) >= 0.8 {
		t.Fatalf("%d agents already meet the target", e.Agents-1)
	}
}

// TestSimulationMatchesErlangC is the must-show M/M/c check: exponential
// arrivals and handle times, c identical operators, no abandonment. Mean wait
// and P(wait > 0) agree with Erlang C within 3%.
func TestSimulationMatchesErlangC(t *testing.T) {
	tests := []struct {
		name  string
		c     int
		perH  float64
		hours float64
	}{
		// About 5 million customers each: the mean wait of a queue at 83-92%
		// occupancy converges slowly (one run's standard error is about 1%
		// here, so 3% is three standard errors).
		{"c=12, 100/h, 6 min (a=10, 83% busy)", 12, 100, 50000},
		{"heavier: c=24, 220/h, 6 min (a=22, 92% busy)", 24, 220, 25000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if raceEnabled {
				// Half the customers under -race (about 1.4% standard error):
				// the same seed, so the run is the first half of the full one.
				tt.hours /= 2
			}
			handle := HandleTime{Dist: DistExp, Mean: 6 * time.Minute}
			r, err := Simulate(SimConfig{Agents: tt.c, Handle: handle, ArrivalsPerHour: tt.perH,
				Duration: time.Duration(tt.hours * float64(time.Hour)), Warmup: 10 * time.Hour, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			want := ErlangC(tt.c, tt.perH, handle.Mean)
			relW := math.Abs(r.WaitMean-want.MeanWait.Seconds()) / want.MeanWait.Seconds()
			relP := math.Abs(r.PWait-want.PWait) / want.PWait
			t.Logf("%d customers: mean wait %.2f s (Erlang C %.2f s, %.2f%% off), P(wait) %.4f (Erlang C %.4f, %.2f%% off)",
				r.Answered, r.WaitMean, want.MeanWait.Seconds(), 100*relW, r.PWait, want.PWait, 100*relP)
			if relW > 0.03 || relP > 0.03 {
				t.Fatalf("simulation differs from Erlang C by more than 3%%")
			}
			if r.Abandoned != 0 || r.Anomalies != 0 {
				t.Fatalf("abandoned %d, anomalies %d; want 0 and 0", r.Abandoned, r.Anomalies)
			}
		})
	}
}
