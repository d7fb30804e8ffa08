package netsim

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Manual is a network driven by hand, one step at a time. Nothing happens
// by itself: the caller chooses which message in flight is delivered,
// lost or duplicated, which pending timer fires, and which node crashes
// or restarts. It replays a schedule found by the model checker in
// pkg/mcheck on the node code itself, and its Trace draws like a Sim's
// (Trace.History), one step per Tick of virtual time.
//
// The nodes run exactly as in a Sim (the same Context, Fresh and crash
// semantics: a crash cancels the node's timers and messages delivered to
// a crashed node are dropped), except for two things. Time advances by
// Tick per step, so durations given to SetTimer only label the trace.
// Rand restarts the node's stream (seeded from the seed and the node ID)
// at every Handle call, so a node draws the same numbers at every call,
// as under the model checker.
//
// A Manual is not safe for concurrent use. Once a node misbehaves (sends
// to an unknown node, sets a negative timer, panics), every method
// returns that error.
type Manual struct {
	seed    uint64
	nodes   []*manualNode
	index   map[NodeID]int
	started bool
	now     Time
	nextMsg uint64
	nextTim uint64
	flight  []Message
	trace   Trace
	outputs []Output
	err     error
	env     manualEnv
	ctx     *Context
}

// Tick is how far a Manual's clock advances at each step.
const Tick = Millisecond

type manualNode struct {
	id      NodeID
	h       Node
	crashed bool
	timers  []PendingTimer
	peers   []NodeID
}

// Message is a message in flight in a Manual network.
type Message struct {
	ID       uint64 // the message number (#n in the trace); copies share it
	From, To NodeID
	Msg      any
	Sent     Time
}

// PendingTimer is a timer that was set and has neither fired nor been
// cancelled.
type PendingTimer struct {
	ID    TimerID
	Tag   any
	After Time // the delay it was set with
}

// NewManual returns an empty manually driven network. The seed seeds the
// nodes' random sources (see Manual).
func NewManual(seed uint64) *Manual {
	m := &Manual{seed: seed, index: map[NodeID]int{}}
	m.env.m = m
	m.ctx = NewContext(&m.env)
	return m
}

// AddNode adds node n with the given ID (see NodeID). A node added after
// the network started is started at once.
func (m *Manual) AddNode(id NodeID, n Node) error {
	if m.err != nil {
		return m.err
	}
	if err := validID(id); err != nil {
		return err
	}
	if n == nil {
		return errorf("node %s is nil", id)
	}
	if _, dup := m.index[id]; dup {
		return errorf("duplicate node ID %q", id)
	}
	m.index[id] = len(m.nodes)
	m.nodes = append(m.nodes, &manualNode{id: id, h: n})
	for i, mn := range m.nodes {
		mn.peers = mn.peers[:0]
		for j, o := range m.nodes {
			if j != i {
				mn.peers = append(mn.peers, o.id)
			}
		}
	}
	if m.started {
		m.record(Record{Op: OpStart, Node: id})
		m.call(len(m.nodes)-1, Event{Kind: Start})
	}
	return m.err
}

// Nodes lists the node IDs in the order they were added.
func (m *Manual) Nodes() []NodeID {
	ids := make([]NodeID, len(m.nodes))
	for i, n := range m.nodes {
		ids[i] = n.id
	}
	return ids
}

// Start starts every node, in the order added, at time 0. The first
// step starts the network if Start was not called.
func (m *Manual) Start() error {
	if m.err != nil || m.started {
		return m.err
	}
	if len(m.nodes) == 0 {
		return errorf("empty network: add nodes with AddNode before starting")
	}
	m.started = true
	for i, n := range m.nodes {
		m.record(Record{Op: OpStart, Node: n.id})
		m.call(i, Event{Kind: Start})
		if m.err != nil {
			break
		}
	}
	return m.err
}

// Now is the current virtual time: Tick times the number of steps taken.
func (m *Manual) Now() Time { return m.now }

// InFlight lists the messages sent and not yet delivered, lost or
// dropped, in the order they were sent (a duplicate after the message
// it copies).
func (m *Manual) InFlight() []Message {
	return append([]Message(nil), m.flight...)
}

// Timers lists the pending timers of node id in the order they were set
// (nil for an unknown node).
func (m *Manual) Timers(id NodeID) []PendingTimer {
	i, ok := m.index[id]
	if !ok {
		return nil
	}
	return append([]PendingTimer(nil), m.nodes[i].timers...)
}

// Crashed reports whether node id is crashed.
func (m *Manual) Crashed(id NodeID) bool {
	i, ok := m.index[id]
	return ok && m.nodes[i].crashed
}

// Node returns the node added as id, or nil.
func (m *Manual) Node(id NodeID) Node {
	i, ok := m.index[id]
	if !ok {
		return nil
	}
	return m.nodes[i].h
}

// Trace returns the records so far.
func (m *Manual) Trace() Trace { return m.trace[:len(m.trace):len(m.trace)] }

// Outputs lists the outputs so far, in the order they happened.
func (m *Manual) Outputs() []Output { return m.outputs[:len(m.outputs):len(m.outputs)] }

// Deliver delivers the message in flight with the given number (the
// first copy, if the network duplicated it). A message for a crashed node
// is dropped instead (reason "crashed").
func (m *Manual) Deliver(msgID uint64) error {
	k, err := m.take(msgID, "deliver")
	if err != nil {
		return err
	}
	msg := m.flight[k]
	m.flight = append(m.flight[:k], m.flight[k+1:]...)
	to := m.index[msg.To]
	if m.nodes[to].crashed {
		m.record(Record{Op: OpDrop, Node: msg.To, From: msg.From, To: msg.To, ID: msg.ID, Msg: msg.Msg,
			Reason: DropCrashed, Sent: msg.Sent})
		return nil
	}
	m.record(Record{Op: OpDeliver, Node: msg.To, From: msg.From, To: msg.To, ID: msg.ID, Msg: msg.Msg, Sent: msg.Sent})
	m.call(to, Event{Kind: Receive, From: msg.From, Msg: msg.Msg, MsgID: msg.ID})
	return m.err
}

// Lose loses the message in flight with the given number (its first
// copy): it is never delivered.
func (m *Manual) Lose(msgID uint64) error {
	k, err := m.take(msgID, "lose")
	if err != nil {
		return err
	}
	msg := m.flight[k]
	m.flight = append(m.flight[:k], m.flight[k+1:]...)
	m.record(Record{Op: OpDrop, Node: msg.From, From: msg.From, To: msg.To, ID: msg.ID, Msg: msg.Msg,
		Reason: DropLoss, Sent: msg.Sent})
	return nil
}

// Duplicate adds a second copy of the message in flight with the given
// number; the copy keeps its number.
func (m *Manual) Duplicate(msgID uint64) error {
	k, err := m.take(msgID, "duplicate")
	if err != nil {
		return err
	}
	msg := m.flight[k]
	m.record(Record{Op: OpDuplicate, Node: msg.From, From: msg.From, To: msg.To, ID: msg.ID, Msg: msg.Msg})
	m.flight = append(m.flight, msg)
	return nil
}

// Fire fires pending timer t of node id.
func (m *Manual) Fire(id NodeID, t TimerID) error {
	i, err := m.step(id, "fire a timer of")
	if err != nil {
		return err
	}
	n := m.nodes[i]
	if n.crashed {
		return errorf("Fire: node %s is crashed", id)
	}
	for k, pt := range n.timers {
		if pt.ID == t {
			n.timers = append(n.timers[:k], n.timers[k+1:]...)
			m.record(Record{Op: OpTimer, Node: id, ID: uint64(t), Msg: pt.Tag})
			m.call(i, Event{Kind: Timer, Msg: pt.Tag, Timer: t})
			return m.err
		}
	}
	return errorf("Fire: node %s has no pending timer t%d", id, t)
}

// Crash crashes node id: its pending timers are cancelled and messages
// delivered to it are dropped until Restart.
func (m *Manual) Crash(id NodeID) error {
	i, err := m.step(id, "crash")
	if err != nil {
		return err
	}
	if m.nodes[i].crashed {
		return errorf("Crash: node %s is already crashed", id)
	}
	m.crash(i)
	return nil
}

func (m *Manual) crash(i int) {
	n := m.nodes[i]
	n.crashed = true
	n.timers = n.timers[:0]
	m.record(Record{Op: OpCrash, Node: n.id})
}

// Restart restarts node id with a Restart event, crashing it first if it
// is running (as Sim does).
func (m *Manual) Restart(id NodeID) error {
	i, err := m.step(id, "restart")
	if err != nil {
		return err
	}
	if !m.nodes[i].crashed {
		m.crash(i)
	}
	m.nodes[i].crashed = false
	m.record(Record{Op: OpRestart, Node: id})
	m.call(i, Event{Kind: Restart})
	return m.err
}

// step starts a step on node id: it checks the node and advances the
// clock.
func (m *Manual) step(id NodeID, what string) (int, error) {
	if err := m.Start(); err != nil {
		return 0, err
	}
	i, ok := m.index[id]
	if !ok {
		return 0, errorf("cannot %s unknown node %q; nodes are %s", what, id, m.nodeList())
	}
	m.now += Tick
	return i, nil
}

// take finds the first copy of message msgID in flight and advances the
// clock.
func (m *Manual) take(msgID uint64, what string) (int, error) {
	if err := m.Start(); err != nil {
		return 0, err
	}
	for k, msg := range m.flight {
		if msg.ID == msgID {
			m.now += Tick
			return k, nil
		}
	}
	return 0, errorf("cannot %s message #%d: it is not in flight", what, msgID)
}

func (m *Manual) nodeList() string {
	parts := make([]string, len(m.nodes))
	for i, n := range m.nodes {
		parts[i] = string(n.id)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func (m *Manual) record(r Record) {
	r.Time = m.now
	m.trace = append(m.trace, r)
}

func (m *Manual) fail(err error) {
	if m.err == nil {
		m.err = fmt.Errorf("%w (at %s)", err, m.now)
	}
}

// call runs Handle, turning a panic into the Manual's error.
func (m *Manual) call(i int, ev Event) {
	prev := m.env.node
	m.env.node, m.env.rng = i, nil
	defer func() {
		m.env.node = prev
		if p := recover(); p != nil {
			m.fail(errorf("node %s panicked handling %s: %v", m.nodes[i].id, ev.Kind, p))
		}
	}()
	m.nodes[i].h.Handle(m.ctx, ev)
}

// manualEnv is the Env of the node a Manual is calling.
type manualEnv struct {
	m    *Manual
	node int
	rng  *rand.Rand
}

func (e *manualEnv) cur() *manualNode { return e.m.nodes[e.node] }

func (e *manualEnv) Now() Time       { return e.m.now }
func (e *manualEnv) Self() NodeID    { return e.cur().id }
func (e *manualEnv) Peers() []NodeID { return e.cur().peers }

func (e *manualEnv) Rand() *rand.Rand {
	if e.rng == nil {
		e.rng = NodeRand(e.m.seed, e.cur().id)
	}
	return e.rng
}

func (e *manualEnv) Send(to NodeID, msg any) {
	m, from := e.m, e.cur().id
	if _, ok := m.index[to]; !ok {
		m.fail(errorf("node %s sent %s to unknown node %q; nodes are %s", from,
			strings.TrimSpace(string(appendMsg(nil, msg))), to, m.nodeList()))
		return
	}
	m.nextMsg++
	m.record(Record{Op: OpSend, Node: from, From: from, To: to, ID: m.nextMsg, Msg: msg})
	m.flight = append(m.flight, Message{ID: m.nextMsg, From: from, To: to, Msg: msg, Sent: m.now})
}

func (e *manualEnv) SetTimer(after Time, tag any) TimerID {
	m, n := e.m, e.cur()
	if after < 0 {
		m.fail(errorf("node %s set a timer with negative delay %s", n.id, after))
		return 0
	}
	m.nextTim++
	id := TimerID(m.nextTim)
	n.timers = append(n.timers, PendingTimer{ID: id, Tag: tag, After: after})
	m.record(Record{Op: OpSetTimer, Node: n.id, ID: uint64(id), Msg: tag, Due: addTime(m.now, after)})
	return id
}

func (e *manualEnv) CancelTimer(id TimerID) bool {
	n := e.cur()
	for k, pt := range n.timers {
		if pt.ID == id {
			n.timers = append(n.timers[:k], n.timers[k+1:]...)
			e.m.record(Record{Op: OpCancelTimer, Node: n.id, ID: uint64(id)})
			return true
		}
	}
	return false
}

func (e *manualEnv) Logf(format string, args []any) {
	e.m.record(Record{Op: OpNote, Node: e.cur().id, Text: fmt.Sprintf(format, args...)})
}

func (e *manualEnv) Output(v any) {
	id := e.cur().id
	e.m.outputs = append(e.m.outputs, Output{Time: e.m.now, Node: id, Value: v})
	e.m.record(Record{Op: OpOutput, Node: id, Msg: v})
}

func (e *manualEnv) Fail(err error) { e.m.fail(err) }

// NodeRand returns a new random source for node id, seeded from seed and
// the ID: the stream a Sim with Config.Seed == seed gives the node.
func NodeRand(seed uint64, id NodeID) *rand.Rand { return newRand(seed, "node:"+string(id)) }
