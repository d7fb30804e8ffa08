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
// within a simulation and never 0. (The model checker in pkg/mcheck
// reuses the ID of a timer that fired or was cancelled.)
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
	env  Env // set when something other than a Sim runs the node
}

// Env is the world of a node during one Handle call when something other
// than a Sim runs it: Manual, or an alternative runner such as the model
// checker in pkg/mcheck, which builds a Context with NewContext. Lessons
// never need it. Each Context method forwards to the method of the same
// name; Broadcast calls Send for every peer. Fail stops the run with an
// error (a Fresh factory that returned nil).
type Env interface {
	Now() Time
	Self() NodeID
	Peers() []NodeID
	Rand() *rand.Rand
	Send(to NodeID, msg any)
	SetTimer(after Time, tag any) TimerID
	CancelTimer(id TimerID) bool
	Logf(format string, args []any)
	Output(v any)
	Fail(err error)
}

// NewContext returns a Context that forwards every call to env, for
// runners other than Sim (see Env). The runner may reuse it for every
// Handle call, changing what env reports in between.
func NewContext(env Env) *Context { return &Context{s: &Sim{env: env}, env: env} }

// Now is the current virtual time.
func (c *Context) Now() Time {
	if c.env != nil {
		return c.env.Now()
	}
	return c.s.now
}

// Self is the ID of the node being called.
func (c *Context) Self() NodeID {
	if c.env != nil {
		return c.env.Self()
	}
	return c.s.nodes[c.node].id
}

// Peers lists every other node, in the order they were added. The slice
// is shared: do not modify it.
func (c *Context) Peers() []NodeID {
	if c.env != nil {
		return c.env.Peers()
	}
	return c.s.peers(c.node)
}

// Rand is the node's own random source, seeded from Config.Seed and the
// node's ID. Use it for randomized timeouts and choices.
func (c *Context) Rand() *rand.Rand {
	if c.env != nil {
		return c.env.Rand()
	}
	return c.s.nodes[c.node].rng
}

// Send sends msg to node to over the link Self()->to, which may lose,
// delay, duplicate or reorder it. Sending to an unknown node makes the
// run stop with an error. A node may send to itself.
func (c *Context) Send(to NodeID, msg any) {
	c.s.send(c.node, to, msg)
}

// Broadcast sends msg to every peer (not to itself), in Peers order.
func (c *Context) Broadcast(msg any) {
	if c.env != nil {
		envBroadcast(c.env, msg)
		return
	}
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

// Output reports something the node did that the outside world sees:
// it delivered a message to its application, decided to commit or abort,
// became leader of a term. The trace shows it ("12.000ms R output "a"")
// and Sim.Outputs lists every output of the run; the model checker
// (pkg/mcheck) keeps each node's outputs in its state, so properties can
// be written over what the nodes did rather than over their fields.
// Output values should be plain data (numbers, strings, small structs),
// not pointers into the node's state.
func (c *Context) Output(v any) {
	c.s.output(c.node, v)
}

// envBroadcast is Broadcast for a Context made by NewContext.
func envBroadcast(e Env, msg any) {
	for _, p := range e.Peers() {
		e.Send(p, msg)
	}
}

func (c *Context) fail(err error) {
	if c.env != nil {
		c.env.Fail(err)
		return
	}
	c.s.fail(err)
}

// Fresh returns a Node that calls newNode at every Start and Restart and
// forwards all events to the instance it built, so a crash loses all
// state (nothing survives on "disk").
func Fresh(newNode func() Node) Node {
	return &fresh{newNode: newNode}
}

// FreshFactory returns the function given to Fresh, and true, if n was
// built by Fresh. Runners other than Sim (pkg/mcheck) use it to build a
// new instance at every Start and Restart themselves.
func FreshFactory(n Node) (newNode func() Node, ok bool) {
	if f, ok := n.(*fresh); ok {
		return f.newNode, true
	}
	return nil, false
}

type fresh struct {
	newNode func() Node
	cur     Node
}

func (f *fresh) Handle(ctx *Context, ev Event) {
	if f.newNode == nil {
		ctx.fail(errorf("node %s: Fresh(nil): no factory", ctx.Self()))
		return
	}
	if ev.Kind == Start || ev.Kind == Restart || f.cur == nil {
		f.cur = f.newNode()
		if isNil(f.cur) {
			ctx.fail(errorf("node %s: Fresh factory returned nil", ctx.Self()))
			return
		}
	}
	f.cur.Handle(ctx, ev)
}

// Validate checks that id is a valid node ID (see NodeID).
func (id NodeID) Validate() error { return validID(id) }

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
