package history

import (
	"fmt"
	"math"
	"strings"
)

// Msg names a message that a Builder has sent, so that a later Receive can
// refer to it.
type Msg int

// Builder records a history step by step, in the order the events happen.
// The first mistake (an unknown node, receiving a message twice, …) is kept
// and returned by Build; later calls are then ignored, so a scenario can be
// written as a plain list of steps.
type Builder struct {
	h   History
	idx map[string]int
	err error
}

// NewBuilder starts a history over the named nodes.
func NewBuilder(nodes ...string) *Builder {
	b := &Builder{idx: map[string]int{}}
	if len(nodes) == 0 {
		b.err = fmt.Errorf("history: NewBuilder needs at least one node")
		return b
	}
	for _, n := range nodes {
		if strings.TrimSpace(n) == "" {
			b.err = fmt.Errorf("history: node names must not be empty")
			return b
		}
		if _, dup := b.idx[n]; dup {
			b.err = fmt.Errorf("history: duplicate node name %q", n)
			return b
		}
		b.idx[n] = len(b.h.Nodes)
		b.h.Nodes = append(b.h.Nodes, n)
	}
	return b
}

func (b *Builder) node(name string) (int, bool) {
	if b.err != nil {
		return 0, false
	}
	i, ok := b.idx[name]
	if !ok {
		b.err = fmt.Errorf("history: unknown node %q (nodes are %s)", name, strings.Join(b.h.Nodes, ", "))
		return 0, false
	}
	return i, true
}

func (b *Builder) add(ev Event) {
	ev.ID = len(b.h.Events)
	b.h.Events = append(b.h.Events, ev)
}

// Local records an internal step of node.
func (b *Builder) Local(node, label string) *Builder {
	n, ok := b.node(node)
	if !ok {
		return b
	}
	b.add(Event{Node: n, Kind: Local, Msg: -1, Peer: -1, Label: label})
	return b
}

// Send records node from sending a message to node to and returns the
// message, for a later Receive.
func (b *Builder) Send(from, to, label string) Msg {
	f, ok := b.node(from)
	if !ok {
		return -1
	}
	t, ok := b.node(to)
	if !ok {
		return -1
	}
	m := len(b.h.Messages)
	b.h.Messages = append(b.h.Messages, Message{From: f, To: t, Send: len(b.h.Events), Receive: -1})
	b.add(Event{Node: f, Kind: Send, Msg: m, Peer: t, Label: label})
	return Msg(m)
}

// Receive records the delivery of message m at its destination node.
func (b *Builder) Receive(m Msg, label string) *Builder {
	if b.err != nil {
		return b
	}
	if m < 0 || int(m) >= len(b.h.Messages) {
		b.err = fmt.Errorf("history: Receive of unknown message %d", m)
		return b
	}
	msg := &b.h.Messages[m]
	if msg.Receive >= 0 {
		b.err = fmt.Errorf("history: message %d from %s to %s is received twice", m, b.h.Nodes[msg.From], b.h.Nodes[msg.To])
		return b
	}
	msg.Receive = len(b.h.Events)
	b.add(Event{Node: msg.To, Kind: Receive, Msg: int(m), Peer: msg.From, Label: label})
	return b
}

// At sets the time-axis position of the most recent event (for diagrams of
// timed runs). It is optional; t must be a finite number.
func (b *Builder) At(t float64) *Builder {
	if b.err != nil || len(b.h.Events) == 0 {
		return b
	}
	if math.IsNaN(t) || math.IsInf(t, 0) {
		b.err = fmt.Errorf("history: At(%v) for event %d: the time must be a finite number", t, len(b.h.Events)-1)
		return b
	}
	b.h.Events[len(b.h.Events)-1].Time = t
	return b
}

// Build returns the finished history, or the first mistake made while
// building it.
func (b *Builder) Build() (*History, error) {
	if b.err != nil {
		return nil, b.err
	}
	h := b.h
	h.Nodes = append([]string(nil), b.h.Nodes...)
	h.Events = append([]Event(nil), b.h.Events...)
	h.Messages = append([]Message(nil), b.h.Messages...)
	if err := h.validate(); err != nil {
		return nil, err
	}
	return &h, nil
}
