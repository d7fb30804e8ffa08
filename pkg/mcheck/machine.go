package mcheck

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// Machine computes node steps for the search. The search never sees node
// code or node memory: it names every local state of a node (the node's
// value and its pending timers) by a StateID and every message, timer tag
// and output by a ValueID, and asks the Machine what one node does in one
// state on one input. Model is the Machine that runs netsim nodes in this
// process; Dial returns one that runs them in another process (Serve),
// so that a grader's verdict is reached outside the process that runs a
// student's code.
//
// A Machine must be deterministic: the same input in the same state
// gives the same step. IDs are dense: after Reset, a Machine hands out
// StateIDs 1, 2, 3, ... and ValueIDs 0, 1, 2, ... in the order it first
// returns them, and describes each value (Step.Values) the first time.
type Machine interface {
	// Nodes lists the node IDs; Input.Node, Input.From and Send.To
	// index it.
	Nodes() []netsim.NodeID
	// Reset forgets every ID handed out, so that a new search starts
	// afresh. Check calls it first.
	Reset() error
	// Steps computes out[i] for each in[i] (len(out) == len(in)). A
	// node that fails (panics, misuses its Context, keeps state that
	// cannot be encoded) makes Steps return a *NodeError whose Input is
	// the index of the failing input.
	Steps(in []Input, out []Step) error
	// Node returns the node value of state s for invariants that read
	// node memory, or nil if the Machine cannot show it (over the wire).
	// The caller must not modify it.
	Node(s StateID) netsim.Node
}

// StateID names a local state of a node: its value and its pending
// timers. 0 is every node's state before Start.
type StateID uint32

// ValueID names a message, timer tag or output value (by its canonical
// encoding: equal values have equal IDs).
type ValueID uint32

// InputKind is what a node is given in a step.
type InputKind uint8

// Kinds of input.
const (
	InputStart   InputKind = iota // the first Handle call (State is 0)
	InputReceive                  // a delivered message: From and Msg are set
	InputTimer                    // a timer fired: Timer is set
	InputCrash                    // the node crashed: no Handle call; its timers are cancelled
	InputRestart                  // Handle with a Restart event after a crash
	numInputKinds
)

var inputNames = [...]string{"start", "receive", "timer", "crash", "restart"}

func (k InputKind) String() string {
	if k < numInputKinds {
		return inputNames[k]
	}
	return fmt.Sprintf("InputKind(%d)", k)
}

// Input is one step to compute: node Node, in state State, given Kind.
type Input struct {
	Node  int
	State StateID
	Kind  InputKind
	From  int            // InputReceive: index of the sender
	Msg   ValueID        // InputReceive: the message
	Timer netsim.TimerID // InputTimer: which pending timer fired
}

// Step is what a node did on one input.
type Step struct {
	State   StateID   // the node's state afterwards
	Timers  []Timer   // its pending timers afterwards, in the order they were set
	Sends   []Send    // what it sent, in order
	Outputs []ValueID // what it output, in order
	Values  []Value   // the values first used in this step, in ID order
}

// Timer is a pending timer.
type Timer struct {
	ID    netsim.TimerID
	Tag   ValueID
	After netsim.Time // the delay it was set with
}

// Send is one message sent.
type Send struct {
	To  int // index of the receiver
	Msg ValueID
}

// Value describes a message, timer tag or output.
type Value struct {
	ID   ValueID
	Text string // how transcripts show it
	// V is the value itself: in process, the node's own value; over the
	// wire, the value decoded from JSON if its type is registered (see
	// Registry), else nil.
	V any
}

// NodeError is a failure of node code during a search: the node
// panicked, did not return from Handle (see Options.StepTimeout), used
// something the checker does not model, or keeps state the checker
// cannot encode. It is a bug in the node (or an unsupported node), not a
// property violation.
type NodeError struct {
	Node  netsim.NodeID
	Event string // the input, as "receive Data{Seq:1} from S", "timer \"retx\"", "start"
	Err   error
	// Input is the index of the failing input in the Machine.Steps call
	// (for Machine implementations).
	Input int
	// Schedule is a shortest schedule reaching the state in which the
	// node failed (set by Check; the failing event comes after it).
	Schedule Schedule
}

func (e *NodeError) Error() string {
	s := fmt.Sprintf("mcheck: node %s, handling %s: %v", e.Node, e.Event, e.Err)
	if e.Schedule != nil {
		s += fmt.Sprintf(" (after %d steps; see NodeError.Schedule)", len(e.Schedule))
	}
	return s
}

func (e *NodeError) Unwrap() error { return e.Err }
