package history

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func twoNodes(t *testing.T) *History {
	t.Helper()
	b := NewBuilder("A", "B")
	m := b.Send("A", "B", "s")
	b.Local("A", "x")
	b.Receive(m, "r")
	b.Local("B", "y")
	h, err := b.Build()
	require.NoError(t, err)
	return h
}

func TestHappensBeforeTable(t *testing.T) {
	h := twoNodes(t)
	idx := func(l string) int { e, err := h.EventByLabel(l); require.NoError(t, err); return e }
	cases := []struct {
		a, b string
		want Relation
	}{
		{"s", "x", HappenedBefore}, // same node, program order
		{"s", "r", HappenedBefore}, // send before its receive
		{"s", "y", HappenedBefore}, // transitivity
		{"x", "r", Concurrent},
		{"x", "y", Concurrent},
		{"y", "s", HappenedAfter},
		{"r", "r", Same},
	}
	for _, c := range cases {
		t.Run(c.a+"_"+c.b, func(t *testing.T) {
			assert.Equal(t, c.want, h.Relate(idx(c.a), idx(c.b)))
		})
	}
	assert.False(t, h.HappensBefore(-1, 0))
	assert.False(t, h.HappensBefore(0, 99))
}

func TestBuilderErrors(t *testing.T) {
	cases := map[string]func() error{
		"no nodes":       func() error { _, err := NewBuilder().Build(); return err },
		"empty name":     func() error { _, err := NewBuilder("A", " ").Build(); return err },
		"duplicate node": func() error { _, err := NewBuilder("A", "A").Build(); return err },
		"unknown node": func() error {
			b := NewBuilder("A")
			b.Local("Z", "")
			_, err := b.Build()
			return err
		},
		"unknown message": func() error {
			b := NewBuilder("A")
			b.Receive(3, "")
			_, err := b.Build()
			return err
		},
		"received twice": func() error {
			b := NewBuilder("A", "B")
			m := b.Send("A", "B", "")
			b.Receive(m, "").Receive(m, "")
			_, err := b.Build()
			return err
		},
		"duplicate label": func() error {
			b := NewBuilder("A")
			b.Local("A", "x").Local("A", "x")
			_, err := b.Build()
			return err
		},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			err := f()
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "history: "), err.Error())
		})
	}
}

// bruteHB computes happens-before from the definition by a fixpoint over
// the three rules, independently of closure().
func bruteHB(h *History) [][]bool {
	n := len(h.Events)
	r := make([][]bool, n)
	for i := range r {
		r[i] = make([]bool, n)
	}
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			if h.Events[a].Node == h.Events[b].Node {
				r[a][b] = true
			}
		}
	}
	for _, m := range h.Messages {
		if m.Receive >= 0 {
			r[m.Send][m.Receive] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for a := 0; a < n; a++ {
			for b := 0; b < n; b++ {
				if !r[a][b] {
					continue
				}
				for c := 0; c < n; c++ {
					if r[b][c] && !r[a][c] {
						r[a][c] = true
						changed = true
					}
				}
			}
		}
	}
	return r
}

func TestHappensBeforeMatchesFixpoint(t *testing.T) {
	for seed := uint64(0); seed < 60; seed++ {
		h, err := Random(RandomConfig{Nodes: 1 + int(seed%5), Events: 40, SendProb: 0.5, Seed: seed})
		require.NoError(t, err)
		want := bruteHB(h)
		for a := range h.Events {
			for b := range h.Events {
				if h.HappensBefore(a, b) != want[a][b] {
					t.Fatalf("seed %d: HappensBefore(%s,%s) = %v, fixpoint says %v", seed, h.Name(a), h.Name(b), !want[a][b], want[a][b])
				}
			}
		}
	}
}

func TestHappensBeforeIsStrictPartialOrderButNotTotal(t *testing.T) {
	h, err := Random(RandomConfig{Nodes: 4, Events: 40, SendProb: 0.4, Seed: 3})
	require.NoError(t, err)
	r, err := h.CheckHappensBefore()
	require.NoError(t, err)
	assert.True(t, r.StrictPartialOrder(), r.String())
	assert.False(t, r.Holds(Total), "four nodes and 40 events should have concurrent events")
	assert.Regexp(t, `total +no: \S+ and \S+ are not comparable`, r.String())
	assert.NotEmpty(t, h.ConcurrentPairs())
}

func TestCheckOrderFindsEachViolation(t *testing.T) {
	cases := []struct {
		name string
		less func(a, b int) bool
		fail Property
	}{
		{"reflexive", func(a, b int) bool { return a <= b }, Irreflexive},
		{"not transitive", func(a, b int) bool { return b == a+1 }, Transitive},
		{"symmetric", func(a, b int) bool { return a != b }, Antisymmetric},
		{"partial", func(a, b int) bool { return a < b && a%2 == b%2 }, Total},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := CheckOrder(5, c.less)
			require.NoError(t, err)
			f := r.Findings[int(c.fail)]
			require.Equal(t, c.fail, f.Property)
			assert.False(t, f.Holds)
			assert.NotEmpty(t, f.Witness)
		})
	}
	r, err := CheckOrder(6, func(a, b int) bool { return a < b })
	require.NoError(t, err)
	assert.True(t, r.StrictTotalOrder())
	_, err = CheckOrder(-1, func(a, b int) bool { return false })
	assert.Error(t, err)
	_, err = CheckOrder(3, nil)
	assert.Error(t, err)
}

func TestRandomIsDeterministicAndValid(t *testing.T) {
	cfg := RandomConfig{Nodes: 5, Events: 200, SendProb: 0.4, Seed: 42}
	h1, err := Random(cfg)
	require.NoError(t, err)
	h2, err := Random(cfg)
	require.NoError(t, err)
	assert.Equal(t, h1.String(), h2.String())
	require.NoError(t, h1.validate())
	cfg.Seed = 43
	h3, err := Random(cfg)
	require.NoError(t, err)
	assert.NotEqual(t, h1.String(), h3.String())
	assert.Len(t, h1.Events, 200)
}

func TestRandomRejectsBadConfig(t *testing.T) {
	for _, cfg := range []RandomConfig{
		{Nodes: 0, Events: 3},
		{Nodes: 27, Events: 3},
		{Nodes: 2, Events: -1},
		{Nodes: 2, Events: 3, SendProb: 1.5},
		{Nodes: 2, Events: 3, SendProb: -0.1},
	} {
		_, err := Random(cfg)
		assert.Error(t, err, fmt.Sprintf("%+v", cfg))
	}
}

func FuzzRandom(f *testing.F) {
	f.Add(4, 30, 0.5, uint64(1))
	f.Add(1, 0, 0.0, uint64(0))
	f.Add(26, 100, 1.0, uint64(9))
	f.Fuzz(func(t *testing.T, nodes, events int, p float64, seed uint64) {
		if events > 300 {
			events %= 300
		}
		h, err := Random(RandomConfig{Nodes: nodes, Events: events, SendProb: p, Seed: seed})
		if err != nil {
			return
		}
		if err := h.validate(); err != nil {
			t.Fatalf("seed %d: invalid history: %v", seed, err)
		}
		for _, m := range h.Messages {
			if m.Receive >= 0 && !h.HappensBefore(m.Send, m.Receive) {
				t.Fatalf("seed %d: send does not happen before its receive", seed)
			}
		}
	})
}

func BenchmarkHappensBefore(b *testing.B) {
	h, err := Random(RandomConfig{Nodes: 8, Events: 1000, SendProb: 0.4, Seed: 1})
	require.NoError(b, err)
	for b.Loop() {
		h.hb = nil
		h.HappensBefore(0, 999)
	}
}

func ExampleHistory_Relate() {
	b := NewBuilder("A", "B")
	m := b.Send("A", "B", "E1")
	b.Local("A", "E2")
	b.Receive(m, "E3")
	h, _ := b.Build()
	fmt.Println(h.Relate(0, 2)) // E1, E3
	fmt.Println(h.Relate(1, 2)) // E2, E3
	// Output:
	// happened before
	// concurrent
}

func TestEvenlySpaced(t *testing.T) {
	b := NewBuilder("A", "B")
	m := b.Send("A", "B", "s")
	b.At(2.5)
	b.Local("A", "x").At(2.5)
	b.Receive(m, "r").At(7)
	b.Local("B", "y").At(7)
	b.Local("A", "z").At(30)
	h, err := b.Build()
	require.NoError(t, err)
	s := h.EvenlySpaced()
	var got, orig []float64
	for i := range s.Events {
		got, orig = append(got, s.Events[i].Time), append(orig, h.Events[i].Time)
	}
	assert.Equal(t, []float64{1, 1, 2, 2, 3}, got)
	assert.Equal(t, []float64{2.5, 2.5, 7, 7, 30}, orig, "h itself is unchanged")
	assert.Equal(t, h.Messages, s.Messages)
	assert.True(t, s.HappensBefore(0, 2), "the copy is a history of its own")
}
