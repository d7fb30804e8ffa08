package replication

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/exercise"
)

var students = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}

func TestExerciseNames(t *testing.T) {
	assert.Equal(t, "13-replicated-state-machines", Lesson.ID)
	var names []string
	for _, e := range Lesson.Exercises() {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"Exercise 1", "Exercise 2", "Exercise 3", "Exercise 4"}, names)
}

// Exercise 1: the reference rule passes everything; each broken rule of
// the package fails a visible case with its own diagnosis; a rule that is
// wrong only for long messages fails only on hidden cases.
func TestExercise1(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		v := Exercise1.VerdictOf(AppendEntriesRule, true, seed)
		assert.True(t, v.Passed, "seed %d: %+v", seed, v)
	}
	v := Exercise1.VerdictOf(AppendTruncating, false, 1)
	require.False(t, v.Passed)
	assert.Contains(t, v.Why, "delayed, shorter AppendEntries")
	assert.Contains(t, v.Why, "cuts the log after prevIndex every time")
	assert.Contains(t, v.Case, "expected:")

	v = Exercise1.VerdictOf(AppendWithoutCheck, false, 1)
	require.False(t, v.Passed)
	assert.Contains(t, v.Why, "without checking")

	refuseAll := func(log Log, prevIndex, prevTerm int, entries []Entry) (Log, bool) { return log, false }
	v = Exercise1.VerdictOf(refuseAll, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "an empty log receives its first entries")

	// Truncates whenever a message carries three entries or more: the
	// visible cases carry at most two.
	long := func(log Log, prevIndex, prevTerm int, entries []Entry) (Log, bool) {
		if len(entries) >= 3 {
			return AppendTruncating(log, prevIndex, prevTerm, entries)
		}
		return AppendEntriesRule(log, prevIndex, prevTerm, entries)
	}
	assert.True(t, Exercise1.VerdictOf(long, false, 1).Passed, "visible cases and the lossy run pass")
	v = Exercise1.VerdictOf(long, true, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "hidden case")
	assert.NotContains(t, v.Case, "expected", "hidden cases never show the expected output")
}

// The reference rule is what the visible cases expect: the oracle of
// TestAppendEntriesRuleOracle agrees with every random case.
func TestAppendCasesMatchTheRule(t *testing.T) {
	for _, c := range AppendCases() {
		got, ok := AppendEntriesRule(slices.Clone(c.In.Log), c.In.PrevIndex, c.In.PrevTerm, c.In.Entries)
		assert.True(t, sameAppend(c.Want, AppendOutput{got, ok}), c.Name)
	}
	assert.True(t, sameAppend(AppendOutput{nil, true}, AppendOutput{Log{}, true}))
	assert.False(t, sameAppend(AppendOutput{nil, true}, AppendOutput{nil, false}))
}

// The in-run part of Exercise 1 catches a rule without the consistency
// check even without the cases.
func TestJudgeRunCatchesBrokenRules(t *testing.T) {
	caught := 0
	for _, c := range randomSweepRuns(newTestRand(), 5) {
		got := exercise.Right()
		c.Rules = NoConsistencyCheck
		judgeRun(func(v exercise.Verdict) { got = v }, c, "no check")
		if !got.Passed {
			caught++
			assert.Contains(t, got.Why, "breaks safety")
		}
	}
	assert.GreaterOrEqual(t, caught, 3, "most runs with faults break without the check")

	got := exercise.Right()
	c := LossyLinks()

	c.Rules = Rules{}
	judgeRun(func(v exercise.Verdict) { got = v }, c, "Raft's rule")
	assert.True(t, got.Passed)

	never := func(log Log, match []int, term, commit int) int { return commit }
	c.Rules = Rules{Name: "never", Commit: never}
	judgeRun(func(v exercise.Verdict) { got = v }, c, "never")
	assert.False(t, got.Passed)
	assert.Contains(t, got.Why, "client commands were committed")
}

// majorityPrediction is the reasoning the lesson expects: everything
// follows from whether the old leader's side holds a majority.
func majorityPrediction(p PartitionParams) PartitionFacts {
	majority := 2*(p.Followers+1) > p.Nodes
	return PartitionFacts{OldLeaderCommits: majority, OtherSideElects: !majority, PartitionEntriesKept: majority}
}

// Exercise 2: the runs do what majority reasoning predicts, for the
// example and every student; every other answer fails, naming only the
// wrong parts.
func TestExercise2(t *testing.T) {
	assert.Equal(t, PartitionParams{Nodes: 5, Followers: 1, Seed: 1}, Exercise2.ParamsFor(""))
	assert.Equal(t, "5 replicas (seed 1); at 800 ms the leader is cut off with 1 follower and client c2; the network heals at 2 s",
		func() string { _, d, _ := Exercise2.VariantOf(""); return d }())
	minority, majority := 0, 0
	for _, id := range append([]string{""}, append(students, "ivan", "judy", "mallory", "niaj", "olivia", "peggy")...) {
		p := Exercise2.ParamsFor(id)
		r, err := Simulate(PartitionScenario(p))
		require.NoError(t, err, id)
		got, err := PartitionOutcome(r)
		require.NoError(t, err, id)
		want := majorityPrediction(p)
		require.Equal(t, want, got, "student %q: %+v", id, p)
		if want.OldLeaderCommits {
			majority++
		} else {
			minority++
		}
		assert.True(t, r.OK(), id)
		for _, a := range []bool{false, true} {
			for _, b := range []bool{false, true} {
				for _, c := range []bool{false, true} {
					f := PartitionFacts{a, b, c}
					v := Exercise2.VerdictFor(id, f.Prediction())
					assert.Equal(t, f == want, v.Passed, "%q %+v", id, f)
					if !v.Passed {
						line := v.Line("Exercise 2", 0)
						assert.NotContains(t, line, "yes")
						assert.NotRegexp(t, `\bno\b`, line)
					}
				}
			}
		}
	}
	assert.Positive(t, minority, "some variants isolate a minority")
	assert.Positive(t, majority, "some variants isolate a majority")
	v := Exercise2.VerdictFor("", PartitionPrediction{OldLeaderCommits: "yes", OtherSideElects: "Yes", PartitionEntriesKept: "no"})
	assert.Equal(t, []string{"OldLeaderCommits"}, v.Wrong)
	v = Exercise2.VerdictFor("", PartitionPrediction{})
	assert.False(t, v.Passed)
	assert.Empty(t, v.Wrong, "the stub reveals nothing")
	assert.Contains(t, v.Why, "no prediction yet for OldLeaderCommits, OtherSideElects, PartitionEntriesKept")
	v = Exercise2.VerdictFor("", PartitionPrediction{"maybe", "yes", "no"})
	assert.Contains(t, v.Why, `OldLeaderCommits ("maybe")`)
}

// Exercise 3: the reference passes cases, the Figure 8 replays and runs
// with faults; the tempting counting rule and other mistakes fail with
// their diagnosis; a rule wrong only for clusters of six or seven
// replicas fails only on hidden cases.
func TestExercise3(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		v := Exercise3.VerdictOf(LeaderCommit, true, seed)
		assert.True(t, v.Passed, "seed %d: %+v", seed, v)
	}
	v := Exercise3.VerdictOf(CommitByCounting, false, 1)
	require.False(t, v.Passed)
	assert.Contains(t, v.Why, "Figure 8 (c)")
	assert.Contains(t, v.Why, "earlier term by counting")

	half := func(log Log, match []int, term, commit int) int {
		for n := log.LastIndex(); n > commit; n-- {
			c := 0
			for _, m := range match {
				if m >= n {
					c++
				}
			}
			if log.Term(n) == term && 2*c >= len(match) {
				return n
			}
		}
		return commit
	}
	v = Exercise3.VerdictOf(half, false, 1)
	require.False(t, v.Passed)
	assert.Contains(t, v.Why, "exactly half")

	back := func(log Log, match []int, term, commit int) int { return LeaderCommit(log, match, term, 0) }
	v = Exercise3.VerdictOf(back, false, 1)
	require.False(t, v.Passed)
	assert.Contains(t, v.Why, "moved back")

	// Counts only the first five match indexes.
	five := func(log Log, match []int, term, commit int) int {
		return LeaderCommit(log, match[:min(5, len(match))], term, commit)
	}
	assert.True(t, Exercise3.VerdictOf(five, false, 1).Passed)
	v = Exercise3.VerdictOf(five, true, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "hidden case")

	// Counting only in the old-term case of Figure 8 would pass the table
	// if the case were missing; the replay catches it on its own.
	r, err := Simulate(Figure8(Rules{Name: "counting", Commit: CommitByCounting}))
	require.NoError(t, err)
	assert.False(t, r.OK())
}

// The random commit cases are states a leader can be in: the leader's own
// match index is its last index, no match index exceeds it, the log's
// terms never decrease and end at or below the leader's term, and the
// commit index is one the rule keeps.
func TestRandomCommitCases(t *testing.T) {
	rng := newTestRand()
	sizes := map[int]bool{}
	moved := 0
	for range 2000 {
		c := randomCommitCase(rng)
		in := c.In
		require.Equal(t, in.Log.LastIndex(), in.Match[0])
		for i := 1; i < len(in.Log); i++ {
			require.LessOrEqual(t, in.Log[i-1].Term, in.Log[i].Term)
		}
		require.LessOrEqual(t, in.Log.LastTerm(), in.Term)
		require.GreaterOrEqual(t, c.Want, in.Commit)
		for _, m := range in.Match {
			require.LessOrEqual(t, m, in.Log.LastIndex())
		}
		sizes[len(in.Match)] = true
		if c.Want > in.Commit {
			moved++
		}
	}
	assert.Len(t, sizes, 7)
	assert.Greater(t, moved, 500, "many cases move the commit index")
}

// Exercise 4: the example's winners, the diagnoses of the two half-rules,
// no names in verdicts, and a fair variant for every student.
func TestExercise4(t *testing.T) {
	assert.Equal(t, []string{"n2", "n3", "n4"}, ExampleElection.Winners())
	assert.Equal(t, []string{"n1", "n3", "n4"}, ExampleElection.winners(byLength))
	assert.Equal(t, []string{"n1", "n2", "n3", "n4"}, ExampleElection.winners(byLastTerm))
	assert.True(t, goodElection(ExampleElection))
	assert.True(t, Exercise4.VerdictFor("", []string{"n4", "n2", "n3"}).Passed, "order does not matter")

	v := Exercise4.VerdictFor("", []string{"n1", "n3", "n4"})
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "only the lengths")
	assert.Contains(t, v.Why, "2 of the 5 replicas are misclassified")
	v = Exercise4.VerdictFor("", []string{"n1", "n2", "n3", "n4"})
	assert.Contains(t, v.Why, "only the last terms")
	assert.Contains(t, v.Why, "1 of the 5 replicas is misclassified")
	v = Exercise4.VerdictFor("", []string{})
	assert.Equal(t, "no replica named yet", v.Why, "the stub's verdict does not count the winners")
	v = Exercise4.VerdictFor("", []string{"n6"})
	assert.Contains(t, v.Why, "no such replica")

	seen := map[string]bool{}
	for _, id := range students {
		e := Exercise4.ParamsFor(id)
		require.True(t, goodElection(e), id)
		require.Len(t, e.Logs, 5)
		seen[e.String()] = true
		want := e.Winners()
		assert.True(t, Exercise4.VerdictFor(id, want).Passed, id)
		for _, wrong := range [][]string{nil, {"n1", "n2", "n3", "n4", "n5"}, e.winners(byLength), e.winners(byLastTerm)} {
			v := Exercise4.VerdictFor(id, wrong)
			require.False(t, v.Passed, id)
			line := v.Line("Exercise 4", 0)
			for i := 1; i <= 5; i++ {
				assert.NotContains(t, line, fmt.Sprintf("n%d", i), "%s: the verdict names no replica: %s", id, line)
			}
		}
	}
	assert.Greater(t, len(seen), len(students)/2, "students get different logs")
}

// randomElection's logs are Raft logs: every pair agrees on a prefix and
// the entries of a term at an index are the same everywhere (the Log
// Matching property holds between every two replicas).
func TestRandomElectionLogMatching(t *testing.T) {
	rng := newTestRand()
	for range 500 {
		e := randomElection(rng)
		for i := range e.Logs {
			for j := range e.Logs {
				_, _, ok := MatchingViolation(e.Log(i), e.Log(j))
				require.True(t, ok, "%v", e)
			}
		}
	}
	assert.True(t, strings.HasPrefix(ExampleElection.String(), "n1: 1 1 1 2 2\nn2: 1 1 1 3"))
}

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(7, 8)) }
