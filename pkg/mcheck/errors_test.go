package mcheck_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/mcheck"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
	"github.com/dslessons/course/pkg/netsim"
)

var okInv = mcheck.Invariant{Name: "ok", Check: func(*mcheck.State) error { return nil }}

func TestAddNodeErrors(t *testing.T) {
	var nilPtr *p.Receiver
	cases := []struct {
		name string
		id   netsim.NodeID
		n    netsim.Node
		want string
	}{
		{"nil node", "A", nil, "node A is nil"},
		{"typed nil node", "A", nilPtr, "node A is nil"},
		{"bad ID", "a b", &p.Receiver{}, "has character"},
		{"NodeFunc", "A", netsim.NodeFunc(func(*netsim.Context, netsim.Event) {}), "closure"},
		{"nil Fresh factory", "A", netsim.Fresh(nil), "nil factory"},
		{"Fresh factory returning nil", "A", netsim.Fresh(func() netsim.Node { return nil }), "returned nil"},
		{"func field", "A", &funcNode{}, "funcNode.onDeliver (type func(string))"},
		{"Fresh of a func field", "A", netsim.Fresh(func() netsim.Node { return &funcNode{} }), "funcNode.onDeliver"},
	}
	for _, c := range cases {
		m := mcheck.NewModel(1)
		err := m.AddNode(c.id, c.n)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "mcheck: ") {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	m := mcheck.NewModel(1)
	if err := m.AddNode("A", &p.Receiver{}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddNode("A", &p.Receiver{}); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate ID: %v", err)
	}
}

type funcNode struct{ onDeliver func(string) }

func (*funcNode) Handle(*netsim.Context, netsim.Event) {}

func TestOptionErrors(t *testing.T) {
	model := func() *mcheck.Model { return p.ExactlyOnce(p.Messages(1), p.Sender{}, p.Receiver{}) }
	cases := []struct {
		name string
		opt  mcheck.Options
		want string
	}{
		{"nothing to check", mcheck.Options{}, "nothing to check"},
		{"negative depth", mcheck.Options{Invariants: []mcheck.Invariant{okInv}, MaxDepth: -1}, "MaxDepth is -1"},
		{"negative states", mcheck.Options{Invariants: []mcheck.Invariant{okInv}, MaxStates: -5}, "MaxStates is -5"},
		{"negative time", mcheck.Options{Invariants: []mcheck.Invariant{okInv}, MaxTime: -time.Second}, "MaxTime"},
		{"negative step timeout", mcheck.Options{Invariants: []mcheck.Invariant{okInv}, StepTimeout: -1}, "StepTimeout"},
		{"negative loss", mcheck.Options{Invariants: []mcheck.Invariant{okInv}, Faults: mcheck.Faults{Loss: -1}}, "Faults.Loss is -1"},
		{"huge budget", mcheck.Options{Invariants: []mcheck.Invariant{okInv}, Faults: mcheck.Faults{Crash: 300}}, "at most 255"},
		{"huge copies", mcheck.Options{Invariants: []mcheck.Invariant{okInv}, MaxCopies: 1000}, "at most 255"},
		{"unnamed invariant", mcheck.Options{Invariants: []mcheck.Invariant{{Check: okInv.Check}}}, "has no name"},
		{"nil invariant", mcheck.Options{Invariants: []mcheck.Invariant{{Name: "x"}}}, `"x" has a nil Check`},
		{"same names", mcheck.Options{Invariants: []mcheck.Invariant{okInv, okInv}}, "two invariants"},
		{"nil goal", mcheck.Options{Goal: &mcheck.Predicate{Name: "g"}}, `goal "g" has a nil Holds`},
		{"liveness within 0", mcheck.Options{Liveness: &mcheck.Liveness{Goal: p.AllDelivered(nil)}}, "Within is 0"},
		{"walks and liveness", mcheck.Options{Walks: 3, Liveness: &mcheck.Liveness{Goal: p.AllDelivered(nil), Within: 3}}, "random walks cannot check liveness"},
	}
	for _, c := range cases {
		r, err := mcheck.Check(model(), c.opt)
		if err == nil || r != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: (%v, %v), want an error mentioning %q", c.name, r, err, c.want)
		}
	}
	if _, err := mcheck.Check(nil, mcheck.Options{Invariants: []mcheck.Invariant{okInv}}); err == nil {
		t.Error("nil machine accepted")
	}
	if _, err := mcheck.Check(mcheck.NewModel(1), mcheck.Options{Invariants: []mcheck.Invariant{okInv}}); err == nil ||
		!strings.Contains(err.Error(), "no nodes") {
		t.Errorf("empty model: %v", err)
	}
}

// badNode misbehaves when it receives its trigger message.
type badNode struct {
	Do  string
	Fn  any // set while handling, to an unencodable value
	Got int
}

func (b *badNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		if ctx.Self() == "A" {
			ctx.Send("B", "go")
		}
		return
	case netsim.Receive:
	default:
		return
	}
	b.Got++
	switch b.Do {
	case "panic":
		var s []int
		_ = s[b.Got]
	case "now":
		_ = ctx.Now()
	case "hang": // long past the step timeout (sleeping, not spinning, so the test leaves no busy goroutine)
		time.Sleep(time.Second)
	case "unknown":
		ctx.Send("Z", 1)
	case "negative":
		ctx.SetTimer(-netsim.Millisecond, nil)
	case "timers":
		for i := 0; i < 100; i++ {
			ctx.SetTimer(netsim.Millisecond, i)
		}
	case "func":
		b.Fn = func() {}
	case "sendfunc":
		ctx.Send("A", func() {})
	}
}

func TestNodeErrors(t *testing.T) {
	cases := []struct{ do, want string }{
		{"panic", "panic: runtime error: index out of range [1] with length 0 (at mcheck/errors_test.go:"},
		{"now", "ctx.Now: the model checker has no clock"},
		{"hang", "Handle did not return within 100ms"},
		{"unknown", `sent 1 to unknown node "Z"; nodes are [A B]`},
		{"negative", "negative delay -1.000ms"},
		{"timers", "more than 64 pending timers"},
		{"func", "badNode.Fn (type func())"},
		{"sendfunc", "cannot encode the message sent to A"},
	}
	for _, c := range cases {
		m := mcheck.NewModel(1)
		if err := m.AddNode("A", &badNode{}); err != nil {
			t.Fatal(err)
		}
		if err := m.AddNode("B", &badNode{Do: c.do}); err != nil {
			t.Fatal(err)
		}
		r, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{okInv}, StepTimeout: 100 * time.Millisecond})
		var ne *mcheck.NodeError
		if !errors.As(err, &ne) || r != nil {
			t.Errorf("%s: (%v, %v), want a *NodeError", c.do, r, err)
			continue
		}
		if ne.Node != "B" || ne.Event != `receive "go" from A` || !strings.Contains(ne.Err.Error(), c.want) {
			t.Errorf("%s: node %s, event %s, error %v; want node B, event receive \"go\" from A, error %q", c.do, ne.Node, ne.Event, ne.Err, c.want)
		}
		if c.do != "hang" && len(ne.Schedule) != 0 {
			t.Errorf("%s: schedule %v, want the initial state", c.do, ne.Schedule)
		}
		if !strings.HasPrefix(err.Error(), "mcheck: node B, handling receive \"go\" from A: ") {
			t.Errorf("%s: message %q", c.do, err)
		}
	}
}

// A node that fails deep in the search: the error holds a shortest
// schedule to the state in which it failed.
func TestNodeErrorSchedule(t *testing.T) {
	m := mcheck.NewModel(1)
	_ = m.AddNode("S", &p.Sender{Msgs: p.Messages(2)})
	_ = m.AddNode("R", &picky{})
	_, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{okInv}})
	var ne *mcheck.NodeError
	if !errors.As(err, &ne) {
		t.Fatalf("error %v, want a *NodeError", err)
	}
	if len(ne.Schedule) != 2 || ne.Event != `receive Data{Seq:1, Val:"m1"} from S` {
		t.Errorf("event %s after %d steps:\n%v", ne.Event, len(ne.Schedule), ne.Schedule)
	}
}

// A node that fails at its start, and one that fails deep in a random
// walk.
func TestNodeErrorAtStartAndInWalks(t *testing.T) {
	m := mcheck.NewModel(1)
	_ = m.AddNode("A", &badNode{})
	_ = m.AddNode("B", netsim.Fresh(func() netsim.Node { return &startPanic{} }))
	_, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{okInv}})
	var ne *mcheck.NodeError
	if !errors.As(err, &ne) || ne.Node != "B" || ne.Event != "start" || ne.Schedule == nil || len(ne.Schedule) != 0 {
		t.Errorf("error %v", err)
	}
	m = mcheck.NewModel(1)
	_ = m.AddNode("S", &p.Sender{Msgs: p.Messages(2)})
	_ = m.AddNode("R", &picky{})
	_, err = mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{okInv}, Walks: 10, MaxDepth: 50, Faults: mcheck.Faults{Duplicate: 1}})
	if !errors.As(err, &ne) || ne.Node != "R" || len(ne.Schedule) < 2 {
		t.Fatalf("walk: %v", err)
	}
	if _, err := mcheck.Replay(m, ne.Schedule); err != nil {
		t.Errorf("the walk's schedule does not replay: %v", err)
	}
}

type startPanic struct{}

func (*startPanic) Handle(ctx *netsim.Context, ev netsim.Event) { panic("no start") }

// picky acknowledges message 0 and panics on message 1.
type picky struct{}

func (*picky) Handle(ctx *netsim.Context, ev netsim.Event) {
	if d, ok := ev.Msg.(p.Data); ok {
		if d.Seq == 1 {
			panic("message 1")
		}
		ctx.Send(ev.From, p.Ack{Next: d.Seq + 1})
	}
}

func TestPredicateErrors(t *testing.T) {
	model := func() *mcheck.Model { return p.ExactlyOnce(p.Messages(1), p.Sender{}, p.Receiver{}) }
	cases := []struct {
		name string
		opt  mcheck.Options
		want string
	}{
		{"panicking invariant", mcheck.Options{Invariants: []mcheck.Invariant{{Name: "nosy", Check: func(s *mcheck.State) error {
			_ = s.Outputs("Q")
			return nil
		}}}}, `mcheck: invariant "nosy" panicked: mcheck: unknown node "Q"; nodes are [S R]`},
		{"panicking goal", mcheck.Options{Goal: &mcheck.Predicate{Name: "g", Holds: func(s *mcheck.State) bool {
			return s.Node("R").(*p.Sender) != nil
		}}}, `mcheck: goal "g" panicked: interface conversion`},
		{"hanging invariant", mcheck.Options{StepTimeout: 50 * time.Millisecond, Invariants: []mcheck.Invariant{{Name: "slow", Check: func(s *mcheck.State) error {
			time.Sleep(time.Second)
			return nil
		}}}}, `mcheck: invariant "slow" did not return within 50ms`},
	}
	for _, c := range cases {
		r, err := mcheck.Check(model(), c.opt)
		if err == nil || r != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: (%v, %v), want an error containing %q", c.name, r, err, c.want)
		}
	}
}

// The search stops at its time limit.
func TestTimeLimit(t *testing.T) {
	opt := mcheck.Options{Invariants: []mcheck.Invariant{p.NeverFull}, MaxTime: 50 * time.Millisecond}
	opt.Invariants[0].Name = "slow never full"
	check := opt.Invariants[0].Check
	opt.Invariants[0].Check = func(s *mcheck.State) error {
		time.Sleep(time.Millisecond)
		return check(s)
	}
	start := time.Now()
	r, err := mcheck.Check(p.TokenModel(12), opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.LimitReached || !strings.Contains(r.Limit, "time limit 50ms") {
		t.Errorf("%v %q", r.Outcome, r.Limit)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}
