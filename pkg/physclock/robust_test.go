package physclock

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/dslessons/course/pkg/internal/probe"
)

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "physclock: " or a correct reading.
func TestBadInputsProbe(t *testing.T) {
	probe.Run(t, "physclock", []probe.Case{
		{"offset near the largest Duration", func() error {
			_, err := NewHardware(HardwareConfig{Offset: math.MaxInt64 - 1})
			return err
		}, "offset 2562047h47m16.854775806s not in [-876000h0m0s,876000h0m0s]"},
		{"offset near the smallest Duration", func() error { _, err := NewHardware(HardwareConfig{Offset: math.MinInt64}); return err }, "not in [-876000h0m0s"},
		{"the largest offset and a late true time read positive", func() error {
			hw, err := NewHardware(HardwareConfig{Offset: MaxOffset, DriftPPM: MaxDriftPPM, Jitter: MaxJitter, Seed: 1})
			if err != nil {
				return err
			}
			for _, tt := range []time.Duration{0, time.Hour, math.MaxInt64 / 2, math.MaxInt64} {
				assert.Positive(t, hw.Read(tt), "t=%v", tt)
				assert.Positive(t, hw.Ideal(tt), "t=%v", tt)
			}
			w, err := NewWall(hw, WallConfig{})
			if err != nil {
				return err
			}
			w.Step(0, math.MaxInt64)
			assert.Positive(t, w.Read(math.MaxInt64), "a wall stepped to the end of time stays there")
			m, err := NewMonotonic(hw)
			if err != nil {
				return err
			}
			assert.Positive(t, m.Read(math.MaxInt64))
			return nil
		}, ""},
		{"the most negative offset never reads positive by wrapping", func() error {
			hw, err := NewHardware(HardwareConfig{Offset: -MaxOffset, DriftPPM: -MaxDriftPPM, Resolution: MaxResolution})
			if err != nil {
				return err
			}
			assert.Negative(t, hw.Read(math.MinInt64))
			assert.Equal(t, time.Duration(math.MinInt64), hw.Ideal(math.MinInt64))
			return nil
		}, ""},
		{"a huge slew reports a long, positive duration", func() error {
			w, err := NewWall(mustHW(t, HardwareConfig{}), WallConfig{MaxSlewPPM: 1e-300})
			if err != nil {
				return err
			}
			assert.Equal(t, time.Duration(math.MaxInt64), w.Slew(0, time.Hour))
			return nil
		}, ""},
	})
}

// Zero values are perfect clocks instead of nil-pointer crashes.
func TestZeroValues(t *testing.T) {
	var w Wall
	assert.Equal(t, 5*time.Second, w.Read(5*time.Second))
	assert.Equal(t, Stepped, w.Adjust(5*time.Second, time.Second), "128 ms is the default threshold")
	assert.Equal(t, 6*time.Second, w.Read(5*time.Second))
	assert.Equal(t, 2*time.Second, w.Slew(5*time.Second, time.Millisecond), "500 ppm is the default slew rate")
	assert.Equal(t, 500.0, w.Config().MaxSlewPPM)
	assert.Nil(t, w.Hardware())

	var m Monotonic
	assert.Equal(t, 3*time.Second, m.Read(3*time.Second))
	assert.Equal(t, 3*time.Second, m.Read(time.Second), "never backwards")

	var h Hardware
	assert.Equal(t, 7*time.Second, h.Read(7*time.Second))
}

// FuzzWall: any hardware and any sequence of corrections give readings
// that never wrap around: the wall clock stays within the saturated range
// and the monotonic clock never goes back.
func FuzzWall(f *testing.F) {
	f.Add(int64(time.Millisecond), 50.0, int64(time.Microsecond), uint64(1), int64(time.Second), int64(-time.Second), int64(time.Minute))
	f.Add(int64(MaxOffset), 1e5, int64(MaxJitter), uint64(2), int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64))
	f.Add(int64(-MaxOffset), -1e5, int64(0), uint64(3), int64(math.MinInt64), int64(math.MinInt64), int64(math.MinInt64))
	f.Fuzz(func(t *testing.T, off int64, drift float64, jitter int64, seed uint64, step, slew, at int64) {
		hw, err := NewHardware(HardwareConfig{Offset: time.Duration(off), DriftPPM: drift, Jitter: time.Duration(jitter), Seed: seed})
		if err != nil {
			return
		}
		w, err := NewWall(hw, WallConfig{Leaps: []Leap{{At: time.Duration(at), Insert: true}}})
		if err != nil {
			return
		}
		m, _ := NewMonotonic(hw)
		w.Step(0, time.Duration(step))
		if d := w.Slew(time.Second, time.Duration(slew)); d < 0 {
			t.Fatalf("slew of %v takes %v", slew, d)
		}
		prev := time.Duration(math.MinInt64)
		for _, tt := range []time.Duration{0, time.Hour, time.Duration(at), math.MaxInt64} {
			_ = w.Read(tt)
			if v := m.Read(tt); v < prev {
				t.Fatalf("monotonic went back from %v to %v", prev, v)
			} else {
				prev = v
			}
		}
		if off >= 0 && drift >= 0 && hw.Ideal(math.MaxInt64) < 0 {
			t.Fatalf("hardware wrapped: %v", hw.Ideal(math.MaxInt64))
		}
	})
}
