package physclock

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustHW(t testing.TB, cfg HardwareConfig) *Hardware {
	t.Helper()
	hw, err := NewHardware(cfg)
	require.NoError(t, err)
	return hw
}

func TestNewHardwareValidates(t *testing.T) {
	bad := []struct {
		cfg  HardwareConfig
		want string
	}{
		{HardwareConfig{DriftPPM: math.NaN()}, "physclock: drift NaN ppm"},
		{HardwareConfig{DriftPPM: math.Inf(1)}, "drift +Inf ppm"},
		{HardwareConfig{DriftPPM: 1e6}, "drift 1e+06 ppm not in [-100000,100000]"},
		{HardwareConfig{DriftPPM: -2e5}, "drift"},
		{HardwareConfig{Jitter: -1}, "jitter -1ns not in [0,1h0m0s]"},
		{HardwareConfig{Jitter: 2 * time.Hour}, "jitter"},
		{HardwareConfig{Resolution: -time.Millisecond}, "resolution -1ms not in"},
		{HardwareConfig{Resolution: 25 * time.Hour}, "resolution"},
	}
	for _, tt := range bad {
		_, err := NewHardware(tt.cfg)
		require.Error(t, err, "%+v", tt.cfg)
		assert.Contains(t, err.Error(), tt.want)
	}
	hw, err := NewHardware(HardwareConfig{DriftPPM: -MaxDriftPPM, Offset: -time.Hour})
	require.NoError(t, err)
	assert.Equal(t, time.Duration(1), hw.Config().Resolution, "zero resolution defaults to 1ns")
}

func TestIdealDrift(t *testing.T) {
	// Worked by hand: 50 ppm fast gains 50 µs per second, 180 ms per hour.
	hw := mustHW(t, HardwareConfig{Offset: 3 * time.Millisecond, DriftPPM: 50})
	assert.Equal(t, 3*time.Millisecond+time.Second+50*time.Microsecond, hw.Ideal(time.Second))
	assert.Equal(t, 3*time.Millisecond+time.Hour+180*time.Millisecond, hw.Ideal(time.Hour))
	slow := mustHW(t, HardwareConfig{DriftPPM: -20})
	assert.Equal(t, 24*time.Hour-1728*time.Millisecond, slow.Ideal(24*time.Hour))
	assert.Equal(t, time.Duration(0), slow.Read(0))
}

func TestReadJitterAndResolution(t *testing.T) {
	const seed = 11
	cfg := HardwareConfig{DriftPPM: 30, Jitter: 5 * time.Microsecond, Resolution: time.Microsecond, Seed: seed}
	hw, again := mustHW(t, cfg), mustHW(t, cfg)
	other := mustHW(t, HardwareConfig{DriftPPM: 30, Jitter: 5 * time.Microsecond, Resolution: time.Microsecond, Seed: seed + 1})
	differs := false
	lo, hi := time.Duration(0), time.Duration(0)
	for i := range 2000 {
		tt := time.Duration(i) * 7777777
		v := hw.Read(tt)
		assert.Equal(t, v, again.Read(tt), "seed %d: same seed must give the same readings", seed)
		if other.Read(tt) != v {
			differs = true
		}
		assert.Zero(t, v%time.Microsecond, "seed %d: reading %v not a multiple of the resolution", seed, v)
		d := v - hw.Ideal(tt)
		require.True(t, d > -6*time.Microsecond && d <= 5*time.Microsecond, "seed %d: reading off by %v", seed, d)
		lo, hi = min(lo, d), max(hi, d)
	}
	assert.True(t, differs, "different seeds should give different jitter")
	assert.Less(t, lo, -4*time.Microsecond, "jitter should use its range")
	assert.Greater(t, hi, 3*time.Microsecond, "jitter should use its range")
}

func TestFloorTo(t *testing.T) {
	assert.Equal(t, 2*time.Millisecond, floorTo(2999*time.Microsecond, time.Millisecond))
	assert.Equal(t, -3*time.Millisecond, floorTo(-2001*time.Microsecond, time.Millisecond))
	assert.Equal(t, -2*time.Millisecond, floorTo(-2*time.Millisecond, time.Millisecond))
	assert.Equal(t, time.Duration(7), floorTo(7, 1))
}

func TestMonotonicNeverGoesBack(t *testing.T) {
	const seed = 5
	hw := mustHW(t, HardwareConfig{Jitter: time.Millisecond, Seed: seed})
	mono, err := NewMonotonic(hw)
	require.NoError(t, err)
	wall, err := NewWall(hw, WallConfig{})
	require.NoError(t, err)
	prev := mono.Read(0)
	backwards := 0
	prevHW := time.Duration(math.MinInt64)
	for i := 1; i < 5000; i++ {
		tt := time.Duration(i) * 100 * time.Microsecond // reads closer together than the jitter
		if i == 2500 {
			wall.Step(tt, -time.Hour)
		}
		v := mono.Read(tt)
		require.GreaterOrEqual(t, v, prev, "seed %d: monotonic clock went back at %v", seed, tt)
		prev = v
		if h := hw.Read(tt); h < prevHW {
			backwards++
		} else {
			prevHW = h
		}
	}
	assert.Positive(t, backwards, "the raw hardware reads should go back sometimes, or the test proves nothing")
	_, err = NewMonotonic(nil)
	assert.Error(t, err)
}

func TestWallStep(t *testing.T) {
	hw := mustHW(t, HardwareConfig{})
	w, err := NewWall(hw, WallConfig{})
	require.NoError(t, err)
	assert.Equal(t, 10*time.Second, w.Read(10*time.Second))
	w.Step(10*time.Second, -2*time.Second)
	assert.Equal(t, 9*time.Second, w.Read(11*time.Second))
	assert.Same(t, hw, w.Hardware())
}

func TestWallSlew(t *testing.T) {
	hw := mustHW(t, HardwareConfig{})
	w, err := NewWall(hw, WallConfig{}) // 500 ppm
	require.NoError(t, err)
	// Worked by hand: 500 ppm absorbs 0.5 ms per second, so -1 ms takes 2 s.
	assert.Equal(t, 2*time.Second, w.Slew(0, -time.Millisecond))
	assert.Equal(t, time.Second-500*time.Microsecond, w.Read(time.Second))
	assert.Equal(t, 2*time.Second-time.Millisecond, w.Read(2*time.Second))
	assert.Equal(t, 10*time.Second-time.Millisecond, w.Read(10*time.Second))
	// A backwards slew never makes the clock go back.
	w.Slew(10*time.Second, -50*time.Millisecond)
	prev := w.Read(10 * time.Second)
	for tt := 10 * time.Second; tt < 200*time.Second; tt += 10 * time.Millisecond {
		v := w.Read(tt)
		require.GreaterOrEqual(t, v, prev)
		prev = v
	}
	assert.Equal(t, 200*time.Second-51*time.Millisecond, w.Read(200*time.Second))
	// A step in the middle of a slew keeps what was slewed so far.
	w2, _ := NewWall(mustHW(t, HardwareConfig{}), WallConfig{MaxSlewPPM: 1000})
	w2.Slew(0, 10*time.Millisecond)
	w2.Step(5*time.Second, time.Second)
	assert.Equal(t, 100*time.Second+5*time.Millisecond+time.Second, w2.Read(100*time.Second))
}

func TestWallAdjust(t *testing.T) {
	w, err := NewWall(mustHW(t, HardwareConfig{}), WallConfig{})
	require.NoError(t, err)
	assert.Equal(t, Stepped, w.Adjust(0, -200*time.Millisecond))
	assert.Equal(t, -200*time.Millisecond, w.Read(0))
	assert.Equal(t, Slewed, w.Adjust(0, 100*time.Millisecond))
	assert.Equal(t, -200*time.Millisecond, w.Read(0), "a slew does not jump")
	assert.Equal(t, "stepped", Stepped.String())
	assert.Equal(t, "slewed", Slewed.String())
}

func TestNewWallValidates(t *testing.T) {
	hw := mustHW(t, HardwareConfig{})
	bad := []struct {
		hw   *Hardware
		cfg  WallConfig
		want string
	}{
		{nil, WallConfig{}, "physclock: NewWall needs a hardware clock"},
		{hw, WallConfig{MaxSlewPPM: math.NaN()}, "max slew NaN ppm"},
		{hw, WallConfig{MaxSlewPPM: -1}, "max slew"},
		{hw, WallConfig{StepThreshold: -1}, "step threshold"},
		{hw, WallConfig{LeapPolicy: 7}, "unknown leap policy 7"},
		{hw, WallConfig{SmearWindow: -time.Hour}, "smear window"},
		{hw, WallConfig{Leaps: []Leap{{At: 10 * time.Second}, {At: 5 * time.Second}}}, "increasing order"},
		{hw, WallConfig{LeapPolicy: LeapSmear, Leaps: []Leap{{At: 0}, {At: time.Hour}}}, "smear window"},
	}
	for _, tt := range bad {
		_, err := NewWall(tt.hw, tt.cfg)
		require.Error(t, err, "%+v", tt.cfg)
		assert.Contains(t, err.Error(), tt.want)
	}
	assert.Equal(t, "smear", LeapSmear.String())
	assert.Equal(t, "LeapPolicy(3)", LeapPolicy(3).String())
}

func FuzzNewHardware(f *testing.F) {
	f.Add(int64(0), 0.0, int64(0), int64(0), uint64(1))
	f.Add(int64(time.Millisecond), 50.0, int64(time.Microsecond), int64(time.Microsecond), uint64(2))
	f.Add(int64(-1), 1e6, int64(-1), int64(-1), uint64(3))
	f.Add(int64(math.MaxInt64), -1e5, int64(time.Hour), int64(time.Hour), uint64(4))
	f.Fuzz(func(t *testing.T, off int64, drift float64, jitter, res int64, seed uint64) {
		cfg := HardwareConfig{Offset: time.Duration(off), DriftPPM: drift, Jitter: time.Duration(jitter), Resolution: time.Duration(res), Seed: seed}
		hw, err := NewHardware(cfg)
		if err != nil {
			return
		}
		if math.IsNaN(drift) || math.Abs(drift) > MaxDriftPPM || jitter < 0 || jitter > int64(MaxJitter) || res < 0 || res > int64(MaxResolution) {
			t.Fatalf("NewHardware accepted %+v", cfg)
		}
		if off > int64(time.Hour*1000) || off < -int64(time.Hour*1000) {
			return // far from the overflow-free range; only "no panic" is checked
		}
		r := hw.Config().Resolution
		v := hw.Read(time.Second)
		d := v - hw.Ideal(time.Second)
		if d > time.Duration(jitter) || d <= -time.Duration(jitter)-r {
			t.Fatalf("%+v: reading %v is %v from ideal", cfg, v, d)
		}
	})
}

// A frequency correction cancels a drift: a clock 40 ppm fast corrected
// by −40 ppm gains nothing more; what it gained before stays; a change of
// frequency keeps what the old one added.
func TestSetFrequency(t *testing.T) {
	hw := mustHW(t, HardwareConfig{DriftPPM: 40})
	w, err := NewWall(hw, WallConfig{})
	require.NoError(t, err)
	assert.Equal(t, 40*time.Millisecond, w.Read(1000*time.Second)-1000*time.Second)
	require.NoError(t, w.SetFrequency(1000*time.Second, -40))
	assert.Equal(t, -40.0, w.Frequency())
	// From 1000 s on the clock runs (1+40e-6)(1−40e-6) ≈ 1 − 1.6e-9: 1.6 µs in 1000 s.
	assert.InDelta(t, float64(40*time.Millisecond), float64(w.Read(2000*time.Second)-2000*time.Second), float64(2*time.Microsecond))
	require.NoError(t, w.SetFrequency(2000*time.Second, 0))
	assert.InDelta(t, float64(80*time.Millisecond), float64(w.Read(3000*time.Second)-3000*time.Second), float64(2*time.Microsecond))
	// A slew runs on top of the frequency correction (the 1.6 µs residuals add up).
	require.NoError(t, w.SetFrequency(3000*time.Second, -40))
	w.Slew(3000*time.Second, -80*time.Millisecond)
	assert.InDelta(t, 0, float64(w.Read(4000*time.Second)-4000*time.Second), float64(4*time.Microsecond))
	for _, bad := range []float64{math.NaN(), 501, -1e9} {
		assert.ErrorContains(t, w.SetFrequency(0, bad), "physclock: frequency correction", "%v", bad)
	}
}
