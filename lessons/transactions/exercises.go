package transactions

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
)

// Lesson holds the exercises of notebook 14.
var Lesson = exercise.NewLesson("14-committing-a-transaction", "Committing a transaction")

// The exercises are made in init, after every package variable, so that
// they register in their notebook order.
func init() {
	Exercise1 = newExercise1()
	Exercise2 = newExercise2()
	Exercise3 = newExercise3()
}

// ---------------------------------------------------------------------
// Exercise 1: predict, then run — a coordinator crash.

// CrashScenario is a variant of Exercise 1: two-phase commit with
// Participants participants (VoteNo votes no, if set), whose coordinator
// crashes at Point and restarts Downtime later.
type CrashScenario struct {
	Participants int
	VoteNo       netsim.NodeID
	Point        CrashPoint
	Downtime     netsim.Time
}

// Config is the scenario's configuration: the default timing (Prepare at
// 20 ms, 5 ms delays, participants abort on their own at 220 ms without a
// Prepare).
func (s CrashScenario) Config() Config {
	c := CoordinatorCrash(s.Point, s.Downtime)
	c.Participants = s.Participants
	if s.VoteNo != "" {
		c.VoteNo = []netsim.NodeID{s.VoteNo}
	}
	return c
}

func (s CrashScenario) String() string {
	votes := "all participants vote yes"
	if s.VoteNo != "" {
		votes = string(s.VoteNo) + " votes no, the others yes"
	}
	var where string
	switch s.Point.Phase {
	case AfterPrepare:
		where = "right after sending Prepare to " + firstN(s.Point.After, s.Participants) + " (phase 1)"
	case AfterDecision:
		where = "right after writing its decision to its log and sending it to " + firstN(s.Point.After, s.Participants) + " (phase 2)"
	}
	return fmt.Sprintf("%d participants p1..p%d; %s; the coordinator crashes %s and restarts %s later",
		s.Participants, s.Participants, votes, where, fmtMs(s.Downtime))
}

// firstN names the first k of n participants, in the order the
// coordinator sends to them.
func firstN(k, n int) string {
	switch {
	case k <= 0:
		return "nobody"
	case k >= n:
		return fmt.Sprintf("all %d participants", n)
	case k == 1:
		return "p1 only"
	}
	var names []string
	for i := 1; i <= k; i++ {
		names = append(names, string(ParticipantName(i)))
	}
	return strings.Join(names[:k-1], ", ") + " and " + names[k-1] + " only"
}

// CrashPrediction is a student's prediction for a CrashScenario: the
// outcome ("commit" or "abort") and the participants that stay prepared,
// holding their locks without knowing the outcome, until the coordinator
// restarts.
type CrashPrediction struct {
	Outcome string
	Blocked []string
}

// CrashFacts runs the scenario and reads the outcome every participant
// reached and the participants that learned it only after the
// coordinator's restart, having voted yes.
func CrashFacts(s CrashScenario) (Outcome, []string, error) {
	r, err := Simulate(s.Config())
	if err != nil {
		return Unknown, nil, err
	}
	if !r.Terminated() || !r.OK() {
		return Unknown, nil, fmt.Errorf("transactions: the scenario did not end cleanly (seed %d)", r.Config.Seed)
	}
	restart := r.Config.End
	for _, seg := range r.Timeline {
		if seg.Node == Coordinator && seg.What == "down" {
			restart = seg.To
		}
	}
	o := outcomeOf(r.Participants[0].State)
	var blocked []string
	for _, p := range r.Participants {
		if p.Prepared && p.DecidedAt >= restart {
			blocked = append(blocked, string(p.ID))
		}
	}
	return o, blocked, nil
}

func newExercise1() *exercise.Value[CrashScenario, CrashPrediction] {
	return exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[CrashScenario, CrashPrediction]{
		Params: func(v exercise.Variant) CrashScenario {
			if v.Example() {
				return CrashScenario{Participants: 3, Point: CrashPoint{AfterPrepare, 2}, Downtime: 500 * ms}
			}
			rng := v.Rand()
			n := 3 + rng.IntN(2)
			s := CrashScenario{Participants: n, Downtime: exercise.Pick(v, 500*ms, 300*ms, 800*ms)}
			if rng.IntN(3) == 0 {
				s.VoteNo = ParticipantName(1 + rng.IntN(n))
			}
			s.Point = CrashPoint{Phase: exercise.Pick(v, AfterPrepare, AfterDecision), After: rng.IntN(n + 1)}
			return s
		},
		Describe: func(s CrashScenario) string { return s.String() },
		Judge: func(s CrashScenario, answer CrashPrediction) exercise.Verdict {
			wantO, wantB, err := CrashFacts(s)
			if err != nil {
				return exercise.Wrong(err.Error(), "tell your instructor: this is a bug in the lesson")
			}
			o := Outcome(strings.ToLower(strings.TrimSpace(answer.Outcome)))
			switch o {
			case "":
				return exercise.Wrong("no outcome predicted yet", `predict "commit" or "abort", and list the blocked participants, before you run the scenario`)
			case Commit, Abort:
			default:
				return exercise.Wrong(fmt.Sprintf("the outcome %q is neither \"commit\" nor \"abort\"", answer.Outcome), "")
			}
			got := slices.Clone(answer.Blocked)
			for i := range got {
				got[i] = strings.ToLower(strings.TrimSpace(got[i]))
			}
			slices.Sort(got)
			got = slices.Compact(got)
			var unknown []string
			for _, g := range got {
				if !slices.Contains(participantNames(s.Participants), g) {
					unknown = append(unknown, fmt.Sprintf("%q", g))
				}
			}
			if len(unknown) > 0 {
				return exercise.Wrong("no such participant: "+strings.Join(unknown, ", "), fmt.Sprintf("name participants as \"p1\" … \"p%d\"", s.Participants))
			}
			var wrong []string
			if o != wantO {
				wrong = append(wrong, "Outcome")
			}
			mis := 0
			for _, id := range participantNames(s.Participants) {
				if slices.Contains(got, id) != slices.Contains(wantB, id) {
					mis++
				}
			}
			if mis > 0 {
				wrong = append(wrong, "Blocked")
			}
			if len(wrong) == 0 {
				return exercise.Right()
			}
			why := "not what the run does"
			if mis > 0 {
				why = fmt.Sprintf("%d participant(s) misclassified as blocked or not", mis)
			}
			return exercise.WrongParts(wrong, why,
				"a participant is stuck exactly when it voted yes and the decision had not reached it when the coordinator crashed; one that never got a Prepare aborts on its own; a coordinator that restarts without a decision in its log aborts")
		},
	})
}

func participantNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = string(ParticipantName(i + 1))
	}
	return out
}

// Exercise1 is the prediction of a coordinator crash.
var Exercise1 *exercise.Value[CrashScenario, CrashPrediction]

// ---------------------------------------------------------------------
// Exercise 2: the cooperative termination rule.

// TermInput is one call of a TerminationRule.
type TermInput struct {
	Own     State
	Replies []State
}

func (in TermInput) String() string {
	rs := make([]string, len(in.Replies))
	for i, r := range in.Replies {
		rs[i] = r.String()
	}
	return fmt.Sprintf("own %s, replies [%s]", in.Own, strings.Join(rs, " "))
}

// TermCases are the visible cases of Exercise 2.
func TermCases() []exercise.Case[TermInput, Outcome] {
	c := func(name string, own State, replies ...State) exercise.Case[TermInput, Outcome] {
		in := TermInput{Own: own, Replies: replies}
		return exercise.Case[TermInput, Outcome]{In: in, Want: Terminate(own, replies), Name: name}
	}
	return []exercise.Case[TermInput, Outcome]{
		c("a peer committed", Prepared, Prepared, Committed),
		c("a peer aborted", Prepared, Aborted, Prepared),
		c("a peer had not voted yet", Prepared, Prepared, Working),
		c("every peer that answered is prepared too", Prepared, Prepared, Prepared),
		c("no peer answered yet", Prepared),
		c("already committed", Committed, Prepared),
	}
}

func randomTermCase(rng *rand.Rand) exercise.Case[TermInput, Outcome] {
	in := TermInput{Own: Prepared}
	if rng.IntN(8) == 0 {
		in.Own = []State{Committed, Aborted}[rng.IntN(2)]
	}
	for range rng.IntN(7) {
		// Replies are mostly prepared: that is where mistakes hide.
		s := Prepared
		if rng.IntN(3) == 0 {
			s = State(rng.IntN(4))
		}
		in.Replies = append(in.Replies, s)
	}
	return exercise.Case[TermInput, Outcome]{In: in, Want: Terminate(in.Own, in.Replies), Name: "random replies"}
}

const termHint = "a prepared participant may adopt commit if some peer committed, and abort if some peer aborted or had " +
	"not voted (it aborts when asked); when every answer says prepared nobody knows, and it must return unknown and wait"

// diagnoseTerm names a typical mistake behind a wrong answer.
func diagnoseTerm(in TermInput, got Outcome) string {
	want := Terminate(in.Own, in.Replies)
	switch {
	case want == Unknown && got == Commit:
		return "with every answer prepared, committing can break atomicity: the coordinator may have decided abort"
	case want == Unknown && got == Abort:
		return "with every answer prepared, aborting can break atomicity: the coordinator may have decided commit"
	case !got.Decided() && got != Unknown:
		return fmt.Sprintf("%q is not an outcome (commit, abort or unknown)", got)
	}
	return ""
}

func newExercise2() *exercise.Func[TerminationRule, TermInput, Outcome] {
	return exercise.NewFunc(Lesson, "Exercise 2", exercise.FuncSpec[TerminationRule, TermInput, Outcome]{
		Call: func(f TerminationRule, in TermInput) Outcome {
			o := f(in.Own, slices.Clone(in.Replies))
			if o == "" {
				o = Unknown
			}
			return o
		},
		Test: func(t *exercise.T[TermInput, Outcome]) {
			exercise.Table(exercise.TableSpec[TermInput, Outcome]{
				Visible:  TermCases(),
				Hidden:   exercise.Draw(200, randomTermCase),
				Show:     TermInput.String,
				ShowOut:  func(o Outcome) string { return string(o) },
				Diagnose: diagnoseTerm,
				Hint:     termHint,
			})(t)
			rule := func(own State, replies []State) Outcome { return t.Call(TermInput{Own: own, Replies: replies}) }
			runs := TermRuns()
			if t.Hidden() {
				for range 20 {
					runs = append(runs, WithProtocol(RandomFaults(1+t.Rand().Uint64N(1_000_000)), Cooperative))
				}
			}
			for _, c := range runs {
				if v := judgeTermRun(c, rule); !v.Passed {
					t.Fatal(v)
				}
			}
		},
	})
}

// TermRuns are the runs Exercise 2 plugs a rule into: cooperative
// termination with the coordinator crashing at every crash point.
func TermRuns() []Config {
	var out []Config
	for _, phase := range []Phase{AfterPrepare, AfterDecision} {
		for k := 0; k <= 3; k++ {
			out = append(out, WithProtocol(CoordinatorCrash(CrashPoint{phase, k}, 500*ms), Cooperative))
		}
	}
	return out
}

// judgeTermRun runs c with rule as the termination rule: no invariant may
// break, and every participant must decide no later than with the
// reference rule.
func judgeTermRun(c Config, rule TerminationRule) exercise.Verdict {
	ref, err := Simulate(c)
	if err != nil {
		return exercise.Wrong("the run stopped: "+err.Error(), "tell your instructor: this is a bug in the lesson")
	}
	c.Terminate = rule
	r, err := Simulate(c)
	if err != nil {
		return exercise.Wrong("the run with your rule stopped: "+err.Error(), "")
	}
	name := fmt.Sprintf("a run of cooperative termination with your rule (seed %d", c.Seed)
	if c.Crash.Phase != NoCrash {
		name += "; the coordinator crashes " + c.Crash.String()
	}
	name += ")"
	if !r.OK() {
		return exercise.Wrong(name+" breaks an invariant: "+r.Violations[0].String(), termHint)
	}
	for i, p := range r.Participants {
		rp := ref.Participants[i]
		late := !p.Decided && rp.Decided || p.Decided && rp.Decided && p.DecidedAt > rp.DecidedAt
		if late {
			return exercise.Wrong(fmt.Sprintf("in %s, %s stays blocked although it could have learned the outcome from a peer", name, p.ID),
				"return commit or abort as soon as one answer settles it")
		}
	}
	return exercise.Right()
}

// Exercise2 is the cooperative termination rule.
var Exercise2 *exercise.Func[TerminationRule, TermInput, Outcome]

// ---------------------------------------------------------------------
// Exercise 3: the invariants.

// InvariantFunc lists the invariants a snapshot breaks: a subset of
// "atomicity" and "validity", in that order.
type InvariantFunc func(s Snapshot) []string

// InvariantCases are the visible cases of Exercise 3.
func InvariantCases() []exercise.Case[Snapshot, []string] {
	c := func(name string, co Outcome, ps ...PState) exercise.Case[Snapshot, []string] {
		s := Snapshot{Coordinator: co, Participants: ps}
		return exercise.Case[Snapshot, []string]{In: s, Want: Violated(s), Name: name}
	}
	return []exercise.Case[Snapshot, []string]{
		c("everyone committed", Commit, PState{"p1", Yes, Committed}, PState{"p2", Yes, Committed}),
		c("nothing decided yet", Unknown, PState{"p1", Yes, Prepared}, PState{"p2", NotVoted, Working}),
		c("one committed, one aborted", Unknown, PState{"p1", Yes, Committed}, PState{"p2", Yes, Aborted}),
		c("a participant disagrees with the coordinator", Abort, PState{"p1", Yes, Committed}, PState{"p2", Yes, Prepared}),
		c("commit decided without every vote", Commit, PState{"p1", Yes, Prepared}, PState{"p2", NotVoted, Working}),
		c("a no voter, and a commit", Unknown, PState{"p1", Yes, Committed}, PState{"p2", No, Aborted}),
		c("aborts agree", Abort, PState{"p1", Yes, Aborted}, PState{"p2", No, Aborted}),
	}
}

func randomSnapshot(rng *rand.Rand) Snapshot {
	s := Snapshot{Coordinator: []Outcome{Unknown, Commit, Abort}[rng.IntN(3)]}
	for i := range 1 + rng.IntN(5) {
		p := PState{ID: string(ParticipantName(i + 1)), State: State(rng.IntN(4))}
		switch p.State {
		case Working:
			p.Vote = NotVoted
		case Prepared, Committed:
			p.Vote = Yes
		case Aborted:
			p.Vote = []Vote{NotVoted, Yes, No}[rng.IntN(3)]
		}
		if rng.IntN(10) == 0 {
			p.Vote = []Vote{NotVoted, Yes, No}[rng.IntN(3)] // states that only broken protocols reach
		}
		s.Participants = append(s.Participants, p)
	}
	return s
}

func sameInvariants(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || slices.Equal(a, b))
}

const invariantHint = `atomicity: the coordinator's decision (if any) and every committed or aborted participant agree; ` +
	`validity: if anyone committed or the coordinator decided commit, every participant voted yes; return the names ` +
	`broken, "atomicity" before "validity", or nothing`

// InvariantRuns are the runs Exercise 3 checks a student's invariants
// inside: broken protocols whose runs break the invariants at known steps,
// and correct ones.
func InvariantRuns() []Config {
	c1 := DefaultConfig()
	c1.Broken.AbortOnTimeout = true
	c1.Crash, c1.Downtime = CrashPoint{AfterDecision, 1}, 500*ms
	c2 := DefaultConfig()
	c2.Broken.ForgetDecision = true
	c2.Crash, c2.Downtime = CrashPoint{AfterDecision, 1}, 300*ms
	c3 := ParticipantCrash(22 * ms)
	c3.Decide = CommitOnTimeout
	return []Config{c1, c2, c3, NoVote(), CoordinatorCrash(CrashPoint{AfterDecision, 2}, 300*ms)}
}

func newExercise3() *exercise.Func[InvariantFunc, Snapshot, []string] {
	return exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[InvariantFunc, Snapshot, []string]{
		Call: func(f InvariantFunc, in Snapshot) []string {
			in.Participants = slices.Clone(in.Participants)
			return f(in)
		},
		Test: func(t *exercise.T[Snapshot, []string]) {
			exercise.Table(exercise.TableSpec[Snapshot, []string]{
				Visible: InvariantCases(),
				Hidden: exercise.Draw(200, func(rng *rand.Rand) exercise.Case[Snapshot, []string] {
					s := randomSnapshot(rng)
					return exercise.Case[Snapshot, []string]{In: s, Want: Violated(s), Name: "random state"}
				}),
				Same: func(_ Snapshot, want, got []string) bool { return sameInvariants(want, got) },
				Show: func(s Snapshot) string { return s.String() },
				Hint: invariantHint,
			})(t)
			if t.Failed() {
				return
			}
			runs := InvariantRuns()
			if t.Hidden() {
				for _, v := range Variants()[3:] {
					c := RandomFaults(1 + t.Rand().Uint64N(1_000_000))
					c.Broken, c.Decide, c.Terminate = v.Broken, v.Decide, v.Rule
					runs = append(runs, WithProtocol(c, v.Protocol))
				}
			}
			for _, c := range runs {
				var fail *exercise.Verdict
				c.Observe = func(now netsim.Time, node netsim.NodeID, s Snapshot) {
					if fail != nil {
						return
					}
					got := t.Call(s)
					if want := Violated(s); !sameInvariants(want, got) {
						fail = &exercise.Verdict{Why: fmt.Sprintf("inside a run (seed %d), after a step of %s at %v, your check disagrees with the state", c.Seed, node, now),
							Hint: invariantHint, Case: "state: " + s.String()}
					}
				}
				if _, err := Simulate(c); err != nil && fail == nil {
					t.Fatal(exercise.Wrong("the run stopped: "+err.Error(), ""))
				}
				if fail != nil {
					t.Fatal(*fail)
				}
			}
		},
	})
}

// Exercise3 is the invariants.
var Exercise3 *exercise.Func[InvariantFunc, Snapshot, []string]
