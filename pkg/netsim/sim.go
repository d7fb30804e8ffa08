package netsim

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
)

// DefaultMaxEvents is the event budget used when Config.MaxEvents is 0.
const DefaultMaxEvents = 10_000_000

// DefaultMaxTrace is the trace budget used when Config.MaxTrace is 0: at
// about 128 bytes a record (twice that once Trace has copied them into one
// slice), a full trace takes about 256 MB.
const DefaultMaxTrace = 1_000_000

// Any is the wildcard node in link selectors: SetLink(Any, "B", l)
// changes every link into B.
const Any NodeID = "*"

// Config configures a simulation.
type Config struct {
	// Seed seeds every random choice. Each node and each directed link
	// gets its own stream derived from Seed and its name, so adding a
	// node does not change the randomness of the others.
	Seed uint64
	// DefaultLink is the fault model of every link without an override.
	DefaultLink Link
	// MaxEvents stops a run with ErrBudget after this many events in
	// total; 0 means DefaultMaxEvents, a negative value means no limit.
	MaxEvents int
	// NoTrace turns off trace recording (Stats are still counted). Use it
	// for long runs and benchmarks.
	NoTrace bool
	// MaxTrace stops a run with ErrBudget when the trace would hold more
	// than this many records, so that tracing a long run fails early
	// instead of exhausting memory; 0 means DefaultMaxTrace, a negative
	// value means no limit. It does not apply with NoTrace.
	MaxTrace int
}

// Sim is a deterministic discrete-event network simulator. Create one
// with New, add nodes with AddNode, optionally override links and
// schedule faults, then Run. A Sim is not safe for concurrent use.
type Sim struct {
	cfg       Config
	maxEvents uint64
	maxTrace  int // math.MaxInt: no limit
	traced    int // records in the full chunks
	now       Time
	queue     eventQueue
	nodes     []*nodeState
	index     map[NodeID]int32
	links     [][]*linkState // links[from][to], created on first use
	actions   []Action
	cuts      int // number of cut links; 0 lets deliver skip the check
	nextMsg   uint64
	nextTimer uint64
	events    uint64
	err       error
	chunks    []Trace // full trace chunks; records are never moved once written
	cur       Trace   // the chunk being filled
	flat      Trace   // cached concatenation returned by Trace
	ctx       Context
	st        counters
	// user says which caller-supplied code is running, so that a panic
	// in it becomes the run's error (see catch).
	user    userCode
	userDo  string   // user == inDo: the action's label
	outputs []Output // see Context.Output
	env     Env      // set only in the stub Sim of a Context made by NewContext
}

// userCode is what caller-supplied code the Sim is running.
type userCode uint8

const (
	inSim  userCode = iota // the simulator's own code
	inDo                   // a scheduled Do function
	inCond                 // a RunUntil condition
	// inHandle + k: a node's Handle, for an event of kind k
	inHandle
)

type nodeState struct {
	id      NodeID
	h       Node
	rng     *rand.Rand
	crashed bool
	paused  bool
	epoch   uint32
	held    []event // inputs that arrived while paused
	timers  timerSet
	peers   []NodeID
	st      NodeStats
}

type counters struct {
	sent, delivered, duplicated, timers uint64
	dropped                             [numDropReasons]uint64
}

// New returns an empty simulation. It fails if cfg.DefaultLink is invalid.
func New(cfg Config) (*Sim, error) {
	if err := cfg.DefaultLink.Validate(); err != nil {
		return nil, errorf("default link: %v", trimPrefix(err))
	}
	s := &Sim{
		cfg:   cfg,
		index: make(map[NodeID]int32),
	}
	switch {
	case cfg.MaxEvents == 0:
		s.maxEvents = DefaultMaxEvents
	case cfg.MaxEvents > 0:
		s.maxEvents = uint64(cfg.MaxEvents)
	}
	switch {
	case cfg.MaxTrace == 0:
		s.maxTrace = DefaultMaxTrace
	case cfg.MaxTrace > 0:
		s.maxTrace = cfg.MaxTrace
	default:
		s.maxTrace = math.MaxInt
	}
	s.ctx.s = s
	return s, nil
}

// errZero is returned by the methods of a Sim that New did not make.
var errZero = errorf("zero or nil Sim: create one with New")

// usable reports a Sim that New did not make.
func (s *Sim) usable() error {
	if s == nil || s.index == nil {
		return errZero
	}
	return nil
}

// AddNode adds node n with the given ID. It gets a Start event at the
// current time (time 0 before the run). IDs must be unique and valid
// (see NodeID), and n must not be nil (nor a nil pointer or NodeFunc).
func (s *Sim) AddNode(id NodeID, n Node) error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := validID(id); err != nil {
		return err
	}
	if n == nil {
		return errorf("node %s is nil", id)
	}
	if isNil(n) {
		return errorf("node %s is a nil %T", id, n)
	}
	if _, dup := s.index[id]; dup {
		return errorf("duplicate node ID %q", id)
	}
	i := int32(len(s.nodes))
	s.index[id] = i
	s.nodes = append(s.nodes, &nodeState{id: id, h: n, rng: newRand(s.cfg.Seed, "node:"+string(id))})
	for f := range s.links {
		s.links[f] = append(s.links[f], nil)
	}
	s.links = append(s.links, make([]*linkState, len(s.nodes)))
	all := s.Nodes()
	for j, ns := range s.nodes {
		ns.peers = append(append(make([]NodeID, 0, len(all)-1), all[:j]...), all[j+1:]...)
	}
	s.push(event{at: s.now, kind: evStart, node: i})
	return nil
}

// Nodes lists the node IDs in the order they were added.
func (s *Sim) Nodes() []NodeID {
	ids := make([]NodeID, len(s.nodes))
	for i, n := range s.nodes {
		ids[i] = n.id
	}
	return ids
}

// Now is the current virtual time.
func (s *Sim) Now() Time { return s.now }

// Seed is the seed the simulation was created with.
func (s *Sim) Seed() uint64 { return s.cfg.Seed }

// SetLink sets the fault model of the link from -> to, effective
// immediately. Either end may be Any ("*"); SetLink(Any, Any, l) also
// becomes the default for nodes added later. To change a link during a
// run, use At(t).SetLink.
func (s *Sim) SetLink(from, to NodeID, l Link) error {
	if err := s.usable(); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	if err := s.checkSel(from, to); err != nil {
		return err
	}
	s.updateLinks(from, to, false, func(ls *linkState) { ls.Link = l })
	return nil
}

// Link returns the fault model currently in force on from -> to.
func (s *Sim) Link(from, to NodeID) (Link, error) {
	if err := s.usable(); err != nil {
		return Link{}, err
	}
	f, ok1 := s.index[from]
	t, ok2 := s.index[to]
	if !ok1 || !ok2 {
		return Link{}, errorf("unknown link %s->%s: nodes are %s", from, to, s.nodeList())
	}
	return s.link(f, t).Link, nil
}

// Crashed reports whether node id is currently crashed.
func (s *Sim) Crashed(id NodeID) bool {
	i, ok := s.index[id]
	return ok && s.nodes[i].crashed
}

// Trace returns the records so far, in the order they happened. The
// result is not changed by later events. Trace copies the records into
// one slice when new ones were added since the last call, so call it
// after running rather than inside a RunUntil condition (use Stats or
// your nodes' state there).
func (s *Sim) Trace() Trace {
	n := len(s.cur)
	for _, c := range s.chunks {
		n += len(c)
	}
	if len(s.flat) != n {
		s.flat = make(Trace, 0, n)
		for _, c := range s.chunks {
			s.flat = append(s.flat, c...)
		}
		s.flat = append(s.flat, s.cur...)
	}
	return s.flat[:n:n]
}

// WriteTrace writes the transcript so far, one line per record.
func (s *Sim) WriteTrace(w io.Writer) error {
	if err := s.usable(); err != nil {
		return err
	}
	_, err := s.Trace().WriteTo(w)
	return err
}

// Run processes events in time order up to and including time until,
// then advances the clock to until (unless until is Forever). until must
// not be before Now(). It stops early with an error if a node misbehaved
// (sent to an unknown node, set a negative timer, panicked) or a budget
// ran out.
func (s *Sim) Run(until Time) (err error) {
	if err := s.ready(); err != nil {
		return err
	}
	defer s.catch(&err)
	if until < s.now {
		return errorf("Run(%s): that time is before Now() = %s; virtual time only moves forward", until, s.now)
	}
	for s.queue.len() > 0 && s.queue.next() <= until {
		if err := s.step(); err != nil {
			return err
		}
	}
	if until != Forever && until > s.now {
		s.now = until
	}
	return nil
}

// RunFor runs for d more virtual time: Run(Now()+d).
func (s *Sim) RunFor(d Time) error {
	if d < 0 {
		return errorf("RunFor(%s): negative duration", d)
	}
	return s.Run(addTime(s.now, d))
}

// RunUntil processes events until done returns true (checked before the
// first event and after each one). It returns an error wrapping ErrIdle
// if the events run out first.
func (s *Sim) RunUntil(done func() bool) (err error) {
	if err := s.ready(); err != nil {
		return err
	}
	if done == nil {
		return errorf("RunUntil: nil condition")
	}
	defer s.catch(&err)
	for {
		s.user = inCond
		held := done()
		s.user = inSim
		if held {
			return nil
		}
		if s.queue.len() == 0 {
			return fmt.Errorf("%w at %s before the condition held (seed %d)", ErrIdle, s.now, s.cfg.Seed)
		}
		if err := s.step(); err != nil {
			return err
		}
	}
}

// Step processes the next event. It returns false when no events remain.
func (s *Sim) Step() (ok bool, err error) {
	if err := s.ready(); err != nil {
		return false, err
	}
	defer s.catch(&err)
	if s.queue.len() == 0 {
		return false, nil
	}
	return true, s.step()
}

// Pending is the number of events waiting in the queue.
func (s *Sim) Pending() int { return s.queue.len() }

// catch turns a panic in caller-supplied code (a node's Handle, a Do
// action, a RunUntil condition) into the run's error, naming the code,
// the time and the seed. It is deferred once per Run, RunUntil or Step
// call rather than once per event, which keeps the event loop cheap. A
// panic in the simulator's own code is a bug and is not hidden.
func (s *Sim) catch(err *error) {
	if s.user == inSim {
		return
	}
	p := recover()
	if p == nil { // no panic: s.user is left over from the last Handle
		s.user = inSim
		return
	}
	switch {
	case s.user >= inHandle:
		s.fail(errorf("node %s panicked handling its %s event: %v", s.nodes[s.ctx.node].id, EventKind(s.user-inHandle), p))
	case s.user == inDo:
		s.fail(errorf("scheduled Do(%q) panicked: %v", s.userDo, p))
	case s.user == inCond:
		s.fail(errorf("RunUntil condition panicked: %v", p))
	}
	s.user = inSim
	*err = s.err
}

func (s *Sim) ready() error {
	if err := s.usable(); err != nil {
		return err
	}
	if len(s.nodes) == 0 {
		return errorf("empty network: add nodes with AddNode before running")
	}
	return s.err
}

func (s *Sim) step() error {
	if s.maxEvents > 0 && s.events >= s.maxEvents {
		s.err = fmt.Errorf("%w: %d events processed by %s (seed %d); raise Config.MaxEvents or look for a livelock",
			ErrBudget, s.events, s.now, s.cfg.Seed)
		return s.err
	}
	e := s.queue.pop()
	s.now = e.at
	s.events++
	switch e.kind {
	case evDeliver:
		s.deliver(&e)
	case evTimer:
		s.fireTimer(&e)
	case evStart:
		s.start(&e)
	case evAction:
		s.apply(&s.actions[e.id])
	}
	return s.err
}

func (s *Sim) push(e event) { s.queue.push(e) }

// fail records the first error; the run loop returns it.
func (s *Sim) fail(err error) {
	if s.err == nil {
		s.err = fmt.Errorf("%w (at %s, seed %d)", err, s.now, s.cfg.Seed)
	}
}

// traceFull stops the run when the trace budget is spent.
func (s *Sim) traceFull() {
	if s.err == nil {
		s.err = fmt.Errorf("%w: the trace reached %d records (Config.MaxTrace) by %s (seed %d); set Config.NoTrace for long runs or raise Config.MaxTrace",
			ErrBudget, s.traced, s.now, s.cfg.Seed)
	}
}

// traceChunk is the number of records per trace chunk. Chunks avoid
// copying the whole trace each time it grows.
const traceChunk = 4096

func (s *Sim) record(r Record) {
	if len(s.cur) == cap(s.cur) && !s.newChunk() {
		return
	}
	r.Time = s.now
	s.cur = append(s.cur, r)
}

// newChunk files the full chunk and starts a new one, no larger than
// what is left of the trace budget. It reports false, and stops the run,
// when the budget is spent.
func (s *Sim) newChunk() bool {
	if len(s.cur) > 0 {
		s.chunks = append(s.chunks, s.cur)
		s.traced += len(s.cur)
		s.cur = nil
	}
	left := s.maxTrace - s.traced
	if left <= 0 {
		s.traceFull()
		return false
	}
	s.cur = make(Trace, 0, min(traceChunk, left))
	return true
}

// call hands ev to node i. A panic in the node's Handle becomes the
// run's error (see catch).
func (s *Sim) call(i int32, ev Event) {
	s.ctx.node, s.user = i, inHandle+userCode(ev.Kind)
	s.nodes[i].h.Handle(&s.ctx, ev) // the caller resets s.user (keeps call inlined)
}

func (s *Sim) start(e *event) {
	n := s.nodes[e.node]
	if n.crashed || e.epoch != n.epoch {
		return
	}
	if n.paused {
		n.held = append(n.held, *e)
		return
	}
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpStart, Node: n.id})
	}
	s.call(e.node, Event{Kind: Start})
	s.user = inSim
}

func (s *Sim) deliver(e *event) {
	n := s.nodes[e.node]
	from := s.nodes[e.from]
	if s.cuts > 0 && s.links[e.from][e.node].cut {
		s.drop(e, n.id, DropPartition)
		return
	}
	if n.crashed {
		s.drop(e, n.id, DropCrashed)
		return
	}
	if n.paused {
		n.held = append(n.held, *e)
		return
	}
	s.st.delivered++
	n.st.Received++
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpDeliver, Node: n.id, From: from.id, To: n.id, ID: e.id, Msg: e.msg, Sent: e.sent})
	}
	s.call(e.node, Event{Kind: Receive, From: from.id, Msg: e.msg, MsgID: e.id})
	s.user = inSim
}

func (s *Sim) drop(e *event, where NodeID, why DropReason) {
	s.st.dropped[why]++
	s.nodes[e.node].st.Dropped++
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpDrop, Node: where, From: s.nodes[e.from].id, To: s.nodes[e.node].id,
			ID: e.id, Msg: e.msg, Reason: why, Sent: e.sent})
	}
}

func (s *Sim) fireTimer(e *event) {
	n := s.nodes[e.node]
	id := TimerID(e.id)
	i := n.timers.find(id)
	if i < 0 { // cancelled, or set before a crash
		return
	}
	if n.paused {
		n.held = append(n.held, *e)
		return
	}
	n.timers.removeAt(i)
	s.st.timers++
	n.st.Timers++
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpTimer, Node: n.id, ID: e.id, Msg: e.msg})
	}
	s.call(e.node, Event{Kind: Timer, Msg: e.msg, Timer: id})
	s.user = inSim
}

// link returns the state of link f -> t, creating it on first use.
func (s *Sim) link(f, t int32) *linkState {
	ls := s.links[f][t]
	if ls == nil {
		ls = &linkState{Link: s.cfg.DefaultLink, lane: s.queue.newLane(),
			pcg: newPCG(s.cfg.Seed, "link:"+string(s.nodes[f].id)+"->"+string(s.nodes[t].id))}
		ls.rng = rand.New(ls.pcg)
		s.links[f][t] = ls
	}
	return ls
}

func (s *Sim) send(from int32, to NodeID, msg any) {
	if s.env != nil {
		s.env.Send(to, msg)
		return
	}
	t, ok := s.index[to]
	if !ok {
		s.fail(errorf("node %s sent %s to unknown node %q; nodes are %s", s.nodes[from].id,
			strings.TrimSpace(string(appendMsg(nil, msg))), to, s.nodeList()))
		return
	}
	s.sendTo(from, t, msg)
}

// sendTo is send with the receiver's index already known.
func (s *Sim) sendTo(from, t int32, msg any) {
	s.nextMsg++
	id := s.nextMsg
	s.st.sent++
	src := s.nodes[from]
	src.st.Sent++
	trace := !s.cfg.NoTrace
	if trace {
		s.record(Record{Op: OpSend, Node: src.id, From: src.id, To: s.nodes[t].id, ID: id, Msg: msg})
	}
	ls := s.link(from, t)
	if ls.cut {
		s.dropAtSend(from, t, id, msg, DropPartition)
		return
	}
	depart := s.now
	if ls.Bandwidth > 0 {
		if ls.QueueLimit > 0 {
			q := ls.inQueue
			k := 0
			for k < len(q) && q[k] <= s.now {
				k++
			}
			q = q[k:]
			if len(q) >= ls.QueueLimit {
				ls.inQueue = q
				s.dropAtSend(from, t, id, msg, DropQueue)
				return
			}
			ls.inQueue = q
		}
		tx := min(float64(msgSize(msg))*float64(Second)/ls.Bandwidth, float64(maxDelay))
		depart = addTime(max(s.now, ls.busyUntil), Time(tx))
		ls.busyUntil = depart
		if ls.QueueLimit > 0 {
			ls.inQueue = append(ls.inQueue, depart)
		}
	}
	if ls.Loss > 0 && ls.float64() < ls.Loss {
		s.dropAtSend(from, t, id, msg, DropLoss)
		return
	}
	at := addTime(depart, ls.sample())
	if ls.Reorder == 0 || ls.float64() >= ls.Reorder {
		at = max(at, ls.lastArrival)
		ls.lastArrival = at
		// Fill the event in place in its FIFO lane (hot path).
		e := s.queue.laneSlot(ls.lane, at)
		e.kind, e.node, e.from, e.id, e.msg, e.sent = evDeliver, t, from, id, msg, s.now
	} else {
		s.push(event{at: at, kind: evDeliver, node: t, from: from, id: id, msg: msg, sent: s.now})
	}
	if ls.Duplicate > 0 && ls.float64() < ls.Duplicate {
		s.st.duplicated++
		if trace {
			s.record(Record{Op: OpDuplicate, Node: src.id, From: src.id, To: s.nodes[t].id, ID: id, Msg: msg})
		}
		at := addTime(depart, ls.sample())
		s.push(event{at: at, kind: evDeliver, node: t, from: from, id: id, msg: msg, sent: s.now})
	}
}

// dropAtSend drops a message the moment it is sent.
func (s *Sim) dropAtSend(from, t int32, id uint64, msg any, why DropReason) {
	e := event{kind: evDeliver, node: t, from: from, id: id, msg: msg, sent: s.now}
	s.drop(&e, s.nodes[from].id, why)
}

func (s *Sim) setTimer(node int32, after Time, tag any) TimerID {
	if s.env != nil {
		return s.env.SetTimer(after, tag)
	}
	n := s.nodes[node]
	if after < 0 {
		s.fail(errorf("node %s set a timer with negative delay %s", n.id, after))
		return 0
	}
	s.nextTimer++
	id := TimerID(s.nextTimer)
	due := addTime(s.now, after)
	n.timers.add(id)
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpSetTimer, Node: n.id, ID: uint64(id), Msg: tag, Due: due})
	}
	s.push(event{at: due, kind: evTimer, node: node, id: uint64(id), msg: tag, epoch: n.epoch})
	return id
}

func (s *Sim) cancelTimer(node int32, id TimerID) bool {
	if s.env != nil {
		return s.env.CancelTimer(id)
	}
	n := s.nodes[node]
	i := n.timers.find(id)
	if i < 0 {
		return false
	}
	n.timers.removeAt(i)
	if !s.cfg.NoTrace {
		s.record(Record{Op: OpCancelTimer, Node: n.id, ID: uint64(id)})
	}
	return true
}

func (s *Sim) note(node int32, format string, args []any) {
	if s.env != nil {
		s.env.Logf(format, args)
		return
	}
	if s.cfg.NoTrace {
		return
	}
	s.record(Record{Op: OpNote, Node: s.nodes[node].id, Text: fmt.Sprintf(format, args...)})
}

func (s *Sim) peers(node int32) []NodeID { return s.nodes[node].peers }

func (s *Sim) nodeList() string {
	ids := s.Nodes()
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = string(id)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// newRand derives an independent PCG stream from the seed and a name.
func newRand(seed uint64, name string) *rand.Rand { return rand.New(newPCG(seed, name)) }

func newPCG(seed uint64, name string) *rand.PCG {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return rand.NewPCG(splitmix(seed^h), splitmix(h+0x9e3779b97f4a7c15*seed+1))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// addTime adds a delay to a time, saturating at Forever.
func addTime(t, d Time) Time {
	if d > Forever-t {
		return Forever
	}
	return t + d
}

// isNil reports a nil node, including a nil pointer or NodeFunc inside
// the interface, whose Handle would crash the run.
func isNil(n Node) bool {
	if n == nil {
		return true
	}
	switch v := reflect.ValueOf(n); v.Kind() {
	case reflect.Pointer, reflect.Func:
		return v.IsNil()
	}
	return false
}
