package netsim

import (
	"testing"
)

// Workloads shared by the benchmarks and bench/netsim (the SimPy
// comparison runs the same two workloads).

// PingPong: two nodes bounce one message forever over links with a
// uniform 1-3ms delay. Every event is a delivery.
func benchPingPong(b *testing.B, noTrace bool) {
	s, err := New(Config{Seed: 1, NoTrace: noTrace, MaxEvents: -1, MaxTrace: -1,
		DefaultLink: Link{Delay: Uniform(Millisecond, 3*Millisecond)}})
	if err != nil {
		b.Fatal(err)
	}
	echo := NodeFunc(func(ctx *Context, ev Event) {
		if ev.Kind == Receive {
			ctx.Send(ev.From, ev.Msg)
		}
	})
	start := NodeFunc(func(ctx *Context, ev Event) {
		switch ev.Kind {
		case Start:
			ctx.Send("B", "ping")
		case Receive:
			ctx.Send(ev.From, ev.Msg)
		}
	})
	_ = s.AddNode("A", start)
	_ = s.AddNode("B", echo)
	runBench(b, s)
}

func BenchmarkPingPong(b *testing.B)      { benchPingPong(b, true) }
func BenchmarkPingPongTrace(b *testing.B) { benchPingPong(b, false) }

// AllToAll: 16 nodes; every node broadcasts to the 15 others every 1ms
// (a timer), over links with a uniform 1-3ms delay. Events are timer
// firings and deliveries (16 + 240 per millisecond).
func BenchmarkAllToAll(b *testing.B) {
	s, err := New(Config{Seed: 1, NoTrace: true, MaxEvents: -1,
		DefaultLink: Link{Delay: Uniform(Millisecond, 3*Millisecond)}})
	if err != nil {
		b.Fatal(err)
	}
	bcast := NodeFunc(func(ctx *Context, ev Event) {
		switch ev.Kind {
		case Start, Timer:
			ctx.Broadcast("x")
			ctx.SetTimer(Millisecond, nil)
		}
	})
	for _, id := range []NodeID{"n01", "n02", "n03", "n04", "n05", "n06", "n07", "n08",
		"n09", "n10", "n11", "n12", "n13", "n14", "n15", "n16"} {
		_ = s.AddNode(id, bcast)
	}
	runBench(b, s)
}

// runBench processes b.N events and reports events per wall-clock
// second ("events/s") and per CPU second of the process ("events/cpu-s",
// steadier when other processes compete for the CPU).
func runBench(b *testing.B, s *Sim) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		if _, err := s.Step(); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	}
}

func TestSendDeliverDoNotAllocate(t *testing.T) {
	s := newSim(t, Config{Seed: 1, NoTrace: true, MaxEvents: -1,
		DefaultLink: Link{Loss: 0.01, Reorder: 0.1, Duplicate: 0.01, Delay: Exponential(Millisecond)}})
	echo := NodeFunc(func(ctx *Context, ev Event) {
		if ev.Kind == Start || ev.Kind == Receive {
			ctx.Send(ctx.Peers()[0], "ping")
		}
	})
	require := func(ok bool) {
		t.Helper()
		if !ok {
			t.Fatal("step failed")
		}
	}
	require(s.AddNode("A", echo) == nil)
	require(s.AddNode("B", echo) == nil)
	for range 1000 { // warm up: grow the heap
		_, err := s.Step()
		require(err == nil)
	}
	allocs := testing.AllocsPerRun(1000, func() { _, _ = s.Step() })
	if allocs != 0 {
		t.Errorf("%v allocations per event, want 0", allocs)
	}
}
