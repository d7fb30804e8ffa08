package partialfailure

import (
	"fmt"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// Lane maps a node of one trace to a line of a space-time diagram.
type Lane struct {
	Node netsim.NodeID // the node in the trace
	Name string        // the line's name in the diagram
}

// tracePart is one trace drawn on some lanes of a diagram.
type tracePart struct {
	trace netsim.Trace
	lanes []Lane
}

// toHistory converts traces into one history for plots.SpaceTime, with
// event times in milliseconds and one label per event. Sends and
// deliveries become Send and Receive events (a message lost when sent is
// never received, so it is drawn as a stub with a cross; one dropped on
// arrival, at a crashed node, gets an arrow labelled "dropped"); fired timers,
// crashes and restarts become local events. Records of nodes without a
// lane, timer settings, notes and network changes are left out.
func toHistory(parts []tracePart) (*history.History, []string, error) {
	var names []string
	for _, p := range parts {
		for _, l := range p.lanes {
			names = append(names, l.Name)
		}
	}
	b := history.NewBuilder(names...)
	var labels []string
	ms := func(t netsim.Time) float64 { return float64(t) / float64(netsim.Millisecond) }
	for _, p := range parts {
		lane := func(n netsim.NodeID) (string, bool) {
			for _, l := range p.lanes {
				if l.Node == n {
					return l.Name, true
				}
			}
			return "", false
		}
		msgs := map[uint64]history.Msg{} // netsim message number -> history message
		received := map[uint64]bool{}
		for _, r := range p.trace {
			switch r.Op {
			case netsim.OpSend:
				from, ok1 := lane(r.From)
				to, ok2 := lane(r.To)
				if !ok1 || !ok2 {
					continue
				}
				msgs[r.ID] = b.Send(from, to, "")
				b.At(ms(r.Time))
				labels = append(labels, sendLabel(r.Msg))
			case netsim.OpDrop:
				// A drop decided on arrival (crashed receiver, partition
				// that began in flight): the message did travel, so draw
				// its arrow up to the receiver's line.
				_, ok := lane(r.To)
				m, sent := msgs[r.ID]
				if !ok || !sent || r.Node != r.To || received[r.ID] {
					continue
				}
				b.Receive(m, "")
				b.At(ms(r.Time))
				received[r.ID] = true
				labels = append(labels, "dropped ("+r.Reason.String()+")")
			case netsim.OpDeliver:
				to, ok := lane(r.To)
				m, sent := msgs[r.ID]
				if !ok || !sent {
					continue
				}
				if received[r.ID] { // a network duplicate: a second copy
					b.Local(to, "")
					labels = append(labels, "dup")
				} else {
					b.Receive(m, "")
					received[r.ID] = true
					labels = append(labels, receiveLabel(r.Msg))
				}
				b.At(ms(r.Time))
			case netsim.OpTimer, netsim.OpCrash, netsim.OpRestart:
				n, ok := lane(r.Node)
				if !ok {
					continue
				}
				if r.Op == netsim.OpTimer {
					if _, ok := r.Msg.(processing); ok {
						continue // the reply sent at the same instant marks it
					}
				}
				b.Local(n, "")
				b.At(ms(r.Time))
				labels = append(labels, localLabel(r))
			}
		}
	}
	h, err := b.Build()
	if err != nil {
		return nil, nil, fmt.Errorf("partialfailure: converting trace: %w", err)
	}
	return h, labels, nil
}

func sendLabel(msg any) string {
	switch m := msg.(type) {
	case Request:
		return fmt.Sprintf("send r%d", m.ID)
	case Response:
		return fmt.Sprintf("reply r%d", m.ID)
	}
	return "send"
}

func receiveLabel(msg any) string {
	switch m := msg.(type) {
	case Request:
		return fmt.Sprintf("recv r%d", m.ID)
	case Response:
		return fmt.Sprintf("ok r%d", m.ID)
	}
	return "recv"
}

func localLabel(r netsim.Record) string {
	switch r.Op {
	case netsim.OpCrash:
		return "CRASH"
	case netsim.OpRestart:
		return "restart"
	}
	if _, ok := r.Msg.(timeout); ok {
		return "timeout"
	}
	return "timer"
}

// TraceHistory converts one trace to a history over the given nodes (in
// that order, top to bottom), with times in milliseconds, and returns a
// label per event; see Diagram.
func TraceHistory(tr netsim.Trace, nodes ...netsim.NodeID) (*history.History, []string, error) {
	if len(nodes) == 0 {
		return nil, nil, fmt.Errorf("partialfailure: TraceHistory needs at least one node")
	}
	lanes := make([]Lane, len(nodes))
	for i, n := range nodes {
		lanes[i] = Lane{Node: n, Name: string(n)}
	}
	return toHistory([]tracePart{{tr, lanes}})
}

// Diagram draws the runs in one space-time diagram: a client line and a
// server line per run, stacked in the order given, time in ms. A lost
// message ends in a cross; a message reaching a crashed server too.
func Diagram(title string, runs ...*ScenarioRun) (*plot.Plot, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("partialfailure: Diagram needs at least one run")
	}
	parts := make([]tracePart, len(runs))
	for i, r := range runs {
		if r == nil {
			return nil, fmt.Errorf("partialfailure: run %d is nil", i)
		}
		parts[i] = tracePart{r.Trace, []Lane{
			{ClientID, fmt.Sprintf("%s: client", r.Scenario)},
			{ServerID, fmt.Sprintf("%s: server", r.Scenario)},
		}}
	}
	h, labels, err := toHistory(parts)
	if err != nil {
		return nil, err
	}
	return plots.SpaceTime(h, plots.SpaceTimeOptions{Title: title, Labels: labels, XLabel: "virtual time (ms)"})
}
