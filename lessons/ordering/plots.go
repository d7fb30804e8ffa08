package ordering

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// diagramSpec says how to draw one trace as a space-time diagram.
type diagramSpec struct {
	title     string
	lanes     []netsim.Lane
	label     func(netsim.Record) string
	skip      func(netsim.Record) bool
	fate      plots.Fate
	highlight func(label string) bool // events to draw in vermillion
}

// spaceTime converts the trace with spec and draws it, event times in ms.
func spaceTime(tr netsim.Trace, spec diagramSpec) (*plot.Plot, *history.History, []string, error) {
	if len(tr) == 0 {
		return nil, nil, nil, fmt.Errorf("ordering: no trace to draw (run with tracing on)")
	}
	h, labels, err := tr.History(netsim.HistoryOptions{Lanes: spec.lanes, Label: spec.label, Skip: spec.skip})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("ordering: %w", err)
	}
	var marked []int
	if spec.highlight != nil {
		for i, l := range labels {
			if spec.highlight(l) {
				marked = append(marked, i)
			}
		}
	}
	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: spec.title, Labels: labels, XLabel: "virtual time (ms)",
		Unreceived: spec.fate, Highlight: marked})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("ordering: %w", err)
	}
	return p, h, labels, nil
}

// Diagram draws the FIFO run: the sender's transmissions and
// retransmissions, the acknowledgements, and at the receiver what each
// arrival did — delivered (dN: the N-th delivery), held back, or thrown
// away as a duplicate. Acknowledgements are drawn unlabelled; lost
// messages end in a cross.
func (r *FIFORun) Diagram() (*plot.Plot, error) {
	labels := r.arrivalLabels()
	spec := diagramSpec{
		title: fmt.Sprintf("FIFO channel over a lossy, reordering link (seed %d)", r.Config.Seed),
		lanes: []netsim.Lane{{Node: "S", Name: "sender S"}, {Node: "R", Name: "receiver R"}},
		label: func(rec netsim.Record) string {
			switch rec.Op {
			case netsim.OpSend:
				if _, ok := rec.Msg.(Data); ok {
					return fmt.Sprint(rec.Msg)
				}
			case netsim.OpDeliver:
				if _, ok := rec.Msg.(Data); ok {
					return labels[rec.ID]
				}
			}
			return ""
		},
		skip: func(rec netsim.Record) bool { return rec.Op == netsim.OpTimer },
		fate: plots.Lost,
	}
	p, _, _, err := spaceTime(r.Trace, spec)
	return p, err
}

// arrivalLabels replays the receiver's hold-back queue over the trace and
// names what the first arrival of each data message did.
func (r *FIFORun) arrivalLabels() map[uint64]string {
	out := map[uint64]string{}
	var h HoldBack
	n := 0
	for _, rec := range r.Trace {
		d, ok := rec.Msg.(Data)
		if rec.Op != netsim.OpDeliver || !ok {
			continue
		}
		del, dup := h.Add(d.Seq, d.Payload)
		var l string
		switch {
		case dup:
			l = "dup " + d.String() + ", dropped"
		case len(del) == 0:
			l = "held " + d.String()
		default:
			parts := make([]string, len(del))
			for i, p := range del {
				n++
				parts[i] = fmt.Sprintf("d%d %s", n, p)
			}
			l = strings.Join(parts, ", ")
		}
		if _, seen := out[rec.ID]; !seen {
			out[rec.ID] = l
		}
	}
	return out
}

// Diagram draws the two receivers' run; each receipt is labelled with its
// delivery number at that receiver.
func (r *ReceiversRun) Diagram() (*plot.Plot, error) {
	spec := diagramSpec{
		title: fmt.Sprintf("Two senders, two receivers, delivery on arrival (seed %d)", r.Config.Seed),
		lanes: []netsim.Lane{{Node: "R1"}, {Node: "S1"}, {Node: "S2"}, {Node: "R2"}},
		label: func(rec netsim.Record) string {
			if rec.Op == netsim.OpSend {
				return ""
			}
			return deliveryLabel(r.tracker.caused(rec))
		},
		skip: func(rec netsim.Record) bool { return rec.Op == netsim.OpTimer },
	}
	p, _, _, err := spaceTime(r.Trace, spec)
	return p, err
}

// Diagram draws a traced clock-order run: each send is labelled with its
// message and timestamp (ms on the sender's clock), each receiver's
// deliveries at the deadline timer that releases them.
func (r *ClockOrderRun) Diagram() (*plot.Plot, error) {
	var lanes []netsim.Lane
	for i := range r.SenderOffsets {
		lanes = append(lanes, netsim.Lane{Node: netsim.NodeID("S" + strconv.Itoa(i+1)),
			Name: fmt.Sprintf("S%d (%+.2f ms)", i+1, float64(r.SenderOffsets[i])/1e6)})
	}
	for i := range r.ReceiverOffsets {
		lanes = append(lanes, netsim.Lane{Node: netsim.NodeID("R" + strconv.Itoa(i+1))})
	}
	spec := diagramSpec{
		title: fmt.Sprintf("Ordering by synchronised clocks: sends labelled message@stamp (seed %d)", r.Config.Seed),
		lanes: lanes,
		label: func(rec netsim.Record) string {
			switch rec.Op {
			case netsim.OpSend:
				if m, ok := rec.Msg.(Stamped); ok && rec.To == "R1" {
					return fmt.Sprintf("%s@%.2f", m.Payload, float64(m.Stamp)/1e6)
				}
				return ""
			case netsim.OpTimer:
				return deliveryLabel(r.tracker.caused(rec))
			}
			if r.Config.OnArrival {
				return deliveryLabel(r.tracker.caused(rec))
			}
			return ""
		},
		skip: func(rec netsim.Record) bool {
			if rec.Op == netsim.OpTimer {
				_, isDeadline := rec.Msg.(deadline)
				return !isDeadline || len(r.tracker.caused(rec)) == 0
			}
			return false
		},
	}
	p, _, _, err := spaceTime(r.Trace, spec)
	return p, err
}

// Diagram draws a traced causal run: sends labelled with payload and
// vector, receipts with the deliveries they caused or "held". When title
// is empty a default is used.
func (r *CausalRun) Diagram(title string) (*plot.Plot, error) {
	return causalDiagram(title, r)
}

func causalDiagram(title string, r *CausalRun) (*plot.Plot, error) {
	if title == "" {
		title = fmt.Sprintf("Causal broadcast: sends labelled payload [vector], receipts dN (seed %d)", r.Seed)
	}
	lanes := netsim.Lanes(r.Members...)
	spec := diagramSpec{
		title:     title,
		lanes:     lanes,
		label:     causalLabel(r),
		skip:      func(rec netsim.Record) bool { return false },
		highlight: func(l string) bool { return strings.HasPrefix(l, "held") },
	}
	p, _, _, err := spaceTime(r.Trace, spec)
	return p, err
}

func causalLabel(r *CausalRun) func(netsim.Record) string {
	return func(rec netsim.Record) string {
		switch rec.Op {
		case netsim.OpSend:
			if m, ok := rec.Msg.(CausalMsg); ok && rec.To == firstOther(r.Members, rec.From) {
				return m.String()
			}
			return ""
		case netsim.OpTimer:
			return deliveryLabel(r.tracker.caused(rec))
		case netsim.OpDeliver:
			if ds := r.tracker.caused(rec); len(ds) > 0 {
				return deliveryLabel(ds)
			}
			if m, ok := rec.Msg.(CausalMsg); ok {
				return "held " + m.Payload
			}
		}
		return ""
	}
}

// firstOther is the first member other than id: a broadcast's first
// send, which carries the broadcast's label.
func firstOther(members []netsim.NodeID, id netsim.NodeID) netsim.NodeID {
	for _, m := range members {
		if m != id {
			return m
		}
	}
	return ""
}

// QuestionAnswerDiagram draws the question/answer scenario twice, stacked:
// delivery on arrival (top) and causal delivery (bottom). The receipt at C
// that causal delivery holds back is highlighted.
func QuestionAnswerDiagram() (*plot.Plot, error) {
	b := history.NewBuilder("on arrival: A", "on arrival: B", "on arrival: C", "causal: A", "causal: B", "causal: C")
	var labels []string
	var marked []int
	for i, onArrival := range []bool{true, false} {
		r, err := QuestionAnswer(onArrival)
		if err != nil {
			return nil, err
		}
		prefix := "causal: "
		if i == 0 {
			prefix = "on arrival: "
		}
		var lanes []netsim.Lane
		for _, m := range r.Members {
			lanes = append(lanes, netsim.Lane{Node: m, Name: prefix + string(m)})
		}
		base := causalLabel(r)
		label := func(rec netsim.Record) string {
			l := base(rec)
			if strings.HasPrefix(l, "held") {
				marked = append(marked, len(labels))
			}
			labels = append(labels, l)
			return l
		}
		if _, err := r.Trace.AppendHistory(b, nil, netsim.HistoryOptions{Lanes: lanes, Label: label}); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	h, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	if len(labels) != len(h.Events) {
		return nil, fmt.Errorf("ordering: %d labels for %d events", len(labels), len(h.Events))
	}
	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{
		Title:  "A asks (A1), B answers (B1); the link A→C is slow",
		Labels: labels, XLabel: "virtual time (ms)", Highlight: marked})
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	return p, nil
}

// Diagram draws a traced TOB run: data messages labelled payload@timestamp
// on their first send, acknowledgements unlabelled, and the deliveries
// each receipt (or broadcast) released, numbered per node.
func (r *TOBRun) Diagram(title string) (*plot.Plot, error) {
	p, _, err := r.diagram(title)
	return p, err
}

func (r *TOBRun) diagram(title string) (*plot.Plot, []string, error) {
	if title == "" {
		title = fmt.Sprintf("Totally ordered broadcast: data labelled payload@LT, deliveries dN (seed %d)", r.Config.Seed)
	}
	lanes := netsim.Lanes(r.Members...)
	spec := diagramSpec{
		title: title,
		lanes: lanes,
		label: func(rec netsim.Record) string {
			switch rec.Op {
			case netsim.OpSend:
				if m, ok := rec.Msg.(TOBData); ok && rec.To == firstOther(r.Members, rec.From) {
					return m.String()
				}
				return ""
			case netsim.OpCrash:
				return "CRASH"
			}
			return deliveryLabel(r.tracker.caused(rec))
		},
		skip: func(rec netsim.Record) bool {
			return rec.Op == netsim.OpTimer && len(r.tracker.caused(rec)) == 0
		},
		fate: plots.Lost,
	}
	p, _, labels, err := spaceTime(r.Trace, spec)
	return p, labels, err
}

// Diagram draws a traced mutual-exclusion run: requests, replies and
// releases with their timestamps, and where each node enters and leaves
// the critical section (entries highlighted).
func (r *MutexRun) Diagram() (*plot.Plot, error) {
	p, _, err := r.diagram()
	return p, err
}

func (r *MutexRun) diagram() (*plot.Plot, []string, error) {
	enter := map[causeKey]bool{}
	exit := map[uint64]bool{}
	for _, iv := range r.Intervals {
		enter[causeKey{iv.Node, iv.EnterCause}] = true
		exit[iv.ExitTimer] = true
	}
	isEnter := func(rec netsim.Record) bool {
		switch rec.Op {
		case netsim.OpDeliver:
			return enter[causeKey{rec.Node, Cause{Kind: netsim.Receive, ID: rec.ID}}]
		case netsim.OpTimer:
			return enter[causeKey{rec.Node, Cause{Kind: netsim.Timer, ID: rec.ID}}]
		}
		return false
	}
	lanes := netsim.Lanes(r.Members...)
	spec := diagramSpec{
		title: fmt.Sprintf("Lamport's mutual exclusion, %d nodes (seed %d)", r.Config.Nodes, r.Config.Seed),
		lanes: lanes,
		label: func(rec netsim.Record) string {
			switch {
			case rec.Op == netsim.OpSend:
				if _, ok := rec.Msg.(MutexReply); ok {
					return fmt.Sprint(rec.Msg)
				}
				if rec.To == firstOther(r.Members, rec.From) {
					return fmt.Sprint(rec.Msg)
				}
				return ""
			case isEnter(rec):
				return "ENTER"
			case rec.Op == netsim.OpTimer && exit[rec.ID]:
				return "leave"
			}
			return ""
		},
		skip: func(rec netsim.Record) bool {
			if rec.Op != netsim.OpTimer {
				return false
			}
			_, want := rec.Msg.(wantTick)
			return want && !isEnter(rec)
		},
		highlight: func(l string) bool { return l == "ENTER" },
	}
	p, _, labels, err := spaceTime(r.Trace, spec)
	return p, labels, err
}

// PlotRateSweep draws the misordered fraction against the message rate,
// one colour per clock error, on log-log axes: measured points (zero
// values cannot be drawn and are left out) and the first-order estimate
// λ·K as a line where it is below 0.5.
func PlotRateSweep(r *RateResult) (*plot.Plot, error) {
	if r == nil {
		return nil, fmt.Errorf("ordering: no rate sweep to draw")
	}
	pts, seed := r.Points, r.Config.Seed
	var series []plots.Series
	var errs []netsim.Time
	for _, p := range pts {
		if len(errs) == 0 || errs[len(errs)-1] != p.ClockError {
			errs = append(errs, p.ClockError)
		}
	}
	for i, e := range errs {
		meas := plots.Series{Name: "ε = " + Duration(e) + ", measured", Style: plots.Points, Color: i}
		est := plots.Series{Name: "ε = " + Duration(e) + ", estimate λ·K", Style: plots.Line, Color: i}
		for _, p := range pts {
			if p.ClockError != e {
				continue
			}
			if p.Misordered > 0 {
				meas.X, meas.Y = append(meas.X, p.Rate), append(meas.Y, p.Misordered)
			}
			if p.Estimate > 0 && p.Estimate <= 0.5 {
				est.X, est.Y = append(est.X, p.Rate), append(est.Y, p.Estimate)
			}
		}
		for _, s := range []plots.Series{meas, est} {
			if len(s.X) > 0 {
				series = append(series, s)
			}
		}
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("ordering: nothing to draw (no misordered messages)")
	}
	return chart(plots.ChartOptions{
		Title:  fmt.Sprintf("Messages out of real-time order, independent senders (seed %d)", seed),
		XLabel: "message rate λ, all senders (per second, log)",
		YLabel: "misordered fraction (log)",
		LogX:   true, LogY: true, LegendLeft: true,
	}, series...)
}

// PlotGapSweep draws the misordered fraction against the gap between
// messages (in multiples of ε), for independent (Poisson) senders and for
// paced messages, with D and 2ε marked by vertical lines.
func PlotGapSweep(g *GapResult) (*plot.Plot, error) {
	if g == nil || len(g.Points) == 0 {
		return nil, fmt.Errorf("ordering: no gap sweep to draw")
	}
	poisson := plots.Series{Name: "independent senders (Poisson, mean gap)", Style: plots.LinePoints, Color: 0}
	paced := plots.Series{Name: "paced (every gap exactly this long)", Style: plots.LinePoints, Color: 1}
	top := 0.0
	for _, p := range g.Points {
		poisson.X, poisson.Y = append(poisson.X, p.Ratio), append(poisson.Y, p.Poisson)
		paced.X, paced.Y = append(paced.X, p.Ratio), append(paced.Y, p.Paced)
		top = math.Max(top, math.Max(p.Poisson, p.Paced))
	}
	d := float64(g.Spread) / float64(g.Config.ClockError)
	dLine := plots.Series{Name: fmt.Sprintf("D = %.2f ε, the clocks' largest difference", d), X: []float64{d, d}, Y: []float64{0, top}, Color: 3}
	worst := plots.Series{Name: "2ε, the worst case", X: []float64{2, 2}, Y: []float64{0, top}, Color: 6}
	return chart(plots.ChartOptions{
		Title:  fmt.Sprintf("Misordering against the gap between messages, clocks within ±%s (seed %d)", Duration(g.Config.ClockError), g.Config.Seed),
		XLabel: "gap between messages / clock error ε",
		YLabel: "misordered fraction",
	}, poisson, paced, dLine, worst)
}

// PlotTOBCrash draws, over time, how many payloads the nodes have
// broadcast in all and how many each node has delivered, in a TOB run
// with a crash (marked).
func PlotTOBCrash(r *TOBRun) (*plot.Plot, error) {
	if r == nil || len(r.Deliveries) == 0 {
		return nil, fmt.Errorf("ordering: no deliveries to draw")
	}
	var sent []float64 // times of the broadcasts that happened, ms
	for i, n := range r.Nodes {
		for k, at := range n.Plan {
			if k < len(n.Sent) && (r.Members[i] != r.Config.Crash || at <= r.Config.CrashAt) {
				sent = append(sent, float64(at)/1e6)
			}
		}
	}
	slices.Sort(sent)
	end := 0.0
	for _, d := range r.Deliveries {
		end = math.Max(end, float64(d.At)/1e6)
	}
	if len(sent) > 0 {
		end = math.Max(end, sent[len(sent)-1])
	}
	end = math.Ceil(end/5)*5 + 5
	bc := plots.Series{Name: "broadcast so far (all nodes)", Style: plots.Steps, Color: 4, X: []float64{0}, Y: []float64{0}}
	for i, t := range sent {
		bc.X, bc.Y = append(bc.X, t), append(bc.Y, float64(i+1))
	}
	bc.X, bc.Y = append(bc.X, end), append(bc.Y, float64(len(sent)))
	series := []plots.Series{bc}
	for i, m := range r.Members {
		s := plots.Series{Name: "delivered at " + string(m), Style: plots.Steps, Color: i, X: []float64{0}, Y: []float64{0}}
		n := 0.0
		for _, d := range r.Deliveries {
			if d.Node == m {
				n++
				s.X, s.Y = append(s.X, float64(d.At)/1e6), append(s.Y, n)
			}
		}
		if string(m) != string(r.Config.Crash) {
			s.X, s.Y = append(s.X, end), append(s.Y, n)
		}
		series = append(series, s)
	}
	if r.Config.Crash != "" {
		at := float64(r.Config.CrashAt) / 1e6
		series = append(series, plots.Series{Name: fmt.Sprintf("%s crashes", r.Config.Crash), X: []float64{at, at}, Y: []float64{0, float64(len(sent))}, Color: 6})
	}
	return chart(plots.ChartOptions{
		Title:  fmt.Sprintf("Totally ordered broadcast with a crash: broadcasts and deliveries (seed %d)", r.Config.Seed),
		XLabel: "virtual time (ms)", YLabel: "messages", LegendLeft: true,
	}, series...)
}

// PlotMutexCost draws measured messages per entry of Lamport's algorithm
// against N with the line 3(N−1), and, for comparison, the formulas of
// Ricart and Agrawala's algorithm, 2(N−1), and of a central lock server,
// 3 (request, grant, release).
func PlotMutexCost(ps []CostPoint, seed uint64) (*plot.Plot, error) {
	if len(ps) == 0 {
		return nil, fmt.Errorf("ordering: no cost points to draw")
	}
	meas := plots.Series{Name: "Lamport 1978, measured", Style: plots.Points, Color: 0}
	formula := plots.Series{Name: "Lamport 1978: 3(N−1)", Style: plots.Line, Color: 0}
	ra := plots.Series{Name: "Ricart–Agrawala 1981: 2(N−1) (formula)", Style: plots.Line, Color: 1}
	central := plots.Series{Name: "central lock server: 3 (formula)", Style: plots.Line, Color: 2}
	for _, p := range ps {
		n := float64(p.Nodes)
		meas.X, meas.Y = append(meas.X, n), append(meas.Y, float64(p.Messages)/float64(max(1, p.Entries)))
		formula.X, formula.Y = append(formula.X, n), append(formula.Y, 3*(n-1))
		ra.X, ra.Y = append(ra.X, n), append(ra.Y, 2*(n-1))
		central.X, central.Y = append(central.X, n), append(central.Y, 3)
	}
	return chart(plots.ChartOptions{
		Title:  fmt.Sprintf("Mutual exclusion: messages per entry (seed %d)", seed),
		XLabel: "nodes N", YLabel: "messages per entry", IntegerX: true, LegendLeft: true,
	}, formula, meas, ra, central)
}

// Duration formats a virtual duration the way the lesson writes it:
// "10 µs", "1.5 ms", "2 s".
func Duration(t netsim.Time) string {
	switch a := math.Abs(float64(t)); {
	case a == 0:
		return "0"
	case a < 1e3:
		return strconv.FormatInt(int64(t), 10) + " ns"
	case a < 1e6:
		return strconv.FormatFloat(float64(t)/1e3, 'g', 4, 64) + " µs"
	case a < 1e9:
		return strconv.FormatFloat(float64(t)/1e6, 'g', 4, 64) + " ms"
	}
	return strconv.FormatFloat(float64(t)/1e9, 'g', 4, 64) + " s"
}

// chart is plots.Chart with the package's error prefix.
func chart(opt plots.ChartOptions, series ...plots.Series) (*plot.Plot, error) {
	p, err := plots.Chart(opt, series...)
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	return p, nil
}
