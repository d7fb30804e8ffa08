package mcheck

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/dslessons/course/pkg/netsim"
)

// Limits on what one node may do, so that a runaway node is an error
// rather than an exhausted memory.
const (
	MaxNodes      = 64      // nodes in a Model
	maxTimers     = 64      // pending timers of one node
	maxSends      = 1024    // messages sent in one step
	maxOutputs    = 256     // outputs in one step
	maxStateBytes = 1 << 20 // encoded size of one node state
)

// Model is the Machine that runs netsim nodes in this process: the same
// node values a lesson adds to a netsim.Sim. Build one with NewModel and
// AddNode. A Model keeps every local state it has seen; it is not safe
// for concurrent use.
//
// Under the checker a node runs as under netsim, with these differences
// (a node that relies on them gets a NodeError, never a silent change):
//
//   - There is no clock: calling ctx.Now is an error. Timers still work;
//     the durations given to SetTimer order a node's own timers (see
//     Options).
//   - ctx.Rand restarts the node's stream (netsim.NodeRand of the
//     model's seed and the node ID) at every Handle call: a node draws
//     the same numbers at every call, and the checker does not explore
//     other random choices. netsim.Manual does the same, so replays
//     match.
//   - TimerIDs are unique among a node's pending timers only: the ID of
//     a timer that fired or was cancelled is used again.
//   - Event.MsgID is 0: the network numbers no messages.
//   - ctx.Logf is ignored.
//   - A node must not keep ctx, start goroutines, or share memory with
//     another node or with the caller: the checker copies node values
//     (all they point to included) between steps, so a node that writes
//     into a slice owned by the notebook writes into a copy. Report what
//     a node does with ctx.Output instead.
type Model struct {
	ids   []netsim.NodeID
	nodes []modelNode
	c     *codec
	seed  uint64

	states     []modelState // by StateID; [0] is unused
	stateIndex map[string]StateID
	values     []modelValue // by ValueID
	valueIndex map[string]ValueID

	env   modelEnv
	ctx   *netsim.Context
	key   []byte
	watch atomic.Pointer[watch] // set by Check
}

type modelNode struct {
	init  netsim.Node        // a private copy of the node as added
	fresh func() netsim.Node // set for netsim.Fresh nodes
	peers []netsim.NodeID
}

type modelState struct {
	node   int32
	n      netsim.Node
	enc    string // the encoding of n
	timers []Timer
}

type modelValue struct {
	Value
	copy bool // V can be changed in place: hand copies to nodes
}

// NewModel returns an empty model. The seed seeds the nodes' random
// sources (see Model).
func NewModel(seed uint64) *Model {
	m := &Model{c: newCodec(), seed: seed, states: make([]modelState, 1),
		stateIndex: map[string]StateID{}, valueIndex: map[string]ValueID{}}
	m.env.m = m
	m.ctx = netsim.NewContext(&m.env)
	return m
}

// AddNode adds node n with the given ID. The model keeps a deep copy of
// n as the node's state before Start, so n itself is never changed and
// may be run on a netsim.Sim too. A node built with netsim.Fresh gets a
// new instance from its factory at every Start and Restart.
//
// AddNode fails if the ID is invalid or taken, n is nil, or the checker
// cannot encode the node's state: a NodeFunc (a function's state is
// hidden in its closure), or a field holding a func or chan.
func (m *Model) AddNode(id netsim.NodeID, n netsim.Node) error {
	if err := id.Validate(); err != nil {
		return fmt.Errorf("mcheck: %s", strings.TrimPrefix(err.Error(), "netsim: "))
	}
	for _, o := range m.ids {
		if o == id {
			return fmt.Errorf("mcheck: duplicate node ID %q", id)
		}
	}
	if len(m.ids) >= MaxNodes {
		return fmt.Errorf("mcheck: node %s: a model has at most %d nodes", id, MaxNodes)
	}
	if len(m.states) > 1 {
		return fmt.Errorf("mcheck: node %s added after the model was used (Reset it first)", id)
	}
	if isNil(n) {
		return fmt.Errorf("mcheck: node %s is nil", id)
	}
	var mn modelNode
	if f, ok := netsim.FreshFactory(n); ok {
		if f == nil {
			return fmt.Errorf("mcheck: node %s: netsim.Fresh was given a nil factory", id)
		}
		mn.fresh = f
		probe, err := m.build(f)
		if err != nil {
			return fmt.Errorf("mcheck: node %s: %v", id, err)
		}
		n = probe
	}
	if err := m.checkNode(n); err != nil {
		return fmt.Errorf("mcheck: node %s: %v", id, err)
	}
	if mn.fresh == nil {
		init, err := m.c.copyNode(n)
		if err != nil {
			return fmt.Errorf("mcheck: node %s: cannot copy its state: %v", id, err)
		}
		mn.init = init
	}
	m.ids = append(m.ids, id)
	m.nodes = append(m.nodes, mn)
	for i := range m.nodes {
		m.nodes[i].peers = m.nodes[i].peers[:0]
		for j, o := range m.ids {
			if j != i {
				m.nodes[i].peers = append(m.nodes[i].peers, o)
			}
		}
	}
	return nil
}

// checkNode reports why the checker cannot work with node n, or nil.
func (m *Model) checkNode(n netsim.Node) error {
	if _, ok := n.(StateCodec); ok {
		return nil
	}
	t := reflect.TypeOf(n)
	if t.Kind() == reflect.Func {
		return fmt.Errorf("a %s keeps its state in a function's closure, which the checker cannot see or copy; "+
			"write the node as a struct type with a Handle method", t)
	}
	if err := m.c.checkType(t); err != nil {
		return fmt.Errorf("cannot encode %v", rooted(err, n))
	}
	if _, err := m.c.appendNode(nil, n); err != nil {
		return fmt.Errorf("cannot encode %v", err)
	}
	return nil
}

// build calls a Fresh factory.
func (m *Model) build(f func() netsim.Node) (n netsim.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the Fresh factory panicked: %v", p)
		}
	}()
	n = f()
	if isNil(n) {
		return nil, fmt.Errorf("the Fresh factory returned nil")
	}
	return n, nil
}

func isNil(n netsim.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// Nodes lists the node IDs in the order they were added.
func (m *Model) Nodes() []netsim.NodeID { return m.ids }

// Reset forgets every local state and value the model has seen (see
// Machine); Check calls it, so one model serves many searches.
func (m *Model) Reset() error {
	m.states = m.states[:1]
	clear(m.states[1:cap(m.states)])
	m.values = nil
	clear(m.stateIndex)
	clear(m.valueIndex)
	return nil
}

// Node returns the node value of state s (nil for 0 or an unknown
// state). It is the model's own copy: do not modify it.
func (m *Model) Node(s StateID) netsim.Node {
	if s == 0 || int(s) >= len(m.states) {
		return nil
	}
	return m.states[s].n
}

// Steps computes one step per input (see Machine).
func (m *Model) Steps(in []Input, out []Step) error {
	if len(out) != len(in) {
		return fmt.Errorf("mcheck: Steps: %d inputs but room for %d steps", len(in), len(out))
	}
	for i := range in {
		if w := m.watch.Load(); w != nil && w.abandoned.Load() {
			return errAbandoned
		}
		if err := m.step(&in[i], &out[i]); err != nil {
			err.Input = i
			return err
		}
	}
	return nil
}

func (m *Model) step(in *Input, out *Step) *NodeError {
	if in.Node < 0 || in.Node >= len(m.nodes) {
		return &NodeError{Node: "?", Event: in.Kind.String(), Err: fmt.Errorf("no node %d (the model has %d)", in.Node, len(m.nodes))}
	}
	mn := &m.nodes[in.Node]
	id := m.ids[in.Node]
	fail := func(err error) *NodeError { return &NodeError{Node: id, Event: m.describe(in), Err: err} }
	var st *modelState
	switch {
	case in.State == 0 && in.Kind != InputStart, in.State != 0 && in.Kind == InputStart:
		return fail(fmt.Errorf("state %d cannot take input %s", in.State, in.Kind))
	case in.State != 0:
		if int(in.State) >= len(m.states) || int(m.states[in.State].node) != in.Node {
			return fail(fmt.Errorf("unknown state %d", in.State))
		}
		st = &m.states[in.State]
	}
	e := &m.env
	e.reset(in.Node)
	var ev netsim.Event
	var n netsim.Node
	var err error
	switch in.Kind {
	case InputCrash:
		*out = Step{}
		out.State = m.intern(in.Node, st.n, st.enc, nil)
		out.Timers = nil
		return nil
	case InputStart, InputRestart:
		ev.Kind = netsim.Start
		if in.Kind == InputRestart {
			ev.Kind = netsim.Restart
			e.timers = e.timers[:0] // a crash cancelled them
		}
		switch {
		case mn.fresh != nil:
			n, err = m.build(mn.fresh)
		case st == nil:
			n, err = m.c.copyNode(mn.init)
		default:
			n, err = m.c.copyNode(st.n)
		}
	case InputReceive:
		if in.From < 0 || in.From >= len(m.nodes) || int(in.Msg) >= len(m.values) {
			return fail(fmt.Errorf("bad message input (from %d, value %d)", in.From, in.Msg))
		}
		mv := &m.values[in.Msg]
		msg := mv.V
		if mv.copy {
			if msg, err = m.c.copyValue(msg); err != nil {
				return fail(err)
			}
		}
		ev = netsim.Event{Kind: netsim.Receive, From: m.ids[in.From], Msg: msg}
		n, err = m.c.copyNode(st.n)
	case InputTimer:
		k := -1
		for j, t := range st.timers {
			if t.ID == in.Timer {
				k = j
			}
		}
		if k < 0 {
			return fail(fmt.Errorf("no pending timer t%d", in.Timer))
		}
		tag := m.values[st.timers[k].Tag]
		msg := tag.V
		if tag.copy {
			if msg, err = m.c.copyValue(msg); err != nil {
				return fail(err)
			}
		}
		ev = netsim.Event{Kind: netsim.Timer, Msg: msg, Timer: in.Timer}
		n, err = m.c.copyNode(st.n)
	default:
		return fail(fmt.Errorf("unknown input kind %d", in.Kind))
	}
	if err != nil {
		return fail(err)
	}
	if st != nil && in.Kind != InputRestart {
		for _, t := range st.timers {
			if in.Kind != InputTimer || t.ID != in.Timer { // a fired timer is no longer pending
				e.timers = append(e.timers, t)
			}
		}
	}
	if err := m.call(n, in, ev); err != nil {
		return fail(err)
	}
	if e.err != nil {
		return fail(e.err)
	}
	enc, err := m.c.appendNode(m.key[:0], n)
	m.key = enc[:0]
	if err != nil {
		return fail(fmt.Errorf("cannot encode the node's state: %v", err))
	}
	if len(enc) > maxStateBytes {
		return fail(fmt.Errorf("the node's state encodes to %d bytes; the checker allows %d", len(enc), maxStateBytes))
	}
	*out = Step{Sends: e.sends, Outputs: e.outputs, Values: e.values}
	out.State = m.intern(in.Node, n, string(enc), e.timers)
	out.Timers = m.states[out.State].timers
	return nil
}

// call runs Handle, turning a panic into an error naming where it
// happened, and tells the watchdog what is running.
func (m *Model) call(n netsim.Node, in *Input, ev netsim.Event) (err error) {
	if w := m.watch.Load(); w != nil {
		w.begin(m.ids[in.Node], m.describe(in))
		defer w.end()
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v%s", p, panicSite())
		}
	}()
	n.Handle(m.ctx, ev)
	return nil
}

// panicSite returns " (at file:line)" for the innermost frame of the
// panicking code outside the runtime, or "".
func panicSite() string {
	pc := make([]uintptr, 32)
	k := runtime.Callers(3, pc)
	frames := runtime.CallersFrames(pc[:k])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") && f.Function != "" {
			return fmt.Sprintf(" (at %s:%d)", shortFile(f.File), f.Line)
		}
		if !more {
			return ""
		}
	}
}

func shortFile(f string) string {
	if i := strings.LastIndexByte(f, '/'); i >= 0 {
		if j := strings.LastIndexByte(f[:i], '/'); j >= 0 {
			return f[j+1:]
		}
	}
	return f
}

// describe names an input as transcripts do: "receive Data{Seq:1} from S".
func (m *Model) describe(in *Input) string {
	switch in.Kind {
	case InputReceive:
		if int(in.Msg) < len(m.values) && in.From >= 0 && in.From < len(m.ids) {
			return "receive " + m.values[in.Msg].Text + " from " + string(m.ids[in.From])
		}
	case InputTimer:
		if int(in.State) < len(m.states) {
			for _, t := range m.states[in.State].timers {
				if t.ID == in.Timer {
					return "timer " + m.values[t.Tag].Text
				}
			}
		}
	}
	return in.Kind.String()
}

// intern returns the StateID of node i with value n (encoded as enc) and
// the given timers, adding it if new. A new state keeps n and a copy of
// timers.
func (m *Model) intern(i int, n netsim.Node, enc string, timers []Timer) StateID {
	k := binary.AppendUvarint(m.key[:0], uint64(i))
	k = binary.AppendUvarint(k, uint64(len(timers)))
	for _, t := range timers {
		k = binary.AppendUvarint(k, uint64(t.ID))
		k = binary.AppendUvarint(k, uint64(t.Tag))
		k = binary.AppendVarint(k, int64(t.After))
	}
	k = append(k, enc...)
	m.key = k[:0]
	if s, ok := m.stateIndex[string(k)]; ok {
		return s
	}
	s := StateID(len(m.states))
	m.states = append(m.states, modelState{node: int32(i), n: n, enc: enc, timers: append([]Timer(nil), timers...)})
	m.stateIndex[string(k)] = s
	return s
}

// value returns the ValueID of v, adding it (and reporting it in the
// step's Values) if new.
func (m *Model) value(v any) (ValueID, error) {
	enc, err := m.c.appendValue(m.env.vbuf[:0], v)
	m.env.vbuf = enc[:0]
	if err != nil {
		return 0, err
	}
	if id, ok := m.valueIndex[string(enc)]; ok {
		return id, nil
	}
	stored, err := m.c.copyValue(v) // the node may change v after sending it
	if err != nil {
		return 0, err
	}
	id := ValueID(len(m.values))
	mv := modelValue{Value: Value{ID: id, Text: Text(v), V: stored}}
	mv.copy = v != nil && !m.c.plan(reflect.TypeOf(v)).shallow
	m.values = append(m.values, mv)
	m.valueIndex[string(enc)] = id
	m.env.values = append(m.env.values, mv.Value)
	return id, nil
}

// modelEnv is the netsim.Env of the node a Model is running.
type modelEnv struct {
	m       *Model
	node    int
	timers  []Timer
	sends   []Send
	outputs []ValueID
	values  []Value
	rng     *rand.Rand
	err     error
	vbuf    []byte
}

func (e *modelEnv) reset(node int) {
	e.node, e.rng, e.err = node, nil, nil
	e.timers, e.sends, e.outputs, e.values = e.timers[:0], nil, nil, nil
}

func (e *modelEnv) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *modelEnv) Now() netsim.Time {
	e.fail(fmt.Errorf("ctx.Now: the model checker has no clock (every order of events is explored); " +
		"use timers instead of reading the time"))
	return 0
}

func (e *modelEnv) Self() netsim.NodeID    { return e.m.ids[e.node] }
func (e *modelEnv) Peers() []netsim.NodeID { return e.m.nodes[e.node].peers }

func (e *modelEnv) Rand() *rand.Rand {
	if e.rng == nil {
		e.rng = netsim.NodeRand(e.m.seed, e.m.ids[e.node])
	}
	return e.rng
}

func (e *modelEnv) Send(to netsim.NodeID, msg any) {
	t := -1
	for i, id := range e.m.ids {
		if id == to {
			t = i
		}
	}
	if t < 0 {
		e.fail(fmt.Errorf("sent %s to unknown node %q; nodes are %v", Text(msg), to, e.m.ids))
		return
	}
	if len(e.sends) >= maxSends {
		e.fail(fmt.Errorf("sent more than %d messages in one step", maxSends))
		return
	}
	v, err := e.m.value(msg)
	if err != nil {
		e.fail(fmt.Errorf("cannot encode the message sent to %s: %v", to, err))
		return
	}
	e.sends = append(e.sends, Send{To: t, Msg: v})
}

func (e *modelEnv) SetTimer(after netsim.Time, tag any) netsim.TimerID {
	if after < 0 {
		e.fail(fmt.Errorf("set a timer with negative delay %s", after))
		return 0
	}
	if len(e.timers) >= maxTimers {
		e.fail(fmt.Errorf("has more than %d pending timers", maxTimers))
		return 0
	}
	v, err := e.m.value(tag)
	if err != nil {
		e.fail(fmt.Errorf("cannot encode the timer tag: %v", err))
		return 0
	}
	id := netsim.TimerID(1) // the smallest ID not pending
	for again := true; again; {
		again = false
		for _, t := range e.timers {
			if t.ID == id {
				id++
				again = true
			}
		}
	}
	e.timers = append(e.timers, Timer{ID: id, Tag: v, After: after})
	return id
}

func (e *modelEnv) CancelTimer(id netsim.TimerID) bool {
	for k, t := range e.timers {
		if t.ID == id {
			e.timers = append(e.timers[:k], e.timers[k+1:]...)
			return true
		}
	}
	return false
}

func (e *modelEnv) Logf(string, []any) {}

func (e *modelEnv) Output(v any) {
	if len(e.outputs) >= maxOutputs {
		e.fail(fmt.Errorf("output more than %d values in one step", maxOutputs))
		return
	}
	id, err := e.m.value(v)
	if err != nil {
		e.fail(fmt.Errorf("cannot encode the output: %v", err))
		return
	}
	e.outputs = append(e.outputs, id)
}

func (e *modelEnv) Fail(err error) { e.fail(err) }
