package vectorclocks

import (
	"testing"
	"time"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/vclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The E1–E6 table, worked out by hand from the rules.
func TestSyllabusTable(t *testing.T) {
	c, err := CompareSyllabus()
	require.NoError(t, err)
	header, rows := c.Table()
	assert.Equal(t, []string{"event", "what happens", "LT", "VC"}, header)
	want := [][]string{
		{"E1", "A sends m0 to C", "1", "[A(1), B(0), C(0), D(0)]"},
		{"E2", "C receives m0 from A", "2", "[A(1), B(0), C(1), D(0)]"},
		{"E3", "C sends m1 to A", "3", "[A(1), B(0), C(2), D(0)]"},
		{"E4", "A receives m1 from C", "4", "[A(2), B(0), C(2), D(0)]"},
		{"E5", "B sends m2 to D", "1", "[A(0), B(1), C(0), D(0)]"},
		{"E6", "D receives m2 from B", "2", "[A(0), B(1), C(0), D(1)]"},
	}
	assert.Equal(t, want, rows)
}

// Lamport says LT(E6) < LT(E4) but cannot say they are concurrent; vector
// clocks say Concurrent, which is the truth.
func TestE4E6(t *testing.T) {
	c, err := CompareSyllabus()
	require.NoError(t, err)
	p, err := c.Pair("E4", "E6")
	require.NoError(t, err)
	assert.Equal(t, 4, int(p.LTA))
	assert.Equal(t, 2, int(p.LTB))
	assert.Equal(t, vclock.Concurrent, p.Vector)
	assert.Equal(t, history.Concurrent, p.Truth)
	assert.Equal(t, "LT(E4) = 4, LT(E6) = 2; VC(E4) = [2,0,2,0], VC(E6) = [0,1,0,1]: Concurrent; happens-before: concurrent", p.String())
	p, err = c.Pair("E1", "E4")
	require.NoError(t, err)
	assert.Equal(t, vclock.Before, p.Vector)
	_, err = c.Pair("E1", "E7")
	assert.Error(t, err)

	assert.True(t, WarmUp.VerdictFor("", vclock.Concurrent).Passed)
	v := WarmUp.VerdictFor("", vclock.After)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "do not say After")
	assert.Contains(t, v.Hint, "[2,0,2,0]")
}

func TestGuaranteesHoldOnRandomExecutions(t *testing.T) {
	rep, err := CheckGuarantees(GuaranteeConfig{Seed: 1})
	require.NoError(t, err)
	require.Len(t, rep.Guarantees, 4)
	for _, g := range rep.Guarantees {
		assert.True(t, g.Holds(), "seed 1: %s: %s (seed %d)", g.Statement, g.Example, g.ExampleSeed)
		assert.Positive(t, g.Checked, "%s was never exercised", g.Statement)
	}
	assert.False(t, rep.Lamport.Holds(), "Lamport timestamps should mislead on random executions")
	assert.Contains(t, rep.Lamport.Example, "are concurrent")
	_, rows := rep.Table()
	assert.Len(t, rows, 5)
	assert.Equal(t, "no", rows[4][3])
	assert.Contains(t, rep.String(), "50 random executions (seeds 1…50), 4 nodes, 40 events each")
}

// The check can fail: a receive rule without the increment breaks the
// first guarantee (a send and its receive get equal vectors).
func TestGuaranteesCatchWrongRule(t *testing.T) {
	mergeOnly := func(own, msg vclock.VC, self int) vclock.VC { return vclock.Merge(own, msg) }
	rep, err := CheckGuarantees(GuaranteeConfig{Seed: 1, Histories: 5, ReceiveFor: mergeOnly})
	require.NoError(t, err)
	assert.False(t, rep.Guarantees[0].Holds())
	_, err = CheckGuarantees(GuaranteeConfig{Events: 500})
	assert.Error(t, err)
}

func TestMessageCost(t *testing.T) {
	res, err := MessageCost([]int{2, 4, 8, 16, 26}, 3)
	require.NoError(t, err)
	require.Len(t, res.Rows, 5)
	prev := 0.0
	for _, r := range res.Rows {
		assert.Equal(t, float64(8*r.Nodes), r.Fixed)
		assert.Positive(t, r.Messages)
		// varint: one length byte, at least one byte per entry, and these
		// small counters (< 2^14) take at most two.
		assert.GreaterOrEqual(t, r.Varint, float64(r.Nodes+1), "n=%d", r.Nodes)
		assert.LessOrEqual(t, r.Varint, float64(2*r.Nodes+1), "n=%d", r.Nodes)
		assert.Greater(t, r.Varint, prev, "cost grows with n")
		assert.LessOrEqual(t, r.Lamport, 2.0, "a Lamport stamp stays one or two bytes")
		prev = r.Varint
	}
	p, err := CostPlot(res)
	require.NoError(t, err)
	assert.NotEmpty(t, p.Title.Text)
	assert.Equal(t, "nodes n", p.X.Label.Text)
	assert.Equal(t, "bytes per message", p.Y.Label.Text)
	_, rows := res.Table()
	assert.Equal(t, "208 B", rows[4][2])
	_, err = MessageCost([]int{1}, 1)
	assert.Error(t, err)
	_, err = MessageCost(nil, 1)
	assert.Error(t, err)
	_, err = CostPlot(CostResult{})
	assert.Error(t, err)
}

func TestDropEntry(t *testing.T) {
	c, err := CompareSyllabus()
	require.NoError(t, err)
	for k := range c.History.Nodes {
		m, err := DropEntry(c.History, k)
		require.NoError(t, err)
		assert.NotEmpty(t, m, "dropping %s's entry should lose something", c.History.Nodes[k])
	}
	m, err := DropEntry(c.History, 3) // D's entry
	require.NoError(t, err)
	// Worked by hand: E5 = [0,1,0,0], E6 = [0,1,0,1] both become [0,1,0].
	assert.Equal(t, []Misjudged{{A: "E5", B: "E6", Short: vclock.Equal, Truth: history.HappenedBefore}}, m)
	assert.Equal(t, "E5 vs E6: shortened vectors say Equal, truth is happened before", m[0].String())
	_, err = DropEntry(c.History, 4)
	assert.Error(t, err)
}

func TestDiagram(t *testing.T) {
	c, err := CompareSyllabus()
	require.NoError(t, err)
	assert.Equal(t, "E4 [2,0,2,0]", Labels(c.Vector)[3])
	p, err := c.Diagram("E1–E6 with vector clocks", "E4", "E6")
	require.NoError(t, err)
	assert.Equal(t, "E1–E6 with vector clocks", p.Title.Text)
	_, err = c.Diagram("x", "E9")
	assert.Error(t, err)
	h, err := RandomHistory(7)
	require.NoError(t, err)
	r, err := vclock.Replay(h)
	require.NoError(t, err)
	_, err = Diagram(r, "random")
	require.NoError(t, err)
}

// Exercise 1 answers, worked out by hand.
var exercise1 = map[string]string{
	"p1": "[1,0,0]", "q1": "[0,1,0]", "p2": "[2,0,0]", "r1": "[0,0,1]", "q2": "[2,2,0]",
	"r2": "[0,1,2]", "r3": "[0,1,3]", "p3": "[3,1,3]", "q3": "[2,3,0]",
}

func TestExercise1(t *testing.T) {
	assert.Equal(t, uint64(0), Exercise1.ParamsFor(""))
	assert.True(t, Exercise1.VerdictFor("", exercise1).Passed)
	wrong := map[string]string{}
	for k, v := range exercise1 {
		wrong[k] = v
	}
	wrong["q2"] = "[2,1,0]" // forgot to count the receipt
	delete(wrong, "q3")
	wrong["x9"] = "[0]"
	wrong["p1"] = "1,0,0"
	v := Exercise1.VerdictFor("", wrong)
	assert.Equal(t, []string{"q2"}, v.Wrong)
	assert.Contains(t, v.Why, "no prediction for q3")
	assert.Contains(t, v.Why, "cannot read the vector of p1")
	assert.Contains(t, v.Why, "no such event: x9")
	assert.Contains(t, v.Why, "1 receive(s) merged the vectors but did not count the receipt")
	assert.NotContains(t, v.Line("Exercise 1", 0), "[2,2,0]")
	ex, err := PredictionHistory(0)
	require.NoError(t, err)
	assert.True(t, goodPrediction(ex), "the example is fair")
	seeds := map[uint64]bool{}
	for _, id := range []string{"alice", "bob", "s123", "x@y", "zoe", "carol"} {
		seed := Exercise1.ParamsFor(id)
		seeds[seed] = true
		h, err := PredictionHistory(seed)
		require.NoError(t, err)
		require.True(t, goodPrediction(h), id)
		run, err := vclock.Replay(h)
		require.NoError(t, err)
		ref := map[string]string{}
		for e := range h.Events {
			ref[h.Name(e)] = run.Stamps[e].String()
		}
		assert.True(t, Exercise1.VerdictFor(id, ref).Passed, id)
		// Exercise 2 uses the same execution.
		q := Exercise2.ParamsFor(id)
		assert.Equal(t, seed, q.Seed, id)
		assert.Len(t, q.Candidates, 5, id)
		var conc [][2]string
		nConc := 0
		for _, p := range q.Candidates {
			ea, _ := h.EventByLabel(p[0])
			eb, _ := h.EventByLabel(p[1])
			if h.Relate(ea, eb) == history.Concurrent {
				conc = append(conc, p)
				nConc++
			}
		}
		assert.True(t, nConc >= 2 && nConc <= 3, "%s: %d concurrent candidates", id, nConc)
		assert.True(t, Exercise2.VerdictFor(id, conc).Passed, id)
		v := Exercise2.VerdictFor(id, q.Candidates)
		assert.False(t, v.Passed, id)
		assert.Contains(t, v.Why, "are not concurrent", id)
	}
	assert.GreaterOrEqual(t, len(seeds), 5)
}

func TestExercise2(t *testing.T) {
	// By hand from the Exercise 1 vectors: q1 [0,1,0] < p3 [3,1,3]; the
	// other four pairs are concurrent.
	assert.Equal(t, Candidates, Exercise2.ParamsFor("").Candidates)
	right := [][2]string{{"r2", "p2"}, {"q3", "p3"}, {"p1", "r1"}, {"q2", "r3"}}
	assert.True(t, Exercise2.VerdictFor("", right).Passed)
	v := Exercise2.VerdictFor("", [][2]string{{"p2", "r2"}, {"q1", "p3"}})
	assert.False(t, v.Passed)
	assert.Equal(t, "1 of the pairs you gave are not concurrent; 3 concurrent pair(s) are missing", v.Why)
	assert.NotContains(t, v.Line("Exercise 2", 0), "p1")
	assert.Contains(t, Exercise2.VerdictFor("", [][2]string{{"p1", "p2"}}).Why, "not one of the candidate pairs")
}

func TestExercise3(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		assert.True(t, Exercise3.VerdictOf(vclock.StandardReceive, true, seed).Passed)
	}
	mine := func(own, msg vclock.VC, self int) vclock.VC {
		for i := range own {
			own[i] = max(own[i], msg[i])
		}
		own[self]++
		return own
	}
	assert.True(t, Exercise3.VerdictOf(mine, true, 1).Passed)
	mergeOnly := func(own, msg vclock.VC, self int) vclock.VC { return vclock.Merge(own, msg) }
	v := Exercise3.VerdictOf(mergeOnly, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "expected: [2,2,0]")
	assert.Contains(t, v.Hint, "count the receipt")
	stub := func(own, msg vclock.VC, self int) vclock.VC { return own }
	assert.False(t, Exercise3.VerdictOf(stub, false, 1).Passed)
	bad := func(own, msg vclock.VC, self int) vclock.VC { return own[:0] }
	assert.False(t, Exercise3.VerdictOf(bad, false, 1).Passed)
	panics := func(own, msg vclock.VC, self int) vclock.VC { own[len(own)]++; return own }
	assert.Contains(t, Exercise3.VerdictOf(panics, false, 1).Why, "panicked")
	// Right on the visible cases only: the hidden cases catch it.
	visible := func(own, msg vclock.VC, self int) vclock.VC {
		if len(own) == 3 && own[0] <= 3 {
			return mine(own, msg, self)
		}
		return own
	}
	assert.False(t, Exercise3.VerdictOf(visible, true, 1).Passed)
}

func TestExercise4(t *testing.T) {
	assert.True(t, Exercise4.VerdictOf(vclock.Compare, true, 1).Passed)
	// A common mistake: comparing sums, as if vectors were Lamport stamps.
	bySum := func(a, b vclock.VC) vclock.Order {
		var x, y uint64
		for i := range a {
			x, y = x+a[i], y+b[i]
		}
		switch {
		case x < y:
			return vclock.Before
		case x > y:
			return vclock.After
		}
		return vclock.Equal
	}
	v := Exercise4.VerdictOf(bySum, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "compare([2,0,2,0], [0,1,0,1])")
	assert.Contains(t, v.Case, `expected: "Concurrent"`)
	stub := func(a, b vclock.VC) vclock.Order { return vclock.Equal }
	assert.False(t, Exercise4.VerdictOf(stub, false, 1).Passed)
	assert.Contains(t, Exercise4.VerdictOf(func(a, b vclock.VC) vclock.Order { return vclock.Order(a[7]) }, false, 1).Why, "panicked")
	// Forgets the After case: right on most visible cases, caught by hidden ones.
	noAfter := func(a, b vclock.VC) vclock.Order {
		if o := vclock.Compare(a, b); o != vclock.After || len(a) == 3 {
			return o
		}
		return vclock.Concurrent
	}
	assert.False(t, Exercise4.VerdictOf(noAfter, true, 1).Passed)
}

// The hybrid run: HLC keeps the clock condition where the physical clocks
// break it, L stays within the skew of the node's own clock (never behind
// it), and the counter stays small.
func TestHybridRun(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		cfg := DefaultHybrid
		cfg.Seed = seed
		r, err := HybridRun(cfg)
		require.NoError(t, err)
		assert.Zero(t, r.HLCViolations, "seed %d", seed)
		assert.Empty(t, r.Lamport.ClockConditionViolations())
		assert.Positive(t, r.PhysicalViolations, "seed %d: physical timestamps should misorder some causal pairs", seed)
		assert.LessOrEqual(t, r.MaxAhead, 2*cfg.Skew+cfg.Resolution, "seed %d", seed)
		for e, s := range r.HLC.Stamps {
			assert.GreaterOrEqual(t, s.L, r.HLC.Physical[e])
			assert.LessOrEqual(t, s.L-r.True[e], cfg.Skew+cfg.Resolution, "seed %d: L is never far ahead of true time", seed)
		}
		assert.LessOrEqual(t, r.MaxC, uint32(10), "seed %d", seed)
	}
	r, err := HybridRun(DefaultHybrid)
	require.NoError(t, err)
	assert.Contains(t, r.Summary(), "hybrid logical clocks: 0 violations")
	header, rows := r.Table(10)
	assert.Len(t, header, 6)
	assert.Len(t, rows, 10)
	p, err := HybridPlot(r)
	require.NoError(t, err)
	assert.Equal(t, "L − physical clock (ms)", p.Y.Label.Text)
	for _, bad := range []HybridConfig{{}, {Nodes: 2, Events: 5, Step: time.Millisecond, Resolution: time.Millisecond, Skew: -1}} {
		_, err := HybridRun(bad)
		assert.Error(t, err)
	}
}

// Real counters need 3–5 varint bytes, not the one byte of the toy runs.
func TestRealCounters(t *testing.T) {
	rows := RealCounters()
	require.Len(t, rows, 4)
	want := []int{3, 4, 4, 5}
	for i, r := range rows {
		assert.Equal(t, want[i], r.Bytes, r.Scenario)
	}
	assert.Equal(t, uint64(86_400_000), rows[2].Value)
	_, table := CounterTable(26)
	assert.Equal(t, "about 105 B", table[2][3])
}

// HybridRun validates any configuration before it allocates, and never
// breaks the clock condition.
func FuzzHybridRun(f *testing.F) {
	f.Add(uint64(1), 4, 24, int64(5e6), int64(3e5), int64(1e6))
	f.Add(uint64(2), 1, 0, int64(-1), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, seed uint64, nodes, events int, skew, step, res int64) {
		r, err := HybridRun(HybridConfig{Seed: seed, Nodes: nodes, Events: events, Skew: time.Duration(skew), Step: time.Duration(step), Resolution: time.Duration(res)})
		if err != nil {
			return
		}
		if r.HLCViolations != 0 {
			t.Fatalf("seed %d: %d HLC violations", seed, r.HLCViolations)
		}
	})
}
