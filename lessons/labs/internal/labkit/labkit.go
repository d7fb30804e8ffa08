// Package labkit holds what the lab packages (lessons/labs/...) share:
// drawing a run of students' nodes on netsim, drawing and showing a
// counterexample of the model checker, the gallery cell and its search,
// the registry of the types on the wire, and the judges' verdicts on a
// violation, a search limit or another outcome.
package labkit

import (
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/mcheck/mcplot"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/show"
	"gonum.org/v1/plot"
)

// Show draws the schedule of a failing (or goal-reaching) search in the
// notebook; it is the labs' exercise.ModelSpec.Show. A property that
// fails in the initial state has no schedule: Show says so instead.
func Show(m *mcheck.Model, r *mcheck.Report) { ShowTo(os.Stdout, m, r) }

// ShowTo is Show writing its text to w.
func ShowTo(w io.Writer, m *mcheck.Model, r *mcheck.Report) {
	if len(r.Schedule) == 0 {
		fmt.Fprintln(w, "(the property fails before any step: there is no run to draw)")
		return
	}
	p, err := mcplot.Counterexample(m, r)
	if show.Err(err) {
		return
	}
	show.Err(show.Plot(p))
}

// Explain searches m with opt, writes the report to w and, when the
// search found a schedule (a violation or a goal), draws it. The gallery
// cells of the labs call it.
func Explain(w io.Writer, m *mcheck.Model, opt mcheck.Options) (*mcheck.Report, error) {
	return explain(w, m, opt, Show)
}

// TimerOrder says which timer Continue fires when no message is in
// flight.
type TimerOrder int

const (
	// FirstNode fires the oldest timer of the first node (in the model's
	// order) that has one.
	FirstNode TimerOrder = iota
	// InTurn fires the oldest timer of the next node, in turn, that has
	// one, so that a node that always has a timer pending (one that keeps
	// asking) does not starve the others.
	InTurn
)

// Continue replays schedule s on the model's nodes and extends it
// without faults by at most max steps: it delivers the oldest message in
// flight (a message for a crashed node is dropped), and when none is left
// fires a timer of a running node, in the given order. It stops early
// when nothing is left to do, and returns the steps added and the network
// at the end. Drawn after a liveness violation, the continuation shows
// who is left waiting.
func Continue(m *mcheck.Model, s mcheck.Schedule, max int, order TimerOrder) (mcheck.Schedule, *netsim.Manual, error) {
	man, err := mcheck.Replay(m, s)
	if err != nil {
		return nil, nil, fmt.Errorf("labkit: %w", err)
	}
	ids := m.Nodes()
	var out mcheck.Schedule
	turn := 0 // InTurn: the node to look at first
	for len(out) < max {
		before := len(man.Trace())
		var a mcheck.Action
		if fl := man.InFlight(); len(fl) > 0 {
			msg := fl[0]
			a = mcheck.Action{Kind: mcheck.Deliver, Node: msg.To, From: msg.From, Msg: mcheck.Text(msg.Msg)}
			if man.Crashed(msg.To) {
				a.Kind = mcheck.Drop
			}
			err = man.Deliver(msg.ID)
		} else {
			k := -1
			for j := range ids {
				if i := (turn + j) % len(ids); !man.Crashed(ids[i]) && len(man.Timers(ids[i])) > 0 {
					k = i
					break
				}
			}
			if k < 0 {
				break
			}
			if order == InTurn {
				turn = k + 1
			}
			t := man.Timers(ids[k])[0]
			a = mcheck.Action{Kind: mcheck.Fire, Node: ids[k], Msg: mcheck.Text(t.Tag)}
			err = man.Fire(ids[k], t.ID)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("labkit: continuing the run: %w", err)
		}
		for _, rec := range man.Trace()[before:] {
			switch rec.Op {
			case netsim.OpSend:
				a.Sends = append(a.Sends, mcheck.SentMsg{To: rec.To, Msg: mcheck.Text(rec.Msg)})
			case netsim.OpOutput:
				a.Outputs = append(a.Outputs, mcheck.Text(rec.Msg))
			}
		}
		out = append(out, a)
	}
	return out, man, nil
}

// MaxDrawn bounds the records of a run that RunDiagram draws: more make
// a diagram nobody can read.
const MaxDrawn = 400

// Diagram says what RunDiagram draws.
type Diagram struct {
	Title string
	// Nodes are the lanes, top to bottom.
	Nodes []netsim.NodeID
	// Name gives the short label of one of the lab's messages or outputs
	// ("D0", "RV2", "leader t2"), or "" to label it by its text.
	Name func(v any) string
	// Skip leaves records out (for example heartbeats); nil keeps all.
	Skip func(netsim.Record) bool
	// ByOrder draws the events one after the other, at equal distances,
	// instead of at their times (for runs whose events come in short
	// bursts).
	ByOrder bool
	// DropLabel labels a message dropped at a crashed node (nil: netsim's
	// "dropped (crashed)"); "" leaves it unlabelled, for a node that many
	// messages reach while it is down.
	DropLabel func(netsim.Record) string
}

// label names a drawn event: a message or output by d.Name or by its
// text ("out" and the text for an output), "timer" for a timer;
// deliveries are unlabelled (their arrow says what arrived).
func (d Diagram) label(r netsim.Record) string {
	name := func(v any) string {
		if d.Name == nil {
			return ""
		}
		return d.Name(v)
	}
	switch r.Op {
	case netsim.OpDeliver:
		return ""
	case netsim.OpTimer:
		return "timer"
	case netsim.OpSend:
		if s := name(r.Msg); s != "" {
			return s
		}
		return Short(mcheck.Text(r.Msg), 16)
	case netsim.OpOutput:
		if s := name(r.Msg); s != "" {
			return s
		}
		return "out " + Short(mcheck.Text(r.Msg), 16)
	}
	return netsim.HistoryLabel(r)
}

// RunDiagram draws a netsim trace as a space-time diagram: times in
// milliseconds (or, with ByOrder, events in order), messages the network
// lost ending in a cross, messages still in flight when the run stopped
// in an open stub, outputs highlighted. Only the first MaxDrawn drawable
// records are drawn; the title then says so.
func RunDiagram(tr netsim.Trace, d Diagram) (*plot.Plot, error) {
	nodes := d.Nodes
	if len(nodes) == 0 {
		return nil, fmt.Errorf("labkit: RunDiagram needs at least one node")
	}
	in := map[netsim.NodeID]bool{}
	lanes := make([]netsim.Lane, len(nodes))
	for i, n := range nodes {
		lanes[i] = netsim.Lane{Node: n}
		in[n] = true
	}
	drawn := func(r netsim.Record) bool {
		if d.Skip != nil && d.Skip(r) {
			return false
		}
		switch r.Op {
		case netsim.OpSend, netsim.OpDeliver:
			return in[r.From] && in[r.To]
		case netsim.OpDrop:
			return in[r.From] && in[r.To] && r.Node == r.To
		case netsim.OpTimer, netsim.OpCrash, netsim.OpRestart, netsim.OpOutput:
			return in[r.Node]
		}
		return false
	}
	// Cut the trace after MaxDrawn drawn records.
	cut := false
	n := 0
	for i, r := range tr {
		if drawn(r) {
			n++
			if n > MaxDrawn {
				tr, cut = tr[:i], true
				break
			}
		}
	}
	// Walk the trace as Trace.History does, to know the index of each
	// message (for its fate: lost on the way, or still in flight) and of
	// each output event (highlighted).
	lost := map[uint64]bool{}
	for _, r := range tr {
		if r.Op == netsim.OpDrop && r.Node != r.To {
			lost[r.ID] = true
		}
	}
	fates := map[int]plots.Fate{}
	sent, received := map[uint64]bool{}, map[uint64]bool{}
	var outputs []int
	drops := map[int]netsim.Record{} // drawn drops at a crashed receiver, by event
	ev, msgs := 0, 0
	for _, r := range tr {
		if !drawn(r) {
			continue
		}
		switch r.Op {
		case netsim.OpSend:
			sent[r.ID] = true
			if lost[r.ID] {
				fates[msgs] = plots.Lost
			}
			msgs++
		case netsim.OpDrop:
			if !sent[r.ID] || received[r.ID] {
				continue
			}
			received[r.ID] = true
			drops[ev] = r
		case netsim.OpDeliver:
			if !sent[r.ID] {
				continue
			}
			received[r.ID] = true
		case netsim.OpOutput:
			outputs = append(outputs, ev)
		}
		ev++
	}
	xlabel := "time (ms)"
	title := d.Title
	if cut {
		title += fmt.Sprintf(" (first %d events)", MaxDrawn)
	}
	if d.ByOrder {
		tr = inOrder(tr, drawn)
		xlabel = "events in order (not to scale)"
	} else {
		tr = spread(tr, drawn)
	}
	h, labels, err := tr.History(netsim.HistoryOptions{Lanes: lanes, Label: d.label, Skip: func(r netsim.Record) bool { return !drawn(r) }})
	if err != nil {
		return nil, fmt.Errorf("labkit: %w", err)
	}
	if len(h.Events) != ev {
		return nil, fmt.Errorf("labkit: %d events drawn, %d expected", len(h.Events), ev)
	}
	d.relabelDrops(labels, drops)
	for i, m := range h.Messages {
		if m.Receive >= 0 {
			delete(fates, i)
		}
	}
	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: title, Labels: labels, XLabel: xlabel,
		Highlight: outputs, Unreceived: plots.InFlight, Fates: fates})
	if err != nil {
		return nil, fmt.Errorf("labkit: %w", err)
	}
	return p, nil
}

// relabelDrops gives the drawn drops (by event index) the labels of
// d.DropLabel, if set.
func (d Diagram) relabelDrops(labels []string, drops map[int]netsim.Record) {
	if d.DropLabel == nil {
		return
	}
	for k, r := range drops {
		if k < len(labels) {
			labels[k] = d.DropLabel(r)
		}
	}
}

// spread returns a copy of tr in which the drawn events one node has at
// one instant (a delivery and the output it causes, messages sent
// together) follow each other a little apart, so that their marks and
// labels do not overlap: 1/80 of the drawn time span each.
func spread(tr netsim.Trace, drawn func(netsim.Record) bool) netsim.Trace {
	out := append(netsim.Trace(nil), tr...)
	var lo, hi netsim.Time = -1, 0
	for _, r := range out {
		if drawn(r) {
			if lo < 0 {
				lo = r.Time
			}
			hi = r.Time
		}
	}
	step := (hi - lo) / 80
	if step <= 0 {
		step = netsim.Millisecond / 10
	}
	type slot struct {
		t    netsim.Time
		node netsim.NodeID
	}
	seen := map[slot]int{}
	for i := range out {
		if !drawn(out[i]) {
			continue
		}
		k := slot{out[i].Time, out[i].Node}
		if out[i].Op == netsim.OpDeliver || out[i].Op == netsim.OpDrop {
			k.node = out[i].To
		}
		out[i].Time += netsim.Time(seen[k]) * step
		seen[k]++
	}
	return out
}

// inOrder returns a copy of tr in which the k-th drawn record is at time
// k ms.
func inOrder(tr netsim.Trace, drawn func(netsim.Record) bool) netsim.Trace {
	out := append(netsim.Trace(nil), tr...)
	k := 0
	for i := range out {
		if drawn(out[i]) {
			out[i].Time = netsim.Time(k) * netsim.Millisecond
			k++
		}
	}
	return out
}

// Short cuts a label to n bytes (at a rune boundary), ending it with "…".
func Short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - 1
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// MS formats a time in milliseconds with one decimal, right-aligned:
// "  87.0 ms".
func MS(t netsim.Time) string {
	return fmt.Sprintf("%6.1f ms", float64(t)/float64(netsim.Millisecond))
}
