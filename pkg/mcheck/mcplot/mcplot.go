// Package mcplot draws the counterexamples of the model checker in
// package mcheck as space-time diagrams (pkg/plots.SpaceTime). It is a
// package of its own so that mcheck imports no plotting library.
//
//	r, err := mcheck.Check(model, opts)
//	if r.Outcome == mcheck.Violated {
//		p, err := mcplot.Counterexample(model, r)
//		show.Plot(p)
//	}
package mcplot

import (
	"fmt"
	"unicode/utf8"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// Counterexample replays the report's schedule on the model's nodes
// (mcheck.Replay) and draws it: one line per node, one column per step
// (the start is step 0), an arrow per message from its send to its
// delivery, lost messages as stubs, and timers, crashes, restarts and
// outputs as labelled marks. The title names the violated property and
// the step where it broke; the events of that step are highlighted.
func Counterexample(m *mcheck.Model, r *mcheck.Report) (*plot.Plot, error) {
	if m == nil || r == nil {
		return nil, fmt.Errorf("mcplot: Counterexample: nil model or report")
	}
	var title string
	switch r.Outcome {
	case mcheck.Violated:
		title = fmt.Sprintf("%q violated at step %d", r.Property, r.Step())
	case mcheck.GoalReached:
		title = fmt.Sprintf("%q reached at step %d", r.Property, r.Step())
	default:
		return nil, fmt.Errorf("mcplot: Counterexample: the report is %v: there is no schedule to draw", r.Outcome)
	}
	return Schedule(m, r.Schedule, title)
}

// Schedule replays schedule s on the model's nodes and draws it with the
// given title, highlighting the events of the last step.
func Schedule(m *mcheck.Model, s mcheck.Schedule, title string) (*plot.Plot, error) {
	man, err := mcheck.Replay(m, s)
	if err != nil {
		return nil, fmt.Errorf("mcplot: %w", err)
	}
	h, labels, err := diagram(m, man.Trace())
	if err != nil {
		return nil, err
	}
	var high []int
	for i, ev := range h.Events {
		if len(s) > 0 && ev.Time >= float64(len(s)) {
			high = append(high, i)
		}
	}
	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: title, Labels: labels, XLabel: "step", Highlight: high,
		Fates: lostFates(man.Trace())})
	if err != nil {
		return nil, fmt.Errorf("mcplot: %w", err)
	}
	p.X.Tick.Marker = plots.IntegerTicks{} // steps
	return p, nil
}

// lostFates marks the drawn messages that the network lost (a Lose step)
// as lost, by their index among the drawn sends; the others that never
// arrived are still in flight (they are not drawn).
func lostFates(tr netsim.Trace) map[int]plots.Fate {
	skip := inFlight(tr)
	lost := map[uint64]bool{}
	for _, r := range tr {
		if r.Op == netsim.OpDrop && r.Reason == netsim.DropLoss {
			lost[r.ID] = true
		}
	}
	fates := map[int]plots.Fate{}
	k := 0
	for _, r := range tr {
		if r.Op == netsim.OpSend && !skip(r) {
			if lost[r.ID] {
				fates[k] = plots.Lost
			}
			k++
		}
	}
	return fates
}

// diagram converts a replayed trace to the history drawn, with one label
// per event.
func diagram(m *mcheck.Model, tr netsim.Trace) (*history.History, []string, error) {
	skip := inFlight(tr)
	tr = spread(tr, skip)
	h, labels, err := tr.History(netsim.HistoryOptions{Lanes: lanes(m), Label: Label, Unit: netsim.Tick, Skip: skip})
	if err != nil {
		return nil, nil, fmt.Errorf("mcplot: %w", err)
	}
	// plots.SpaceTime places the events of a history without times at
	// their positions (1, 2, ...); a schedule whose drawn events all
	// happen at the start (a message sent at step 0 and lost) keeps them
	// at step 0.
	if n := len(h.Events); n > 0 && h.Events[n-1].Time == 0 {
		h.Events[n-1].Time = 1e-9
	}
	return h, labels, nil
}

func lanes(m *mcheck.Model) []netsim.Lane { return netsim.Lanes(m.Nodes()...) }

// spread returns a copy of the trace in which the events one node has in
// one step (a Manual step is one Tick) are spread over the step, so that
// their marks and labels do not overlap.
func spread(tr netsim.Trace, skip func(netsim.Record) bool) netsim.Trace {
	out := append(netsim.Trace(nil), tr...)
	type slot struct {
		t    netsim.Time
		node netsim.NodeID
	}
	drawn := func(r netsim.Record) bool {
		if skip(r) {
			return false
		}
		switch r.Op {
		case netsim.OpSend, netsim.OpDeliver, netsim.OpDrop, netsim.OpTimer, netsim.OpCrash, netsim.OpRestart, netsim.OpOutput:
			return true
		}
		return false
	}
	count := map[slot]int{}
	for _, r := range out {
		if drawn(r) {
			count[slot{r.Time, r.Node}]++
		}
	}
	seen := map[slot]int{}
	for i := range out {
		if !drawn(out[i]) {
			continue
		}
		k := slot{out[i].Time, out[i].Node}
		if n := count[k]; n > 1 {
			out[i].Time += netsim.Time(seen[k]) * (netsim.Tick * 3 / 5) / netsim.Time(n-1)
		}
		seen[k]++
	}
	return out
}

// inFlight leaves out the sends of messages still in flight at the end:
// they were neither delivered nor lost in the schedule.
func inFlight(tr netsim.Trace) func(netsim.Record) bool {
	arrived := map[uint64]bool{}
	for _, r := range tr {
		if r.Op == netsim.OpDeliver || r.Op == netsim.OpDrop {
			arrived[r.ID] = true
		}
	}
	return func(r netsim.Record) bool { return r.Op == netsim.OpSend && !arrived[r.ID] }
}

// Label is the event label of the diagrams: a sent message's text, a
// timer's tag, "CRASH", "restart", or "out" and the output; deliveries
// are unlabelled (their arrow says what arrived).
func Label(r netsim.Record) string {
	switch r.Op {
	case netsim.OpSend:
		return short(mcheck.Text(r.Msg))
	case netsim.OpDeliver:
		return ""
	case netsim.OpTimer:
		return "timer " + short(mcheck.Text(r.Msg))
	case netsim.OpOutput:
		return "out " + short(mcheck.Text(r.Msg))
	}
	return netsim.HistoryLabel(r)
}

// short cuts a label to 24 bytes.
func short(s string) string {
	if len(s) <= 24 {
		return s
	}
	cut := 23
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
