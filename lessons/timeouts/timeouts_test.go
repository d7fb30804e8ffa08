package timeouts

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/retry"
	"gonum.org/v1/plot"
)

func TestQueueMatchesMM1(t *testing.T) {
	cfg := DefaultQueue()
	q, err := Queue(cfg)
	require.NoError(t, err)
	require.Len(t, q.Points, len(cfg.Utilisations))
	for _, p := range q.Points {
		tol := 0.03
		if p.Utilisation >= 0.8 {
			tol = 0.06 // near saturation a run settles slowly
		}
		assert.InEpsilon(t, 1/(1-p.Utilisation), p.Mean, tol, "mean, ρ=%g seed %d", p.Utilisation, cfg.Seed)
		assert.InEpsilon(t, math.Log(100)/(1-p.Utilisation), p.P99, tol, "p99, ρ=%g seed %d", p.Utilisation, cfg.Seed)
		// Little's law with PASTA: arrivals see ρ/(1-ρ) requests in the system.
		assert.InEpsilon(t, p.Utilisation/(1-p.Utilisation), p.MeanQueueLen, 2*tol, "L, ρ=%g seed %d", p.Utilisation, cfg.Seed)
		assert.Equal(t, 1/(1-p.Utilisation), p.TheoryMean)
		assert.Greater(t, p.P99/p.Mean, 4.0, "the p99 is more than four times the mean (ρ=%g seed %d)", p.Utilisation, cfg.Seed)
	}
}

// The snowball claims of the notebook.
func TestQueueSnowball(t *testing.T) {
	cfg := DefaultQueue()
	q, err := Queue(cfg)
	require.NoError(t, err)
	at := func(rho float64) QueuePoint {
		for _, p := range q.Points {
			if p.Utilisation == rho {
				return p
			}
		}
		t.Fatalf("no point at ρ=%g", rho)
		return QueuePoint{}
	}
	// From half load to 90% load the mean latency grows about five-fold ...
	assert.InDelta(t, 5, at(0.9).Mean/at(0.5).Mean, 0.5, "seed %d", cfg.Seed)
	// ... and the last step from 80% to 90% alone doubles it.
	assert.InDelta(t, 2, at(0.9).Mean/at(0.8).Mean, 0.2, "seed %d", cfg.Seed)
	// Latency rises with every step of load.
	for i := 1; i < len(q.Points); i++ {
		assert.Greater(t, q.Points[i].Mean, q.Points[i-1].Mean, "seed %d", cfg.Seed)
	}
}

func TestQueueRejectsNonsense(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*QueueConfig)
		want string
	}{
		{func(c *QueueConfig) { c.ServiceRate = 0 }, "ServiceRate 0"},
		{func(c *QueueConfig) { c.ServiceRate = math.NaN() }, "ServiceRate NaN"},
		{func(c *QueueConfig) { c.Requests = 5 }, "Requests 5"},
		{func(c *QueueConfig) { c.Warmup = -1 }, "Warmup -1"},
		{func(c *QueueConfig) { c.Utilisations = nil }, "no utilisations"},
		{func(c *QueueConfig) { c.Utilisations = []float64{1} }, "utilisation 1 not in (0,1)"},
		{func(c *QueueConfig) { c.Utilisations = []float64{math.NaN()} }, "utilisation NaN"},
	} {
		c := DefaultQueue()
		c.Requests, c.Warmup = 1000, 10
		tc.mod(&c)
		_, err := Queue(c)
		assert.ErrorContains(t, err, "timeouts: "+tc.want)
	}
}

func TestSurvivalByHand(t *testing.T) {
	m := RTTModel{Floor: 5, Median: 5, Sigma: 0.8}
	assert.Equal(t, 1.0, m.Survival(3), "nothing is faster than the floor")
	assert.Equal(t, 1.0, m.Survival(5))
	assert.InDelta(t, 0.5, m.Survival(10), 1e-15, "half the replies are slower than floor+median")
	// One σ above the median: P(Z > 1) = 0.158655...
	assert.InDelta(t, 0.15865525393145707, m.Survival(5+5*math.Exp(0.8)), 1e-12)
	d := RTTModel{Floor: 1, Median: 2}
	assert.Equal(t, 1.0, d.Survival(2.9))
	assert.Equal(t, 0.0, d.Survival(3))
	assert.InDelta(t, 5+5*math.Exp(0.32), m.Mean(), 1e-12)
}

func TestFalseTimeoutsFollowSurvival(t *testing.T) {
	cfg := DefaultFalseTimeouts()
	r, err := FalseTimeouts(cfg)
	require.NoError(t, err)
	n := float64(cfg.Samples)
	for _, p := range r.Points {
		sd := math.Sqrt(p.Survival * (1 - p.Survival) / n)
		assert.InDelta(t, p.Survival, p.Simulated, 5*sd+1/n, "timeout %g ms, seed %d", p.Timeout, cfg.Seed)
	}
	// The notebook's reading of the table: at the median (10 ms) half the
	// replies time out, and even 6× the median (60 ms) still loses some.
	assert.InDelta(t, 0.5, r.Points[1].Simulated, 0.01)
	assert.Equal(t, 60.0, r.Points[9].Timeout)
	assert.Greater(t, r.Points[9].Simulated, 0.0)
	assert.Less(t, r.Points[9].Simulated, 0.005)
	// "more than one reply in a thousand (about 1.4)": by hand,
	// P(RTT > 60) = P(lognormal > 55) = 1 − Φ(ln(55/5)/0.8) = 1 − Φ(2.997) ≈ 0.00136.
	assert.InDelta(t, 0.00136, r.Points[9].Survival, 0.00001)
	assert.Greater(t, r.Points[9].Simulated, 0.001)
	assert.InDelta(t, 0.0014, r.Points[9].Simulated, 0.00005, "printed as 0.00143")

	bad := cfg
	bad.Timeouts = []float64{-1}
	_, err = FalseTimeouts(bad)
	assert.ErrorContains(t, err, "timeouts: timeout -1")
	bad = cfg
	bad.RTT.Median = 0
	_, err = FalseTimeouts(bad)
	assert.ErrorContains(t, err, "timeouts: RTT median 0")
	bad = cfg
	bad.Samples = 0
	_, err = FalseTimeouts(bad)
	assert.ErrorContains(t, err, "Samples 0")
}

// TestShiftClaims checks the comparison the notebook draws, for several seeds.
func TestShiftClaims(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		cfg := DefaultShift()
		cfg.Seed = seed
		r, err := ShiftExperiment(cfg)
		require.NoError(t, err)
		tight, _ := r.Run("fixed 30 ms")
		loose, _ := r.Run("fixed 500 ms")
		adapt, ok := r.Run("adaptive (RFC 6298, min 1 ms)")
		require.True(t, ok)

		// Before the shift everyone is fine.
		assert.Less(t, tight.FalseRate(0), 0.01, "seed %d", seed)
		assert.Less(t, adapt.FalseRate(0), 0.05, "seed %d", seed)
		assert.Zero(t, loose.Timeouts[0]+loose.Timeouts[1], "seed %d", seed)
		// After it the tight fixed timeout fires on most attempts; the adaptive one learns.
		assert.Greater(t, tight.FalseRate(1), 0.5, "seed %d", seed)
		assert.Less(t, adapt.FalseRate(1), 0.10, "seed %d", seed)
		// The adaptive timeout tracks the slower path: above its mean RTT, far below 500 ms.
		assert.Greater(t, adapt.FinalRTO, cfg.After.Mean(), "seed %d", seed)
		assert.Less(t, adapt.FinalRTO, 250.0, "seed %d", seed)
		// Detection: tight < adaptive < half of loose.
		for _, x := range []ShiftRun{tight, loose, adapt} {
			require.False(t, math.IsNaN(x.Detection), "%s never noticed the crash (seed %d)", x.Name, seed)
		}
		assert.Less(t, tight.Detection, adapt.Detection, "seed %d", seed)
		assert.Less(t, adapt.Detection, loose.Detection/2, "seed %d", seed)
		assert.GreaterOrEqual(t, loose.Detection, 450.0, "seed %d", seed)
		// Every request before the crash was answered (a retry of a slow request
		// is still answered), and the client kept working after the shift.
		assert.Greater(t, adapt.Completed[1], 100, "seed %d", seed)
	}
}

func TestShiftKarnRule(t *testing.T) {
	r, err := ShiftExperiment(DefaultShift())
	require.NoError(t, err)
	adapt := r.Runs[2]
	retx := 0
	for _, x := range adapt.RTTs {
		if x.Retransmitted {
			retx++
		}
	}
	// Every false timeout leads to a retransmission, and each retransmitted
	// request's RTT is marked so the estimator ignores it.
	assert.Positive(t, retx)
	assert.LessOrEqual(t, retx, adapt.Timeouts[0]+adapt.Timeouts[1])
}

func TestShiftIsDeterministic(t *testing.T) {
	a, err := ShiftExperiment(DefaultShift())
	require.NoError(t, err)
	b, err := ShiftExperiment(DefaultShift())
	require.NoError(t, err)
	assert.Equal(t, a.String(), b.String())
}

func TestShiftRejectsNonsense(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*ShiftConfig)
		want string
	}{
		{func(c *ShiftConfig) { c.Crash = c.Shift }, "want 0 < Shift"},
		{func(c *ShiftConfig) { c.Think = -1 }, "Think -1"},
		{func(c *ShiftConfig) { c.Estimators = nil }, "no estimators"},
		{func(c *ShiftConfig) { c.After.Sigma = -1 }, "sigma -1"},
		{func(c *ShiftConfig) { c.Estimators = []EstimatorSpec{{Name: "x"}} }, `"x" has no constructor`},
		{func(c *ShiftConfig) { c.Estimators = []EstimatorSpec{FixedSpec(-3)} }, "fixed timeout -3"},
	} {
		c := DefaultShift()
		tc.mod(&c)
		_, err := ShiftExperiment(c)
		assert.ErrorContains(t, err, tc.want)
	}
}

func TestPlotsCarryTheData(t *testing.T) {
	c := DefaultQueue()
	c.Requests, c.Warmup, c.Utilisations = 2000, 100, []float64{0.5, 0.9}
	q, err := Queue(c)
	require.NoError(t, err)
	p, err := PlotQueue(q)
	require.NoError(t, err)
	assert.InDelta(t, math.Log(100)/0.02, p.Y.Max, 1e-6, "theory p99 at ρ=0.98 is the top")
	assert.Contains(t, p.Title.Text, "seed 1")

	f, err := FalseTimeouts(DefaultFalseTimeouts())
	require.NoError(t, err)
	fp, err := PlotFalseTimeouts(f)
	require.NoError(t, err)
	assert.Equal(t, 100.0, fp.X.Max)

	s, err := ShiftExperiment(DefaultShift())
	require.NoError(t, err)
	sp, err := PlotShift(s)
	require.NoError(t, err)
	assert.Equal(t, 20.0, sp.X.Max, "the plot stops at the crash, marked by a line")
	assert.Equal(t, 1000.0, s.Runs[2].Timeline[0].Timeout, "RFC 6298 starts at 1 s")
	assert.Greater(t, sp.Y.Max, 1000.0, "the initial 1 s RTO is not clipped")
	assert.Less(t, sp.Y.Min, 1.0, "below every RTT: room for the legend")
	assert.IsType(t, plot.LogScale{}, sp.Y.Scale)
	assert.Contains(t, sp.Title.Text, "slows down at 10 s")
	assert.Contains(t, sp.Title.Text, "crashes at 20 s")
	_, err = PlotShift(ShiftResult{})
	assert.Error(t, err)
}

func mustEst(t *testing.T, s EstimatorSpec) retry.Estimator {
	e, err := s.New()
	require.NoError(t, err)
	return e
}

func BenchmarkQueue(b *testing.B) {
	c := DefaultQueue()
	c.Requests, c.Warmup, c.Utilisations = 100_000, 1000, []float64{0.9}
	for b.Loop() {
		if _, err := Queue(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShift(b *testing.B) {
	c := DefaultShift()
	c.Estimators = c.Estimators[2:]
	for b.Loop() {
		if _, err := ShiftExperiment(c); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzRTTModel(f *testing.F) {
	f.Add(5.0, 5.0, 0.8, 10.0)
	f.Add(-1.0, 0.0, math.NaN(), math.Inf(1))
	f.Add(0.0, 1e-300, 5.0, 1e300)
	f.Fuzz(func(t *testing.T, floor, median, sigma, x float64) {
		m := RTTModel{Floor: floor, Median: median, Sigma: sigma}
		if m.Validate() != nil || math.IsNaN(x) {
			return
		}
		s := m.Survival(x)
		if math.IsNaN(s) || s < 0 || s > 1 {
			t.Fatalf("%v: Survival(%v) = %v", m, x, s)
		}
		if s2 := m.Survival(x + 1); s2 > s {
			t.Fatalf("%v: survival rose from %v to %v", m, s, s2)
		}
	})
}
