package history

import (
	"fmt"
	"math"
	"strings"
)

// Kind says what an event does.
type Kind int

// The three kinds of event in Lamport's model.
const (
	Local   Kind = iota // an internal step of one node
	Send                // the sending of one message
	Receive             // the receipt of one message
)

func (k Kind) String() string {
	switch k {
	case Local:
		return "local"
	case Send:
		return "send"
	case Receive:
		return "receive"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Event is one step of one node. Events are identified by their index in
// History.Events.
type Event struct {
	ID    int     // index in History.Events
	Node  int     // index in History.Nodes
	Kind  Kind    // Local, Send or Receive
	Msg   int     // message index for Send and Receive, -1 for Local
	Peer  int     // destination node of a Send, source node of a Receive, -1 for Local
	Label string  // a human name such as "E1"; may be empty
	Time  float64 // optional position on a time axis (e.g. simulated ms); 0 if unknown
}

// Message links a send event to its receive event.
type Message struct {
	From, To int // node indices
	Send     int // event index of the send
	Receive  int // event index of the receive, -1 if never received (lost or in flight)
}

// History is a finite execution: the nodes, their events in an order that
// respects causality (every receive comes after its send), and the messages.
// A History is immutable once built; build one with a Builder or Random.
type History struct {
	Nodes    []string
	Events   []Event
	Messages []Message

	hb *order // happens-before, computed on demand
}

// Name returns the label of event e, or a generated name such as "A.3"
// (the third event of node A) if the event has no label.
func (h *History) Name(e int) string {
	if e < 0 || e >= len(h.Events) {
		return fmt.Sprintf("event(%d)", e)
	}
	if l := h.Events[e].Label; l != "" {
		return l
	}
	n := h.Events[e].Node
	k := 0
	for _, ev := range h.Events[:e+1] {
		if ev.Node == n {
			k++
		}
	}
	return fmt.Sprintf("%s.%d", h.Nodes[n], k)
}

// Describe returns a one-line description of event e, such as
// "E1: A sends m0 to C".
func (h *History) Describe(e int) string {
	if e < 0 || e >= len(h.Events) {
		return fmt.Sprintf("event(%d) does not exist", e)
	}
	ev := h.Events[e]
	switch ev.Kind {
	case Send:
		return fmt.Sprintf("%s: %s sends m%d to %s", h.Name(e), h.Nodes[ev.Node], ev.Msg, h.Nodes[ev.Peer])
	case Receive:
		return fmt.Sprintf("%s: %s receives m%d from %s", h.Name(e), h.Nodes[ev.Node], ev.Msg, h.Nodes[ev.Peer])
	}
	return fmt.Sprintf("%s: %s does a local step", h.Name(e), h.Nodes[ev.Node])
}

// String lists the events, one per line.
func (h *History) String() string {
	var b strings.Builder
	for i := range h.Events {
		b.WriteString(h.Describe(i))
		b.WriteByte('\n')
	}
	return b.String()
}

// NodeIndex returns the index of the node called name.
func (h *History) NodeIndex(name string) (int, error) {
	for i, n := range h.Nodes {
		if n == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("history: unknown node %q (nodes are %s)", name, strings.Join(h.Nodes, ", "))
}

// EventByLabel returns the index of the event labelled label.
func (h *History) EventByLabel(label string) (int, error) {
	for i, ev := range h.Events {
		if ev.Label == label {
			return i, nil
		}
	}
	return -1, fmt.Errorf("history: no event labelled %q", label)
}

// EventsOf returns the indices of node n's events in order.
func (h *History) EventsOf(n int) []int {
	var out []int
	for i, ev := range h.Events {
		if ev.Node == n {
			out = append(out, i)
		}
	}
	return out
}

// EvenlySpaced returns a copy of h whose event times are ranks, for a
// space-time diagram that spaces events evenly in the order they
// happened: the first event is at 1, and each later event one further
// along unless its time equals the previous event's, so that events at
// one instant (a receive and the sends it causes) share a position.
func (h *History) EvenlySpaced() *History {
	c := &History{Nodes: h.Nodes, Events: append([]Event(nil), h.Events...), Messages: h.Messages}
	rank, last := 0.0, math.NaN()
	for i := range c.Events {
		if t := c.Events[i].Time; t != last {
			rank, last = rank+1, t
		}
		c.Events[i].Time = rank
	}
	return c
}

// Validate checks the structural invariants of h: unique non-empty node
// names, events numbered in order on known nodes, unique labels, and every
// send and receive matching its message, received after it was sent.
// Builder and Random only build valid histories; Validate is for
// histories written as literals. The clock packages replay only valid
// histories, and happens-before orders no events of an invalid one.
func (h *History) Validate() error {
	if h == nil {
		return fmt.Errorf("history: nil history")
	}
	return h.validate()
}

// validate checks the structural invariants of h.
func (h *History) validate() error {
	if len(h.Nodes) == 0 {
		return fmt.Errorf("history: no nodes")
	}
	seen := map[string]bool{}
	for _, n := range h.Nodes {
		if n == "" {
			return fmt.Errorf("history: empty node name")
		}
		if seen[n] {
			return fmt.Errorf("history: duplicate node name %q", n)
		}
		seen[n] = true
	}
	labels := map[string]bool{}
	for i, ev := range h.Events {
		if ev.ID != i {
			return fmt.Errorf("history: event %d has ID %d", i, ev.ID)
		}
		if ev.Node < 0 || ev.Node >= len(h.Nodes) {
			return fmt.Errorf("history: event %d on unknown node %d", i, ev.Node)
		}
		if ev.Label != "" {
			if labels[ev.Label] {
				return fmt.Errorf("history: duplicate event label %q", ev.Label)
			}
			labels[ev.Label] = true
		}
		switch ev.Kind {
		case Local:
		case Send, Receive:
			if ev.Msg < 0 || ev.Msg >= len(h.Messages) {
				return fmt.Errorf("history: event %d refers to unknown message %d", i, ev.Msg)
			}
			m := h.Messages[ev.Msg]
			if ev.Kind == Send && (m.Send != i || m.From != ev.Node || m.To != ev.Peer) {
				return fmt.Errorf("history: send event %d does not match message %d", i, ev.Msg)
			}
			if ev.Kind == Receive && (m.Receive != i || m.To != ev.Node || m.From != ev.Peer) {
				return fmt.Errorf("history: receive event %d does not match message %d", i, ev.Msg)
			}
		default:
			return fmt.Errorf("history: event %d has unknown kind %d", i, int(ev.Kind))
		}
	}
	for k, m := range h.Messages {
		if m.Send < 0 || m.Send >= len(h.Events) || h.Events[m.Send].Kind != Send || h.Events[m.Send].Msg != k {
			return fmt.Errorf("history: message %d has no matching send event", k)
		}
		if m.Receive >= 0 {
			if m.Receive >= len(h.Events) || h.Events[m.Receive].Kind != Receive || h.Events[m.Receive].Msg != k {
				return fmt.Errorf("history: message %d has no matching receive event", k)
			}
			if m.Receive < m.Send {
				return fmt.Errorf("history: message %d is received before it is sent", k)
			}
		}
	}
	return nil
}
