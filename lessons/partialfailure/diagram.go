package partialfailure

import (
	"fmt"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// tracePart is one trace drawn on some lanes of a diagram.
type tracePart struct {
	trace netsim.Trace
	lanes []netsim.Lane
}

// toHistory converts traces into one history for plots.SpaceTime, stacked
// in the order given, with event times in milliseconds and one label per
// event (see netsim.Trace.History): the lesson's requests, responses and
// timeouts are named, and the server's processing timers are left out
// (the reply sent at the same instant marks them).
func toHistory(parts []tracePart) (*history.History, []string, error) {
	var names []string
	for _, p := range parts {
		for _, l := range p.lanes {
			names = append(names, l.Name)
		}
	}
	b := history.NewBuilder(names...)
	var labels []string
	for _, p := range parts {
		var err error
		labels, err = p.trace.AppendHistory(b, labels, netsim.HistoryOptions{Lanes: p.lanes, Label: eventLabel, Skip: isProcessing})
		if err != nil {
			return nil, nil, fmt.Errorf("partialfailure: converting trace: %w", err)
		}
	}
	h, err := b.Build()
	if err != nil {
		return nil, nil, fmt.Errorf("partialfailure: converting trace: %w", err)
	}
	return h, labels, nil
}

// eventLabel names a drawn event after the lesson's message or timer.
func eventLabel(r netsim.Record) string {
	switch m := r.Msg.(type) {
	case Request:
		if r.Op == netsim.OpSend {
			return fmt.Sprintf("send r%d", m.ID)
		}
		return fmt.Sprintf("recv r%d", m.ID)
	case Response:
		if r.Op == netsim.OpSend {
			return fmt.Sprintf("reply r%d", m.ID)
		}
		return fmt.Sprintf("ok r%d", m.ID)
	case timeout:
		return "timeout"
	}
	return netsim.HistoryLabel(r)
}

func isProcessing(r netsim.Record) bool {
	_, ok := r.Msg.(processing)
	return r.Op == netsim.OpTimer && ok
}

// TraceHistory converts one trace to a history over the given nodes (in
// that order, top to bottom), with times in milliseconds, and returns a
// label per event; see Diagram.
func TraceHistory(tr netsim.Trace, nodes ...netsim.NodeID) (*history.History, []string, error) {
	if len(nodes) == 0 {
		return nil, nil, fmt.Errorf("partialfailure: TraceHistory needs at least one node")
	}
	lanes := make([]netsim.Lane, len(nodes))
	for i, n := range nodes {
		lanes[i] = netsim.Lane{Node: n, Name: string(n)}
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
		parts[i] = tracePart{r.Trace, []netsim.Lane{
			{Node: ClientID, Name: fmt.Sprintf("%s: client", r.Scenario)},
			{Node: ServerID, Name: fmt.Sprintf("%s: server", r.Scenario)},
		}}
	}
	h, labels, err := toHistory(parts)
	if err != nil {
		return nil, err
	}
	// Every message these runs do not deliver was lost by the network.
	return plots.SpaceTime(h, plots.SpaceTimeOptions{Title: title, Labels: labels, XLabel: "virtual time (ms)", Unreceived: plots.Lost})
}
