package netsim

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ticker sends "<self><n>" to every peer every millisecond, from 1ms to
// 30ms, and logs what it receives.
type ticker struct {
	n    int
	got  []string
	seen []Time
}

func (k *ticker) Handle(ctx *Context, ev Event) {
	switch ev.Kind {
	case Start, Restart:
		ctx.SetTimer(Millisecond, nil)
	case Timer:
		k.n++
		ctx.Broadcast(fmt.Sprintf("%s%d", ctx.Self(), k.n))
		if ctx.Now() < 30*Millisecond {
			ctx.SetTimer(Millisecond, nil)
		}
	case Receive:
		k.got = append(k.got, ev.Msg.(string))
		k.seen = append(k.seen, ctx.Now())
	}
}

func tickers(t *testing.T, schedule string, ids ...NodeID) (*Sim, map[NodeID]*ticker) {
	t.Helper()
	s := newSim(t, Config{Seed: 1, DefaultLink: Link{Delay: Const(Millisecond / 2)}})
	ks := map[NodeID]*ticker{}
	for _, id := range ids {
		ks[id] = &ticker{}
		require.NoError(t, s.AddNode(id, ks[id]))
	}
	sched, err := ParseSchedule(schedule)
	require.NoError(t, err)
	require.NoError(t, s.Apply(sched))
	require.NoError(t, s.Run(Forever))
	return s, ks
}

func drops(s *Sim, why DropReason) []string {
	var out []string
	for _, r := range s.Trace() {
		if r.Op == OpDrop && r.Reason == why {
			out = append(out, fmt.Sprintf("%s->%s %v", r.From, r.To, r.Msg))
		}
	}
	return out
}

func TestOneWayCut(t *testing.T) {
	// A->B is cut from 10ms to 20ms; sends happen at whole milliseconds,
	// so A's ticks 10..19 are lost and nothing else is.
	s, ks := tickers(t, "10ms cut A->B\n20ms heal", "A", "B")
	var want []string
	for i := 10; i < 20; i++ {
		want = append(want, fmt.Sprintf("A->B A%d", i))
	}
	assert.Equal(t, want, drops(s, DropPartition))
	assert.Len(t, ks["A"].got, 30, "B->A is not cut")
	assert.Len(t, ks["B"].got, 20)
	assert.Equal(t, uint64(10), s.Stats().Partitioned)
}

func TestPartitionGroups(t *testing.T) {
	// A | B, with C unlisted (its own group): nobody talks between 5ms
	// and 10ms (ticks 5..9: 6 directed links x 5 ticks).
	s, ks := tickers(t, "5ms partition A | B\n10ms heal", "A", "B", "C")
	assert.Len(t, drops(s, DropPartition), 30)
	for _, id := range []NodeID{"A", "B", "C"} {
		assert.Len(t, ks[id].got, 2*25, id)
	}
	// A,B | C: A and B keep talking.
	s, ks = tickers(t, "5ms partition A,B | C\n10ms heal", "A", "B", "C")
	assert.Len(t, drops(s, DropPartition), 4*5)
	assert.Len(t, ks["A"].got, 30+25)
}

func TestPartitionDropsInFlight(t *testing.T) {
	// The A1 tick leaves A at 1ms and would arrive at 1.5ms; the cut at
	// 1.2ms catches it in flight, and the drop is recorded at B.
	s, _ := tickers(t, "1.2ms cut A->B\n1.7ms heal", "A", "B")
	var rs []Record
	for _, r := range s.Trace() {
		if r.Op == OpDrop {
			rs = append(rs, r)
		}
	}
	require.Len(t, rs, 1)
	assert.Equal(t, `1.500ms A->B drop #1 "A1" (partition)`, rs[0].String())
	assert.Equal(t, NodeID("B"), rs[0].Node)
	assert.Equal(t, Millisecond, rs[0].Sent)
}

func TestCrashRestart(t *testing.T) {
	// B is down from 5.2ms to 15.2ms. Its timer chain dies with it and
	// restarts from the Restart event (ticks at 16.2, 17.2, ... < 30ms).
	s, ks := tickers(t, "5.2ms crash B\n15.2ms restart B", "A", "B")
	// A's ticks 5..14 arrive at 5.5..14.5ms while B is down.
	var want []string
	for i := 5; i <= 14; i++ {
		want = append(want, fmt.Sprintf("A->B A%d", i))
	}
	assert.Equal(t, want, drops(s, DropCrashed))
	// B sent ticks 1..5 before, and after restart its counter kept going
	// (the ticker struct is its "disk"): ticks at 16.2ms..30.2ms = 15 more
	// (the tick at 29.2ms < 30ms still arms one more timer).
	assert.Equal(t, 5+15, ks["B"].n)
	tr := s.Trace().String()
	assert.Contains(t, tr, "5.200ms B crash\n")
	assert.Contains(t, tr, "15.200ms B restart\n")
	assert.True(t, s.Stats().Nodes[1].Dropped == 10)
}

func TestFreshLosesState(t *testing.T) {
	var instances []*ticker
	s := newSim(t, Config{DefaultLink: Link{Delay: Const(Millisecond / 2)}})
	require.NoError(t, s.AddNode("A", &ticker{}))
	require.NoError(t, s.AddNode("B", Fresh(func() Node {
		k := &ticker{}
		instances = append(instances, k)
		return k
	})))
	require.NoError(t, s.At(5200*Microsecond).Restart("B"))
	require.NoError(t, s.Run(Forever))
	require.Len(t, instances, 2)
	assert.Equal(t, 5, instances[0].n)
	assert.Equal(t, 25, instances[1].n, "new instance counts from zero: ticks at 6.2..30.2ms")
	assert.Equal(t, "B1", s.Trace().Filter(func(r Record) bool { return r.Op == OpSend && r.Time > 5200*Microsecond && r.From == "B" })[0].Msg)
}

func TestPauseHoldsInputs(t *testing.T) {
	// B is paused from 5.2ms to 10.2ms: A's ticks 5..9 and B's own timer
	// (due 6ms) wait, then are handed over in order at 10.2ms.
	s, ks := tickers(t, "5.2ms pause B\n10.2ms resume B", "A", "B")
	assert.Empty(t, drops(s, DropCrashed))
	require.Len(t, ks["B"].got, 30)
	for i, m := range ks["B"].got {
		assert.Equal(t, fmt.Sprintf("A%d", i+1), m, "FIFO order kept across the pause")
	}
	for i := 4; i <= 8; i++ {
		assert.Equal(t, 10200*Microsecond, ks["B"].seen[i], "A%d held until resume", i+1)
	}
	// B's timer chain was delayed: tick 5 at 5ms, then the held timer
	// fires at 10.2ms, and ticks continue every 1ms from there.
	tr := s.Trace()
	var bTicks []string
	for _, r := range tr {
		if r.Op == OpTimer && r.Node == "B" {
			bTicks = append(bTicks, r.Time.String())
		}
	}
	assert.Equal(t, "5.000ms 10.200ms 11.200ms", strings.Join(bTicks[4:7], " "))
}

func TestLinkChangeSchedule(t *testing.T) {
	// Loss 1 on A->B from 10ms to 20ms via the builder; same effect as a cut
	// but counted as loss.
	s := newSim(t, Config{Seed: 1, DefaultLink: Link{Delay: Const(Millisecond / 2)}})
	a, b := &ticker{}, &ticker{}
	require.NoError(t, s.AddNode("A", a))
	require.NoError(t, s.AddNode("B", b))
	require.NoError(t, s.At(10*Millisecond).Loss("A", "B", 1))
	require.NoError(t, s.At(20*Millisecond).SetLink("A", "B", Link{Delay: Const(2 * Millisecond)}))
	require.NoError(t, s.At(25*Millisecond).Delay(Any, Any, Const(Millisecond)))
	require.NoError(t, s.Run(Forever))
	assert.Equal(t, uint64(10), s.Stats().Lost)
	l, err := s.Link("A", "B")
	require.NoError(t, err)
	assert.Equal(t, Link{Delay: Const(Millisecond)}, l)
	tr := s.Trace().String()
	assert.Contains(t, tr, "10.000ms loss A->B 1\n")
	assert.Contains(t, tr, "20.000ms link A->B delay=const(2ms)\n")
	assert.Contains(t, tr, "25.000ms delay *->* const(1ms)\n")
	// A20 leaves at 20ms over the new 2ms link.
	assert.Contains(t, tr, `22.000ms A->B deliver #39 "A20"`)
}

func TestDo(t *testing.T) {
	s := newSim(t, Config{}, NodeID("A"), NodeFunc(func(*Context, Event) {}))
	var at Time
	require.NoError(t, s.At(7*Millisecond).Do("probe", func() { at = s.Now() }))
	require.NoError(t, s.Run(Forever))
	assert.Equal(t, 7*Millisecond, at)
	assert.Contains(t, s.Trace().String(), "7.000ms do probe\n")
}

// stamped is a 1000-byte message that carries its send time.
type stamped struct{ sent Time }

func (stamped) Size() int { return 1000 }

// TestQueueingMatchesMD1 checks the bandwidth queue against queueing
// theory: Poisson sends of fixed-size messages on a link with a fixed
// transmission time S form an M/D/1 queue, whose mean wait is
// rho*S / (2(1-rho)) (Pollaczek-Khinchine), so the mean latency is
// S + rho*S/(2(1-rho)). This is the "latency vs utilisation" curve.
func TestQueueingMatchesMD1(t *testing.T) {
	const S = Millisecond // 1000 bytes at 1e6 bytes/s
	for _, rho := range []float64{0.2, 0.5, 0.8} {
		const n = 40000
		var sum Time
		got := 0
		sender := NodeFunc(func(ctx *Context, ev Event) {
			if ev.Kind == Start || ev.Kind == Timer {
				ctx.Send("B", stamped{ctx.Now()})
				if ctx.Now() < Time(float64(n)*float64(S)/rho) {
					ctx.SetTimer(Time(ctx.Rand().ExpFloat64()*float64(S)/rho), nil)
				}
			}
		})
		receiver := NodeFunc(func(ctx *Context, ev Event) {
			if ev.Kind == Receive {
				sum += ctx.Now() - ev.Msg.(stamped).sent
				got++
			}
		})
		s := newSim(t, Config{Seed: 6, NoTrace: true, DefaultLink: Link{Bandwidth: 1e6}},
			NodeID("A"), sender, NodeID("B"), receiver)
		require.NoError(t, s.Run(Forever))
		require.Greater(t, got, n/2)
		mean := float64(sum) / float64(got) / float64(S)
		want := 1 + rho/(2*(1-rho))
		t.Logf("rho %v mean %.3f want %.3f", rho, mean, want)
		assert.InEpsilon(t, want, mean, 0.1, "rho %v: mean latency %.3f S, M/D/1 says %.3f S (seed 6)", rho, mean, want)
	}
}
