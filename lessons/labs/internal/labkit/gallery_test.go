package labkit

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// entry is a gallery of two entries.
type entry int

func (e entry) String() string { return fmt.Sprintf("entry %d", int(e)) }

// echo: A sends "x" to B at the start; B outputs what it receives.
type echo struct{}

func (echo) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch {
	case ev.Kind == netsim.Start && ctx.Self() == "A":
		ctx.Send("B", "x")
	case ev.Kind == netsim.Receive:
		ctx.Output(ev.Msg)
	}
}

func echoModel(entry) (*mcheck.Model, error) {
	m := mcheck.NewModel(1)
	for _, id := range []netsim.NodeID{"A", "B"} {
		if err := m.AddNode(id, echo{}); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// silent is broken when B outputs anything.
var silent = mcheck.Options{Invariants: []mcheck.Invariant{{Name: "B is silent", Check: func(s *mcheck.State) error {
	if len(s.Outputs("B")) > 0 {
		return errors.New("B output something")
	}
	return nil
}}}}

func TestGallery(t *testing.T) {
	var buf bytes.Buffer
	drawn := 0
	r, err := Gallery(&buf, "lab", entry(1), entry(2), echoModel, silent, func(*mcheck.Model, *mcheck.Report) { drawn++ })
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.Violated || drawn != 1 {
		t.Fatalf("outcome %v, drawn %d times", r.Outcome, drawn)
	}
	if out := buf.String(); !strings.HasPrefix(out, "gallery: entry 1\n") || !strings.Contains(out, "B is silent") {
		t.Fatalf("output %q", out)
	}
	for _, b := range []entry{-1, 2} {
		buf.Reset()
		if _, err := Gallery(&buf, "lab", b, entry(2), echoModel, silent, nil); err == nil || err.Error() != fmt.Sprintf("lab: no gallery entry %d (0 to 1)", int(b)) {
			t.Fatalf("entry %d: %v", b, err)
		}
		if buf.Len() > 0 {
			t.Fatalf("entry %d wrote %q", b, buf.String())
		}
	}
	broken := func(entry) (*mcheck.Model, error) { return nil, errors.New("no model") }
	if _, err := Gallery(&buf, "lab", entry(0), entry(2), broken, silent, nil); err == nil || err.Error() != "no model" {
		t.Fatalf("a build error: %v", err)
	}
	// A search that passes draws nothing.
	drawn = 0
	quiet := mcheck.Options{Invariants: []mcheck.Invariant{{Name: "A is silent", Check: func(s *mcheck.State) error {
		if len(s.Outputs("A")) > 0 {
			return errors.New("A output something")
		}
		return nil
	}}}}
	if r, err := Gallery(&buf, "lab", entry(0), entry(2), echoModel, quiet, func(*mcheck.Model, *mcheck.Report) { drawn++ }); err != nil || r.Outcome != mcheck.Passed || drawn != 0 {
		t.Fatalf("%v %v, drawn %d times", r, err, drawn)
	}
}

func TestRegistry(t *testing.T) {
	type msg struct{ N int }
	if r := Registry(map[string]any{"string": "", "lab.Msg": msg{}}); r == nil {
		t.Fatal("nil registry")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a type that cannot cross the wire must panic")
		}
	}()
	Registry(map[string]any{"lab.Func": func() {}})
}

func TestVerdicts(t *testing.T) {
	m, err := echoModel(0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := mcheck.Check(m, silent)
	if err != nil {
		t.Fatal(err)
	}
	v := Violation(r, "stay silent")
	if v.Passed || v.Why != fmt.Sprintf("%q fails after step %d of the run shown: %s", "B is silent", r.Step(), r.Detail) ||
		v.Hint != "stay silent" || v.Case != r.String() {
		t.Fatalf("violation: %+v", v)
	}
	r.Limit = "10 states"
	if v := Limit(r, "fewer states"); v.Passed || v.Why != "the search hit a limit before it could decide (10 states)" || v.Hint != "fewer states" || v.Case != r.String() {
		t.Fatalf("limit: %+v", v)
	}
	if v := Undecided(r); v.Passed || v.Why != "violated: B is silent" || v.Case != r.String() {
		t.Fatalf("undecided: %+v", v)
	}
	hint := func(*mcheck.Report) string { return "stay silent" }
	for _, c := range []struct {
		outcome mcheck.Outcome
		want    func() exercise.Verdict // once the report has the outcome
	}{
		{mcheck.Passed, exercise.Right},
		{mcheck.Violated, func() exercise.Verdict { return Violation(r, "stay silent") }},
		{mcheck.LimitReached, func() exercise.Verdict { return Limit(r, "fewer states") }},
		{mcheck.GoalNotReached, func() exercise.Verdict { return Undecided(r) }},
	} {
		r.Outcome = c.outcome
		if v, want := Judge(r, hint, "fewer states"), c.want(); fmt.Sprint(v) != fmt.Sprint(want) {
			t.Errorf("Judge on %v: %+v, want %+v", c.outcome, v, want)
		}
	}
}

// ShowTo says so, on its writer, when there is no schedule to draw.
func TestShowToWithoutSchedule(t *testing.T) {
	m, err := echoModel(0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	ShowTo(&buf, m, &mcheck.Report{Outcome: mcheck.Violated})
	if buf.String() != "(the property fails before any step: there is no run to draw)\n" {
		t.Fatalf("%q", buf.String())
	}
}
