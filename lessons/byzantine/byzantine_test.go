package byzantine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	bz "github.com/dslessons/course/pkg/byzantine"
)

func TestWalkthrough(t *testing.T) {
	w, err := Walkthrough(DefaultWalkthrough())
	require.NoError(t, err)
	rows := w.Rows()
	require.Len(t, rows, 9) // n=4, m=1: 3 + 3·2 (the paper's count)
	assert.Equal(t, []string{"0", "0", "0", "1", "Attack", "loyal"}, rows[0])
	assert.Equal(t, []string{"1", "0→3", "3", "1", "Retreat", "traitor"}, rows[7])
	assert.Equal(t, bz.Agreement, w.Result.Verdict)
	d := w.Decisions()
	require.Len(t, d, 4)
	assert.Equal(t, []string{"1", "lieutenant", "loyal", "Attack"}, d[1])
	assert.Equal(t, []string{"3", "lieutenant", "traitor", "Attack"}, d[3])
	assert.Contains(t, w.String(), "Agreement")
}

func TestMessageTree(t *testing.T) {
	res, err := bz.OM(bz.Config{N: 7, M: 2, Order: bz.Attack, Traitors: []int{1, 4}, Strategy: bz.TwoFaced{}, Trace: true})
	require.NoError(t, err)
	nodes, err := MessageTree(res.Trace)
	require.NoError(t, err)
	require.Len(t, nodes, bz.MessageCount(7, 2))
	leaves := map[float64]bool{}
	childCount := make([]int, len(nodes))
	for i, n := range nodes {
		if n.Parent < 0 {
			assert.Equal(t, 0, n.Hop.Level)
			continue
		}
		par := nodes[n.Parent].Hop
		// The parent delivered to this message's sender, one level up.
		assert.Equal(t, n.Hop.From, par.To, "node %d", i)
		assert.Equal(t, par.Level+1, n.Hop.Level)
		assert.Equal(t, par.Path, n.Hop.Path[:len(n.Hop.Path)-1])
		childCount[n.Parent]++
	}
	for i, n := range nodes {
		if childCount[i] == 0 {
			assert.False(t, leaves[n.Y], "leaves get distinct rows")
			leaves[n.Y] = true
			assert.Equal(t, 2, n.Hop.Level)
		} else {
			// A level-k message is relayed to the n-2-k lieutenants not yet on its path.
			assert.Equal(t, 7-2-n.Hop.Level, childCount[i], "children of a level-%d message", n.Hop.Level)
		}
	}
	p, err := PlotMessageTree(res.Trace, "OM(2), n=7")
	require.NoError(t, err)
	assert.Equal(t, "OM(2), n=7", p.Title.Text)
	_, err = PlotMessageTree(nil, "empty")
	assert.Error(t, err)
}

func TestStrategyTable(t *testing.T) {
	// n=4, m=1: no single traitor with any strategy breaks OM(1).
	r, err := StrategyTable(bz.OralMessages, 4, 1, bz.Attack, 7)
	require.NoError(t, err)
	assert.Len(t, r.Runs, len(Strategies)*4)
	assert.Zero(t, r.Violations(), r.String())
	// n=3, m=1: a liar at lieutenant 1 or 2 breaks it; a silent lieutenant
	// too (its missing relay counts as Retreat and ties the vote).
	r, err = StrategyTable(bz.OralMessages, 3, 1, bz.Attack, 7)
	require.NoError(t, err)
	broken := map[string]bool{}
	for _, row := range r.Runs {
		if row.Result.Verdict == bz.Violation {
			broken[row.Strategy+"@"+string(rune('0'+row.Traitor))] = true
		}
	}
	assert.True(t, broken["liar@1"] && broken["liar@2"] && broken["silent@1"] && broken["silent@2"], "%v", broken)
	assert.False(t, broken["liar@0"] || broken["silent@0"] || broken["two-faced@0"], "a traitor commander alone cannot split OM(1) at n=3: ties default to Retreat")
	// SM(1), n=3: nothing breaks it.
	r, err = StrategyTable(bz.SignedMessages, 3, 1, bz.Attack, 7)
	require.NoError(t, err)
	assert.Zero(t, r.Violations(), r.String())
	assert.Len(t, r.Rows(), len(r.Runs))
	assert.Contains(t, r.String(), "seed 7")
}

func TestThreshold(t *testing.T) {
	r, err := Threshold(DefaultThreshold())
	require.NoError(t, err)
	for _, p := range r.Points {
		if p.N > 3*p.M {
			assert.Zero(t, p.Violations, "seed=%d m=%d n=%d", r.Config.Seed, p.M, p.N)
		}
		if p.N == 3*p.M {
			assert.Positive(t, p.Violations, "seed=%d m=%d n=%d: random traitors should break n=3m", r.Config.Seed, p.M, p.N)
		}
	}
	assert.Len(t, r.Series(1), 9-3+1)
	assert.Len(t, r.Series(2), 9-4+1)
	p, err := PlotThreshold(r)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "seed 1")
	for _, pt := range r.Points {
		assert.Less(t, pt.Rate(), p.Y.Max, "m=%d n=%d: the highest point must not touch the top", pt.M, pt.N)
	}
	_, err = Threshold(ThresholdConfig{Ms: []int{1}, MaxN: 5, Runs: 0})
	assert.Error(t, err)
	_, err = Threshold(ThresholdConfig{Ms: []int{7}, MaxN: 5, Runs: 1})
	assert.Error(t, err)
}

func TestGrowth(t *testing.T) {
	r, err := Growth([]int{1, 2, 3}, 10)
	require.NoError(t, err)
	for _, p := range r.Points {
		assert.Equal(t, p.Formula, p.Measured)
	}
	assert.Equal(t, GrowthPoint{1, 4, 9, 9}, r.Points[0])
	_, err = PlotGrowth(r)
	require.NoError(t, err)
	_, err = Growth([]int{9}, 10)
	assert.Error(t, err)
}

func TestSearches(t *testing.T) {
	om, sm, err := Searches()
	require.NoError(t, err)
	assert.True(t, om.Found)
	assert.False(t, sm.Found)
	assert.True(t, sm.Exhausted)
}

type forwardRetreat struct{}

func (forwardRetreat) Send(m bz.Message) (bz.Value, bool) { return bz.Retreat, true }

func TestExercises(t *testing.T) {
	assert.NoError(t, CheckMessageCount(4, 1, 9))
	assert.NoError(t, CheckMessageCount(7, 2, 156))
	assert.NoError(t, CheckMessageCount(5, 2, 4+4*3+4*3*2)) // notebook 10, by hand: 40
	err := CheckMessageCount(7, 2, 42)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected 156")
	assert.Contains(t, err.Error(), "hint")

	assert.NoError(t, CheckMinGenerals(1, 4))
	assert.NoError(t, CheckMinGenerals(2, 7))
	err = CheckMinGenerals(1, 3)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected n = 4")
	assert.Contains(t, err.Error(), "Violation", "shows what goes wrong with n=3")

	assert.NoError(t, CheckTraitor(forwardRetreat{}))
	assert.NoError(t, CheckTraitor(bz.Liar{}))
	assert.NoError(t, CheckTraitor(bz.Silent{}))
	err = CheckTraitor(bz.TwoFaced{}) // tells odd-numbered lieutenant 1 Retreat
	assert.NoError(t, err)
	err = CheckTraitor(honest{})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "expected a Violation"), err.Error())
	assert.Error(t, CheckTraitor(nil))
}

type honest struct{}

func (honest) Send(m bz.Message) (bz.Value, bool) { return m.Value, true }

func TestUnansweredExercises(t *testing.T) {
	for _, err := range []error{CheckMessageCount(7, 2, 0), CheckMinGenerals(2, 0)} {
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no answer yet")
		assert.NotContains(t, err.Error(), "156")
		assert.NotContains(t, err.Error(), "n = 7")
	}
}
