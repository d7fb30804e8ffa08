package exercise

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// A small lab: exactly-once delivery. The student writes the receiver.

type labData struct{ Seq int }
type labAck struct{ Next int }
type labTick struct{}

type labSender struct {
	N, Acked int
}

func (s *labSender) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Timer:
		if s.Acked < s.N {
			ctx.Send("R", labData{s.Acked})
			ctx.SetTimer(netsim.Millisecond, labTick{})
		}
	case netsim.Receive:
		if a, ok := ev.Msg.(labAck); ok && a.Next > s.Acked {
			s.Acked = min(a.Next, s.N)
		}
	}
}

type labReceiver struct {
	Next  int
	Dedup bool
	// FirstOnly de-duplicates message 0 only: right with one message,
	// wrong with two.
	FirstOnly bool
}

func (r *labReceiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	d, ok := ev.Msg.(labData)
	if ev.Kind != netsim.Receive || !ok {
		return
	}
	dedup := r.Dedup || (r.FirstOnly && d.Seq == 0)
	if d.Seq == r.Next || (!dedup && d.Seq < r.Next) {
		ctx.Output(d.Seq)
		if d.Seq == r.Next {
			r.Next++
		}
	}
	ctx.Send(ev.From, labAck{r.Next})
}

type labScenario struct{ Msgs, Dup int }

func labOptions(s labScenario) mcheck.Options {
	return mcheck.Options{
		Invariants: []mcheck.Invariant{{Name: "exactly once, in order", Check: func(st *mcheck.State) error {
			for i, v := range st.Outputs("R") {
				if v != i {
					return fmt.Errorf("R's delivery %d is message %v", i+1, v)
				}
			}
			return nil
		}}},
		Faults:   mcheck.Faults{Duplicate: s.Dup},
		MaxDepth: 30,
	}
}

var testLab = NewModel(testLesson, "Lab", ModelSpec[func() netsim.Node, labScenario]{
	Build: func(newReceiver func() netsim.Node, s labScenario) (*mcheck.Model, error) {
		m := mcheck.NewModel(1)
		if err := m.AddNode("S", &labSender{N: s.Msgs}); err != nil {
			return nil, err
		}
		return m, m.AddNode("R", newReceiver())
	},
	Registry: func() *mcheck.Registry {
		r := mcheck.NewRegistry()
		r.Register("seq", 0)
		r.Register("data", labData{})
		r.Register("ack", labAck{})
		return r
	},
	Visible: Scenario[labScenario]{Name: "1 message", In: labScenario{Msgs: 1}, Options: labOptions},
	Hidden: func(rng *rand.Rand) []Scenario[labScenario] {
		return []Scenario[labScenario]{{Name: "2 messages, 1 duplicate", In: labScenario{Msgs: 2, Dup: 1}, Options: labOptions}}
	},
})

func TestLabLocally(t *testing.T) {
	good := func() netsim.Node { return &labReceiver{Dedup: true} }
	firstOnly := func() netsim.Node { return &labReceiver{FirstOnly: true} }
	none := func() netsim.Node { return &labReceiver{} }
	if v := testLab.VerdictOf(good, true, 1); !v.Passed {
		t.Fatalf("a correct receiver: %+v", v)
	}
	if v := testLab.VerdictOf(firstOnly, false, 1); !v.Passed {
		t.Fatalf("one message: de-duplicating message 0 is enough: %+v", v)
	}
	v := testLab.VerdictOf(firstOnly, true, 1)
	if v.Passed || !strings.Contains(v.Why, "2 messages, 1 duplicate") || !strings.Contains(v.Case, "exactly once") {
		t.Fatalf("de-duplicating message 0 only, hidden scenario: %+v", v)
	}
	t.Setenv(GraderSocketEnv, "")
	buf := capture(t)
	testLab.Check(none)
	for _, want := range []string{"violated after step 3", `✗ Lab: "exactly once, in order" fails after step 3`} {
		if !strings.Contains(buf.String(), want) {
			t.Fatalf("missing %q in %q", want, buf.String())
		}
	}
	buf.Reset()
	testLab.Check(firstOnly)
	if !strings.Contains(buf.String(), "✓ Lab: correct") {
		t.Fatalf("%q", buf.String())
	}
}

func TestLabThroughTheJudge(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func() netsim.Node
		pass bool
	}{
		{"correct", func() netsim.Node { return &labReceiver{Dedup: true} }, true},
		{"no dedup", func() netsim.Node { return &labReceiver{} }, false},
		{"hidden only", func() netsim.Node { return &labReceiver{FirstOnly: true} }, false},
		{"panics", func() netsim.Node { panic("no receiver yet") }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			j, stop := startJudge(t, "alice", 7)
			buf := capture(t)
			testLab.Check(c.f)
			stop()
			r := result(t, j, "Lab")
			if r.Verdict.Passed != c.pass || !r.Answered {
				t.Fatalf("%+v\n%s", r, buf.String())
			}
			if strings.Contains(buf.String(), "✓") || strings.Contains(buf.String(), "✗") {
				t.Fatalf("a verdict printed in the student's process: %q", buf.String())
			}
		})
	}
}

// A lab with a goal scenario after its safety scenario: a receiver that
// never delivers is safe, and fails only the goal.

func labGoalOptions(s labScenario) mcheck.Options {
	return mcheck.Options{Goal: &mcheck.Predicate{Name: "R delivers", Holds: func(st *mcheck.State) bool {
		return len(st.Outputs("R")) > 0
	}}}
}

var testLabGoal = NewModel(NewLesson("99-test-goal", "Test lab with a goal"), "Lab with a goal", ModelSpec[func() netsim.Node, labScenario]{
	Build:       testLab.spec.Build,
	Registry:    testLab.spec.Registry,
	Visible:     Scenario[labScenario]{Name: "1 message", In: labScenario{Msgs: 1}, Options: labOptions},
	MoreVisible: []Scenario[labScenario]{{Name: "1 message: R delivers it", In: labScenario{Msgs: 1}, Options: labGoalOptions}},
})

// silentReceiver never delivers anything.
type silentReceiver struct{}

func (silentReceiver) Handle(*netsim.Context, netsim.Event) {}

func TestLabMoreVisible(t *testing.T) {
	good := func() netsim.Node { return &labReceiver{Dedup: true} }
	silent := func() netsim.Node { return silentReceiver{} }
	if v := testLabGoal.VerdictOf(good, false, 1); !v.Passed {
		t.Fatalf("a correct receiver: %+v", v)
	}
	v := testLabGoal.VerdictOf(silent, false, 1)
	if v.Passed || !strings.Contains(v.Why, "R delivers it") || !strings.Contains(v.Why, `no run reaches "R delivers"`) {
		t.Fatalf("a silent receiver: %+v", v)
	}
	t.Setenv(GraderSocketEnv, "")
	buf := capture(t)
	if testLabGoal.Check(silent) {
		t.Fatal("Check passed a silent receiver")
	}
	for _, want := range []string{"scenario 1 message:\npassed", "scenario 1 message: R delivers it:\ngoal \"R delivers\" not reached",
		"✗ Lab with a goal: in the scenario 1 message: R delivers it: no run reaches"} {
		if !strings.Contains(buf.String(), want) {
			t.Fatalf("missing %q in %q", want, buf.String())
		}
	}
	buf.Reset()
	if !testLabGoal.Check(good) || !strings.Contains(buf.String(), "✓ Lab with a goal: correct") {
		t.Fatalf("%q", buf.String())
	}
}
