package netfailures

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFiguresAreTheCitedOnes(t *testing.T) {
	f := Figures()
	// Values as the course syllabus cites Gill et al. (SIGCOMM 2011).
	for key, want := range map[string]float64{
		"devices_per_day": 5, "links_per_day": 41, "median_repair": 5,
		"lb_failure_per_year": 20, "redundancy_effectiveness": 40,
	} {
		got, err := f.Get(key)
		require.NoError(t, err)
		assert.Equal(t, want, got.Value, key)
	}
	lb, _ := f.Get("lb_failure_per_year")
	assert.Equal(t, ">", lb.Relation, "the study gives a lower bound")
	assert.Contains(t, f.String(), "SIGCOMM 2011")
	_, err := f.Get("nope")
	assert.ErrorContains(t, err, `netfailures: no figure "nope"`)
}

func TestConfigRejectsNonsense(t *testing.T) {
	ok := DefaultConfig()
	for _, tc := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.Paths = 0 }, "Paths 0 not in [1,8]"},
		{func(c *Config) { c.MTBF = -1 }, "MTBF -1"},
		{func(c *Config) { c.MTBF = math.NaN() }, "MTBF NaN"},
		{func(c *Config) { c.RepairMedian = 0 }, "RepairMedian 0"},
		{func(c *Config) { c.RepairSigma = -0.5 }, "RepairSigma -0.5"},
		{func(c *Config) { c.Common = 1.5 }, "Common 1.5 not in [0,1]"},
		{func(c *Config) { c.Horizon = math.Inf(1) }, "Horizon +Inf"},
		{func(c *Config) { c.MTBF = 1e-6 }, "shorten Horizon"},
	} {
		c := ok
		tc.mod(&c)
		_, err := Simulate(c)
		assert.ErrorContains(t, err, tc.want)
		_, err = AnalyticFor(c)
		assert.Error(t, err)
	}
}

// bruteDowntime samples the timeline on a fine grid: an independent oracle
// for the sweep in allDown.
func bruteDowntime(down [][]interval, horizon, dt float64) float64 {
	total := 0.0
	for t := dt / 2; t < horizon; t += dt {
		all := true
		for _, ivs := range down {
			in := false
			for _, iv := range ivs {
				if t >= iv.from && t < iv.to {
					in = true
					break
				}
			}
			all = all && in
		}
		if all {
			total += dt
		}
	}
	return total
}

func TestAllDownMatchesBruteForce(t *testing.T) {
	down := [][]interval{
		{{1, 4}, {6, 9}, {20, 21}},
		{{2, 7}, {8, 10}, {21, 22}}, // {20,21} and {21,22} only touch
	}
	got, outages := allDown(down)
	assert.InDelta(t, 4.0, got, 1e-12, "overlaps [2,4] [6,7] [8,9]")
	assert.Equal(t, 3, outages)
	assert.InDelta(t, bruteDowntime(down, 30, 0.001), got, 0.01)
	three := append(down, []interval{{0, 30}})
	got3, _ := allDown(three)
	assert.InDelta(t, 4.0, got3, 1e-12)
}

func TestSimulatedDowntimeMatchesBruteForce(t *testing.T) {
	// Check the simulator's downtime against the grid oracle.
	cfg := Config{Paths: 2, MTBF: 60, RepairMedian: 5, RepairSigma: 1, Common: 0.3, Horizon: 5000, Seed: 4}
	r, down, err := simulate(cfg, nil)
	require.NoError(t, err)
	assert.InDelta(t, bruteDowntime(down, cfg.Horizon, 0.02), r.Downtime, 0.5, "seed %d", cfg.Seed)
	for p, ivs := range down {
		for i := 1; i < len(ivs); i++ {
			require.LessOrEqual(t, ivs[i-1].to, ivs[i].from, "path %d: down intervals must not overlap (seed %d)", p, cfg.Seed)
		}
	}
	// Availability of each path and of the service are fractions, and the
	// service is never down more than either path.
	for _, up := range r.PathUp {
		assert.GreaterOrEqual(t, r.Availability, up, "seed %d", cfg.Seed)
	}
	assert.Greater(t, r.Outages, 0)
}

func TestSingleAndIndependentMatchAnalytic(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		cfg := DefaultConfig()
		cfg.Seed, cfg.Horizon = seed, 500*minutesPerYear
		c, err := Compare(cfg, 0)
		require.NoError(t, err)
		// MTBF/(MTBF+MTTR), in unavailability terms, within 3%.
		assert.InEpsilon(t, 1-c.Analytic.Single, 1-c.Single.Availability, 0.03, "seed %d", seed)
		// 1-(1-A)^2 for independent paths, within 15% (rare double failures).
		assert.InEpsilon(t, 1-c.Analytic.Independent, 1-c.Independent.Availability, 0.15, "seed %d", seed)
		// Each redundant path on its own is as available as the single path.
		for _, up := range c.Independent.PathUp {
			assert.InEpsilon(t, 1-c.Analytic.Single, 1-up, 0.05, "seed %d", seed)
		}
	}
}

func TestMedianIsNotMean(t *testing.T) {
	// Using the 5-minute median as MTTR would overstate availability.
	cfg := DefaultConfig()
	r, err := Simulate(cfg)
	require.NoError(t, err)
	naive := cfg.MTBF / (cfg.MTBF + cfg.RepairMedian)
	assert.Less(t, r.Availability, naive, "seed %d", cfg.Seed)
	assert.InDelta(t, 5*math.Exp(0.5), cfg.MTTR(), 1e-12)
}

func TestRedundancyRelations(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		cfg := DefaultConfig()
		cfg.Seed = seed
		c, err := Compare(cfg, 0.6)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, c.Independent.Availability, c.Single.Availability, "seed %d", seed)
		assert.GreaterOrEqual(t, c.Correlated.Availability, c.Single.Availability, "seed %d", seed)
		assert.Less(t, c.Correlated.Availability, c.Independent.Availability, "seed %d", seed)
		// Sharing failures does not change how often each path fails on its own.
		for _, up := range c.Correlated.PathUp {
			assert.InEpsilon(t, 1-c.Analytic.Single, 1-up, 0.05, "seed %d", seed)
		}
		ei, ec := c.Effectiveness()
		assert.Greater(t, ei, 0.98, "independent paths remove nearly all downtime (seed %d)", seed)
		assert.InDelta(t, 0.4, ec, 0.05, "with 60%% common-mode failures about 40%% is removed (seed %d)", seed)
	}
}

func TestEffectivenessFallsWithCommonShare(t *testing.T) {
	cfg := DefaultConfig()
	commons := []float64{0, 0.2, 0.4, 0.6, 0.8, 1}
	pts, err := EffectivenessSweep(cfg, commons)
	require.NoError(t, err)
	for i, p := range pts {
		// A second path removes about the independent share, 1 - common.
		assert.InDelta(t, 1-p.Common, p.Effectiveness, 0.05, "seed %d common %g", cfg.Seed, p.Common)
		if i > 0 {
			assert.Less(t, p.Effectiveness, pts[i-1].Effectiveness, "seed %d", cfg.Seed)
		}
	}
}

func TestSimulateIsDeterministic(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Paths, cfg.Common, cfg.Horizon = 2, 0.3, 5*minutesPerYear
	a, err := Simulate(cfg)
	require.NoError(t, err)
	b, err := Simulate(cfg)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	cfg.Seed++
	c, err := Simulate(cfg)
	require.NoError(t, err)
	assert.NotEqual(t, a.Downtime, c.Downtime)
}

func TestRepairSamplesFollowTheModel(t *testing.T) {
	cfg := DefaultConfig()
	s, err := RepairSamples(cfg, 20000)
	require.NoError(t, err)
	slices.Sort(s)
	assert.InDelta(t, 5.0, s[len(s)/2], 0.15, "median 5 min (seed %d)", cfg.Seed)
	for _, x := range []float64{1, 5, 20, 60} {
		i, _ := slices.BinarySearch(s, x)
		assert.InDelta(t, RepairCDF(cfg, x), float64(i)/float64(len(s)), 0.015, "P(repair <= %g min), seed %d", x, cfg.Seed)
	}
	assert.Equal(t, 0.5, RepairCDF(cfg, 5))
	_, err = RepairSamples(cfg, 0)
	assert.Error(t, err)
}

func TestPlotsCarryTheData(t *testing.T) {
	p, err := PlotFigures(Figures())
	require.NoError(t, err)
	assert.Equal(t, 41.0, p.Y.Max)
	cfg := DefaultConfig()
	cfg.Horizon = 10 * minutesPerYear
	c, err := Compare(cfg, 0.6)
	require.NoError(t, err)
	d, err := PlotDowntime(c)
	require.NoError(t, err)
	assert.InDelta(t, c.Single.DowntimePerYear(), d.Y.Max, 1e-9)
	// Every bar carries its value, so the short "2 independent" bar is readable.
	labels := DowntimeLabels(c)
	require.Len(t, labels, 3)
	for i, r := range []Result{c.Single, c.Independent, c.Correlated} {
		var v float64
		_, err := fmt.Sscanf(labels[i], "%g min", &v)
		require.NoError(t, err, labels[i])
		assert.InDelta(t, r.DowntimePerYear(), v, 0.05, labels[i])
	}
	pts := []EffectivenessPoint{{0, 0.99}, {1, 0.01}}
	e, err := PlotEffectiveness(pts, 1)
	require.NoError(t, err)
	assert.Equal(t, 100.0, e.Y.Max, "the model line starts at 100%")
	assert.Equal(t, 0.0, e.Y.Min, "and ends at 0%: only downtime removed is on this axis, no 40% line")
	h, rows := Figures().Table()
	assert.Len(t, h, 3)
	assert.Equal(t, []string{"network links failing", "≈ 41", "per day"}, rows[1])
	r, err := PlotRepairCDF(cfg, 1000)
	require.NoError(t, err)
	assert.Contains(t, r.Title.Text, "seed 1")
	_, err = PlotEffectiveness(nil, 1)
	assert.Error(t, err)
}

func BenchmarkSimulate(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Paths, cfg.Common = 2, 0.5
	for b.Loop() {
		if _, err := Simulate(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzSimulateConfig(f *testing.F) {
	f.Add(2, 60.0, 5.0, 1.0, 0.5, 1000.0, uint64(1))
	f.Add(0, -1.0, 0.0, -1.0, 2.0, math.Inf(1), uint64(2))
	f.Add(8, 1e-3, 1e9, 5.0, 1.0, 1.0, uint64(3))
	f.Fuzz(func(t *testing.T, paths int, mtbf, median, sigma, common, horizon float64, seed uint64) {
		cfg := Config{Paths: paths, MTBF: mtbf, RepairMedian: median, RepairSigma: sigma, Common: common, Horizon: horizon, Seed: seed}
		if cfg.validate() == nil && horizon/mtbf > 1e4 {
			return // valid but too long for a fuzz iteration
		}
		r, err := Simulate(cfg)
		if err != nil {
			return
		}
		if math.IsNaN(r.Availability) || r.Availability < 0 || r.Availability > 1 {
			t.Fatalf("seed %d: availability %v for %+v", seed, r.Availability, cfg)
		}
	})
}
