package netsim

import (
	"fmt"
	"math/rand/v2"
)

// NodeID names a node. IDs are short strings chosen by the caller
// ("A", "B", "n1", "client"): letters, digits, '_', '.' and '-', at most
// 32 bytes. They appear verbatim in traces and schedules.
type NodeID string

// Node is a state machine. The simulator calls Handle for every input —
// its start, a delivered message, a fired timer — one at a time, in
// virtual-time order. Handle reacts by calling ctx.Send, ctx.SetTimer and
// friends; it must not keep ctx after returning, start goroutines, sleep
// or read the wall clock.
type Node interface {
	Handle(ctx *Context, ev Event)
}

// NodeFunc adapts a plain function to the Node interface.
type NodeFunc func(ctx *Context, ev Event)

// Handle calls f(ctx, ev).
func (f NodeFunc) Handle(ctx *Context, ev Event) { f(ctx, ev) }

// EventKind says what a node is reacting to.
type EventKind uint8

// Kinds of node input.
const (
	// Start is the first input of every node, at the time it was added
	// (time 0 for nodes added before the run).
	Start EventKind = iota
	// Restart follows a crash: the node runs again. Its pending timers
	// were cancelled by the crash; whatever state the node keeps across
	// Restart is its "disk". Use Fresh to lose all state instead.
	Restart
	// Receive is a delivered message: Event.From and Event.Msg are set.
	Receive
	// Timer is a fired timer: Event.Timer and Event.Msg (the tag given to
	// SetTimer) are set.
	Timer
)

func (k EventKind) String() string {
	switch k {
	case Start:
		return "start"
	case Restart:
		return "restart"
	case Receive:
		return "receive"
	case Timer:
		return "timer"
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// TimerID identifies a timer set with Context.SetTimer. IDs are unique
// within a simulation and never 0.
type TimerID uint64

// Event is one input to a node.
type Event struct {
	Kind  EventKind
	From  NodeID  // Receive: the sender
	Msg   any     // Receive: the message; Timer: the tag passed to SetTimer
	Timer TimerID // Timer: which timer fired
	MsgID uint64  // Receive: the message number shown as #n in the trace
}

// Context is a node's view of the simulator during one Handle call: the
// clock, its identity, its random source, and the outbox. It is only
// valid until Handle returns.
type Context struct {
	s    *Sim
	node int32
}

// Now is the current virtual time.
func (c *Context) Now() Time { return c.s.now }

// Self is the ID of the node being called.
func (c *Context) Self() NodeID { return c.s.nodes[c.node].id }

// Peers lists every other node, in the order they were added. The slice
// is shared: do not modify it.
func (c *Context) Peers() []NodeID { return c.s.peers(c.node) }

// Rand is the node's own random source, seeded from Config.Seed and the
// node's ID. Use it for randomized timeouts and choices.
func (c *Context) Rand() *rand.Rand { return c.s.nodes[c.node].rng }

// Send sends msg to node to over the link Self()->to, which may lose,
// delay, duplicate or reorder it. Sending to an unknown node makes the
// run stop with an error. A node may send to itself.
func (c *Context) Send(to NodeID, msg any) {
	c.s.send(c.node, to, msg)
}

// Broadcast sends msg to every peer (not to itself), in Peers order.
func (c *Context) Broadcast(msg any) {
	for t := range c.s.nodes {
		if int32(t) != c.node {
			c.s.sendTo(c.node, int32(t), msg)
		}
	}
}

// SetTimer arranges for a Timer event carrying tag after the given
// delay. A crash cancels all of a node's timers. A negative delay makes
// the run stop with an error.
func (c *Context) SetTimer(after Time, tag any) TimerID {
	return c.s.setTimer(c.node, after, tag)
}

// CancelTimer stops a pending timer. It reports whether the timer was
// pending (false if it already fired, was cancelled, or is unknown).
func (c *Context) CancelTimer(id TimerID) bool {
	return c.s.cancelTimer(c.node, id)
}

// Logf adds a note to the trace ("12.000ms A note became leader"). It
// costs nothing when tracing is off.
func (c *Context) Logf(format string, args ...any) {
	c.s.note(c.node, format, args)
}

// Fresh returns a Node that calls newNode at every Start and Restart and
// forwards all events to the instance it built, so a crash loses all
// state (nothing survives on "disk").
func Fresh(newNode func() Node) Node {
	return &fresh{newNode: newNode}
}

type fresh struct {
	newNode func() Node
	cur     Node
}

func (f *fresh) Handle(ctx *Context, ev Event) {
	if f.newNode == nil {
		ctx.s.fail(errorf("node %s: Fresh(nil): no factory", ctx.Self()))
		return
	}
	if ev.Kind == Start || ev.Kind == Restart || f.cur == nil {
		f.cur = f.newNode()
		if isNil(f.cur) {
			ctx.s.fail(errorf("node %s: Fresh factory returned nil", ctx.Self()))
			return
		}
	}
	f.cur.Handle(ctx, ev)
}

// validID checks a node ID.
func validID(id NodeID) error {
	if id == "" {
		return errorf("empty node ID")
	}
	if len(id) > 32 {
		return errorf("node ID %q longer than 32 bytes", id)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok {
			return errorf("node ID %q has character %q: allowed are letters, digits, '_', '.' and '-'", id, c)
		}
	}
	if id[len(id)-1] == '-' {
		return errorf("node ID %q must not end with '-' (it would read as an arrow)", id)
	}
	return nil
}
