package live

import (
	"context"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

// One goroutine per link, however many messages are in flight.
func TestOneGoroutineForManyMessages(t *testing.T) {
	noLeaks(t)
	before := runtime.NumGoroutine()
	l, err := NewLink[int](context.Background(), Config{Seed: 3, Delay: netsim.Uniform(0, 20*netsim.Millisecond), Buffer: MaxBuffer})
	require.NoError(t, err)
	const n = 200_000
	go func() {
		for i := range n {
			l.Send() <- i
		}
		close(l.Send())
	}()
	got, most := 0, 0
	for range l.Recv() {
		got++
		if got%10_000 == 0 {
			most = max(most, runtime.NumGoroutine()-before)
		}
	}
	<-l.Done()
	assert.Equal(t, n, got)
	assert.LessOrEqual(t, most, 2, "the link and the sender, not one goroutine per message")
}

// Closing Send() when nobody reads: Stop ends the link's goroutine.
func TestStopWhenNobodyReads(t *testing.T) {
	noLeaks(t)
	l, err := NewLink[int](context.Background(), Config{})
	require.NoError(t, err)
	for i := range 3 {
		l.Send() <- i
	}
	close(l.Send())
	for l.Stats().Sent < 3 {
		runtime.Gosched()
	}
	l.Stop()
	l.Stop() // again: nothing happens
	_, open := <-l.Recv()
	assert.False(t, open)
	assert.Equal(t, Stats{Sent: 3, Abandoned: 3}, l.Stats())
}

// A sender that gets MaxInFlight messages ahead blocks instead of making
// the link grow without bound.
func TestBackPressure(t *testing.T) {
	noLeaks(t)
	l, err := NewLink[int](context.Background(), Config{Delay: netsim.Const(netsim.Second * 3600), Buffer: 8})
	require.NoError(t, err)
	var accepted atomic.Int64
	go func() {
		for i := range MaxInFlight + 8 + 1 {
			select {
			case l.Send() <- i:
				accepted.Add(1)
			case <-l.Done():
				return
			}
		}
	}()
	for l.Stats().Sent < MaxInFlight || len(l.in) < 8 || accepted.Load() < MaxInFlight+8 {
		runtime.Gosched()
	}
	assert.Equal(t, uint64(MaxInFlight), l.Stats().Sent, "the link holds at most MaxInFlight")
	assert.Equal(t, int64(MaxInFlight+8), accepted.Load(), "and the Send buffer; the last send waits")
	l.Stop()
	assert.Equal(t, uint64(MaxInFlight), l.Stats().Abandoned)
}

// FuzzNewLink: any configuration gives a prefixed error or a link that
// carries a few messages and stops cleanly.
func FuzzNewLink(f *testing.F) {
	f.Add(uint64(1), 0.1, 0.1, int64(netsim.Millisecond), 16)
	f.Add(uint64(2), 2.0, -1.0, int64(-1), -1)
	f.Add(uint64(3), 0.0, 1.0, int64(0), 1<<40)
	f.Fuzz(func(t *testing.T, seed uint64, loss, dup float64, delay int64, buffer int) {
		l, err := NewLink[int](context.Background(), Config{Seed: seed, Loss: loss, Duplicate: dup,
			Delay: netsim.Uniform(0, netsim.Time(delay)), Buffer: buffer})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "live: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		for i := range 3 {
			l.Send() <- i
		}
		l.Stop()
		st := l.Stats()
		if st.Delivered+st.Lost+st.Abandoned > st.Sent+st.Duplicated {
			t.Fatalf("counts do not add up: %v", st)
		}
	})
}
