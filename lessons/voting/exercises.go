package voting

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/quorum"
)

// Lesson holds the exercises of notebook 11.
var Lesson = exercise.NewLesson("11-voting-and-leader-election", "Voting and leader election")

// showReplies formats a read's replies for a failing case.
func showReplies(replies []Reply) string { return "[" + Replies(replies) + "]" }

// readCase builds a case from replies, its expected value the newest's.
func readCase(name string, replies ...Reply) exercise.Case[[]Reply, string] {
	return exercise.Case[[]Reply, string]{Name: name, In: replies, Want: Newest(replies).Value}
}

// ReadCases are Exercise 1's visible cases.
var ReadCases = []exercise.Case[[]Reply, string]{
	readCase("the newest write reached one replica of the read quorum",
		Reply{0, 1, 0, "x=1"}, Reply{1, 1, 0, "x=1"}, Reply{2, 2, 0, "x=2"}),
	readCase("the newest reply comes first",
		Reply{3, 4, 0, "blue"}, Reply{1, 3, 0, "red"}, Reply{4, 2, 0, "green"}),
	readCase("two writers chose the same version",
		Reply{0, 5, 1, "from writer 1"}, Reply{2, 5, 2, "from writer 2"}, Reply{4, 4, 0, "older"}),
	readCase("a single reply", Reply{2, 0, 0, ""}),
}

// hiddenReads draws read quorums of random writes: every reply holds one
// of a few writes, so values repeat and the newest is rarely the most
// common.
func hiddenReads(rng *rand.Rand) []exercise.Case[[]Reply, string] {
	var out []exercise.Case[[]Reply, string]
	for range 20 {
		writes := make([]Reply, 1+rng.IntN(4))
		for i := range writes {
			writes[i] = Reply{Version: rng.IntN(6), Writer: rng.IntN(3)}
			writes[i].Value = fmt.Sprintf("v%d-w%d", writes[i].Version, writes[i].Writer)
		}
		n := 1 + rng.IntN(7)
		replicas := rng.Perm(9)[:n]
		replies := make([]Reply, n)
		for i := range replies {
			replies[i] = writes[rng.IntN(len(writes))]
			replies[i].Replica = replicas[i]
		}
		out = append(out, readCase("", replies...))
	}
	return out
}

// Exercise1 asks for the read rule of a quorum-replicated register.
var Exercise1 = exercise.NewFunc(Lesson, "Exercise 1", exercise.FuncSpec[func([]Reply) string, []Reply, string]{
	Call: func(f func([]Reply) string, in []Reply) string {
		if f == nil {
			panic("the read rule is nil: pass your function")
		}
		return f(slices.Clone(in))
	},
	Test: exercise.Table(exercise.TableSpec[[]Reply, string]{
		Visible: ReadCases,
		Hidden:  hiddenReads,
		Show:    showReplies,
		Hint:    "intersecting quorums put the newest acknowledged write in at least one reply, not in most of them; compare versions, and break a tie between two writers by the writer",
	}),
})

// Weights are the votes of each replica of a weighted quorum system.
type Weights struct{ Votes []int }

func (w Weights) total() int {
	t := 0
	for _, v := range w.Votes {
		t += v
	}
	return t
}

// Exercise2 asks for the smallest vote threshold for which any two
// quorums of a weighted system share a replica.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[Weights, int]{
	Params: func(v exercise.Variant) Weights {
		return Weights{Votes: exercise.Pick(v, []int{3, 1, 1, 1, 1}, []int{2, 2, 1, 1, 1}, []int{4, 1, 1, 1, 1},
			[]int{3, 2, 1, 1}, []int{5, 2, 2, 1}, []int{3, 3, 1, 1}, []int{4, 2, 1, 1, 1}, []int{6, 1, 1, 1, 1, 1})}
	},
	Describe: func(w Weights) string {
		parts := make([]string, len(w.Votes))
		for i, v := range w.Votes {
			parts[i] = fmt.Sprint(v)
		}
		return fmt.Sprintf("%d replicas holding %s votes (%d in all)", len(w.Votes), strings.Join(parts, ", "), w.total())
	},
	Judge: func(w Weights, answer int) exercise.Verdict {
		want, err := SmallestIntersectingThreshold(w.Votes)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		if answer == want {
			return exercise.Right()
		}
		hint := "two groups without a common replica must not both reach the threshold: look for the split of the replicas into two groups whose smaller side holds the most votes"
		if answer < 1 || answer > w.total() {
			return exercise.Wrong(fmt.Sprintf("a threshold is between 1 and the %d votes in all", w.total()), hint)
		}
		sys, err := quorum.Weighted(w.Votes, answer)
		if err != nil {
			return exercise.Wrong(err.Error(), hint)
		}
		chk, err := quorum.Check(sys, sys)
		if err != nil {
			return exercise.Wrong(err.Error(), hint)
		}
		if !chk.OK {
			return exercise.Wrong(fmt.Sprintf("with threshold %d, %s", answer, chk), hint)
		}
		return exercise.Wrong(fmt.Sprintf("threshold %d keeps every two quorums intersecting, but it is not the smallest that does", answer),
			"2t > total is enough, but with uneven weights a smaller t may already work: check the splits again")
	},
})

// Cluster is a number of voters, 0..Nodes-1, deciding by majority.
type Cluster struct{ Nodes int }

// Exercise3 asks for ballots that end in a split vote.
var Exercise3 = exercise.NewValue(Lesson, "Exercise 3", exercise.ValueSpec[Cluster, []quorum.Ballot]{
	Params: func(v exercise.Variant) Cluster { return Cluster{Nodes: exercise.Pick(v, 5, 6, 7, 9)} },
	Describe: func(c Cluster) string {
		return fmt.Sprintf("%d voters, numbered 0 to %d, majority quorums", c.Nodes, c.Nodes-1)
	},
	Judge: func(c Cluster, ballots []quorum.Ballot) exercise.Verdict {
		maj, err := quorum.Majority(c.Nodes)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		t, err := quorum.Count(maj, ballots)
		if err != nil {
			return exercise.Wrong(fmt.Sprintf("the ballots cannot be counted: %v", err), "one ballot per voter, e.g. quorum.Ballot{Voter: 0, Candidate: 1}")
		}
		if t.Missing != 0 {
			return exercise.Wrong(fmt.Sprintf("voters %s have not voted", t.Missing), fmt.Sprintf("all %d voters vote", c.Nodes))
		}
		if t.Outcome != quorum.Split {
			return exercise.Wrong(fmt.Sprintf("the outcome is %s, not a split vote", t.Outcome),
				"a majority needs more than half of all voters; spread the votes so that no candidate has one")
		}
		return exercise.Right()
	},
})

// SplitTarget is what Exercise 4's timeout range must achieve over the
// seeded cold starts: at most MaxSplitPct percent of runs with a split
// vote, and 95% of runs with a leader within P95ms.
type SplitTarget struct {
	MaxSplitPct float64
	P95ms       float64
}

// SpreadCheckRuns is the number of seeded cold starts (seeds 1..200)
// Exercise 4 runs.
const SpreadCheckRuns = 200

// SpreadOutcome is what a timeout spread gives over the SpreadCheckRuns
// cold starts of the default cluster.
type SpreadOutcome struct {
	WithSplit int     // runs with at least one split vote
	P95       float64 // ms; 0 if fewer than 95% elected a leader
	Elected   int
}

// OutcomeOf runs the cold starts for a spread.
func OutcomeOf(spread netsim.Time) (SpreadOutcome, error) {
	if spread < 0 || spread > 10*netsim.Second {
		return SpreadOutcome{}, fmt.Errorf("voting: spread %v not in [0, 10s]", spread)
	}
	cfg := DefaultSweep()
	cfg.Spreads, cfg.Runs = []netsim.Time{spread}, SpreadCheckRuns
	r, err := ElectionSweep(cfg)
	if err != nil {
		return SpreadOutcome{}, err
	}
	s := r.Spreads[0]
	out := SpreadOutcome{WithSplit: s.WithSplit, Elected: s.Elected}
	if 20*s.Elected >= 19*s.Runs {
		out.P95 = s.Quantile(0.95 * float64(s.Runs) / float64(s.Elected))
	}
	return out, nil
}

// Meets reports whether an outcome meets the target.
func (t SplitTarget) Meets(o SpreadOutcome) (splitOK, fastOK bool) {
	splitOK = float64(o.WithSplit) <= t.MaxSplitPct/100*SpreadCheckRuns+1e-9
	fastOK = o.P95 > 0 && o.P95 <= t.P95ms
	return splitOK, fastOK
}

// Exercise4 asks for an election-timeout spread that meets a target.
var Exercise4 = exercise.NewValue(Lesson, "Exercise 4", exercise.ValueSpec[SplitTarget, netsim.Time]{
	Params: func(v exercise.Variant) SplitTarget {
		return exercise.Pick(v, SplitTarget{2, 250}, SplitTarget{1, 200}, SplitTarget{0.5, 190}, SplitTarget{2, 200},
			SplitTarget{1, 220}, SplitTarget{5, 180}, SplitTarget{0.5, 230})
	},
	Describe: func(t SplitTarget) string {
		return fmt.Sprintf("at most %s%% of the %d cold starts with a split vote, and 95%% of them with a leader within %s ms",
			exercise.Format(t.MaxSplitPct), SpreadCheckRuns, exercise.Format(t.P95ms))
	},
	Judge: func(t SplitTarget, spread netsim.Time) exercise.Verdict {
		o, err := OutcomeOf(spread)
		if err != nil {
			return exercise.Wrong(err.Error(), "try values like 40*netsim.Millisecond")
		}
		splitOK, fastOK := t.Meets(o)
		if splitOK && fastOK {
			return exercise.Right()
		}
		got := fmt.Sprintf("with a spread of %v, %d of %d runs had a split vote", spread, o.WithSplit, SpreadCheckRuns)
		if o.P95 > 0 {
			got += fmt.Sprintf(" and 95%% had a leader within %.1f ms", o.P95)
		} else {
			got += fmt.Sprintf(" and only %d elected a leader within 3 s", o.Elected)
		}
		var wrong []string
		if !splitOK {
			wrong = append(wrong, "split votes")
		}
		if !fastOK {
			wrong = append(wrong, "time to elect")
		}
		hint := "more randomness spreads the candidates out, so that one usually wins before the others time out"
		if splitOK {
			hint = "a wider range makes the first timeout fire later on average"
		}
		return exercise.WrongParts(wrong, got, hint)
	},
})

// SmallestIntersectingThreshold returns the smallest threshold for which
// every two quorums of the weighted system intersect (by exhaustive check).
func SmallestIntersectingThreshold(weights []int) (int, error) {
	w0, err := quorum.Weighted(weights, 1)
	if err != nil {
		return 0, err
	}
	for t := 1; t <= w0.Total(); t++ {
		w, err := quorum.Weighted(weights, t)
		if err != nil {
			return 0, err
		}
		chk, err := quorum.Check(w, w)
		if err != nil {
			return 0, err
		}
		if chk.OK {
			return t, nil
		}
	}
	return 0, fmt.Errorf("voting: no threshold makes %v intersect", weights)
}
