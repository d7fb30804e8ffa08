package ordering

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/vclock"
)

// CausalMsg is a causal broadcast message: the sender's index, the payload
// and the sender's vector after counting this broadcast. Entry k of the
// vector counts the broadcasts of node k that the sender had delivered
// (its own included) when it sent the message.
type CausalMsg struct {
	From    int
	Payload string
	VC      vclock.VC
}

func (m CausalMsg) String() string { return m.Payload + " " + m.VC.String() }

// Deliverable is the causal delivery condition of Birman, Schiper and
// Stephenson (1991): a message from sender carrying the vector msg can be
// delivered at a node whose vector is local when it is the next message
// from that sender (msg[sender] = local[sender] + 1) and the node has
// delivered everything the sender had delivered before sending it
// (msg[k] ≤ local[k] for every other k). Missing entries count as 0; a
// sender outside the vector is never deliverable.
func Deliverable(msg, local vclock.VC, sender int) bool {
	if sender < 0 || sender >= len(msg) {
		return false
	}
	at := func(v vclock.VC, k int) uint64 {
		if k < len(v) {
			return v[k]
		}
		return 0
	}
	if msg[sender] != at(local, sender)+1 {
		return false
	}
	for k, x := range msg {
		if k != sender && x > at(local, k) {
			return false
		}
	}
	return true
}

// DeliverRule decides whether a held causal message can be delivered;
// Deliverable is the correct one.
type DeliverRule func(msg, local vclock.VC, sender int) bool

type broadcastTick struct{}

// Causal is a node of causal broadcast with vector clocks. It broadcasts
// one payload (named after itself: "A1", "A2", ...) at each time of Plan,
// and, when it delivers a payload named in Replies, broadcasts the reply.
// It delivers its own broadcasts at once, and another node's when
// Deliverable says so, holding the rest back. With OnArrival it delivers
// every message as it arrives instead (to compare).
type Causal struct {
	Members   []netsim.NodeID
	Plan      []netsim.Time     // times (since start) of its own broadcasts
	Replies   map[string]string // payload delivered -> payload to broadcast in reply
	OnArrival bool

	self      int
	vc        vclock.VC // vc[k]: broadcasts of node k delivered here
	held      []CausalMsg
	Sent      []string // its own broadcasts, in order
	Delivered []string
	MaxHeld   int // most messages waiting at once (after delivering what could be)
}

// Handle implements netsim.Node: start, the broadcast timer, and arriving
// messages.
func (c *Causal) Handle(ctx *netsim.Context, ev netsim.Event) {
	c.handle(ctx, ev, Deliverable)
}

func (c *Causal) handle(ctx *netsim.Context, ev netsim.Event, rule DeliverRule) {
	if ev.Kind != netsim.Start && c.vc == nil {
		return // not started, or not a member
	}
	switch ev.Kind {
	case netsim.Start:
		c.onStart(ctx)
	case netsim.Timer:
		if _, ok := ev.Msg.(broadcastTick); ok {
			c.broadcast(ctx, c.nextPayload(), rule)
		}
	case netsim.Receive:
		if m, ok := ev.Msg.(CausalMsg); ok {
			c.onMessage(ctx, m, rule)
		}
	}
}

func (c *Causal) onStart(ctx *netsim.Context) {
	c.self = index(c.Members, ctx.Self())
	if c.self < 0 {
		ctx.Logf("ordering: %s is not in Members %v: it takes no part", ctx.Self(), c.Members)
		return
	}
	c.vc = make(vclock.VC, len(c.Members))
	for _, at := range c.Plan {
		ctx.SetTimer(at, broadcastTick{})
	}
}

func (c *Causal) nextPayload() string {
	return string(c.Members[c.self]) + strconv.Itoa(len(c.Sent)+1)
}

// broadcast delivers payload here and sends it to every other member.
func (c *Causal) broadcast(ctx *netsim.Context, payload string, rule DeliverRule) {
	c.vc[c.self]++
	m := CausalMsg{From: c.self, Payload: payload, VC: c.vc.Clone()}
	c.Sent = append(c.Sent, payload)
	c.Delivered = append(c.Delivered, payload)
	for i, to := range c.Members {
		if i != c.self {
			ctx.Send(to, m)
		}
	}
}

// onMessage holds the message back, then delivers everything that has
// become deliverable.
func (c *Causal) onMessage(ctx *netsim.Context, m CausalMsg, rule DeliverRule) {
	if c.OnArrival {
		c.deliver(ctx, m, rule)
		return
	}
	c.held = append(c.held, m)
	defer func() { c.MaxHeld = max(c.MaxHeld, len(c.held)) }()
	for progress := true; progress; {
		progress = false
		for i, h := range c.held {
			if rule(h.VC.Clone(), c.vc.Clone(), h.From) {
				c.held = append(c.held[:i], c.held[i+1:]...)
				c.deliver(ctx, h, rule)
				progress = true
				break
			}
		}
	}
}

func (c *Causal) deliver(ctx *netsim.Context, m CausalMsg, rule DeliverRule) {
	if m.From >= 0 && m.From < len(c.vc) {
		c.vc[m.From]++
	}
	c.Delivered = append(c.Delivered, m.Payload)
	if reply, ok := c.Replies[m.Payload]; ok {
		c.broadcast(ctx, reply, rule)
	}
}

// Held is the number of messages waiting in the hold-back queue.
func (c *Causal) Held() int { return len(c.held) }

// DeliveredSoFar implements Deliverer.
func (c *Causal) DeliveredSoFar() []string { return c.Delivered }

// withRule runs a Causal node with another delivery rule.
type withRule struct {
	c    *Causal
	rule DeliverRule
}

func (w *withRule) Handle(ctx *netsim.Context, ev netsim.Event) { w.c.handle(ctx, ev, w.rule) }
func (w *withRule) DeliveredSoFar() []string                    { return w.c.Delivered }

// Workload is what the nodes of a broadcast run do: Nodes nodes (A, B,
// ...) each broadcast PerNode payloads at random times (exponential gaps
// of mean Gap, drawn from Seed), over reliable links with random Delay
// that let a fraction Reorder of the messages overtake others.
type Workload struct {
	Seed    uint64
	Nodes   int // 2..8
	PerNode int // 0..50
	Gap     netsim.Time
	Delay   netsim.Delay
	Reorder float64
}

func (w Workload) validate() error {
	switch {
	case w.Nodes < 2 || w.Nodes > 8:
		return fmt.Errorf("ordering: %d nodes, allowed 2..8", w.Nodes)
	case w.PerNode < 0 || w.PerNode > 50:
		return fmt.Errorf("ordering: %d broadcasts per node, allowed 0..50", w.PerNode)
	case w.Gap <= 0 || w.Gap > netsim.Minute:
		return fmt.Errorf("ordering: mean gap %v not in (0, 1m]", w.Gap)
	case !(w.Reorder >= 0 && w.Reorder <= 1):
		return fmt.Errorf("ordering: reorder probability %v not in [0, 1]", w.Reorder)
	}
	if err := w.Delay.Validate(); err != nil {
		return fmt.Errorf("ordering: %w", err)
	}
	return nil
}

// plans draws every node's broadcast times from the seed and a stream
// number of the protocol.
func (w Workload) plans(stream uint64) [][]netsim.Time {
	rng := rand.New(rand.NewPCG(w.Seed, stream))
	out := make([][]netsim.Time, w.Nodes)
	for i := range out {
		t := netsim.Time(0)
		for range w.PerNode {
			t += netsim.Time(rng.ExpFloat64() * float64(w.Gap))
			out[i] = append(out[i], t)
		}
	}
	return out
}

func (w Workload) link() netsim.Link { return netsim.Link{Delay: w.Delay, Reorder: w.Reorder} }

// CausalConfig describes a causal broadcast run. OnArrival delivers on
// arrival instead (to compare); Trace keeps the trace for a diagram.
type CausalConfig struct {
	Workload
	OnArrival bool
	Trace     bool
}

// DefaultCausal is four nodes broadcasting five payloads each, 10 ms apart
// on average, over links with delays of 1–20 ms that reorder half the
// messages.
func DefaultCausal() CausalConfig {
	return CausalConfig{Workload: Workload{Seed: 1, Nodes: 4, PerNode: 5, Gap: 10 * netsim.Millisecond,
		Delay: netsim.Uniform(1*netsim.Millisecond, 20*netsim.Millisecond), Reorder: 0.5}}
}

// Validate reports whether c is usable.
func (c CausalConfig) Validate() error { return c.validate() }

// CausalRun is the outcome of a causal broadcast run.
type CausalRun struct {
	Members    []netsim.NodeID
	Nodes      []*Causal
	Deliveries []Delivery
	Trace      netsim.Trace
	Seed       uint64
	tracker    *tracker
}

// RunCausal runs c with the library's delivery rule.
func RunCausal(c CausalConfig) (*CausalRun, error) { return RunCausalWith(c, Deliverable) }

// RunCausalWith runs c with another delivery rule (an exercise's).
func RunCausalWith(c CausalConfig, rule DeliverRule) (*CausalRun, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if rule == nil {
		return nil, fmt.Errorf("ordering: nil delivery rule")
	}
	members := names(c.Nodes, 'A')
	nodes := make([]*Causal, c.Nodes)
	for i, plan := range c.plans(0x636175736c) { // "causl"
		nodes[i] = &Causal{Members: members, Plan: plan, OnArrival: c.OnArrival}
	}
	return runCausal(c.Seed, members, nodes, c.link(), nil, rule, c.Trace)
}

// runCausal runs the nodes; links overrides the link of some pairs.
func runCausal(seed uint64, members []netsim.NodeID, nodes []*Causal, link netsim.Link, links map[[2]netsim.NodeID]netsim.Link, rule DeliverRule, trace bool) (*CausalRun, error) {
	sim, err := netsim.New(netsim.Config{Seed: seed, DefaultLink: link, NoTrace: !trace})
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	t := newTracker()
	for i, n := range nodes {
		if err := sim.AddNode(members[i], t.wrap(&withRule{n, rule})); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	for _, m := range members {
		for _, to := range members {
			if l, ok := links[[2]netsim.NodeID{m, to}]; ok {
				if err := sim.SetLink(m, to, l); err != nil {
					return nil, fmt.Errorf("ordering: %w", err)
				}
			}
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	r := &CausalRun{Members: members, Nodes: nodes, Deliveries: t.all, Seed: seed, tracker: t}
	if trace {
		r.Trace = sim.Trace()
	}
	return r, nil
}

// QuestionAnswer is the classic picture of causal order: A broadcasts a
// question A1; B, on delivering it, broadcasts the answer B1; the link
// from A to C is slow, so C receives the answer before the question.
// OnArrival makes C deliver in arrival order.
func QuestionAnswer(onArrival bool) (*CausalRun, error) {
	members := []netsim.NodeID{"A", "B", "C"}
	nodes := []*Causal{
		{Members: members, Plan: []netsim.Time{1 * netsim.Millisecond}, OnArrival: onArrival},
		{Members: members, Replies: map[string]string{"A1": "B1"}, OnArrival: onArrival},
		{Members: members, OnArrival: onArrival},
	}
	fast := netsim.Link{Delay: netsim.Const(2 * netsim.Millisecond)}
	slow := map[[2]netsim.NodeID]netsim.Link{{"A", "C"}: {Delay: netsim.Const(8 * netsim.Millisecond)}}
	return runCausal(1, members, nodes, fast, slow, Deliverable, true)
}

// Undelivered counts the messages some node never delivered (every node
// should deliver every broadcast once).
func (r *CausalRun) Undelivered() int {
	sent := 0
	for _, n := range r.Nodes {
		sent += len(n.Sent)
	}
	n := 0
	for _, node := range r.Nodes {
		n += sent - len(node.Delivered)
	}
	return n
}

// Violation is a delivery that broke causal order: Node delivered Payload
// before Missing, which the sender of Payload had delivered (or sent)
// before broadcasting it — directly or through a chain of messages.
type Violation struct {
	Node             netsim.NodeID
	Payload, Missing string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s delivered %s before %s, which causally precedes it", v.Node, v.Payload, v.Missing)
}

// Violations checks the run against causal order, independently of the
// vector clocks: a message's causal past is every payload its sender had
// delivered before broadcasting it (its own earlier ones included),
// together with their pasts. Every node must deliver a message's whole
// past before the message.
func (r *CausalRun) Violations() []Violation {
	return causalViolations(r.Members, r.Nodes, r.Deliveries)
}

func causalViolations(members []netsim.NodeID, nodes []*Causal, ds []Delivery) []Violation {
	// The sender of each payload, and its broadcast order: a node's own
	// broadcast is its delivery at the sender, in the global order of
	// deliveries.
	id := map[string]int{}
	var payloads []string
	sender := map[string]netsim.NodeID{}
	for _, d := range ds {
		if _, ok := id[d.Payload]; !ok {
			id[d.Payload] = len(payloads)
			payloads = append(payloads, d.Payload)
		}
	}
	for i, n := range nodes {
		for _, p := range n.Sent {
			sender[p] = members[i]
		}
	}
	words := (len(payloads) + 63) / 64
	past := make([][]uint64, len(payloads))
	delivered := map[netsim.NodeID][]uint64{} // what each node has delivered so far
	know := map[netsim.NodeID][]uint64{}      // and the causal pasts of those
	for _, m := range members {
		delivered[m] = make([]uint64, words)
		know[m] = make([]uint64, words)
	}
	var out []Violation
	for _, d := range ds {
		k := id[d.Payload]
		have := delivered[d.Node]
		if sender[d.Payload] == d.Node {
			past[k] = slices.Clone(know[d.Node])
		} else if past[k] != nil { // (a payload nobody sent has no past)
		missing:
			for w, bits := range past[k] {
				if miss := bits &^ have[w]; miss != 0 {
					for b := range 64 {
						if miss&(1<<b) != 0 {
							out = append(out, Violation{d.Node, d.Payload, payloads[w*64+b]})
							break missing
						}
					}
				}
			}
		}
		have[k/64] |= 1 << (k % 64)
		kn := know[d.Node]
		kn[k/64] |= 1 << (k % 64)
		for w, bits := range past[k] {
			kn[w] |= bits
		}
	}
	return out
}

// CausalSurvey runs c for seeds first..first+runs-1 and counts the runs
// with at least one causal violation, the violations, and the messages
// never delivered.
func CausalSurvey(c CausalConfig, first uint64, runs int, rule DeliverRule) (badRuns, violations, undelivered int, err error) {
	if runs < 1 || runs > 10000 {
		return 0, 0, 0, fmt.Errorf("ordering: %d runs, allowed 1..10000", runs)
	}
	for i := range runs {
		c.Seed = first + uint64(i)
		r, err := RunCausalWith(c, rule)
		if err != nil {
			return 0, 0, 0, err
		}
		v := len(r.Violations())
		if v > 0 {
			badRuns++
		}
		violations += v
		undelivered += r.Undelivered()
	}
	return badRuns, violations, undelivered, nil
}

// Disagreements counts, over every pair of nodes, the pairs of payloads
// they delivered in opposite orders. Causal broadcast allows it for
// concurrent broadcasts.
func (r *CausalRun) Disagreements() int {
	n := 0
	for i, a := range r.Nodes {
		for _, b := range r.Nodes[i+1:] {
			n += Inversions(a.Delivered, b.Delivered)
		}
	}
	return n
}

// CausalComparison runs c for seeds first..first+runs-1, once delivering
// on arrival and once with causal delivery, and returns a table: runs
// with a causal violation, violations, deliveries that never happened,
// and pairs of nodes' deliveries in opposite orders.
func CausalComparison(c CausalConfig, first uint64, runs int) (header []string, rows [][]string, err error) {
	if runs < 1 || runs > 1000 {
		return nil, nil, fmt.Errorf("ordering: %d runs, allowed 1..1000", runs)
	}
	header = []string{"delivery", "runs with a violation", "causal violations", "never delivered", "pairs delivered in opposite orders"}
	for _, onArrival := range []bool{true, false} {
		c.OnArrival = onArrival
		bad, viol, undel, opposite := 0, 0, 0, 0
		for i := range runs {
			c.Seed = first + uint64(i)
			r, err := RunCausal(c)
			if err != nil {
				return nil, nil, err
			}
			v := len(r.Violations())
			if v > 0 {
				bad++
			}
			viol += v
			undel += r.Undelivered()
			opposite += r.Disagreements()
		}
		name := "causal (vector clocks)"
		if onArrival {
			name = "on arrival"
		}
		rows = append(rows, []string{name, fmt.Sprintf("%d of %d", bad, runs), strconv.Itoa(viol), strconv.Itoa(undel), strconv.Itoa(opposite)})
	}
	return header, rows, nil
}
