package hlc

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/physclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rules of the paper, case by case, worked out by hand.
func TestRules(t *testing.T) {
	var c Clock
	ok := func(ts Timestamp, err error) Timestamp {
		t.Helper()
		require.NoError(t, err)
		return ts
	}
	assert.Equal(t, Timestamp{L: 10, C: 0}, ok(c.Local(10)))                           // physical time moves: C resets
	assert.Equal(t, Timestamp{L: 10, C: 1}, ok(c.Local(7)))                            // clock behind L: count
	assert.Equal(t, Timestamp{L: 20, C: 3}, ok(c.Receive(Timestamp{L: 20, C: 2}, 15))) // message ahead
	assert.Equal(t, Timestamp{L: 20, C: 4}, ok(c.Receive(Timestamp{L: 20, C: 1}, 15))) // same L: max(C)+1
	assert.Equal(t, Timestamp{L: 20, C: 5}, ok(c.Receive(Timestamp{L: 5, C: 9}, 15)))  // own L largest
	assert.Equal(t, Timestamp{L: 30, C: 0}, ok(c.Receive(Timestamp{L: 25, C: 9}, 30))) // physical largest
	assert.Equal(t, Timestamp{L: 30, C: 0}, c.Now())
	assert.True(t, Less(Timestamp{1, 5}, Timestamp{2, 0}))
	assert.True(t, Less(Timestamp{2, 0}, Timestamp{2, 1}))
	assert.False(t, Less(Timestamp{2, 1}, Timestamp{2, 1}))
	assert.Equal(t, "(30ns,0)", c.Now().String())
}

// On random executions with skewed clocks (each within ±eps of true
// time): a → b ⇒ HLC(a) < HLC(b), L ≥ pt, and L − pt ≤ 2·eps.
func TestPropertiesOnRandomExecutions(t *testing.T) {
	const eps = 5 * time.Millisecond
	for seed := uint64(1); seed <= 30; seed++ {
		h, err := history.Random(history.RandomConfig{Nodes: 2 + int(seed%5), Events: 80, SendProb: 0.5, Seed: seed})
		require.NoError(t, err)
		rng := rand.New(rand.NewPCG(seed, 9))
		hws := make([]*physclock.Hardware, len(h.Nodes))
		for n := range hws {
			off := time.Duration((rng.Float64()*2 - 1) * float64(eps))
			hws[n], err = physclock.NewHardware(physclock.HardwareConfig{Offset: off, Resolution: time.Millisecond, Seed: seed})
			require.NoError(t, err)
		}
		// One event every 0.3 ms of true time: faster than the clocks'
		// resolution and skew, so C has work to do.
		run, err := Replay(h, func(e int) time.Duration {
			return hws[h.Events[e].Node].Read(time.Second + time.Duration(e)*300*time.Microsecond)
		})
		require.NoError(t, err)
		require.Empty(t, run.ClockConditionViolations(), "seed %d", seed)
		for e, s := range run.Stamps {
			require.GreaterOrEqual(t, s.L, run.Physical[e], "seed %d", seed)
		}
		require.LessOrEqual(t, run.MaxDrift(), 2*eps+time.Millisecond, "seed %d", seed)
	}
}

func TestReplayValidates(t *testing.T) {
	_, err := Replay(nil, func(int) time.Duration { return 0 })
	assert.Error(t, err)
	h, err := history.Random(history.RandomConfig{Nodes: 2, Events: 3, Seed: 1})
	require.NoError(t, err)
	_, err = Replay(h, nil)
	assert.ErrorContains(t, err, "hlc: nil physical")
}

func ExampleClock() {
	var a, b Clock
	m, _ := a.Send(100 * time.Millisecond)      // A's clock reads 100 ms
	got, _ := b.Receive(m, 95*time.Millisecond) // B's clock is 5 ms behind
	fmt.Println(m, got, Less(m, got))
	// Output:
	// (100ms,0) (100ms,1) true
}
