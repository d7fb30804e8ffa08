package clocksync

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/physclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ms = time.Millisecond

func TestExchangeFormulas(t *testing.T) {
	// Worked by hand: the server is 50 ms ahead, the request takes 10 ms,
	// the server 1 ms, the reply 10 ms.
	e := Exchange{T1: 100 * ms, T2: 160 * ms, T3: 161 * ms, T4: 121 * ms}
	assert.Equal(t, 50*ms, e.Offset())
	assert.Equal(t, 20*ms, e.Delay())
	assert.Equal(t, 10*ms, e.ErrorBound())
	require.NoError(t, e.Validate())
	// Same, but the request takes 16 ms and the reply 4 ms: same delay,
	// offset off by (16−4)/2 = 6 ms.
	e = Exchange{T1: 100 * ms, T2: 166 * ms, T3: 167 * ms, T4: 121 * ms}
	assert.Equal(t, 56*ms, e.Offset())
	assert.Equal(t, 20*ms, e.Delay())
	assert.Equal(t, "T1=100ms T2=166ms T3=167ms T4=121ms offset=56ms delay=20ms", e.String())

	for _, bad := range []Exchange{
		{T1: 10, T2: 20, T3: 30, T4: 5},
		{T1: 10, T2: 20, T3: 15, T4: 40},
		{T1: 10, T2: 20, T3: 100, T4: 40},
	} {
		assert.Error(t, bad.Validate(), "%v", bad)
	}
}

func perfect(t testing.TB, offset time.Duration, drift float64, seed uint64) *physclock.Wall {
	hw, err := physclock.NewHardware(physclock.HardwareConfig{Offset: offset, DriftPPM: drift, Seed: seed})
	require.NoError(t, err)
	w, err := physclock.NewWall(hw, physclock.WallConfig{})
	require.NoError(t, err)
	return w
}

// With clocks that do not drift, the offset estimate is off by exactly
// half the asymmetry (d1−d2)/2, and never by more than δ/2.
func TestErrorIsHalfTheAsymmetry(t *testing.T) {
	const seed = 2024
	rng := rand.New(rand.NewPCG(seed, 0))
	for range 2000 {
		theta := time.Duration(rng.Int64N(int64(2*time.Second))) - time.Second
		client, server := perfect(t, 0, 0, 1), perfect(t, theta, 0, 2)
		d1 := time.Duration(rng.Int64N(int64(100 * ms)))
		d2 := time.Duration(rng.Int64N(int64(100 * ms)))
		proc := time.Duration(rng.Int64N(int64(5 * ms)))
		at := time.Duration(rng.Int64N(int64(time.Hour)))
		e, err := Simulate(client, server, at, d1, proc, d2)
		require.NoError(t, err)
		require.NoError(t, e.Validate())
		require.Equal(t, d1+d2, e.Delay(), "seed %d", seed)
		errv := e.Offset() - theta
		require.InDelta(t, float64(d1-d2)/2, float64(errv), 1, "seed %d: d1=%v d2=%v", seed, d1, d2)
		require.LessOrEqual(t, abs(errv), e.ErrorBound(), "seed %d: error %v beyond δ/2 = %v", seed, errv, e.ErrorBound())
	}
}

// Drifting clocks add (drift difference) × (exchange duration) on top.
func TestErrorBoundWithDrift(t *testing.T) {
	const seed = 77
	rng := rand.New(rand.NewPCG(seed, 0))
	for range 1000 {
		theta := time.Duration(rng.Int64N(int64(time.Second)))
		dc, ds := rng.Float64()*200-100, rng.Float64()*200-100 // ppm
		client, server := perfect(t, 0, dc, 1), perfect(t, theta, ds, 2)
		at := time.Duration(rng.Int64N(int64(time.Hour)))
		d1, d2 := time.Duration(rng.Int64N(int64(50*ms))), time.Duration(rng.Int64N(int64(50*ms)))
		e, err := Simulate(client, server, at, d1, ms, d2)
		require.NoError(t, err)
		trueOffset := server.Read(at+d1+ms+d2) - client.Read(at+d1+ms+d2) // at the moment of T4
		slack := time.Duration(float64(d1+d2+ms)*200e-6) + 2
		require.LessOrEqual(t, abs(e.Offset()-trueOffset), e.ErrorBound()+slack, "seed %d", seed)
	}
}

// Accuracy degrades with asymmetry: mean absolute error grows with the
// spread of the one-way delays.
func TestAccuracyDegradesWithVariableDelay(t *testing.T) {
	const seed = 9
	rng := rand.New(rand.NewPCG(seed, 0))
	prev := time.Duration(-1)
	for _, spread := range []time.Duration{0, ms, 10 * ms, 100 * ms} {
		client, server := perfect(t, 0, 0, 1), perfect(t, 300*ms, 0, 2)
		var total time.Duration
		for i := range 500 {
			d1 := 5*ms + time.Duration(rng.Int64N(int64(spread)+1))
			d2 := 5*ms + time.Duration(rng.Int64N(int64(spread)+1))
			e, err := Simulate(client, server, time.Duration(i)*time.Second, d1, 0, d2)
			require.NoError(t, err)
			total += abs(e.Offset() - 300*ms)
		}
		mean := total / 500
		if spread == 0 {
			assert.Zero(t, mean, "symmetric fixed delays cost nothing")
		}
		assert.Greater(t, mean, prev, "seed %d: spread %v", seed, spread)
		prev = mean
	}
}

func TestSimulateValidates(t *testing.T) {
	c := perfect(t, 0, 0, 1)
	_, err := Simulate(c, c, 0, -1, 0, 0)
	assert.ErrorContains(t, err, "clocksync: delays must be ≥ 0")
	_, err = Simulate(nil, c, 0, 0, 0, 0)
	assert.Error(t, err)
}

func TestCristian(t *testing.T) {
	// Worked by hand: request at 1000, server says 1500, reply at 1040
	// (client clock, ms): estimate 1520, offset +480, bound 20 − 5.
	c := Cristian{Sent: 1000 * ms, Server: 1500 * ms, Received: 1040 * ms}
	assert.Equal(t, 40*ms, c.RTT())
	assert.Equal(t, 1520*ms, c.Estimate())
	assert.Equal(t, 480*ms, c.Offset())
	assert.Equal(t, 15*ms, c.ErrorBound(5*ms))
	assert.Equal(t, time.Duration(0), c.ErrorBound(time.Second))
	require.NoError(t, c.Validate())
	assert.Error(t, Cristian{Sent: 10, Received: 5}.Validate())
}

func TestClientStateMachine(t *testing.T) {
	c, err := NewClient(ClientConfig{Filter: 3})
	require.NoError(t, err)
	_, ok := c.Best()
	assert.False(t, ok)

	// Transcript: (client send, server recv, server send, client recv).
	exchanges := []Exchange{
		{T1: 0, T2: 60 * ms, T3: 60 * ms, T4: 30 * ms},               // delay 30
		{T1: 1000 * ms, T2: 1055 * ms, T3: 1055 * ms, T4: 1010 * ms}, // delay 10, offset 50
		{T1: 2000 * ms, T2: 2070 * ms, T3: 2070 * ms, T4: 2040 * ms}, // delay 40
	}
	for _, e := range exchanges {
		req := c.Request(e.T1)
		s, err := c.Receive(Respond(req, e.T2, e.T3), e.T4)
		require.NoError(t, err)
		assert.Equal(t, e.Offset(), s.Offset)
	}
	best, ok := c.Best()
	require.True(t, ok)
	assert.Equal(t, 10*ms, best.Delay)
	assert.Equal(t, 50*ms, best.Offset)
	assert.Equal(t, "offset 50ms delay 10ms", best.String())

	// The minimum-delay sample falls out of the 3-sample window.
	for i := 3; i < 5; i++ {
		base := time.Duration(i) * time.Second
		req := c.Request(base)
		_, err := c.Receive(Respond(req, base+100*ms, base+100*ms), base+50*ms)
		require.NoError(t, err)
	}
	best, _ = c.Best()
	assert.Equal(t, 40*ms, best.Delay)
	assert.Len(t, c.Samples(), 3)

	// Duplicate, stale and bogus responses are rejected.
	old := c.Request(10 * time.Second)
	cur := c.Request(11 * time.Second)
	_, err = c.Receive(Respond(old, 0, 0), 12*time.Second)
	assert.ErrorContains(t, err, "stale")
	_, err = c.Receive(Respond(cur, 11*time.Second, 11*time.Second), 11*time.Second+ms)
	require.NoError(t, err)
	_, err = c.Receive(Respond(cur, 11*time.Second, 11*time.Second), 11*time.Second+ms)
	assert.Error(t, err, "duplicate")
	req := c.Request(20 * time.Second)
	_, err = c.Receive(Respond(req, 5, 4), 21*time.Second)
	assert.ErrorContains(t, err, "T3")
	c.Forget()
	_, ok = c.Best()
	assert.False(t, ok)

	_, err = NewClient(ClientConfig{Filter: -1})
	assert.Error(t, err)
}

func TestBerkeley(t *testing.T) {
	// The textbook example (Tanenbaum & van Steen): master 3:00, others
	// 3:25 and 2:50 → average +5 min; adjust +5, −20, +15.
	min := time.Minute
	r, err := Berkeley([]time.Duration{0, 25 * min, -10 * min}, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 5*min, r.Average)
	assert.Equal(t, []time.Duration{5 * min, -20 * min, 15 * min}, r.Adjust)
	assert.Empty(t, r.Excluded)

	// A clock far off is left out of the average but still corrected.
	r, err = Berkeley([]time.Duration{0, 10 * ms, 20 * ms, 5 * time.Second}, 100*ms)
	require.NoError(t, err)
	assert.Equal(t, 10*ms, r.Average)
	assert.Equal(t, []int{3}, r.Excluded)
	assert.Equal(t, 10*ms-5*time.Second, r.Adjust[3])
	assert.Contains(t, r.String(), "clock 3 adjust -4.99s (excluded)")

	_, err = Berkeley(nil, time.Second)
	assert.Error(t, err)
	_, err = Berkeley([]time.Duration{0}, 0)
	assert.ErrorContains(t, err, "tolerance")
}

func FuzzBerkeley(f *testing.F) {
	f.Add(int64(0), int64(25*time.Minute), int64(-10*time.Minute), int64(time.Hour))
	f.Add(int64(1<<62), int64(1<<62), int64(-(1 << 62)), int64(1<<63-1))
	f.Fuzz(func(t *testing.T, a, b, c, tol int64) {
		offs := []time.Duration{time.Duration(a), time.Duration(b), time.Duration(c)}
		r, err := Berkeley(offs, time.Duration(tol))
		if err != nil {
			inRange := true
			for _, o := range offs {
				inRange = inRange && o >= -MaxTime && o <= MaxTime
			}
			if tol > 0 && inRange {
				t.Fatalf("Berkeley(%v, %v): %v", offs, tol, err)
			}
			return
		}
		checkAdjustSigns(t, offs, r)
		if len(r.Excluded) >= len(offs) {
			t.Fatalf("everything excluded: %v", r)
		}
		lo, hi := offs[0], offs[0]
		for i, o := range offs {
			if o+r.Adjust[i] != r.Average {
				t.Fatalf("clock %d: %v + %v != %v", i, o, r.Adjust[i], r.Average)
			}
			lo, hi = min(lo, o), max(hi, o)
		}
		if r.Average < lo || r.Average > hi {
			t.Fatalf("average %v outside [%v,%v]", r.Average, lo, hi)
		}
	})
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
