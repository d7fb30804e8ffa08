package physicaltime

import (
	"math"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/physclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ms1 = time.Millisecond

// A 300 ms routine with a −1 s step in the middle: the wall clock measures
// 300 ms − 1 s, negative; the monotonic clock measures 300 ms. Both also
// carry the 40 ppm drift (12 µs), within the 1 µs read jitter.
func TestWallClockBenchmarkGoesNegative(t *testing.T) {
	r, err := MeasureWithStep(DefaultStep)
	require.NoError(t, err)
	assert.Negative(t, r.Wall, "seed %d", DefaultStep.Seed)
	assert.InDelta(t, float64(-700*ms1+12*time.Microsecond), float64(r.Wall), float64(3*time.Microsecond))
	assert.InDelta(t, float64(300*ms1+12*time.Microsecond), float64(r.Monotonic), float64(3*time.Microsecond))
	// A small step back (−100 ms) does not make it negative, just wrong by 100 ms.
	cfg := DefaultStep
	cfg.Step = -100 * ms1
	r, err = MeasureWithStep(cfg)
	require.NoError(t, err)
	assert.InDelta(t, float64(200*ms1+12*time.Microsecond), float64(r.Wall), float64(3*time.Microsecond))
	assert.InDelta(t, float64(300*ms1), float64(r.Monotonic), float64(15*time.Microsecond))
	_, rows := r.Table()
	assert.Equal(t, "monotonic clock", rows[2][0])
	for _, bad := range []StepConfig{{Routine: 0}, {Routine: time.Second, StepAt: 2 * time.Second}, {Routine: time.Second, DriftPPM: math.NaN()}} {
		_, err := MeasureWithStep(bad)
		assert.Error(t, err, "%+v", bad)
	}
}

func TestDriftAfter(t *testing.T) {
	assert.Equal(t, 4320*ms1, DriftAfter(50, 24*time.Hour)) // 50 µs/s × 86400 s
	assert.Equal(t, 360*ms1, DriftAfter(100, time.Hour))
}

// Without synchronisation each error is offset + drift·t, a straight line.
func TestDriftWithoutSync(t *testing.T) {
	r, err := Drift(DefaultDrift)
	require.NoError(t, err)
	require.Len(t, r.Series, 4)
	for _, s := range r.Series {
		for i, tt := range s.T {
			want := s.Offset + DriftAfter(s.DriftPPM, tt)
			require.InDelta(t, float64(want), float64(s.Err[i]), float64(2*time.Microsecond), "seed %d, %s at %v", DefaultDrift.Seed, s.Node, tt)
		}
		assert.Empty(t, s.Actions)
		assert.LessOrEqual(t, math.Abs(s.DriftPPM), DefaultDrift.MaxDriftPPM)
	}
	p, err := DriftPlot(r)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "without synchronisation (seed 1)")
	assert.Equal(t, "wall clock − true time (ms)", p.Y.Label.Text)
}

// With NTP every 10 minutes the error is a sawtooth bounded by what the
// clock drifts in one interval plus the exchange's error (δ/2 ≤ MaxDelay)
// — far below the unsynchronised error.
func TestDriftWithSyncIsBounded(t *testing.T) {
	free, err := Drift(DefaultDrift)
	require.NoError(t, err)
	cfg := DefaultDrift
	cfg.SyncEvery = 10 * time.Minute
	r, err := Drift(cfg)
	require.NoError(t, err)
	for i, s := range r.Series {
		bound := DriftAfter(math.Abs(s.DriftPPM), cfg.SyncEvery) + cfg.MaxDelay
		for k, tt := range s.T {
			if tt < 2*time.Minute {
				continue // the first correction (the initial offset) is still being slewed in
			}
			require.LessOrEqual(t, abs(s.Err[k]), bound, "seed %d, %s at %v", cfg.Seed, s.Node, tt)
		}
		assert.Len(t, s.Actions, 7)
		assert.Less(t, s.MaxAbs, free.Series[i].MaxAbs/2+20*ms1, "%s", s.Node)
		// Sawtooth: the error falls back after each synchronisation.
		falls := 0
		for k := 1; k < len(s.Err); k++ {
			if abs(s.Err[k]) < abs(s.Err[k-1])-ms1 {
				falls++
			}
		}
		assert.GreaterOrEqual(t, falls, 5, "%s: expected the error to drop after syncs", s.Node)
	}
	p, err := DriftPlot(r)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "NTP every 10 min")
	// Synchronisation changes the network draws only: both runs show the
	// same four clocks.
	for i := range r.Series {
		assert.Equal(t, free.Series[i].DriftPPM, r.Series[i].DriftPPM, "seed %d, %s", cfg.Seed, r.Series[i].Node)
		assert.Equal(t, free.Series[i].Offset, r.Series[i].Offset, "seed %d, %s", cfg.Seed, r.Series[i].Node)
	}
	_, err = Drift(DriftConfig{})
	assert.Error(t, err)
	bad := DefaultDrift
	bad.MaxDelay = 0
	_, err = Drift(bad)
	assert.ErrorContains(t, err, "delays")
}

// The mean error is half the asymmetry; no exchange's error exceeds its
// own δ/2.
func TestSyncAccuracyIsHalfTheAsymmetry(t *testing.T) {
	r, err := SyncAccuracy(DefaultAccuracy)
	require.NoError(t, err)
	require.Len(t, r.Rows, len(DefaultAccuracy.Asymmetries))
	prev := time.Duration(-1)
	for _, row := range r.Rows {
		// Symmetric random parts average out: within 0.3 ms of a/2 over 200 trials.
		assert.InDelta(t, float64(row.Asymmetry/2), float64(row.MeanErr), float64(300*time.Microsecond), "seed %d, asymmetry %v", r.Config.Seed, row.Asymmetry)
		assert.Zero(t, row.Violated)
		assert.LessOrEqual(t, row.MaxAbsErr, row.Asymmetry/2+DefaultAccuracy.Variation/2+time.Microsecond)
		assert.Greater(t, row.MaxAbsErr, prev)
		prev = row.MaxAbsErr
	}
	p, err := AccuracyPlot(r)
	require.NoError(t, err)
	assert.Equal(t, "offset error (ms)", p.Y.Label.Text)
	_, err = SyncAccuracy(AccuracyConfig{Trials: 1})
	assert.Error(t, err)
}

// NTP over the internet: milliseconds, i.e. millions of instructions per
// core; a LAN: a fraction of a millisecond; GPS: below a microsecond.
func TestSources(t *testing.T) {
	r, err := CompareSources(Sources, 500, 8, 1)
	require.NoError(t, err)
	require.Len(t, r.Rows, 3)
	inet, lan, gps := r.Rows[0], r.Rows[1], r.Rows[2]
	assert.Greater(t, inet.MeanAbs, ms1)
	assert.LessOrEqual(t, inet.MaxAbs, 28*ms1) // (60−5)/2 ms at worst
	assert.GreaterOrEqual(t, inet.PerCore, 1e6)
	assert.InDelta(t, inet.PerCore*8, inet.AllCores, 1)
	assert.Less(t, lan.MaxAbs, 450*time.Microsecond) // (1−0.1)/2 ms at worst
	assert.Greater(t, lan.MeanAbs, 10*time.Microsecond)
	assert.True(t, lan.PerCore > 1e4 && lan.PerCore < 1e6, "LAN: tens or hundreds of thousands of instructions, got %g", lan.PerCore)
	assert.Less(t, gps.MaxAbs, time.Microsecond)
	assert.Less(t, gps.PerCore, 1000.0)
	_, rows := r.Table()
	assert.Equal(t, "GPS receiver", rows[2][0])
	_, err = CompareSources(Sources, 0, 1, 1)
	assert.Error(t, err)
	_, err = CompareSources([]Source{{Name: "bad", MinDelay: 2, MaxDelay: 1}}, 1, 1, 1)
	assert.Error(t, err)
}

func TestLeapSecondStep(t *testing.T) {
	r, err := LeapSecond(physclock.LeapStep, true)
	require.NoError(t, err)
	assert.Equal(t, 61*time.Second, r.MinuteLength)
	assert.True(t, r.Reversed)
	assert.Equal(t, "23:59:59.700", ClockFace(r.A.Stamp))
	assert.Equal(t, "23:59:59.200", ClockFace(r.B.Stamp))
	assert.Equal(t, time.Second, r.MaxDeviation)
	// 23:59:59.000 and .500 are shown twice, once during 23:59:60.
	_, rows := r.Table()
	assert.Equal(t, []string{"+0.000s", "23:59:60.000", "23:59:59.000"}, rows[5])
	assert.Equal(t, []string{"-1.000s", "23:59:59.000", "23:59:59.000"}, rows[3])
	assert.Contains(t, r.String(), "the last minute lasts 1m1s")

	d, err := LeapSecond(physclock.LeapStep, false)
	require.NoError(t, err)
	assert.Equal(t, 59*time.Second, d.MinuteLength)
	assert.False(t, d.Reversed)
}

func TestLeapSecondSmear(t *testing.T) {
	for _, insert := range []bool{true, false} {
		r, err := LeapSecond(physclock.LeapSmear, insert)
		require.NoError(t, err)
		assert.False(t, r.Reversed)
		assert.Equal(t, 60*time.Second, r.MinuteLength.Round(100*ms1))
		assert.InDelta(t, float64(500*ms1), float64(r.MaxDeviation), float64(ms1), "insert=%v", insert)
		for k := 1; k < len(r.Readings); k++ {
			assert.Greater(t, r.Readings[k].Wall, r.Readings[k-1].Wall)
		}
	}
	assert.Equal(t, "23:59:59.999", ClockFace(24*time.Hour-time.Nanosecond))
	assert.Equal(t, "01:00:01.000", ClockFace(25*time.Hour+time.Second))
}

// Misordering follows (2ε−g)²/(8ε²) and vanishes from g = 2ε on.
func TestTotalOrderBreaksBelowTwiceTheError(t *testing.T) {
	r, err := TotalOrder(DefaultOrder)
	require.NoError(t, err)
	for _, row := range r.Rows {
		// 20000 pairs: standard error ≤ 0.36 percentage points.
		assert.InDelta(t, row.Predicted, row.Misordered, 0.015, "seed %d, gap %v", r.Config.Seed, row.Gap)
		if row.Gap >= 2*DefaultOrder.ClockError {
			assert.Zero(t, row.Misordered, "gap %v", row.Gap)
		}
	}
	assert.InDelta(t, 0.5, r.Rows[0].Misordered, 0.015, "simultaneous messages: a coin toss")
	assert.Equal(t, 0.125, PredictedMisorder(ms1, ms1))
	assert.Equal(t, 0.0, PredictedMisorder(3*ms1, ms1))
	assert.Equal(t, 0.5, PredictedMisorder(0, ms1))
	p, err := TotalOrderPlot(r)
	require.NoError(t, err)
	assert.Equal(t, "misordered pairs (%)", p.Y.Label.Text)
	_, err = TotalOrder(OrderConfig{ClockError: ms1, Pairs: 10, Ratios: []float64{-1}})
	assert.Error(t, err)
	_, err = TotalOrder(OrderConfig{Pairs: 10, Ratios: []float64{1}})
	assert.Error(t, err)
}

func TestExercises(t *testing.T) {
	require.NoError(t, CheckBenchmarkClock("monotonic"))
	require.NoError(t, CheckBenchmarkClock(" Monotonic clock "))
	err := CheckBenchmarkClock("wall")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected monotonic")
	assert.Contains(t, err.Error(), "hint")
	assert.Error(t, CheckBenchmarkClock("sundial"))

	// By hand: ((1120−1000)+(1125−1045))/2 = 100 ms; (1045−1000)−(1125−1120) = 40 ms.
	require.NoError(t, CheckNTP(100*ms1, 40*ms1))
	err = CheckNTP(80*ms1, 45*ms1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "offset: expected 100ms, got 80ms; delay: expected 40ms, got 45ms")

	require.NoError(t, CheckDrift(4320*ms1))
	assert.ErrorContains(t, CheckDrift(50*ms1), "expected 4.32s, got 50ms")

	require.NoError(t, CheckLeapReversed(true))
	assert.ErrorContains(t, CheckLeapReversed(false), "expected true, got false")

	require.NoError(t, CheckSafeGap(2*ms1))
	assert.ErrorContains(t, CheckSafeGap(ms1), "12.50% of pairs")
	assert.ErrorContains(t, CheckSafeGap(5*ms1), "not the smallest")
}

// Over the simulator with a 10 ms request path and a 2 ms reply path, the
// first correction leaves the client (10−2)/2 = 4 ms ahead, and every
// later exchange measures 0: the asymmetry is invisible.
func TestNetworkSync(t *testing.T) {
	r, err := NetworkSync(DefaultNetwork)
	require.NoError(t, err)
	require.Len(t, r.Rounds, 5, "seed %d", DefaultNetwork.Seed)
	assert.Equal(t, 304*ms1, r.Rounds[0].Measured)
	assert.Equal(t, 12*ms1, r.Rounds[0].Delay)
	for _, x := range r.Rounds {
		assert.Equal(t, 4*ms1, x.After)
	}
	for _, x := range r.Rounds[1:] {
		assert.Zero(t, x.Measured)
	}
	assert.Contains(t, r.Trace, "client->server send #1 ntp-request seq=1 T1=-300ms")
	assert.Contains(t, r.Trace, "server->client deliver #2 ntp-response seq=1 T1=-300ms T2=10ms T3=10ms")
	_, rows := r.Table()
	assert.Equal(t, []string{"12ms", "304ms", "12ms", "4ms"}, rows[0])
	sym := DefaultNetwork
	sym.Forward, sym.Back = 6*ms1, 6*ms1
	r, err = NetworkSync(sym)
	require.NoError(t, err)
	assert.Zero(t, r.Rounds[0].After, "symmetric delays: exact")
	_, err = NetworkSync(NetworkConfig{Poll: 0, Duration: time.Second})
	assert.Error(t, err)
}

// The notebook's aside about Go: time.Now carries a monotonic reading
// ("m=+…" in its String), which Round(0) strips; Sub between two readings
// that both carry it uses the monotonic clock. (The only real-clock read
// in this package, and it asserts nothing about durations.)
func TestGoTimeCarriesAMonotonicReading(t *testing.T) {
	now := time.Now()
	assert.Contains(t, now.String(), " m=")
	assert.NotContains(t, now.Round(0).String(), " m=")
}

func TestHumanDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Minute, "10 min"},
		{time.Hour, "60 min"},
		{30 * time.Second, "30 s"},
		{90 * time.Second, "90 s"},
		{1500 * time.Millisecond, "1.5s"},
	} {
		assert.Equal(t, c.want, humanDuration(c.d), "%v", c.d)
	}
}
