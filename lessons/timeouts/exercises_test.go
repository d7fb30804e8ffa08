package timeouts

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/retry"
)

var students = []string{"", "alice", "bob", "s123", "x@y", "carol", "dave", "erin", "frank"}

// noLeak asserts that a wrong answer's verdict line does not state want.
func noLeak(t *testing.T, v exercise.Verdict, name string, want float64) {
	t.Helper()
	assert.False(t, v.Passed)
	assert.NotContains(t, v.Line(name, 0), exercise.Format(want), "the verdict gives the answer away")
}

func TestExercise1(t *testing.T) {
	assert.Equal(t, MM1{Mu: 1, Lambda: 0.75}, Exercise1.ParamsFor(""), "the prose's numbers")
	assert.True(t, Exercise1.VerdictFor("", 4).Passed)
	assert.Contains(t, Exercise1.VerdictFor("", 1).Why, "service time alone")
	seen := map[MM1]bool{}
	for _, id := range students {
		q := Exercise1.ParamsFor(id)
		seen[q] = true
		assert.True(t, Exercise1.VerdictFor(id, q.MeanInSystem()).Passed, id)
		for _, wrong := range []float64{0, -1, 1e9, math.NaN(), 2 * q.MeanInSystem()} {
			noLeak(t, Exercise1.VerdictFor(id, wrong), "Exercise 1", q.MeanInSystem())
		}
	}
	assert.GreaterOrEqual(t, len(seen), 3, "students get different numbers")
}

func TestExercise2(t *testing.T) {
	p := Exercise2.ParamsFor("")
	assert.Equal(t, Stretch{Rate: 0.1, Factor: 2}, p)
	assert.True(t, Exercise2.VerdictFor("", 0.01).Passed)
	assert.Contains(t, Exercise2.VerdictFor("", 0.05).Why, "in proportion")
	assert.Contains(t, Exercise2.VerdictFor("", 1).Why, "percentage")
	assert.Contains(t, Exercise2.VerdictFor("", 0.1).Why, "does lower")
	// The rule is what exponential round trips do, whatever their mean:
	// the simulated exponential agrees with P(RTT > t)^k.
	for _, mean := range []float64{3, 10, 250} {
		tm := mean * math.Log(1/p.Rate) // the timeout with rate p.Rate
		assert.InDelta(t, p.newRate(), math.Exp(-float64(p.Factor)*tm/mean), 1e-12)
	}
	seen := map[Stretch]bool{}
	for _, id := range students {
		s := Exercise2.ParamsFor(id)
		seen[s] = true
		assert.True(t, Exercise2.VerdictFor(id, s.newRate()).Passed, id)
		assert.True(t, Exercise2.VerdictFor(id, s.newRate()*1.005).Passed, "rounding is fine (%s)", id)
		for _, wrong := range []float64{0, 0.9, 7, math.NaN()} {
			noLeak(t, Exercise2.VerdictFor(id, wrong), "Exercise 2", s.newRate())
		}
	}
	assert.GreaterOrEqual(t, len(seen), 4)
}

func TestExercise3(t *testing.T) {
	p := Exercise3.ParamsFor("")
	assert.Equal(t, Steady{RTT: 40, G: 10, Min: 1}, p)
	assert.True(t, Exercise3.VerdictFor("", 50).Passed)
	assert.Contains(t, Exercise3.VerdictFor("", 120).Why, "first sample only")
	assert.Contains(t, Exercise3.VerdictFor("", 40).Why, "does not shrink")
	assert.Contains(t, Exercise3.VerdictFor("", 80).Why, "not multiplied by 4")
	// Linux's floor: 40 + 10 is below 200 ms.
	linux := Steady{RTT: 40, G: 10, Min: 200}
	assert.Contains(t, Exercise3.VerdictWith(linux, 50).Why, "minimum RTO")
	assert.True(t, Exercise3.VerdictWith(linux, 200).Passed)

	floors := map[bool]bool{}
	for _, id := range students {
		s := Exercise3.ParamsFor(id)
		got, err := s.settledRTO()
		require.NoError(t, err)
		// The library settles exactly where the reasoning says.
		assert.InDelta(t, max(s.Min, s.RTT+s.G), got, 1e-9, "%s: %+v", id, s)
		floors[s.Min > s.RTT+s.G] = true
		assert.True(t, Exercise3.VerdictFor(id, got).Passed, id)
		for _, wrong := range []float64{0, 3 * s.RTT, -5, 1e6, math.NaN()} {
			if wrong != got {
				noLeak(t, Exercise3.VerdictFor(id, wrong), "Exercise 3", got)
			}
		}
	}
	assert.Len(t, floors, 2, "some students' floors bind, others' do not")
}

// rtoRef is a correct RTOUpdate, written as a student would.
func rtoRef(c RTOConfig, s RTOState, ev RTOEvent) RTOState {
	switch {
	case ev.Expired:
		s.RTO = min(c.Max, 2*s.RTO)
		return s
	case ev.Retransmitted:
		return s // Karn
	case s.Samples == 0:
		s.SRTT, s.RTTVAR = ev.RTT, ev.RTT/2
	default:
		s.RTTVAR = 0.75*s.RTTVAR + 0.25*math.Abs(s.SRTT-ev.RTT)
		s.SRTT = 0.875*s.SRTT + 0.125*ev.RTT
	}
	s.Samples++
	s.RTO = min(c.Max, max(c.Min, s.SRTT+max(c.G, 4*s.RTTVAR)))
	return s
}

// wrongRTO returns rtoRef with one rule broken.
func wrongRTO(bug string) RTOUpdate {
	return func(c RTOConfig, s RTOState, ev RTOEvent) RTOState {
		switch {
		case ev.Expired:
			s.RTO = 2 * s.RTO
			if bug != "no max" {
				s.RTO = min(c.Max, s.RTO)
			}
			return s
		case ev.Retransmitted && bug != "no karn" && !(bug == "karn after first" && s.Samples == 0):
			return s
		case s.Samples == 0 && bug != "srtt zero", bug == "srtt zero" && s.SRTT == 0:
			s.SRTT, s.RTTVAR = ev.RTT, ev.RTT/2
		case bug == "swapped":
			s.SRTT = 0.875*s.SRTT + 0.125*ev.RTT
			s.RTTVAR = 0.75*s.RTTVAR + 0.25*math.Abs(s.SRTT-ev.RTT)
		default:
			s.RTTVAR = 0.75*s.RTTVAR + 0.25*math.Abs(s.SRTT-ev.RTT)
			s.SRTT = 0.875*s.SRTT + 0.125*ev.RTT
		}
		s.Samples++
		x := s.SRTT + max(c.G, 4*s.RTTVAR)
		switch bug {
		case "no G":
			x = s.SRTT + 4*s.RTTVAR
		case "G added":
			x = s.SRTT + c.G + 4*s.RTTVAR
		}
		if bug != "no min" {
			x = max(c.Min, x)
		}
		s.RTO = min(c.Max, x)
		return s
	}
}

func TestExercise4(t *testing.T) {
	// The visible cases carry the numbers section 3 prints.
	cases := rtoCases()
	assert.Equal(t, []float64{300, 362.5, 310.9375}, cases[0].Want)
	assert.Equal(t, []float64{2000, 4000, 8000, 16000, 30000, 30000}, cases[3].Want)
	karn := cases[4].Want
	assert.Equal(t, 621.875, karn[3], "the timer expired: RTO doubles")
	assert.Equal(t, 621.875, karn[4], "Karn: the retransmitted sample is ignored")
	assert.InDelta(t, 270.5078125, karn[5], 1e-9, "printed as 270.5 in section 3")
	assert.Equal(t, []float64{150, 150, 150, 150}, cases[1].Want, "G = 100 ms beats 4·RTTVAR = 100, 75, 56.25, 42.2 ms")
	assert.Equal(t, []float64{200, 200, 200}, cases[2].Want)

	for seed := uint64(1); seed <= 6; seed++ {
		assert.True(t, Exercise4.VerdictOf(rtoRef, true, seed).Passed, "seed %d", seed)
	}
	assert.True(t, Exercise4.VerdictOf(wrongRTO(""), true, 9).Passed, "the bug switchboard without a bug is right")

	for bug, want := range map[string]string{
		"swapped": "RTTVAR before SRTT",
		"no G":    "granularity",
		"G added": "granularity",
		"no min":  "minimum",
		"no max":  "maximum",
		"no karn": "Karn",
	} {
		v := Exercise4.VerdictOf(wrongRTO(bug), false, 1)
		assert.False(t, v.Passed, bug)
		assert.Contains(t, v.Why, "visible case", bug)
		assert.Contains(t, v.Why, want, bug)
		assert.Contains(t, v.Case, "expected:", "a failing visible case is shown in full (%s)", bug)
	}
	// Two bugs that only the hidden cases catch.
	for bug, want := range map[string]string{
		"srtt zero":        "0 ms",
		"karn after first": "", // the random cases catch it too
	} {
		assert.True(t, Exercise4.VerdictOf(wrongRTO(bug), false, 1).Passed, "%s passes the visible cases", bug)
		v := Exercise4.VerdictOf(wrongRTO(bug), true, 1)
		assert.False(t, v.Passed, bug)
		assert.Contains(t, v.Why, "hidden case", bug)
		assert.Contains(t, v.Why, want, bug)
		assert.NotContains(t, v.Case, "expected", "hidden cases never show their expected output")
	}
	stub := func(_ RTOConfig, s RTOState, _ RTOEvent) RTOState { return s }
	v := Exercise4.VerdictOf(stub, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "events: 100, 200, 100")
	panicky := func(RTOConfig, RTOState, RTOEvent) RTOState { panic("boom") }
	assert.Contains(t, Exercise4.VerdictOf(panicky, false, 1).Why, "panicked")

	// The hidden cases are many and reach the corners.
	hidden := hiddenRTOCases(newRand(3))
	assert.GreaterOrEqual(t, len(hidden), 20)
	names := map[string]bool{}
	for _, c := range hidden {
		names[c.Name] = true
	}
	assert.Len(t, names, 4)
}

func TestUpdateSpecRunsTheExperiment(t *testing.T) {
	// A correct update is pkg/retry's estimator: same runs, number for number.
	cfg := DefaultShift()
	cfg.Estimators = []EstimatorSpec{AdaptiveSpec(1), UpdateSpec("yours", RTOConfig{Initial: 1000, Min: 1, Max: 60000}, rtoRef)}
	r, err := ShiftExperiment(cfg)
	require.NoError(t, err)
	lib, yours := r.Runs[0], r.Runs[1]
	assert.Equal(t, lib.Timeouts, yours.Timeouts)
	assert.Equal(t, lib.Detection, yours.Detection)
	assert.Equal(t, lib.Timeline, yours.Timeline)

	// The notebook's stub keeps the initial RTO: a fixed 1 s timeout.
	stub := func(_ RTOConfig, s RTOState, _ RTOEvent) RTOState { return s }
	cfg.Estimators = []EstimatorSpec{FixedSpec(1000), UpdateSpec("stub", RTOConfig{Initial: 1000, Min: 1, Max: 60000}, stub)}
	r, err = ShiftExperiment(cfg)
	require.NoError(t, err)
	assert.Equal(t, r.Runs[0].Timeouts, r.Runs[1].Timeouts)
	assert.Equal(t, r.Runs[0].Detection, r.Runs[1].Detection)

	// Broken updates stop the experiment with a clear error.
	for name, f := range map[string]RTOUpdate{
		"panicked":      func(RTOConfig, RTOState, RTOEvent) RTOState { panic("boom") },
		"must stay in":  func(_ RTOConfig, s RTOState, _ RTOEvent) RTOState { s.RTO = 0; return s },
		"RTO NaN":       func(_ RTOConfig, s RTOState, _ RTOEvent) RTOState { s.RTO = math.NaN(); return s },
		"RTO 1e+06 ms":  func(_ RTOConfig, s RTOState, _ RTOEvent) RTOState { s.RTO = 1e6; return s },
		"nil RTOUpdate": nil,
	} {
		cfg.Estimators = []EstimatorSpec{UpdateSpec("bad", RTOConfig{Initial: 1000, Min: 1, Max: 60000}, f)}
		_, err := ShiftExperiment(cfg)
		assert.ErrorContains(t, err, name)
	}
	cfg.Estimators = []EstimatorSpec{UpdateSpec("bad config", RTOConfig{Initial: 0, Max: 10}, rtoRef)}
	_, err = ShiftExperiment(cfg)
	assert.ErrorContains(t, err, "Initial")
}

func TestRFC6298Helper(t *testing.T) {
	rto, err := RFC6298([]float64{40, 60})
	require.NoError(t, err)
	assert.Equal(t, 122.5, rto, "SRTT 42.5 + 4·RTTVAR 20")
	est, err := AdaptiveSpec(1).New()
	require.NoError(t, err)
	assert.Equal(t, 1000.0, est.Timeout(), "RFC 6298 starts at 1 s, in ms")
	var _ retry.Estimator = est
	assert.True(t, strings.HasPrefix(AdaptiveSpec(200).Name, "adaptive (RFC 6298, min 200 ms)"))
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }

// The notebook's "try this" after Exercise 4: without the doubling on
// expiry, Karn's rule discards every reply to a retransmission and the
// estimator never learns the slower path.
func TestBackoffAndKarnNeedEachOther(t *testing.T) {
	noDoubling := func(c RTOConfig, s RTOState, ev RTOEvent) RTOState {
		if ev.Expired {
			return s
		}
		return rtoRef(c, s, ev)
	}
	k := RTOConfig{Initial: 1000, Min: 1, Max: 60000}
	for seed := uint64(1); seed <= 4; seed++ {
		cfg := DefaultShift()
		cfg.Seed = seed
		cfg.Estimators = []EstimatorSpec{UpdateSpec("ref", k, rtoRef), UpdateSpec("no doubling", k, noDoubling)}
		r, err := ShiftExperiment(cfg)
		require.NoError(t, err)
		ref, broken := r.Runs[0], r.Runs[1]
		assert.Less(t, ref.FalseRate(1), 0.1, "seed %d", seed)
		assert.Greater(t, broken.FalseRate(1), 0.5, "most attempts after the shift time out (seed %d)", seed)
		assert.Less(t, broken.FinalRTO, cfg.After.Mean(), "the RTO never reaches the slower path's RTT (seed %d)", seed)
	}
}
