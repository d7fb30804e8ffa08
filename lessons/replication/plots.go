package replication

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dslessons/course/pkg/etcdraft"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
)

// Okabe–Ito colours, safe for colour-blind readers.
var (
	okabeIto = []color.RGBA{
		{0x56, 0xB4, 0xE9, 255}, // sky blue
		{0xE6, 0x9F, 0x00, 255}, // orange
		{0x00, 0x9E, 0x73, 255}, // bluish green
		{0xF0, 0xE4, 0x42, 255}, // yellow
		{0x00, 0x72, 0xB2, 255}, // blue
		{0xD5, 0x5E, 0x00, 255}, // vermillion
		{0xCC, 0x79, 0xA7, 255}, // reddish purple
	}
	lineColors = []color.RGBA{okabeIto[4], okabeIto[5], okabeIto[2], okabeIto[6], okabeIto[1], okabeIto[0], {0, 0, 0, 255}}
	lineDashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(2)}, {vg.Points(2), vg.Points(2)}, {vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}
	guideColor = color.Gray{Y: 110}
)

// TermColor is the colour of entries of term t in the log diagrams.
func TermColor(t int) color.RGBA {
	if t < 1 {
		return color.RGBA{0xDD, 0xDD, 0xDD, 255}
	}
	return okabeIto[(t-1)%len(okabeIto)]
}

// pale mixes c with white: entries not yet committed.
func pale(c color.RGBA) color.RGBA {
	mix := func(v uint8) uint8 { return uint8((int(v) + 2*255) / 3) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

// darkBackground reports whether white text reads better on c.
func darkBackground(c color.RGBA) bool {
	return 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) < 140
}

func msOf(t netsim.Time) float64 { return float64(t) / float64(netsim.Millisecond) }

// LogDiagramMax is the longest log PlotLogs draws; longer logs show their
// last LogDiagramMax entries.
const LogDiagramMax = 60

// PlotLogs draws every replica's log at one instant, as in the figures of
// the Raft paper: one row per replica, one box per entry, coloured and
// numbered by term; entries beyond the replica's commit index are pale
// with a dashed outline, and a thick bar marks the commit index. Logs of
// at most 12 entries also show each entry's command.
func PlotLogs(s Snapshot, title string) (*plot.Plot, error) {
	if len(s.Nodes) == 0 {
		return nil, fmt.Errorf("replication: PlotLogs: snapshot without replicas")
	}
	d := newLogDiagram(s)
	p := plot.New()
	p.Title.Text = title
	if p.Title.Text == "" {
		p.Title.Text = fmt.Sprintf("Logs at %g ms", msOf(s.At))
	}
	p.X.Label.Text = "log index (number in a box: the entry's term; pale: not yet committed at that replica; bar: commit index)"
	p.X.Label.TextStyle.Font.Size = vg.Points(9)
	p.Add(d)
	ticks := make([]plot.Tick, len(s.Nodes))
	for i, n := range s.Nodes {
		label := fmt.Sprintf("%s %s t%d", n.ID, n.Role, n.Term)
		if n.Crashed {
			label = fmt.Sprintf("%s crashed t%d", n.ID, n.Term)
		}
		ticks[i] = plot.Tick{Value: d.y(i), Label: label}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.X.Min, p.X.Max = float64(d.first)-0.6, float64(max(d.last, d.first))+0.6
	p.Y.Min, p.Y.Max = -0.6, float64(len(s.Nodes))-0.4
	return p, nil
}

type logDiagram struct {
	s           Snapshot
	first, last int  // the indexes drawn
	detail      bool // commands written in the boxes
}

func newLogDiagram(s Snapshot) *logDiagram {
	d := &logDiagram{s: s}
	for _, n := range s.Nodes {
		d.last = max(d.last, n.Log.LastIndex())
	}
	d.first = max(1, d.last-LogDiagramMax+1)
	d.detail = d.last-d.first < 12
	return d
}

func (d *logDiagram) y(row int) float64 { return float64(len(d.s.Nodes) - 1 - row) }

func (d *logDiagram) DataRange() (xmin, xmax, ymin, ymax float64) {
	return float64(d.first) - 0.6, float64(max(d.last, d.first)) + 0.6, -0.6, float64(len(d.s.Nodes)) - 0.4
}

func (d *logDiagram) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	size := vg.Points(8)
	if d.detail {
		size = vg.Points(9)
	}
	ts := text.Style{Font: font.From(plot.DefaultFont, size), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	for r, n := range d.s.Nodes {
		y := d.y(r)
		for i := d.first; i <= n.Log.LastIndex(); i++ {
			e := n.Log[i-1]
			x := float64(i)
			fill := TermColor(e.Term)
			outline := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
			if i > n.Commit {
				fill = pale(fill)
				outline.Dashes = []vg.Length{vg.Points(2), vg.Points(1.5)}
				outline.Color = guideColor
			}
			pts := []vg.Point{{X: tx(x - 0.44), Y: ty(y - 0.32)}, {X: tx(x + 0.44), Y: ty(y - 0.32)},
				{X: tx(x + 0.44), Y: ty(y + 0.32)}, {X: tx(x - 0.44), Y: ty(y + 0.32)}}
			c.FillPolygon(fill, pts)
			c.StrokeLines(outline, append(pts, pts[0]))
			lts := ts
			lts.Color = color.Black
			if i <= n.Commit && darkBackground(fill) {
				lts.Color = color.White
			}
			label := fmt.Sprint(e.Term)
			if d.detail {
				label = fmt.Sprintf("t%d\n%s", e.Term, shortCmd(e.Cmd))
			}
			c.FillText(lts, vg.Point{X: tx(x), Y: ty(y)}, label)
		}
		if n.Commit >= d.first-1 && n.Commit > 0 {
			x := tx(float64(n.Commit) + 0.5)
			c.StrokeLine2(draw.LineStyle{Color: color.Black, Width: vg.Points(3)}, x, ty(y-0.45), x, ty(y+0.45))
		}
	}
}

// shortCmd is a command as written in a log box: "x=2", or "no-op".
func shortCmd(c Command) string {
	if c.IsNoOp() {
		return "no-op"
	}
	return c.Key + "=" + c.Value
}

// CommitSeries is the data behind one line of PlotCommitIndex: replica
// i's commit index (or, with lastIndex, its log length) over time, in ms,
// as a step function extended to the end of the run.
func CommitSeries(r *Run, i int, lastIndex bool) plotter.XYs {
	pts := r.Commit
	if lastIndex {
		pts = r.LastIndex
	}
	if i < 0 || i >= len(pts) {
		return nil
	}
	xy := plotter.XYs{{X: 0, Y: 0}}
	for _, p := range pts[i] {
		xy = append(xy, plotter.XY{X: msOf(p.At), Y: float64(p.Value)})
	}
	return append(xy, plotter.XY{X: msOf(r.Config.End), Y: xy[len(xy)-1].Y})
}

// PlotCommitIndex draws each replica's commit index over the run, the log
// length of the replicas named in logs (dotted), and a dashed vertical
// line at each fault.
func PlotCommitIndex(r *Run, logs ...netsim.NodeID) (*plot.Plot, error) {
	if r == nil || len(r.Commit) == 0 {
		return nil, fmt.Errorf("replication: PlotCommitIndex: empty run")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Commit index over time, %s (seed %d)", r.Impl, r.Config.Seed)
	p.X.Label.Text = "time (ms)"
	p.Y.Label.Text = "log index"
	p.X.Tick.Marker = plots.CleanTicks{}
	p.Y.Tick.Marker = plots.IntegerTicks{}
	p.Add(plotter.NewGrid())
	ymax := 1.0
	for i, id := range r.Members {
		col := lineColors[i%len(lineColors)]
		xy := CommitSeries(r, i, false)
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("replication: %w", err)
		}
		l.StepStyle, l.Color, l.Width, l.Dashes = plotter.PostStep, col, vg.Points(1.8), lineDashes[i%len(lineDashes)]
		p.Add(l)
		p.Legend.Add(string(id)+" commit index", l)
		for _, pt := range xy {
			ymax = max(ymax, pt.Y)
		}
		for _, show := range logs {
			if show != id {
				continue
			}
			ll, err := plotter.NewLine(CommitSeries(r, i, true))
			if err != nil {
				return nil, fmt.Errorf("replication: %w", err)
			}
			ll.StepStyle, ll.Color, ll.Width = plotter.PostStep, col, vg.Points(1)
			ll.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
			p.Add(ll)
			p.Legend.Add(string(id)+" log length", ll)
			for _, pt := range CommitSeries(r, i, true) {
				ymax = max(ymax, pt.Y)
			}
		}
	}
	var labels plotter.XYLabels
	for _, n := range r.Notes {
		if !n.Fault {
			continue
		}
		x := msOf(n.At)
		v, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: ymax * 1.08}})
		if err != nil {
			return nil, fmt.Errorf("replication: %w", err)
		}
		v.Color, v.Dashes, v.Width = guideColor, []vg.Length{vg.Points(4), vg.Points(2)}, vg.Points(1)
		p.Add(v)
		labels.XYs = append(labels.XYs, plotter.XY{X: x, Y: ymax * 1.1})
		labels.Labels = append(labels.Labels, shortNote(n.Text))
	}
	if len(labels.XYs) > 0 {
		lb, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, fmt.Errorf("replication: %w", err)
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Size = vg.Points(8)
			lb.TextStyle[i].XAlign = draw.XCenter
		}
		p.Add(lb)
	}
	p.X.Min, p.X.Max = 0, msOf(r.Config.End)
	p.Y.Min, p.Y.Max = 0, ymax*1.18
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	p.Legend.ThumbnailWidth = vg.Points(20)
	return p, nil
}

// shortNote abbreviates a fault note for a plot label.
func shortNote(s string) string {
	switch {
	case strings.HasPrefix(s, "partition"):
		return "partition"
	case strings.HasPrefix(s, "heal"):
		return "heal"
	case strings.HasPrefix(s, "crash "):
		return strings.Fields(s)[0] + " " + strings.Fields(s)[1]
	case strings.HasPrefix(s, "restart "):
		return s
	}
	return strings.Fields(s)[0]
}

// SpaceTimeLabel is the label PlotSpaceTime writes at a send: a short
// name for the message: "AE [1 1]" (AppendEntries with the terms of its
// entries), "hb" (a heartbeat), "ok 3" (a reply with its match index),
// "RV", "vote", "x=2" (a Submit), "done" (a Result); etcd's messages
// likewise, with "App c2" for an append that only carries commit index 2.
func SpaceTimeLabel(rec netsim.Record) string {
	switch rec.Op {
	case netsim.OpSend:
	case netsim.OpTimer:
		return "timeout"
	case netsim.OpCrash:
		return "CRASH"
	case netsim.OpRestart:
		return "restart"
	default:
		return ""
	}
	switch m := rec.Msg.(type) {
	case AppendEntries:
		if len(m.Entries) == 0 {
			return "hb"
		}
		return "AE [" + Log(m.Entries).String() + "]"
	case AppendReply:
		if m.Success {
			return fmt.Sprintf("ok %d", m.Match)
		}
		return "no"
	case RequestVote:
		return "RV"
	case Vote:
		if m.Granted {
			return "vote"
		}
		return "no vote"
	case Submit:
		return shortCmd(m.Cmd)
	case Redirect:
		return "redirect"
	case Result:
		return "done"
	case Campaign:
		return "campaign"
	case etcdraft.Message:
		s := m.String()
		switch {
		case strings.HasPrefix(s, "MsgApp "):
			if i := strings.Index(s, "entries=["); i >= 0 {
				return "App [" + s[i+len("entries=["):strings.Index(s, "]")] + "]"
			}
			return "App c" + s[strings.LastIndex(s, "=")+1:]
		case strings.HasPrefix(s, "MsgAppResp") && strings.Contains(s, " ok "):
			return "ok " + s[strings.LastIndex(s, "=")+1:]
		case strings.HasPrefix(s, "MsgAppResp"):
			return "no"
		case strings.HasPrefix(s, "MsgHeartbeat "):
			return "hb"
		case strings.HasPrefix(s, "MsgHeartbeatResp"):
			return "hb ok"
		case strings.HasPrefix(s, "MsgVote "):
			return "RV"
		case strings.HasPrefix(s, "MsgVoteResp") && strings.HasSuffix(s, "granted"):
			return "vote"
		case strings.HasPrefix(s, "MsgVoteResp"):
			return "no vote"
		}
		return strings.Fields(s)[0]
	}
	return "send"
}

// PlotSpaceTime draws the messages of a traced run between from and to as
// a space-time diagram: replicas and clients as lines, messages as arrows
// labelled at their send (SpaceTimeLabel), election timeouts, crashes and
// restarts as dots. Events are spaced evenly in the order they happened
// (events at the same instant share a position; the transcript has their
// times); messages still in flight at to are left out.
func PlotSpaceTime(r *Run, from, to netsim.Time, title string) (*plot.Plot, error) {
	st, err := newSpaceTime(r, from, to)
	if err != nil {
		return nil, err
	}
	if title == "" {
		title = fmt.Sprintf("%s, %g–%g ms (seed %d)", r.Impl, msOf(from), msOf(to), r.Config.Seed)
	}
	p, err := plots.SpaceTime(st.h, plots.SpaceTimeOptions{Title: title, Labels: st.local,
		XLabel: "events in the order they happened (times in the transcript)"})
	if err != nil {
		return nil, fmt.Errorf("replication: %w", err)
	}
	p.X.Tick.Marker = plot.ConstantTicks(nil) // positions are ranks, not times
	p.Add(st)
	return p, nil
}

// spaceTime is the data behind PlotSpaceTime: the history, the labels of
// local events (for plots.SpaceTime) and of messages (drawn on their
// arrows by its Plot method).
type spaceTime struct {
	h      *history.History
	local  []string
	labels []string // by send event
}

func newSpaceTime(r *Run, from, to netsim.Time) (*spaceTime, error) {
	if r == nil || len(r.Trace) == 0 {
		return nil, fmt.Errorf("replication: PlotSpaceTime needs a run with Config.Trace set")
	}
	if from < 0 || to <= from {
		return nil, fmt.Errorf("replication: PlotSpaceTime: window [%v, %v] is empty", from, to)
	}
	late := r.Trace.ArrivingAfter(to)
	lanes := netsim.Lanes(r.Members...)
	for _, c := range r.Clients {
		lanes = append(lanes, netsim.Lane{Node: c.ID})
	}
	skip := func(rec netsim.Record) bool {
		if rec.Time < from || rec.Time > to {
			return true
		}
		switch rec.Op {
		case netsim.OpSend:
			return late[rec.ID]
		case netsim.OpTimer:
			t, ok := rec.Msg.(timerTag)
			return !ok || t.kind != electionTimer
		}
		return false
	}
	h, labels, err := r.Trace.History(netsim.HistoryOptions{Lanes: lanes, Label: SpaceTimeLabel, Skip: skip})
	if err != nil {
		return nil, fmt.Errorf("replication: %w", err)
	}
	if len(h.Events) > MaxSpaceTimeEvents {
		return nil, fmt.Errorf("replication: PlotSpaceTime: %d events between %v and %v, at most %d can be drawn: choose a shorter window",
			len(h.Events), from, to, MaxSpaceTimeEvents)
	}
	// Even spacing: a receive and the sends it causes share a position.
	h = h.EvenlySpaced()
	// Messages are labelled on their arrows; only local events keep a
	// label above their dot.
	msgLabel := make([]string, len(h.Events))
	for i, ev := range h.Events {
		if ev.Kind != history.Local {
			msgLabel[i], labels[i] = labels[i], ""
		}
	}
	return &spaceTime{h: h, local: labels, labels: msgLabel}, nil
}

// Plot writes each message's label on its arrow, on a white background:
// a third of the way from the send if that place is free, otherwise at the
// first of a few other places along the arrow where it overlaps no label
// already written and no event (labelSpots).
func (m *spaceTime) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	ts := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(7.5)), XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	pad := vg.Points(1)
	for _, l := range m.placeLabels(tx, ty, func(s string) (vg.Length, vg.Length) { return ts.Width(s) + 2*pad, ts.Height(s) }) {
		r := l.box
		c.FillPolygon(color.White, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
		c.FillText(ts, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, l.text)
	}
}

// labelSpots are the fractions of an arrow, from its send, where a
// message label may go, in order of preference.
var labelSpots = []float64{1.0 / 3, 0.5, 0.2, 2.0 / 3, 0.1, 0.8}

// placedLabel is a message label and the box it was given.
type placedLabel struct {
	text string
	box  vg.Rectangle
}

// placeLabels gives every message label a box on its arrow: the first of
// labelSpots where the box overlaps no box placed before and no event dot
// (the preferred spot if none is free). size measures a label.
func (m *spaceTime) placeLabels(tx, ty func(float64) vg.Length, size func(string) (vg.Length, vg.Length)) []placedLabel {
	y := func(e int) float64 { return float64(len(m.h.Nodes) - 1 - m.h.Events[e].Node) }
	// The event dots are obstacles too.
	var dots []vg.Rectangle
	r := vg.Points(6)
	for e, ev := range m.h.Events {
		at := vg.Point{X: tx(ev.Time), Y: ty(y(e))}
		dots = append(dots, vg.Rectangle{Min: vg.Point{X: at.X - r, Y: at.Y - r}, Max: vg.Point{X: at.X + r, Y: at.Y + r}})
	}
	var out []placedLabel
	for _, msg := range m.h.Messages {
		label := m.labels[msg.Send]
		if label == "" {
			continue
		}
		x0, y0 := m.h.Events[msg.Send].Time, y(msg.Send)
		x1, y1 := x0+0.8, y0
		if msg.Receive >= 0 {
			x1, y1 = m.h.Events[msg.Receive].Time, y(msg.Receive)
		}
		w, h := size(label)
		box := func(f float64) vg.Rectangle {
			at := vg.Point{X: tx(x0 + (x1-x0)*f), Y: ty(y0 + (y1-y0)*f)}
			return vg.Rectangle{Min: vg.Point{X: at.X - w/2, Y: at.Y - h/2}, Max: vg.Point{X: at.X + w/2, Y: at.Y + h/2}}
		}
		chosen := box(labelSpots[0])
		for _, f := range labelSpots {
			b := box(f)
			free := true
			for _, o := range out {
				free = free && !boxesOverlap(b, o.box)
			}
			for _, d := range dots {
				free = free && !boxesOverlap(b, d)
			}
			if free {
				chosen = b
				break
			}
		}
		out = append(out, placedLabel{text: label, box: chosen})
	}
	return out
}

func boxesOverlap(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// MaxSpaceTimeEvents bounds the events PlotSpaceTime draws.
const MaxSpaceTimeEvents = 150

// ElectionWindow is the span of a run's first election: from the first
// vote request of the first leader's term until 10 ms after it won (its
// first AppendEntries round).
func ElectionWindow(r *Run) (from, to netsim.Time, err error) {
	if len(r.Leaders) == 0 {
		return 0, 0, fmt.Errorf("replication: no leader was elected (seed %d)", r.Config.Seed)
	}
	l := r.Leaders[0]
	for _, rec := range r.Trace {
		if rec.Op == netsim.OpSend && rec.From == l.Node && SpaceTimeLabel(rec) == "RV" {
			from = rec.Time
		}
		if rec.Time >= l.At {
			break
		}
	}
	return from, l.At + 10*ms, nil
}

// CommandWindow is the span of the first command a leader accepted: from
// the client's send of the Submit the leader took until one heartbeat
// interval after the leader answered, so that the followers' commit
// index catches up.
func CommandWindow(r *Run) (from, to netsim.Time, err error) {
	for i, rec := range r.Trace {
		res, ok := rec.Msg.(Result)
		if rec.Op != netsim.OpSend || !ok {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			s := r.Trace[j]
			if sub, ok := s.Msg.(Submit); ok && s.Op == netsim.OpDeliver && s.To == rec.From && s.From == rec.To && sub.Cmd.Seq == res.Seq {
				from = s.Sent
			}
		}
		if from == 0 {
			break
		}
		return from, rec.Time + r.Config.Heartbeat, nil
	}
	return 0, 0, fmt.Errorf("replication: no command was acknowledged (seed %d)", r.Config.Seed)
}
