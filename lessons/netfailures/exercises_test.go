package netfailures

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/exercise"
)

var students = []string{"", "alice", "bob", "s123", "x@y", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan"}

func TestExercise1(t *testing.T) {
	winners := map[string]bool{}
	for _, id := range students {
		inv := Exercise1.ParamsFor(id)
		require.Len(t, inv.Rows, len(DeviceTypes), id)
		win, clear := argmax(inv.Rows, byDowntime)
		require.True(t, clear, "%s: the downtime leader is clear", id)
		winners[inv.Rows[win].Type] = true
		for _, r := range inv.Rows {
			assert.GreaterOrEqual(t, r.MeanRepair, r.MedianRepair, "%s: a long right tail puts the mean above the median", id)
			assert.Positive(t, r.Failures, id)
		}
		assert.True(t, Exercise1.VerdictFor(id, inv.Rows[win].Type).Passed, id)
		assert.True(t, Exercise1.VerdictFor(id, "  "+inv.Rows[win].Type+"s ").Passed, "plural and spaces (%s)", id)
		// Each tempting reading points elsewhere; its verdict never names the answer.
		for _, by := range []func(DeviceRow) float64{byFailures, byMedianTime, byRepair, byRate} {
			i, _ := argmax(inv.Rows, by)
			require.NotEqual(t, win, i, id)
			v := Exercise1.VerdictFor(id, inv.Rows[i].Type)
			assert.False(t, v.Passed, id)
			assert.NotContains(t, v.Line("Exercise 1", 0), inv.Rows[win].Type, "the verdict names the answer (%s)", id)
		}
	}
	assert.GreaterOrEqual(t, len(winners), 2, "different students, different leaders")

	inv := Exercise1.ParamsFor("")
	fails, _ := argmax(inv.Rows, byFailures)
	assert.Contains(t, Exercise1.VerdictFor("", inv.Rows[fails].Type).Why, "fails most often")
	median, _ := argmax(inv.Rows, byMedianTime)
	if median != fails {
		assert.Contains(t, Exercise1.VerdictFor("", inv.Rows[median].Type).Why, "median")
	}
	assert.Contains(t, Exercise1.VerdictFor("", "toaster").Why, "not a device type")
	for in, want := range map[string]string{
		"LB": "load balancer", "Load Balancers": "load balancer", "ToR": "top-of-rack switch", "top of rack switches": "top-of-rack switch",
		"AggS": "aggregation switch", "aggregation-switch": "aggregation switch", "AccR": "access router", "access routers": "access router", "x": "",
	} {
		assert.Equal(t, want, CanonicalDevice(in), in)
	}
}

func TestExercise2(t *testing.T) {
	p := Exercise2.ParamsFor("")
	assert.Equal(t, PathPair{MTBFDays: 30, MTTR: 15, Common: 0.3}, p)
	ref := p.reference()
	// By hand: U = 15/(43200 + 15); one path 525600·U ≈ 182.4 min/year;
	// two independent paths ≈ 525600·U² ≈ 0.06; with 30% shared ≈ 0.3·182.4.
	assert.InDelta(t, 182.44, ref.One, 0.01)
	assert.InDelta(t, 0.0633, ref.Independent, 0.0001)
	assert.InDelta(t, 0.3*182.44, ref.Correlated, 0.2)
	assert.True(t, Exercise2.VerdictFor("", Redundancy{One: 182.4, Independent: 0.063, Correlated: 54.7}).Passed)
	assert.True(t, Exercise2.VerdictFor("", Redundancy{One: 182.4, Independent: 0.063, Correlated: 0.3 * 182.4}).Passed,
		"the common share of one path's downtime is close enough")

	v := Exercise2.VerdictFor("", Redundancy{One: 182.4, Independent: 0.063, Correlated: 0.063})
	assert.Equal(t, []string{"Correlated"}, v.Wrong)
	assert.Contains(t, v.Why, "independent")
	assert.Contains(t, Exercise2.VerdictFor("", Redundancy{One: 182.4, Independent: 0.063, Correlated: 182.4}).Why, "buys nothing")
	assert.Contains(t, Exercise2.VerdictFor("", Redundancy{One: 182.4, Independent: 0.063, Correlated: 0.7 * 182.4}).Why, "removes")
	v = Exercise2.VerdictFor("", Redundancy{One: 1440 * 15 / 43215.0 * 365 / 1440 * 60, Independent: 0.063, Correlated: 54.7})
	assert.Equal(t, []string{"One"}, v.Wrong)
	assert.Equal(t, []string{"One", "Independent", "Correlated"}, Exercise2.VerdictFor("", Redundancy{}).Wrong)

	for _, id := range students {
		p := Exercise2.ParamsFor(id)
		ref := p.reference()
		assert.True(t, Exercise2.VerdictFor(id, ref).Passed, id)
		for _, wrong := range []Redundancy{{}, {One: -1, Independent: math.NaN(), Correlated: 1e9}} {
			line := Exercise2.VerdictFor(id, wrong).Line("Exercise 2", 0)
			for _, x := range []float64{ref.One, ref.Independent, ref.Correlated} {
				assert.NotContains(t, line, exercise.Format(x), id)
			}
		}
	}
	// The simulation of section 4 agrees with the reference for the parts it
	// can measure in 2000 years (double independent failures are too rare).
	for _, id := range students[:5] {
		p := Exercise2.ParamsFor(id)
		ref := p.reference()
		c, err := Compare(p.Config(), p.Common)
		require.NoError(t, err)
		assert.InEpsilon(t, ref.One, c.Single.DowntimePerYear(), 0.03, "%s seed %d", id, p.Config().Seed)
		assert.InEpsilon(t, ref.Correlated, c.Correlated.DowntimePerYear(), 0.05, "%s seed %d", id, p.Config().Seed)
		assert.InDelta(t, p.MTTR, p.Config().MTTR(), 1e-9, id)
	}
}

func TestExercise3(t *testing.T) {
	p := Exercise3.ParamsFor("")
	assert.Equal(t, PathTarget{Unavail: 0.01, Common: 0.05, Nines: 5}, p)
	// 0.01³ = 10⁻⁶ ≤ 10⁻⁵ < 0.01²; the shared 0.05·0.01 = 5·10⁻⁴ alone misses the target.
	assert.Equal(t, PathsNeeded{Independent: 3, Correlated: -1}, p.reference())
	assert.True(t, Exercise3.VerdictFor("", PathsNeeded{3, -1}).Passed)
	assert.Equal(t, []string{"Independent", "Correlated"}, Exercise3.VerdictFor("", PathsNeeded{}).Wrong, "the stub is wrong in both parts")
	v := Exercise3.VerdictFor("", PathsNeeded{3, 3})
	assert.Equal(t, []string{"Correlated"}, v.Wrong)
	assert.Contains(t, v.Hint, "any number of paths")
	assert.Contains(t, Exercise3.VerdictFor("", PathsNeeded{2, -1}).Why, "still down")
	assert.Contains(t, Exercise3.VerdictFor("", PathsNeeded{4, -1}).Why, "fewer paths")
	assert.Contains(t, Exercise3.VerdictFor("", PathsNeeded{3, 0}).Why, "or −1")
	assert.Equal(t, "99.999%", nines(5))
	assert.Equal(t, "99%", nines(2))

	kinds := map[bool]bool{}
	for _, id := range students {
		p := Exercise3.ParamsFor(id)
		require.True(t, p.clear(), "%s: %+v is not a near-tie", id, p)
		ref := p.reference()
		assert.GreaterOrEqual(t, ref.Independent, 2, id)
		kinds[ref.Correlated == -1] = true
		assert.False(t, Exercise3.VerdictFor(id, PathsNeeded{}).Passed, "the stub fails (%s)", id)
		if ref.Correlated > 0 {
			assert.GreaterOrEqual(t, ref.Correlated, ref.Independent, "sharing failures never needs fewer paths (%s)", id)
		}
		assert.True(t, Exercise3.VerdictFor(id, ref).Passed, id)
		assert.False(t, Exercise3.VerdictFor(id, PathsNeeded{ref.Independent + 1, ref.Correlated + 1}).Passed, id)
	}
	assert.Len(t, kinds, 2, "for some students the target is out of reach with shared failures, for others not")
}

func TestSimulateRule(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Paths, cfg.Common, cfg.Horizon = 3, 0.2, 50*minutesPerYear
	all, err := Simulate(cfg)
	require.NoError(t, err)
	same, err := SimulateRule(cfg, AllDown)
	require.NoError(t, err)
	assert.InDelta(t, all.Downtime, same.Downtime, 1e-6, "the rule version of 'all down' is Simulate")
	assert.Equal(t, all.Outages, same.Outages)
	twoOfThree := func(d []bool) bool {
		n := 0
		for _, x := range d {
			if x {
				n++
			}
		}
		return n >= 2
	}
	any := func(d []bool) bool { return d[0] || d[1] || d[2] }
	quorum, err := SimulateRule(cfg, twoOfThree)
	require.NoError(t, err)
	series, err := SimulateRule(cfg, any)
	require.NoError(t, err)
	assert.Less(t, all.Downtime, quorum.Downtime, "needing two paths is worse than needing one")
	assert.Less(t, quorum.Downtime, series.Downtime, "needing all three is worst")
	// Needing every path: down whenever any path is, about three times one path's downtime
	// (less the overlaps and the shared failures counted once).
	one := cfg
	one.Paths = 1
	single, err := Simulate(one)
	require.NoError(t, err)
	assert.Greater(t, series.Downtime, 2*single.Downtime)
	_, err = SimulateRule(cfg, func([]bool) bool { panic("boom") })
	assert.ErrorContains(t, err, "panicked")
	_, err = SimulateRule(cfg, nil)
	assert.Error(t, err)
	// A rule that says down when everything is up counts to the horizon.
	always, err := SimulateRule(cfg, func([]bool) bool { return true })
	require.NoError(t, err)
	assert.InDelta(t, cfg.Horizon, always.Downtime, 1e-6)
	assert.Equal(t, 1, always.Outages)
}

func TestDownUnderMatchesBruteForce(t *testing.T) {
	cfg := Config{Paths: 3, MTBF: 60, RepairMedian: 5, RepairSigma: 1, Common: 0.3, Horizon: 3000, Seed: 7}
	_, down, err := simulate(cfg, nil)
	require.NoError(t, err)
	brute := func(rule DownRule, dt float64) float64 {
		total := 0.0
		state := make([]bool, len(down))
		for x := dt / 2; x < cfg.Horizon; x += dt {
			for p, ivs := range down {
				state[p] = false
				for _, iv := range ivs {
					if x >= iv.from && x < iv.to {
						state[p] = true
					}
				}
			}
			if rule(state) {
				total += dt
			}
		}
		return total
	}
	for name, rule := range map[string]DownRule{
		"all":  AllDown,
		"any":  func(d []bool) bool { return d[0] || d[1] || d[2] },
		"2of3": func(d []bool) bool { return (d[0] && d[1]) || (d[1] && d[2]) || (d[0] && d[2]) },
	} {
		got, _, err := downUnder(down, cfg.Horizon, rule)
		require.NoError(t, err)
		assert.InDelta(t, brute(rule, 0.02), got, 1, name)
	}
}
