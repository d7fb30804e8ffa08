package ordering

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/netsim"
)

// MutexRequest asks every other node for the critical section.
type MutexRequest struct {
	From int
	TS   lamport.Timestamp
}

// MutexReply acknowledges a request; its timestamp is later than the
// request's.
type MutexReply struct {
	From int
	TS   lamport.Timestamp
}

// MutexRelease tells every other node that From has left the critical
// section.
type MutexRelease struct {
	From int
	TS   lamport.Timestamp
}

func (m MutexRequest) String() string { return "req@" + strconv.FormatUint(uint64(m.TS), 10) }
func (m MutexReply) String() string   { return "ok@" + strconv.FormatUint(uint64(m.TS), 10) }
func (m MutexRelease) String() string { return "rel@" + strconv.FormatUint(uint64(m.TS), 10) }

type wantTick struct{}
type leaveTick struct{}

// requestLess orders requests by timestamp, ties by node.
func requestLess(a, b MutexRequest) bool {
	if a.TS != b.TS {
		return a.TS < b.TS
	}
	return a.From < b.From
}

// Mutex is a node of Lamport's (1978) mutual exclusion algorithm. It wants
// the critical section Entries times, each after a pause (exponential,
// mean Think), and stays in it for Hold. To ask, it sends a timestamped
// request to every other node and queues it; every node queues the
// requests it receives, ordered by (timestamp, node), and replies. A node
// enters when its own request heads its queue and it has received a
// message stamped later than its request from every other node; on
// leaving it sends a release to every other node, which then removes the
// request. Links must be FIFO and reliable: 3(N−1) messages per entry.
type Mutex struct {
	Members []netsim.NodeID
	Entries int
	Think   netsim.Time
	Hold    netsim.Time

	self       int
	clock      lamport.Clock
	queue      []MutexRequest
	latest     []lamport.Timestamp // largest timestamp received from each node
	mine       lamport.Timestamp   // timestamp of the pending request
	requesting bool
	InCS       bool
	Entered    int // completed entries
}

// Handle implements netsim.Node.
func (m *Mutex) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind != netsim.Start && m.latest == nil {
		return // not started, or not a member
	}
	switch ev.Kind {
	case netsim.Start:
		m.self = index(m.Members, ctx.Self())
		if m.self < 0 {
			ctx.Logf("ordering: %s is not in Members %v: it takes no part", ctx.Self(), m.Members)
			return
		}
		m.latest = make([]lamport.Timestamp, len(m.Members))
		m.wantLater(ctx)
	case netsim.Timer:
		switch ev.Msg.(type) {
		case wantTick:
			m.request(ctx)
		case leaveTick:
			m.release(ctx)
		}
	case netsim.Receive:
		switch msg := ev.Msg.(type) {
		case MutexRequest:
			m.onRequest(ctx, ev.From, msg)
		case MutexReply:
			m.heard(msg.From, msg.TS)
		case MutexRelease:
			m.heard(msg.From, msg.TS)
			for i, r := range m.queue {
				if r.From == msg.From {
					m.queue = append(m.queue[:i], m.queue[i+1:]...)
					break
				}
			}
		}
	}
	m.tryEnter(ctx)
}

func (m *Mutex) wantLater(ctx *netsim.Context) {
	if m.Entered < m.Entries {
		ctx.SetTimer(netsim.Time(ctx.Rand().ExpFloat64()*float64(m.Think)), wantTick{})
	}
}

// request asks everybody for the critical section.
func (m *Mutex) request(ctx *netsim.Context) {
	r := MutexRequest{From: m.self, TS: m.clock.Send()}
	m.mine, m.requesting = r.TS, true
	m.queue = insertSorted(m.queue, r, requestLess)
	m.sendAll(ctx, r)
}

// onRequest queues another node's request and replies to it.
func (m *Mutex) onRequest(ctx *netsim.Context, from netsim.NodeID, r MutexRequest) {
	m.heard(r.From, r.TS)
	m.queue = insertSorted(m.queue, r, requestLess)
	ctx.Send(from, MutexReply{From: m.self, TS: m.clock.Send()})
}

func (m *Mutex) heard(from int, ts lamport.Timestamp) {
	m.clock.Receive(ts)
	if from >= 0 && from < len(m.latest) {
		m.latest[from] = max(m.latest[from], ts)
	}
}

// tryEnter enters when the node's request heads its queue and every other
// node has sent something stamped later than it.
func (m *Mutex) tryEnter(ctx *netsim.Context) {
	if !m.requesting || len(m.queue) == 0 || m.queue[0].From != m.self {
		return
	}
	for q, ts := range m.latest {
		if q != m.self && ts <= m.mine {
			return
		}
	}
	m.requesting, m.InCS = false, true
	ctx.SetTimer(m.Hold, leaveTick{})
}

// release leaves the critical section and tells everybody.
func (m *Mutex) release(ctx *netsim.Context) {
	m.InCS = false
	for i, r := range m.queue {
		if r.From == m.self {
			m.queue = append(m.queue[:i], m.queue[i+1:]...)
			break
		}
	}
	m.sendAll(ctx, MutexRelease{From: m.self, TS: m.clock.Send()})
	m.Entered++
	m.wantLater(ctx)
}

func (m *Mutex) sendAll(ctx *netsim.Context, msg any) {
	for i, to := range m.Members {
		if i != m.self {
			ctx.Send(to, msg)
		}
	}
}

// CSInterval is one stay in the critical section.
type CSInterval struct {
	Node        netsim.NodeID
	Enter, Exit netsim.Time
	EnterCause  Cause // the receipt (or timer) during which the node entered
	ExitTimer   uint64
}

// csTracker records the nodes' stays in the critical section.
type csTracker struct {
	in        map[netsim.NodeID]int // open interval index
	intervals []CSInterval
	inside    int // nodes in the critical section now
	maxInside int
}

type csTracked struct {
	m *Mutex
	t *csTracker
}

func (w *csTracked) Handle(ctx *netsim.Context, ev netsim.Event) {
	was := w.m.InCS
	w.m.Handle(ctx, ev)
	switch {
	case !was && w.m.InCS:
		c := Cause{Kind: ev.Kind, ID: ev.MsgID}
		if ev.Kind == netsim.Timer {
			c.ID = uint64(ev.Timer)
		}
		w.t.in[ctx.Self()] = len(w.t.intervals)
		w.t.intervals = append(w.t.intervals, CSInterval{Node: ctx.Self(), Enter: ctx.Now(), EnterCause: c, Exit: -1})
		w.t.inside++
		w.t.maxInside = max(w.t.maxInside, w.t.inside)
	case was && !w.m.InCS:
		iv := &w.t.intervals[w.t.in[ctx.Self()]]
		iv.Exit, iv.ExitTimer = ctx.Now(), uint64(ev.Timer)
		w.t.inside--
	}
}

// MutexConfig describes a run of Lamport's mutual exclusion: Nodes nodes
// (A, B, ...) each enter the critical section Entries times.
type MutexConfig struct {
	Seed    uint64
	Nodes   int // 2..16
	Entries int // per node, 0..50
	Think   netsim.Time
	Hold    netsim.Time
	Delay   netsim.Delay
	Trace   bool
}

// DefaultMutex is three nodes entering twice each, pausing 5 ms on
// average, holding the section 3 ms, with delays of 1–5 ms.
func DefaultMutex() MutexConfig {
	return MutexConfig{Seed: 1, Nodes: 3, Entries: 2, Think: 5 * netsim.Millisecond, Hold: 3 * netsim.Millisecond,
		Delay: netsim.Uniform(1*netsim.Millisecond, 5*netsim.Millisecond)}
}

// Validate reports whether c is usable.
func (c MutexConfig) Validate() error {
	switch {
	case c.Nodes < 2 || c.Nodes > 16:
		return fmt.Errorf("ordering: %d nodes, allowed 2..16", c.Nodes)
	case c.Entries < 0 || c.Entries > 50:
		return fmt.Errorf("ordering: %d entries per node, allowed 0..50", c.Entries)
	case c.Think < 0 || c.Think > netsim.Minute:
		return fmt.Errorf("ordering: think time %v not in [0, 1m]", c.Think)
	case c.Hold < 0 || c.Hold > netsim.Minute:
		return fmt.Errorf("ordering: hold time %v not in [0, 1m]", c.Hold)
	}
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("ordering: %w", err)
	}
	return nil
}

// MutexRun is the outcome of RunMutex.
type MutexRun struct {
	Config    MutexConfig
	Members   []netsim.NodeID
	Nodes     []*Mutex
	Intervals []CSInterval
	MaxInside int // most nodes in the critical section at once
	Stats     netsim.Stats
	Trace     netsim.Trace
}

// RunMutex runs c.
func RunMutex(c MutexConfig) (*MutexRun, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	entries := make([]int, c.Nodes)
	for i := range entries {
		entries[i] = c.Entries
	}
	return runMutex(c, entries)
}

func runMutex(c MutexConfig, entries []int) (*MutexRun, error) {
	sim, err := netsim.New(netsim.Config{Seed: c.Seed, DefaultLink: netsim.Link{Delay: c.Delay}, NoTrace: !c.Trace})
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	members := names(c.Nodes, 'A')
	t := &csTracker{in: map[netsim.NodeID]int{}}
	nodes := make([]*Mutex, c.Nodes)
	for i := range nodes {
		nodes[i] = &Mutex{Members: members, Entries: entries[i], Think: c.Think, Hold: c.Hold}
		if err := sim.AddNode(members[i], &csTracked{nodes[i], t}); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	r := &MutexRun{Config: c, Members: members, Nodes: nodes, Intervals: t.intervals, MaxInside: t.maxInside, Stats: sim.Stats()}
	if c.Trace {
		r.Trace = sim.Trace()
	}
	return r, nil
}

// Entries is the number of completed stays in the critical section.
func (r *MutexRun) Entries() int {
	n := 0
	for _, m := range r.Nodes {
		n += m.Entered
	}
	return n
}

// MessagesPerEntry is the messages sent per completed entry.
func (r *MutexRun) MessagesPerEntry() float64 {
	if r.Entries() == 0 {
		return 0
	}
	return float64(r.Stats.Sent) / float64(r.Entries())
}

// Overlaps counts pairs of stays in the critical section by different
// nodes that overlap in time: a violation of mutual exclusion.
func (r *MutexRun) Overlaps() int {
	n := 0
	for i, a := range r.Intervals {
		for _, b := range r.Intervals[i+1:] {
			if a.Node != b.Node && a.Enter < b.Exit && b.Enter < a.Exit {
				n++
			}
		}
	}
	return n
}

// String summarises the run.
func (r *MutexRun) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d: %d nodes, %d entries, %d messages (%.1f per entry; 3(N−1) = %d)\n",
		r.Config.Seed, r.Config.Nodes, r.Entries(), r.Stats.Sent, r.MessagesPerEntry(), 3*(r.Config.Nodes-1))
	for _, iv := range r.Intervals {
		fmt.Fprintf(&b, "  %s in the critical section from %.1f ms to %.1f ms\n", iv.Node, float64(iv.Enter)/1e6, float64(iv.Exit)/1e6)
	}
	fmt.Fprintf(&b, "most nodes inside at once: %d; overlapping stays: %d\n", r.MaxInside, r.Overlaps())
	return b.String()
}

// CostPoint is one row of MutexCost.
type CostPoint struct {
	Nodes    int
	Entries  int
	Messages uint64
}

// MutexCost runs c for each number of nodes and counts the messages.
func MutexCost(c MutexConfig, nodes []int) ([]CostPoint, error) {
	if len(nodes) == 0 || len(nodes) > 20 {
		return nil, fmt.Errorf("ordering: %d cluster sizes, allowed 1..20", len(nodes))
	}
	c.Trace = false
	var out []CostPoint
	for _, n := range nodes {
		c.Nodes = n
		r, err := RunMutex(c)
		if err != nil {
			return nil, err
		}
		if r.Overlaps() > 0 {
			return nil, fmt.Errorf("ordering: mutual exclusion violated with %d nodes (seed %d)", n, c.Seed)
		}
		out = append(out, CostPoint{Nodes: n, Entries: r.Entries(), Messages: r.Stats.Sent})
	}
	return out, nil
}

// CostTable formats MutexCost for show.Table.
func CostTable(ps []CostPoint) (header []string, rows [][]string) {
	header = []string{"nodes N", "entries", "messages", "per entry", "3(N−1)"}
	for _, p := range ps {
		rows = append(rows, []string{strconv.Itoa(p.Nodes), strconv.Itoa(p.Entries), strconv.FormatUint(p.Messages, 10),
			strconv.FormatFloat(float64(p.Messages)/float64(max(1, p.Entries)), 'f', -1, 64), strconv.Itoa(3 * (p.Nodes - 1))})
	}
	return header, rows
}

// MutexSafety runs c with every number of nodes and seeds
// first..first+runs-1 and returns the most nodes ever inside the critical
// section at once, the overlapping stays, and whether every run sent
// exactly 3(N−1) messages per entry.
func MutexSafety(c MutexConfig, nodes []int, first uint64, runs int) (maxInside, overlaps int, exact bool, err error) {
	if runs < 1 || runs > 1000 || len(nodes) == 0 || len(nodes) > 20 {
		return 0, 0, false, fmt.Errorf("ordering: %d runs of %d cluster sizes, allowed 1..1000 and 1..20", runs, len(nodes))
	}
	exact = true
	c.Trace = false
	for _, n := range nodes {
		c.Nodes = n
		for i := range runs {
			c.Seed = first + uint64(i)
			r, err := RunMutex(c)
			if err != nil {
				return 0, 0, false, err
			}
			maxInside = max(maxInside, r.MaxInside)
			overlaps += r.Overlaps()
			if r.Stats.Sent != uint64(3*(n-1)*r.Entries()) || r.Entries() != n*c.Entries {
				exact = false
			}
		}
	}
	return maxInside, overlaps, exact, nil
}
