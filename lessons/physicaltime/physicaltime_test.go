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
	assert.Contains(t, p.Title.Text, "Offset corrected every 10 min, frequency not")
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

// Disciplining the frequency as well removes most of the sawtooth: on the
// lesson's run every node's error after the third poll is smaller than
// with offset correction alone, and over five seeds, for every node that
// drifts by 20 ppm or more, less than a third; the frequency correction
// ends within 15 ppm of the drift it cancels. (For a nearly perfect
// oscillator the noise of single exchanges dominates and frequency
// correction can make it worse: ntpd averages over many polls.)
func TestFrequencyDisciplineShrinksTheSawtooth(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		cfg := DefaultDrift
		cfg.Seed, cfg.SyncEvery = seed, 10*time.Minute
		off, err := Drift(cfg)
		require.NoError(t, err)
		cfg.Frequency = LockFrequency
		fr, err := Drift(cfg)
		require.NoError(t, err)
		for i, s := range fr.Series {
			o := off.Series[i]
			if seed == 1 {
				assert.Less(t, s.LateMaxAbs, o.LateMaxAbs, "seed 1, %s", s.Node)
			}
			if math.Abs(s.DriftPPM) >= 20 {
				assert.Less(t, 3*s.LateMaxAbs, o.LateMaxAbs, "seed %d, %s", seed, s.Node)
				assert.InDelta(t, -s.DriftPPM, s.FreqPPM[len(s.FreqPPM)-1], 15, "seed %d, %s", seed, s.Node)
			}
			assert.Zero(t, s.FreqPPM[0], "the first poll leaves the frequency alone")
			assert.Len(t, s.FreqPPM, 7)
		}
		header, rows := fr.Table()
		assert.Equal(t, "final frequency correction (ppm)", header[len(header)-1])
		assert.Len(t, rows[0], len(header))
	}
	cfg := DefaultDrift
	cfg.SyncEvery = 10 * time.Minute
	cfg.Frequency = func(float64, time.Duration, time.Duration) float64 { return 1e4 }
	_, err := Drift(cfg)
	assert.ErrorContains(t, err, "frequency rule at poll 1 of node 1")
	assert.Equal(t, 25.0, LockFrequency(25, 3*ms1, 0))
	assert.Equal(t, 10.0, LockFrequency(0, 6*ms1, 10*time.Minute))
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

// NTP over the internet: milliseconds, i.e. tens of millions of
// instructions per core; a LAN: a fraction of a millisecond, about a
// million; GPS: below a microsecond, hundreds.
func TestSources(t *testing.T) {
	assert.Equal(t, 9e6, InstructionsPerMs, "3 GHz × 3 instructions per cycle")
	r, err := CompareSources(Sources, 500, 8, 1)
	require.NoError(t, err)
	require.Len(t, r.Rows, 3)
	inet, lan, gps := r.Rows[0], r.Rows[1], r.Rows[2]
	assert.Greater(t, inet.MeanAbs, ms1)
	assert.LessOrEqual(t, inet.MaxAbs, 28*ms1) // (60−5)/2 ms at worst
	assert.GreaterOrEqual(t, inet.PerCore, 1e7)
	assert.InDelta(t, inet.PerCore*8, inet.AllCores, 1)
	assert.Less(t, lan.MaxAbs, 450*time.Microsecond) // (1−0.1)/2 ms at worst
	assert.Greater(t, lan.MeanAbs, 10*time.Microsecond)
	assert.True(t, lan.PerCore > 1e5 && lan.PerCore < 1e7, "LAN: about a million instructions, got %g", lan.PerCore)
	assert.Less(t, gps.MaxAbs, time.Microsecond)
	assert.Less(t, gps.PerCore, 1000.0)
	_, rows := r.Table()
	assert.Equal(t, "GPS receiver", rows[2][0])
	_, err = CompareSources(Sources, 0, 1, 1)
	assert.Error(t, err)
	_, err = CompareSources([]Source{{Name: "bad", MinDelay: 2, MaxDelay: 1}}, 1, 1, 1)
	assert.Error(t, err)
}

// 27 leap seconds since 1972, the last at the end of 2016: TAI − UTC is
// 10 + 27 = 37 s, and GPS time, which started in 1980 when TAI − UTC was
// 19 s, is 18 s ahead of UTC.
func TestLeapSecondHistory(t *testing.T) {
	assert.Len(t, LeapSecondDates, 27)
	assert.Equal(t, "2016-12-31", LeapSecondDates[len(LeapSecondDates)-1])
	for _, c := range []struct {
		day      string
		tai, gps time.Duration
	}{
		{"1972-01-01", 10 * time.Second, -9 * time.Second},
		{"1980-01-06", 19 * time.Second, 0},
		{"2016-12-31", 36 * time.Second, 17 * time.Second},
		{"2017-01-01", 37 * time.Second, 18 * time.Second},
		{"2026-01-01", 37 * time.Second, 18 * time.Second},
	} {
		tai, err := TAIMinusUTC(c.day)
		require.NoError(t, err)
		assert.Equal(t, c.tai, tai, c.day)
		gps, err := GPSMinusUTC(c.day)
		require.NoError(t, err)
		assert.Equal(t, c.gps, gps, c.day)
	}
	_, err := TAIMinusUTC("1969-07-20")
	assert.ErrorContains(t, err, "before 1972")
	_, err = TAIMinusUTC("yesterday")
	assert.ErrorContains(t, err, "YYYY-MM-DD")
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
	// Warm-up: a choice, no variants.
	assert.True(t, WarmUp.VerdictFor("", " Monotonic clock ").Passed)
	v := WarmUp.VerdictFor("", "wall")
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "step")
	assert.Contains(t, WarmUp.VerdictFor("", "sundial").Hint, `"monotonic"`)

	// Exercise 1: the prose's numbers, 50 ppm for a day = 4.32 s.
	assert.Equal(t, DriftQuestion{PPM: 50, Hours: 24}, Exercise1.ParamsFor(""))
	assert.True(t, Exercise1.VerdictFor("", 4320*ms1).Passed)
	assert.Contains(t, Exercise1.VerdictFor("", 4320*time.Microsecond).Why, "power of 1000")
	assert.Contains(t, Exercise1.VerdictFor("", 180*ms1).Why, "one hour")

	// Exercise 3: by hand, ((1120−1000)+(1125−1045))/2 = 100 ms; (1045−1000)−(1125−1120) = 40 ms.
	assert.Equal(t, ExerciseExchange, Exercise3.ParamsFor(""))
	assert.True(t, Exercise3.VerdictFor("", OffsetDelay{100 * ms1, 40 * ms1}).Passed)
	v = Exercise3.VerdictFor("", OffsetDelay{-100 * ms1, 45 * ms1})
	assert.Equal(t, []string{"the offset", "the delay"}, v.Wrong)
	assert.Contains(t, v.Why, "wrong sign")
	assert.Contains(t, Exercise3.VerdictFor("", OffsetDelay{100 * ms1, 45 * ms1}).Why, "processing time")
	assert.Contains(t, Exercise3.VerdictFor("", OffsetDelay{200 * ms1, 40 * ms1}).Why, "not halved")

	// Exercise 4: a 0.3 s before, b 0.2 s into the leap second: reversed.
	assert.Equal(t, LeapQuestion{A: -300 * ms1, B: 200 * ms1}, Exercise4.ParamsFor(""))
	assert.True(t, Exercise4.VerdictFor("", true).Passed)
	assert.False(t, Exercise4.VerdictFor("", false).Passed)
	// b − a ≥ 1 s: b is stamped after a even though the clock went back.
	_, _, rev, err := LeapPair(physclock.LeapStep, -300*ms1, 800*ms1)
	require.NoError(t, err)
	assert.False(t, rev)
	_, _, rev, err = LeapPair(physclock.LeapSmear, -300*ms1, 200*ms1)
	require.NoError(t, err)
	assert.False(t, rev, "smearing never reverses")
	_, _, _, err = LeapPair(physclock.LeapStep, ms1, 0)
	assert.Error(t, err)

	// Exercise 5: clocks within ±1 ms need 2 ms.
	assert.Equal(t, ms1, Exercise5.ParamsFor(""))
	assert.True(t, Exercise5.VerdictFor("", 2*ms1).Passed)
	assert.Contains(t, Exercise5.VerdictFor("", ms1).Why, "12.5% of pairs")
	assert.Contains(t, Exercise5.VerdictFor("", ms1).Hint, "opposite directions")
	assert.Contains(t, Exercise5.VerdictFor("", 5*ms1).Why, "smaller one")

	// Every student's reference answers pass; wrong answers never show them.
	revSeen := map[bool]bool{}
	for _, id := range []string{"", "alice", "bob", "s123", "x@y", "zoe"} {
		q1 := Exercise1.ParamsFor(id)
		want1 := DriftAfter(q1.PPM, time.Duration(q1.Hours*float64(time.Hour)))
		assert.True(t, Exercise1.VerdictFor(id, want1).Passed, id)
		e := Exercise3.ParamsFor(id)
		require.NoError(t, e.Validate(), id)
		assert.True(t, Exercise3.VerdictFor(id, OffsetDelay{e.Offset(), e.Delay()}).Passed, id)
		q4 := Exercise4.ParamsFor(id)
		_, _, rev, err := LeapPair(physclock.LeapStep, q4.A, q4.B)
		require.NoError(t, err)
		revSeen[rev] = true
		assert.True(t, Exercise4.VerdictFor(id, rev).Passed, id)
		eps := Exercise5.ParamsFor(id)
		assert.True(t, Exercise5.VerdictFor(id, 2*eps).Passed, id)
		for _, line := range []string{
			Exercise1.VerdictFor(id, want1*3/2).Line("Exercise 1", 0),
			Exercise3.VerdictFor(id, OffsetDelay{}).Line("Exercise 3", 0),
			Exercise5.VerdictFor(id, eps).Line("Exercise 5", 0),
			Exercise5.VerdictFor(id, 3*eps).Line("Exercise 5", 0),
		} {
			assert.NotContains(t, line, want1.String(), id)
			assert.NotContains(t, line, e.Offset().String(), id)
			assert.NotContains(t, line, e.Delay().String(), id)
			assert.NotContains(t, line, (2 * eps).String(), id)
		}
	}
	assert.Len(t, revSeen, 2, "some students see a reversal, others do not")
}

// Exercise 2: the reference rule passes the visible and hidden cases and
// the simulation; plausible wrong rules fail.
func TestExercise2(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		assert.True(t, Exercise2.VerdictOf(LockFrequency, true, seed).Passed, "seed %d", seed)
	}
	stub := func(f float64, off, since time.Duration) float64 { return 0 }
	v := Exercise2.VerdictOf(stub, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "expected: 10")
	wrongSign := func(f float64, off, since time.Duration) float64 {
		if since <= 0 {
			return f
		}
		return f - float64(off)/float64(since)*1e6
	}
	assert.False(t, Exercise2.VerdictOf(wrongSign, true, 1).Passed)
	// Forgetting the first poll gives a huge frequency from the initial offset.
	noFirst := func(f float64, off, since time.Duration) float64 {
		return f + float64(off)/float64(max(since, time.Second))*1e6
	}
	assert.False(t, Exercise2.VerdictOf(noFirst, false, 1).Passed)
	// Replacing instead of adding passes the first estimate, fails the second case.
	replace := func(f float64, off, since time.Duration) float64 {
		if since <= 0 {
			return f
		}
		return float64(off) / float64(since) * 1e6
	}
	v = Exercise2.VerdictOf(replace, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "overshoot")
	// Right on the visible cases only, wrong on the hidden ones.
	visibleOnly := func(f float64, off, since time.Duration) float64 {
		switch {
		case since <= 0:
			return f
		case off == 6*ms1:
			return 10
		case off == -1200*time.Microsecond:
			return 8
		}
		return f
	}
	assert.False(t, Exercise2.VerdictOf(visibleOnly, true, 1).Passed)
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

// TAIMinusUTC never panics, and what it accepts lies between 10 s and
// 10 s plus every leap second.
func FuzzTAIMinusUTC(f *testing.F) {
	for _, s := range []string{"2017-01-01", "1972-01-01", "1969-12-31", "", "2016-02-30", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, day string) {
		d, err := TAIMinusUTC(day)
		if err != nil {
			return
		}
		if d < 10*time.Second || d > time.Duration(10+len(LeapSecondDates))*time.Second {
			t.Fatalf("%q: TAI − UTC = %v", day, d)
		}
	})
}
