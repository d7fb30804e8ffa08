package mcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/mcheck"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
	"github.com/dslessons/course/pkg/netsim"
)

// A receiver that keeps nothing across a crash (netsim.Fresh) delivers a
// retransmitted message again after it restarts.
func TestFreshNodeLosesState(t *testing.T) {
	msgs := p.Messages(2)
	m := mcheck.NewModel(1)
	_ = m.AddNode("S", &p.Sender{Msgs: msgs})
	_ = m.AddNode("R", netsim.Fresh(func() netsim.Node { return &p.Receiver{} }))
	opt := eoOpt(2, mcheck.Faults{Crash: 1}, 0)
	r, err := mcheck.Check(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := `  1. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
  2. R crash
  3. S timer Retransmit{}                S sends Data{Seq:0, Val:"m0"} to R
  4. R restart
  5. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
`
	if r.Outcome != mcheck.Violated || r.Schedule.String() != want {
		t.Fatalf("%v\nwant the schedule\n%s", r, want)
	}
	if _, err := mcheck.Replay(m, r.Schedule); err != nil {
		t.Error(err)
	}
	// The same receiver keeping its fields (its "disk") passes.
	r, err = mcheck.Check(p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{}), opt)
	if err != nil || r.Outcome != mcheck.Passed {
		t.Fatalf("%v %v", r, err)
	}
}

// codedCounter counts messages up to 3, encoding and copying itself by
// hand.
type codedCounter struct{ n int }

func (c *codedCounter) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		ctx.Send(ctx.Peers()[0], "x")
		ctx.Send(ctx.Peers()[0], "y")
	case netsim.Receive:
		if c.n < 3 {
			c.n++
			ctx.Output(c.n)
		}
	}
}
func (c *codedCounter) AppendState(b []byte) []byte { return append(b, byte(c.n)) }
func (c *codedCounter) CloneNode() netsim.Node      { return &codedCounter{n: c.n} }

func TestStateCodecNode(t *testing.T) {
	m := mcheck.NewModel(1)
	_ = m.AddNode("A", &codedCounter{})
	_ = m.AddNode("B", &codedCounter{})
	goal := mcheck.Predicate{Name: "both at 2", Holds: func(s *mcheck.State) bool {
		return s.Node("A").(*codedCounter).n == 2 && len(s.Outputs("B")) == 2
	}}
	r, err := mcheck.Check(m, mcheck.Options{Goal: &goal, Faults: mcheck.Faults{Duplicate: 1}})
	if err != nil || r.Outcome != mcheck.GoalReached || r.Step() != 4 {
		t.Fatalf("%v %v", r, err)
	}
}

// Under the checker ctx.Rand starts the node's netsim stream afresh at
// every call; timers reuse free IDs; Event.MsgID is 0.
func TestContextUnderTheChecker(t *testing.T) {
	var seen []string
	m := mcheck.NewModel(42)
	_ = m.AddNode("A", &probe{})
	_ = m.AddNode("B", &probe{})
	collect := mcheck.Invariant{Name: "collect", Check: func(s *mcheck.State) error {
		for _, o := range s.Outputs("A") {
			if !contains(seen, o.(string)) {
				seen = append(seen, o.(string))
			}
		}
		return nil
	}}
	r, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{collect}})
	if err != nil || r.Outcome != mcheck.Passed {
		t.Fatal(r, err)
	}
	first := fmt.Sprint(netsim.NodeRand(42, "A").Uint64())
	for _, s := range seen {
		if strings.HasPrefix(s, "A rand") && s != "A rand "+first {
			t.Errorf("%s, want rand %s at every call", s, first)
		}
		if strings.Contains(s, "msgid") && !strings.HasSuffix(s, "msgid 0") {
			t.Errorf("%s", s)
		}
	}
	if !contains(seen, "A timers 1 2 1") || !contains(seen, "A msgid 0") || len(seen) != 3 {
		t.Errorf("saw %v", seen)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// probe outputs what its Context does (only the first time, so that
// the state space stays finite).
type probe struct{ calls int }

func (p *probe) Handle(ctx *netsim.Context, ev netsim.Event) {
	if p.calls++; p.calls > 4 {
		return
	}
	self := string(ctx.Self())
	ctx.Output(fmt.Sprintf("%s rand %d", self, ctx.Rand().Uint64()))
	switch ev.Kind {
	case netsim.Start:
		t1 := ctx.SetTimer(netsim.Millisecond, "a")
		t2 := ctx.SetTimer(netsim.Millisecond, "b")
		ctx.CancelTimer(t1)
		t3 := ctx.SetTimer(netsim.Millisecond, "c")
		ctx.Output(fmt.Sprintf("%s timers %d %d %d", self, t1, t2, t3))
		ctx.Broadcast("hello")
	case netsim.Receive:
		ctx.Output(fmt.Sprintf("%s msgid %d", self, ev.MsgID))
	}
}

// A prune bounds a state space that is otherwise infinite: the counter
// of the example counts every retransmission it receives.
func TestPrune(t *testing.T) {
	served := mcheck.Predicate{Name: "served", Holds: func(s *mcheck.State) bool { return len(s.Outputs("S")) > 0 }}
	opt := mcheck.Options{Liveness: &mcheck.Liveness{Goal: served, Within: 6}, Faults: mcheck.Faults{Loss: 2}, MaxStates: 20_000}
	r, err := mcheck.Check(counterModel(true), opt)
	if err != nil || r.Outcome != mcheck.LimitReached {
		t.Fatalf("without a prune: %v %v", r, err)
	}
	opt.Prune = []mcheck.Predicate{{Name: "counted to 3", Holds: func(s *mcheck.State) bool { return len(s.Outputs("S")) >= 3 }}}
	r, err = mcheck.Check(counterModel(true), opt)
	if err != nil || r.Outcome != mcheck.Passed || !r.Exhaustive || r.Pruned == 0 {
		t.Fatalf("with a prune: %v %v", r, err)
	}
	if !strings.Contains(r.String(), fmt.Sprintf("%d pruned\n", r.Pruned)) {
		t.Errorf("report:\n%s", r)
	}
	opt.Prune = []mcheck.Predicate{{Name: "x"}}
	if _, err := mcheck.Check(counterModel(true), opt); err == nil || !strings.Contains(err.Error(), `prune "x" has a nil Holds`) {
		t.Errorf("nil prune: %v", err)
	}
}
