package retry

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

func mustPolicy(t testing.TB, s Strategy, base, cap float64) Policy {
	t.Helper()
	p, err := NewPolicy(s, base, cap)
	require.NoError(t, err)
	return p
}

func TestNewPolicyRejectsNonsense(t *testing.T) {
	for _, tc := range []struct {
		name      string
		s         Strategy
		base, cap float64
		want      string
	}{
		{"zero base", Exponential, 0, 10, "base 0 must be finite and > 0"},
		{"negative base", FullJitter, -1, 10, "base -1"},
		{"NaN base", EqualJitter, math.NaN(), 10, "base NaN"},
		{"Inf base", EqualJitter, math.Inf(1), math.Inf(1), "base +Inf"},
		{"cap below base", DecorrelatedJitter, 10, 5, "cap 5 must be finite and >= base 10"},
		{"NaN cap", FullJitter, 1, math.NaN(), "cap NaN"},
		{"Inf cap", FullJitter, 1, math.Inf(1), "cap +Inf"},
		{"unknown strategy", Strategy(9), 1, 2, "unknown strategy 9"},
		{"negative strategy", Strategy(-1), 1, 2, "unknown strategy -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPolicy(tc.s, tc.base, tc.cap)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "retry: ")
		})
	}
	_, err := NewPolicy(Exponential, 3, 3) // cap == base is allowed
	assert.NoError(t, err)
}

func TestExponentialByHand(t *testing.T) {
	// base 5, cap 2000 (Brooker's simulator): 5·2ⁿ until the cap.
	p := mustPolicy(t, Exponential, 5, 2000)
	want := []float64{5, 10, 20, 40, 80, 160, 320, 640, 1280, 2000, 2000, 2000}
	got, err := p.Schedule(len(want), nil) // no randomness needed
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestCeilingDoesNotOverflow(t *testing.T) {
	p := mustPolicy(t, Exponential, 1, 60)
	for _, n := range []int{63, 64, 1023, 1024, 1101, math.MaxInt} {
		c, err := p.Ceiling(n)
		require.NoError(t, err)
		assert.Equal(t, 60.0, c, "attempt %d", n)
	}
}

func TestDelayRejectsBadArguments(t *testing.T) {
	p := mustPolicy(t, FullJitter, 1, 10)
	_, err := p.Delay(-1, 0, newRNG(1))
	assert.ErrorContains(t, err, "retry: attempt -1 must be >= 0")
	_, err = p.Delay(0, math.NaN(), newRNG(1))
	assert.ErrorContains(t, err, "previous delay NaN")
	_, err = p.Delay(0, -3, newRNG(1))
	assert.ErrorContains(t, err, "previous delay -3")
	_, err = p.Delay(0, 0, nil)
	assert.ErrorContains(t, err, "FullJitter needs a random source")
	_, err = Policy{}.Delay(0, 0, newRNG(1))
	assert.ErrorContains(t, err, "zero Policy")
	_, err = p.Schedule(-1, newRNG(1))
	assert.ErrorContains(t, err, "schedule length -1")
}

// TestJitterBounds checks every draw against the definition's interval.
func TestJitterBounds(t *testing.T) {
	const seed = 42
	rng := newRNG(seed)
	for trial := range 2000 {
		base := 0.5 + rng.Float64()*10
		cap := base * (1 + rng.Float64()*500)
		attempt := rng.IntN(40)
		prev := rng.Float64() * 2 * cap
		for _, s := range Strategies {
			p := mustPolicy(t, s, base, cap)
			d, err := p.Delay(attempt, prev, rng)
			require.NoError(t, err)
			ceil := min(cap, base*math.Pow(2, float64(attempt)))
			lo, hi := 0.0, ceil
			switch s {
			case Exponential:
				lo = ceil
			case EqualJitter:
				lo = ceil / 2
			case DecorrelatedJitter:
				p0 := prev
				if p0 == 0 {
					p0 = base
				}
				lo, hi = min(base, cap), min(cap, max(base, 3*p0))
			}
			require.True(t, d >= lo && d <= hi, "seed %d trial %d %v attempt %d prev %g: delay %g not in [%g,%g]",
				seed, trial, p, attempt, prev, d, lo, hi)
		}
	}
}

// TestJitterMeans checks the distributions, not just their ranges: a uniform
// on [a,b] has mean (a+b)/2 and standard deviation (b-a)/√12.
func TestJitterMeans(t *testing.T) {
	const seed, n = 7, 20000
	for _, tc := range []struct {
		s        Strategy
		lo, hi   float64 // interval of the uniform for attempt 3, base 10, cap 1000
		attempt  int
		prevIsIn float64
	}{
		{FullJitter, 0, 80, 3, 0},
		{EqualJitter, 40, 80, 3, 0},
		{DecorrelatedJitter, 10, 90, 3, 30}, // uniform(base, 3·prev)
	} {
		p := mustPolicy(t, tc.s, 10, 1000)
		rng := newRNG(seed)
		sum := 0.0
		for range n {
			d, err := p.Delay(tc.attempt, tc.prevIsIn, rng)
			require.NoError(t, err)
			sum += d
		}
		mean := sum / n
		want := (tc.lo + tc.hi) / 2
		sigma := (tc.hi - tc.lo) / math.Sqrt(12) / math.Sqrt(n)
		assert.InDelta(t, want, mean, 5*sigma, "seed %d %v", seed, tc.s)
	}
}

func TestDecorrelatedCapsAndGrows(t *testing.T) {
	// With a small prev the interval is [base, 3·prev]; the cap clips it.
	p := mustPolicy(t, DecorrelatedJitter, 10, 50)
	rng := newRNG(3)
	seen50 := false
	for range 1000 {
		d, err := p.Delay(0, 1000, rng)
		require.NoError(t, err)
		assert.LessOrEqual(t, d, 50.0)
		seen50 = seen50 || d == 50
	}
	assert.True(t, seen50, "with prev ≫ cap most draws should be clipped to the cap (seed 3)")
}

func TestScheduleIsDeterministicPerSeed(t *testing.T) {
	for _, s := range Strategies {
		p := mustPolicy(t, s, 1, 100)
		a, err := p.Schedule(30, newRNG(99))
		require.NoError(t, err)
		b, err := p.Schedule(30, newRNG(99))
		require.NoError(t, err)
		assert.Equal(t, a, b, "%v with seed 99", s)
		if s != Exponential {
			c, err := p.Schedule(30, newRNG(100))
			require.NoError(t, err)
			assert.NotEqual(t, a, c, "%v: seeds 99 and 100 gave the same schedule", s)
		}
	}
}

func TestStrategyString(t *testing.T) {
	assert.Equal(t, "FullJitter", FullJitter.String())
	assert.Equal(t, "Strategy(7)", Strategy(7).String())
	assert.Equal(t, "EqualJitter(base=1, cap=8)", mustPolicy(t, EqualJitter, 1, 8).String())
}

func FuzzNewPolicyAndDelay(f *testing.F) {
	f.Add(0, 1.0, 10.0, 3, 0.0, uint64(1))
	f.Add(3, 5.0, 2000.0, 40, 7.0, uint64(2))
	f.Add(2, math.NaN(), 1.0, -1, math.Inf(1), uint64(3))
	f.Add(1, 1e-300, 1e300, 5000, 1e308, uint64(4))
	f.Fuzz(func(t *testing.T, s int, base, cap float64, attempt int, prev float64, seed uint64) {
		p, err := NewPolicy(Strategy(s), base, cap)
		if err != nil {
			return
		}
		d, err := p.Delay(attempt, prev, newRNG(seed))
		if err != nil {
			return
		}
		if math.IsNaN(d) || d < 0 || d > cap {
			t.Fatalf("seed %d: %v attempt %d prev %g gave delay %g outside [0, cap]", seed, p, attempt, prev, d)
		}
	})
}

func BenchmarkDelay(b *testing.B) {
	for _, s := range Strategies {
		b.Run(s.String(), func(b *testing.B) {
			p := mustPolicy(b, s, 5, 2000)
			rng := newRNG(1)
			prev := 0.0
			for i := 0; b.Loop(); i++ {
				prev, _ = p.Delay(i%16, prev, rng)
			}
		})
	}
}
