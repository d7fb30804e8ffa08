package netsim

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/internal/probe"
)

// pointerNode is a node implemented on a pointer type.
type pointerNode struct{ n int }

func (p *pointerNode) Handle(*Context, Event) { p.n++ }

// pingForever sends itself a message at every event, with no delay: a
// livelock that only a budget stops.
var pingForever = NodeFunc(func(ctx *Context, ev Event) {
	ctx.Send(ctx.Self(), "ping")
})

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error (prefixed "netsim: ", naming the problem and what is allowed) or
// the correct result. Runs that used to exhaust memory stop because of a
// budget, not a timer.
func TestBadInputsProbe(t *testing.T) {
	nop := NodeFunc(func(*Context, Event) {})
	probe.Run(t, "netsim", []probe.Case{
		{"AddNode nil NodeFunc", func() error {
			s := newSim(t, Config{})
			return s.AddNode("A", NodeFunc(nil))
		}, "node A is a nil netsim.NodeFunc"},
		{"AddNode typed nil pointer", func() error {
			s := newSim(t, Config{})
			var p *pointerNode
			return s.AddNode("A", p)
		}, "node A is a nil *netsim.pointerNode"},
		{"AddNode on a zero Sim", func() error { var s Sim; return s.AddNode("A", nop) }, "zero or nil Sim: create one with New"},
		{"AddNode on a nil Sim", func() error { var s *Sim; return s.AddNode("A", nop) }, "zero or nil Sim"},
		{"Run on a zero Sim", func() error { var s Sim; return s.Run(Second) }, "zero or nil Sim"},
		{"RunUntil on a zero Sim", func() error { var s Sim; return s.RunUntil(func() bool { return true }) }, "zero or nil Sim"},
		{"Step on a zero Sim", func() error { var s Sim; _, err := s.Step(); return err }, "zero or nil Sim"},
		{"SetLink on a zero Sim", func() error { var s Sim; return s.SetLink(Any, Any, Link{}) }, "zero or nil Sim"},
		{"Link on a zero Sim", func() error { var s Sim; _, err := s.Link("A", "B"); return err }, "zero or nil Sim"},
		{"schedule on a zero Sim", func() error { var s Sim; return s.At(0).Heal() }, "zero or nil Sim"},
		{"Apply on a zero Sim", func() error { var s Sim; return s.Apply(nil) }, "zero or nil Sim"},
		{"WriteTrace on a zero Sim", func() error { var s Sim; return s.WriteTrace(&strings.Builder{}) }, "zero or nil Sim"},
		{"Run to a time before Now", func() error {
			s := newSim(t, Config{}, NodeID("A"), nop)
			require.NoError(t, s.Run(10*Millisecond))
			return s.Run(5 * Millisecond)
		}, "Run(5.000ms): that time is before Now() = 10.000ms"},
		{"Run to Now again is fine", func() error {
			s := newSim(t, Config{}, NodeID("A"), nop)
			require.NoError(t, s.Run(10*Millisecond))
			return s.Run(10 * Millisecond)
		}, ""},
		{"a node that panics", func() error {
			s := newSim(t, Config{Seed: 42, DefaultLink: Link{Delay: Const(Millisecond)}},
				NodeID("A"), NodeFunc(func(ctx *Context, ev Event) {
					if ev.Kind == Start {
						ctx.Send("B", "boom")
					}
				}),
				NodeID("B"), NodeFunc(func(ctx *Context, ev Event) {
					if ev.Kind == Receive {
						var m map[string]int
						m["x"] = 1
					}
				}))
			err := s.Run(Second)
			assert.ErrorContains(t, s.Run(2*Second), "panicked", "the Sim keeps its error")
			return err
		}, "node B panicked handling its receive event: assignment to entry in nil map (at 1.000ms, seed 42)"},
		{"a Fresh factory that panics", func() error {
			s := newSim(t, Config{Seed: 3}, NodeID("A"), Fresh(func() Node { panic("no disk") }))
			return s.Run(Second)
		}, "node A panicked handling its start event: no disk (at 0.000ms, seed 3)"},
		{"Fresh(nil)", func() error {
			s := newSim(t, Config{}, NodeID("A"), Fresh(nil))
			return s.Run(Second)
		}, "Fresh(nil): no factory"},
		{"a Fresh factory that returns a typed nil", func() error {
			s := newSim(t, Config{}, NodeID("A"), Fresh(func() Node { return (*pointerNode)(nil) }))
			return s.Run(Second)
		}, "Fresh factory returned nil"},
		{"a scheduled Do that panics", func() error {
			s := newSim(t, Config{Seed: 5}, NodeID("A"), nop)
			require.NoError(t, s.At(Millisecond).Do("oops", func() { panic("bad") }))
			return s.Run(Second)
		}, `scheduled Do("oops") panicked: bad (at 1.000ms, seed 5)`},
		{"a RunUntil condition that panics", func() error {
			s := newSim(t, Config{}, NodeID("A"), nop)
			return s.RunUntil(func() bool { panic("cond") })
		}, "RunUntil condition panicked: cond"},
		{"tracing a livelock hits the trace budget first", func() error {
			s := newSim(t, Config{Seed: 9}, NodeID("A"), pingForever)
			err := s.Run(Forever)
			if assert.True(t, errors.Is(err, ErrBudget), "%v", err) {
				assert.Len(t, s.Trace(), DefaultMaxTrace)
				assert.Less(t, s.Stats().Events, uint64(DefaultMaxEvents), "long before the event budget")
			}
			return err
		}, "the trace reached 1000000 records (Config.MaxTrace)"},
		{"a smaller trace budget", func() error {
			s := newSim(t, Config{MaxTrace: 100}, NodeID("A"), pingForever)
			err := s.Run(Forever)
			assert.Len(t, s.Trace(), 100)
			return err
		}, "the trace reached 100 records"},
		{"no trace budget with NoTrace", func() error {
			s := newSim(t, Config{MaxTrace: 10, MaxEvents: 1000, NoTrace: true}, NodeID("A"), pingForever)
			return s.Run(Forever)
		}, "1000 events processed"},
		{"Trace.WriteTo(nil)", func() error { _, err := Trace{{Op: OpStart, Node: "A"}}.WriteTo(nil); return err }, "Trace.WriteTo: nil writer"},
		{"WriteTrace(nil)", func() error {
			s := newSim(t, Config{}, NodeID("A"), nop)
			require.NoError(t, s.Run(0))
			return s.WriteTrace(nil)
		}, "nil writer"},
		{"AppendHistory(nil builder)", func() error {
			_, err := Trace{}.AppendHistory(nil, nil, HistoryOptions{Lanes: []Lane{{Node: "A"}}})
			return err
		}, "needs a history.Builder"},
		{"WriteShiViz(nil)", func() error { return Trace{}.WriteShiViz(nil) }, "WriteShiViz: nil writer"},
	})
}

func TestNilCallbacksAndSources(t *testing.T) {
	for _, tc := range []struct {
		d    Delay
		want Time
	}{
		{Const(3 * Millisecond), 3 * Millisecond},
		{Uniform(Millisecond, 3*Millisecond), 2 * Millisecond},
		{Normal(10*Millisecond, Millisecond), 10 * Millisecond},
		{Exponential(5 * Millisecond), 5 * Millisecond},
		{Pareto(Millisecond, 1.5), Millisecond},
		{LogNormal(7*Millisecond, 0.5), 7 * Millisecond},
		{Const(-1), 0},
		{Delay{kind: 99}, 0},
	} {
		assert.Equal(t, tc.want, tc.d.Sample(nil), "%s", tc.d)
	}
	tr := Trace{{Op: OpStart, Node: "A"}}
	assert.Empty(t, tr.Filter(nil))
}

// FuzzParseTime: ParseTime accepts what it documents, rejects the rest
// with a prefixed error, and reads back formatDur's output exactly.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"10ms", "1.5s", "250us", "0", "-1ms", "9223372036854775807ns", "1e3s", "", "ms", "2562047h47m16.854775807s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTime(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "netsim: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if v < 0 {
			t.Fatalf("ParseTime(%q) = %d, negative", s, v)
		}
		back, err := ParseTime(formatDur(v))
		if err != nil || back != v {
			t.Fatalf("round trip of %q (%d) gave %d, %v", s, v, back, err)
		}
	})
}

// FuzzParseDelay: any text gives a prefixed error or a valid delay that
// prints back to itself and samples within range, with or without a
// random source.
func FuzzParseDelay(f *testing.F) {
	for _, s := range []string{"5ms", "const(1ms)", "uniform(1ms,5ms)", "normal(10ms, 2ms)", "exp(5ms)", "pareto(1ms,1.5)",
		"lognormal(10ms,0.5)", "uniform(5ms,1ms)", "pareto(1ms,0)", "exp(", "lognormal(1ms,NaN)", "(", ")", "x(1ms)"} {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		d, err := ParseDelay(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "netsim: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDelay(%q) returned an invalid delay: %v", s, err)
		}
		back, err := ParseDelay(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip of %q: %s gave %v, %v", s, d, back, err)
		}
		r := newRand(seed, "fuzz")
		for _, v := range []Time{d.Sample(r), d.Sample(r), d.Sample(nil)} {
			if v < 0 || v > maxDelay {
				t.Fatalf("%s sampled %d", d, v)
			}
		}
	})
}

// FuzzSim drives a small network whose nodes do what the fuzzer says:
// send to known and unknown nodes, set timers (some negative), panic,
// log; and whose schedule crashes, pauses and partitions them. Every run
// ends with nil or a prefixed error, never a crash or a hang.
func FuzzSim(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, uint64(1), int64(Second), false)
	f.Add([]byte{7, 7, 7, 7}, uint64(2), int64(-1), true)
	f.Add([]byte{3, 200, 5, 9, 1, 1, 1, 1, 250}, uint64(3), int64(Forever), false)
	f.Fuzz(func(t *testing.T, prog []byte, seed uint64, until int64, noTrace bool) {
		if len(prog) == 0 {
			return
		}
		s, err := New(Config{Seed: seed, MaxEvents: 20_000, MaxTrace: 5_000, NoTrace: noTrace,
			DefaultLink: Link{Delay: Uniform(0, 2*Millisecond), Loss: 0.1, Duplicate: 0.1, Reorder: 0.2}})
		if err != nil {
			t.Fatal(err)
		}
		ids := []NodeID{"A", "B", "C"}
		for k, id := range ids {
			pc := k
			err := s.AddNode(id, NodeFunc(func(ctx *Context, ev Event) {
				op := prog[pc%len(prog)]
				pc++
				switch op % 8 {
				case 0, 1:
					ctx.Send(ids[int(op/8)%3], int(op))
				case 2:
					ctx.Broadcast(op)
				case 3:
					ctx.SetTimer(Time(op)*Microsecond, op)
				case 4:
					if op > 200 {
						ctx.SetTimer(-1, nil)
					}
				case 5:
					if op > 240 {
						ctx.Send("nobody", op)
					}
				case 6:
					if op > 250 {
						panic(op)
					}
				case 7:
					ctx.Logf("op %d", op)
				}
			}))
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, op := range prog {
			at := Time(i) * Millisecond
			id := ids[int(op)%3]
			switch op % 5 {
			case 0:
				_ = s.At(at).Crash(id)
			case 1:
				_ = s.At(at).Restart(id)
			case 2:
				_ = s.At(at).Pause(id)
			case 3:
				_ = s.At(at).Resume(id)
			case 4:
				_ = s.At(at).Partition([]NodeID{id})
			}
		}
		for _, u := range []Time{Time(until), Time(until) / 2, Forever} {
			err := s.Run(u)
			if err != nil && !strings.HasPrefix(err.Error(), "netsim: ") {
				t.Fatalf("error without prefix: %v", err)
			}
		}
		_ = s.Trace().String()
	})
}
