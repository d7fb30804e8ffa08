// Tests of lab package exactlyonce. They live with the solutions, because they run
// the reference answer (reference_test.go, the same code as the solutions
// file), and the grader's sandbox hides every solutions directory from the
// code it runs.
package exactlyonce_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/lessons/labs/exactlyonce"
	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/lessons/labs/internal/labtest"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

func TestReferenceIsTheSolution(t *testing.T) {
	labtest.SameAnswers(t, "lab-04-exactly-once-delivery.go.txt", "reference_test.go")
}

func TestReferencePassesHiddenScenarios(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		if v := exactlyonce.Lab.VerdictOf(reference, true, seed); !v.Passed {
			t.Fatalf("seed %d: %+v", seed, v)
		}
	}
}

func TestHiddenScenariosRepeatPayloads(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		scs := exactlyonce.Lab.Scenarios(true, seed)
		var msgs []string // the hidden scenario of four messages
		for _, sc := range scs[1:] {
			if len(sc.In.Msgs) == 4 {
				msgs = sc.In.Msgs
			}
		}
		seen := map[string]bool{}
		repeat := false
		for _, m := range msgs {
			repeat = repeat || seen[m]
			seen[m] = true
		}
		if !repeat {
			t.Fatalf("seed %d: %q has no repeated payload", seed, msgs)
		}
	}
}

func TestStarterFails(t *testing.T) {
	_, r, err := exactlyonce.Lab.Search(starter, exactlyonce.Visible)
	if err != nil {
		t.Fatal(err)
	}
	// S sends both messages at once; R delivers the second one first.
	if r.Outcome != mcheck.Violated || r.Step() != 1 || r.Detail != `R delivered "b" where message 0 ("a") belongs` {
		t.Fatalf("%v", r)
	}
	v := exactlyonce.Lab.VerdictOf(starter, true, 1)
	if v.Passed || !strings.Contains(v.Hint, "overtake") {
		t.Fatalf("%+v", v)
	}
}

// A go-back-N sender is correct too: the lab does not require
// stop-and-wait.
func TestGoBackNPasses(t *testing.T) {
	for _, w := range []int{2, 4} {
		n := withSender(func(m []string) netsim.Node { return &goBackN{Msgs: m, Window: w} })
		if v := exactlyonce.Lab.VerdictOf(n, true, 1); !v.Passed {
			t.Fatalf("window %d: %+v", w, v)
		}
	}
}

// Typical mistakes: caught by the notebook's check or only by a hidden
// scenario, with the right hint.
func TestMistakes(t *testing.T) {
	for _, c := range []struct {
		name     string
		nodes    exactlyonce.Nodes
		visible  bool
		scenario string
		hint     string
	}{
		{"no re-acknowledgement of old copies", withReceiver(func() netsim.Node { return &silentOnOld{} }), true,
			"2 messages, the link loses up to 1", "acknowledge again"},
		{"de-duplication by payload", withReceiver(func() netsim.Node { return &byPayload{} }), false,
			"in the scenario", "payload it has seen before"},
		{"gives up after two retransmissions", withSender(func(m []string) netsim.Node { return &givesUp{Msgs: m} }), false,
			"loses up to 2", "retransmitting"},
	} {
		t.Run(c.name, func(t *testing.T) {
			vis := exactlyonce.Lab.VerdictOf(c.nodes, false, 1)
			all := exactlyonce.Lab.VerdictOf(c.nodes, true, 1)
			if vis.Passed == c.visible || all.Passed || !strings.Contains(all.Why, c.scenario) || !strings.Contains(all.Hint, c.hint) {
				t.Fatalf("visible: %+v\nall: %+v", vis, all)
			}
		})
	}
}

func TestJudgeHints(t *testing.T) {
	twice := &mcheck.Report{Outcome: mcheck.Violated, Property: exactlyonce.InOrderOnceName, Detail: `R delivered message 0 ("a") twice`}
	if v := exactlyonce.Judge(exactlyonce.Visible.In, twice); v.Passed || !strings.Contains(v.Hint, "number the messages") {
		t.Fatalf("%+v", v)
	}
	limit := &mcheck.Report{Outcome: mcheck.LimitReached, Limit: "state limit 3000000 (Options.MaxStates)"}
	if v := exactlyonce.Judge(exactlyonce.Visible.In, limit); v.Passed || !strings.Contains(v.Hint, "bounded") {
		t.Fatalf("%+v", v)
	}
}

// The gallery's bugs, with the lengths of their shortest counterexamples.
func TestGallery(t *testing.T) {
	for _, c := range []struct {
		bug    exactlyonce.Bug
		prop   string
		steps  int
		detail string
	}{
		{exactlyonce.NoDedup, exactlyonce.InOrderOnceName, 3, `R delivered message 0 ("a") twice`},
		{exactlyonce.NoRetransmit, exactlyonce.AllDeliveredName, 1, "no continuation of at most 12 steps"},
		{exactlyonce.SkipsGaps, exactlyonce.InOrderOnceName, 1, `R delivered "b" where message 0 ("a") belongs`},
	} {
		var buf bytes.Buffer
		r, err := exactlyonce.GalleryTo(&buf, c.bug)
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != mcheck.Violated || r.Property != c.prop || r.Step() != c.steps || !strings.Contains(r.Detail, c.detail) {
			t.Fatalf("%v: %v", c.bug, r)
		}
		if !strings.HasPrefix(buf.String(), "gallery: "+c.bug.String()) || !strings.Contains(buf.String(), fmt.Sprintf("violated after step %d", c.steps)) {
			t.Fatalf("%q", buf.String())
		}
	}
	if _, err := exactlyonce.GalleryTo(&bytes.Buffer{}, exactlyonce.Bug(-1)); err == nil {
		t.Fatal("an unknown gallery entry is an error")
	}
}

func TestTry(t *testing.T) {
	net := exactlyonce.DefaultNetwork()
	run, err := exactlyonce.Try(reference, net)
	if err != nil {
		t.Fatal(err)
	}
	if run.Violation != "" || run.AllAt < net.Heal || len(run.Delivered) != len(net.Msgs) || run.Stats.Lost == 0 {
		t.Fatalf("%v", run)
	}
	again, err := exactlyonce.Try(reference, net)
	if err != nil || again.String() != run.String() || len(again.Trace) != len(run.Trace) {
		t.Fatalf("not deterministic:\n%v\n%v", run, again)
	}
	for _, want := range []string{"seed 1: S sends 4 messages", "✓ exactly once, in order held", "✓ all delivered at"} {
		if !strings.Contains(run.String(), want) {
			t.Fatalf("missing %q in %s", want, run)
		}
	}
	p, err := run.Plot()
	if err != nil || !strings.Contains(p.Title.Text, "seed 1") {
		t.Fatalf("%v %v", p, err)
	}
	bad, err := exactlyonce.Try(starter, net)
	if err != nil || bad.Violation == "" || bad.AllAt >= 0 || !strings.Contains(bad.String(), "✗ not all delivered") {
		t.Fatalf("%v %v", bad, err)
	}
	// Once the link stops losing, the reference delivers everything
	// whatever the seed.
	for seed := uint64(1); seed <= 30; seed++ {
		net.Seed = seed
		r, err := exactlyonce.Try(reference, net)
		if err != nil || r.Violation != "" || r.AllAt < 0 {
			t.Fatalf("seed %d: %v %v", seed, r, err)
		}
	}
}

func TestBadInput(t *testing.T) {
	net := exactlyonce.DefaultNetwork()
	net.Msgs = nil
	if _, err := exactlyonce.Try(reference, net); err == nil || !strings.HasPrefix(err.Error(), "exactlyonce: ") {
		t.Fatalf("%v", err)
	}
	net = exactlyonce.DefaultNetwork()
	net.Heal = net.Until + 1
	if _, err := exactlyonce.Try(reference, net); err == nil {
		t.Fatal("heal after the end accepted")
	}
	net = exactlyonce.DefaultNetwork()
	net.Loss = 2
	if _, err := exactlyonce.Try(reference, net); err == nil || !strings.Contains(err.Error(), "loss") {
		t.Fatalf("%v", err)
	}
	if _, err := exactlyonce.Try(exactlyonce.Nodes{}, exactlyonce.DefaultNetwork()); err == nil {
		t.Fatal("missing constructors accepted")
	}
	if v := exactlyonce.Lab.VerdictOf(exactlyonce.Nodes{Sender: reference.Sender}, false, 1); v.Passed || !strings.Contains(v.Why, "both constructors") {
		t.Fatalf("%+v", v)
	}
	nilRecv := exactlyonce.Nodes{Sender: reference.Sender, Receiver: func() netsim.Node { return nil }}
	if v := exactlyonce.Lab.VerdictOf(nilRecv, false, 1); v.Passed || !strings.Contains(v.Why, "returned nil") {
		t.Fatalf("%+v", v)
	}
}

// wrongType outputs the whole Data message instead of its payload.
type wrongType struct{}

func (wrongType) Handle(ctx *netsim.Context, ev netsim.Event) {
	if d, ok := ev.Msg.(exactlyonce.Data); ok {
		ctx.Output(d)
	}
}

func TestOutputsArePayloads(t *testing.T) {
	v := exactlyonce.Lab.VerdictOf(withReceiver(func() netsim.Node { return wrongType{} }), false, 1)
	if v.Passed || !strings.Contains(v.Why, "output the payload") || !strings.Contains(v.Hint, "ctx.Output(d.Val)") {
		t.Fatalf("%+v", v)
	}
}

// whisper is how the cheat below passes messages: memory the sender and
// the receiver share, not the network.
var whisper []string

type whisperSender struct{ Msgs []string }

func (s *whisperSender) Handle(ctx *netsim.Context, ev netsim.Event) {}

type whisperReceiver struct{ Done bool }

func (r *whisperReceiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start && !r.Done {
		r.Done = true
		for _, m := range whisper {
			ctx.Output(m)
		}
	}
}

// A receiver that reads the messages from a package-level variable the
// sender's constructor filled passes the notebook's check, but not the
// grader's isolation scenario.
func TestSharedMemoryCheatFails(t *testing.T) {
	cheat := exactlyonce.Nodes{
		Sender:   func(msgs []string) netsim.Node { whisper = msgs; return &whisperSender{Msgs: msgs} },
		Receiver: func() netsim.Node { return &whisperReceiver{} },
	}
	if v := exactlyonce.Lab.VerdictOf(cheat, false, 1); !v.Passed {
		t.Fatalf("the cheat should pass the visible check (that is what makes it a cheat): %+v", v)
	}
	v := exactlyonce.Lab.VerdictOf(cheat, true, 1)
	if v.Passed || !strings.Contains(v.Why, labkit.IsolationName) || v.Hint != labkit.IsolationHint {
		t.Fatalf("the cheat was not caught by the isolation scenario: %+v", v)
	}
}

// "All delivered" in a try-it run means every message once and in order,
// not as many outputs as messages: a receiver that delivers duplicates
// never gets the ✓.
func TestTryAllDeliveredCountsMessagesNotOutputs(t *testing.T) {
	net := exactlyonce.DefaultNetwork()
	net.Loss, net.Duplicate, net.Reorder = 0, 1, 0 // every message arrives twice, in order
	run, err := exactlyonce.Try(starter, net)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Delivered) < len(net.Msgs) || run.Violation == "" {
		t.Fatalf("the starter should deliver duplicates here: %v", run)
	}
	if run.AllAt >= 0 || strings.Contains(run.String(), "✓ "+exactlyonce.AllDeliveredName) {
		t.Fatalf("duplicates counted as deliveries: %v", run)
	}
}
