package transactions

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

var students = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj"}

func TestExerciseNames(t *testing.T) {
	assert.Equal(t, "14-committing-a-transaction", Lesson.ID)
	var names []string
	for _, e := range Lesson.Exercises() {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"Exercise 1", "Exercise 2", "Exercise 3"}, names)
}

// Exercise 1: every variant's run does what expectedCrash reasons; the
// right prediction passes; wrong ones fail naming only the wrong parts,
// never the answer.
func TestExercise1(t *testing.T) {
	ex := Exercise1.ParamsFor("")
	assert.Equal(t, CrashScenario{Participants: 3, Point: CrashPoint{AfterPrepare, 2}, Downtime: 500 * ms}, ex)
	assert.Equal(t, "3 participants p1..p3; all participants vote yes; the coordinator crashes right after sending Prepare to p1 and p2 only (phase 1) and restarts 500 ms later", ex.String())
	phases, outcomes, noes := map[Phase]bool{}, map[Outcome]bool{}, 0
	for _, id := range append([]string{""}, students...) {
		s := Exercise1.ParamsFor(id)
		o, blocked, err := CrashFacts(s)
		require.NoError(t, err, id)
		wantO, wantB := expectedCrash(s.Participants, s.VoteNo, s.Point)
		require.Equal(t, wantO, o, "%s: %s", id, s)
		var wb []string
		for _, b := range wantB {
			wb = append(wb, string(b))
		}
		require.Equal(t, wb, blocked, "%s: %s", id, s)
		phases[s.Point.Phase], outcomes[o] = true, true
		if s.VoteNo != "" {
			noes++
		}
		assert.True(t, Exercise1.VerdictFor(id, CrashPrediction{Outcome: string(o), Blocked: slices.Clone(blocked)}).Passed, id)
		// Wrong outcome, and a wrong blocked set.
		other := Commit
		if o == Commit {
			other = Abort
		}
		v := Exercise1.VerdictFor(id, CrashPrediction{Outcome: string(other), Blocked: blocked})
		assert.Equal(t, []string{"Outcome"}, v.Wrong, id)
		flipped := append(slices.Clone(blocked), "p1") // p1's membership flipped
		if slices.Contains(blocked, "p1") {
			flipped = slices.DeleteFunc(slices.Clone(blocked), func(s string) bool { return s == "p1" })
		}
		v = Exercise1.VerdictFor(id, CrashPrediction{Outcome: string(o), Blocked: flipped})
		assert.Equal(t, []string{"Blocked"}, v.Wrong, id)
		line := v.Line("Exercise 1", 0)
		for _, b := range blocked {
			assert.NotContains(t, line, b, "%s: the verdict names no blocked participant", id)
		}
	}
	assert.Len(t, phases, 2, "students get both phases")
	assert.Len(t, outcomes, 2, "and both outcomes")
	assert.Positive(t, noes)

	v := Exercise1.VerdictFor("", CrashPrediction{})
	assert.Equal(t, "no outcome predicted yet", v.Why, "the stub reveals nothing")
	v = Exercise1.VerdictFor("", CrashPrediction{Outcome: "maybe"})
	assert.Contains(t, v.Why, `"maybe"`)
	v = Exercise1.VerdictFor("", CrashPrediction{Outcome: "abort", Blocked: []string{"p9"}})
	assert.Contains(t, v.Why, "no such participant")
	assert.True(t, Exercise1.VerdictFor("", CrashPrediction{Outcome: " Abort", Blocked: []string{"p2", "P1"}}).Passed)
	assert.Equal(t, "nobody", firstN(0, 3))
	assert.Equal(t, "all 3 participants", firstN(3, 3))
	assert.Equal(t, "p1 only", firstN(1, 4))
	assert.Equal(t, "p1, p2 and p3 only", firstN(3, 4))
}

// Exercise 2: the reference passes cases and runs; the tempting wrong
// rules fail with their diagnosis; a rule that never helps fails inside
// the runs; a rule wrong only for long reply lists fails only on hidden
// cases.
func TestExercise2(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		v := Exercise2.VerdictOf(Terminate, true, seed)
		assert.True(t, v.Passed, "seed %d: %+v", seed, v)
	}
	v := Exercise2.VerdictOf(CommitIfAllPrepared, false, 1)
	require.False(t, v.Passed)
	assert.Contains(t, v.Why, "every peer that answered is prepared too")
	assert.Contains(t, v.Why, "the coordinator may have decided abort")

	abortWhenUnsure := func(own State, replies []State) Outcome {
		if o := Terminate(own, replies); o.Decided() {
			return o
		}
		return Abort
	}
	v = Exercise2.VerdictOf(abortWhenUnsure, false, 1)
	assert.Contains(t, v.Why, "aborting can break atomicity")

	// Only looks at the first reply: passes the table's one-answer-decides
	// cases except where the deciding answer comes second.
	firstOnly := func(own State, replies []State) Outcome {
		if len(replies) > 0 {
			return Terminate(own, replies[:1])
		}
		return Terminate(own, nil)
	}
	v = Exercise2.VerdictOf(firstOnly, false, 1)
	assert.False(t, v.Passed)

	// Right on the table, but ignores "working" replies when there are
	// more than three of them: hidden cases catch it.
	fewWorking := func(own State, replies []State) Outcome {
		if len(replies) > 3 {
			var rs []State
			for _, r := range replies {
				if r != Working {
					rs = append(rs, r)
				}
			}
			return Terminate(own, rs)
		}
		return Terminate(own, replies)
	}
	assert.True(t, Exercise2.VerdictOf(fewWorking, false, 1).Passed)
	v = Exercise2.VerdictOf(fewWorking, true, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "hidden case")

	// The runs alone catch a rule that waits for the coordinator.
	never := func(own State, replies []State) Outcome { return Unknown }
	caught := false
	for _, c := range TermRuns() {
		if v := judgeTermRun(c, never); !v.Passed {
			caught = true
			assert.Contains(t, v.Why, "stays blocked")
		}
	}
	assert.True(t, caught)
	// ... and one that breaks atomicity.
	caught = false
	for _, c := range TermRuns() {
		if v := judgeTermRun(c, CommitIfAllPrepared); !v.Passed && strings.Contains(v.Why, "invariant") {
			caught = true
		}
	}
	assert.True(t, caught, "CommitIfAllPrepared breaks an invariant in a crash-point run")
}

// Exercise 3: the reference passes the cases and the runs; checks that
// forget the coordinator, validity or the order fail; one that forgets
// the coordinator only when it is the lone decided process fails inside
// the runs.
func TestExercise3(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		v := Exercise3.VerdictOf(Violated, true, seed)
		assert.True(t, v.Passed, "seed %d: %+v", seed, v)
	}
	noCoordinator := func(s Snapshot) []string {
		s.Coordinator = Unknown
		return Violated(s)
	}
	v := Exercise3.VerdictOf(noCoordinator, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "expected:")

	atomicOnly := func(s Snapshot) []string {
		if slices.Contains(Violated(s), Atomicity) {
			return []string{Atomicity}
		}
		return nil
	}
	assert.False(t, Exercise3.VerdictOf(atomicOnly, false, 1).Passed)

	reversed := func(s Snapshot) []string {
		out := Violated(s)
		slices.Reverse(out)
		return out
	}
	assert.False(t, Exercise3.VerdictOf(reversed, false, 1).Passed)

	// Validity that only looks at "no" votes, not missing ones: the
	// visible case with a missing vote catches it.
	noVotesOnly := func(s Snapshot) []string {
		var out []string
		if slices.Contains(Violated(s), Atomicity) {
			out = append(out, Atomicity)
		}
		committed := s.Coordinator == Commit
		for _, p := range s.Participants {
			committed = committed || p.State == Committed
		}
		for _, p := range s.Participants {
			if committed && p.Vote == No {
				return append(out, Validity)
			}
		}
		return out
	}
	assert.False(t, Exercise3.VerdictOf(noVotesOnly, false, 1).Passed)
}

// The runs of Exercise 3 include states that break each invariant, and
// states that break none.
func TestInvariantRunsCoverBothInvariants(t *testing.T) {
	seen := map[string]bool{}
	clean := 0
	for _, c := range InvariantRuns() {
		c.Observe = func(_ netsim.Time, _ netsim.NodeID, s Snapshot) {
			vs := Violated(s)
			if len(vs) == 0 {
				clean++
			}
			for _, v := range vs {
				seen[v] = true
			}
		}
		_, err := Simulate(c)
		require.NoError(t, err)
	}
	assert.True(t, seen[Atomicity] && seen[Validity], "%v", seen)
	assert.Positive(t, clean)
}

// randomSnapshot covers every combination of the invariants.
func TestRandomSnapshots(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	kinds := map[string]int{}
	for range 2000 {
		kinds[fmt.Sprint(Violated(randomSnapshot(rng)))]++
	}
	assert.Len(t, kinds, 4, "%v", kinds)
	for k, n := range kinds {
		assert.Greater(t, n, 20, k)
	}
}
