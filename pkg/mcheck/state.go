package mcheck

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// State is a global state of the system, as invariants and goals see it:
// every node's outputs (and, in process, its memory), the messages in
// flight, the crashed nodes and the faults used so far. A State and the
// slices it returns are only valid during the call of the predicate that
// was given it; do not modify them.
//
// Predicates used for grading should read only outputs, messages in
// flight and counts: Node returns nil when the nodes run in another
// process (see Dial).
type State struct {
	e     *engine
	w     []uint32
	depth int
	msgs  []Message
	ready bool
}

// Message is a message in flight.
type Message struct {
	From, To netsim.NodeID
	// Msg is the message: the node's own value in process; over the wire
	// the value decoded from JSON if its type is registered, else nil.
	Msg    any
	Text   string // as transcripts show it
	Copies int    // identical copies in flight (at most Options.MaxCopies)
}

func (s *State) set(w []uint32, depth int) {
	s.w, s.depth, s.ready = w, depth, false
}

// index returns the index of node id; an unknown ID is a bug in the
// predicate and panics (the search reports it as the predicate's error).
func (s *State) index(id netsim.NodeID) int {
	i, ok := s.e.index[id]
	if !ok {
		panic(fmt.Sprintf("mcheck: unknown node %q; nodes are %v", id, s.e.ids))
	}
	return i
}

// Nodes lists the node IDs in the order they were added.
func (s *State) Nodes() []netsim.NodeID { return s.e.ids }

// Depth is the number of steps from the initial state (in the search's
// shortest schedule to this state).
func (s *State) Depth() int { return s.depth }

// Outputs lists what node id output so far (Context.Output), oldest
// first.
func (s *State) Outputs(id netsim.NodeID) []any {
	return s.e.outputs(s.w[2*s.index(id)+1])
}

// Crashed reports whether node id is crashed.
func (s *State) Crashed(id netsim.NodeID) bool {
	return s.w[2*s.index(id)]&crashedBit != 0
}

// Node returns node id's value in this state (for in-process predicates
// that read node fields), or nil if the nodes run in another process. It
// is the search's own copy: do not modify it.
func (s *State) Node(id netsim.NodeID) netsim.Node {
	return s.e.m.Node(StateID(s.w[2*s.index(id)] &^ crashedBit))
}

// InFlight lists the messages in flight, each distinct message once with
// its number of copies, in the order the search first met them.
func (s *State) InFlight() []Message {
	if s.ready {
		return s.msgs
	}
	s.msgs = s.msgs[:0]
	net := s.e.nets.get(s.w[2*s.e.n])
	for k := 0; k < len(net); {
		env, c := net[k], 1
		for k+c < len(net) && net[k+c] == env {
			c++
		}
		ev := s.e.envs[env]
		v := &s.e.values[ev.msg]
		s.msgs = append(s.msgs, Message{From: s.e.ids[ev.from], To: s.e.ids[ev.to], Msg: v.V, Text: v.Text, Copies: c})
		k += c
	}
	s.ready = true
	return s.msgs
}

// Faults returns the faults used to reach this state.
func (s *State) Faults() Faults {
	f := s.w[2*s.e.n+1]
	return Faults{Loss: int(f & 0xff), Duplicate: int(f >> 8 & 0xff), Crash: int(f >> 16 & 0xff)}
}
