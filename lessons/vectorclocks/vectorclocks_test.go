package vectorclocks

import (
	"testing"

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

	require.NoError(t, CheckE4E6(vclock.Concurrent))
	err = CheckE4E6(vclock.After)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected Concurrent, got After")
	assert.Contains(t, err.Error(), "hint")
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
	require.NoError(t, CheckPrediction(exercise1))
	wrong := map[string]string{}
	for k, v := range exercise1 {
		wrong[k] = v
	}
	wrong["q2"] = "[2,1,0]" // forgot to count the receipt
	delete(wrong, "q3")
	wrong["x9"] = "[0]"
	err := CheckPrediction(wrong)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "q2: expected [2,2,0], got [2,1,0]")
	assert.Contains(t, err.Error(), "q3: no prediction")
	assert.Contains(t, err.Error(), "x9: no such event")
	assert.Contains(t, err.Error(), "hint")
	wrong = map[string]string{}
	for k, v := range exercise1 {
		wrong[k] = v
	}
	wrong["p1"] = "1,0,0"
	assert.ErrorContains(t, CheckPrediction(wrong), "p1: vclock: cannot parse")
}

func TestExercise2(t *testing.T) {
	// By hand from the Exercise 1 vectors: q1 [0,1,0] < p3 [3,1,3]; the
	// other four pairs are concurrent.
	right := [][2]string{{"r2", "p2"}, {"q3", "p3"}, {"p1", "r1"}, {"q2", "r3"}}
	require.NoError(t, CheckConcurrentPairs(right))
	err := CheckConcurrentPairs([][2]string{{"p2", "r2"}, {"q1", "p3"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected the concurrent pairs [p1–r1 p2–r2 p3–q3 q2–r3], got [p2–r2 p3–q1]")
	assert.ErrorContains(t, CheckConcurrentPairs([][2]string{{"p1", "p2"}}), "not one of the candidate pairs")
}

func TestExercise3(t *testing.T) {
	require.NoError(t, CheckReceiveRule(vclock.StandardReceive))
	mine := func(own, msg vclock.VC, self int) vclock.VC {
		for i := range own {
			own[i] = max(own[i], msg[i])
		}
		own[self]++
		return own
	}
	require.NoError(t, CheckReceiveRule(mine))
	mergeOnly := func(own, msg vclock.VC, self int) vclock.VC { return vclock.Merge(own, msg) }
	err := CheckReceiveRule(mergeOnly)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "seed 1:")
	assert.Contains(t, err.Error(), "events b6 and a9: expected Concurrent (happens-before says concurrent), got Before")
	assert.Contains(t, err.Error(), "hint")
	bad := func(own, msg vclock.VC, self int) vclock.VC { return own[:0] }
	assert.Error(t, CheckReceiveRule(bad))
	panics := func(own, msg vclock.VC, self int) vclock.VC { own[len(own)]++; return own }
	assert.ErrorContains(t, CheckReceiveRule(panics), "panicked")
	assert.Error(t, CheckReceiveRule(nil))
}

func TestExercise4(t *testing.T) {
	require.NoError(t, CheckCompare(vclock.Compare))
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
	err := CheckCompare(bySum)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "compare([2,0,2,0], [0,1,0,1]): expected Concurrent, got After")
	assert.Error(t, CheckCompare(nil))
	assert.ErrorContains(t, CheckCompare(func(a, b vclock.VC) vclock.Order { return vclock.Order(a[7]) }), "panicked")
}
