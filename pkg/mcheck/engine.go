package mcheck

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// A global state is a tuple of 2n+2 uint32 words for n nodes:
//
//	w[2i]   the local StateID of node i, with crashedBit if it is crashed
//	w[2i+1] the list of node i's outputs (an outList ID)
//	w[2n]   the network: the sorted multiset of envelopes in flight (a table ID)
//	w[2n+1] faults used: loss | duplicate<<8 | crash<<16
//
// An envelope is (sender, receiver, message ValueID), numbered by the
// search. Local transitions are memoised: (local StateID, input) -> the
// step the Machine computed, with its sends already turned into
// envelopes, so most transitions cost a few table lookups.
const crashedBit = 1 << 31

// Input arguments packed into the low 32 bits of a memo key (the high 32
// bits are the local StateID): an envelope ID for a delivery, else a tag.
const (
	argTimer   = 1 << 29
	argRestart = 2 << 29
	argCrash   = 3 << 29
	maxEnvs    = 1 << 23
)

// An action of the search is packed in 32 bits: kind<<29 | node<<23 |
// arg (an envelope or timer ID).
func packAct(k ActionKind, node int, arg uint32) uint32 {
	return uint32(k)<<29 | uint32(node)<<23 | arg
}

func unpackAct(a uint32) (ActionKind, int, uint32) {
	return ActionKind(a >> 29), int(a >> 23 & 0x3f), a & (1<<23 - 1)
}

type envelope struct {
	from, to uint16
	msg      ValueID
}

type stepRec struct {
	state       uint32
	sendOff     uint32
	outOff      uint32
	sendN, outN uint16
}

type localInfo struct {
	node    int32
	timers  []Timer
	enabled []netsim.TimerID
}

type outNode struct{ parent, val uint32 }

type engine struct {
	m     Machine
	opt   Options
	w     *watch
	n     int
	ids   []netsim.NodeID
	index map[netsim.NodeID]int
	width int

	locals []localInfo // by StateID
	values []Value     // by ValueID

	envs   []envelope
	envIdx map[uint64]uint32

	memo      map[uint64]uint32
	steps     []stepRec
	sendArena []uint32 // envelopes, in send order
	outArena  []uint32 // ValueIDs

	nets     *table
	outs     []outNode // outList 0 is the empty list
	outIdx   map[uint64]uint32
	outCache [][]any

	seen   *table
	parent []uint32
	act    []uint32
	levels []int // levels[d]: the ID of the first state of depth d

	// scratch
	succ   []uint32
	netBuf []uint32
	sorted []uint32

	// machine inputs waiting for a batched Steps call
	pending     []Input
	pendingKeys []uint64
	pendingFrom []uint32 // a global state that needed each input (for errors)
	pendingSet  map[uint64]struct{}
	stepsBuf    []Step
	requester   uint32

	state      State
	preds      []*activity
	startSteps []stepRec
	one        [1]uint32

	transitions int
	start       time.Time
	deadline    time.Time
}

func newEngine(m Machine, opt Options, w *watch) *engine {
	ids := m.Nodes()
	e := &engine{m: m, opt: opt, w: w, n: len(ids), ids: ids, index: map[netsim.NodeID]int{},
		width: 2*len(ids) + 2, locals: make([]localInfo, 1), envIdx: map[uint64]uint32{},
		memo: map[uint64]uint32{}, nets: newNetTable(), outs: make([]outNode, 1), outIdx: map[uint64]uint32{},
		pendingSet: map[uint64]struct{}{}}
	for i, id := range ids {
		e.index[id] = i
	}
	e.locals[0].node = -1
	e.succ = make([]uint32, e.width)
	e.state.e = e
	for _, inv := range opt.Invariants {
		e.preds = append(e.preds, &activity{what: fmt.Sprintf("invariant %q", inv.Name)})
	}
	for _, pr := range opt.Prune {
		e.preds = append(e.preds, &activity{what: fmt.Sprintf("prune %q", pr.Name)})
	}
	for _, g := range []*Predicate{opt.Goal, opt.livenessGoal()} {
		if g != nil {
			e.preds = append(e.preds, &activity{what: fmt.Sprintf("goal %q", g.Name)})
		}
	}
	return e
}

// abandon tells a search left behind by Check to stop at its next chance.
func (e *engine) abandon() { e.w.abandoned.Store(true) }

// errAbandoned ends a search that Check gave up on.
var errAbandoned = errors.New("mcheck: search abandoned")

// run performs the search and builds the report.
func (e *engine) run() (*Report, error) {
	e.start = time.Now()
	e.deadline = e.start.Add(e.opt.MaxTime)
	hint := min(e.opt.MaxStates, 1<<12)
	e.seen = newTable(e.width, hint)
	root, err := e.initial()
	if err != nil {
		return nil, err
	}
	if e.opt.Walks > 0 {
		return e.walks(root)
	}
	return e.bfs(root)
}

// initial starts every node and returns the initial global state.
func (e *engine) initial() ([]uint32, error) {
	for i := 0; i < e.n; i++ {
		e.need(uint64(i), Input{Node: i, State: 0, Kind: InputStart})
	}
	keys := slices.Clone(e.pendingKeys)
	if err := e.resolve(); err != nil {
		return nil, err
	}
	w := make([]uint32, e.width)
	var sends []uint32
	for i := 0; i < e.n; i++ {
		rec := e.steps[e.memo[keys[i]]]
		delete(e.memo, keys[i]) // start keys are not local-state keys
		w[2*i] = rec.state
		w[2*i+1] = e.appendOuts(0, e.outArena[rec.outOff:rec.outOff+uint32(rec.outN)])
		sends = append(sends, e.sendArena[rec.sendOff:rec.sendOff+uint32(rec.sendN)]...)
		e.startSteps = append(e.startSteps, rec)
	}
	w[2*e.n] = e.nets.intern(e.merge(nil, -1, sends))
	return w, nil
}

// need records a machine input to compute before the state that needs it
// can be expanded.
func (e *engine) need(key uint64, in Input) {
	if _, ok := e.pendingSet[key]; ok {
		return
	}
	e.pendingSet[key] = struct{}{}
	e.pending = append(e.pending, in)
	e.pendingKeys = append(e.pendingKeys, key)
	e.pendingFrom = append(e.pendingFrom, e.requester)
}

// resolve asks the machine for every pending input and memoises the
// steps.
func (e *engine) resolve() error {
	if len(e.pending) == 0 {
		return nil
	}
	if cap(e.stepsBuf) < len(e.pending) {
		e.stepsBuf = make([]Step, len(e.pending))
	}
	out := e.stepsBuf[:len(e.pending)]
	clear(out)
	// A Model tells the watchdog about each Handle call itself; a Remote
	// has its own timeout; any other Machine is watched as a whole.
	_, model := e.m.(*Model)
	_, remote := e.m.(*Remote)
	watched := !model && !remote
	if watched {
		e.w.begin("", fmt.Sprintf("the machine (a batch of %d steps)", len(e.pending)))
	}
	err := e.m.Steps(e.pending, out)
	if watched {
		e.w.end()
	}
	if e.w.abandoned.Load() {
		return errAbandoned
	}
	if err != nil {
		var ne *NodeError
		if errors.As(err, &ne) && ne.Input >= 0 && ne.Input < len(e.pending) {
			if e.opt.Walks == 0 {
				ne.Schedule = e.path(e.pendingFrom[ne.Input])
			}
			return ne
		}
		return fmt.Errorf("mcheck: machine: %w", err)
	}
	for k := range out {
		idx, err := e.addStep(&e.pending[k], &out[k])
		if err != nil {
			return fmt.Errorf("mcheck: machine: step %d (node %d, %s): %w", k, e.pending[k].Node, e.pending[k].Kind, err)
		}
		e.memo[e.pendingKeys[k]] = idx
	}
	e.pending, e.pendingKeys, e.pendingFrom = e.pending[:0], e.pendingKeys[:0], e.pendingFrom[:0]
	clear(e.pendingSet)
	return nil
}

// addStep checks a step returned by the machine (which may be a remote,
// untrusted peer) and stores it.
func (e *engine) addStep(in *Input, st *Step) (uint32, error) {
	for _, v := range st.Values {
		if int(v.ID) != len(e.values) {
			return 0, fmt.Errorf("value ID %d out of order (want %d)", v.ID, len(e.values))
		}
		if len(e.values) >= maxTableSize {
			return 0, fmt.Errorf("more than %d distinct values", maxTableSize)
		}
		e.values = append(e.values, v)
	}
	switch s := int(st.State); {
	case s == len(e.locals):
		if s >= maxTableSize {
			return 0, fmt.Errorf("more than %d local states", maxTableSize)
		}
		if len(st.Timers) > maxTimers {
			return 0, fmt.Errorf("state %d has %d timers; at most %d", s, len(st.Timers), maxTimers)
		}
		for k, t := range st.Timers {
			if t.ID == 0 || int(t.Tag) >= len(e.values) || t.After < 0 {
				return 0, fmt.Errorf("state %d: bad timer %+v", s, t)
			}
			for _, u := range st.Timers[:k] {
				if u.ID == t.ID {
					return 0, fmt.Errorf("state %d: timer ID %d twice", s, t.ID)
				}
			}
		}
		li := localInfo{node: int32(in.Node), timers: slices.Clone(st.Timers)}
		// A timer may fire unless an older pending timer of the node was
		// set with a delay no longer than its own: that one fires first.
		for k, t := range li.timers {
			ok := true
			for _, u := range li.timers[:k] {
				if u.After <= t.After {
					ok = false
					break
				}
			}
			if ok {
				li.enabled = append(li.enabled, t.ID)
			}
		}
		e.locals = append(e.locals, li)
	case s == 0 || s > len(e.locals):
		return 0, fmt.Errorf("state ID %d out of order (%d known)", s, len(e.locals)-1)
	case int(e.locals[s].node) != in.Node:
		return 0, fmt.Errorf("state %d belongs to node %d, not %d", s, e.locals[s].node, in.Node)
	}
	if in.Kind == InputCrash && (len(e.locals[st.State].timers) > 0 || len(st.Sends) > 0 || len(st.Outputs) > 0) {
		return 0, fmt.Errorf("a crash left timers, sends or outputs")
	}
	if len(st.Sends) > maxSends || len(st.Outputs) > maxOutputs {
		return 0, fmt.Errorf("%d sends and %d outputs; at most %d and %d", len(st.Sends), len(st.Outputs), maxSends, maxOutputs)
	}
	rec := stepRec{state: uint32(st.State), sendOff: uint32(len(e.sendArena)), outOff: uint32(len(e.outArena)),
		sendN: uint16(len(st.Sends)), outN: uint16(len(st.Outputs))}
	for _, s := range st.Sends {
		if s.To < 0 || s.To >= e.n || int(s.Msg) >= len(e.values) {
			return 0, fmt.Errorf("bad send %+v", s)
		}
		env, err := e.envelope(in.Node, s.To, s.Msg)
		if err != nil {
			return 0, err
		}
		e.sendArena = append(e.sendArena, env)
	}
	for _, o := range st.Outputs {
		if int(o) >= len(e.values) {
			return 0, fmt.Errorf("bad output value %d", o)
		}
		e.outArena = append(e.outArena, uint32(o))
	}
	if len(e.steps) >= maxTableSize {
		return 0, fmt.Errorf("more than %d local steps", maxTableSize)
	}
	e.steps = append(e.steps, rec)
	return uint32(len(e.steps) - 1), nil
}

// maxTableSize bounds the search's per-machine tables (local states,
// values, steps, envelopes).
const maxTableSize = 1 << 28

func (e *engine) envelope(from, to int, msg ValueID) (uint32, error) {
	k := uint64(from)<<48 | uint64(to)<<32 | uint64(msg)
	if id, ok := e.envIdx[k]; ok {
		return id, nil
	}
	if len(e.envs) >= maxEnvs {
		return 0, fmt.Errorf("more than %d distinct messages", maxEnvs)
	}
	id := uint32(len(e.envs))
	e.envs = append(e.envs, envelope{from: uint16(from), to: uint16(to), msg: msg})
	e.envIdx[k] = id
	return id, nil
}

// appendOuts returns the output list l followed by vals.
func (e *engine) appendOuts(l uint32, vals []uint32) uint32 {
	for _, v := range vals {
		k := uint64(l)<<32 | uint64(v)
		nl, ok := e.outIdx[k]
		if !ok {
			nl = uint32(len(e.outs))
			e.outs = append(e.outs, outNode{parent: l, val: v})
			e.outIdx[k] = nl
		}
		l = nl
	}
	return l
}

// outputs returns the values of output list l, oldest first.
func (e *engine) outputs(l uint32) []any {
	if l == 0 {
		return nil
	}
	if int(l) < len(e.outCache) && e.outCache[l] != nil {
		return e.outCache[l]
	}
	var vals []any
	for k := l; k != 0; k = e.outs[k].parent {
		vals = append(vals, e.values[e.outs[k].val].V)
	}
	slices.Reverse(vals)
	for int(l) >= len(e.outCache) {
		e.outCache = append(e.outCache, nil)
	}
	e.outCache[l] = vals[:len(vals):len(vals)]
	return e.outCache[l]
}

// merge returns, in e.netBuf, the network net without its element at
// index drop (none if drop < 0) plus the envelopes add (none when the
// options isolate the nodes), keeping at most MaxCopies copies of each
// envelope.
func (e *engine) merge(net []uint32, drop int, add []uint32) []uint32 {
	if e.opt.Isolated {
		add = nil // every link is cut: what is sent is lost
	}
	out := e.netBuf[:0]
	switch {
	case len(add) == 0: // the common cases first
		if drop < 0 {
			out = append(out, net...)
		} else {
			out = append(append(out, net[:drop]...), net[drop+1:]...)
		}
		e.netBuf = out
		return out
	case len(add) > 1:
		e.sorted = append(e.sorted[:0], add...)
		slices.Sort(e.sorted)
		add = e.sorted
	}
	maxc := e.opt.MaxCopies
	i, j := 0, 0
	run, last := 0, ^uint32(0)
	for i < len(net) || j < len(add) {
		if i == drop {
			i++
			continue
		}
		var x uint32
		fromAdd := false
		if j < len(add) && (i >= len(net) || add[j] < net[i]) {
			x, fromAdd = add[j], true
			j++
		} else {
			x = net[i]
			i++
		}
		if x == last {
			run++
		} else {
			last, run = x, 1
		}
		if run > maxc && fromAdd {
			continue // absorbed: MaxCopies copies are already in flight
		}
		out = append(out, x)
	}
	e.netBuf = out
	return out
}

// apply fills e.succ with the successor of w when node i takes memoised
// step si; the network drops its element at index drop (if >= 0).
func (e *engine) apply(w []uint32, i int, si uint32, drop int, crashed bool) {
	copy(e.succ, w)
	rec := &e.steps[si]
	st := rec.state
	if crashed {
		st |= crashedBit
	}
	e.succ[2*i] = st
	if rec.outN > 0 {
		e.succ[2*i+1] = e.appendOuts(w[2*i+1], e.outArena[rec.outOff:rec.outOff+uint32(rec.outN)])
	}
	if rec.sendN > 0 || drop >= 0 {
		net := e.nets.get(w[2*e.n])
		e.succ[2*e.n] = e.nets.intern(e.merge(net, drop, e.sendArena[rec.sendOff:rec.sendOff+uint32(rec.sendN)]))
	}
}

// visitFn receives a transition: its packed action and the successor
// tuple (valid until the next transition). It returns false to stop.
type visitFn func(act uint32, succ []uint32) bool

// successors calls visit for every transition of state w, in a fixed
// order: deliveries (and drops at crashed nodes), timers, losses,
// duplications, crashes, restarts. A transition whose local step is not
// memoised yet is recorded with need; from then on visit is no longer
// called and complete is false. cont is false if visit asked to stop.
// With faultFree, only deliveries, drops and timers are considered.
func (e *engine) successors(w []uint32, faultFree bool, visit visitFn) (complete, cont bool) {
	n := e.n
	net := e.nets.get(w[2*n])
	faults := w[2*n+1]
	complete = true
	call := func(a uint32) bool {
		if !complete {
			return true
		}
		return visit(a, e.succ)
	}
	// Deliveries and drops.
	for k := 0; k < len(net); {
		env, c := net[k], 1
		for k+c < len(net) && net[k+c] == env {
			c++
		}
		ev := e.envs[env]
		to := int(ev.to)
		if w[2*to]&crashedBit != 0 {
			if complete {
				copy(e.succ, w)
				e.succ[2*n] = e.nets.intern(e.merge(net, k, nil))
				if !call(packAct(Drop, to, env)) {
					return complete, false
				}
			}
		} else {
			st := w[2*to]
			key := uint64(st)<<32 | uint64(env)
			if si, ok := e.memo[key]; !ok {
				e.need(key, Input{Node: to, State: StateID(st), Kind: InputReceive, From: int(ev.from), Msg: ev.msg})
				complete = false
			} else if complete {
				e.apply(w, to, si, k, false)
				if !call(packAct(Deliver, to, env)) {
					return complete, false
				}
			}
		}
		k += c
	}
	// Timers.
	for i := 0; i < n; i++ {
		st := w[2*i]
		if st&crashedBit != 0 {
			continue
		}
		for _, t := range e.locals[st].enabled {
			key := uint64(st)<<32 | argTimer | uint64(t)
			if si, ok := e.memo[key]; !ok {
				e.need(key, Input{Node: i, State: StateID(st), Kind: InputTimer, Timer: t})
				complete = false
			} else if complete {
				e.apply(w, i, si, -1, false)
				if !call(packAct(Fire, i, uint32(t))) {
					return complete, false
				}
			}
		}
	}
	if faultFree {
		return complete, true
	}
	loss, dup, crash := int(faults&0xff), int(faults>>8&0xff), int(faults>>16&0xff)
	if loss < e.opt.Faults.Loss || dup < e.opt.Faults.Duplicate {
		for k := 0; k < len(net); {
			env, c := net[k], 1
			for k+c < len(net) && net[k+c] == env {
				c++
			}
			if loss < e.opt.Faults.Loss && complete {
				copy(e.succ, w)
				e.succ[2*n] = e.nets.intern(e.merge(net, k, nil))
				e.succ[2*n+1] = faults + 1
				if !call(packAct(Lose, int(e.envs[env].to), env)) {
					return complete, false
				}
			}
			if dup < e.opt.Faults.Duplicate && c < e.opt.MaxCopies && complete {
				copy(e.succ, w)
				e.one[0] = env
				e.succ[2*n] = e.nets.intern(e.merge(net, -1, e.one[:]))
				e.succ[2*n+1] = faults + 1<<8
				if !call(packAct(Duplicate, int(e.envs[env].to), env)) {
					return complete, false
				}
			}
			k += c
		}
	}
	if crash < e.opt.Faults.Crash {
		for i := 0; i < n; i++ {
			st := w[2*i]
			if st&crashedBit != 0 {
				continue
			}
			key := uint64(st)<<32 | argCrash
			if si, ok := e.memo[key]; !ok {
				e.need(key, Input{Node: i, State: StateID(st), Kind: InputCrash})
				complete = false
			} else if complete {
				e.apply(w, i, si, -1, true)
				e.succ[2*n+1] = faults + 1<<16
				if !call(packAct(Crash, i, 0)) {
					return complete, false
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		st := w[2*i]
		if st&crashedBit == 0 {
			continue
		}
		st &^= crashedBit
		key := uint64(st)<<32 | argRestart
		if si, ok := e.memo[key]; !ok {
			e.need(key, Input{Node: i, State: StateID(st), Kind: InputRestart})
			complete = false
		} else if complete {
			e.apply(w, i, si, -1, false)
			if !call(packAct(Restart, i, 0)) {
				return complete, false
			}
		}
	}
	return complete, true
}

// verdict is what the properties say about a state.
type verdict struct {
	bad    int   // the violated invariant, or -1
	detail error // its error
	goal   bool  // the goal holds
	pruned bool  // a prune holds: do not explore past it
}

// evaluate runs the invariants, the prunes and the goal on state w; err
// is a predicate that panicked.
func (e *engine) evaluate(w []uint32, depth int) (v verdict, err error) {
	v.bad = -1
	e.state.set(w, depth)
	k := 0
	for i := range e.opt.Invariants {
		inv := &e.opt.Invariants[i]
		var verr error
		if verr, err = e.guard(k, func() error { return inv.Check(&e.state) }); err != nil {
			return v, err
		}
		if verr != nil {
			v.bad, v.detail = i, verr
			return v, nil
		}
		k++
	}
	for i := range e.opt.Prune {
		pr := &e.opt.Prune[i]
		if _, err = e.guard(k, func() error {
			v.pruned = v.pruned || pr.Holds(&e.state)
			return nil
		}); err != nil {
			return v, err
		}
		k++
	}
	if g := e.opt.Goal; g != nil {
		_, err = e.guard(k, func() error {
			v.goal = g.Holds(&e.state)
			return nil
		})
	}
	return v, err
}

// liveGoal evaluates the liveness goal on state w.
func (e *engine) liveGoal(w []uint32, depth int) (bool, error) {
	e.state.set(w, depth)
	g := e.opt.Liveness.Goal
	var reached bool
	_, err := e.guard(len(e.preds)-1, func() error {
		reached = g.Holds(&e.state)
		return nil
	})
	return reached, err
}

// guard runs predicate k under the watchdog, turning a panic into an
// error naming it.
func (e *engine) guard(k int, f func() error) (verr, err error) {
	a := e.preds[k]
	e.w.beginReused(a)
	defer func() {
		e.w.end()
		if p := recover(); p != nil {
			err = fmt.Errorf("mcheck: %s panicked: %v%s", a.what, p, panicSite())
		}
	}()
	return f(), nil
}

// path returns the schedule from the initial state to visited state id.
func (e *engine) path(id uint32) Schedule {
	if e.seen.len() == 0 { // a node failed at its start
		return Schedule{}
	}
	var ids []uint32
	for s := id; s != 0; s = e.parent[s] {
		ids = append(ids, s)
	}
	slices.Reverse(ids)
	tuples := make([][]uint32, 0, len(ids)+1)
	tuples = append(tuples, e.seen.get(0))
	acts := make([]uint32, 0, len(ids))
	for _, s := range ids {
		tuples = append(tuples, e.seen.get(s))
		acts = append(acts, e.act[s])
	}
	return e.schedule(tuples, acts)
}

// schedule describes the actions acts taken from tuples[k] to tuples[k+1].
func (e *engine) schedule(tuples [][]uint32, acts []uint32) Schedule {
	s := make(Schedule, len(acts))
	for k, a := range acts {
		s[k] = e.describe(tuples[k], a)
	}
	return s
}

// describe turns a packed action taken in state w into an Action.
func (e *engine) describe(w []uint32, a uint32) Action {
	kind, node, arg := unpackAct(a)
	act := Action{Kind: kind, Node: e.ids[node]}
	var key uint64
	st := w[2*node] &^ crashedBit
	switch kind {
	case Deliver, Drop, Lose, Duplicate:
		ev := e.envs[arg]
		act.From, act.Node, act.Msg = e.ids[ev.from], e.ids[ev.to], e.values[ev.msg].Text
		key = uint64(st)<<32 | uint64(arg)
	case Fire:
		for k, t := range e.locals[st].timers {
			if uint32(t.ID) == arg {
				act.Timer, act.Msg = k, e.values[t.Tag].Text
			}
		}
		key = uint64(st)<<32 | argTimer | uint64(arg)
	case Restart:
		key = uint64(st)<<32 | argRestart
	default:
		return act
	}
	if kind == Drop || kind == Lose || kind == Duplicate {
		return act
	}
	if si, ok := e.memo[key]; ok {
		e.effects(&act, node, &e.steps[si])
	}
	return act
}

// effects fills in what node did in step rec.
func (e *engine) effects(act *Action, node int, rec *stepRec) {
	for _, env := range e.sendArena[rec.sendOff : rec.sendOff+uint32(rec.sendN)] {
		ev := e.envs[env]
		act.Sends = append(act.Sends, SentMsg{To: e.ids[ev.to], Msg: e.values[ev.msg].Text})
	}
	for _, v := range e.outArena[rec.outOff : rec.outOff+uint32(rec.outN)] {
		act.Outputs = append(act.Outputs, e.values[v].Text)
	}
}

// report starts a report with the statistics so far.
func (e *engine) report(o Outcome, states int) *Report {
	r := &Report{Outcome: o, Nodes: e.ids, States: states, Transitions: e.transitions, Elapsed: time.Since(e.start)}
	if r.Elapsed > 0 {
		r.StatesPerSecond = float64(states) / r.Elapsed.Seconds()
	}
	if states > 0 {
		r.BytesPerState = float64(e.bytes()) / float64(states)
	}
	for i, rec := range e.startSteps {
		a := Action{Kind: Start, Node: e.ids[i]}
		e.effects(&a, i, &rec)
		r.Start = append(r.Start, a)
	}
	return r
}

// bytes estimates the memory held by the search's tables.
func (e *engine) bytes() int {
	b := cap(e.parent)*4 + cap(e.act)*4 + cap(e.levels)*8
	if e.seen != nil {
		b += e.seen.bytes()
	}
	b += e.nets.bytes()
	b += cap(e.envs)*8 + len(e.envIdx)*16
	b += len(e.memo)*16 + cap(e.steps)*24 + cap(e.sendArena)*4 + cap(e.outArena)*4
	b += cap(e.outs)*8 + len(e.outIdx)*16
	for _, l := range e.locals {
		b += 40 + cap(l.timers)*24 + cap(l.enabled)*8
	}
	b += cap(e.values)*40 + cap(e.outCache)*24
	for _, l := range e.outCache {
		b += cap(l) * 16
	}
	return b
}
