package mcheck

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// Outcome is how a search ended.
type Outcome uint8

// Outcomes of Check.
const (
	// Passed: every reachable state (within the bounds, see
	// Report.Exhaustive) satisfies every invariant and the liveness
	// property; no goal was asked for.
	Passed Outcome = iota
	// Violated: an invariant or the liveness property fails; the
	// report holds a shortest schedule to the failing state.
	Violated
	// GoalReached: a state satisfying the goal was found; the report
	// holds a shortest schedule to it.
	GoalReached
	// GoalNotReached: no reachable state satisfies the goal.
	GoalNotReached
	// LimitReached: a limit (states, depth, time, walks) stopped the
	// search before it could decide; no violation was found so far.
	LimitReached
)

var outcomeNames = [...]string{"passed", "violated", "goal reached", "goal not reached", "limit reached"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", o)
}

// ActionKind is what the network, a timer or a fault did in one step of a
// schedule.
type ActionKind uint8

// Kinds of action.
const (
	Deliver   ActionKind = iota // a message in flight reached its receiver
	Drop                        // a message reached a crashed receiver and was dropped
	Lose                        // the network lost a message (a fault)
	Duplicate                   // the network copied a message (a fault)
	Fire                        // a pending timer fired
	Crash                       // a node crashed (a fault): its timers are cancelled
	Restart                     // a crashed node restarted
	Start                       // a node started (only in Report.Start)
	numActionKinds
)

var actionNames = [...]string{"deliver", "drop", "lose", "duplicate", "timer", "crash", "restart", "start"}

func (k ActionKind) String() string {
	if k < numActionKinds {
		return actionNames[k]
	}
	return fmt.Sprintf("ActionKind(%d)", k)
}

// Action is one step of a schedule.
type Action struct {
	Kind ActionKind
	// Node is where the step happens: the receiver of a message, the
	// node whose timer fired, the node that crashed or restarted.
	Node netsim.NodeID
	From netsim.NodeID // message actions: the sender
	Msg  string        // message actions: the message; Fire: the timer tag (as Text shows them)
	// Timer is, for Fire, the position of the timer among the node's
	// pending timers in the order they were set (0 = the oldest).
	Timer int
	// What the node did in this step (Deliver, Fire, Restart).
	Sends   []SentMsg
	Outputs []string
}

// SentMsg is a message sent in a step.
type SentMsg struct {
	To  netsim.NodeID
	Msg string
}

// String formats a as a transcript line without its number:
//
//	S->R deliver Data{Seq:0}
//	S timer "retransmit"
//	C crash
func (a Action) String() string {
	switch a.Kind {
	case Deliver, Drop, Lose, Duplicate:
		s := string(a.From) + "->" + string(a.Node) + " " + a.Kind.String() + " " + a.Msg
		if a.Kind == Drop {
			s += " (" + string(a.Node) + " is crashed)"
		}
		return s
	case Fire:
		return string(a.Node) + " timer " + a.Msg
	}
	return string(a.Node) + " " + a.Kind.String()
}

// effects formats what the node did: `R outputs "a"; sends Ack{Seq:0} to S`.
func (a Action) effects() string {
	var parts []string
	for _, o := range a.Outputs {
		parts = append(parts, "outputs "+o)
	}
	for _, s := range a.Sends {
		parts = append(parts, "sends "+s.Msg+" to "+string(s.To))
	}
	if len(parts) == 0 {
		return ""
	}
	return string(a.Node) + " " + strings.Join(parts, "; ")
}

// Schedule is a sequence of actions from the initial state (every node
// started, in the order added).
type Schedule []Action

// String returns the numbered transcript, one action per line, with
// what the node did in the step after it:
//
//	fmt.Print(schedule)
//	  1. S->R deliver Data{Seq:0}    R outputs "a"; sends Ack{Seq:0} to S
//	  2. S timer Retransmit{}        S sends Data{Seq:0} to R
func (s Schedule) String() string {
	var b strings.Builder
	writeSchedule(&b, s)
	return b.String()
}

func writeSchedule(w io.Writer, s Schedule) {
	width := 0
	for _, a := range s {
		width = max(width, len(a.String()))
	}
	width = min(width, 60)
	for i, a := range s {
		line := fmt.Sprintf("%3d. %s", i+1, a)
		if eff := a.effects(); eff != "" {
			line = fmt.Sprintf("%3d. %-*s  %s", i+1, width, a, eff)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// Report is the result of Check.
type Report struct {
	Outcome Outcome
	// Property names the violated invariant, the goal of the violated
	// liveness property, or the goal (Violated, GoalReached,
	// GoalNotReached).
	Property string
	kind     string // "invariant", "liveness (within k steps)" or "goal"
	// Detail says what is wrong in the failing state: the invariant's
	// error, or for liveness which goal cannot be reached.
	Detail string
	// Start lists what each node did at its Start, in the order the
	// nodes were added (Kind Start).
	Start []Action
	// Schedule is a shortest schedule from the initial state to the
	// failing state or the goal (Violated, GoalReached). For random
	// walks it is the failing walk after shrinking.
	Schedule Schedule
	// Limit says which limit stopped the search (LimitReached), or which
	// bound cut it short although it decided (see Exhaustive).
	Limit string
	// Exhaustive reports whether every state within the fault budgets
	// was explored: false when a violation or the goal stopped the
	// search early, a limit stopped it, or a depth limit cut off longer
	// schedules (a Passed search may then be not exhaustive).
	Exhaustive bool

	Nodes       []netsim.NodeID
	States      int // distinct states visited (random walks: steps taken)
	Transitions int // transitions computed
	Depth       int // the deepest state visited
	Pruned      int // states not explored further because a prune held
	Walks       int // random walks run
	Elapsed     time.Duration
	// StatesPerSecond is States / Elapsed.
	StatesPerSecond float64
	// BytesPerState is the memory the search's tables hold divided by
	// States.
	BytesPerState float64
}

// Step is the 1-based step after which the property broke or the goal
// held: len(Schedule) (0: in the initial state).
func (r *Report) Step() int { return len(r.Schedule) }

// String returns the transcript (see WriteTo).
func (r *Report) String() string {
	var b strings.Builder
	_, _ = r.WriteTo(&b)
	return b.String()
}

// WriteTo writes the outcome, the schedule (for a violation or a goal)
// and the size of the search, for example
//
//	invariant "exactly once, in order" violated after step 3 (a shortest schedule):
//	  R delivered "m0" twice
//	    0. start: S sends Data{Seq:0, Val:"m0"} to R
//	    1. S timer Retransmit{}                S sends Data{Seq:0, Val:"m0"} to R
//	    2. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
//	    3. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
//	6 states, 7 transitions, depth 3
//
// It writes nothing that depends on timing, so the same search always
// writes the same text; Performance reports the speed.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: bufio.NewWriter(w)}
	switch r.Outcome {
	case Violated, GoalReached:
		verb := "violated"
		if r.Outcome == GoalReached {
			verb = "reached"
		}
		how := "a shortest schedule"
		if r.Walks > 0 {
			how = fmt.Sprintf("found by random walk %d, shrunk", r.Walks)
		}
		fmt.Fprintf(cw, "%s %q %s after step %d (%s):\n", r.kind, r.Property, verb, len(r.Schedule), how)
		if r.Detail != "" {
			fmt.Fprintf(cw, "  %s\n", strings.ReplaceAll(r.Detail, "\n", "\n  "))
		}
		var start []string
		for _, a := range r.Start {
			if eff := a.effects(); eff != "" {
				start = append(start, eff)
			}
		}
		if len(start) == 0 {
			start = []string{"every node starts"}
		}
		fmt.Fprintf(cw, "    0. start: %s\n", strings.Join(start, "; "))
		var b strings.Builder
		writeSchedule(&b, r.Schedule)
		for _, line := range strings.SplitAfter(b.String(), "\n") {
			if line != "" {
				fmt.Fprint(cw, "  "+line)
			}
		}
	case Passed:
		fmt.Fprintf(cw, "passed: no reachable state violates the properties")
		if !r.Exhaustive {
			fmt.Fprintf(cw, " (%s)", r.Limit)
		}
		fmt.Fprintln(cw)
	case GoalNotReached:
		fmt.Fprintf(cw, "goal %q not reached: no reachable state satisfies it", r.Property)
		if r.Limit != "" {
			fmt.Fprintf(cw, " (%s)", r.Limit)
		}
		fmt.Fprintln(cw)
	case LimitReached:
		fmt.Fprintf(cw, "limit reached: %s; no violation found so far\n", r.Limit)
	}
	if r.Walks > 0 && r.Outcome != Violated && r.Outcome != GoalReached {
		fmt.Fprintf(cw, "%s, %s\n", count(r.Walks, "random walk"), count(r.States, "step"))
	} else {
		fmt.Fprintf(cw, "%s, %s, depth %d", count(r.States, "state"), count(r.Transitions, "transition"), r.Depth)
		if r.Pruned > 0 {
			fmt.Fprintf(cw, ", %d pruned", r.Pruned)
		}
		fmt.Fprintln(cw)
	}
	err := cw.w.(*bufio.Writer).Flush()
	if cw.err != nil {
		err = cw.err
	}
	return cw.n, err
}

// count formats n things: "1 state", "2 states".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// Performance reports the speed and memory of the search:
// "0.04s, 331775 states/s, 58 bytes/state".
func (r *Report) Performance() string {
	return fmt.Sprintf("%.2fs, %.0f states/s, %.0f bytes/state", r.Elapsed.Seconds(), r.StatesPerSecond, r.BytesPerState)
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}
