package handoff

import (
	"math"
	"time"
)

// Erlang is the Erlang C (M/M/c) prediction for one load.
type Erlang struct {
	Agents   int
	Load     float64       // offered load in erlangs: arrival rate × mean handle time
	PWait    float64       // probability an arriving customer waits
	MeanWait time.Duration // mean wait over all customers
	Stable   bool          // false when load ≥ agents: the queue grows without bound
}

// ErlangC computes the M/M/c prediction for c agents, arrivalsPerHour and a
// mean handle time.
func ErlangC(c int, arrivalsPerHour float64, meanHandle time.Duration) Erlang {
	lambda := arrivalsPerHour / 3600 // per second
	mu := 1 / meanHandle.Seconds()   // per second per agent
	a := lambda / mu
	e := Erlang{Agents: c, Load: a}
	if c <= 0 || a >= float64(c)*(1-1e-9) {
		e.PWait = 1
		e.MeanWait = time.Duration(math.MaxInt64)
		return e
	}
	// Erlang B by the stable recursion, then C from B.
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	pw := float64(c) * b / (float64(c) - a*(1-b))
	e.PWait = pw
	e.MeanWait = time.Duration(pw / (float64(c)*mu - lambda) * float64(time.Second))
	e.Stable = true
	return e
}

// ServiceLevel is the predicted share of customers answered within t.
func (e Erlang) ServiceLevel(t time.Duration) float64 {
	if !e.Stable {
		return 0
	}
	// P(W > t) = C · exp(-(cμ-λ)t), and cμ-λ = (c-a)/meanHandle; MeanWait = C/(cμ-λ).
	rate := e.PWait / e.MeanWait.Seconds()
	return 1 - e.PWait*math.Exp(-rate*t.Seconds())
}

// Staffing returns the smallest number of agents whose Erlang C service level
// (answered within within) reaches target (0-1), with the prediction for it.
func Staffing(arrivalsPerHour float64, meanHandle time.Duration, target float64, within time.Duration) Erlang {
	a := arrivalsPerHour / 3600 * meanHandle.Seconds()
	for c := max(1, int(math.Floor(a))+1); ; c++ {
		e := ErlangC(c, arrivalsPerHour, meanHandle)
		if e.Stable && e.ServiceLevel(within) >= target {
			return e
		}
	}
}
