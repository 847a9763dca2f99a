package handoff

import (
	"math"
	"math/rand/v2"
	"time"
)

// sampler draws handle times in seconds from a HandleTime.
type sampler struct {
	dist  Dist
	mean  float64
	mu    float64 // lognormal: mean of log time
	sigma float64
}

func newSampler(h HandleTime) sampler {
	s := sampler{dist: h.Dist, mean: h.Mean.Seconds(), sigma: h.Sigma}
	if s.dist == DistLognormal {
		if s.sigma <= 0 {
			s.sigma = 0.5
		}
		// Choose mu so that the distribution's mean is the configured mean.
		s.mu = math.Log(s.mean) - s.sigma*s.sigma/2
	}
	return s
}

func (s sampler) draw(r *rand.Rand) float64 {
	switch s.dist {
	case DistFixed:
		return s.mean
	case DistLognormal:
		return math.Exp(s.mu + s.sigma*r.NormFloat64())
	}
	return r.ExpFloat64() * s.mean
}

// ParseDist checks a --handle-dist value.
func ParseDist(s string) (Dist, bool) {
	switch d := Dist(s); d {
	case DistExp, DistLognormal, DistFixed:
		return d, true
	}
	return "", false
}

func dur(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
