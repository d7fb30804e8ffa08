package totalorder

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// Network is a run of the students' nodes on netsim: the members, their
// broadcasts at seeded random times, and the links.
type Network struct {
	Seed       uint64
	Broadcasts []int       // per member (A, B, C, ...): how many payloads it broadcasts
	Gap        netsim.Time // mean time between a member's broadcasts (exponential)
	Delay      netsim.Delay
	Reorder    float64 // probability that a message ignores FIFO order on the wire
	Duplicate  float64 // probability that the network delivers a second copy
	// NoFIFO runs the nodes without the lab's FIFO layer: they see the
	// network's reordering.
	NoFIFO bool
}

// DefaultNetwork is three members broadcasting four payloads in all
// (A twice, B and C once), 10 ms apart on average, over links with delays
// of 1–10 ms that reorder half the messages on the wire and duplicate 10%.
func DefaultNetwork() Network {
	return Network{Seed: 1, Broadcasts: []int{2, 1, 1}, Gap: 10 * netsim.Millisecond,
		Delay: netsim.Uniform(netsim.Millisecond, 10*netsim.Millisecond), Reorder: 0.5, Duplicate: 0.1}
}

// Limits of a run.
const (
	maxTryEvents = 50_000
	tryHorizon   = 10 * netsim.Second
)

// Validate reports whether n is usable.
func (n Network) Validate() error {
	if err := (Scenario{Broadcasts: n.Broadcasts}).Validate(); err != nil {
		return err
	}
	if n.Gap <= 0 || n.Gap > netsim.Second {
		return fmt.Errorf("totalorder: gap %v not in (0, 1s]", n.Gap)
	}
	l := netsim.Link{Delay: n.Delay, Reorder: n.Reorder, Duplicate: n.Duplicate}
	if err := l.Validate(); err != nil {
		return fmt.Errorf("totalorder: %w", err)
	}
	return nil
}

// Run is the outcome of Try.
type Run struct {
	Network   Network
	Members   []netsim.NodeID
	Payloads  []string   // every broadcast, member by member
	Delivered [][]string // per member, in order
	Trace     netsim.Trace
	Stats     netsim.Stats
	// Problems lists what the run got wrong, as the check's properties
	// say it (empty: the run is fine).
	Problems []string
}

// Try runs the nodes newNode builds on netsim, each inside the lab's FIFO
// layer (unless n.NoFIFO), until the network is quiet.
func Try(newNode NewNode, n Network) (*Run, error) {
	return labkit.Bounded("totalorder", labkit.TryLimit, func() (*Run, error) { return try(newNode, n) })
}

// try is Try without its bound on real time.
func try(newNode NewNode, n Network) (*Run, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if newNode == nil {
		return nil, fmt.Errorf("totalorder: no node constructor (nil)")
	}
	sim, err := netsim.New(netsim.Config{Seed: n.Seed, MaxEvents: maxTryEvents,
		DefaultLink: netsim.Link{Delay: n.Delay, Reorder: n.Reorder, Duplicate: n.Duplicate}})
	if err != nil {
		return nil, fmt.Errorf("totalorder: %w", err)
	}
	members := Members(len(n.Broadcasts))
	rng := rand.New(rand.NewPCG(n.Seed, 0x746f62)) // "tob"
	run := &Run{Network: n, Members: members}
	for i, k := range n.Broadcasts {
		gaps := make([]netsim.Time, k)
		for j := range gaps {
			gaps[j] = max(netsim.Time(rng.ExpFloat64()*float64(n.Gap)), netsim.Microsecond)
		}
		node := newNode(append([]netsim.NodeID(nil), members...), i)
		if node == nil {
			return nil, fmt.Errorf("totalorder: the constructor returned nil for member %s", members[i])
		}
		payloads := Payloads(members, i, k)
		run.Payloads = append(run.Payloads, payloads...)
		if err := sim.AddNode(members[i], newLayer(node, members, payloads, gaps, n.NoFIFO)); err != nil {
			return nil, fmt.Errorf("totalorder: %w", err)
		}
	}
	if err := sim.Run(tryHorizon); err != nil {
		if errors.Is(err, netsim.ErrBudget) {
			return nil, fmt.Errorf("totalorder: the nodes were still busy after %d events (do they keep sending?): %w", maxTryEvents, err)
		}
		return nil, fmt.Errorf("totalorder: %w", err)
	}
	run.Trace, run.Stats = sim.Trace(), sim.Stats()
	outs := make([][]any, len(members))
	run.Delivered = make([][]string, len(members))
	index := map[netsim.NodeID]int{}
	for i, m := range members {
		index[m] = i
	}
	for _, o := range sim.Outputs() {
		i := index[o.Node]
		outs[i] = append(outs[i], o.Value)
		run.Delivered[i] = append(run.Delivered[i], sequence([]any{o.Value}))
	}
	for _, err := range []error{integrity(members, outs, run.Payloads), sameOrder(members, outs)} {
		if err != nil {
			run.Problems = append(run.Problems, err.Error())
		}
	}
	for i, m := range members {
		if len(outs[i]) < len(run.Payloads) {
			run.Problems = append(run.Problems, fmt.Sprintf("%s delivered %d of the %d broadcasts", m, len(outs[i]), len(run.Payloads)))
		}
	}
	return run, nil
}

// Agree reports whether the run broke no property.
func (r *Run) Agree() bool { return len(r.Problems) == 0 }

// String prints the run: the broadcasts, what each member delivered, and
// the verdict of the check's properties on this one run.
func (r *Run) String() string {
	var b strings.Builder
	n := r.Network
	layer := "FIFO layer on"
	if n.NoFIFO {
		layer = "no FIFO layer"
	}
	fmt.Fprintf(&b, "seed %d: %d members broadcast %s; links: delay %v, reorder %g, duplicate %g; %s\n",
		n.Seed, len(r.Members), strings.Join(r.Payloads, " "), n.Delay, n.Reorder, n.Duplicate, layer)
	for i, m := range r.Members {
		fmt.Fprintf(&b, "%s delivers: %s\n", m, strings.Join(r.Delivered[i], " "))
	}
	if r.Agree() {
		b.WriteString("✓ every member delivers every broadcast once, all in the same order\n")
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "✗ %s\n", p)
	}
	return b.String()
}

// Diagram draws the run: data messages labelled payload@timestamp on
// their first send, acknowledgements unlabelled, and at each member the
// deliveries an event released, numbered ("d2 B1": its second delivery
// is B1). A second copy made by the network is drawn as "dup" (and
// "dup: d3 C1" if the member delivered something on receiving it).
func (r *Run) Diagram() (*plot.Plot, error) {
	if len(r.Trace) == 0 {
		return nil, fmt.Errorf("totalorder: no trace to draw")
	}
	labels, copies := r.deliveryLabels()
	firstSend := map[string]bool{}
	label := func(rec netsim.Record) string {
		switch rec.Op {
		case netsim.OpSend:
			if d, ok := unwrap(rec.Msg).(Data); ok && !firstSend[d.Payload] {
				firstSend[d.Payload] = true
				return d.String()
			}
			return ""
		case netsim.OpDeliver, netsim.OpTimer:
			return labels[recordKey{op: rec.Op, node: rec.Node, id: rec.ID}]
		}
		return netsim.HistoryLabel(rec)
	}
	skip := func(rec netsim.Record) bool {
		switch rec.Op {
		case netsim.OpOutput:
			return true
		case netsim.OpTimer:
			return labels[recordKey{op: rec.Op, node: rec.Node, id: rec.ID}] == ""
		}
		return false
	}
	h, ls, err := r.Trace.History(netsim.HistoryOptions{Lanes: netsim.Lanes(r.Members...), Label: label, Skip: skip})
	if err != nil {
		return nil, fmt.Errorf("totalorder: %w", err)
	}
	// History labels a second copy "dup"; add what it made the member
	// deliver (copies, in trace order).
	k := 0
	for i, l := range ls {
		if l == "dup" {
			if k < len(copies) && copies[k] != "" {
				ls[i] = "dup: " + copies[k]
			}
			k++
		}
	}
	title := fmt.Sprintf("Totally ordered broadcast: data payload@LT, deliveries dN (seed %d)", r.Network.Seed)
	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: title, Labels: ls, XLabel: "virtual time (ms)",
		Highlight: delivering(h, ls)})
	if err != nil {
		return nil, fmt.Errorf("totalorder: %w", err)
	}
	return p, nil
}

type recordKey struct {
	op   netsim.Op
	node netsim.NodeID
	id   uint64
	copy bool // the second delivery of a message the network duplicated
}

// deliveryLabels maps each receipt or timer that made its node deliver to
// "d1 A1, d2 B1". Deliveries that a second copy of a message released
// (the diagram draws that copy as "dup") are listed in copies instead,
// one entry per second copy in trace order ("" if it released nothing).
func (r *Run) deliveryLabels() (labels map[recordKey]string, copies []string) {
	labels = map[recordKey]string{}
	cause := map[netsim.NodeID]recordKey{}
	count := map[netsim.NodeID]int{}
	arrived := map[uint64]bool{}
	copyIndex := map[recordKey]int{}
	for _, rec := range r.Trace {
		switch rec.Op {
		case netsim.OpDeliver, netsim.OpTimer:
			k := recordKey{op: rec.Op, node: rec.Node, id: rec.ID}
			if rec.Op == netsim.OpDeliver {
				if arrived[rec.ID] {
					k.copy = true
					copyIndex[k] = len(copies)
					copies = append(copies, "")
				}
				arrived[rec.ID] = true
			}
			cause[rec.Node] = k
		case netsim.OpOutput:
			k, ok := cause[rec.Node]
			if !ok {
				continue
			}
			count[rec.Node]++
			l := fmt.Sprintf("d%d %s", count[rec.Node], sequence([]any{rec.Msg}))
			if k.copy {
				copies[copyIndex[k]] = join(copies[copyIndex[k]], l)
			} else {
				labels[k] = join(labels[k], l)
			}
		}
	}
	return labels, copies
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// delivering returns the events whose label names a delivery ("d2 B1").
func delivering(h *history.History, labels []string) []int {
	var out []int
	for i, l := range labels {
		if i < len(h.Events) && deliveryLabel.MatchString(l) {
			out = append(out, i)
		}
	}
	return out
}

var deliveryLabel = regexp.MustCompile(`(^|[ ,])d[0-9]+ `)

// unwrap returns the message inside a FIFO layer's packet.
func unwrap(msg any) any {
	if p, ok := msg.(Packet); ok {
		return p.Msg
	}
	return msg
}
