package partialfailure

import (
	"context"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On the simulator the race has one outcome per seed; the seeds differ.
func TestRaceOnSimulatorIsDeterministic(t *testing.T) {
	counts := map[int]bool{}
	for seed := uint64(1); seed <= 5; seed++ {
		a, err := RaceOnSimulator(seed, 50)
		require.NoError(t, err)
		b, err := RaceOnSimulator(seed, 50)
		require.NoError(t, err)
		assert.Equal(t, a, b, "seed %d", seed)
		assert.True(t, a > 5 && a < 45, "seed %d: a coin toss, got %d of 50", seed, a)
		counts[a] = true
	}
	assert.Greater(t, len(counts), 1)
	_, err := RaceOnSimulator(1, 0)
	assert.ErrorContains(t, err, "partialfailure: 0 requests")
}

// The real-time server answers, deduplicates and stops cleanly; what is
// checked does not depend on timing.
func TestStartLive(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n, err := StartLive(ctx, LiveConfig{Seed: 1, Delay: netsim.Uniform(0, netsim.Millisecond), Handler: DedupHandler})
	require.NoError(t, err)
	for _, id := range []RequestID{1, 1, 2} {
		n.Requests.Send() <- Request{ID: id, Amount: 10}
		select {
		case r := <-n.Replies.Recv():
			assert.Equal(t, id, r.ID)
		case <-time.After(5 * time.Second):
			t.Fatal("no reply within 5 s on a lossless link")
		}
	}
	acc := n.Stop()
	assert.Equal(t, 20, acc.Balance, "the repeated r1 is applied once")
	assert.Equal(t, acc, n.Stop(), "Stop twice is fine")
	_, ok := <-n.Replies.Recv()
	assert.False(t, ok, "the reply link is closed after Stop")

	// A lossy link: the client retries until it gets an answer; with ids,
	// the balance is exact whatever the timing.
	n, err = StartLive(ctx, LiveConfig{Seed: 3, Loss: 0.3, Delay: netsim.Uniform(0, netsim.Millisecond), Handler: DedupHandler})
	require.NoError(t, err)
	for id := RequestID(1); id <= 10; id++ {
		for attempt := 1; ; attempt++ {
			require.Less(t, attempt, 200)
			n.Requests.Send() <- Request{ID: id, Amount: 10}
			select {
			case r := <-n.Replies.Recv():
				if r.ID != id {
					continue // a late reply to an earlier attempt
				}
			case <-time.After(20 * time.Millisecond):
				continue
			}
			break
		}
	}
	assert.Equal(t, 100, n.Stop().Balance)

	_, err = StartLive(ctx, LiveConfig{Loss: 2})
	assert.ErrorContains(t, err, "partialfailure: live: loss probability 2")
	_, err = StartLive(nil, LiveConfig{}) //nolint:staticcheck // a nil context is an error, not a panic
	assert.ErrorContains(t, err, "nil context")
}
