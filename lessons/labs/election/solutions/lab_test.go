// Tests of lab package election. They live with the solutions, because they run
// the reference answer (reference_test.go, the same code as the solutions
// file), and the grader's sandbox hides every solutions directory from the
// code it runs.
package election_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/lessons/labs/election"
	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/lessons/labs/internal/labtest"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

func TestReferenceIsTheSolution(t *testing.T) {
	labtest.SameAnswers(t, "lab-11-leader-election.go.txt", "reference_test.go")
}

func TestReferencePassesHiddenScenarios(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		if v := election.Lab.VerdictOf(newReference, true, seed); !v.Passed {
			t.Fatalf("seed %d: %+v", seed, v)
		}
	}
}

func TestStarterFails(t *testing.T) {
	_, r, err := election.Lab.Search(newStarter, election.Visible)
	if err != nil {
		t.Fatal(err)
	}
	// Every node times out once and never again: no leader is reachable
	// from the start.
	if r.Outcome != mcheck.Violated || r.Property != election.LeaderUpName || r.Step() != 0 {
		t.Fatalf("%v", r)
	}
	v := election.Lab.VerdictOf(newStarter, true, 1)
	if v.Passed || !strings.Contains(v.Hint, "election timer") {
		t.Fatalf("%+v", v)
	}
}

// Typical mistakes: the scenario that catches each (visible or only
// hidden), and the hint.
func TestMistakes(t *testing.T) {
	for _, c := range []struct {
		kind       string
		visible    bool   // caught by the notebook's check
		scenario   string // in the verdict
		hint       string
		undetected bool // passes every scenario (documented in the lab)
	}{
		{kind: "candidate never retries", visible: true, scenario: "terms up to 1", hint: "election timer"},
		{kind: "half is enough", scenario: "4 nodes", hint: "majority of all nodes"},
		{kind: "needs every vote", scenario: "2 of them down", hint: "majority of all nodes"},
		{kind: "counts stale votes", scenario: "terms up to 2", hint: "each voter counted once"},
		{kind: "keeps its old vote", undetected: true},
	} {
		t.Run(c.kind, func(t *testing.T) {
			f := newMistake(c.kind)
			vis := election.Lab.VerdictOf(f, false, 1)
			all := election.Lab.VerdictOf(f, true, 1)
			if c.undetected {
				if !all.Passed {
					t.Fatalf("now detected (update the lab's prose): %+v", all)
				}
				// The netsim run of the notebook shows it: no new leader
				// after the crash.
				run, err := election.Try(f, election.DefaultNetwork())
				if err != nil || run.Up != "" || run.Violation != "" {
					t.Fatalf("%v %v", run, err)
				}
				return
			}
			if vis.Passed == c.visible || all.Passed {
				t.Fatalf("visible: %+v\nall: %+v", vis, all)
			}
			if !strings.Contains(all.Why, c.scenario) || !strings.Contains(all.Hint, c.hint) {
				t.Fatalf("%+v", all)
			}
		})
	}
}

// The gallery's bugs, with the lengths of their shortest counterexamples.
func TestGallery(t *testing.T) {
	for _, c := range []struct {
		bug    election.Bug
		steps  int
		detail string
	}{
		{election.VotesTwice, 6, "n1 and n3 are both leader of term 1"},
		{election.OwnVoteTwice, 2, "n1 and n2 are both leader of term 1"},
		{election.ForgetsVote, 8, "n1 and n3 are both leader of term 1"},
	} {
		var buf bytes.Buffer
		r, err := election.GalleryTo(&buf, c.bug)
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != mcheck.Violated || r.Property != election.OneLeaderName || r.Step() != c.steps || !strings.Contains(r.Detail, c.detail) {
			t.Fatalf("%v: %v", c.bug, r)
		}
		if !strings.HasPrefix(buf.String(), "gallery: "+c.bug.String()) || !strings.Contains(buf.String(), fmt.Sprintf("violated after step %d", c.steps)) {
			t.Fatalf("%q", buf.String())
		}
		if c.bug == election.ForgetsVote && (!strings.Contains(buf.String(), "n2 crash") || !strings.Contains(buf.String(), "n2 restart")) {
			t.Fatalf("the forgotten vote needs a crash: %q", buf.String())
		}
	}
	if _, err := election.GalleryTo(&bytes.Buffer{}, election.Bug(7)); err == nil {
		t.Fatal("an unknown gallery entry is an error")
	}
}

func TestTry(t *testing.T) {
	run, err := election.Try(newReference, election.DefaultNetwork())
	if err != nil {
		t.Fatal(err)
	}
	if run.Violation != "" || run.Up == "" || len(run.Leaders) < 3 || len(run.Storm) != 4 {
		t.Fatalf("%v", run)
	}
	// The partition cuts off the leader of term 1 with one other node;
	// the majority elects a leader of a later term during the partition.
	first := run.Leaders[0]
	if !strings.Contains(run.Storm[0].What, string(first.Node)+",") {
		t.Fatalf("the partition does not cut off the leader %s: %v", first.Node, run.Storm[0])
	}
	during := false
	for _, l := range run.Leaders {
		if l.Time > run.Net.Partition && l.Time < run.Net.Heal && l.Node != first.Node {
			during = true
		}
	}
	if !during {
		t.Fatalf("no new leader during the partition: %v", run)
	}
	again, err := election.Try(newReference, election.DefaultNetwork())
	if err != nil || again.String() != run.String() || len(again.Trace) != len(run.Trace) {
		t.Fatalf("not deterministic:\n%v\n%v", run, again)
	}
	for _, want := range []string{"seed 1: 5 nodes", "✓ at most one leader per term held", "and it has not crashed since"} {
		if !strings.Contains(run.String(), want) {
			t.Fatalf("missing %q in %s", want, run)
		}
	}
	p, err := run.Plot()
	if err != nil || !strings.Contains(p.Title.Text, "seed 1") {
		t.Fatalf("%v %v", p, err)
	}
	starter, err := election.Try(newStarter, election.DefaultNetwork())
	if err != nil || len(starter.Leaders) != 0 || starter.Up != "" || !strings.Contains(starter.String(), "✗ at 1500.0 ms no leader is up") {
		t.Fatalf("%v %v", starter, err)
	}
}

func TestBadInput(t *testing.T) {
	bad := election.DefaultNetwork()
	bad.Nodes = 1
	if _, err := election.Try(newReference, bad); err == nil || !strings.HasPrefix(err.Error(), "election: ") {
		t.Fatalf("%v", err)
	}
	bad = election.DefaultNetwork()
	bad.Heal = bad.Partition - 1
	if _, err := election.Try(newReference, bad); err == nil {
		t.Fatal("times out of order accepted")
	}
	if _, err := election.Try(nil, election.DefaultNetwork()); err == nil {
		t.Fatal("nil constructor accepted")
	}
	if _, err := election.Try(func() netsim.Node { return nil }, election.DefaultNetwork()); err == nil {
		t.Fatal("nil node accepted")
	}
	if v := election.Lab.VerdictOf(func() netsim.Node { return nil }, false, 1); v.Passed || !strings.Contains(v.Why, "returned nil") {
		t.Fatalf("%+v", v)
	}
	if v := election.Lab.VerdictOf(func() netsim.Node { panic("not yet") }, false, 1); v.Passed || !strings.Contains(v.Why, "panicked") {
		t.Fatalf("%+v", v)
	}
	if _, err := election.Build(newReference, election.Scenario{Nodes: 3, Down: 3}); err == nil {
		t.Fatal("every node down accepted")
	}
}

// outputs is a node that outputs something other than a Leader.
type outputs struct{}

func (outputs) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start {
		ctx.Output("I lead")
	}
}

func TestOnlyLeaderOutputs(t *testing.T) {
	v := election.Lab.VerdictOf(func() netsim.Node { return outputs{} }, false, 1)
	if v.Passed || !strings.Contains(v.Why, `output "I lead"`) || !strings.Contains(v.Hint, "election.Leader{Term: t}") {
		t.Fatalf("%+v", v)
	}
}

func TestTermOf(t *testing.T) {
	for msg, want := range map[any]int{election.RequestVote{Term: 2}: 2, election.Vote{Term: 3}: 3, election.Heartbeat{Term: 4}: 4, election.Leader{Term: 5}: 5} {
		if got, ok := election.TermOf(msg); !ok || got != want {
			t.Errorf("TermOf(%v) = %d, %v", msg, got, ok)
		}
	}
	if _, ok := election.TermOf("ping"); ok {
		t.Error("a string has no term")
	}
}

// claimed is what the cheat below shares: which terms some node already
// took, in memory every node of the process sees.
var claimed = map[int]bool{}

// sharedMemoryNode elects itself in term 1 if no other node has, by
// reading and writing claimed instead of asking for votes.
type sharedMemoryNode struct{ Leader bool }

func (n *sharedMemoryNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start && !n.Leader && (!claimed[1] || ctx.Self() == election.NodeID(1)) {
		claimed[1] = true
		n.Leader = true
		ctx.Output(election.Leader{Term: 1})
	}
}

// A node that takes the lead through shared memory is caught by the
// grader's isolation scenario, with the hint that says why.
func TestSharedMemoryCheatFails(t *testing.T) {
	cheat := func() netsim.Node { return &sharedMemoryNode{} }
	var isolated []exercise.Scenario[election.Scenario]
	for _, sc := range election.Lab.Scenarios(true, 1) {
		if sc.In.Isolated {
			isolated = append(isolated, sc)
		}
	}
	if len(isolated) != 1 {
		t.Fatalf("want one isolation scenario among the hidden ones, got %d", len(isolated))
	}
	_, r, err := election.Lab.Search(cheat, isolated[0])
	if err != nil {
		t.Fatal(err)
	}
	v := election.Judge(isolated[0].In, r)
	if r.Outcome != mcheck.Violated || r.Property != labkit.IsolationName || v.Hint != labkit.IsolationHint {
		t.Fatalf("the cheat was not caught: %v %+v", r, v)
	}
	// The reference passes it exhaustively within its bound.
	_, r, err = election.Lab.Search(newReference, isolated[0])
	if err != nil || r.Outcome != mcheck.Passed {
		t.Fatalf("the reference fails the isolation scenario: %v %v", r, err)
	}
}
