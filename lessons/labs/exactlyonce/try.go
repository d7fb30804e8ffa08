package exactlyonce

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
	"gonum.org/v1/plot"
)

// Network is a seeded random link for Try: it loses, duplicates and
// reorders messages until Heal, after which it stops losing them.
type Network struct {
	Seed      uint64
	Msgs      []string
	Loss      float64      // before Heal
	Duplicate float64      // throughout
	Reorder   float64      // throughout
	Delay     netsim.Delay // one-way delay of every message
	Heal      netsim.Time  // the link stops losing messages
	Until     netsim.Time  // the run stops
}

// DefaultNetwork is the notebook's network: 4 messages, 1–8 ms delays,
// 30% loss until 100 ms, 10% duplicates, half the messages free to
// overtake others, a 300 ms run, seed 1.
func DefaultNetwork() Network {
	return Network{Seed: 1, Msgs: []string{"a", "b", "c", "d"}, Loss: 0.3, Duplicate: 0.1, Reorder: 0.5,
		Delay: netsim.Uniform(1*netsim.Millisecond, 8*netsim.Millisecond), Heal: 100 * netsim.Millisecond, Until: 300 * netsim.Millisecond}
}

// maxMsgs bounds the messages of a run (a diagram of more is unreadable).
const maxMsgs = 20

func (n Network) validate() error {
	switch {
	case len(n.Msgs) == 0 || len(n.Msgs) > maxMsgs:
		return fmt.Errorf("exactlyonce: %d messages; give 1 to %d", len(n.Msgs), maxMsgs)
	case n.Heal < 0 || n.Until <= 0 || n.Heal > n.Until:
		return fmt.Errorf("exactlyonce: heal at %v and stop at %v: need 0 <= Heal <= Until, Until > 0", n.Heal, n.Until)
	case n.Until > 10*netsim.Second:
		return fmt.Errorf("exactlyonce: a run of %v is too long to draw; at most 10s", n.Until)
	}
	return nil
}

// Run is the outcome of Try.
type Run struct {
	Net   Network
	Trace netsim.Trace
	// Delivered lists R's outputs in order.
	Delivered []netsim.Output
	// Violation says how the deliveries break "exactly once, in order"
	// ("" if they do not).
	Violation string
	// AllAt is when R had delivered every message (-1: never).
	AllAt netsim.Time
	Stats netsim.Stats
}

// Try runs the nodes on the network n, with the link's faults as n says
// and no other: it stops losing messages at n.Heal, and the run ends at
// n.Until.
func Try(nodes Nodes, n Network) (*Run, error) {
	return labkit.Bounded("exactlyonce", labkit.TryLimit, func() (*Run, error) { return try(nodes, n) })
}

// try is Try without its bound on real time.
func try(nodes Nodes, n Network) (*Run, error) {
	if err := n.validate(); err != nil {
		return nil, err
	}
	snd, rcv, err := nodes.build(n.Msgs)
	if err != nil {
		return nil, err
	}
	sim, err := netsim.New(netsim.Config{Seed: n.Seed, DefaultLink: netsim.Link{Loss: n.Loss, Duplicate: n.Duplicate, Reorder: n.Reorder, Delay: n.Delay},
		MaxEvents: 100_000})
	if err != nil {
		return nil, fmt.Errorf("exactlyonce: %w", err)
	}
	if err := sim.AddNode(SenderID, snd); err != nil {
		return nil, fmt.Errorf("exactlyonce: %w", err)
	}
	if err := sim.AddNode(ReceiverID, rcv); err != nil {
		return nil, fmt.Errorf("exactlyonce: %w", err)
	}
	if err := sim.At(n.Heal).Loss(netsim.Any, netsim.Any, 0); err != nil {
		return nil, fmt.Errorf("exactlyonce: %w", err)
	}
	if err := sim.Run(n.Until); err != nil {
		return nil, fmt.Errorf("exactlyonce: %w", err)
	}
	r := &Run{Net: n, Trace: sim.Trace(), AllAt: -1, Stats: sim.Stats()}
	var vals []any
	for _, o := range sim.Outputs() {
		if o.Node == ReceiverID {
			r.Delivered = append(r.Delivered, o)
			vals = append(vals, o.Value)
			// All delivered: every message once, in order (not just as
			// many outputs as messages).
			if len(vals) == len(n.Msgs) && r.AllAt < 0 && checkDelivered(n.Msgs, vals) == nil {
				r.AllAt = o.Time
			}
		}
	}
	if err := checkDelivered(n.Msgs, vals); err != nil {
		r.Violation = err.Error()
	}
	return r, nil
}

// String summarises the run: the seed and network, what R delivered and
// when, and whether the properties held.
func (r *Run) String() string {
	var b strings.Builder
	n := r.Net
	fmt.Fprintf(&b, "seed %d: S sends %d messages %q; the link loses %.0f%% until %s, duplicates %.0f%%, reorders %.0f%%, delays %v\n",
		n.Seed, len(n.Msgs), n.Msgs, 100*n.Loss, strings.TrimSpace(labkit.MS(n.Heal)), 100*n.Duplicate, 100*n.Reorder, n.Delay)
	fmt.Fprintf(&b, "messages sent %d, lost %d, duplicated by the link %d\n", r.Stats.Sent, r.Stats.Lost, r.Stats.Duplicated)
	if len(r.Delivered) == 0 {
		fmt.Fprintln(&b, "R delivered nothing")
	}
	for _, o := range r.Delivered {
		fmt.Fprintf(&b, "  %s  R delivers %s\n", labkit.MS(o.Time), mcheck.Text(o.Value))
	}
	switch {
	case r.Violation != "":
		fmt.Fprintf(&b, "✗ %s: %s\n", InOrderOnceName, r.Violation)
	default:
		fmt.Fprintf(&b, "✓ %s held in this run\n", InOrderOnceName)
	}
	if r.AllAt >= 0 {
		fmt.Fprintf(&b, "✓ %s at %s\n", AllDeliveredName, labkit.MS(r.AllAt))
	} else {
		fmt.Fprintf(&b, "✗ not %s by %s\n", AllDeliveredName, strings.TrimSpace(labkit.MS(n.Until)))
	}
	return b.String()
}

// Plot draws the run as a space-time diagram: S and R, every message (a
// cross where the link lost it), timers, and R's deliveries highlighted.
func (r *Run) Plot() (*plot.Plot, error) {
	return labkit.RunDiagram(r.Trace, labkit.Diagram{
		Title: fmt.Sprintf("seed %d: loss %.0f%% until %s", r.Net.Seed, 100*r.Net.Loss, strings.TrimSpace(labkit.MS(r.Net.Heal))),
		Nodes: []netsim.NodeID{SenderID, ReceiverID},
		Name:  Name,
	})
}

// Name is the short label of the lab's messages in diagrams: "D0" for
// Data{Seq: 0}, "A1" for Ack{Next: 1} ("" for other values).
func Name(v any) string {
	switch m := v.(type) {
	case Data:
		return fmt.Sprintf("D%d", m.Seq)
	case Ack:
		return fmt.Sprintf("A%d", m.Next)
	}
	return ""
}
