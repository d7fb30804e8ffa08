package byzantine

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
		// Column k+1 holds level k; column 0 is the commander's alone.
		assert.Equal(t, float64(n.Hop.Level+1), n.X)
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
	// The commander sits in its own column, named by its tick, not at a
	// "level −1".
	assert.GreaterOrEqual(t, p.X.Min, -0.5)
	ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
	require.Len(t, ticks, 4)
	assert.Equal(t, "commander", ticks[0].Label)
	assert.Equal(t, "level 0: orders", ticks[1].Label)
	assert.Equal(t, "level 2: relays", ticks[3].Label)

	// The walkthrough's labels: the commander and every message, leaves'
	// to the right of their dots, inner messages' above theirs.
	w, err := Walkthrough(DefaultWalkthrough())
	require.NoError(t, err)
	_, labels, err := messageTree(w.Result.Trace, w.Title())
	require.NoError(t, err)
	require.Len(t, labels.labels, 1+9)
	assert.Equal(t, "commander 0", labels.labels[0].text)
	assert.Equal(t, 0.0, labels.labels[0].at.X)
	right := 0
	for _, l := range labels.labels[1:] {
		if l.right {
			right++
			assert.Equal(t, 2.0, l.at.X, "only level-1 messages are leaves here")
		}
	}
	assert.Equal(t, 6, right)
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

var students = []string{"", "alice", "bob", "s123", "x@y", "zoe-7"}

func TestExercise1(t *testing.T) {
	assert.Equal(t, Size{N: 5, M: 2}, Exercise1.ParamsFor(""))
	// By hand: 4 + 4·3 + 4·3·2 = 40.
	assert.True(t, Exercise1.VerdictFor("", 40).Passed)
	assert.Contains(t, Exercise1.VerdictFor("", 16).Why, "level")
	assert.Contains(t, Exercise1.VerdictFor("", 4+12+24+24).Why, "too many")
	assert.Contains(t, Exercise1.VerdictFor("", 5+20+60).Why, "n lieutenants")
	assert.Contains(t, Exercise1.VerdictFor("", 24).Why, "last level")
	seen := map[Size]bool{}
	for _, id := range students {
		s := Exercise1.ParamsFor(id)
		seen[s] = true
		res, err := bz.OM(bz.Config{N: s.N, M: s.M, Order: bz.Attack})
		require.NoError(t, err)
		assert.Equal(t, bz.MessageCount(s.N, s.M), res.Messages)
		assert.True(t, Exercise1.VerdictFor(id, res.Messages).Passed, id)
		for _, wrong := range []int{0, -3, res.Messages + 1, res.Messages - 1, 2 * res.Messages} {
			v := Exercise1.VerdictFor(id, wrong)
			assert.False(t, v.Passed)
			assert.NotContains(t, v.Line("Exercise 1", 0), fmt.Sprint(res.Messages), "the verdict gives the answer away")
		}
	}
	assert.GreaterOrEqual(t, len(seen), 3)
}

func TestExercise2(t *testing.T) {
	assert.Equal(t, Size{N: 7, M: 2}, Exercise2.ParamsFor(""))
	// By hand, n=7, m=2: the silent lieutenant would send 5 messages as
	// commander of its OM(1) and 4 in each of the 5 other lieutenants'
	// OM(1) instances: 156 − 25 = 131.
	n, err := SilentLieutenantMessages(Size{N: 7, M: 2})
	require.NoError(t, err)
	assert.Equal(t, 131, n)
	assert.True(t, Exercise2.VerdictFor("", 131).Passed)
	assert.Contains(t, Exercise2.VerdictFor("", 156).Why, "withholds")
	assert.Contains(t, Exercise2.VerdictFor("", 150).Why, "silent commander")
	assert.Contains(t, Exercise2.VerdictFor("", 151).Why, "only the messages of the instance")
	// The by-hand recursion of the solution: a lieutenant sends n − 2
	// messages as commander of its OM(m−1) and S(n−1, m−1) inside each of
	// the n − 2 other lieutenants' instances.
	var sends func(n, m int) int
	sends = func(n, m int) int {
		if m == 0 {
			return 0
		}
		return (n - 2) + (n-2)*sends(n-1, m-1)
	}
	for n := 3; n <= 10; n++ {
		for m := 0; m <= 3; m++ {
			got, err := SilentLieutenantMessages(Size{N: n, M: m})
			require.NoError(t, err)
			assert.Equal(t, bz.MessageCount(n, m)-sends(n, m), got, "n=%d m=%d", n, m)
		}
	}
	seen := map[Size]bool{}
	for _, id := range students {
		s := Exercise2.ParamsFor(id)
		seen[s] = true
		want, err := SilentLieutenantMessages(s)
		require.NoError(t, err)
		// Every lieutenant is alike: any silent lieutenant gives the same count.
		res, err := bz.OM(bz.Config{N: s.N, M: s.M, Order: bz.Retreat, Traitors: []int{s.N - 1}, Strategy: bz.Silent{}})
		require.NoError(t, err)
		assert.Equal(t, want, res.Messages)
		assert.Equal(t, bz.MessageCount(s.N, s.M), res.Slots)
		assert.True(t, Exercise2.VerdictFor(id, want).Passed, id)
		for _, wrong := range []int{0, want + 1, want - 1, bz.MessageCount(s.N, s.M)} {
			v := Exercise2.VerdictFor(id, wrong)
			assert.False(t, v.Passed)
			assert.NotContains(t, v.Line("Exercise 2", 0), fmt.Sprint(want), "the verdict gives the answer away")
		}
	}
	assert.GreaterOrEqual(t, len(seen), 3)
}

// Traitor strategies a student might write.
type (
	alwaysRetreat struct{}
	loyalTraitor  struct{}
	commanderZero struct{} // lies only under commander 0, as in the visible scenarios
	panicky       struct{}
	sleepy        struct{}
)

func (alwaysRetreat) Send(bz.Message) (bz.Value, bool)  { return bz.Retreat, true }
func (loyalTraitor) Send(m bz.Message) (bz.Value, bool) { return m.Value, true }
func (panicky) Send(bz.Message) (bz.Value, bool)        { panic("boom") }
func (sleepy) Send(m bz.Message) (bz.Value, bool)       { select {} }
func (commanderZero) Send(m bz.Message) (bz.Value, bool) {
	if m.Path[0] == 0 {
		return bz.Retreat, true
	}
	return m.Value, true
}

func TestExercise3(t *testing.T) {
	// The reference (always Retreat) breaks every visible and hidden
	// scenario, for several grading seeds.
	for seed := uint64(1); seed <= 5; seed++ {
		v := Exercise3.VerdictOf(alwaysRetreat{}, true, seed)
		assert.True(t, v.Passed, "seed %d: %s", seed, v.Line("Exercise 3", 0))
	}
	// So does a traitor that stays silent (a missing value counts as
	// Retreat).
	assert.True(t, Exercise3.VerdictOf(bz.Silent{}, true, 3).Passed)

	v := Exercise3.VerdictOf(loyalTraitor{}, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "still obeys")
	assert.Contains(t, v.Case, "OM(1), n=3")
	assert.Contains(t, v.Case, "2→1 (level 1, path 0→2): Attack", "the failing visible case shows what the traitor sent")

	// Liars undo each other's lies: three liars among six generals do not
	// break OM(3), a visible case.
	v = Exercise3.VerdictOf(bz.Liar{}, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "OM(3), n=6")

	// Assuming the commander is general 0 passes the visible cases but
	// not the hidden ones.
	assert.True(t, Exercise3.VerdictOf(commanderZero{}, false, 1).Passed, "visible cases only")
	failed := 0
	for seed := uint64(1); seed <= 5; seed++ {
		v := Exercise3.VerdictOf(commanderZero{}, true, seed)
		if !v.Passed {
			failed++
			assert.Contains(t, v.Why, "hidden")
			assert.NotContains(t, v.Case, "wanted", "a hidden case shows its input only")
		}
	}
	assert.Positive(t, failed, "the hidden scenarios catch a strategy that names generals")

	v = Exercise3.VerdictOf(panicky{}, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "panicked")
	v = Exercise3.VerdictOf(nil, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "nil")
}

func TestExercise3TimesOut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the call timeout")
	}
	v := Exercise3.VerdictOf(sleepy{}, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "did not return")
}

func TestHiddenScenarios(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sc := HiddenScenarios(rng, 200)
	require.Len(t, sc, 200)
	ms := map[int]bool{}
	for _, s := range sc {
		ms[s.M] = true
		assert.LessOrEqual(t, s.N, 3*s.M, "n ≤ 3m: breakable")
		assert.GreaterOrEqual(t, s.N, 3)
		assert.Len(t, s.Traitors, s.M)
		assert.NotContains(t, s.Traitors, s.Commander, "the commander is loyal")
		assert.True(t, slices.IsSorted(s.Traitors))
		// Each is breakable: always Retreat breaks it.
		res, err := bz.OM(bz.Config{N: s.N, M: s.M, Commander: s.Commander, Order: bz.Attack, Traitors: s.Traitors, Strategy: alwaysRetreat{}})
		require.NoError(t, err)
		assert.False(t, res.IC2, "%v", s)
	}
	assert.Len(t, ms, 3)
}
