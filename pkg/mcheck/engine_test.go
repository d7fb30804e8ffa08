package mcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/mcheck"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
)

type checkCase struct {
	name    string
	model   func() *mcheck.Model
	opt     mcheck.Options
	outcome mcheck.Outcome
	steps   int    // expected schedule length (Violated, GoalReached)
	prop    string // expected property
	detail  string // a substring of Report.Detail
	// schedule is the expected transcript of the schedule, if given.
	schedule string
}

func eo(n int, s p.Sender, r p.Receiver) func() *mcheck.Model {
	return func() *mcheck.Model { return p.ExactlyOnce(p.Messages(n), s, r) }
}

func eoOpt(n int, f mcheck.Faults, live int) mcheck.Options {
	msgs := p.Messages(n)
	o := mcheck.Options{Invariants: []mcheck.Invariant{p.InOrderOnce(msgs)}, Faults: f}
	if live > 0 {
		o.Liveness = &mcheck.Liveness{Goal: p.AllDelivered(msgs), Within: live}
	}
	return o
}

var checkCases = []checkCase{
	{
		name:    "receiver without de-duplication delivers twice",
		model:   eo(2, p.Sender{}, p.Receiver{NoDedup: true}),
		opt:     eoOpt(2, mcheck.Faults{}, 0),
		outcome: mcheck.Violated, steps: 3, prop: "exactly once, in order", detail: `R delivered "m0" twice`,
		schedule: `  1. S timer Retransmit{}                S sends Data{Seq:0, Val:"m0"} to R
  2. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
  3. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
`,
	},
	{
		name:    "receiver without de-duplication, network duplicates",
		model:   eo(2, p.Sender{NoRetransmit: true}, p.Receiver{NoDedup: true}),
		opt:     eoOpt(2, mcheck.Faults{Duplicate: 1}, 0),
		outcome: mcheck.Violated, steps: 3, detail: `R delivered "m0" twice`,
		schedule: `  1. S->R duplicate Data{Seq:0, Val:"m0"}
  2. S->R deliver Data{Seq:0, Val:"m0"}    R outputs "m0"; sends Ack{Next:1} to S
  3. S->R deliver Data{Seq:0, Val:"m0"}    R outputs "m0"; sends Ack{Next:1} to S
`,
	},
	{
		name:    "correct protocol passes exhaustively",
		model:   eo(2, p.Sender{}, p.Receiver{}),
		opt:     eoOpt(2, mcheck.Faults{Loss: 1, Duplicate: 1}, 20),
		outcome: mcheck.Passed,
	},
	{
		name:    "correct protocol, 3 messages, 2 losses, 1 duplicate",
		model:   eo(3, p.Sender{}, p.Receiver{}),
		opt:     eoOpt(3, mcheck.Faults{Loss: 2, Duplicate: 1}, 30),
		outcome: mcheck.Passed,
	},
	{
		name:    "sender without retransmission: a lost message is never delivered",
		model:   eo(2, p.Sender{NoRetransmit: true}, p.Receiver{}),
		opt:     eoOpt(2, mcheck.Faults{Loss: 1}, 20),
		outcome: mcheck.Violated, steps: 1, prop: "all delivered", detail: "no continuation of at most 20 steps",
		schedule: "  1. S->R lose Data{Seq:0, Val:\"m0\"}\n",
	},
	{
		name:    "sender without retransmission, no loss: delivered",
		model:   eo(2, p.Sender{NoRetransmit: true}, p.Receiver{}),
		opt:     eoOpt(2, mcheck.Faults{Duplicate: 1}, 20),
		outcome: mcheck.Passed,
	},
	{
		name:    "2PC whose participants abort on timeout after voting yes",
		model:   func() *mcheck.Model { return p.TwoPhase(2, true) },
		opt:     mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity}},
		outcome: mcheck.Violated, steps: 5, prop: "atomicity", detail: "C committed but P1 aborted",
	},
	{
		name:  "2PC is atomic with crashes, but blocks when the coordinator crashes",
		model: func() *mcheck.Model { return p.TwoPhase(2, false) },
		opt: mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity}, Faults: mcheck.Faults{Crash: 1},
			Liveness: &mcheck.Liveness{Goal: p.AllDecided, Within: 12}},
		outcome: mcheck.Violated, steps: 2, prop: "every live participant decided",
		schedule: `  1. C crash
  2. C->P1 deliver Prepare{}  P1 sends Vote{Yes:true} to C
`,
	},
	{
		name:  "2PC without faults decides",
		model: func() *mcheck.Model { return p.TwoPhase(2, false) },
		opt: mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity}, Faults: mcheck.Faults{Duplicate: 1},
			Liveness: &mcheck.Liveness{Goal: p.AllDecided, Within: 12}},
		outcome: mcheck.Passed,
	},
	{
		name:  "2PC blocks when a decision is lost (decisions are not retransmitted)",
		model: func() *mcheck.Model { return p.TwoPhase(2, false) },
		opt: mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity}, Faults: mcheck.Faults{Loss: 1},
			Liveness: &mcheck.Liveness{Goal: p.AllDecided, Within: 12}},
		outcome: mcheck.Violated, steps: 3,
		schedule: `  1. C timer Timeout{}                  C outputs "abort"; sends Decision{Commit:false} to P1; sends Decision{Commit:false} to P2
  2. C->P1 lose Decision{Commit:false}
  3. C->P1 deliver Prepare{}            P1 sends Vote{Yes:true} to C
`,
	},
	{
		name:  "2PC with a participant crash is atomic and live",
		model: func() *mcheck.Model { return p.TwoPhase(3, false) },
		opt: mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity}, Faults: mcheck.Faults{Crash: 1},
			Liveness: &mcheck.Liveness{Goal: mcheck.Predicate{Name: "P1 decided or crashed", Holds: func(s *mcheck.State) bool {
				return s.Crashed("C") || s.Crashed("P1") || len(s.Outputs("P1")) > 0
			}}, Within: 16}},
		outcome: mcheck.Passed,
	},
	{
		name:    "goal: a shortest run delivering everything",
		model:   eo(2, p.Sender{}, p.Receiver{}),
		opt:     mcheck.Options{Goal: ptr(p.AllDelivered(p.Messages(2))), Faults: mcheck.Faults{Loss: 1}},
		outcome: mcheck.GoalReached, steps: 3, prop: "all delivered",
		schedule: `  1. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
  2. R->S deliver Ack{Next:1}            S sends Data{Seq:1, Val:"m1"} to R
  3. S->R deliver Data{Seq:1, Val:"m1"}  R outputs "m1"; sends Ack{Next:2} to S
`,
	},
	{
		name:    "goal that no state satisfies",
		model:   eo(2, p.Sender{}, p.Receiver{}),
		opt:     mcheck.Options{Goal: ptr(p.AllDelivered(p.Messages(3)))},
		outcome: mcheck.GoalNotReached, prop: "all delivered",
	},
}

func ptr[T any](v T) *T { return &v }

func TestCheck(t *testing.T) {
	for _, c := range checkCases {
		t.Run(c.name, func(t *testing.T) {
			r, err := mcheck.Check(c.model(), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != c.outcome {
				t.Fatalf("outcome %v, want %v\n%v", r.Outcome, c.outcome, r)
			}
			if c.outcome == mcheck.Passed && !r.Exhaustive {
				t.Errorf("passed but not exhaustive: %v", r.Limit)
			}
			if c.outcome == mcheck.Violated || c.outcome == mcheck.GoalReached {
				if r.Step() != c.steps {
					t.Errorf("schedule of %d steps, want %d\n%v", r.Step(), c.steps, r)
				}
				if c.schedule != "" && r.Schedule.String() != c.schedule {
					t.Errorf("schedule:\n%s\nwant:\n%s", r.Schedule, c.schedule)
				}
			}
			if c.prop != "" && r.Property != c.prop {
				t.Errorf("property %q, want %q", r.Property, c.prop)
			}
			if !strings.Contains(r.Detail, c.detail) {
				t.Errorf("detail %q, want it to contain %q", r.Detail, c.detail)
			}
		})
	}
}

// A shortest schedule is shortest: the same search bounded one step
// shorter finds nothing, and the schedule replays on the node code in a
// netsim.Manual network.
func TestShortestIsShortestAndReal(t *testing.T) {
	for _, c := range checkCases {
		if c.outcome != mcheck.Violated || c.opt.Liveness != nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			m := c.model()
			r, err := mcheck.Check(m, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			opt := c.opt
			opt.MaxDepth = r.Step() - 1
			if opt.MaxDepth > 0 {
				r2, err := mcheck.Check(c.model(), opt)
				if err != nil {
					t.Fatal(err)
				}
				if r2.Outcome != mcheck.Passed || r2.Exhaustive {
					t.Errorf("bounded to %d steps: %v (exhaustive %v), want a non-exhaustive pass", opt.MaxDepth, r2.Outcome, r2.Exhaustive)
				}
			}
			man, err := mcheck.Replay(m, r.Schedule)
			if err != nil {
				t.Fatal(err)
			}
			if len(man.Outputs()) == 0 {
				t.Error("the replay output nothing")
			}
		})
	}
}

// Two searches with the same options write the same transcript, on
// fresh models or on one model searched twice.
func TestDeterministic(t *testing.T) {
	for _, c := range checkCases[:3] {
		var out []string
		reused := c.model()
		for _, m := range []*mcheck.Model{c.model(), c.model(), reused, reused} {
			r, err := mcheck.Check(m, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r.String())
		}
		for _, o := range out[1:] {
			if o != out[0] {
				t.Errorf("%s: transcripts differ:\n%s\n%s", c.name, out[0], o)
			}
		}
	}
}

func TestRandomWalkShrinks(t *testing.T) {
	const n = 8
	opt := mcheck.Options{Invariants: []mcheck.Invariant{p.NeverFull}}
	bfs, err := mcheck.Check(p.TokenModel(n), opt)
	if err != nil {
		t.Fatal(err)
	}
	if bfs.Outcome != mcheck.Violated || bfs.Step() != n {
		t.Fatalf("breadth-first: %v after %d steps, want a violation after %d", bfs.Outcome, bfs.Step(), n)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		opt := opt
		opt.Walks, opt.MaxDepth, opt.Seed = 50, 200, seed
		r, err := mcheck.Check(p.TokenModel(n), opt)
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != mcheck.Violated {
			t.Fatalf("seed %d: %v", seed, r)
		}
		if r.Step() != bfs.Step() {
			t.Errorf("seed %d: shrunk to %d steps, the shortest has %d\n%v", seed, r.Step(), bfs.Step(), r)
		}
		for _, a := range r.Schedule {
			if a.Kind != mcheck.Deliver || a.Node != "B" {
				t.Errorf("seed %d: a step that is not needed survived shrinking: %v", seed, a)
			}
		}
		if r.Walks < 1 || r.States < n {
			t.Errorf("seed %d: walks %d, steps %d", seed, r.Walks, r.States)
		}
	}
}

// Random walks that find nothing report LimitReached.
func TestRandomWalkLimit(t *testing.T) {
	msgs := p.Messages(2)
	opt := mcheck.Options{Invariants: []mcheck.Invariant{p.InOrderOnce(msgs)}, Walks: 20, MaxDepth: 30, Seed: 7,
		Faults: mcheck.Faults{Loss: 1, Duplicate: 1}}
	r, err := mcheck.Check(p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{}), opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.LimitReached || r.Walks != 20 || !strings.Contains(r.Limit, "20 random walks") {
		t.Errorf("%v: %s", r.Outcome, r)
	}
}

func TestLimits(t *testing.T) {
	msgs := p.Messages(3)
	m := func() *mcheck.Model { return p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{}) }
	opt := eoOpt(3, mcheck.Faults{Loss: 1}, 0)
	opt.MaxStates = 100
	r, err := mcheck.Check(m(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.LimitReached || r.States != 100 || !strings.Contains(r.Limit, "state limit 100") {
		t.Errorf("states: %v %d %q", r.Outcome, r.States, r.Limit)
	}
	opt = eoOpt(3, mcheck.Faults{Loss: 1}, 0)
	opt.MaxDepth = 4
	r, err = mcheck.Check(m(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.Passed || r.Exhaustive || r.Depth != 4 || !strings.Contains(r.Limit, "depth limit 4") {
		t.Errorf("depth: %v exhaustive %v depth %d %q", r.Outcome, r.Exhaustive, r.Depth, r.Limit)
	}
	// A depth limit beyond the deepest state cuts nothing off.
	opt.MaxDepth = 100
	r, err = mcheck.Check(m(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.Passed || !r.Exhaustive {
		t.Errorf("deep limit: %v exhaustive %v", r.Outcome, r.Exhaustive)
	}
}

func TestReportText(t *testing.T) {
	r, err := mcheck.Check(eo(2, p.Sender{}, p.Receiver{NoDedup: true})(), eoOpt(2, mcheck.Faults{}, 0))
	if err != nil {
		t.Fatal(err)
	}
	want := `invariant "exactly once, in order" violated after step 3 (a shortest schedule):
  R delivered "m0" twice
    0. start: S sends Data{Seq:0, Val:"m0"} to R
    1. S timer Retransmit{}                S sends Data{Seq:0, Val:"m0"} to R
    2. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
    3. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
`
	if got := r.String(); !strings.HasPrefix(got, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", got, want)
	}
	if !strings.Contains(r.String(), fmt.Sprintf("%d states, %d transitions, depth %d\n", r.States, r.Transitions, r.Depth)) {
		t.Errorf("no statistics line in\n%s", r)
	}
	if !strings.Contains(r.Performance(), "states/s") {
		t.Errorf("performance %q", r.Performance())
	}
	for o := mcheck.Passed; o <= mcheck.LimitReached+1; o++ {
		if o.String() == "" {
			t.Errorf("outcome %d has no name", o)
		}
	}
}

// The in-process predicates may read node memory.
func TestStateNode(t *testing.T) {
	msgs := p.Messages(2)
	opt := mcheck.Options{Invariants: []mcheck.Invariant{{Name: "R.Next matches its outputs", Check: func(s *mcheck.State) error {
		r := s.Node("R").(*p.Receiver)
		if r.Next != len(s.Outputs("R")) {
			return fmt.Errorf("R.Next is %d but R delivered %d", r.Next, len(s.Outputs("R")))
		}
		if len(s.InFlight()) > 6 {
			return fmt.Errorf("%d messages in flight", len(s.InFlight()))
		}
		return nil
	}}}, Faults: mcheck.Faults{Duplicate: 1, Crash: 1}}
	r, err := mcheck.Check(p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{}), opt)
	if err != nil || r.Outcome != mcheck.Passed {
		t.Fatalf("%v %v", r, err)
	}
}
