package vclock

import (
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syllabusExample is the E1–E6 execution of the course notes.
func syllabusExample(t testing.TB) *history.History {
	b := history.NewBuilder("A", "B", "C", "D")
	m1 := b.Send("A", "C", "E1")
	b.Receive(m1, "E2")
	m2 := b.Send("C", "A", "E3")
	b.Receive(m2, "E4")
	m3 := b.Send("B", "D", "E5")
	b.Receive(m3, "E6")
	h, err := b.Build()
	require.NoError(t, err)
	return h
}

func TestReplaySyllabusExample(t *testing.T) {
	run, err := Replay(syllabusExample(t))
	require.NoError(t, err)
	// Worked out by hand from the rules.
	want := map[string]VC{
		"E1": {1, 0, 0, 0}, "E2": {1, 0, 1, 0}, "E3": {1, 0, 2, 0},
		"E4": {2, 0, 2, 0}, "E5": {0, 1, 0, 0}, "E6": {0, 1, 0, 1},
	}
	for label, w := range want {
		got, err := run.Stamp(label)
		require.NoError(t, err)
		assert.Equal(t, w, got, label)
	}
	e4, _ := run.History.EventByLabel("E4")
	e6, _ := run.History.EventByLabel("E6")
	assert.Equal(t, Concurrent, run.Compare(e4, e6))
	assert.Equal(t, Concurrent, run.Compare(e6, e4))
	assert.Equal(t, "[A(2), B(0), C(2), D(0)]", run.Label(e4))
	assert.Empty(t, run.Disagreements())
	_, err = run.Stamp("E9")
	assert.Error(t, err)
	header, rows := run.Table()
	assert.Equal(t, []string{"event", "what happens", "VC"}, header)
	require.Len(t, rows, 6)
	assert.Equal(t, []string{"E6", "D receives m2 from B", "[A(0), B(1), C(0), D(1)]"}, rows[5])
}

func randomHistories(t *testing.T, count, events int) []*history.History {
	var out []*history.History
	for seed := uint64(1); seed <= uint64(count); seed++ {
		cfg := history.RandomConfig{
			Nodes:    1 + int(seed%7),
			Events:   events,
			SendProb: []float64{0, 0.2, 0.5, 0.9}[seed%4],
			Seed:     seed,
		}
		h, err := history.Random(cfg)
		require.NoError(t, err, "seed %d", seed)
		out = append(out, h)
	}
	return out
}

// VC(a) < VC(b) ⇔ a → b, and the other outcomes match too, for every pair
// of events of many random executions; the oracle is reachability in the
// event graph (history.HappensBefore).
func TestVectorOrderIsHappensBefore(t *testing.T) {
	for seed, h := range randomHistories(t, 60, 120) {
		run, err := Replay(h)
		require.NoError(t, err)
		for a := range h.Events {
			for b := range h.Events {
				hb, less := h.HappensBefore(a, b), run.Less(a, b)
				if hb != less {
					t.Fatalf("seed %d: events %s, %s: a→b is %v but VC(a)<VC(b) is %v (%v vs %v)",
						seed+1, h.Name(a), h.Name(b), hb, less, run.Stamps[a], run.Stamps[b])
				}
				if want, got := OrderOf(h.Relate(a, b)), run.Compare(a, b); want != got {
					t.Fatalf("seed %d: %s vs %s: want %v, clocks say %v", seed+1, h.Name(a), h.Name(b), want, got)
				}
			}
		}
		require.Empty(t, run.Disagreements(), "seed %d", seed+1)
		require.Equal(t, h.ConcurrentPairs(), run.ConcurrentPairs(), "seed %d", seed+1)
	}
}

// VC(a) < VC(b) and VC(b) < VC(c) ⇒ a → c; the vector order is a strict
// partial order.
func TestVectorOrderIsTransitive(t *testing.T) {
	for seed, h := range randomHistories(t, 20, 60) {
		run, err := Replay(h)
		require.NoError(t, err)
		n := len(h.Events)
		for a := range n {
			for b := range n {
				if !run.Less(a, b) {
					continue
				}
				for c := range n {
					if run.Less(b, c) {
						require.True(t, h.HappensBefore(a, c), "seed %d: VC(%s)<VC(%s)<VC(%s) but not %s→%s",
							seed+1, h.Name(a), h.Name(b), h.Name(c), h.Name(a), h.Name(c))
					}
				}
			}
		}
		rep, err := history.CheckOrder(n, run.Less)
		require.NoError(t, err)
		require.True(t, rep.StrictPartialOrder(), "seed %d:\n%v", seed+1, rep)
	}
}

// VC(a) < VC(b) ⇒ RT(a) < RT(b), with the history's order (the order in
// which the events really happened) as real time.
func TestVectorOrderRespectsRealTime(t *testing.T) {
	for seed, h := range randomHistories(t, 30, 150) {
		run, err := Replay(h)
		require.NoError(t, err)
		for a := range h.Events {
			for b := range h.Events {
				if run.Less(a, b) {
					require.Less(t, a, b, "seed %d: VC(%s) < VC(%s) but it happened later", seed+1, h.Name(a), h.Name(b))
				}
			}
		}
	}
}

// The check is able to fail: a receive rule that merges without counting
// the receipt as an event gives receive events the same vector as their
// send, and the oracle notices.
func TestMergeOnlyRuleIsCaught(t *testing.T) {
	mergeOnly := func(own, msg VC, self int) VC { return Merge(own, msg) }
	run, err := ReplayWith(syllabusExample(t), mergeOnly)
	require.NoError(t, err)
	d := run.Disagreements()
	require.NotEmpty(t, d)
	assert.Equal(t, Disagreement{A: 0, B: 1, Clock: Equal, Truth: history.HappenedBefore}, d[0])
	assert.Equal(t, "events 0 and 1: clocks say Equal, history says happened before", d[0].String())

	maxOnly := func(own, msg VC, self int) VC { own[self]++; return own } // ignores the message
	run, err = ReplayWith(syllabusExample(t), maxOnly)
	require.NoError(t, err)
	assert.NotEmpty(t, run.Disagreements())
}

// Every entry is needed: drop entry k and some pair of concurrent events
// looks ordered. (Charron-Bost 1991 proves the stronger statement that no
// n−1 dimensional scheme works for all executions.)
func TestDroppingAnEntryLosesCausality(t *testing.T) {
	for n := 2; n <= 6; n++ {
		names := make([]string, n)
		for i := range names {
			names[i] = string(rune('A' + i))
		}
		b := history.NewBuilder(names...)
		for _, nm := range names {
			b.Local(nm, "")
		}
		h, err := b.Build()
		require.NoError(t, err)
		run, err := Replay(h)
		require.NoError(t, err)
		for k := range n {
			drop := func(v VC) VC { return append(v[:k:k], v[k+1:]...) }
			found := false
			for a := range h.Events {
				for c := range h.Events {
					if a != c && h.Relate(a, c) == history.Concurrent && Compare(drop(run.Stamps[a]), drop(run.Stamps[c])) != Concurrent {
						found = true
					}
				}
			}
			assert.True(t, found, "n=%d: dropping entry %d kept every concurrent pair concurrent", n, k)
		}
	}
}

func TestReplayValidates(t *testing.T) {
	_, err := Replay(nil)
	assert.ErrorContains(t, err, "vclock: nil history")
	_, err = ReplayWith(syllabusExample(t), nil)
	assert.Error(t, err)
	short := func(own, msg VC, self int) VC { return own[:1] }
	_, err = ReplayWith(syllabusExample(t), short)
	assert.ErrorContains(t, err, "returned 1 entries")
}
