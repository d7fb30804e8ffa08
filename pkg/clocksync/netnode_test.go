package clocksync

import (
	"strings"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/physclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Over the simulator, with constant delays of 10 ms (request) and 2 ms
// (reply), a client 300 ms behind ends up off by exactly half the
// asymmetry, (10−2)/2 = 4 ms, after its first correction.
func TestNTPOverNetsimAsymmetric(t *testing.T) {
	const seed = 1
	sim, err := netsim.New(netsim.Config{Seed: seed})
	require.NoError(t, err)
	server := perfect(t, 0, 0, 1)
	client := perfect(t, -300*ms, 0, 2)
	cn := &ClientNode{Server: "server", Clock: client, Poll: time.Minute, Apply: func(at, off time.Duration) { client.Step(at, off) }}
	require.NoError(t, sim.AddNode("client", cn))
	require.NoError(t, sim.AddNode("server", &ServerNode{Clock: server, Processing: ms}))
	require.NoError(t, sim.SetLink("client", "server", netsim.Link{Delay: netsim.Const(10 * netsim.Millisecond)}))
	require.NoError(t, sim.SetLink("server", "client", netsim.Link{Delay: netsim.Const(2 * netsim.Millisecond)}))
	require.NoError(t, sim.Run(300*netsim.Second))

	require.Len(t, cn.Applied, 5, "seed %d", seed)
	first := cn.Applied[0].Sample
	assert.Equal(t, 12*ms, first.Delay)
	assert.Equal(t, 304*ms, first.Offset) // true 300 ms + (10−2)/2
	now := 5 * time.Minute
	assert.Equal(t, 4*ms, client.Read(now)-now, "seed %d", seed)
	for _, a := range cn.Applied[1:] {
		// The client is 4 ms ahead, but every later exchange measures 0:
		// asymmetry cannot be detected from the timestamps.
		assert.Equal(t, time.Duration(0), a.Sample.Offset)
	}
	var tr strings.Builder
	require.NoError(t, sim.WriteTrace(&tr))
	assert.Contains(t, tr.String(), "ntp-request seq=1 T1=-300ms")
	assert.Contains(t, tr.String(), "ntp-response seq=1 T1=-300ms T2=10ms T3=11ms")
}

// With variable delays, a burst of 8 exchanges and the minimum-delay
// sample beats taking a single exchange (NTP's clock filter): compared
// over 20 seeds, the mean |error| after correction is smaller.
func TestBurstFilterHelpsWithVariableDelay(t *testing.T) {
	run := func(seed uint64, burst int) time.Duration {
		sim, err := netsim.New(netsim.Config{Seed: seed, DefaultLink: netsim.Link{Delay: netsim.Exponential(10 * netsim.Millisecond)}})
		require.NoError(t, err)
		hw, err := physclock.NewHardware(physclock.HardwareConfig{Offset: time.Second})
		require.NoError(t, err)
		client, err := physclock.NewWall(hw, physclock.WallConfig{})
		require.NoError(t, err)
		cn := &ClientNode{Server: "s", Clock: client, Poll: time.Minute, Burst: burst, Apply: func(at, off time.Duration) { client.Step(at, off) }}
		require.NoError(t, sim.AddNode("c", cn))
		require.NoError(t, sim.AddNode("s", &ServerNode{Clock: perfect(t, 0, 0, 1)}))
		require.NoError(t, sim.Run(30*netsim.Second))
		require.Len(t, cn.Applied, 1, "seed %d", seed)
		return abs(client.Read(30*time.Second) - 30*time.Second)
	}
	var one, eight time.Duration
	for seed := uint64(1); seed <= 20; seed++ {
		one += run(seed, 1)
		eight += run(seed, 8)
	}
	assert.Less(t, eight, one/2, "burst of 8: %v total, single: %v", eight, one)
}

// Lost messages: a poll whose request or reply is lost is superseded by
// the next one, and the client still converges.
func TestClientSurvivesLoss(t *testing.T) {
	const seed = 3
	sim, err := netsim.New(netsim.Config{Seed: seed, DefaultLink: netsim.Link{Loss: 0.5, Delay: netsim.Const(5 * netsim.Millisecond)}})
	require.NoError(t, err)
	client := perfect(t, 2*time.Second, 0, 1)
	cn := &ClientNode{Server: "s", Clock: client, Poll: 10 * time.Second, Apply: func(at, off time.Duration) { client.Step(at, off) }}
	require.NoError(t, sim.AddNode("c", cn))
	require.NoError(t, sim.AddNode("s", &ServerNode{Clock: perfect(t, 0, 0, 2)}))
	require.NoError(t, sim.Run(300*netsim.Second))
	assert.NotEmpty(t, cn.Applied, "seed %d", seed)
	assert.Less(t, len(cn.Applied), 30, "seed %d: some polls must have been lost", seed)
	assert.Equal(t, time.Duration(0), client.Read(5*time.Minute)-5*time.Minute, "seed %d: symmetric delays, no error", seed)
}
