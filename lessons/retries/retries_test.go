package retries

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/retry"
	"gonum.org/v1/plot"
)

func policy(t testing.TB, s retry.Strategy) retry.Policy {
	t.Helper()
	p, err := retry.NewPolicy(s, 5, 2000)
	require.NoError(t, err)
	return p
}

func TestCurvesMatchDefinitions(t *testing.T) {
	const seed = 11
	c, err := Curves(CurvesConfig{Base: 5, Cap: 2000, Attempts: 12, Samples: 4000, Seed: seed})
	require.NoError(t, err)
	require.Len(t, c.Curves, 4)
	for n := range 12 {
		ceil := min(2000, 5*math.Pow(2, float64(n)))
		sd := ceil / math.Sqrt(12*4000) // of a mean of uniforms of width ceil
		for _, cv := range c.Curves {
			switch cv.Strategy {
			case retry.Exponential:
				assert.InDelta(t, ceil, cv.Mean[n], 1e-9*ceil, "attempt %d", n)
			case retry.FullJitter:
				assert.InDelta(t, ceil/2, cv.Mean[n], 5*sd, "seed %d attempt %d", seed, n)
			case retry.EqualJitter:
				assert.InDelta(t, 0.75*ceil, cv.Mean[n], 5*sd/2, "seed %d attempt %d", seed, n)
			case retry.DecorrelatedJitter:
				assert.True(t, cv.Mean[n] >= 5 && cv.Mean[n] <= 2000, "seed %d attempt %d: %g", seed, n, cv.Mean[n])
				// The notebook's reading: it starts at 2·base on average (uniform(b, 3b)),
				// grows by at most ×1.5 (+b/2) per retry on average, and from retry 4 on
				// waits less than plain exponential back-off. (10% slack: these are
				// sample means of a heavy-tailed draw.)
				if n == 0 {
					assert.InDelta(t, 10, cv.Mean[0], 5*10/math.Sqrt(12*4000), "seed %d", seed)
				} else {
					assert.LessOrEqual(t, cv.Mean[n], 1.1*(1.5*cv.Mean[n-1]+2.5), "seed %d attempt %d", seed, n)
				}
				if n >= 4 {
					assert.Less(t, cv.Mean[n], ceil, "seed %d attempt %d", seed, n)
				}
			}
		}
	}
	assert.Contains(t, c.String(), "seed=11")
	_, err = Curves(CurvesConfig{Base: 5, Cap: 2000, Attempts: 0, Samples: 1})
	assert.ErrorContains(t, err, "Attempts 0")
	_, err = Curves(CurvesConfig{Base: 5, Cap: 1, Attempts: 3, Samples: 1})
	assert.ErrorContains(t, err, "cap 1")
}

func TestContentionSingleClientByHand(t *testing.T) {
	for _, s := range retry.Strategies {
		r, err := Contention(ContentionConfig{Clients: 1, Policy: policy(t, s), NetMean: 10, NetSD: 0, Seed: 1})
		require.NoError(t, err)
		assert.Equal(t, 1, r.Calls)
		assert.Equal(t, 1, r.Reads)
		assert.Equal(t, 40.0, r.Completion, "four one-way trips of 10 ms")
	}
}

// With no network variance and no jitter the clients stay in lock-step:
// round k has N-k+1 writers and one winner, so the store serves N(N+1)/2 writes.
func TestContentionLockstepIsQuadratic(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 20, 50} {
		r, err := Contention(ContentionConfig{Clients: n, Policy: policy(t, retry.Exponential), NetMean: 10, NetSD: 0, Seed: 3})
		require.NoError(t, err)
		assert.Equal(t, n*(n+1)/2, r.Calls, "N=%d", n)
		if n == 3 {
			// By hand (notebook 04): each round is 4 crossings of 10ms; the
			// f-th failure waits Delay(f) = 5·2^f, so 40 + (10+40) + (20+40).
			assert.Equal(t, 150.0, r.Completion)
		}
	}
}

func TestContentionInvariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := range 40 {
		s := retry.Strategies[trial%4]
		n := 1 + rng.IntN(60)
		seed := rng.Uint64()
		cfg := ContentionConfig{Clients: n, Policy: policy(t, s), NetMean: 10, NetSD: rng.Float64() * 5, Seed: seed}
		r, err := Contention(cfg)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, r.Calls, n, "seed %d", seed)
		assert.Equal(t, r.Reads, r.Calls, "every read is followed by one write (seed %d)", seed)
		if n > 1 {
			assert.LessOrEqual(t, r.Calls, n*(n+1)/2*3, "seed %d", seed)
		}
		again, err := Contention(cfg)
		require.NoError(t, err)
		assert.Equal(t, r, again, "same seed %d must give the same run", seed)
	}
}

func TestContentionRejectsNonsense(t *testing.T) {
	p := policy(t, retry.FullJitter)
	for _, tc := range []struct {
		cfg  ContentionConfig
		want string
	}{
		{ContentionConfig{Clients: 0, Policy: p, NetMean: 10}, "Clients 0"},
		{ContentionConfig{Clients: 9999, Policy: p, NetMean: 10}, "Clients 9999"},
		{ContentionConfig{Clients: 3, NetMean: 10}, "Policy not set"},
		{ContentionConfig{Clients: 3, Policy: p, NetMean: 0}, "NetMean 0"},
		{ContentionConfig{Clients: 3, Policy: p, NetMean: math.NaN()}, "NetMean NaN"},
		{ContentionConfig{Clients: 3, Policy: p, NetMean: 10, NetSD: -1}, "NetSD -1"},
	} {
		_, err := Contention(tc.cfg)
		assert.ErrorContains(t, err, "retries: "+tc.want)
	}
	for _, bad := range []SweepConfig{
		{Clients: nil, Base: 5, Cap: 10, NetMean: 10, Runs: 1},
		{Clients: []int{10, 5}, Base: 5, Cap: 10, NetMean: 10, Runs: 1},
		{Clients: []int{5}, Base: 5, Cap: 10, NetMean: 10, Runs: 0},
		{Clients: []int{5}, Base: 0, Cap: 10, NetMean: 10, Runs: 1},
	} {
		_, err := Sweep(bad)
		assert.Error(t, err, "%+v", bad)
	}
}

// TestBrookerHeadline reproduces the claims of Brooker (2015) that the
// notebook makes, on the default sweep (base 5 ms, cap 2 s, network 10±2 ms).
func TestBrookerHeadline(t *testing.T) {
	cfg := DefaultSweep()
	s, err := Sweep(cfg)
	require.NoError(t, err)
	exp, _ := s.At(retry.Exponential, 100)
	full, _ := s.At(retry.FullJitter, 100)

	// 1. Full jitter serves less than half the writes of plain exponential back-off at N = 100 ...
	assert.Less(t, full.Calls/exp.Calls, 0.5, "seed %d: full %g vs exponential %g", cfg.Seed, full.Calls, exp.Calls)
	// ... but at N = 10 it saves only about a quarter (the notebook: "0.73").
	exp10, _ := s.At(retry.Exponential, 10)
	full10, _ := s.At(retry.FullJitter, 10)
	assert.InDelta(t, 0.73, full10.Calls/exp10.Calls, 0.01, "seed %d", cfg.Seed)
	// The saving grows with N: more than half from N = 70 on, less than half up to N = 60.
	for _, n := range cfg.Clients {
		e, _ := s.At(retry.Exponential, n)
		f, _ := s.At(retry.FullJitter, n)
		if n >= 70 {
			assert.Less(t, f.Calls/e.Calls, 0.5, "N=%d seed %d", n, cfg.Seed)
		} else if n >= 10 {
			assert.Greater(t, f.Calls/e.Calls, 0.5, "N=%d seed %d", n, cfg.Seed)
		}
	}

	// 4. Brooker's ranking of the jittered rules: equal jitter is the slowest at
	// every N ≥ 10, decorrelated jitter the fastest; full jitter does the least work
	// (from N = 30 on also less than decorrelated jitter, which does the most).
	for _, n := range cfg.Clients {
		if n < 10 {
			continue
		}
		f, _ := s.At(retry.FullJitter, n)
		e, _ := s.At(retry.EqualJitter, n)
		d, _ := s.At(retry.DecorrelatedJitter, n)
		assert.Greater(t, e.Completion, f.Completion, "N=%d seed %d", n, cfg.Seed)
		assert.Greater(t, f.Completion, d.Completion, "N=%d seed %d", n, cfg.Seed)
		assert.Less(t, f.Calls, e.Calls, "N=%d seed %d", n, cfg.Seed)
		if n >= 30 {
			assert.Less(t, f.Calls, d.Calls, "N=%d seed %d", n, cfg.Seed)
		}
		if n >= 60 {
			assert.Greater(t, d.Calls, e.Calls, "N=%d seed %d", n, cfg.Seed)
		}
	}

	for _, st := range retry.Strategies {
		p10, _ := s.At(st, 10)
		p50, _ := s.At(st, 50)
		p100, _ := s.At(st, 100)
		// 2. Every jittered strategy beats no jitter on work and on completion time.
		if st != retry.Exponential {
			assert.Less(t, p100.Calls, exp.Calls, "%v seed %d", st, cfg.Seed)
			assert.Less(t, p100.Completion, exp.Completion/2, "%v seed %d", st, cfg.Seed)
		}
		// 3. No strategy makes the work linear: calls per client keep growing with N ...
		perN := func(p SweepPoint) float64 { return p.Calls / float64(p.Clients) }
		assert.Less(t, perN(p10), perN(p50), "%v seed %d", st, cfg.Seed)
		assert.Less(t, perN(p50), perN(p100), "%v seed %d", st, cfg.Seed)
		assert.Greater(t, perN(p100), 1.5*perN(p10), "%v seed %d", st, cfg.Seed)
		// ... and the fitted exponent of calls ∝ N^k is well above 1.
		k, err := s.GrowthExponent(st, 10)
		require.NoError(t, err)
		assert.Greater(t, k, 1.2, "%v seed %d", st, cfg.Seed)
		if st != retry.Exponential {
			kExp, _ := s.GrowthExponent(retry.Exponential, 10)
			assert.Greater(t, kExp, k, "exponential grows fastest (seed %d)", cfg.Seed)
		}
	}
}

func TestFullJitterHalvesWorkForEverySeed(t *testing.T) {
	// The headline is not a lucky seed: check ten seeds one by one.
	p := DefaultSweep()
	for seed := uint64(100); seed < 110; seed++ {
		e, err := Contention(ContentionConfig{Clients: 100, Policy: policy(t, retry.Exponential), NetMean: p.NetMean, NetSD: p.NetSD, Seed: seed})
		require.NoError(t, err)
		f, err := Contention(ContentionConfig{Clients: 100, Policy: policy(t, retry.FullJitter), NetMean: p.NetMean, NetSD: p.NetSD, Seed: seed})
		require.NoError(t, err)
		assert.Less(t, float64(f.Calls), 0.5*float64(e.Calls), "seed %d", seed)
	}
}

func TestGrowthExponentOnKnownData(t *testing.T) {
	r := SweepResult{Config: SweepConfig{Strategies: []retry.Strategy{retry.Exponential}}}
	for _, n := range []int{10, 20, 40} {
		r.Points = append(r.Points, SweepPoint{Strategy: retry.Exponential, Clients: n, Calls: 3 * float64(n*n)})
	}
	k, err := r.GrowthExponent(retry.Exponential, 1)
	require.NoError(t, err)
	assert.InDelta(t, 2.0, k, 1e-12)
	_, err = r.GrowthExponent(retry.Exponential, 30)
	assert.ErrorContains(t, err, "need at least 2 points")
}

func TestPlotsCarryTheData(t *testing.T) {
	cfg := DefaultSweep()
	cfg.Clients, cfg.Runs = []int{1, 10, 30}, 1
	s, err := Sweep(cfg)
	require.NoError(t, err)
	p, err := PlotCalls(s)
	require.NoError(t, err)
	exp, _ := s.At(retry.Exponential, 30)
	assert.Equal(t, exp.Calls, p.Y.Max, "the largest y is exponential's work at the largest N")
	assert.Equal(t, 30.0, p.X.Max)
	assert.Contains(t, p.Title.Text, "seed 1")
	assert.NotEmpty(t, p.X.Label.Text)
	q, err := PlotCompletion(s)
	require.NoError(t, err)
	assert.Equal(t, exp.Completion, q.Y.Max)
	assert.IsType(t, plot.LogScale{}, q.Y.Scale, "no jitter takes ten times longer: a log axis")
	j, err := PlotJitteredCompletion(s)
	require.NoError(t, err)
	eq, _ := s.At(retry.EqualJitter, 30)
	assert.Equal(t, eq.Completion, j.Y.Max, "without exponential, equal jitter is the top")
	assert.IsType(t, plot.LinearScale{}, j.Y.Scale)
	only := s
	only.Config.Strategies = []retry.Strategy{retry.Exponential}
	_, err = PlotJitteredCompletion(only)
	assert.ErrorContains(t, err, "no jittered rule")

	c, err := Curves(CurvesConfig{Base: 5, Cap: 100, Attempts: 8, Samples: 10, Seed: 1})
	require.NoError(t, err)
	pc, err := PlotCurves(c)
	require.NoError(t, err)
	assert.Equal(t, 100.0, pc.Y.Max, "exponential reaches the cap")
	assert.IsType(t, plot.LogScale{}, pc.Y.Scale, "delays span decades: a log axis")
	assert.Equal(t, 7.0, pc.X.Max)
}

func BenchmarkContention100(b *testing.B) {
	for _, s := range retry.Strategies {
		b.Run(s.String(), func(b *testing.B) {
			cfg := ContentionConfig{Clients: 100, Policy: policy(b, s), NetMean: 10, NetSD: 2, Seed: 1}
			for b.Loop() {
				if _, err := Contention(cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzContentionConfig(f *testing.F) {
	f.Add(3, 0, 5.0, 2000.0, 10.0, 2.0, uint64(1))
	f.Add(0, 9, -1.0, 0.0, math.NaN(), -2.0, uint64(2))
	f.Add(40, 3, 1e-9, 1e-9, 1e-9, 1e9, uint64(3))
	f.Fuzz(func(t *testing.T, n, s int, base, cap, mean, sd float64, seed uint64) {
		p, err := retry.NewPolicy(retry.Strategy(s), base, cap)
		if err != nil {
			return
		}
		n = n % 50 // keep an iteration short
		r, err := Contention(ContentionConfig{Clients: n, Policy: p, NetMean: mean, NetSD: sd, Seed: seed})
		if err != nil {
			return
		}
		if r.Calls < n || r.Reads != r.Calls || math.IsNaN(r.Completion) {
			t.Fatalf("seed %d: %v", seed, r)
		}
	})
}
