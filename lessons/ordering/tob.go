package ordering

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/netsim"
)

// TOBData is a message of totally ordered broadcast: the sender's index,
// its Lamport timestamp and the payload.
type TOBData struct {
	From    int
	TS      lamport.Timestamp
	Payload string
}

func (m TOBData) String() string { return m.Payload + "@" + strconv.FormatUint(uint64(m.TS), 10) }

// TOBAck tells every other node that From has received a message; its
// timestamp is From's clock at sending it.
type TOBAck struct {
	From int
	TS   lamport.Timestamp
}

func (a TOBAck) String() string { return "ack@" + strconv.FormatUint(uint64(a.TS), 10) }

// TOBLess is the total order: by timestamp, ties broken by the sender's
// index.
func TOBLess(a, b TOBData) bool {
	if a.TS != b.TS {
		return a.TS < b.TS
	}
	return a.From < b.From
}

// TOBReady is the delivery rule: the message at the head of the queue
// (the smallest by TOBLess) can be delivered when every other node has
// sent this node something stamped at least head.TS. Links are FIFO and a
// node's timestamps grow, so nothing that node sends later can come
// before head; and the head is the smallest message received so far.
// latest[q] is the largest timestamp received from node q.
func TOBReady(head TOBData, latest []lamport.Timestamp, self int) bool {
	for q, ts := range latest {
		if q != self && ts < head.TS {
			return false
		}
	}
	return true
}

// TOBRules are the two rules a TOB node follows; TOBLess and TOBReady are
// the library's.
type TOBRules struct {
	Less  func(a, b TOBData) bool
	Ready func(head TOBData, latest []lamport.Timestamp, self int) bool
}

// LibraryRules are the rules TOB nodes use by default.
var LibraryRules = TOBRules{Less: TOBLess, Ready: TOBReady}

// TOB is a node of totally ordered broadcast with Lamport timestamps
// (after Lamport 1978). It broadcasts one payload ("A1", "A2", ...) at
// each time of Plan. Every message, its own included, goes into a queue
// ordered by (timestamp, sender); on receiving another node's message it
// sends an acknowledgement to every other node (unless NoAcks), so that
// everybody hears from everybody with a larger timestamp. It delivers the
// head of its queue once TOBReady holds.
type TOB struct {
	Members []netsim.NodeID
	Plan    []netsim.Time // times (since start) of its own broadcasts
	NoAcks  bool

	self      int
	clock     lamport.Clock
	queue     []TOBData           // received, not yet delivered, sorted by Less
	latest    []lamport.Timestamp // largest timestamp received from each node
	Sent      []string
	Delivered []string
}

// Handle implements netsim.Node with the library's rules.
func (n *TOB) Handle(ctx *netsim.Context, ev netsim.Event) { n.handle(ctx, ev, LibraryRules) }

func (n *TOB) handle(ctx *netsim.Context, ev netsim.Event, r TOBRules) {
	if ev.Kind != netsim.Start && n.latest == nil {
		return // not started, or not a member
	}
	switch ev.Kind {
	case netsim.Start:
		n.onStart(ctx)
	case netsim.Timer:
		if _, ok := ev.Msg.(broadcastTick); ok {
			n.broadcast(ctx, r)
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case TOBData:
			n.onData(ctx, m, r)
		case TOBAck:
			n.onAck(ctx, m, r)
		}
	}
}

func (n *TOB) onStart(ctx *netsim.Context) {
	n.self = index(n.Members, ctx.Self())
	if n.self < 0 {
		ctx.Logf("ordering: %s is not in Members %v: it takes no part", ctx.Self(), n.Members)
		return
	}
	n.latest = make([]lamport.Timestamp, len(n.Members))
	for _, at := range n.Plan {
		ctx.SetTimer(at, broadcastTick{})
	}
}

// broadcast stamps the next payload, queues it here and sends it to every
// other node.
func (n *TOB) broadcast(ctx *netsim.Context, r TOBRules) {
	m := TOBData{From: n.self, TS: n.clock.Send(), Payload: string(n.Members[n.self]) + strconv.Itoa(len(n.Sent)+1)}
	n.Sent = append(n.Sent, m.Payload)
	n.queue = insertSorted(n.queue, m, r.Less)
	n.sendAll(ctx, m)
	n.tryDeliver(r)
}

// onData queues another node's message and acknowledges it to everyone.
func (n *TOB) onData(ctx *netsim.Context, m TOBData, r TOBRules) {
	n.clock.Receive(m.TS)
	n.heard(m.From, m.TS)
	n.queue = insertSorted(n.queue, m, r.Less)
	if !n.NoAcks {
		n.sendAll(ctx, TOBAck{From: n.self, TS: n.clock.Send()})
	}
	n.tryDeliver(r)
}

func (n *TOB) onAck(ctx *netsim.Context, a TOBAck, r TOBRules) {
	n.clock.Receive(a.TS)
	n.heard(a.From, a.TS)
	n.tryDeliver(r)
}

// heard records the largest timestamp received from a node.
func (n *TOB) heard(from int, ts lamport.Timestamp) {
	if from >= 0 && from < len(n.latest) {
		n.latest[from] = max(n.latest[from], ts)
	}
}

// tryDeliver delivers queue heads while the rule allows.
func (n *TOB) tryDeliver(r TOBRules) {
	for len(n.queue) > 0 && r.Ready(n.queue[0], slices.Clone(n.latest), n.self) {
		n.Delivered = append(n.Delivered, n.queue[0].Payload)
		n.queue = n.queue[1:]
	}
}

func (n *TOB) sendAll(ctx *netsim.Context, msg any) {
	for i, to := range n.Members {
		if i != n.self {
			ctx.Send(to, msg)
		}
	}
}

// Waiting is the number of messages received and not delivered.
func (n *TOB) Waiting() int { return len(n.queue) }

// DeliveredSoFar implements Deliverer.
func (n *TOB) DeliveredSoFar() []string { return n.Delivered }

// tobWith runs a TOB node with other rules.
type tobWith struct {
	n *TOB
	r TOBRules
}

func (w *tobWith) Handle(ctx *netsim.Context, ev netsim.Event) { w.n.handle(ctx, ev, w.r) }
func (w *tobWith) DeliveredSoFar() []string                    { return w.n.Delivered }

// TOBConfig describes a run of totally ordered broadcast. Optionally
// acknowledgements are switched off, or node Crash crashes at CrashAt;
// Trace keeps the trace for a diagram.
type TOBConfig struct {
	Workload
	NoAcks  bool
	Crash   netsim.NodeID // "" for none
	CrashAt netsim.Time
	Trace   bool
}

// DefaultTOB is three nodes broadcasting four payloads each, 10 ms apart
// on average, over FIFO links with delays of 1–10 ms.
func DefaultTOB() TOBConfig {
	return TOBConfig{Workload: Workload{Seed: 1, Nodes: 3, PerNode: 4, Gap: 10 * netsim.Millisecond,
		Delay: netsim.Uniform(1*netsim.Millisecond, 10*netsim.Millisecond)}}
}

// Validate reports whether c is usable.
func (c TOBConfig) Validate() error {
	if err := c.validate(); err != nil {
		return err
	}
	switch {
	case c.Crash != "" && index(names(c.Nodes, 'A'), c.Crash) < 0:
		return fmt.Errorf("ordering: crash of unknown node %q (nodes are A..%c)", c.Crash, 'A'+c.Nodes-1)
	case c.CrashAt < 0 || c.CrashAt > netsim.Minute:
		return fmt.Errorf("ordering: crash time %v not in [0, 1m]", c.CrashAt)
	}
	return nil
}

// TOBRun is the outcome of a TOB run.
type TOBRun struct {
	Config     TOBConfig
	Members    []netsim.NodeID
	Nodes      []*TOB
	Deliveries []Delivery
	Trace      netsim.Trace
	Stats      netsim.Stats
	tracker    *tracker
}

// RunTOB runs c with the library's rules.
func RunTOB(c TOBConfig) (*TOBRun, error) { return RunTOBWith(c, LibraryRules) }

// RunTOBWith runs c with other rules (nil fields are the library's).
func RunTOBWith(c TOBConfig, r TOBRules) (*TOBRun, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if r.Less == nil {
		r.Less = TOBLess
	}
	if r.Ready == nil {
		r.Ready = TOBReady
	}
	members := names(c.Nodes, 'A')
	nodes := make([]*TOB, c.Nodes)
	for i, plan := range c.plans(0x746f62) { // "tob"
		nodes[i] = &TOB{Members: members, Plan: plan, NoAcks: c.NoAcks}
	}
	return runTOB(c, members, nodes, r)
}

func runTOB(c TOBConfig, members []netsim.NodeID, nodes []*TOB, r TOBRules) (*TOBRun, error) {
	sim, err := netsim.New(netsim.Config{Seed: c.Seed, DefaultLink: c.link(), NoTrace: !c.Trace})
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	t := newTracker()
	for i, n := range nodes {
		if err := sim.AddNode(members[i], t.wrap(&tobWith{n, r})); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	if c.Crash != "" {
		if err := sim.At(c.CrashAt).Crash(c.Crash); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	run := &TOBRun{Config: c, Members: members, Nodes: nodes, Deliveries: t.all, Stats: sim.Stats(), tracker: t}
	if c.Trace {
		run.Trace = sim.Trace()
	}
	return run, nil
}

// Broadcasts is the number of payloads broadcast in the run.
func (r *TOBRun) Broadcasts() int {
	n := 0
	for _, node := range r.Nodes {
		n += len(node.Sent)
	}
	return n
}

// Agree reports whether every two nodes delivered in the same order: the
// shorter delivery sequence is a prefix of the longer one.
func (r *TOBRun) Agree() bool { return r.Disagreements() == 0 }

// Disagreements counts, over every pair of nodes, the pairs of payloads
// both delivered in opposite orders, plus the positions where one node's
// sequence is not a prefix of the other's.
func (r *TOBRun) Disagreements() int {
	n := 0
	for i, a := range r.Nodes {
		for _, b := range r.Nodes[i+1:] {
			n += Inversions(a.Delivered, b.Delivered)
			k := min(len(a.Delivered), len(b.Delivered))
			for j := range k {
				if a.Delivered[j] != b.Delivered[j] {
					n++
				}
			}
		}
	}
	return n
}

// Undelivered is, summed over the nodes that did not crash, the payloads
// broadcast in the run that the node never delivered.
func (r *TOBRun) Undelivered() int {
	total, n := r.Broadcasts(), 0
	for i, node := range r.Nodes {
		if r.Members[i] != r.Config.Crash {
			n += total - len(node.Delivered)
		}
	}
	return n
}

// String prints every node's delivery order.
func (r *TOBRun) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d: %d broadcasts\n", r.Config.Seed, r.Broadcasts())
	for i, n := range r.Nodes {
		fmt.Fprintf(&b, "%s delivers: %s", r.Members[i], strings.Join(n.Delivered, " "))
		if w := n.Waiting(); w > 0 {
			fmt.Fprintf(&b, "   (%d still waiting)", w)
		}
		b.WriteByte('\n')
	}
	if r.Agree() {
		b.WriteString("every node delivers in the same order\n")
	} else {
		fmt.Fprintf(&b, "the nodes disagree on the order (%d disagreements)\n", r.Disagreements())
	}
	return b.String()
}

// TOBVariant is one row of TOBVariants.
type TOBVariant struct {
	Name        string
	Config      TOBConfig
	Broadcasts  int
	Undelivered int // by the nodes still running
	Agree       bool
	Messages    uint64 // data and acks sent
}

// TOBVariants runs base as it is and with one assumption broken at a
// time: no acknowledgements, links that reorder, a node that crashes at
// crashAt.
func TOBVariants(base TOBConfig, crashAt netsim.Time) ([]TOBVariant, error) {
	base.NoAcks, base.Reorder, base.Crash, base.Trace = false, 0, "", false
	last := names(base.Nodes, 'A')[base.Nodes-1]
	vs := []struct {
		name string
		edit func(*TOBConfig)
	}{
		{"FIFO links, acks to everyone", func(*TOBConfig) {}},
		{"no acknowledgements", func(c *TOBConfig) { c.NoAcks = true }},
		{"links reorder (half the messages)", func(c *TOBConfig) { c.Reorder = 0.5 }},
		{fmt.Sprintf("%s crashes at %v", last, crashAt), func(c *TOBConfig) { c.Crash, c.CrashAt = last, crashAt }},
	}
	var out []TOBVariant
	for _, v := range vs {
		c := base
		v.edit(&c)
		r, err := RunTOB(c)
		if err != nil {
			return nil, err
		}
		out = append(out, TOBVariant{Name: v.name, Config: c, Broadcasts: r.Broadcasts(), Undelivered: r.Undelivered(),
			Agree: r.Agree(), Messages: r.Stats.Sent})
	}
	return out, nil
}

// TOBVariantTable formats TOBVariants for show.Table.
func TOBVariantTable(vs []TOBVariant) (header []string, rows [][]string) {
	header = []string{"variant", "broadcasts", "deliveries missing (live nodes)", "same order everywhere", "messages sent"}
	for _, v := range vs {
		agree := "yes"
		if !v.Agree {
			agree = "NO"
		}
		rows = append(rows, []string{v.Name, strconv.Itoa(v.Broadcasts), strconv.Itoa(v.Undelivered), agree, strconv.FormatUint(v.Messages, 10)})
	}
	return header, rows
}

// TOBSurvey runs c for seeds first..first+runs-1 and counts the runs in
// which the nodes disagree on the order and those in which some live node
// never delivers some broadcast.
func TOBSurvey(c TOBConfig, first uint64, runs int) (disagree, blocked int, err error) {
	if runs < 1 || runs > 10000 {
		return 0, 0, fmt.Errorf("ordering: %d runs, allowed 1..10000", runs)
	}
	c.Trace = false
	for i := range runs {
		c.Seed = first + uint64(i)
		r, err := RunTOB(c)
		if err != nil {
			return 0, 0, err
		}
		if !r.Agree() {
			disagree++
		}
		if r.Undelivered() > 0 {
			blocked++
		}
	}
	return disagree, blocked, nil
}
