package election

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// RequestVote asks for a vote in Term: the sender is a candidate.
type RequestVote struct{ Term int }

// Vote answers a RequestVote; Term is the voter's term (so that a
// candidate that fell behind learns the newer term).
type Vote struct {
	Term    int
	Granted bool
}

// Heartbeat tells the followers that the sender leads Term.
type Heartbeat struct{ Term int }

// Leader is what a node outputs (ctx.Output) when it becomes the leader
// of Term.
type Leader struct{ Term int }

func (l Leader) String() string { return fmt.Sprintf("leader of term %d", l.Term) }

// TermOf returns the term a lab message (or a Leader output) carries.
func TermOf(msg any) (int, bool) {
	switch m := msg.(type) {
	case RequestVote:
		return m.Term, true
	case Vote:
		return m.Term, true
	case Heartbeat:
		return m.Term, true
	case Leader:
		return m.Term, true
	}
	return 0, false
}

// NodeID returns the ID of node i (1-based): "n1", "n2", ...
func NodeID(i int) netsim.NodeID { return netsim.NodeID(fmt.Sprintf("n%d", i)) }

// Goal names what a goal scenario searches for.
type Goal string

// Goals of the goal scenarios.
const (
	// Elected: some run elects a leader.
	Elected Goal = "elected"
	// Takeover: some run elects a second leader, of a later term, while
	// the first one is crashed.
	Takeover Goal = "takeover"
)

// Scenario is one model-checking task of the lab. Without a Goal it
// checks safety (at most one leader per term, in every run) and, with
// Within > 0, bounded liveness (a leader is up within Within fault-free
// steps); with a Goal it searches for a shortest run that reaches it.
type Scenario struct {
	Nodes int // n1 … nNodes
	// Down is how many of the nodes (the last ones) are down for the
	// whole run: they receive messages and never answer.
	Down                   int
	Loss, Duplicate, Crash int
	// MaxTerm bounds the search: a state with a message or an output of
	// a later term is checked but not explored further.
	MaxTerm int
	Within  int
	// MaxDepth bounds the length of the runs searched (0: none).
	MaxDepth int
	Goal     Goal
	Seed     uint64
	// MaxStates bounds the search (0: DefaultMaxStates).
	MaxStates int
	// Isolated cuts every link: no node may then become leader (it
	// catches nodes that vote through shared memory). Runs are bounded
	// by MaxDepth.
	// The judge keeps it to itself (not in the JSON sent to the
	// student's process), and the other fields look like another
	// hidden scenario's, so that nodes cannot tell the cut is coming.
	Isolated bool `json:"-"`
}

func (s Scenario) ids() []netsim.NodeID {
	ids := make([]netsim.NodeID, s.Nodes)
	for i := range ids {
		ids[i] = NodeID(i + 1)
	}
	return ids
}

// Lesson holds the lab's exercise.
var Lesson = exercise.NewLesson("lab-11-leader-election", "Lab: leader election")

// Visible is the safety scenario the notebook checks; VisibleGoal the
// goal scenario it checks after it (a node that never becomes leader is
// safe, but useless).
var (
	Visible = exercise.Scenario[Scenario]{
		Name:    "3 nodes, up to 1 message lost and 1 crash, terms up to 1",
		In:      Scenario{Nodes: 3, Loss: 1, Crash: 1, MaxTerm: 1, Within: 10, Seed: 1},
		Options: Options,
	}
	VisibleGoal = exercise.Scenario[Scenario]{
		Name:    "3 nodes, a reliable network: some run of up to 8 steps elects a leader",
		In:      Scenario{Nodes: 3, MaxTerm: 1, MaxDepth: 8, Goal: Elected, Seed: 1},
		Options: Options,
	}
)

// Hidden draws the grader's scenarios: more faults, more terms (within a
// bound on the length of runs), more nodes (where counting a majority
// goes wrong), nodes that are down, a leader that crashes, other seeds.
func Hidden(rng *rand.Rand) []exercise.Scenario[Scenario] {
	seed := func() uint64 { return rng.Uint64N(1000) + 2 }
	return labkit.PlaceLast(rng, []exercise.Scenario[Scenario]{
		{Name: "3 nodes, up to 2 messages lost and 1 crash, terms up to 1",
			In: Scenario{Nodes: 3, Loss: 2, Crash: 1, MaxTerm: 1, Within: 10, Seed: seed()}, Options: Options},
		{Name: "3 nodes, up to 1 message lost and 1 duplicated, terms up to 1",
			In: Scenario{Nodes: 3, Loss: 1, Duplicate: 1, MaxTerm: 1, Within: 10, Seed: seed()}, Options: Options},
		{Name: "4 nodes, a reliable network, terms up to 1, runs of up to 8 steps",
			In: Scenario{Nodes: 4, MaxTerm: 1, MaxDepth: 8, Seed: seed()}, Options: Options},
		{Name: "3 nodes, a reliable network, terms up to 2, runs of up to 9 steps",
			In: Scenario{Nodes: 3, MaxTerm: 2, MaxDepth: 9, Seed: seed()}, Options: Options},
		{Name: "5 nodes, 2 of them down: some run of up to 10 steps elects a leader",
			In: Scenario{Nodes: 5, Down: 2, MaxTerm: 1, MaxDepth: 10, Goal: Elected, Seed: seed()}, Options: Options},
		{Name: "3 nodes: some run of up to 9 steps elects a new leader after the first one crashed",
			In: Scenario{Nodes: 3, Crash: 1, MaxTerm: 2, MaxDepth: 9, Goal: Takeover, Seed: seed()}, Options: Options},
		{Name: "3 nodes, every link cut, runs of up to 9 steps: no node may become leader",
			In: Scenario{Nodes: 3, MaxTerm: 2, MaxDepth: 9, Isolated: true, Seed: seed()}, Options: Options},
	})
}

// Search limits of every scenario.
const (
	DefaultMaxStates = 3_000_000
	maxTime          = 60 * time.Second
)

// Property names.
const (
	OneLeaderName = "at most one leader per term"
	LeaderUpName  = "a leader is up"
	ElectedName   = "a leader is elected"
	TakeoverName  = "a new leader after the first one crashed"
)

// Options are the properties and bounds of a scenario's search.
func Options(s Scenario) mcheck.Options {
	states := s.MaxStates
	if states == 0 {
		states = DefaultMaxStates
	}
	if s.Isolated {
		return labkit.IsolationOptions(labkit.Isolation(s.ids(), func(any) bool { return true },
			"a leader needs votes from a majority, and no vote can reach it"), s.MaxDepth, states)
	}
	o := mcheck.Options{
		Faults:    mcheck.Faults{Loss: s.Loss, Duplicate: s.Duplicate, Crash: s.Crash},
		Prune:     []mcheck.Predicate{TermAbove(s.MaxTerm)},
		MaxDepth:  s.MaxDepth,
		MaxStates: states,
		MaxTime:   maxTime,
	}
	switch s.Goal {
	case Elected:
		o.Goal = &mcheck.Predicate{Name: ElectedName, Holds: elected}
	case Takeover:
		o.Goal = &mcheck.Predicate{Name: TakeoverName, Holds: takeover}
	default:
		o.Invariants = []mcheck.Invariant{OneLeaderPerTerm}
		if s.Within > 0 {
			o.Liveness = &mcheck.Liveness{Goal: mcheck.Predicate{Name: LeaderUpName, Holds: leaderUp}, Within: s.Within}
		}
	}
	return o
}

// TermAbove is the prune of the search: some message in flight, or some
// output, carries a term above term.
func TermAbove(term int) mcheck.Predicate {
	return mcheck.Predicate{Name: fmt.Sprintf("a term above %d", term), Holds: func(s *mcheck.State) bool {
		for _, m := range s.InFlight() {
			if t, ok := TermOf(m.Msg); ok && t > term {
				return true
			}
		}
		for _, id := range s.Nodes() {
			for _, o := range s.Outputs(id) {
				if t, ok := TermOf(o); ok && t > term {
					return true
				}
			}
		}
		return false
	}}
}

// leaders returns, per term, the nodes that output Leader of that term,
// or an error for an output that is not a Leader.
func leaders(s *mcheck.State) (map[int][]netsim.NodeID, error) {
	by := map[int][]netsim.NodeID{}
	for _, id := range s.Nodes() {
		for _, o := range s.Outputs(id) {
			l, ok := o.(Leader)
			if !ok {
				return nil, fmt.Errorf("%s output %s (a %T): output only election.Leader{Term: t}", id, mcheck.Text(o), o)
			}
			by[l.Term] = append(by[l.Term], id)
		}
	}
	return by, nil
}

// OneLeaderPerTerm is the invariant: no two nodes become leader of the
// same term.
var OneLeaderPerTerm = mcheck.Invariant{Name: OneLeaderName, Check: func(s *mcheck.State) error {
	by, err := leaders(s)
	if err != nil {
		return err
	}
	bad := -1 // the lowest term with two leaders
	var first, second netsim.NodeID
	for t, ids := range by {
		for _, id := range ids[1:] {
			if id != ids[0] && (bad < 0 || t < bad) {
				bad, first, second = t, ids[0], id
			}
		}
	}
	if bad >= 0 {
		return fmt.Errorf("%s and %s are both leader of term %d", first, second, bad)
	}
	return nil
}}

// elected: some node output Leader.
func elected(s *mcheck.State) bool {
	for _, id := range s.Nodes() {
		if len(s.Outputs(id)) > 0 {
			return true
		}
	}
	return false
}

// leaderUp: the leader of the latest term that had one is not crashed.
func leaderUp(s *mcheck.State) bool {
	best, up := -1, false
	for _, id := range s.Nodes() {
		for _, o := range s.Outputs(id) {
			l, ok := o.(Leader)
			if !ok {
				continue
			}
			switch {
			case l.Term > best:
				best, up = l.Term, !s.Crashed(id)
			case l.Term == best:
				up = up || !s.Crashed(id)
			}
		}
	}
	return up
}

// takeover: a crashed node led some term and a running node leads a
// later one.
func takeover(s *mcheck.State) bool {
	crashedLed, runningLed := -1, -1
	for _, id := range s.Nodes() {
		for _, o := range s.Outputs(id) {
			l, ok := o.(Leader)
			if !ok {
				continue
			}
			if s.Crashed(id) {
				crashedLed = max(crashedLed, l.Term)
			} else {
				runningLed = max(runningLed, l.Term)
			}
		}
	}
	return crashedLed >= 0 && runningLed > crashedLed
}

// down is a node that is down for the whole run: it never answers.
type down struct{}

func (down) Handle(*netsim.Context, netsim.Event) {}

// Build makes the model of a scenario: scenario.Nodes nodes from
// newNode, of which the last scenario.Down never run.
func Build(newNode func() netsim.Node, s Scenario) (*mcheck.Model, error) {
	if newNode == nil {
		return nil, fmt.Errorf("election: no node constructor")
	}
	if s.Nodes < 1 || s.Nodes > 9 || s.Down < 0 || s.Down >= s.Nodes {
		return nil, fmt.Errorf("election: %d nodes with %d down: need 1 to 9 nodes, fewer down", s.Nodes, s.Down)
	}
	m := mcheck.NewModel(s.Seed)
	for i, id := range s.ids() {
		var n netsim.Node = down{}
		if i < s.Nodes-s.Down {
			if n = newNode(); n == nil {
				return nil, fmt.Errorf("election: the node constructor returned nil")
			}
		}
		if err := m.AddNode(id, n); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Registry lists the types that cross the wire under the grader: the
// Leader outputs and the lab's messages (the prune reads their terms).
func Registry() *mcheck.Registry {
	return labkit.Registry(map[string]any{"election.Leader": Leader{}, "election.RequestVote": RequestVote{}, "election.Vote": Vote{},
		"election.Heartbeat": Heartbeat{}})
}

// Judge turns a report into a verdict with a hint for the typical
// mistakes.
func Judge(s Scenario, r *mcheck.Report) exercise.Verdict {
	switch r.Outcome {
	case mcheck.Passed, mcheck.GoalReached:
		return exercise.Right()
	case mcheck.Violated:
		return labkit.Violation(r, hint(r))
	case mcheck.GoalNotReached:
		return exercise.Verdict{Why: fmt.Sprintf("no run reaches %q (%s)", r.Property, strings.TrimSpace(r.String())),
			Hint: "a node whose election timer fires should become a candidate of a new term, vote for itself and ask " +
				"the others; a node grants its vote to the first candidate of a term; a candidate with votes from a " +
				"majority of all nodes becomes leader and outputs election.Leader{Term: t}"}
	case mcheck.LimitReached:
		return labkit.Limit(r, "the search stops at terms above "+fmt.Sprint(s.MaxTerm)+" by reading the terms of the lab's messages: "+
			"send only election.RequestVote, Vote and Heartbeat, and keep the rest of your state bounded")
	}
	return labkit.Undecided(r)
}

// hint diagnoses a violation from the property and its detail.
func hint(r *mcheck.Report) string {
	switch {
	case r.Property == LeaderUpName:
		return "after the faults stop, some node must still time out and run an election it can win: " +
			"does every follower and candidate keep an election timer, and does a candidate give up its own term when it hears a newer one?"
	case strings.Contains(r.Detail, "output only"):
		return "output election.Leader{Term: t} when a node becomes leader, and nothing else"
	}
	return "a node votes at most once per term (remember the vote, also across a crash), and a candidate " +
		"needs votes from a majority of all nodes, each voter counted once (itself included, once)"
}

// Lab is the graded exercise: leader election, model checked.
var Lab = exercise.NewModel(Lesson, "Lab", exercise.ModelSpec[func() netsim.Node, Scenario]{
	Build:       Build,
	Registry:    Registry,
	Visible:     Visible,
	MoreVisible: []exercise.Scenario[Scenario]{VisibleGoal},
	Hidden:      Hidden,
	Judge:       Judge,
	Show:        labkit.Show,
})
