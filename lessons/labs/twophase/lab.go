package twophase

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Nodes is a lab answer: how to build the coordinator of a transaction
// over the given participants, and a participant (canCommit false: its
// part of the work failed, so it must vote no). Both must return a new
// node at every call.
type Nodes struct {
	Coordinator func(participants []netsim.NodeID) netsim.Node
	Participant func(canCommit bool) netsim.Node
}

// build returns the coordinator and the participants of s (the latter
// inside the lab's vote recorder), or an error naming what is missing.
func (n Nodes) build(parts int, voteNo []int) (netsim.Node, []netsim.Node, error) {
	if n.Coordinator == nil || n.Participant == nil {
		return nil, nil, fmt.Errorf("twophase: Nodes needs both constructors, Coordinator and Participant")
	}
	co := n.Coordinator(participantIDs(parts))
	if isNil(co) {
		return nil, nil, fmt.Errorf("twophase: the Coordinator constructor returned nil")
	}
	ps := make([]netsim.Node, parts)
	for i := range ps {
		p := n.Participant(!slices.Contains(voteNo, i+1))
		if isNil(p) {
			return nil, nil, fmt.Errorf("twophase: the Participant constructor returned nil")
		}
		ps[i] = &member{Node: p}
	}
	return co, ps, nil
}

// isNil reports whether n is nil or holds a nil pointer.
func isNil(n netsim.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func participantIDs(n int) []netsim.NodeID {
	ids := make([]netsim.NodeID, n)
	for i := range ids {
		ids[i] = ParticipantID(i + 1)
	}
	return ids
}

// member runs a student's participant and records its votes: when the
// participant sends a Vote that differs from the last one it sent (or is
// its first), the lab outputs voted{...} for it. The fields are the
// participant's node and the last vote seen (0: none, 1: yes, 2: no).
type member struct {
	Node netsim.Node
	Last int8
}

// Handle implements netsim.Node.
func (m *member) Handle(ctx *netsim.Context, ev netsim.Event) {
	m.Node.Handle(netsim.NewContext(&memberEnv{ctx: ctx, m: m}), ev)
}

// memberEnv is the participant's world: everything goes to the real
// context, and votes are recorded on their way out.
type memberEnv struct {
	ctx *netsim.Context
	m   *member
}

func (e *memberEnv) Now() netsim.Time       { return e.ctx.Now() }
func (e *memberEnv) Self() netsim.NodeID    { return e.ctx.Self() }
func (e *memberEnv) Peers() []netsim.NodeID { return e.ctx.Peers() }
func (e *memberEnv) Rand() *rand.Rand       { return e.ctx.Rand() }
func (e *memberEnv) SetTimer(after netsim.Time, tag any) netsim.TimerID {
	return e.ctx.SetTimer(after, tag)
}
func (e *memberEnv) CancelTimer(id netsim.TimerID) bool { return e.ctx.CancelTimer(id) }
func (e *memberEnv) Logf(format string, args []any)     { e.ctx.Logf(format, args...) }
func (e *memberEnv) Output(v any)                       { e.ctx.Output(v) }
func (e *memberEnv) Fail(err error)                     { panic(fmt.Sprintf("twophase: %v", err)) }

func (e *memberEnv) Send(to netsim.NodeID, msg any) {
	if v, ok := msg.(Vote); ok {
		code := int8(2)
		if v.Yes {
			code = 1
		}
		if e.m.Last != code {
			e.m.Last = code
			e.ctx.Output(voted{Yes: v.Yes})
		}
	}
	e.ctx.Send(to, msg)
}

// Scenario is one model-checking task of the lab: the participants
// (which of them vote no), the fault budgets, and the bound of the
// liveness check.
type Scenario struct {
	Participants int   // p1 … pN
	VoteNo       []int // participants (1-based) that cannot commit: they vote no
	// The fault budgets of a run: messages lost, messages duplicated,
	// crashes (of any node; restarts are free).
	Loss, Duplicate, Crash int
	// Within bounds the liveness check: from every state, some
	// continuation of at most Within steps without new faults makes
	// everyone decide.
	Within int
	// Blocking asks for liveness also while the coordinator is down
	// (AllDecide instead of Decide): two-phase commit fails it, which is
	// what the lab's blocking cell shows.
	Blocking bool
	Seed     uint64
	// MaxStates bounds the search (0: DefaultMaxStates).
	MaxStates int
	// Isolated cuts every link: nobody may then commit (it catches nodes
	// that learn votes or the decision through shared memory). Runs are
	// bounded by Within steps.
	// The judge keeps it to itself (not in the JSON sent to the
	// student's process), and the other fields look like another
	// hidden scenario's, so that nodes cannot tell the cut is coming.
	Isolated bool `json:"-"`
}

// Lesson holds the lab's exercise.
var Lesson = exercise.NewLesson("lab-14-two-phase-commit", "Lab: two-phase commit")

// Visible is the scenario the notebook checks: two participants that
// can both commit, and one crash (of any node, the coordinator included).
var Visible = exercise.Scenario[Scenario]{
	Name:    "2 participants, up to 1 crash",
	In:      Scenario{Participants: 2, Crash: 1, Within: 12, Seed: 1},
	Options: Options,
}

// Hidden draws the grader's scenarios: three participants with a crash,
// with a lost message, and with a participant (drawn at random) that
// votes no; two participants with two crashes, and with a lost message,
// a duplicated one and a crash; other seeds.
func Hidden(rng *rand.Rand) []exercise.Scenario[Scenario] {
	seed := func() uint64 { return rng.Uint64N(1000) + 2 }
	no := rng.IntN(3) + 1
	return labkit.PlaceLast(rng, []exercise.Scenario[Scenario]{
		{Name: "3 participants, up to 1 crash",
			In: Scenario{Participants: 3, Crash: 1, Within: 16, Seed: seed()}, Options: Options},
		{Name: "3 participants, up to 1 message lost",
			In: Scenario{Participants: 3, Loss: 1, Within: 16, Seed: seed()}, Options: Options},
		{Name: fmt.Sprintf("3 participants of which p%d votes no, up to 1 crash", no),
			In: Scenario{Participants: 3, VoteNo: []int{no}, Crash: 1, Within: 16, Seed: seed()}, Options: Options},
		{Name: "2 participants, up to 2 crashes",
			In: Scenario{Participants: 2, Crash: 2, Within: 12, Seed: seed()}, Options: Options},
		{Name: "2 participants, up to 1 message lost, 1 duplicated and 1 crash",
			In: Scenario{Participants: 2, Loss: 1, Duplicate: 1, Crash: 1, Within: 12, Seed: seed()}, Options: Options},
		{Name: "2 participants, every link cut, runs of up to 12 steps: nobody may commit",
			In: Scenario{Participants: 2, Crash: 2, Within: 12, Isolated: true, Seed: seed()}, Options: Options},
	})
}

// Search limits of every scenario.
const (
	DefaultMaxStates = 3_000_000
	maxTime          = 60 * time.Second
)

// Property names.
const (
	AtomicityName = "atomicity"
	ValidityName  = "validity"
	// DecideName is the liveness goal the lab grades: a coordinator that
	// is down excuses everyone, once it is up again everyone must decide.
	DecideName = "every node decides while the coordinator is up"
	// AllDecideName asks it also while the coordinator is down: the
	// blocking search.
	AllDecideName = "every node that is up decides"
)

// Options are the properties and bounds of a scenario's search: the
// invariants Validity and Atomicity (in this order: a commit against a
// no, or without a vote, is reported as the validity violation it is,
// although atomicity usually breaks with it), bounded liveness (Decide, or
// AllDecide for a Blocking scenario), the fault budgets, and at most one
// identical copy of a message in flight on a link (two where the network
// may duplicate one): a node that sends the same message again while a
// copy is on its way adds nothing new.
func Options(s Scenario) mcheck.Options {
	states := s.MaxStates
	if states == 0 {
		states = DefaultMaxStates
	}
	if s.Isolated {
		ids := append([]netsim.NodeID{Coordinator}, participantIDs(s.Participants)...)
		return labkit.IsolationOptions(labkit.Isolation(ids, func(o any) bool { return o == Commit },
			"a commit needs every participant's yes vote, and no vote can get through"), s.Within, states)
	}
	goal := Decide
	if s.Blocking {
		goal = AllDecide
	}
	copies := 1
	if s.Duplicate > 0 {
		copies = 2
	}
	return mcheck.Options{
		MaxCopies:  copies,
		Invariants: []mcheck.Invariant{Validity(s), Atomicity},
		Liveness:   &mcheck.Liveness{Goal: goal, Within: s.Within},
		Faults:     mcheck.Faults{Loss: s.Loss, Duplicate: s.Duplicate, Crash: s.Crash},
		MaxStates:  states,
		MaxTime:    maxTime,
	}
}

// outputsOf gives the outputs of a node so far (from an mcheck.State or
// a netsim run).
type outputsOf func(id netsim.NodeID) []any

// outcomes returns the decisions node id output, in order, or an error
// for an output that is neither a decision nor the lab's vote record.
func outcomes(outs outputsOf, id netsim.NodeID) ([]Outcome, error) {
	var out []Outcome
	for _, o := range outs(id) {
		switch v := o.(type) {
		case Outcome:
			if v != Commit && v != Abort {
				return nil, fmt.Errorf("%s output the outcome %q: output only twophase.Commit or twophase.Abort", id, string(v))
			}
			out = append(out, v)
		case voted:
		default:
			return nil, fmt.Errorf("%s output %s (a %T): output only twophase.Commit or twophase.Abort", id, mcheck.Text(o), o)
		}
	}
	return out, nil
}

// Atomicity is the invariant: every node that decided, decided the same
// (the coordinator included; a node that decides twice must decide the
// same both times).
var Atomicity = mcheck.Invariant{Name: AtomicityName, Check: func(s *mcheck.State) error {
	return atomicity(s.Nodes(), s.Outputs)
}}

func atomicity(ids []netsim.NodeID, outs outputsOf) error {
	var first Outcome
	var who netsim.NodeID
	for _, id := range ids {
		decs, err := outcomes(outs, id)
		if err != nil {
			return err
		}
		for i, o := range decs {
			switch {
			case first == "":
				first, who = o, id
			case i > 0 && o != decs[0]:
				return fmt.Errorf("%s decided %s and then %s", id, decs[0], o)
			case o != first:
				return fmt.Errorf("%s decided %s but %s decided %s", who, first, id, o)
			}
		}
	}
	return nil
}

// Validity is the invariant of scenario sc: nobody commits unless every
// participant voted yes (and none voted no).
func Validity(sc Scenario) mcheck.Invariant {
	parts := participantIDs(sc.Participants)
	return mcheck.Invariant{Name: ValidityName, Check: func(s *mcheck.State) error {
		return validity(s.Nodes(), parts, s.Outputs)
	}}
}

func validity(ids, parts []netsim.NodeID, outs outputsOf) error {
	var committer netsim.NodeID
	for _, id := range ids {
		decs, err := outcomes(outs, id)
		if err != nil {
			return err
		}
		if slices.Contains(decs, Commit) {
			committer = id
			break
		}
	}
	if committer == "" {
		return nil
	}
	verb := "committed"
	if committer == Coordinator {
		verb = "decided commit"
	}
	for _, p := range parts {
		yes, no := false, false
		for _, o := range outs(p) {
			if v, ok := o.(voted); ok {
				yes, no = yes || v.Yes, no || !v.Yes
			}
		}
		switch {
		case no:
			return fmt.Errorf("%s %s, but %s voted no", committer, verb, p)
		case !yes:
			return fmt.Errorf("%s %s, but %s has not voted", committer, verb, p)
		}
	}
	return nil
}

// decided reports whether node id output a decision.
func decided(s *mcheck.State, id netsim.NodeID) bool {
	for _, o := range s.Outputs(id) {
		if _, ok := o.(Outcome); ok {
			return true
		}
	}
	return false
}

// allUpDecided: every node that is not crashed has decided.
func allUpDecided(s *mcheck.State) bool {
	for _, id := range s.Nodes() {
		if !s.Crashed(id) && !decided(s, id) {
			return false
		}
	}
	return true
}

// Liveness goals.
var (
	// Decide: the coordinator is down, or every node that is up has
	// decided.
	Decide = mcheck.Predicate{Name: DecideName, Holds: func(s *mcheck.State) bool {
		return s.Crashed(Coordinator) || allUpDecided(s)
	}}
	// AllDecide: every node that is up has decided.
	AllDecide = mcheck.Predicate{Name: AllDecideName, Holds: allUpDecided}
)

// maxParticipants bounds a scenario (the state space grows fast).
const maxParticipants = 5

func (s Scenario) validate() error {
	if s.Participants < 1 || s.Participants > maxParticipants {
		return fmt.Errorf("twophase: %d participants; give 1 to %d", s.Participants, maxParticipants)
	}
	for _, i := range s.VoteNo {
		if i < 1 || i > s.Participants {
			return fmt.Errorf("twophase: VoteNo names participant %d; there are p1 to p%d", i, s.Participants)
		}
	}
	return nil
}

// Build makes the model of a scenario from the answer: the coordinator
// "co" and the participants p1 … pN.
func Build(n Nodes, s Scenario) (*mcheck.Model, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	co, ps, err := n.build(s.Participants, s.VoteNo)
	if err != nil {
		return nil, err
	}
	m := mcheck.NewModel(s.Seed)
	if err := m.AddNode(Coordinator, co); err != nil {
		return nil, err
	}
	for i, p := range ps {
		if err := m.AddNode(ParticipantID(i+1), p); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Registry lists the types that cross the wire under the grader: the
// decisions, the lab's vote records and the lab's messages.
func Registry() *mcheck.Registry {
	r := mcheck.NewRegistry()
	for _, t := range []struct {
		name   string
		sample any
	}{{"twophase.Outcome", Outcome("")}, {"twophase.voted", voted{}}, {"twophase.Prepare", Prepare{}},
		{"twophase.Vote", Vote{}}, {"twophase.Decision", Decision{}}, {"twophase.Query", Query{}}, {"twophase.Ack", Ack{}}} {
		if err := r.Register(t.name, t.sample); err != nil {
			panic(err) // a programming error in this package, caught by its tests
		}
	}
	return r
}

// crashed returns the nodes the schedule crashes, in order.
func crashed(sched mcheck.Schedule) []netsim.NodeID {
	var ids []netsim.NodeID
	for _, a := range sched {
		if a.Kind == mcheck.Crash {
			ids = append(ids, a.Node)
		}
	}
	return ids
}

// Hints of the verdicts.
const (
	hintOutput      = "output twophase.Commit or twophase.Abort when a node decides, and nothing else"
	hintInDoubt     = "a participant that voted yes has promised to do what the coordinator decides: it must never decide on its own (not on a timeout either), only learn the decision — ask the coordinator again (twophase.Query) and wait"
	hintCoordLog    = "the coordinator's decision is its log: keep it in a field that survives a crash, set before the decision is sent; after a restart send the decision you have, and only a coordinator that has none may presume abort"
	hintPartLog     = "a participant's vote yes is a promise that must survive a crash: remember \"prepared\" in a field before you send the vote, and after a restart a prepared participant asks for the decision instead of deciding"
	hintCoordValid  = "the coordinator may decide commit only with a yes from every participant (count each participant once; a no, or a vote still missing when its timer fires, means abort)"
	hintPartValid   = "a participant commits only when the coordinator's Decision says commit; one that voted no (or never voted) may only abort"
	hintLiveness    = "while the coordinator is up, everyone must decide: a coordinator still missing votes gives up with abort on a timer; a restarted coordinator sends its decision again, or decides abort if it had none; a prepared participant that has not heard the decision keeps asking (a timer and twophase.Query), also after a restart; one that never got a Prepare may abort on its own"
	hintLimit       = "keep your nodes' state small: every pending timer is part of the state, so cancel a timer you no longer need, and keep no counter that grows with every retry"
	hintLivenessMsg = "a message can be lost, or arrive at a crashed node and be dropped: "
)

// Judge turns a report into a verdict with a hint for the typical
// mistakes.
func Judge(s Scenario, r *mcheck.Report) exercise.Verdict {
	switch r.Outcome {
	case mcheck.Passed:
		return exercise.Right()
	case mcheck.Violated:
		v := exercise.Verdict{Why: fmt.Sprintf("%q fails after step %d of the run shown: %s", r.Property, r.Step(), r.Detail), Case: r.String()}
		crashes := crashed(r.Schedule)
		switch {
		case r.Property == labkit.IsolationName:
			v.Hint = labkit.IsolationHint
		case strings.Contains(r.Detail, "output only"):
			v.Hint = hintOutput
		case r.Property == AtomicityName && slices.Contains(crashes, Coordinator):
			v.Hint = hintCoordLog
		case r.Property == AtomicityName && len(crashes) > 0:
			v.Hint = hintPartLog + "; and " + hintInDoubt
		case r.Property == AtomicityName:
			v.Hint = hintInDoubt
		case r.Property == ValidityName && strings.HasPrefix(r.Detail, string(Coordinator)+" "):
			v.Hint = hintCoordValid
		case r.Property == ValidityName:
			v.Hint = hintPartValid
		default: // liveness
			v.Hint = hintLiveness
			if s.Loss > 0 || len(crashes) > 0 {
				v.Hint = hintLivenessMsg + v.Hint
			}
		}
		return v
	case mcheck.LimitReached:
		return exercise.Verdict{Why: "the search hit a limit before it could decide (" + r.Limit + ")", Hint: hintLimit, Case: r.String()}
	}
	return exercise.Verdict{Why: r.Outcome.String() + ": " + r.Property, Case: r.String()}
}

// Lab is the graded exercise: two-phase commit with crashes, model
// checked.
var Lab = exercise.NewModel(Lesson, "Lab", exercise.ModelSpec[Nodes, Scenario]{
	Build:    Build,
	Registry: Registry,
	Visible:  Visible,
	Hidden:   Hidden,
	Judge:    Judge,
	Show:     Show,
})
