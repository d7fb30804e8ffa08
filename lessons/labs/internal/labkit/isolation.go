package labkit

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// IsolationName is the property of every lab's isolation scenario: the
// nodes run with every link cut (mcheck.Options.Isolated), so nothing
// they output may depend on a message.
const IsolationName = "nodes learn only from messages"

// IsolationHint is the hint for a violation of IsolationName.
const IsolationHint = "with every link cut, a node output what only a message could have told it: nodes may share " +
	"nothing but messages — no package-level variables, no pointer into another node's state; keep each node's " +
	"state in its own fields"

// Isolation is the invariant of an isolation scenario: no output of the
// nodes ids is one that learned reports as knowable only from a message
// (a delivery, a leader elected by votes, a commit). what names such an
// output in the verdict ("a delivery", "a commit").
func Isolation(ids []netsim.NodeID, learned func(any) bool, what string) mcheck.Invariant {
	ids = slices.Clone(ids)
	return mcheck.Invariant{Name: IsolationName, Check: func(s *mcheck.State) error {
		for _, id := range ids {
			for _, o := range s.Outputs(id) {
				if learned(o) {
					return fmt.Errorf("%s output %s (%s), but no message can reach it", id, mcheck.Text(o), what)
				}
			}
		}
		return nil
	}}
}

// IsolationOptions are the search options of an isolation scenario: the
// invariant inv, every link cut, runs of at most depth steps (a node
// alone may keep timing out forever), and the given state bound.
func IsolationOptions(inv mcheck.Invariant, depth, maxStates int) mcheck.Options {
	return mcheck.Options{
		Invariants: []mcheck.Invariant{inv},
		Isolated:   true,
		MaxDepth:   depth,
		MaxStates:  maxStates,
		MaxTime:    isolationTime,
	}
}

// isolationTime bounds an isolation scenario's search: it is small.
const isolationTime = 30 * time.Second

// PlaceLast moves the last scenario of list (a lab's isolation scenario)
// to a position drawn with rng, the grader's seeded source: where it runs
// among the hidden scenarios then depends on the grading seed, so nodes
// cannot recognise it by its place either.
func PlaceLast[S any](rng *rand.Rand, list []exercise.Scenario[S]) []exercise.Scenario[S] {
	if len(list) < 2 {
		return list
	}
	last := list[len(list)-1]
	rest := slices.Clone(list[:len(list)-1])
	return slices.Insert(rest, rng.IntN(len(list)), last)
}
