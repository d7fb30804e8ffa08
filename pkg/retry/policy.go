package retry

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Strategy names one of the back-off rules from Brooker (2015).
type Strategy int

// The four back-off strategies. With base b, cap c and attempt n (0, 1, 2, …):
//
//	Exponential:        sleep = min(c, b·2ⁿ)
//	FullJitter:         sleep = uniform(0, min(c, b·2ⁿ))
//	EqualJitter:        t = min(c, b·2ⁿ); sleep = t/2 + uniform(0, t/2)
//	DecorrelatedJitter: sleep = min(c, uniform(b, 3·prev)), prev starting at b
const (
	Exponential Strategy = iota
	FullJitter
	EqualJitter
	DecorrelatedJitter
)

// Strategies lists every strategy in a fixed order, for tables and plots.
var Strategies = []Strategy{Exponential, FullJitter, EqualJitter, DecorrelatedJitter}

func (s Strategy) String() string {
	switch s {
	case Exponential:
		return "Exponential"
	case FullJitter:
		return "FullJitter"
	case EqualJitter:
		return "EqualJitter"
	case DecorrelatedJitter:
		return "DecorrelatedJitter"
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// Policy is a back-off rule: a strategy with its base and cap. It is a small
// immutable value; the zero Policy is not valid, build one with NewPolicy.
//
// Times are float64 in whatever unit the caller uses consistently
// (the lessons use milliseconds of virtual time).
type Policy struct {
	strategy  Strategy
	base, cap float64
}

// NewPolicy returns a Policy after checking that 0 < base ≤ cap and both are
// finite.
func NewPolicy(s Strategy, base, cap float64) (Policy, error) {
	if s < Exponential || s > DecorrelatedJitter {
		return Policy{}, fmt.Errorf("retry: unknown strategy %d, want one of %v", int(s), Strategies)
	}
	if math.IsNaN(base) || math.IsInf(base, 0) || base <= 0 {
		return Policy{}, fmt.Errorf("retry: base %v must be finite and > 0", base)
	}
	if math.IsNaN(cap) || math.IsInf(cap, 0) || cap < base {
		return Policy{}, fmt.Errorf("retry: cap %v must be finite and >= base %v", cap, base)
	}
	return Policy{strategy: s, base: base, cap: cap}, nil
}

// Strategy returns the policy's strategy.
func (p Policy) Strategy() Strategy { return p.strategy }

// Base returns the policy's base delay.
func (p Policy) Base() float64 { return p.base }

// Cap returns the policy's maximum delay.
func (p Policy) Cap() float64 { return p.cap }

func (p Policy) String() string {
	return fmt.Sprintf("%v(base=%g, cap=%g)", p.strategy, p.base, p.cap)
}

// Ceiling returns min(cap, base·2^attempt), the un-jittered exponential delay
// for attempt (attempt ≥ 0). It does not overflow for large attempts.
func (p Policy) Ceiling(attempt int) (float64, error) {
	if err := p.check(attempt); err != nil {
		return 0, err
	}
	return p.ceiling(attempt), nil
}

func (p Policy) ceiling(attempt int) float64 {
	if attempt > 1100 { // 2^1100 overflows float64; the cap wins long before.
		return p.cap
	}
	return min(p.cap, math.Ldexp(p.base, attempt))
}

func (p Policy) check(attempt int) error {
	if p.base <= 0 {
		return fmt.Errorf("retry: zero Policy, build one with NewPolicy")
	}
	if attempt < 0 {
		return fmt.Errorf("retry: attempt %d must be >= 0", attempt)
	}
	return nil
}

// Delay returns the delay before the retry that follows attempt number
// attempt (0 for the first retry). prev is the previous delay returned for
// the same caller; only DecorrelatedJitter uses it, and prev = 0 (no previous
// delay) is treated as base. rng supplies the randomness: pass a seeded
// *rand.Rand (for instance rand.New(rand.NewPCG(seed, 0))); Exponential does
// not draw from it.
func (p Policy) Delay(attempt int, prev float64, rng *rand.Rand) (float64, error) {
	if err := p.check(attempt); err != nil {
		return 0, err
	}
	if math.IsNaN(prev) || math.IsInf(prev, 0) || prev < 0 {
		return 0, fmt.Errorf("retry: previous delay %v must be finite and >= 0", prev)
	}
	if rng == nil && p.strategy != Exponential {
		return 0, fmt.Errorf("retry: %v needs a random source, got nil *rand.Rand", p.strategy)
	}
	switch p.strategy {
	case Exponential:
		return p.ceiling(attempt), nil
	case FullJitter:
		return rng.Float64() * p.ceiling(attempt), nil
	case EqualJitter:
		t := p.ceiling(attempt)
		return t/2 + rng.Float64()*t/2, nil
	default: // DecorrelatedJitter
		if prev == 0 {
			prev = p.base
		}
		hi := max(3*prev, p.base) // prev < base/3 would make the interval empty
		return min(p.cap, p.base+rng.Float64()*(hi-p.base)), nil
	}
}

// MaxSchedule bounds the length of a Schedule.
const MaxSchedule = 1_000_000

// Schedule returns the first n delays a single caller would sleep, feeding
// each delay back as prev. It is what the back-off curves in the lessons
// plot. n must be in [0, MaxSchedule].
func (p Policy) Schedule(n int, rng *rand.Rand) ([]float64, error) {
	if n < 0 || n > MaxSchedule {
		return nil, fmt.Errorf("retry: schedule length %d not in [0,%d]", n, MaxSchedule)
	}
	if err := p.check(0); err != nil {
		return nil, err
	}
	out := make([]float64, n)
	prev := 0.0
	for i := range out {
		d, err := p.Delay(i, prev, rng)
		if err != nil {
			return nil, err
		}
		out[i], prev = d, d
	}
	return out, nil
}
