package live

import (
	"context"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

// noLeaks fails the test if goroutines started during it are still
// running shortly after it ends. No timing asserts: it polls for up to
// 5 seconds and passes as soon as the count is back.
func noLeaks(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			t.Errorf("%d goroutines leaked:\n%s", n-before, buf[:runtime.Stack(buf, true)])
		}
	})
}

func TestDeliversEverythingWithoutLoss(t *testing.T) {
	noLeaks(t)
	l, err := NewLink[int](context.Background(), Config{Seed: 1, Delay: netsim.Uniform(0, netsim.Millisecond)})
	require.NoError(t, err)
	const n = 200
	go func() {
		for i := range n {
			l.Send() <- i
		}
		close(l.Send())
	}()
	var got []int
	for m := range l.Recv() { // closed after the last delivery
		got = append(got, m)
	}
	<-l.Done()
	slices.Sort(got)
	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, got, "every message arrives exactly once (maybe reordered)")
	assert.Equal(t, Stats{Sent: n, Delivered: n}, l.Stats())
}

func TestLossAndDuplication(t *testing.T) {
	noLeaks(t)
	for _, tc := range []struct {
		loss, dup float64
	}{{1, 0}, {0, 1}, {0.5, 0}, {0.3, 0.3}} {
		l, err := NewLink[int](context.Background(), Config{Seed: 2, Loss: tc.loss, Duplicate: tc.dup})
		require.NoError(t, err)
		const n = 1000
		go func() {
			for i := range n {
				l.Send() <- i
			}
			close(l.Send())
		}()
		got := 0
		for range l.Recv() {
			got++
		}
		<-l.Done()
		st := l.Stats()
		assert.Equal(t, uint64(n), st.Sent)
		assert.Equal(t, uint64(got), st.Delivered)
		assert.Equal(t, st.Sent-st.Lost+st.Duplicated, st.Delivered, "%+v", tc)
		// Loss and duplication draws come from the seeded source, so the
		// rates are within a few standard deviations of the target.
		assert.InDelta(t, tc.loss, float64(st.Lost)/n, 0.06, "loss %+v", tc)
		if tc.loss == 0 {
			assert.InDelta(t, tc.dup, float64(st.Duplicated)/n, 0.06, "dup %+v", tc)
		}
	}
}

func TestCancelAbandonsInFlight(t *testing.T) {
	noLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	l, err := NewLink[string](ctx, Config{Delay: netsim.Const(netsim.Second * 3600)})
	require.NoError(t, err)
	for range 5 {
		l.Send() <- "slow"
	}
	// Wait (without timing asserts) until the pump has taken all five.
	for l.Stats().Sent < 5 {
		runtime.Gosched()
	}
	cancel()
	<-l.Done() // returns long before the hour is up
	_, open := <-l.Recv()
	assert.False(t, open, "Recv is closed after cancel")
	assert.Equal(t, Stats{Sent: 5, Abandoned: 5}, l.Stats())
}

func TestCancelWhileReceiverIsAway(t *testing.T) {
	noLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	l, err := NewLink[int](ctx, Config{})
	require.NoError(t, err)
	l.Send() <- 1 // delivered after 0s, but nobody reads
	for l.Stats().Sent < 1 {
		runtime.Gosched()
	}
	cancel()
	<-l.Done()
	assert.Equal(t, uint64(1), l.Stats().Abandoned)
}

func TestBadConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Loss: 2}, "live: loss probability 2 not in [0,1]"},
		{Config{Duplicate: math.NaN()}, "live: duplicate probability NaN not in [0,1]"},
		{Config{Delay: netsim.Const(-1)}, "live: netsim: delay constant -1ns out of range"},
		{Config{Buffer: -1}, "live: buffer -1 not in [0,65536] (0 means 16)"},
		{Config{Buffer: 1 << 40}, "live: buffer 1099511627776 not in [0,65536]"},
	} {
		_, err := NewLink[int](context.Background(), tc.cfg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := NewLink[int](nil, Config{}) //nolint:staticcheck // testing the nil check
	assert.EqualError(t, err, "live: nil context")
}
