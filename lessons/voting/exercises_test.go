package voting

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/quorum"
)

var students = []string{"", "alice", "bob", "s123", "x@y", "zoe-7"}

func newestRule(replies []Reply) string { return Newest(replies).Value }

func TestExercise1ReadRule(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		v := Exercise1.VerdictOf(newestRule, true, seed)
		assert.True(t, v.Passed, "seed %d: %s", seed, v.Line("Exercise 1", 0))
	}
	// The most common value is what intersection does not promise: the
	// first visible case shows it failing, in full.
	v := Exercise1.VerdictOf(func(r []Reply) string { return MostCommon(r).Value }, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "expected: \"x=2\"")
	assert.Contains(t, v.Case, "got:      \"x=1\"")
	// The stub (the first reply) fails a visible case.
	assert.False(t, Exercise1.VerdictOf(func(r []Reply) string { return r[0].Value }, false, 1).Passed)
	// Versions without the writer's tie-break fail the visible case of
	// two writers with the same version.
	versionOnly := func(r []Reply) string {
		best := r[0]
		for _, x := range r[1:] {
			if x.Version > best.Version {
				best = x
			}
		}
		return best.Value
	}
	v = Exercise1.VerdictOf(versionOnly, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "same version")
	// The last reply with the highest version passes the visible cases
	// (the tie there is ordered by writer) but a hidden case catches a
	// rule that ignores writers when it is lucky on the visible ones.
	lastMax := func(r []Reply) string {
		best := r[0]
		for _, x := range r[1:] {
			if x.Version >= best.Version {
				best = x
			}
		}
		return best.Value
	}
	assert.True(t, Exercise1.VerdictOf(lastMax, false, 1).Passed, "visible cases only")
	caught := 0
	for seed := uint64(1); seed <= 5; seed++ {
		if v := Exercise1.VerdictOf(lastMax, true, seed); !v.Passed {
			caught++
			assert.Contains(t, v.Why, "hidden")
			assert.NotContains(t, v.Case, "expected", "a hidden case shows its input only")
		}
	}
	assert.Positive(t, caught)
	v = Exercise1.VerdictOf(func(r []Reply) string { panic("boom") }, false, 1)
	assert.Contains(t, v.Why, "panicked")
	v = Exercise1.VerdictOf(nil, false, 1)
	assert.Contains(t, v.Why, "nil")
}

func TestExercise2Weighted(t *testing.T) {
	assert.Equal(t, Weights{Votes: []int{3, 1, 1, 1, 1}}, Exercise2.ParamsFor(""))
	// By hand: 3,1,1,1,1 (total 7): t=3 lets {0} and {1,2,3} both decide;
	// t=4 (2t > total) is the smallest that works.
	assert.True(t, Exercise2.VerdictFor("", 4).Passed)
	v := Exercise2.VerdictFor("", 3)
	assert.Contains(t, v.Why, "disjoint")
	assert.Contains(t, Exercise2.VerdictFor("", 5).Why, "not the smallest")
	assert.Contains(t, Exercise2.VerdictFor("", 0).Why, "between 1 and")
	// By hand: with 3,1 a threshold of 2 already intersects (every quorum
	// holds replica 0) though 2t > total asks for 3; with 3,3,1,1 a
	// threshold of 4 does not ({0,2} and {1,3} hold 4 each).
	for _, c := range []struct {
		w    []int
		want int
	}{{[]int{3, 1}, 2}, {[]int{3, 3, 1, 1}, 5}, {[]int{6, 1, 1, 1, 1, 1}, 6}, {[]int{2, 2, 1, 1, 1}, 4}} {
		got, err := SmallestIntersectingThreshold(c.w)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%v", c.w)
	}
	seen := map[string]bool{}
	for _, id := range students {
		w := Exercise2.ParamsFor(id)
		seen[fmt.Sprint(w.Votes)] = true
		want, err := SmallestIntersectingThreshold(w.Votes)
		require.NoError(t, err)
		assert.True(t, Exercise2.VerdictFor(id, want).Passed, id)
		for _, wrong := range []int{want - 1, want + 1, 0, -2, w.total() + 3} {
			v := Exercise2.VerdictFor(id, wrong)
			assert.False(t, v.Passed)
			assert.NotContains(t, v.Line("Exercise 2", 0), fmt.Sprintf("threshold %d", want), "the verdict gives the answer away")
		}
	}
	assert.GreaterOrEqual(t, len(seen), 3)
}

func ballots(pairs ...int) []quorum.Ballot {
	var out []quorum.Ballot
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, quorum.Ballot{Voter: pairs[i], Candidate: pairs[i+1]})
	}
	return out
}

func TestExercise3SplitVote(t *testing.T) {
	assert.Equal(t, Cluster{Nodes: 5}, Exercise3.ParamsFor(""))
	assert.True(t, Exercise3.VerdictFor("", ballots(0, 0, 1, 0, 2, 1, 3, 1, 4, 2)).Passed)
	assert.Contains(t, Exercise3.VerdictFor("", ballots(0, 0, 1, 0, 2, 0, 3, 1, 4, 1)).Why, "not a split vote")
	assert.Contains(t, Exercise3.VerdictFor("", ballots(0, 0, 1, 0, 2, 1, 3, 1)).Why, "have not voted")
	assert.Contains(t, Exercise3.VerdictFor("", ballots(0, 0, 0, 1)).Why, "cannot be counted")
	assert.False(t, Exercise3.VerdictFor("", nil).Passed)
	seen := map[int]bool{}
	for _, id := range students {
		c := Exercise3.ParamsFor(id)
		seen[c.Nodes] = true
		// Everybody votes for itself: nobody can win.
		var self []quorum.Ballot
		for i := range c.Nodes {
			self = append(self, quorum.Ballot{Voter: i, Candidate: i})
		}
		assert.True(t, Exercise3.VerdictFor(id, self).Passed, "%s: %d voters", id, c.Nodes)
		var one []quorum.Ballot
		for i := range c.Nodes {
			one = append(one, quorum.Ballot{Voter: i, Candidate: 0})
		}
		assert.False(t, Exercise3.VerdictFor(id, one).Passed)
	}
	assert.GreaterOrEqual(t, len(seen), 2)
}

func TestExercise4Spread(t *testing.T) {
	if testing.Short() {
		t.Skip("runs elections")
	}
	assert.Equal(t, SplitTarget{2, 250}, Exercise4.ParamsFor(""))
	assert.True(t, Exercise4.VerdictFor("", 100*ms).Passed)
	v := Exercise4.VerdictFor("", 0)
	assert.Equal(t, []string{"split votes", "time to elect"}, v.Wrong)
	assert.Contains(t, v.Hint, "more randomness")
	v = Exercise4.VerdictFor("", 2*netsim.Second)
	assert.Equal(t, []string{"time to elect"}, v.Wrong)
	assert.Contains(t, v.Hint, "later on average")
	assert.False(t, Exercise4.VerdictFor("", -1).Passed)
	// Every variant can be met: some spread in 0..300 ms (steps of 5 ms)
	// meets its target, and the verdicts never name one.
	outcomes := map[netsim.Time]SpreadOutcome{}
	for sp := netsim.Time(0); sp <= 300*ms; sp += 5 * ms {
		o, err := OutcomeOf(sp)
		require.NoError(t, err)
		outcomes[sp] = o
	}
	seen := map[SplitTarget]bool{}
	for _, id := range append(students, "a1", "a2", "a3", "a4", "a5", "a6") {
		target := Exercise4.ParamsFor(id)
		if seen[target] {
			continue
		}
		seen[target] = true
		var good []netsim.Time
		for sp, o := range outcomes {
			if s, f := target.Meets(o); s && f {
				good = append(good, sp)
			}
		}
		require.NotEmpty(t, good, "%+v cannot be met", target)
		s, f := target.Meets(outcomes[50*ms])
		assert.True(t, s && f, "the solution's 50 ms meets %+v", target)
		assert.True(t, Exercise4.VerdictFor(id, good[0]).Passed)
		v := Exercise4.VerdictFor(id, 0)
		assert.False(t, v.Passed)
		for _, g := range good {
			assert.NotContains(t, v.Line("Exercise 4", 0), g.String())
		}
	}
	assert.GreaterOrEqual(t, len(seen), 3)
}

func TestStubVerdicts(t *testing.T) {
	// What the committed notebook shows for the stubs: a ✗, a hint, no answer.
	for _, line := range []string{
		Exercise2.VerdictFor("", 0).Line("Exercise 2", 0),
		Exercise3.VerdictFor("", nil).Line("Exercise 3", 0),
	} {
		assert.Contains(t, line, "✗")
		assert.Contains(t, line, "Hint")
	}
	assert.NotContains(t, Exercise2.VerdictFor("", 0).Line("Exercise 2", 0), "threshold 4")
}
