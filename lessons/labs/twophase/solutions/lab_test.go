// Tests of lab package twophase. They live with the solutions, because they
// run the reference answer (reference_test.go, the same code as the
// solutions file), and the grader's sandbox hides every solutions directory
// from the code it runs.
package twophase_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/lessons/labs/internal/labtest"
	"github.com/dslessons/course/lessons/labs/twophase"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

func TestReferenceIsTheSolution(t *testing.T) {
	labtest.SameAnswers(t, "lab-14-two-phase-commit.go.txt", "reference_test.go")
}

func TestReferencePassesHiddenScenarios(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		if v := twophase.Lab.VerdictOf(reference, true, seed); !v.Passed {
			t.Fatalf("seed %d: %+v", seed, v)
		}
	}
}

// The lab does not prescribe the design: a coordinator that sends its
// decision until everyone acknowledged it passes too.
func TestPushDesignPasses(t *testing.T) {
	if v := twophase.Lab.VerdictOf(pushNodes, true, 1); !v.Passed {
		t.Fatalf("%+v", v)
	}
}

// A participant that never cancels a timer is correct, and the hidden
// scenarios are small enough for it (it visits many more states).
func TestUntidyTimersPass(t *testing.T) {
	if testing.Short() {
		t.Skip("searches about five million states")
	}
	if v := twophase.Lab.VerdictOf(untidyNodes, true, 1); !v.Passed {
		t.Fatalf("%+v", v)
	}
	_, tidy, err := twophase.Lab.Search(reference, twophase.Visible)
	if err != nil {
		t.Fatal(err)
	}
	_, messy, err := twophase.Lab.Search(untidyNodes, twophase.Visible)
	if err != nil {
		t.Fatal(err)
	}
	if messy.States < 3*tidy.States {
		t.Fatalf("pending timers should multiply the states: %d with them, %d without", messy.States, tidy.States)
	}
}

func TestStarterFails(t *testing.T) {
	_, r, err := twophase.Lab.Search(starter, twophase.Visible)
	if err != nil {
		t.Fatal(err)
	}
	// p1 gets the Prepare, votes yes and commits at once: p2 has not even
	// voted.
	if r.Outcome != mcheck.Violated || r.Property != twophase.ValidityName || r.Step() != 1 ||
		r.Detail != "p1 committed, but p2 has not voted" {
		t.Fatalf("%v", r)
	}
	v := twophase.Lab.VerdictOf(starter, true, 1)
	if v.Passed || !strings.Contains(v.Hint, "Decision says commit") {
		t.Fatalf("%+v", v)
	}
}

// Typical mistakes: the scenario that catches each (the notebook's check,
// or only a hidden one), the property and the hint.
func TestMistakes(t *testing.T) {
	for _, c := range []struct {
		kind     string
		visible  bool   // caught by the notebook's check
		scenario string // in the verdict
		property string
		hint     string
	}{
		{"aborts when in doubt", true, "2 participants, up to 1 crash", twophase.AtomicityName, "never decide on its own"},
		{"forgets it is prepared", true, "2 participants, up to 1 crash", twophase.AtomicityName, "must survive a crash"},
		{"forgets its decision", true, "2 participants, up to 1 crash", twophase.AtomicityName, "the coordinator's decision is its log"},
		{"commits on timeout", true, "2 participants, up to 1 crash", twophase.ValidityName, "a yes from every participant"},
		{"silent after restart", true, "2 participants, up to 1 crash", twophase.DecideName, "a restarted coordinator sends its decision again"},
		{"no vote timer", true, "2 participants, up to 1 crash", twophase.DecideName, "gives up with abort on a timer"},
		{"counts any vote", false, "votes no", twophase.ValidityName, "a yes from every participant"},
		{"expects two participants", false, "3 participants, up to 1 crash", twophase.ValidityName, "a yes from every participant"},
		{"never asks again", false, "3 participants, up to 1 message lost", twophase.DecideName, "keeps asking"},
		{"counts votes, not voters", false, "1 duplicated", twophase.ValidityName, "count each participant once"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			n := mistake(c.kind)
			vis := twophase.Lab.VerdictOf(n, false, 1)
			all := twophase.Lab.VerdictOf(n, true, 1)
			if vis.Passed == c.visible || all.Passed {
				t.Fatalf("visible: %+v\nall: %+v", vis, all)
			}
			if !strings.Contains(all.Why, c.scenario) || !strings.Contains(all.Why, fmt.Sprintf("%q fails", c.property)) ||
				!strings.Contains(all.Hint, c.hint) {
				t.Fatalf("%+v", all)
			}
		})
	}
}

// The gallery's bugs, with their shortest counterexamples.
func TestGallery(t *testing.T) {
	for _, c := range []struct {
		bug      twophase.Bug
		property string
		steps    int
		detail   string
		crash    bool
	}{
		{twophase.AbortsInDoubt, twophase.AtomicityName, 5, "co decided commit but p1 decided abort", false},
		{twophase.ForgetsDecision, twophase.AtomicityName, 6, "co decided commit and then abort", true},
		{twophase.CommitsOnTimeout, twophase.ValidityName, 1, "co decided commit, but p1 has not voted", false},
	} {
		var buf bytes.Buffer
		r, err := twophase.GalleryTo(&buf, c.bug)
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != mcheck.Violated || r.Property != c.property || r.Step() != c.steps || r.Detail != c.detail {
			t.Fatalf("%v: %v", c.bug, r)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "gallery: "+c.bug.String()) || !strings.Contains(out, fmt.Sprintf("violated after step %d", c.steps)) ||
			strings.Contains(out, "co crash") != c.crash {
			t.Fatalf("%q", out)
		}
	}
	if _, err := twophase.GalleryTo(&bytes.Buffer{}, twophase.Bug(7)); err == nil {
		t.Fatal("an unknown gallery entry is an error")
	}
}

// A correct answer blocks too when the coordinator may crash, and only
// then: the liveness the lab grades excuses a coordinator that is down.
func TestCorrectNodesBlock(t *testing.T) {
	s := twophase.BlockingScenario()
	for _, n := range []twophase.Nodes{reference, pushNodes} {
		m, err := twophase.Build(n, s)
		if err != nil {
			t.Fatal(err)
		}
		r, err := mcheck.Check(m, twophase.Options(s))
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != mcheck.Violated || r.Property != twophase.AllDecideName || r.Step() != 2 ||
			r.Schedule[0].Kind != mcheck.Crash || r.Schedule[0].Node != twophase.Coordinator {
			t.Fatalf("%v", r)
		}
		// Without a crash budget nothing blocks.
		s0 := s
		s0.Crash = 0
		m, _ = twophase.Build(n, s0)
		if r, err := mcheck.Check(m, twophase.Options(s0)); err != nil || r.Outcome != mcheck.Passed {
			t.Fatalf("%v %v", r, err)
		}
	}
}

func TestTry(t *testing.T) {
	net := twophase.DefaultNetwork()
	run, err := twophase.Try(reference, net)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Violations) != 0 || len(run.Undecided) != 0 {
		t.Fatalf("%v", run)
	}
	// p1 and p2 voted yes before the coordinator crashed at 7 ms and
	// could not decide until it restarted at 150 ms; it presumed abort.
	// p3 crashed before its Prepare came and aborted when it restarted.
	decided := map[netsim.NodeID]netsim.Output{}
	votes := map[netsim.NodeID]netsim.Output{}
	for _, o := range run.Outputs {
		switch o.Value.(type) {
		case twophase.Outcome:
			decided[o.Node] = o
		default:
			votes[o.Node] = o
		}
	}
	for _, p := range []netsim.NodeID{"p1", "p2"} {
		if votes[p].Time >= 7*netsim.Millisecond || decided[p].Time < 150*netsim.Millisecond || decided[p].Value != twophase.Abort {
			t.Fatalf("%s: voted %v, decided %v", p, votes[p], decided[p])
		}
	}
	if _, ok := votes["p3"]; ok || decided["p3"].Time != 60*netsim.Millisecond || decided["co"].Time != 150*netsim.Millisecond {
		t.Fatalf("%v", run)
	}
	for _, want := range []string{"seed 1: co and 3 participants", "co crashes at 7.0 ms and restarts at 150.0 ms",
		"p3  did not vote", "in doubt 14", "✓ atomicity and validity held", "✓ every node decided by 250.0 ms"} {
		if !strings.Contains(run.String(), want) {
			t.Fatalf("missing %q in\n%s", want, run)
		}
	}
	again, err := twophase.Try(reference, net)
	if err != nil || again.String() != run.String() || len(again.Trace) != len(run.Trace) {
		t.Fatalf("not deterministic:\n%v\n%v", run, again)
	}
	p, err := run.Plot()
	if err != nil || !strings.Contains(p.Title.Text, "seed 1") {
		t.Fatalf("%v %v", p, err)
	}
	// The starter breaks validity, and the coordinator never decides.
	bad, err := twophase.Try(starter, net)
	if err != nil || !strings.Contains(bad.String(), "✗ p1 committed, but p3 has not voted") || !strings.Contains(bad.String(), "✗ undecided at 250.0 ms: co") {
		t.Fatalf("%v %v", bad, err)
	}
	// Without crashes, everyone commits within a few message delays.
	calm := net
	calm.Crashes, calm.Loss = nil, 0
	ok, err := twophase.Try(reference, calm)
	if err != nil || !strings.Contains(ok.String(), "co  decided commit") || len(ok.Undecided) != 0 {
		t.Fatalf("%v %v", ok, err)
	}
}

func TestBadInput(t *testing.T) {
	for _, bad := range []func(*twophase.Network){
		func(n *twophase.Network) { n.Participants = 0 },
		func(n *twophase.Network) { n.Participants = 9 },
		func(n *twophase.Network) { n.VoteNo = []int{4} },
		func(n *twophase.Network) { n.Until = 0 },
		func(n *twophase.Network) { n.Until = 11 * netsim.Second },
		func(n *twophase.Network) { n.Crashes = []twophase.Crash{{Node: "p9", At: 1}} },
		func(n *twophase.Network) { n.Crashes = []twophase.Crash{{Node: "p1", At: 5, Restart: 4}} },
		func(n *twophase.Network) { n.Crashes = []twophase.Crash{{Node: "co", At: -1}} },
	} {
		n := twophase.DefaultNetwork()
		bad(&n)
		if _, err := twophase.Try(reference, n); err == nil || !strings.HasPrefix(err.Error(), "twophase: ") {
			t.Fatalf("%+v: %v", n, err)
		}
	}
	if _, err := twophase.Try(twophase.Nodes{}, twophase.DefaultNetwork()); err == nil {
		t.Fatal("missing constructors accepted")
	}
	nilPart := twophase.Nodes{Coordinator: reference.Coordinator, Participant: func(bool) netsim.Node { return (*Participant)(nil) }}
	if v := twophase.Lab.VerdictOf(nilPart, false, 1); v.Passed || !strings.Contains(v.Why, "returned nil") {
		t.Fatalf("%+v", v)
	}
	panicky := twophase.Nodes{Coordinator: func([]netsim.NodeID) netsim.Node { panic("not yet") }, Participant: reference.Participant}
	if v := twophase.Lab.VerdictOf(panicky, false, 1); v.Passed || !strings.Contains(v.Why, "panicked") {
		t.Fatalf("%+v", v)
	}
	if _, err := twophase.Build(reference, twophase.Scenario{Participants: 2, VoteNo: []int{3}}); err == nil {
		t.Fatal("a no voter that does not exist accepted")
	}
}

// done is a node that outputs something other than a decision.
type done struct{}

func (done) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start {
		ctx.Output("done")
	}
}

func TestOnlyDecisionOutputs(t *testing.T) {
	n := twophase.Nodes{Coordinator: func([]netsim.NodeID) netsim.Node { return done{} }, Participant: reference.Participant}
	v := twophase.Lab.VerdictOf(n, false, 1)
	if v.Passed || !strings.Contains(v.Why, `co output "done"`) || !strings.Contains(v.Hint, "twophase.Commit or twophase.Abort") {
		t.Fatalf("%+v", v)
	}
}

// The grader sends scenarios as JSON, all but the cut links (which the
// judge keeps to itself); the no voter of the hidden scenarios is drawn
// per seed.
func TestHiddenScenarios(t *testing.T) {
	noVoters := map[int]bool{}
	for seed := uint64(1); seed <= 20; seed++ {
		for _, sc := range twophase.Lab.Scenarios(true, seed) {
			raw, err := json.Marshal(sc.In)
			if err != nil {
				t.Fatal(err)
			}
			var back twophase.Scenario
			if err := json.Unmarshal(raw, &back); err != nil || back.Isolated {
				t.Fatalf("%s: %s (%v): the student's process must not learn that the links are cut", sc.Name, raw, err)
			}
			back.Isolated = sc.In.Isolated // the judge keeps it
			if !reflect.DeepEqual(back, sc.In) {
				t.Fatalf("%s: %+v became %+v", sc.Name, sc.In, back)
			}
			for _, i := range sc.In.VoteNo {
				noVoters[i] = true
				if !strings.Contains(sc.Name, fmt.Sprintf("p%d votes no", i)) {
					t.Fatalf("%q does not name p%d", sc.Name, i)
				}
			}
		}
	}
	if len(noVoters) != 3 {
		t.Fatalf("no voters drawn: %v", noVoters)
	}
}

func TestName(t *testing.T) {
	for v, want := range map[any]string{twophase.Prepare{}: "P", twophase.Vote{Yes: true}: "yes", twophase.Vote{}: "no",
		twophase.Decision{Outcome: twophase.Commit}: "C", twophase.Decision{Outcome: twophase.Abort}: "A",
		twophase.Query{}: "Q", twophase.Ack{}: "ack", twophase.Commit: "commit", "x": ""} {
		if got := twophase.Name(v); got != want {
			t.Errorf("Name(%v) = %q, want %q", v, got, want)
		}
	}
}

// The state counts the notebook quotes.
func TestStateCounts(t *testing.T) {
	scs := map[string]exercise.Scenario[twophase.Scenario]{}
	for _, sc := range twophase.Lab.Scenarios(true, 1) {
		scs[sc.Name] = sc
	}
	const (
		visible = "2 participants, up to 1 crash"
		crash3  = "3 participants, up to 1 crash"
		mixed   = "2 participants, up to 1 message lost, 1 duplicated and 1 crash"
	)
	for _, c := range []struct {
		nodes  twophase.Nodes
		sc     string
		states int
	}{
		{reference, visible, 3074},
		{untidyNodes, visible, 22_747},
		{reference, crash3, 70_070},
		{reference, mixed, 179_746},
	} {
		if _, ok := scs[c.sc]; !ok {
			t.Fatalf("no scenario %q", c.sc)
		}
		_, r, err := twophase.Lab.Search(c.nodes, scs[c.sc])
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != mcheck.Passed || r.States != c.states {
			t.Errorf("%s: %v, %d states, want %d", scs[c.sc].Name, r.Outcome, r.States, c.states)
		}
	}
}

// A node that outputs something else is reported once in a netsim run.
func TestTryBadOutput(t *testing.T) {
	n := twophase.Nodes{Coordinator: func([]netsim.NodeID) netsim.Node { return done{} }, Participant: reference.Participant}
	run, err := twophase.Try(n, twophase.DefaultNetwork())
	if err != nil || len(run.Violations) != 1 || !strings.Contains(run.Violations[0], `co output "done"`) {
		t.Fatalf("%v %v", run, err)
	}
}

// canCommit is what the cheat below shares: every participant's ability
// to commit, recorded by the constructors, in memory all nodes see.
var canCommit []bool

func sharedDecision() twophase.Outcome {
	for _, ok := range canCommit {
		if !ok {
			return twophase.Abort
		}
	}
	return twophase.Commit
}

type cheatCoordinator struct{ Done bool }

func (c *cheatCoordinator) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start && !c.Done {
		c.Done = true
		ctx.Output(sharedDecision())
	}
}

type cheatParticipant struct {
	CanCommit, Done bool
}

func (p *cheatParticipant) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start && !p.Done {
		p.Done = true
		ctx.Send(twophase.Coordinator, twophase.Vote{Yes: p.CanCommit})
		ctx.Output(sharedDecision())
	}
}

// Nodes that decide from what the constructors wrote into shared memory,
// each voting as it should, are caught by the grader's isolation
// scenario; the reference passes it.
func TestSharedMemoryCheatFails(t *testing.T) {
	cheat := twophase.Nodes{
		Coordinator: func([]netsim.NodeID) netsim.Node { canCommit = nil; return &cheatCoordinator{} },
		Participant: func(ok bool) netsim.Node {
			canCommit = append(canCommit, ok)
			return &cheatParticipant{CanCommit: ok}
		},
	}
	var sc *exercise.Scenario[twophase.Scenario]
	for _, s := range twophase.Lab.Scenarios(true, 1) {
		if s.In.Isolated {
			sc = &s
		}
	}
	if sc == nil {
		t.Fatal("no isolation scenario among the hidden ones")
	}
	_, r, err := twophase.Lab.Search(cheat, *sc)
	if err != nil {
		t.Fatal(err)
	}
	v := twophase.Judge(sc.In, r)
	if r.Outcome != mcheck.Violated || r.Property != labkit.IsolationName || v.Hint != labkit.IsolationHint {
		t.Fatalf("the cheat was not caught: %v %+v", r, v)
	}
	_, r, err = twophase.Lab.Search(reference, *sc)
	if err != nil || r.Outcome != mcheck.Passed {
		t.Fatalf("the reference fails the isolation scenario: %v %v", r, err)
	}
}
