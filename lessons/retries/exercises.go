package retries

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dslessons/course/pkg/retry"
)

// CheckExponentialDelay checks a hand-computed capped exponential delay:
// min(cap, base·2^attempt).
func CheckExponentialDelay(base, cap float64, attempt int, answer float64) error {
	p, err := retry.NewPolicy(retry.Exponential, base, cap)
	if err != nil {
		return err
	}
	want, err := p.Ceiling(attempt)
	if err != nil {
		return err
	}
	if math.Abs(answer-want) > 1e-9*max(1, want) {
		return fmt.Errorf("expected %g ms, got %g ms; hint: double the base %d times, then apply the cap", want, answer, attempt)
	}
	return nil
}

// CheckFullJitterMean checks the expected full-jitter delay for an attempt:
// the mean of uniform(0, min(cap, base·2^attempt)).
func CheckFullJitterMean(base, cap float64, attempt int, answer float64) error {
	p, err := retry.NewPolicy(retry.FullJitter, base, cap)
	if err != nil {
		return err
	}
	ceil, err := p.Ceiling(attempt)
	if err != nil {
		return err
	}
	if want := ceil / 2; math.Abs(answer-want) > 1e-9*max(1, want) {
		return fmt.Errorf("expected %g ms, got %g ms; hint: full jitter is uniform between 0 and the capped exponential delay (%g ms); what is the mean of a uniform?", want, answer, ceil)
	}
	return nil
}

// CheckLockstepCalls checks the number of writes N clients make when the
// network has no variance and back-off has no jitter: everyone stays in
// lock-step, so round k has N-k+1 contenders and one winner.
func CheckLockstepCalls(n, answer int) error {
	if n < 1 {
		return fmt.Errorf("retries: clients %d must be >= 1", n)
	}
	if want := n * (n + 1) / 2; answer != want {
		return fmt.Errorf("expected %d writes for %d clients, got %d; hint: count the contenders in each round: %d, then %d, …, then 1", want, n, answer, n, n-1)
	}
	return nil
}

// CheckFullJitterFunc tests a student's full-jitter function for base 10 ms
// and cap 1000 ms: every delay must lie in [0, min(1000, 10·2^attempt)], the
// mean must be about half that, and the delays must vary.
func CheckFullJitterFunc(f func(attempt int, rng *rand.Rand) float64, seed uint64) error {
	if f == nil {
		return fmt.Errorf("retries: nil function")
	}
	const base, cap, n = 10.0, 1000.0, 4000
	rng := rand.New(rand.NewPCG(seed, 0))
	for attempt := range 10 {
		ceil := min(cap, base*math.Pow(2, float64(attempt)))
		sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
		for range n {
			d := f(attempt, rng)
			if math.IsNaN(d) || d < 0 || d > ceil {
				return fmt.Errorf("expected delays in [0, %g] ms at attempt %d, got %g (seed %d); hint: draw uniformly up to min(cap, base·2^attempt)", ceil, attempt, d, seed)
			}
			sum += d
			lo, hi = min(lo, d), max(hi, d)
		}
		if hi-lo < ceil/4 {
			return fmt.Errorf("expected delays spread over [0, %g] ms at attempt %d, got all within [%g, %g] (seed %d); hint: use rng.Float64() — jitter must be random", ceil, attempt, lo, hi, seed)
		}
		mean, want := sum/n, ceil/2
		if sd := ceil / math.Sqrt(12*n); math.Abs(mean-want) > 6*sd {
			return fmt.Errorf("expected mean delay about %g ms at attempt %d, got %.3g (seed %d); hint: the whole interval [0, ceiling] should be equally likely", want, attempt, mean, seed)
		}
	}
	return nil
}
