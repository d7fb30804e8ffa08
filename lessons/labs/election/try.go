package election

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
	"gonum.org/v1/plot"
)

// Network is a seeded random network for Try, with a scripted storm: at
// Partition the current leader and one other node are cut off from the
// rest, at Heal the partition heals, at Crash the leader of that moment
// crashes and at Restart it restarts.
type Network struct {
	Seed            uint64
	Nodes           int
	Loss            float64      // on every link, throughout
	Delay           netsim.Delay // one-way delay of every message
	Partition, Heal netsim.Time
	Crash, Restart  netsim.Time
	Until           netsim.Time // the run stops
}

// DefaultNetwork is the notebook's network: 5 nodes, 1–5 ms delays, 5%
// loss; the leader is cut off (with one other node) from 400 to 800 ms,
// and the leader of 1000 ms crashes until 1200 ms; the run stops at
// 1500 ms; seed 1.
func DefaultNetwork() Network {
	return Network{Seed: 1, Nodes: 5, Loss: 0.05, Delay: netsim.Uniform(1*netsim.Millisecond, 5*netsim.Millisecond),
		Partition: 400 * netsim.Millisecond, Heal: 800 * netsim.Millisecond,
		Crash: 1000 * netsim.Millisecond, Restart: 1200 * netsim.Millisecond, Until: 1500 * netsim.Millisecond}
}

func (n Network) validate() error {
	switch {
	case n.Nodes < 3 || n.Nodes > 9:
		return fmt.Errorf("election: %d nodes; give 3 to 9", n.Nodes)
	case n.Partition < 0 || n.Heal < n.Partition || n.Crash < n.Heal || n.Restart < n.Crash || n.Until < n.Restart:
		return fmt.Errorf("election: the times must be in order: 0 <= Partition <= Heal <= Crash <= Restart <= Until")
	case n.Until > 10*netsim.Second:
		return fmt.Errorf("election: a run of %v is too long to draw; at most 10s", n.Until)
	}
	return nil
}

// Run is the outcome of Try.
type Run struct {
	Net   Network
	Trace netsim.Trace
	// Leaders lists the Leader outputs in order.
	Leaders []netsim.Output
	// Storm says what the script did, in order.
	Storm []StormEvent
	// Violation says how the run breaks "at most one leader per term"
	// ("" if it does not).
	Violation string
	// Up is the leader of the latest term at the end of the run if it
	// has not crashed since it became leader ("" otherwise).
	Up     netsim.NodeID
	UpTerm int
}

// StormEvent is one step of the script: "n2, n3 cut off from n1, n4, n5".
type StormEvent struct {
	At   netsim.Time
	What string
}

// latestLeader returns the node that output the Leader of the highest
// term so far ("" if none).
func latestLeader(outs []netsim.Output) (netsim.NodeID, int) {
	var id netsim.NodeID
	term := -1
	for _, o := range outs {
		if l, ok := o.Value.(Leader); ok && l.Term > term {
			id, term = o.Node, l.Term
		}
	}
	return id, term
}

// Try runs newNode's nodes on the network n.
func Try(newNode func() netsim.Node, n Network) (*Run, error) {
	return labkit.Bounded("election", labkit.TryLimit, func() (*Run, error) { return try(newNode, n) })
}

// try is Try without its bound on real time.
func try(newNode func() netsim.Node, n Network) (*Run, error) {
	if err := n.validate(); err != nil {
		return nil, err
	}
	if newNode == nil {
		return nil, fmt.Errorf("election: no node constructor")
	}
	sim, err := netsim.New(netsim.Config{Seed: n.Seed, DefaultLink: netsim.Link{Loss: n.Loss, Delay: n.Delay}, MaxEvents: 200_000})
	if err != nil {
		return nil, fmt.Errorf("election: %w", err)
	}
	ids := Scenario{Nodes: n.Nodes}.ids()
	for _, id := range ids {
		node := newNode()
		if node == nil {
			return nil, fmt.Errorf("election: the node constructor returned nil")
		}
		if err := sim.AddNode(id, node); err != nil {
			return nil, fmt.Errorf("election: %w", err)
		}
	}
	r := &Run{Net: n}
	var crashed netsim.NodeID
	script := []struct {
		at   netsim.Time
		name string
		do   func() error
	}{
		{n.Partition, "partition", func() error {
			lead, _ := latestLeader(sim.Outputs())
			if lead == "" {
				lead = ids[0]
			}
			cut := []netsim.NodeID{lead}
			for _, id := range ids {
				if id != lead && len(cut) < 2 {
					cut = append(cut, id)
				}
			}
			var rest []netsim.NodeID
			for _, id := range ids {
				if !slices.Contains(cut, id) {
					rest = append(rest, id)
				}
			}
			r.Storm = append(r.Storm, StormEvent{sim.Now(), fmt.Sprintf("%s cut off from %s", list(cut), list(rest))})
			return sim.At(sim.Now()).Partition(cut, rest)
		}},
		{n.Heal, "heal", func() error {
			r.Storm = append(r.Storm, StormEvent{sim.Now(), "the partition heals"})
			return sim.At(sim.Now()).Heal()
		}},
		{n.Crash, "crash", func() error {
			if crashed, _ = latestLeader(sim.Outputs()); crashed == "" {
				crashed = ids[0]
			}
			r.Storm = append(r.Storm, StormEvent{sim.Now(), fmt.Sprintf("%s crashes", crashed)})
			return sim.At(sim.Now()).Crash(crashed)
		}},
		{n.Restart, "restart", func() error {
			r.Storm = append(r.Storm, StormEvent{sim.Now(), fmt.Sprintf("%s restarts", crashed)})
			return sim.At(sim.Now()).Restart(crashed)
		}},
	}
	var scriptErr error
	for _, s := range script {
		do := s.do
		if err := sim.At(s.at).Do(s.name, func() {
			if err := do(); err != nil && scriptErr == nil {
				scriptErr = err
			}
		}); err != nil {
			return nil, fmt.Errorf("election: %w", err)
		}
	}
	if err := sim.Run(n.Until); err != nil {
		return nil, fmt.Errorf("election: %w", err)
	}
	if scriptErr != nil {
		return nil, fmt.Errorf("election: %w", scriptErr)
	}
	r.Trace = sim.Trace()
	by := map[int]netsim.NodeID{}
	for _, o := range sim.Outputs() {
		l, ok := o.Value.(Leader)
		if !ok {
			if r.Violation == "" {
				r.Violation = fmt.Sprintf("%s output %s: output only election.Leader{Term: t}", o.Node, mcheck.Text(o.Value))
			}
			continue
		}
		r.Leaders = append(r.Leaders, o)
		if prev, ok := by[l.Term]; ok && prev != o.Node && r.Violation == "" {
			r.Violation = fmt.Sprintf("%s and %s are both leader of term %d", prev, o.Node, l.Term)
		}
		by[l.Term] = o.Node
	}
	if id, term := latestLeader(sim.Outputs()); id != "" && !sim.Crashed(id) && !crashedSince(r.Trace, id, term) {
		r.Up, r.UpTerm = id, term
	}
	return r, nil
}

// crashedSince reports whether node id crashed after it became leader of
// term: it then restarted as a follower.
func crashedSince(tr netsim.Trace, id netsim.NodeID, term int) bool {
	led := false
	for _, r := range tr {
		switch {
		case r.Op == netsim.OpOutput && r.Node == id && r.Msg == any(Leader{Term: term}):
			led = true
		case r.Op == netsim.OpCrash && r.Node == id && led:
			return true
		}
	}
	return false
}

func list(ids []netsim.NodeID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}

// String summarises the run: the seed and network, the storm and the
// leaders in time order, and whether the properties held.
func (r *Run) String() string {
	var b strings.Builder
	n := r.Net
	fmt.Fprintf(&b, "seed %d: %d nodes, the links lose %.0f%% and delay %v\n", n.Seed, n.Nodes, 100*n.Loss, n.Delay)
	type line struct {
		t    netsim.Time
		text string
	}
	var lines []line
	for _, o := range r.Leaders {
		lines = append(lines, line{o.Time, fmt.Sprintf("%s: %s becomes %s", labkit.MS(o.Time), o.Node, mcheck.Text(o.Value))})
	}
	for _, s := range r.Storm {
		lines = append(lines, line{s.At, fmt.Sprintf("%s: %s", labkit.MS(s.At), s.What)})
	}
	slices.SortStableFunc(lines, func(a, b line) int { return int(a.t - b.t) })
	for _, l := range lines {
		fmt.Fprintf(&b, "  %s\n", l.text)
	}
	if r.Violation != "" {
		fmt.Fprintf(&b, "✗ %s: %s\n", OneLeaderName, r.Violation)
	} else {
		fmt.Fprintf(&b, "✓ %s held in this run\n", OneLeaderName)
	}
	if r.Up != "" {
		fmt.Fprintf(&b, "✓ at %s the leader of the latest term (%d) is %s, and it has not crashed since\n", strings.TrimSpace(labkit.MS(n.Until)), r.UpTerm, r.Up)
	} else {
		fmt.Fprintf(&b, "✗ at %s no leader is up\n", strings.TrimSpace(labkit.MS(n.Until)))
	}
	return b.String()
}

// Plot draws the run as a space-time diagram: every node, the elections'
// messages (heartbeats and timers are left out) one event after the
// other, crashes and restarts, and the Leader outputs highlighted.
func (r *Run) Plot() (*plot.Plot, error) {
	return labkit.RunDiagram(r.Trace, labkit.Diagram{
		Title: fmt.Sprintf("seed %d: elections (heartbeats not drawn)", r.Net.Seed),
		Nodes: Scenario{Nodes: r.Net.Nodes}.ids(),
		Name:  Name,
		Skip: func(rec netsim.Record) bool {
			_, hb := rec.Msg.(Heartbeat)
			return hb || rec.Op == netsim.OpTimer
		},
		ByOrder: true,
	})
}

// Name is the short label of the lab's messages and outputs in diagrams:
// "RV2" for RequestVote{Term: 2}, "yes2" or "no2" for a Vote, "leader t2"
// for a Leader output ("" for other values).
func Name(v any) string {
	switch m := v.(type) {
	case RequestVote:
		return fmt.Sprintf("RV%d", m.Term)
	case Vote:
		if m.Granted {
			return fmt.Sprintf("yes%d", m.Term)
		}
		return fmt.Sprintf("no%d", m.Term)
	case Leader:
		return fmt.Sprintf("leader t%d", m.Term)
	}
	return ""
}
