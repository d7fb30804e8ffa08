package physclock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const midnight = 24 * time.Hour // the leap second happens as day 1 starts

func leapWall(t *testing.T, insert bool, p LeapPolicy) *Wall {
	t.Helper()
	w, err := NewWall(mustHW(t, HardwareConfig{}), WallConfig{Leaps: []Leap{{At: midnight, Insert: insert}}, LeapPolicy: p})
	require.NoError(t, err)
	return w
}

// minuteLength is the true time between the wall clock first showing
// 23:59:00 and first showing 00:00:00, sampled every 10 ms.
func minuteLength(w *Wall) time.Duration {
	var start time.Duration = -1
	for tt := midnight - 2*time.Minute; tt < midnight+2*time.Minute; tt += 10 * time.Millisecond {
		v := w.Read(tt)
		if start < 0 && v >= midnight-time.Minute {
			start = tt
		}
		if v >= midnight {
			return tt - start
		}
	}
	return -1
}

func TestLeapSecondMinuteLength(t *testing.T) {
	assert.Equal(t, 61*time.Second, minuteLength(leapWall(t, true, LeapStep)), "inserted leap second: 61-second minute")
	assert.Equal(t, 59*time.Second, minuteLength(leapWall(t, false, LeapStep)), "deleted leap second: 59-second minute")
	noLeap, _ := NewWall(mustHW(t, HardwareConfig{}), WallConfig{})
	assert.Equal(t, 60*time.Second, minuteLength(noLeap))
}

func TestInsertedLeapSecondRepeats(t *testing.T) {
	w := leapWall(t, true, LeapStep)
	// Sampled once a second: 23:59:59 shows twice.
	var got []time.Duration
	for k := -2; k <= 1; k++ {
		got = append(got, w.Read(midnight+time.Duration(k)*time.Second+time.Millisecond)-midnight)
	}
	ms := time.Millisecond
	assert.Equal(t, []time.Duration{-2*time.Second + ms, -time.Second + ms, -time.Second + ms, ms}, got)
	// Two events half a second apart get reversed timestamps.
	a, b := midnight-300*ms, midnight+200*ms
	assert.Greater(t, w.Read(a), w.Read(b), "the later event gets the smaller timestamp")
}

func TestSmearKeepsOrder(t *testing.T) {
	w := leapWall(t, true, LeapSmear)
	ms := time.Millisecond
	a, b := midnight-300*ms, midnight+200*ms
	assert.Less(t, w.Read(a), w.Read(b))
	// Halfway through the 24 h window the clock is half a second behind;
	// after it, a full second; before it, untouched.
	assert.Equal(t, midnight-500*ms, w.Read(midnight))
	assert.Equal(t, midnight+13*time.Hour-time.Second, w.Read(midnight+13*time.Hour))
	assert.Equal(t, midnight-13*time.Hour, w.Read(midnight-13*time.Hour))
	// Never goes back, and runs slow by 1 s / 24 h ≈ 11.6 ppm inside the window.
	prev := w.Read(midnight - 13*time.Hour)
	for tt := midnight - 13*time.Hour; tt < midnight+13*time.Hour; tt += 7 * time.Minute {
		v := w.Read(tt)
		require.GreaterOrEqual(t, v, prev)
		prev = v
	}
	d1, d2 := w.Read(midnight+time.Hour), w.Read(midnight)
	assert.InDelta(t, float64(time.Hour-time.Second/24), float64(d1-d2), float64(time.Microsecond))
	// The deleted-second smear runs fast instead.
	wd := leapWall(t, false, LeapSmear)
	assert.Equal(t, midnight+500*ms, wd.Read(midnight))
	assert.Equal(t, 60*time.Second, minuteLength(leapWall(t, true, LeapSmear)).Round(time.Second))
}
