package netsim

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pingPong returns a node pair: A pings B, B answers pong, A pings again
// until it has sent rounds pings.
func pingPong(rounds int) (a, b Node) {
	sent := 0
	a = NodeFunc(func(ctx *Context, ev Event) {
		if (ev.Kind == Start || ev.Kind == Receive) && sent < rounds {
			sent++
			ctx.Send("B", "ping")
		}
	})
	b = NodeFunc(func(ctx *Context, ev Event) {
		if ev.Kind == Receive {
			ctx.Send(ev.From, "pong")
		}
	})
	return a, b
}

func newSim(t testing.TB, cfg Config, nodes ...any) *Sim {
	t.Helper()
	s, err := New(cfg)
	require.NoError(t, err)
	for i := 0; i < len(nodes); i += 2 {
		require.NoError(t, s.AddNode(nodes[i].(NodeID), nodes[i+1].(Node)))
	}
	return s
}

func TestTimeString(t *testing.T) {
	for _, tc := range []struct {
		t    Time
		want string
	}{
		{0, "0.000ms"},
		{12 * Millisecond, "12.000ms"},
		{1500 * Microsecond, "1.500ms"},
		{2*Second + 5*Microsecond, "2000.005ms"},
		{250 * Nanosecond, "0.000250ms"},
		{-3 * Millisecond, "-3.000ms"},
	} {
		assert.Equal(t, tc.want, tc.t.String(), "Time(%d)", int64(tc.t))
	}
}

func TestPingPongTranscript(t *testing.T) {
	a, b := pingPong(2)
	s := newSim(t, Config{Seed: 1, DefaultLink: Link{Delay: Const(Millisecond)}}, NodeID("A"), a, NodeID("B"), b)
	require.NoError(t, s.Run(Forever))
	// Derived by hand: each hop takes exactly 1ms, message numbers count sends.
	want := `0.000ms A start
0.000ms A->B send #1 "ping"
0.000ms B start
1.000ms A->B deliver #1 "ping"
1.000ms B->A send #2 "pong"
2.000ms B->A deliver #2 "pong"
2.000ms A->B send #3 "ping"
3.000ms A->B deliver #3 "ping"
3.000ms B->A send #4 "pong"
4.000ms B->A deliver #4 "pong"
`
	assert.Equal(t, want, s.Trace().String())
	st := s.Stats()
	assert.Equal(t, uint64(4), st.Sent)
	assert.Equal(t, uint64(4), st.Delivered)
	assert.Equal(t, uint64(0), st.Dropped())
	assert.Equal(t, 4*Millisecond, s.Now())
}

// chatter is a busy randomized workload: every node sends to random peers
// on randomized timers, for determinism tests.
func chatter(n int) NodeFunc {
	return func(ctx *Context, ev Event) {
		switch ev.Kind {
		case Start, Restart:
			ctx.SetTimer(Time(ctx.Rand().IntN(5)+1)*Millisecond, "tick")
		case Timer:
			p := ctx.Peers()
			ctx.Send(p[ctx.Rand().IntN(len(p))], fmt.Sprintf("m%d", ctx.Rand().IntN(100)))
			if ctx.Now() < 200*Millisecond {
				ctx.SetTimer(Time(ctx.Rand().IntN(5)+1)*Millisecond, "tick")
			}
		case Receive:
			if ctx.Rand().Float64() < 0.3 {
				ctx.Send(ev.From, "ack")
			}
		}
	}
}

func runChatter(t *testing.T, seed uint64) []byte {
	t.Helper()
	cfg := Config{Seed: seed, DefaultLink: Link{Loss: 0.1, Duplicate: 0.05, Reorder: 0.2, Delay: Uniform(Millisecond, 4*Millisecond)}}
	s := newSim(t, cfg)
	for _, id := range []NodeID{"A", "B", "C", "D"} {
		require.NoError(t, s.AddNode(id, chatter(4)))
	}
	sched, err := ParseSchedule("50ms partition A,B | C\n80ms heal\n90ms crash D\n120ms restart D\n130ms pause A\n140ms resume A")
	require.NoError(t, err)
	require.NoError(t, s.Apply(sched))
	require.NoError(t, s.Run(300*Millisecond))
	var buf bytes.Buffer
	require.NoError(t, s.WriteTrace(&buf))
	return buf.Bytes()
}

func TestDeterminism(t *testing.T) {
	one, two := runChatter(t, 42), runChatter(t, 42)
	require.Greater(t, len(one), 1000, "trace too short to mean anything")
	require.True(t, bytes.Equal(one, two), "same seed gave different traces (seed 42)")
	other := runChatter(t, 43)
	require.False(t, bytes.Equal(one, other), "seeds 42 and 43 gave the same trace")
	for _, op := range []string{" drop ", "(loss)", "(partition)", " duplicate ", " crash", " restart", " pause", " resume", "set-timer", " timer "} {
		assert.Contains(t, string(one), op, "workload should exercise %q (seed 42)", op)
	}
}

// TestAddingNodeKeepsLinkRandomness checks that per-link streams are
// derived from names: a third, silent node must not change which A->B
// messages are lost.
func TestAddingNodeKeepsLinkRandomness(t *testing.T) {
	run := func(extra bool) string {
		a, b := pingPong(200)
		s := newSim(t, Config{Seed: 7, DefaultLink: Link{Loss: 0.3, Delay: Uniform(Millisecond, 3*Millisecond)}}, NodeID("A"), a, NodeID("B"), b)
		if extra {
			require.NoError(t, s.AddNode("C", NodeFunc(func(*Context, Event) {})))
		}
		require.NoError(t, s.Run(Forever))
		return s.Trace().Filter(func(r Record) bool { return r.From == "A" || r.From == "B" }).String()
	}
	assert.Equal(t, run(false), run(true))
}

// flood sends n messages from A to B at time 0 and records what B got.
type sink struct {
	got   []any
	times []Time
}

func (k *sink) Handle(ctx *Context, ev Event) {
	if ev.Kind == Receive {
		k.got = append(k.got, ev.Msg)
		k.times = append(k.times, ctx.Now())
	}
}

func flood(n int) NodeFunc {
	return func(ctx *Context, ev Event) {
		if ev.Kind == Start {
			for i := range n {
				ctx.Send("B", i)
			}
		}
	}
}

func TestLossRate(t *testing.T) {
	for _, p := range []float64{0, 0.1, 0.5, 0.9, 1} {
		const n = 10000
		k := &sink{}
		s := newSim(t, Config{Seed: 3, DefaultLink: Link{Loss: p}}, NodeID("A"), flood(n), NodeID("B"), k)
		require.NoError(t, s.Run(Forever))
		st := s.Stats()
		got := float64(st.Lost) / n
		// Binomial sd <= 0.005 for n=10k; allow 4 sd.
		assert.InDelta(t, p, got, 0.02, "loss %v: observed %v (seed 3)", p, got)
		assert.Equal(t, uint64(n), st.Lost+st.Delivered)
		assert.Equal(t, len(k.got), int(st.Delivered))
	}
}

func TestDuplicateRate(t *testing.T) {
	const n, p = 10000, 0.2
	k := &sink{}
	s := newSim(t, Config{Seed: 5, DefaultLink: Link{Duplicate: p, Delay: Const(Millisecond)}}, NodeID("A"), flood(n), NodeID("B"), k)
	require.NoError(t, s.Run(Forever))
	st := s.Stats()
	assert.InDelta(t, p, float64(st.Duplicated)/n, 0.02, "seed 5")
	assert.Equal(t, n+int(st.Duplicated), len(k.got))
}

func TestFIFOWithoutReorder(t *testing.T) {
	const n = 2000
	for _, d := range []Delay{Const(Millisecond), Uniform(0, 10*Millisecond), Exponential(5 * Millisecond), Pareto(Millisecond, 1.2)} {
		k := &sink{}
		s := newSim(t, Config{Seed: 9, DefaultLink: Link{Delay: d}}, NodeID("A"), flood(n), NodeID("B"), k)
		require.NoError(t, s.Run(Forever))
		require.Len(t, k.got, n)
		for i, m := range k.got {
			require.Equal(t, i, m, "delay %s: message %d out of order (seed 9)", d, i)
		}
	}
}

func TestReorder(t *testing.T) {
	const n = 2000
	k := &sink{}
	s := newSim(t, Config{Seed: 9, DefaultLink: Link{Reorder: 1, Delay: Uniform(0, 10*Millisecond)}}, NodeID("A"), flood(n), NodeID("B"), k)
	require.NoError(t, s.Run(Forever))
	require.Len(t, k.got, n)
	inversions := 0
	for i := 1; i < n; i++ {
		if k.got[i].(int) < k.got[i-1].(int) {
			inversions++
		}
	}
	// Independent uniform delays: about half of adjacent pairs are inverted.
	assert.Greater(t, inversions, n/4, "seed 9")
	// Delivery times stay sorted (the event loop is in time order).
	for i := 1; i < n; i++ {
		require.LessOrEqual(t, k.times[i-1], k.times[i])
	}
}

func TestDelayDistributions(t *testing.T) {
	const n = 20000
	ms := float64(Millisecond)
	for _, tc := range []struct {
		d        Delay
		mean     float64 // expected mean in ms, NaN to skip
		median   float64 // expected median in ms, NaN to skip
		min, tol float64
	}{
		{Const(3 * Millisecond), 3, 3, 3, 0.001},
		{Uniform(2*Millisecond, 6*Millisecond), 4, 4, 2, 0.1},
		{Normal(10*Millisecond, 2*Millisecond), 10, 10, 0, 0.1},
		{Exponential(5 * Millisecond), 5, 5 * math.Ln2, 0, 0.15},
		{Pareto(Millisecond, 3), 1.5, math.Pow(2, 1.0/3), 1, 0.05},
		{LogNormal(8*Millisecond, 0.5), 8 * math.Exp(0.125), 8, 0, 0.25},
	} {
		require.NoError(t, tc.d.Validate())
		r := newRand(11, "test")
		xs := make([]float64, n)
		sum := 0.0
		for i := range xs {
			x := tc.d.Sample(r)
			require.GreaterOrEqual(t, x, Time(0))
			xs[i] = float64(x) / ms
			sum += xs[i]
			require.GreaterOrEqual(t, xs[i], tc.min-1e-9, "%s", tc.d)
		}
		assert.InDelta(t, tc.mean, sum/n, tc.tol, "%s mean (seed 11)", tc.d)
		below := 0
		for _, x := range xs {
			if x < tc.median {
				below++
			}
		}
		if tc.d.kind != delayConst {
			assert.InDelta(t, 0.5, float64(below)/n, 0.02, "%s median (seed 11)", tc.d)
		}
	}
}

func TestBandwidthQueue(t *testing.T) {
	type big struct{}
	// 10 messages of 1000 bytes sent at once over 1 MB/s: one leaves every
	// 1ms, plus 1ms propagation, so they arrive at 2, 3, ..., 11 ms.
	k := &sink{}
	sender := NodeFunc(func(ctx *Context, ev Event) {
		if ev.Kind == Start {
			for range 10 {
				ctx.Send("B", strings.Repeat("x", 1000))
			}
		}
	})
	s := newSim(t, Config{Seed: 1, DefaultLink: Link{Bandwidth: 1e6, Delay: Const(Millisecond)}}, NodeID("A"), sender, NodeID("B"), k)
	require.NoError(t, s.Run(Forever))
	require.Len(t, k.times, 10)
	for i, at := range k.times {
		assert.Equal(t, Time(i+2)*Millisecond, at)
	}
	// Queue limit 3: the 4th..10th find 3 messages ahead and are dropped.
	k = &sink{}
	s = newSim(t, Config{Seed: 1, DefaultLink: Link{Bandwidth: 1e6, QueueLimit: 3}}, NodeID("A"), sender, NodeID("B"), k)
	require.NoError(t, s.Run(Forever))
	assert.Len(t, k.got, 3)
	assert.Equal(t, uint64(7), s.Stats().QueueFull)
}

func TestTimers(t *testing.T) {
	var fired []string
	n := NodeFunc(func(ctx *Context, ev Event) {
		switch ev.Kind {
		case Start:
			ctx.SetTimer(30*Millisecond, "c")
			ctx.SetTimer(10*Millisecond, "a")
			id := ctx.SetTimer(20*Millisecond, "cancelled")
			ctx.SetTimer(10*Millisecond, "b") // same time as a: set later, fires later
			require.True(t, ctx.CancelTimer(id))
			require.False(t, ctx.CancelTimer(id))
		case Timer:
			fired = append(fired, fmt.Sprintf("%s@%s", ev.Msg, ctx.Now()))
		}
	})
	s := newSim(t, Config{}, NodeID("A"), n)
	require.NoError(t, s.Run(Forever))
	assert.Equal(t, []string{"a@10.000ms", "b@10.000ms", "c@30.000ms"}, fired)
	assert.Equal(t, uint64(3), s.Stats().TimersFired)
	assert.Contains(t, s.Trace().String(), "0.000ms A set-timer t1 \"c\" due 30.000ms\n")
	assert.Contains(t, s.Trace().String(), "0.000ms A cancel-timer t3\n")
}

func TestRunControl(t *testing.T) {
	a, b := pingPong(5)
	s := newSim(t, Config{DefaultLink: Link{Delay: Const(Millisecond)}}, NodeID("A"), a, NodeID("B"), b)
	require.NoError(t, s.Run(3*Millisecond+Microsecond))
	assert.Equal(t, 3*Millisecond+Microsecond, s.Now())
	assert.Equal(t, uint64(3), s.Stats().Delivered)
	ok, err := s.Step()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, 4*Millisecond, s.Now())
	require.NoError(t, s.RunUntil(func() bool { return s.Stats().Delivered == 8 }))
	assert.Equal(t, 8*Millisecond, s.Now())
	err = s.RunUntil(func() bool { return false })
	require.ErrorIs(t, err, ErrIdle)
	assert.Equal(t, uint64(10), s.Stats().Delivered)
	ok, err = s.Step()
	require.NoError(t, err)
	require.False(t, ok)
	require.NoError(t, s.RunFor(5*Millisecond))
	assert.Equal(t, 15*Millisecond, s.Now())
}

func TestBudget(t *testing.T) {
	spin := NodeFunc(func(ctx *Context, ev Event) { ctx.SetTimer(0, nil) })
	s := newSim(t, Config{Seed: 77, MaxEvents: 1000}, NodeID("A"), spin)
	err := s.Run(Second)
	require.ErrorIs(t, err, ErrBudget)
	assert.Contains(t, err.Error(), "seed 77")
	assert.Equal(t, uint64(1000), s.Stats().Events)
	require.ErrorIs(t, s.Run(Second), ErrBudget, "the error sticks")
}

func TestNodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		node NodeFunc
		want string
	}{
		{"unknown destination", func(ctx *Context, ev Event) { ctx.Send("Z", "hi") }, `netsim: node A sent "hi" to unknown node "Z"; nodes are [A] (at 0.000ms, seed 4)`},
		{"negative timer", func(ctx *Context, ev Event) { ctx.SetTimer(-1, nil) }, "netsim: node A set a timer with negative delay -0.000001ms (at 0.000ms, seed 4)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Config{Seed: 4}, NodeID("A"), tc.node)
			err := s.Run(Second)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestBadInput(t *testing.T) {
	nop := NodeFunc(func(*Context, Event) {})
	_, err := New(Config{DefaultLink: Link{Loss: 1.5}})
	assert.EqualError(t, err, "netsim: default link: loss probability 1.5 not in [0,1]")
	s := newSim(t, Config{})
	assert.EqualError(t, s.Run(Second), "netsim: empty network: add nodes with AddNode before running")
	for _, tc := range []struct {
		id   NodeID
		n    Node
		want string
	}{
		{"", nop, "netsim: empty node ID"},
		{"a b", nop, `netsim: node ID "a b" has character ' ': allowed are letters, digits, '_', '.' and '-'`},
		{"*", nop, `netsim: node ID "*" has character '*': allowed are letters, digits, '_', '.' and '-'`},
		{"A", nil, "netsim: node A is nil"},
	} {
		assert.EqualError(t, s.AddNode(tc.id, tc.n), tc.want)
	}
	require.NoError(t, s.AddNode("A", nop))
	assert.EqualError(t, s.AddNode("A", nop), `netsim: duplicate node ID "A"`)
	for _, tc := range []struct {
		l    Link
		want string
	}{
		{Link{Loss: -0.1}, "loss probability -0.1 not in [0,1]"},
		{Link{Loss: math.NaN()}, "loss probability NaN not in [0,1]"},
		{Link{Duplicate: 2}, "duplicate probability 2 not in [0,1]"},
		{Link{Reorder: math.Inf(1)}, "reorder probability +Inf not in [0,1]"},
		{Link{Delay: Const(-Millisecond)}, "delay constant -1ms out of range"},
		{Link{Delay: Uniform(5*Millisecond, Millisecond)}, "uniform delay bounds 5ms > 1ms: want lo <= hi"},
		{Link{Delay: Pareto(Millisecond, 0)}, "pareto alpha 0 not > 0"},
		{Link{Delay: LogNormal(Millisecond, math.NaN())}, "lognormal sigma NaN is not a finite number"},
		{Link{Bandwidth: -1}, "bandwidth -1 bytes/s invalid"},
		{Link{QueueLimit: -1}, "queue limit -1 is negative"},
	} {
		err := s.SetLink("A", "A", tc.l)
		require.Error(t, err, "%+v", tc.l)
		assert.Contains(t, err.Error(), "netsim: "+tc.want)
	}
	assert.EqualError(t, s.SetLink("A", "Q", Link{}), `netsim: unknown node "Q"; nodes are [A]`)
	assert.Error(t, s.At(0).Crash("Q"))
	assert.Error(t, s.At(0).Partition([]NodeID{"A"}, []NodeID{"A"}))
	assert.Error(t, s.At(0).Loss("A", "A", 2))
	assert.Error(t, s.At(0).Do("x", nil))
	require.NoError(t, s.Run(Millisecond))
	assert.EqualError(t, s.At(0).Heal(), "netsim: action at 0.000ms is in the past (now 1.000ms)")
	assert.Error(t, s.RunUntil(nil))
	assert.Error(t, s.RunFor(-1))
}

// TestLinkFastSampling checks that the link's direct-PCG draws give the
// same values as Delay.Sample and Rand.Float64 on the same stream.
func TestLinkFastSampling(t *testing.T) {
	if math.MaxInt == math.MaxInt32 {
		t.Skip("math/rand/v2 uses a 32-bit path on this platform")
	}
	for _, d := range []Delay{Const(5), Uniform(Millisecond, 3*Millisecond), Uniform(0, 1<<40), Uniform(7, 7), Exponential(Millisecond)} {
		ls := &linkState{Link: Link{Delay: d}, pcg: newPCG(1, "x")}
		ls.rng = rand.New(ls.pcg)
		ref := newRand(1, "x")
		for range 1000 {
			require.Equal(t, d.Sample(ref), ls.sample(), "%s", d)
			require.Equal(t, ref.Float64(), ls.float64())
		}
	}
}
