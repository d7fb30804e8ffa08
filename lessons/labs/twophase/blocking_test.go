package twophase

// Tests of the lab's own nodes (the gallery's, without their bugs) and of
// the blocking search. The tests that run the reference answer live in
// solutions/.

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// The gallery's nodes without a bug are a correct two-phase commit: they
// pass every scenario of the lab, the hidden ones included.
func TestTextbookIsCorrect(t *testing.T) {
	if v := Lab.VerdictOf(textbook(none), true, 1); !v.Passed {
		t.Fatalf("%+v", v)
	}
}

// ... and yet they block: the coordinator crashes right after sending
// Prepare, p1 votes yes, and from then on no run without new faults lets
// p1 decide. Continued, the run shows p1 and p2 asking a crashed
// coordinator in turn.
func TestBlocking(t *testing.T) {
	var buf bytes.Buffer
	r, err := blockingTo(&buf, textbook(none))
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.Violated || r.Property != AllDecideName || r.Step() != 2 ||
		r.Schedule[0].Kind != mcheck.Crash || r.Schedule[0].Node != Coordinator ||
		r.Schedule[1].Kind != mcheck.Deliver || r.Schedule[1].Node != "p1" {
		t.Fatalf("%v", r)
	}
	out := buf.String()
	for _, want := range []string{`"every node that is up decides" violated after step 2`, "for 8 more steps",
		"co  crashed, undecided", "p1  up, voted yes, undecided", "p2  up, voted yes, undecided"} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %q in\n%s", want, out)
		}
	}
	m, err := Build(textbook(none), BlockingScenario())
	if err != nil {
		t.Fatal(err)
	}
	more, man, err := labkit.Continue(m, r.Schedule, maxMore, labkit.InTurn)
	if err != nil || len(more) != maxMore {
		t.Fatalf("%v %v", more, err)
	}
	// Messages first (p2's Prepare, then both votes, dropped at the
	// crashed coordinator), then the participants' timers in turn.
	var who []string
	for _, a := range more {
		who = append(who, a.Kind.String()+" "+string(a.Node))
	}
	want := "deliver p2,drop co,drop co,timer p1,drop co,timer p2,drop co,timer p1"
	if strings.Join(who, ",") != want {
		t.Fatalf("continuation %v, want %s", who, want)
	}
	if !man.Crashed(Coordinator) || len(man.InFlight()) != 1 {
		t.Fatalf("%v", man.InFlight())
	}
	text, p, err := stuck(m, r)
	if err != nil || !strings.HasPrefix(text, "The diagram goes on from step 2") || !strings.Contains(p.Title.Text, "fails after step 2") {
		t.Fatalf("%q %v %v", text, p, err)
	}
}

// A run that stops by itself ends the continuation early.
func TestContinueStops(t *testing.T) {
	m, err := Build(textbook(none), Scenario{Participants: 1})
	if err != nil {
		t.Fatal(err)
	}
	more, man, err := labkit.Continue(m, nil, 50, labkit.InTurn)
	if err != nil || len(more) >= 50 || len(man.InFlight()) != 0 {
		t.Fatalf("%d steps, %v", len(more), err)
	}
	if s := standing(m.Nodes(), man); s != "  co  up, decided commit\n  p1  up, voted yes, decided commit\n" {
		t.Fatalf("%q", s)
	}
}

func TestJudgeLimit(t *testing.T) {
	v := Judge(Visible.In, &mcheck.Report{Outcome: mcheck.LimitReached, Limit: "state limit 3"})
	if v.Passed || !strings.Contains(v.Why, "state limit 3") || !strings.Contains(v.Hint, "timer") {
		t.Fatalf("%+v", v)
	}
}

func TestRegistry(t *testing.T) {
	if Registry() == nil {
		t.Fatal("no registry")
	}
}

// The vote recorder reports a participant's first vote and each change,
// not repetitions.
func TestMemberRecordsVotes(t *testing.T) {
	man := netsim.NewManual(1)
	asker := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start {
			for _, yes := range []bool{true, true, false, true} {
				ctx.Send("p1", yes)
			}
		}
	})
	voter := &member{Node: netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if yes, ok := ev.Msg.(bool); ok {
			ctx.Send("co", Vote{Yes: yes})
		}
	})}
	if err := man.AddNode("co", asker); err != nil {
		t.Fatal(err)
	}
	if err := man.AddNode("p1", voter); err != nil {
		t.Fatal(err)
	}
	if err := man.Start(); err != nil {
		t.Fatal(err)
	}
	for len(man.InFlight()) > 0 {
		fl := man.InFlight()[0]
		if fl.To != "p1" {
			break
		}
		if err := man.Deliver(fl.ID); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, o := range man.Outputs() {
		got = append(got, Name(o.Value))
	}
	if strings.Join(got, ",") != "voted yes,voted no,voted yes" || len(man.InFlight()) != 4 {
		t.Fatalf("%v, %d votes in flight", got, len(man.InFlight()))
	}
}
