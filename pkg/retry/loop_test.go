package retry

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errBusy = errors.New("busy")

// failUntil returns an Op that takes 1 time unit and fails until attempt n.
func failUntil(n int) Op {
	return func(attempt int, now float64) (float64, error) {
		if attempt < n {
			return 1, errBusy
		}
		return 1, nil
	}
}

func TestRunByHand(t *testing.T) {
	p := mustPolicy(t, Exponential, 10, 100)
	for _, tc := range []struct {
		name     string
		loop     Loop
		op       Op
		outcome  Outcome
		attempts int
		elapsed  float64
		slept    float64
	}{
		// attempt 0 [0,1], sleep 10, attempt 1 [11,12], sleep 20, attempt 2 [32,33] ok.
		{"succeeds third time", Loop{Policy: p, MaxAttempts: 5}, failUntil(2), Succeeded, 3, 33, 30},
		{"succeeds first time", Loop{Policy: p, MaxAttempts: 1}, failUntil(0), Succeeded, 1, 1, 0},
		// attempt 0 [0,1], sleep 10, attempt 1 [11,12], out of attempts.
		{"exhausted", Loop{Policy: p, MaxAttempts: 2}, failUntil(99), Exhausted, 2, 12, 10},
		// after attempt 1 ends at 12 the next sleep (20) would end at 32 > 20.
		{"deadline", Loop{Policy: p, MaxAttempts: 10, Deadline: 20}, failUntil(99), DeadlineExceeded, 2, 12, 10},
		{"aborted", Loop{Policy: p, MaxAttempts: 10}, func(a int, _ float64) (float64, error) {
			if a == 1 {
				return 2, Permanent(errBusy)
			}
			return 1, errBusy
		}, Aborted, 2, 13, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(tc.loop, 0, nil, tc.op)
			require.NoError(t, err)
			assert.Equal(t, tc.outcome, res.Outcome, res.String())
			assert.Equal(t, tc.attempts, res.Attempts)
			assert.Equal(t, tc.elapsed, res.Elapsed)
			assert.Equal(t, tc.slept, res.Slept)
			assert.Len(t, res.Steps, tc.attempts)
			assert.Equal(t, tc.outcome == Succeeded, res.Err == nil)
		})
	}
}

func TestRunPassesVirtualTime(t *testing.T) {
	p := mustPolicy(t, Exponential, 10, 100)
	var starts []float64
	_, err := Run(Loop{Policy: p, MaxAttempts: 3}, 100, nil, func(a int, now float64) (float64, error) {
		starts = append(starts, now)
		return 1, errBusy
	})
	require.NoError(t, err)
	assert.Equal(t, []float64{100, 111, 132}, starts)
}

func TestRunAbortedKeepsCause(t *testing.T) {
	p := mustPolicy(t, FullJitter, 1, 10)
	res, err := Run(Loop{Policy: p, MaxAttempts: 3}, 0, newRNG(1), func(int, float64) (float64, error) {
		return 0, Permanent(errBusy)
	})
	require.NoError(t, err)
	assert.Equal(t, Aborted, res.Outcome)
	assert.ErrorIs(t, res.Err, errBusy)
	assert.Nil(t, Permanent(nil))
	assert.False(t, IsPermanent(errBusy))
}

func TestRunJitteredSleepsFollowPolicy(t *testing.T) {
	// The sleeps Run takes must be exactly the policy's schedule for the same seed.
	for _, s := range Strategies {
		p := mustPolicy(t, s, 2, 500)
		res, err := Run(Loop{Policy: p, MaxAttempts: 8}, 0, newRNG(5), failUntil(99))
		require.NoError(t, err)
		want, err := p.Schedule(7, newRNG(5))
		require.NoError(t, err)
		var got []float64
		for _, st := range res.Steps[:7] {
			got = append(got, st.Sleep)
		}
		assert.Equal(t, want, got, "%v seed 5", s)
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	p := mustPolicy(t, FullJitter, 1, 10)
	ok := failUntil(0)
	for _, tc := range []struct {
		name  string
		loop  Loop
		start float64
		op    Op
		nilR  bool
		want  string
	}{
		{"zero policy", Loop{MaxAttempts: 1}, 0, ok, false, "zero Policy"},
		{"no attempts", Loop{Policy: p}, 0, ok, false, "MaxAttempts 0 not in [1,100000]"},
		{"negative deadline", Loop{Policy: p, MaxAttempts: 1, Deadline: -1}, 0, ok, false, "Deadline -1"},
		{"NaN deadline", Loop{Policy: p, MaxAttempts: 1, Deadline: math.NaN()}, 0, ok, false, "Deadline NaN"},
		{"NaN start", Loop{Policy: p, MaxAttempts: 1}, math.NaN(), ok, false, "start time NaN"},
		{"nil op", Loop{Policy: p, MaxAttempts: 1}, 0, nil, false, "nil Op"},
		{"nil rng", Loop{Policy: p, MaxAttempts: 1}, 0, ok, true, "needs a random source"},
		{"negative duration", Loop{Policy: p, MaxAttempts: 1}, 0, func(int, float64) (float64, error) { return -1, nil }, false, "reported duration -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := newRNG(1)
			if tc.nilR {
				rng = nil
			}
			_, err := Run(tc.loop, tc.start, rng, tc.op)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestOutcomeString(t *testing.T) {
	assert.Equal(t, "DeadlineExceeded", DeadlineExceeded.String())
	assert.Equal(t, "Outcome(9)", Outcome(9).String())
}

func BenchmarkRun(b *testing.B) {
	p := mustPolicy(b, FullJitter, 1, 100)
	rng := newRNG(1)
	op := failUntil(5)
	for b.Loop() {
		_, _ = Run(Loop{Policy: p, MaxAttempts: 10}, 0, rng, op)
	}
}
