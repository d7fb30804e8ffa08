package partialfailure

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func detect(t *testing.T, cfg DetectorConfig) *DetectorResult {
	t.Helper()
	r, err := FalseSuspicions(cfg)
	require.NoError(t, err, "seed %d", cfg.Seed)
	return r
}

// Synchronous model: 2·bound + processing never suspects a live server;
// a tighter timeout sometimes does.
func TestSynchronousPerfectTimeout(t *testing.T) {
	perfect := PerfectTimeout(SynchronousBound, SyncDetector().Processing)
	require.Equal(t, 25*ms1, perfect)
	for seed := uint64(1); seed <= 5; seed++ {
		cfg := SyncDetector()
		cfg.Seed = seed
		cfg.Timeouts = []netsim.Time{20 * ms1, 24 * ms1, perfect, 2 * perfect}
		r := detect(t, cfg)
		assert.LessOrEqual(t, r.MaxRTT(), perfect, "seed %d", seed)
		rate, ok := r.RateAt(perfect)
		require.True(t, ok)
		assert.Zero(t, rate, "seed %d", seed)
		rate, _ = r.RateAt(2 * perfect)
		assert.Zero(t, rate, "seed %d", seed)
		rate, _ = r.RateAt(20 * ms1)
		assert.Greater(t, rate, 0.0, "seed %d: a timeout below the bound suspects live servers", seed)
		rate, _ = r.RateAt(24 * ms1)
		assert.Greater(t, rate, 0.0, "seed %d", seed)
	}
	// Completeness: a crashed server is always suspected (its timer fires
	// and no answer ever comes), at any timeout.
	cfg := DefaultScenarioConfig()
	cfg.Timeout = perfect
	r, err := RunScenario(CrashedServer, cfg)
	require.NoError(t, err)
	assert.Equal(t, TimerFired, r.Client[len(r.Client)-1].Kind)
	assert.False(t, r.Acked)
}

// Asynchronous model: every timeout of the sweep suspects some live
// servers, and the heavy-tailed rate stays above the analytic lower
// bound P(RTT >= T) >= 1-(1-s)², s = P(one delay > T - processing).
func TestAsynchronousAlwaysSuspects(t *testing.T) {
	cfg := AsyncDetector()
	r := detect(t, cfg)
	require.Len(t, r.Points, 60)
	for i, p := range r.Points {
		assert.Greater(t, p.Suspicions, 0, "timeout %v, seed %d", p.Timeout, cfg.Seed)
		if i > 0 {
			assert.LessOrEqual(t, p.Rate, r.Points[i-1].Rate, "the rate never grows with the timeout")
		}
		x := float64(p.Timeout-cfg.Processing) / float64(2*ms1)
		s := math.Pow(1/max(x, 1), 1.2) // Pareto(2ms, 1.2) survival
		bound := 1 - (1-s)*(1-s)
		assert.GreaterOrEqual(t, p.Rate, 0.8*bound, "timeout %v", p.Timeout)
	}
	last := r.Points[len(r.Points)-1]
	s300 := math.Pow(2.0/295, 1.2)
	assert.InDelta(t, 0.005, 1-(1-s300)*(1-s300), 0.00005, "the notebook quotes the bound at 300 ms as 0.5%")
	assert.Equal(t, 300*ms1, last.Timeout)
	assert.Greater(t, last.Rate, 0.004, "about half a percent even at 300 ms (bound: 0.5%)")
	assert.Greater(t, r.MaxRTT(), 1000*ms1, "a round trip of over a second happens among 5000")
	// The notebook: "several of the 5000 round trips took longer than a
	// second, the longest over 4 s". By hand, P(RTT > 1 s) ≈ 2·(2/995)^1.2
	// ≈ 0.00116, so about 5.8 of 5000 are expected; 2..15 is a wide
	// Poisson range around that.
	slow := r.SlowerThan(netsim.Second)
	want := 5000 * 2 * math.Pow(2.0/995, 1.2)
	assert.InDelta(t, 5.8, want, 0.05)
	assert.GreaterOrEqual(t, slow, 2, "several, not one (seed %d)", cfg.Seed)
	assert.LessOrEqual(t, slow, 15, "seed %d", cfg.Seed)
	assert.Greater(t, r.MaxRTT(), 4*netsim.Second, "seed %d", cfg.Seed)
	assert.InDelta(t, 4.6*float64(netsim.Second), float64(r.MaxRTT()), 0.05*float64(netsim.Second), "quoted as 4.6 s (seed %d)", cfg.Seed)
	assert.Equal(t, 3, slow, "the notebook quotes 3 for seed %d", cfg.Seed)
	assert.Equal(t, 0, r.SlowerThan(r.MaxRTT()))
	assert.Equal(t, len(r.RTTs), r.SlowerThan(0))
	assert.Contains(t, r.String(), "false suspicions at every timeout tried")

	// The lighter log-normal tail: still some suspicions at 200 ms.
	ln := detect(t, LogNormalDetector())
	rate, ok := ln.RateAt(200 * ms1)
	require.True(t, ok)
	assert.Greater(t, rate, 0.0)
	rate, _ = ln.RateAt(100 * ms1)
	pr, _ := r.RateAt(100 * ms1)
	assert.Less(t, rate, pr, "the power law's tail is heavier at 100 ms")
}

// Oracle: the number of false suspicions at timeout T is the number of
// probes whose round trip took T or more (at a tie the timer fires
// first), and the round trips do not depend on the timeout.
func TestSuspicionsMatchRoundTrips(t *testing.T) {
	for _, cfg := range []DetectorConfig{SyncDetector(), AsyncDetector(), LogNormalDetector(), Exercise2.ParamsFor("").Detector()} {
		cfg.Probes = 500
		cfg.Timeouts = Timeouts(1*ms1, 120*ms1, 7*ms1)
		r := detect(t, cfg)
		for _, p := range r.Points {
			n := 0
			for _, rtt := range r.RTTs {
				if rtt >= p.Timeout {
					n++
				}
			}
			assert.Equal(t, n, p.Suspicions, "%s, timeout %v", cfg.Name, p.Timeout)
		}
		p1, err := runProber(cfg, 1*ms1)
		require.NoError(t, err)
		p2, err := runProber(cfg, netsim.Second)
		require.NoError(t, err)
		assert.Equal(t, p1.rtts, p2.rtts, cfg.Name)
		assert.Equal(t, p1.rtts, r.RTTs)
		assert.GreaterOrEqual(t, slices.Min(r.RTTs), cfg.Processing)
	}
}

func TestDetectorTableAndString(t *testing.T) {
	cfg := SyncDetector()
	cfg.Probes = 200
	r := detect(t, cfg)
	h, rows := r.Table(50 * ms1)
	assert.Equal(t, []string{"timeout", "false suspicions", "rate"}, h)
	require.Len(t, rows, 6)
	assert.Equal(t, []string{"50.000ms", "0 / 200", "0.00%"}, rows[0])
	_, all := r.Table(0)
	assert.Len(t, all, 60)
	s := r.String()
	assert.Contains(t, s, "seed 1")
	assert.Contains(t, s, "no false suspicion from timeout 25.000ms on")
	st, ok := r.SmallestTimeout(1e-12)
	assert.True(t, ok)
	assert.Equal(t, 25*ms1, st)
	_, ok = r.RateAt(3 * ms1)
	assert.False(t, ok)
}

func TestDetectorValidation(t *testing.T) {
	mod := func(f func(*DetectorConfig)) DetectorConfig {
		c := SyncDetector()
		f(&c)
		return c
	}
	for _, tc := range []struct {
		cfg  DetectorConfig
		want string
	}{
		{mod(func(c *DetectorConfig) { c.Probes = 0 }), "probes"},
		{mod(func(c *DetectorConfig) { c.Probes = 2_000_000 }), "probes"},
		{mod(func(c *DetectorConfig) { c.Timeouts = nil }), "no timeouts"},
		{mod(func(c *DetectorConfig) { c.Timeouts = []netsim.Time{0} }), "timeout"},
		{mod(func(c *DetectorConfig) { c.Processing = -1 }), "processing"},
		{mod(func(c *DetectorConfig) { c.Delay = netsim.Pareto(ms1, 0) }), "alpha"},
	} {
		_, err := FalseSuspicions(tc.cfg)
		require.Error(t, err, tc.want)
		assert.True(t, strings.HasPrefix(err.Error(), "partialfailure: "), err.Error())
		assert.Contains(t, err.Error(), tc.want)
	}
	assert.Empty(t, Timeouts(1, 10, 0))
	assert.Equal(t, []netsim.Time{1, 4, 7, 10}, Timeouts(1, 10, 3))
}

func TestSuspicionPlot(t *testing.T) {
	cfg := SyncDetector()
	cfg.Probes = 100
	a := detect(t, cfg)
	b := detect(t, AsyncDetector())
	xy := SuspicionSeries(b)
	require.Len(t, xy, len(b.Points))
	assert.Equal(t, 5.0, xy[0].X)
	assert.InDelta(t, 100*b.Points[0].Rate, xy[0].Y, 1e-12)
	p, err := PlotSuspicions(PerfectTimeout(SynchronousBound, cfg.Processing), a, b)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "seed 1")
	assert.Equal(t, "timeout (ms)", p.X.Label.Text)
	assert.Contains(t, p.Y.Label.Text, "log")
	assert.Equal(t, 100.0, p.Y.Max)
	assert.Equal(t, 100/float64(b.Config.Probes)/2, p.Y.Min, "half a probe in the largest run: every non-zero rate is on the axis")
	var labels []string
	for _, tk := range (percentTicks{}).Ticks(0.01, 100) {
		labels = append(labels, tk.Label)
	}
	assert.Equal(t, []string{"0.01", "0.1", "1", "10", "100"}, labels)
	_, err = PlotSuspicions(0)
	assert.Error(t, err)
	_, err = PlotSuspicions(0, &DetectorResult{})
	assert.Error(t, err)
}

// A timeout of 2·bound + processing is a perfect failure detector only if
// messages are not lost: on the synchronous network, a lost request or a
// lost reply makes the timer fire although the server is alive.
func TestPerfectOnlyWithoutLoss(t *testing.T) {
	cfg := DefaultScenarioConfig()
	cfg.Delay = SyncDetector().Delay
	cfg.Processing = SyncDetector().Processing
	cfg.Timeout = PerfectTimeout(SynchronousBound, cfg.Processing)
	for _, s := range []Scenario{LostRequest, LostResponse} {
		r, err := RunScenario(s, cfg)
		require.NoError(t, err)
		require.Len(t, r.Client, 2, s.String())
		assert.Equal(t, TimerFired, r.Client[1].Kind, "%v: the live server is suspected", s)
		assert.False(t, strings.Contains(r.Trace.String(), "crash"), "%v: nothing crashed", s)
	}
	r, err := RunScenario(AllWell, cfg)
	require.NoError(t, err)
	assert.Equal(t, Received, r.Client[1].Kind, "without loss the answer comes in time")
}
