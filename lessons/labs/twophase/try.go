package twophase

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/netsim"
	"gonum.org/v1/plot"
)

// Crash is one crash of Network's schedule: node Node crashes at At and
// restarts at Restart (0: it stays down).
type Crash struct {
	Node        netsim.NodeID
	At, Restart netsim.Time
}

// Network is a seeded random network for Try, with a crash schedule.
type Network struct {
	Seed         uint64
	Participants int
	VoteNo       []int        // participants (1-based) that cannot commit
	Loss         float64      // on every link
	Delay        netsim.Delay // one-way delay of every message
	Crashes      []Crash
	Until        netsim.Time // the run stops
}

// DefaultNetwork is the notebook's network: 3 participants that can all
// commit, 1–5 ms delays, 5% loss; p3 crashes at 2 ms and restarts at
// 60 ms, the coordinator crashes at 7 ms and restarts at 150 ms; the run
// stops at 250 ms; seed 1.
func DefaultNetwork() Network {
	return Network{Seed: 1, Participants: 3, Loss: 0.05, Delay: netsim.Uniform(1*netsim.Millisecond, 5*netsim.Millisecond),
		Crashes: []Crash{
			{Node: "p3", At: 2 * netsim.Millisecond, Restart: 60 * netsim.Millisecond},
			{Node: Coordinator, At: 7 * netsim.Millisecond, Restart: 150 * netsim.Millisecond},
		},
		Until: 250 * netsim.Millisecond}
}

func (n Network) validate() error {
	if err := (Scenario{Participants: n.Participants, VoteNo: n.VoteNo}).validate(); err != nil {
		return err
	}
	if n.Until <= 0 || n.Until > 10*netsim.Second {
		return fmt.Errorf("twophase: a run of %v; give more than 0 and at most 10s", n.Until)
	}
	ids := append([]netsim.NodeID{Coordinator}, participantIDs(n.Participants)...)
	for _, c := range n.Crashes {
		switch {
		case !slices.Contains(ids, c.Node):
			return fmt.Errorf("twophase: crash of %q: the nodes are co and p1 to p%d", c.Node, n.Participants)
		case c.At < 0 || c.At > n.Until:
			return fmt.Errorf("twophase: %s crashes at %v: give a time from 0 to Until (%v)", c.Node, c.At, n.Until)
		case c.Restart != 0 && (c.Restart <= c.At || c.Restart > n.Until):
			return fmt.Errorf("twophase: %s restarts at %v: give 0 (never) or a time after its crash (%v) and up to Until", c.Node, c.Restart, c.At)
		}
	}
	return nil
}

// Run is the outcome of Try.
type Run struct {
	Net     Network
	Trace   netsim.Trace
	Outputs []netsim.Output // every output, in order (votes included)
	// Violations says how the run breaks atomicity or validity (empty if
	// it does not).
	Violations []string
	// Undecided lists the nodes that had not decided when the run
	// stopped.
	Undecided []netsim.NodeID
}

// Try runs the nodes on the network n: the coordinator sends Prepare when
// it starts, at time 0.
func Try(nodes Nodes, n Network) (*Run, error) {
	return labkit.Bounded("twophase", labkit.TryLimit, func() (*Run, error) { return try(nodes, n) })
}

// try is Try without its bound on real time.
func try(nodes Nodes, n Network) (*Run, error) {
	if err := n.validate(); err != nil {
		return nil, err
	}
	co, ps, err := nodes.build(n.Participants, n.VoteNo)
	if err != nil {
		return nil, err
	}
	sim, err := netsim.New(netsim.Config{Seed: n.Seed, DefaultLink: netsim.Link{Loss: n.Loss, Delay: n.Delay}, MaxEvents: 100_000})
	if err != nil {
		return nil, fmt.Errorf("twophase: %w", err)
	}
	if err := sim.AddNode(Coordinator, co); err != nil {
		return nil, fmt.Errorf("twophase: %w", err)
	}
	for i, p := range ps {
		if err := sim.AddNode(ParticipantID(i+1), p); err != nil {
			return nil, fmt.Errorf("twophase: %w", err)
		}
	}
	for _, c := range n.Crashes {
		err := sim.At(c.At).Crash(c.Node)
		if err == nil && c.Restart > 0 {
			err = sim.At(c.Restart).Restart(c.Node)
		}
		if err != nil {
			return nil, fmt.Errorf("twophase: %w", err)
		}
	}
	if err := sim.Run(n.Until); err != nil {
		return nil, fmt.Errorf("twophase: %w", err)
	}
	r := &Run{Net: n, Trace: sim.Trace(), Outputs: sim.Outputs()}
	per := map[netsim.NodeID][]any{}
	for _, o := range r.Outputs {
		per[o.Node] = append(per[o.Node], o.Value)
	}
	outs := func(id netsim.NodeID) []any { return per[id] }
	ids := sim.Nodes()
	for _, err := range []error{validity(ids, participantIDs(n.Participants), outs), atomicity(ids, outs)} {
		if err != nil && !slices.Contains(r.Violations, err.Error()) { // a bad output breaks both alike
			r.Violations = append(r.Violations, err.Error())
		}
	}
	for _, id := range ids {
		if !slices.ContainsFunc(per[id], func(v any) bool { _, ok := v.(Outcome); return ok }) {
			r.Undecided = append(r.Undecided, id)
		}
	}
	return r, nil
}

// String summarises the run: the seed and network, the crashes, each
// node's vote and decision with their times and how long a participant
// was in doubt (from its yes vote to its decision), and whether the
// properties held.
func (r *Run) String() string {
	var b strings.Builder
	n := r.Net
	fmt.Fprintf(&b, "seed %d: co and %d participants; the links lose %.0f%% and delay %v\n", n.Seed, n.Participants, 100*n.Loss, n.Delay)
	for _, c := range n.Crashes {
		fmt.Fprintf(&b, "  %s crashes at %s", c.Node, strings.TrimSpace(labkit.MS(c.At)))
		if c.Restart > 0 {
			fmt.Fprintf(&b, " and restarts at %s", strings.TrimSpace(labkit.MS(c.Restart)))
		}
		fmt.Fprintln(&b)
	}
	ids := append([]netsim.NodeID{Coordinator}, participantIDs(n.Participants)...)
	for _, id := range ids {
		var votedAt, decidedAt netsim.Time = -1, -1
		vote, dec := "", ""
		for _, o := range r.Outputs {
			if o.Node != id {
				continue
			}
			switch v := o.Value.(type) {
			case voted:
				if vote == "" {
					vote, votedAt = v.String(), o.Time
				}
			case Outcome:
				if dec == "" {
					dec, decidedAt = string(v), o.Time
				}
			}
		}
		line := fmt.Sprintf("  %-3s", id)
		if id != Coordinator {
			if vote == "" {
				line += fmt.Sprintf(" %-22s", "did not vote")
			} else {
				line += fmt.Sprintf(" %-9s at %s", vote, labkit.MS(votedAt))
			}
		}
		switch {
		case dec == "" && id == Coordinator:
			line += " undecided"
		case dec == "":
			line += "   undecided"
		case id == Coordinator:
			line += fmt.Sprintf(" decided %s at %s", dec, labkit.MS(decidedAt))
		default:
			line += fmt.Sprintf("   %-9s at %s", map[string]string{"commit": "committed", "abort": "aborted"}[dec], labkit.MS(decidedAt))
		}
		if vote == "voted yes" {
			end := n.Until
			if dec != "" {
				end = decidedAt
			}
			line += fmt.Sprintf("   in doubt %s", strings.TrimSpace(labkit.MS(end-votedAt)))
			if dec == "" {
				line += " and counting"
			}
		}
		fmt.Fprintln(&b, strings.TrimRight(line, " "))
	}
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "✗ %s\n", v)
	}
	if len(r.Violations) == 0 {
		fmt.Fprintf(&b, "✓ %s and %s held in this run\n", AtomicityName, ValidityName)
	}
	until := strings.TrimSpace(labkit.MS(n.Until))
	if len(r.Undecided) == 0 {
		fmt.Fprintf(&b, "✓ every node decided by %s\n", until)
	} else {
		names := make([]string, len(r.Undecided))
		for i, id := range r.Undecided {
			names[i] = string(id)
		}
		fmt.Fprintf(&b, "✗ undecided at %s: %s\n", until, strings.Join(names, ", "))
	}
	return b.String()
}

// Plot draws the run as a space-time diagram: every message (a cross
// where the network lost it; queries that reach a crashed coordinator
// unlabelled), crashes and restarts, and the votes and decisions
// highlighted. Timers are left out.
func (r *Run) Plot() (*plot.Plot, error) {
	return labkit.RunDiagram(r.Trace, labkit.Diagram{
		Title: fmt.Sprintf("seed %d: two-phase commit with crashes", r.Net.Seed),
		Nodes: append([]netsim.NodeID{Coordinator}, participantIDs(r.Net.Participants)...),
		Name:  Name,
		Skip:  func(rec netsim.Record) bool { return rec.Op == netsim.OpTimer },
		// A participant in doubt asks again and again while the
		// coordinator is down: the arrows of its queries say enough.
		DropLabel: func(rec netsim.Record) string {
			if _, ok := rec.Msg.(Query); ok {
				return ""
			}
			return "dropped (crashed)"
		},
	})
}
