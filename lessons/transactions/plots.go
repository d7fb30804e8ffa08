package transactions

import (
	"fmt"
	"image/color"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dslessons/course/lessons/replication"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
)

func msOf(t netsim.Time) float64 { return float64(t) / float64(ms) }

// segmentStyle is how a kind of Segment is drawn: fill colour, and the
// text written inside it when it is wide enough (so that the picture
// reads without colour too).
type segmentStyle struct {
	fill  color.Color
	label string
	light bool // white text
}

var lightGrey = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}

// segmentStyles, in the order of the legend.
var segmentOrder = []string{"working", "prepared", "committed", "aborted", "waiting", "collecting votes", "decided commit", "decided abort", "down"}

var segmentStyles = map[string]segmentStyle{
	"working":          {lightGrey, "working", false},
	"waiting":          {lightGrey, "waiting", false},
	"prepared":         {plots.Vermillion, "prepared: in doubt", true},
	"committed":        {plots.BluishGreen, "committed", true},
	"aborted":          {plots.Orange, "aborted", false},
	"collecting votes": {plots.SkyBlue, "collecting votes", false},
	"decided commit":   {plots.BluishGreen, "decided commit", true},
	"decided abort":    {plots.Orange, "decided abort", false},
	"down":             {plots.Black, "down", true},
}

// legendNames are the legend's words for the kinds of segment.
var legendNames = map[string]string{
	"working": "working / waiting", "prepared": "prepared, outcome unknown (blocked)", "committed": "committed",
	"aborted": "aborted", "collecting votes": "collecting votes", "down": "crashed",
}

// PlotTimeline draws the run's time line, 0 to until (0: the whole run):
// one bar per process, the coordinator on top, coloured by state and
// labelled inside where there is room. The vermillion stretches are the
// blocking windows: prepared participants holding their locks without
// knowing the outcome.
func PlotTimeline(r *Run, until netsim.Time, title string) (*plot.Plot, error) {
	if r == nil || len(r.Timeline) == 0 {
		return nil, fmt.Errorf("transactions: PlotTimeline of an empty run")
	}
	if until <= 0 || until > r.Config.End {
		until = r.Config.End
	}
	p := plots.New()
	p.Title.Text = title
	if title == "" {
		p.Title.Text = fmt.Sprintf("%s (seed %d)", r.Config.Protocol, r.Config.Seed)
	}
	p.X.Label.Text = "time (ms)"
	rows := append([]netsim.NodeID{Coordinator}, r.Config.participants()...)
	tl := &timeline{r: r, rows: rows, until: until}
	p.Add(tl)
	ticks := make([]plot.Tick, len(rows))
	for i, id := range rows {
		ticks[i] = plot.Tick{Value: tl.y(i), Label: string(id)}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = 0, msOf(until)
	_, _, p.Y.Min, p.Y.Max = tl.DataRange()
	return p, nil
}

// legendKey maps a segment kind to the legend entry that stands for it.
func legendKey(what string) string {
	switch what {
	case "waiting":
		return "working"
	case "decided commit":
		return "committed"
	case "decided abort":
		return "aborted"
	}
	return what
}

// timeline is the plotter behind PlotTimeline.
type timeline struct {
	r     *Run
	rows  []netsim.NodeID
	until netsim.Time
}

func (t *timeline) y(row int) float64 { return float64(len(t.rows) - 1 - row) }

// Segments returns the segments drawn, clipped to [0, until], in row
// order: the data behind the picture.
func (t *timeline) Segments() []Segment {
	var out []Segment
	for _, id := range t.rows {
		for _, s := range t.r.Timeline {
			if s.Node != id || s.From >= t.until {
				continue
			}
			s.To = min(s.To, t.until)
			out = append(out, s)
		}
	}
	return out
}

func (t *timeline) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	t.drawLegend(c, tx, ty)
	ts := text.Style{Font: font.From(plot.DefaultFont, vg.Points(plots.NoteSize)), XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	for _, s := range t.Segments() {
		row := slices.Index(t.rows, s.Node)
		st := segmentStyles[s.What]
		if st.fill == nil {
			st = segmentStyle{lightGrey, s.What, false}
		}
		x0, x1 := tx(msOf(s.From)), tx(msOf(s.To))
		y0, y1 := ty(t.y(row)-0.3), ty(t.y(row)+0.3)
		c.FillPolygon(st.fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(1)}, []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}})
		if w := ts.Width(st.label); w+vg.Points(6) < x1-x0 {
			ts.Color = color.Black
			if st.light {
				ts.Color = color.White
			}
			c.FillText(ts, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, st.label)
		}
	}
}

// DataRange leaves a band above the bars for the legend.
func (t *timeline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, msOf(t.until), -0.6, float64(len(t.rows)) + 0.35
}

// LegendEntries lists the legend's entries: the kinds of segment drawn,
// in a fixed order.
func (t *timeline) LegendEntries() []string {
	seen := map[string]bool{}
	for _, s := range t.Segments() {
		seen[legendKey(s.What)] = true
	}
	var out []string
	for _, k := range segmentOrder {
		if _, ok := legendNames[k]; ok && seen[k] {
			out = append(out, k)
		}
	}
	return out
}

// drawLegend writes the legend in one or two lines in the band above the
// bars: a swatch and a name per entry.
func (t *timeline) drawLegend(c draw.Canvas, tx, ty func(float64) vg.Length) {
	ts := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(plots.NoteSize)), XAlign: draw.XLeft, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	box, gap := vg.Points(10), vg.Points(12)
	left, right := tx(0), tx(msOf(t.until))
	x, y := left, ty(float64(len(t.rows))-0.05)
	lineH := ts.Height("Ag") + vg.Points(4)
	for _, k := range t.LegendEntries() {
		name := legendNames[k]
		w := box + vg.Points(4) + ts.Width(name)
		if x > left && x+w > right {
			x, y = left, y-lineH
		}
		c.FillPolygon(segmentStyles[k].fill, []vg.Point{{X: x, Y: y - box/2}, {X: x + box, Y: y - box/2}, {X: x + box, Y: y + box/2}, {X: x, Y: y + box/2}})
		c.FillText(ts, vg.Point{X: x + box + vg.Points(4), Y: y}, name)
		x += w + gap
	}
}

// BlockingSeries is one line of PlotBlocking: the runs of a sweep, drawn
// as points, and their median per x, drawn as a line.
type BlockingSeries struct {
	Name   string
	Points []Point
}

// Medians returns, for each distinct X of the points in increasing order,
// the median of their Blocked.
func Medians(pts []Point) (xs []netsim.Time, meds []netsim.Time) {
	by := map[netsim.Time][]netsim.Time{}
	for _, p := range pts {
		by[p.X] = append(by[p.X], p.Blocked)
	}
	for x := range by {
		xs = append(xs, x)
	}
	slices.Sort(xs)
	for _, x := range xs {
		v := by[x]
		sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
		meds = append(meds, v[len(v)/2])
	}
	return xs, meds
}

// xy returns the series' points in milliseconds: X, and Blocked.
func (s BlockingSeries) xy() (px, py []float64) {
	for _, p := range s.Points {
		px, py = append(px, msOf(p.X)), append(py, msOf(p.Blocked))
	}
	return px, py
}

// PlotBlockingVsDowntime draws, on log–log axes, how long participants
// stay blocked (the longest per run) against how long the coordinator is
// down: each run a marker, each series' median a line.
func PlotBlockingVsDowntime(title string, series ...BlockingSeries) (*plot.Plot, error) {
	var ss []plots.Series
	for i, s := range series {
		px, py := s.xy()
		xs, meds := Medians(s.Points)
		var lx, ly []float64
		for k := range xs {
			lx, ly = append(lx, msOf(xs[k])), append(ly, msOf(meds[k]))
		}
		ss = append(ss, plots.Series{X: px, Y: py, Style: plots.Points, Color: i},
			plots.Series{Name: s.Name, X: lx, Y: ly, Style: plots.LinePoints, Color: i})
	}
	return plots.Chart(plots.ChartOptions{Title: title, XLabel: "coordinator down for (ms)",
		YLabel: "longest blocking window (ms)", LogX: true, LogY: true, LegendBottom: true}, ss...)
}

// PlotBlockingVsCrashTime draws the longest blocking window of each run
// against the time the coordinator crashed, relative to its Prepare.
func PlotBlockingVsCrashTime(title string, series ...BlockingSeries) (*plot.Plot, error) {
	var ss []plots.Series
	for i, s := range series {
		px, py := s.xy()
		ss = append(ss, plots.Series{Name: s.Name, X: px, Y: py, Style: plots.Points, Color: i})
	}
	return plots.Chart(plots.ChartOptions{Title: title, XLabel: "coordinator crashes at (ms after it sent Prepare)",
		YLabel: "longest blocking window (ms)"}, ss...)
}

// SpaceTimeLabel names a record in PlotSpaceTime: the message at its send
// ("prepare", "yes", "no", "commit", "abort", "ack", "query", "prepared",
// "T1:=abort", "=commit"), timeouts, crashes and restarts.
func SpaceTimeLabel(rec netsim.Record) string {
	switch rec.Op {
	case netsim.OpCrash:
		return "CRASH"
	case netsim.OpRestart:
		return "restart"
	case netsim.OpTimer:
		switch rec.Msg.(type) {
		case decisionTimeout:
			return "timeout"
		case voteTimeout:
			return "vote timeout"
		case prepareTimeout:
			return "prepare timeout"
		}
		return ""
	case netsim.OpDeliver, netsim.OpDrop:
		return ""
	}
	switch m := rec.Msg.(type) {
	case Prepare:
		return "prepare"
	case VoteMsg:
		if m.Yes {
			return "yes"
		}
		return "no"
	case Decision:
		return string(m.Outcome)
	case Ack:
		return "ack"
	case Query:
		return "query"
	case StateReply:
		return m.State.String()
	case replication.Submit:
		return m.Cmd.Key + ":=" + m.Cmd.Value
	case replication.Result:
		return "=" + m.Value
	case replication.Redirect:
		return "redirect"
	case replication.AppendEntries:
		return "append"
	case replication.AppendReply:
		return "ok"
	}
	return fmt.Sprint(rec.Msg)
}

// MaxSpaceTimeEvents bounds the events PlotSpaceTime draws.
const MaxSpaceTimeEvents = 120

// PlotSpaceTime draws the messages of the run between from and to (to = 0:
// the end) as a space-time diagram, events spaced evenly in the order
// they happened (the transcript has their times): the coordinator, the
// participants and, under RaftDecision, the replicas, of whose messages
// to one another only those that replicate entries (and their replies)
// are drawn. A message to a crashed process ends at its
// line, marked "dropped"; one lost by the network is a stub with a cross.
// A message sent to several processes at once is labelled once.
func PlotSpaceTime(r *Run, from, to netsim.Time, title string) (*plot.Plot, error) {
	if r == nil || len(r.Trace) == 0 {
		return nil, fmt.Errorf("transactions: PlotSpaceTime of an empty run")
	}
	if to <= 0 {
		to = r.Config.End
	}
	if from < 0 || to <= from {
		return nil, fmt.Errorf("transactions: PlotSpaceTime: window [%v, %v] is empty", from, to)
	}
	lanes := netsim.Lanes(append(append([]netsim.NodeID{Coordinator}, r.Config.participants()...), r.Config.replicas()...)...)
	reps := r.Config.replicas()
	late := r.Trace.ArrivingAfter(to)
	// The group's messages that replicate entries, and the replies to
	// them, are drawn; its heartbeats and elections are not.
	type at struct {
		node netsim.NodeID
		t    netsim.Time
	}
	appended := map[at]bool{}
	for _, rec := range r.Trace {
		if ae, ok := rec.Msg.(replication.AppendEntries); ok && rec.Op == netsim.OpDeliver && len(ae.Entries) > 0 {
			appended[at{rec.To, rec.Time}] = true
		}
	}
	replicating := func(rec netsim.Record) bool {
		switch m := rec.Msg.(type) {
		case replication.AppendEntries:
			return len(m.Entries) > 0
		case replication.AppendReply:
			return rec.Op == netsim.OpSend && appended[at{rec.From, rec.Time}] ||
				rec.Op != netsim.OpSend && appended[at{rec.From, rec.Sent}]
		}
		return false
	}
	skip := func(rec netsim.Record) bool {
		switch {
		case rec.Time < from || rec.Time > to:
			return true
		case rec.Op == netsim.OpSend && late[rec.ID]:
			return true
		case slices.Contains(reps, rec.From) && slices.Contains(reps, rec.To):
			return !replicating(rec)
		case rec.Op == netsim.OpTimer:
			return SpaceTimeLabel(rec) == ""
		case rec.Op == netsim.OpOutput:
			return true // the decisions show in the messages
		}
		return false
	}
	h, labels, err := r.Trace.History(netsim.HistoryOptions{Lanes: lanes, Label: SpaceTimeLabel, Skip: skip})
	if err != nil {
		return nil, fmt.Errorf("transactions: %w", err)
	}
	if len(h.Events) > MaxSpaceTimeEvents {
		return nil, fmt.Errorf("transactions: PlotSpaceTime: %d events between %v and %v, at most %d can be drawn: choose a shorter window",
			len(h.Events), from, to, MaxSpaceTimeEvents)
	}
	h = h.EvenlySpaced()
	// One label per kind of message a node sends at one instant (a
	// broadcast is labelled once), and short labels for drops.
	type key struct {
		node  int
		at    float64
		label string
	}
	seen := map[key]bool{}
	for i, ev := range h.Events {
		if strings.HasPrefix(labels[i], "dropped") {
			labels[i] = "dropped"
		}
		k := key{ev.Node, ev.Time, labels[i]}
		if labels[i] != "" && seen[k] {
			labels[i] = ""
		}
		seen[k] = true
	}
	if title == "" {
		title = fmt.Sprintf("%s, %g–%g ms (seed %d)", r.Config.Protocol, msOf(from), msOf(to), r.Config.Seed)
	}
	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: title, Labels: labels, Unreceived: plots.Lost,
		XLabel: "events in the order they happened (times in the transcript)"})
	if err != nil {
		return nil, fmt.Errorf("transactions: %w", err)
	}
	p.X.Tick.Marker = plot.ConstantTicks(nil)
	return p, nil
}
