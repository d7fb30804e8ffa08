package mcheck_test

import (
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/mcheck"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
	"github.com/dslessons/course/pkg/netsim"
)

// The replayed counterexample breaks the invariant on the node code
// itself: the receiver's outputs in the Manual network repeat a message.
func TestReplayShowsTheBug(t *testing.T) {
	msgs := p.Messages(2)
	m := p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{NoDedup: true})
	r, err := mcheck.Check(m, eoOpt(2, mcheck.Faults{Loss: 1, Duplicate: 1}, 0))
	if err != nil {
		t.Fatal(err)
	}
	man, err := mcheck.Replay(m, r.Schedule)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range man.Outputs() {
		got = append(got, o.Value.(string))
	}
	if strings.Join(got, ",") != "m0,m0" {
		t.Errorf("replayed outputs %v, want m0 twice", got)
	}
	if man.Now() != netsim.Time(r.Step())*netsim.Tick {
		t.Errorf("replay took %v, want %d ticks", man.Now(), r.Step())
	}
}

// Crashes, restarts, drops at crashed nodes and losses replay too.
func TestReplayFaults(t *testing.T) {
	m := p.TwoPhase(2, false)
	r, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity},
		Faults: mcheck.Faults{Crash: 1, Loss: 1, Duplicate: 1},
		Goal: &mcheck.Predicate{Name: "P1 restarted after a dropped decision", Holds: func(s *mcheck.State) bool {
			return s.Faults().Crash == 1 && s.Faults().Loss == 1 && !s.Crashed("P1") && len(s.Outputs("P1")) > 0 &&
				len(s.Outputs("C")) > 0
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.GoalReached {
		t.Fatalf("%v", r)
	}
	if _, err := mcheck.Replay(m, r.Schedule); err != nil {
		t.Fatalf("%v\n%v", err, r)
	}
}

// nondet answers with the first key a map iteration gives it: the
// search and the replay may disagree, and Replay says so.
type nondet struct{ M map[int]bool }

func (n *nondet) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch {
	case ev.Kind == netsim.Start && ctx.Self() == "A":
		ctx.Send("B", 0)
	case ev.Kind == netsim.Receive && ctx.Self() == "B":
		for k := range n.M {
			ctx.Output(k)
			break
		}
	}
}

func TestReplayErrors(t *testing.T) {
	m := p.ExactlyOnce(p.Messages(1), p.Sender{}, p.Receiver{})
	cases := []struct {
		s    mcheck.Schedule
		want string
	}{
		{mcheck.Schedule{{Kind: mcheck.Deliver, From: "R", Node: "S", Msg: "Ack{Next:1}"}}, "no message Ack{Next:1} from R to S is in flight"},
		{mcheck.Schedule{{Kind: mcheck.Fire, Node: "S", Timer: 3, Msg: "Retransmit{}"}}, "node S has 1 pending timers, not 4"},
		{mcheck.Schedule{{Kind: mcheck.Fire, Node: "S", Msg: "x"}}, "has tag Retransmit{}, not x"},
		{mcheck.Schedule{{Kind: mcheck.Deliver, From: "S", Node: "R", Msg: `Data{Seq:0, Val:"m0"}`}}, "but during the search it sent [] and output []"},
		{mcheck.Schedule{{Kind: mcheck.Crash, Node: "Q"}}, `unknown node "Q"`},
	}
	for _, c := range cases {
		_, err := mcheck.Replay(m, c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "mcheck: Replay: step 1") {
			t.Errorf("%v: error %v, want %q", c.s, err, c.want)
		}
	}
	if _, err := mcheck.Replay(nil, nil); err == nil {
		t.Error("Replay(nil) accepted")
	}
	// A search over a node that ranges over a map; replays of its
	// schedules are checked against what the search saw.
	nd := mcheck.NewModel(1)
	_ = nd.AddNode("A", &nondet{})
	_ = nd.AddNode("B", &nondet{M: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true}})
	r, err := mcheck.Check(nd, mcheck.Options{Goal: &mcheck.Predicate{Name: "answered", Holds: func(s *mcheck.State) bool { return len(s.Outputs("B")) > 0 }}})
	if err != nil || r.Outcome != mcheck.GoalReached {
		t.Fatal(r, err)
	}
	diverged := 0
	for range 20 { // Go varies map order between iterations: some replays must differ
		if _, err := mcheck.Replay(nd, r.Schedule); err != nil {
			if !strings.Contains(err.Error(), "is the node deterministic?") {
				t.Errorf("error %v", err)
			}
			diverged++
		}
	}
	if diverged == 0 {
		t.Error("20 replays of a node that answers in map order all matched the search")
	}
}
