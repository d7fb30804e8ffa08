package lamport

import (
	"fmt"
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClockRules(t *testing.T) {
	cases := []struct {
		name string
		ops  func(c *Clock) Timestamp
		want Timestamp
	}{
		{"zero value", func(c *Clock) Timestamp { return c.Now() }, 0},
		{"local increments", func(c *Clock) Timestamp { c.Local(); return c.Local() }, 2},
		{"send increments", func(c *Clock) Timestamp { return c.Send() }, 1},
		{"receive of larger stamp", func(c *Clock) Timestamp { c.Local(); return c.Receive(7) }, 8},
		{"receive of smaller stamp", func(c *Clock) Timestamp { c.Local(); c.Local(); c.Local(); return c.Receive(1) }, 4},
		{"receive of equal stamp", func(c *Clock) Timestamp { c.Local(); return c.Receive(1) }, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c Clock
			assert.Equal(t, tc.want, tc.ops(&c))
		})
	}
}

func TestReplayErrors(t *testing.T) {
	_, err := Replay(nil)
	assert.EqualError(t, err, "lamport: nil history")
	h, err := history.NewBuilder("A").Local("A", "").Build()
	require.NoError(t, err)
	_, err = ReplayWith(h, nil)
	assert.EqualError(t, err, "lamport: nil receive rule")
}

// The clock condition: a -> b implies LT(a) < LT(b), on many random
// executions, with happens-before computed from the event graph.
func TestClockConditionOnRandomHistories(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		h, err := history.Random(history.RandomConfig{Nodes: 2 + int(seed%5), Events: 60, SendProb: 0.45, Seed: seed})
		require.NoError(t, err)
		r, err := Replay(h)
		require.NoError(t, err)
		if v := r.ClockConditionViolations(); len(v) > 0 {
			t.Fatalf("seed %d: clock condition fails for %s -> %s", seed, h.Name(v[0][0]), h.Name(v[0][1]))
		}
		// Lamport's total order extends happens-before and is a strict total order.
		rep, err := history.CheckOrder(len(h.Events), r.TotalLess)
		require.NoError(t, err)
		require.True(t, rep.StrictTotalOrder(), "seed %d:\n%s", seed, rep)
		for a := range h.Events {
			for b := range h.Events {
				if h.HappensBefore(a, b) && !r.TotalLess(a, b) {
					t.Fatalf("seed %d: total order disagrees with happens-before", seed)
				}
			}
		}
	}
}

// The converse fails: in almost every random execution with several nodes
// some concurrent pair has LT(a) < LT(b).
func TestConverseFails(t *testing.T) {
	found := 0
	for seed := uint64(0); seed < 50; seed++ {
		h, err := history.Random(history.RandomConfig{Nodes: 4, Events: 30, SendProb: 0.4, Seed: seed})
		require.NoError(t, err)
		r, err := Replay(h)
		require.NoError(t, err)
		for _, p := range r.Misleading() {
			require.Equal(t, history.Concurrent, h.Relate(p[0], p[1]))
			require.Less(t, r.Stamps[p[0]], r.Stamps[p[1]])
		}
		if len(r.Misleading()) > 0 {
			found++
		}
	}
	assert.Equal(t, 50, found)
}

// A wrong receive rule (ignoring the message's stamp) breaks the clock
// condition, so the test above could fail.
func TestWrongRuleIsCaught(t *testing.T) {
	b := history.NewBuilder("A", "B")
	b.Local("A", "").Local("A", "")
	m := b.Send("A", "B", "")
	b.Receive(m, "")
	h, err := b.Build()
	require.NoError(t, err)
	r, err := ReplayWith(h, func(own, msg Timestamp) Timestamp { return own + 1 })
	require.NoError(t, err)
	assert.NotEmpty(t, r.ClockConditionViolations())
}

func BenchmarkReplay(b *testing.B) {
	h, err := history.Random(history.RandomConfig{Nodes: 8, Events: 1000, SendProb: 0.4, Seed: 1})
	require.NoError(b, err)
	for b.Loop() {
		if _, err := Replay(h); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleClock() {
	var a, b Clock
	a.Local()            // A: 1
	ts := a.Send()       // A: 2, the message carries 2
	b.Local()            // B: 1
	got := b.Receive(ts) // B: max(1, 2) + 1 = 3
	fmt.Println(ts, got)
	// Output: 2 3
}

func ExampleReplay() {
	b := history.NewBuilder("A", "B")
	m := b.Send("A", "B", "E1")
	b.Receive(m, "E2")
	h, _ := b.Build()
	r, _ := Replay(h)
	fmt.Println(r.State(-1))
	fmt.Println(r.State(0))
	fmt.Println(r.State(1))
	// Output:
	// [A(0), B(0)]
	// [A(1), B(0)]
	// [A(1), B(2)]
}
