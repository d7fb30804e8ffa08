package mcheck_test

import (
	"fmt"
	"net"
	"os"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Client asks server "S" to add 1 to a counter; with Retry it
// retransmits its request until it is acknowledged.
type Client struct{ Retry, Done bool }

func (c *Client) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Timer:
		if !c.Done {
			ctx.Send("S", "add 1")
			if c.Retry {
				ctx.SetTimer(10*netsim.Millisecond, "retry")
			}
		}
	case netsim.Receive:
		c.Done = true
	}
}

// Counter adds 1 for every request it receives (it does not notice
// retransmissions) and outputs the new total.
type Counter struct{ N int }

func (s *Counter) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Receive {
		s.N++
		ctx.Output(s.N)
		ctx.Send(ev.From, "ok")
	}
}

func counterModel(retry bool) *mcheck.Model {
	m := mcheck.NewModel(1)
	_ = m.AddNode("C", &Client{Retry: retry})
	_ = m.AddNode("S", &Counter{})
	return m
}

// addedOnce is the property the client wants: the counter ends at 1.
var addedOnce = mcheck.Invariant{Name: "added once", Check: func(s *mcheck.State) error {
	if out := s.Outputs("S"); len(out) > 1 {
		return fmt.Errorf("S counted to %v", out[len(out)-1])
	}
	return nil
}}

// The checker finds the shortest run in which a retransmission is
// counted twice.
func Example() {
	r, err := mcheck.Check(counterModel(true), mcheck.Options{Invariants: []mcheck.Invariant{addedOnce}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r)
	// Output:
	// invariant "added once" violated after step 3 (a shortest schedule):
	//   S counted to 2
	//     0. start: C sends "add 1" to S
	//     1. C timer "retry"       C sends "add 1" to S
	//     2. C->S deliver "add 1"  S outputs 1; sends "ok" to C
	//     3. C->S deliver "add 1"  S outputs 2; sends "ok" to C
	// 6 states, 7 transitions, depth 3
}

// A goal asks for a shortest run that reaches a state; a liveness
// property asks that one stays reachable, whatever happened, without
// new faults: a client that does not retransmit fails it.
func Example_liveness() {
	served := mcheck.Predicate{Name: "served", Holds: func(s *mcheck.State) bool { return len(s.Outputs("S")) > 0 }}
	r, _ := mcheck.Check(counterModel(false), mcheck.Options{Goal: &served})
	fmt.Print(r)
	r, _ = mcheck.Check(counterModel(false), mcheck.Options{
		Liveness: &mcheck.Liveness{Goal: served, Within: 5},
		Faults:   mcheck.Faults{Loss: 1},
	})
	fmt.Print(r)
	// Output:
	// goal "served" reached after step 1 (a shortest schedule):
	//     0. start: C sends "add 1" to S
	//     1. C->S deliver "add 1"  S outputs 1; sends "ok" to C
	// 2 states, 1 transition, depth 1
	// liveness (within 5 steps) "served" violated after step 1 (a shortest schedule):
	//   from this state no continuation of at most 5 steps without new faults reaches goal "served"
	//     0. start: C sends "add 1" to S
	//     1. C->S lose "add 1"
	// 5 states, 4 transitions, depth 2
}

// Replay re-runs a schedule on the node code, in a netsim.Manual
// network, and gives its trace.
func ExampleReplay() {
	m := counterModel(true)
	r, _ := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{addedOnce}})
	man, err := mcheck.Replay(m, r.Schedule)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = man.Trace().Filter(func(r netsim.Record) bool { return r.Op != netsim.OpSetTimer }).WriteTo(os.Stdout)
	// Output:
	// 0.000ms C start
	// 0.000ms C->S send #1 "add 1"
	// 0.000ms S start
	// 1.000ms C timer t1 "retry"
	// 1.000ms C->S send #2 "add 1"
	// 2.000ms C->S deliver #1 "add 1"
	// 2.000ms S output 1
	// 2.000ms S->C send #3 "ok"
	// 3.000ms C->S deliver #2 "add 1"
	// 3.000ms S output 2
	// 3.000ms S->C send #4 "ok"
}

// The nodes may run in another process: Serve answers the search's
// questions about them, Dial asks. Here both ends of a pipe are in one
// process.
func ExampleDial() {
	reg := mcheck.NewRegistry()
	_ = reg.Register("int", 0) // the type of S's outputs
	served, search := net.Pipe()
	go mcheck.Serve(served, counterModel(true), reg)
	remote, err := mcheck.Dial(search, reg, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer remote.Close()
	r, err := mcheck.Check(remote, mcheck.Options{Invariants: []mcheck.Invariant{addedOnce}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Outcome, "after step", r.Step(), "-", r.Detail)
	// Output:
	// violated after step 3 - S counted to 2
}
