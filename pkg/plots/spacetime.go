package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"github.com/dslessons/course/pkg/history"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Fate is what became of a message that was never received. A diagram
// draws the two differently, the same way in every lesson, and says which
// is which in a legend under the lanes.
type Fate int

const (
	// InFlight: the message was still on its way when the history ends
	// (a run stopped, a random history cut off). Drawn as a dashed stub
	// towards its destination with an open end.
	InFlight Fate = iota
	// Lost: the network lost or dropped the message. Drawn as a dashed
	// stub ending in a cross.
	Lost
)

func (f Fate) String() string {
	switch f {
	case InFlight:
		return "in flight at the end"
	case Lost:
		return "lost"
	}
	return fmt.Sprintf("Fate(%d)", int(f))
}

// SpaceTimeOptions configures SpaceTime.
type SpaceTimeOptions struct {
	Title string
	// Labels[e] is written next to event e (for example its timestamp).
	// Nil means the events' names; otherwise it must have one entry per
	// event. Labels are placed so that none overlaps another label or an
	// event: above or below the event, shifted sideways, or one line
	// further out with a thin leader line to its event.
	Labels []string
	// XLabel names the horizontal axis. By default events are placed at
	// their history.Event.Time when any is set ("time (ms)"), otherwise at
	// their position in the execution ("step").
	XLabel string
	// Highlight lists events to draw larger and in vermillion (for example
	// two concurrent events under discussion).
	Highlight []int
	// Unreceived is the fate of the messages of h that were never
	// received: InFlight (the default, as in a random history cut off at
	// some step) or Lost (as in a run where the network drops messages).
	Unreceived Fate
	// Fates sets the fate of particular unreceived messages, by their
	// index in h.Messages, overriding Unreceived.
	Fates map[int]Fate
}

// Limits of SpaceTime: more lanes or events than this make a diagram
// nobody can read (and cost time to lay out).
const (
	MaxLanes  = 50
	MaxEvents = 2000
)

// maxNodes bounds the series of Evolution (one per node).
const maxNodes = MaxLanes

// Colours of the diagrams.
var (
	laneColor    = color.Gray{Y: 160}
	messageColor = Blue
	lostColor    = Orange
	eventColor   = Black
	highColor    = Vermillion
	leaderColor  = color.Gray{Y: 100}
)

// SpaceTime draws a space-time diagram of h: one horizontal line per node
// (the first node at the top), time running left to right, one dot per
// event, one arrow per message from its send to its receive. A message
// never received ends in a short dashed stub: with a cross when it was
// lost, open when it was still in flight (see Fate); a legend under the
// lanes says so whenever there is such a message.
func SpaceTime(h *history.History, opt SpaceTimeOptions) (*plot.Plot, error) {
	p, _, err := spaceTimePlot(h, opt)
	return p, err
}

// spaceTimePlot is SpaceTime, also returning the diagram's plotter for
// tests.
func spaceTimePlot(h *history.History, opt SpaceTimeOptions) (*plot.Plot, *spaceTime, error) {
	st, timed, err := newSpaceTime(h, opt)
	if err != nil {
		return nil, nil, err
	}
	p := New()
	p.Title.Text = opt.Title
	switch {
	case opt.XLabel != "":
		p.X.Label.Text = opt.XLabel
	case timed:
		p.X.Label.Text = "time (ms)"
	default:
		p.X.Label.Text = "step (position in the execution)"
	}
	p.Y.Label.Text = "node"
	names := make([]string, len(h.Nodes))
	for n, name := range h.Nodes {
		names[len(h.Nodes)-1-n] = name
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font = fontOf(TickSize)
	p.Add(st)
	if timed {
		p.X.Tick.Marker = CleanTicks{}
	} else {
		p.X.Tick.Marker = IntegerTicks{}
	}
	xmin, xmax, _, _ := st.DataRange()
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = -0.6, float64(len(h.Nodes))-0.4
	st.makeRoom(p)
	return p, st, nil
}

// newSpaceTime validates the input and lays the events out.
func newSpaceTime(h *history.History, opt SpaceTimeOptions) (st *spaceTime, timed bool, err error) {
	if h == nil {
		return nil, false, errors.New("plots: nil history")
	}
	if err := checkHistory(h); err != nil {
		return nil, false, err
	}
	if opt.Labels != nil && len(opt.Labels) != len(h.Events) {
		return nil, false, fmt.Errorf("plots: %d labels for %d events", len(opt.Labels), len(h.Events))
	}
	for _, e := range opt.Highlight {
		if e < 0 || e >= len(h.Events) {
			return nil, false, fmt.Errorf("plots: highlighted event %d does not exist (history has %d events)", e, len(h.Events))
		}
	}
	if opt.Unreceived != InFlight && opt.Unreceived != Lost {
		return nil, false, fmt.Errorf("plots: unknown fate %d for unreceived messages (InFlight or Lost)", int(opt.Unreceived))
	}
	for m, f := range opt.Fates {
		if m < 0 || m >= len(h.Messages) {
			return nil, false, fmt.Errorf("plots: fate given for message %d, which does not exist (history has %d messages)", m, len(h.Messages))
		}
		if h.Messages[m].Receive >= 0 {
			return nil, false, fmt.Errorf("plots: fate given for message %d, which was received", m)
		}
		if f != InFlight && f != Lost {
			return nil, false, fmt.Errorf("plots: unknown fate %d for message %d (InFlight or Lost)", int(f), m)
		}
	}
	st = &spaceTime{
		h: h, x: make([]float64, len(h.Events)), labels: opt.Labels,
		high: make([]bool, len(h.Events)), fate: make([]Fate, len(h.Messages)),
	}
	for _, ev := range h.Events {
		if ev.Time != 0 {
			timed = true
		}
	}
	for i, ev := range h.Events {
		if timed {
			st.x[i] = ev.Time
		} else {
			st.x[i] = float64(i + 1)
		}
	}
	if st.labels == nil {
		st.labels = make([]string, len(h.Events))
		for i := range h.Events {
			st.labels[i] = h.Name(i)
		}
	}
	for _, e := range opt.Highlight {
		st.high[e] = true
	}
	for m, msg := range h.Messages {
		if msg.Receive < 0 {
			st.fate[m] = opt.Unreceived
			if f, ok := opt.Fates[m]; ok {
				st.fate[m] = f
			}
			st.unreceived[st.fate[m]] = true
		}
	}
	return st, timed, nil
}

// checkHistory checks what SpaceTime relies on in a history, which may
// have been built by hand rather than by a history.Builder: sizes within
// the limits, indices in range, finite times.
func checkHistory(h *history.History) error {
	switch {
	case len(h.Nodes) == 0:
		return errors.New("plots: history has no nodes")
	case len(h.Nodes) > MaxLanes:
		return fmt.Errorf("plots: history has %d nodes; a space-time diagram shows at most %d", len(h.Nodes), MaxLanes)
	case len(h.Events) > MaxEvents:
		return fmt.Errorf("plots: history has %d events; a space-time diagram shows at most %d", len(h.Events), MaxEvents)
	case len(h.Messages) > len(h.Events):
		return fmt.Errorf("plots: history has %d messages but only %d events", len(h.Messages), len(h.Events))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, ev := range h.Events {
		if ev.Node < 0 || ev.Node >= len(h.Nodes) {
			return fmt.Errorf("plots: event %d is on node %d, which does not exist (history has %d nodes)", i, ev.Node, len(h.Nodes))
		}
		if !finite(ev.Time) {
			return fmt.Errorf("plots: event %d has time %v; times must be finite", i, ev.Time)
		}
		lo, hi = min(lo, ev.Time), max(hi, ev.Time)
	}
	if len(h.Events) > 0 && math.IsInf(hi-lo, 0) {
		return fmt.Errorf("plots: event times span [%v, %v], wider than float64 can measure; scale them", lo, hi)
	}
	for m, msg := range h.Messages {
		if msg.Send < 0 || msg.Send >= len(h.Events) || msg.Receive < -1 || msg.Receive >= len(h.Events) {
			return fmt.Errorf("plots: message %d refers to events %d and %d; history has %d events", m, msg.Send, msg.Receive, len(h.Events))
		}
		if msg.To < 0 || msg.To >= len(h.Nodes) {
			return fmt.Errorf("plots: message %d goes to node %d, which does not exist (history has %d nodes)", m, msg.To, len(h.Nodes))
		}
	}
	return nil
}

type spaceTime struct {
	h          *history.History
	x          []float64
	labels     []string
	high       []bool
	fate       []Fate // of each message; meaningful for unreceived ones
	unreceived [2]bool
}

func (s *spaceTime) y(e int) float64 { return s.lane(s.h.Events[e].Node) }

func (s *spaceTime) lane(n int) float64 { return float64(len(s.h.Nodes) - 1 - n) }

// span is the range of the events' x positions.
func (s *spaceTime) span() (lo, hi float64) {
	if len(s.x) == 0 {
		return 0, 1
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range s.x {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

// stub is how far (in x units) an unreceived message's stub reaches.
func (s *spaceTime) stub() float64 {
	lo, hi := s.span()
	if hi > lo {
		return (hi - lo) / 20
	}
	return pad1(lo)
}

// pad1 is a visible margin around a single value v: 0.6, or a tenth of v
// where adding 0.6 would not change it.
func pad1(v float64) float64 {
	d := 0.6
	if v+d == v || v-d == v {
		d = math.Abs(v) / 10
	}
	return d
}

func (s *spaceTime) hasLegend() bool { return s.unreceived[InFlight] || s.unreceived[Lost] }

// DataRange implements plot.DataRanger.
func (s *spaceTime) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := s.span()
	pad := max((hi-lo)*0.04, pad1(lo))
	if hi == lo {
		pad = pad1(lo)
	}
	right := hi + pad
	if s.hasLegend() {
		right = max(right, hi+s.stub()+pad/2)
	}
	return lo - pad, right, 0, float64(len(s.h.Nodes) - 1)
}

// Geometry of the drawing, in points.
const (
	dotRadius  = 3.2
	highRadius = 4.6
	labelGap   = 2.5 // between a dot and its label
	labelPad   = 1.2 // white margin around a label's text
	bandHeight = 16  // the legend's band under the lanes
)

func pts(v float64) vg.Length { return vg.Points(v) }

// makeRoom extends the y axis, for the size pictures are laid out for, so
// that two lines of labels fit above the top lane and below the bottom one
// and, when there is a legend, its band fits under everything.
func (s *spaceTime) makeRoom(p *plot.Plot) {
	c := layoutCanvas(p)
	lanes := float64(len(s.h.Nodes))
	perUnit := float64(c.Max.Y-c.Min.Y) / (p.Y.Max - p.Y.Min)
	if perUnit <= 0 || math.IsNaN(perUnit) {
		return
	}
	h := float64(s.labelStyle(false).Rectangle("[0]").Size().Y) + 2*labelPad
	need := (dotRadius + labelGap + 2*h + 2) // two lines of labels
	room := min(max(0.4, need/perUnit), 0.75)
	p.Y.Max = lanes - 1 + room
	p.Y.Min = -room
	if s.hasLegend() {
		// The band's height in axis units, solved for the new range.
		total := (lanes - 1 + 2*room)
		band := bandHeight + 4.0
		height := float64(c.Max.Y - c.Min.Y)
		if height > band {
			p.Y.Min -= total * band / (height - band)
		}
	}
}

// Plot implements plot.Plotter.
func (s *spaceTime) Plot(c draw.Canvas, plt *plot.Plot) {
	l := s.layout(c, plt)
	xmin, xmax, _, _ := s.DataRange()
	tx, ty := plt.Transforms(&c)
	for n := range s.h.Nodes {
		y := ty(s.lane(n))
		c.StrokeLine2(draw.LineStyle{Color: laneColor, Width: pts(1)}, tx(xmin), y, tx(xmax), y)
	}
	for m, msg := range s.h.Messages {
		seg := l.messages[m]
		switch {
		case msg.Receive >= 0:
			arrow(c, seg[0], seg[1], draw.LineStyle{Color: messageColor, Width: pts(1.3)}, l.radius[msg.Receive])
		case s.fate[m] == Lost:
			lostStub(c, seg[0], seg[1])
		default:
			inFlightStub(c, seg[0], seg[1])
		}
	}
	for _, b := range l.labels {
		if b.leader {
			c.StrokeLine2(draw.LineStyle{Color: leaderColor, Width: pts(0.7)}, b.leaderFrom.X, b.leaderFrom.Y, b.leaderTo.X, b.leaderTo.Y)
		}
	}
	for e, pt := range l.dots {
		sty := draw.GlyphStyle{Color: eventColor, Radius: pts(dotRadius), Shape: draw.CircleGlyph{}}
		if s.high[e] {
			sty = draw.GlyphStyle{Color: highColor, Radius: pts(highRadius), Shape: draw.CircleGlyph{}}
		}
		c.DrawGlyph(sty, pt)
	}
	for _, b := range l.labels {
		c.SetColor(color.White)
		c.Fill(b.box.Path())
		c.FillText(s.labelStyle(s.high[b.event]), b.at, s.labels[b.event])
	}
	if s.hasLegend() {
		s.drawLegend(c, l.band)
	}
}

// labelStyle is the text style of event labels.
func (s *spaceTime) labelStyle(high bool) textStyle {
	sty := textStyle{Color: eventColor, Font: fontOf(NoteSize), XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
	if high {
		sty.Color = highColor
		sty.Font = boldFont(NoteSize)
	}
	return sty
}

// drawLegend writes what the kinds of message lines mean, in a row in the
// band under the lanes.
func (s *spaceTime) drawLegend(c draw.Canvas, band vg.Rectangle) {
	sty := textStyle{Color: eventColor, Font: fontOf(NoteSize + 0.5), XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	x := band.Min.X + pts(4)
	y := (band.Min.Y + band.Max.Y) / 2
	entry := func(name string, sample func(a, b vg.Point)) {
		a, b := vg.Point{X: x, Y: y - pts(3)}, vg.Point{X: x + pts(24), Y: y + pts(3)}
		sample(a, b)
		x = b.X + pts(8)
		c.FillText(sty, vg.Point{X: x, Y: y}, name)
		x += sty.Width(name) + pts(16)
	}
	entry("message", func(a, b vg.Point) {
		arrow(c, a, b, draw.LineStyle{Color: messageColor, Width: pts(1.3)}, 0)
	})
	if s.unreceived[Lost] {
		entry("lost (never arrived)", func(a, b vg.Point) { lostStub(c, a, b) })
	}
	if s.unreceived[InFlight] {
		entry("still in flight at the end", func(a, b vg.Point) { inFlightStub(c, a, b) })
	}
}

// lostStub draws a lost message: dashed, ending in a cross.
func lostStub(c draw.Canvas, from, to vg.Point) {
	ls := draw.LineStyle{Color: lostColor, Width: pts(1.4), Dashes: []vg.Length{pts(3), pts(2)}}
	c.StrokeLine2(ls, from.X, from.Y, to.X, to.Y)
	d := pts(3.2)
	solid := draw.LineStyle{Color: lostColor, Width: pts(1.8)}
	c.StrokeLine2(solid, to.X-d, to.Y-d, to.X+d, to.Y+d)
	c.StrokeLine2(solid, to.X-d, to.Y+d, to.X+d, to.Y-d)
}

// inFlightStub draws a message still in flight: dashed, with an open end
// (a small open circle where it has got to).
func inFlightStub(c draw.Canvas, from, to vg.Point) {
	ls := draw.LineStyle{Color: messageColor, Width: pts(1.3), Dashes: []vg.Length{pts(1.5), pts(2)}}
	c.StrokeLine2(ls, from.X, from.Y, to.X, to.Y)
	c.DrawGlyph(draw.GlyphStyle{Color: messageColor, Radius: pts(2.2), Shape: draw.RingGlyph{}}, to)
}

// arrow draws a line from a to b with an arrowhead that stops short of b
// by back (the radius of the dot there).
func arrow(c draw.Canvas, a, b vg.Point, ls draw.LineStyle, back vg.Length) {
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	l := math.Hypot(dx, dy)
	if l <= float64(back) {
		c.StrokeLine2(ls, a.X, a.Y, b.X, b.Y)
		return
	}
	ux, uy := dx/l, dy/l
	// Stop the head at the event dot's edge.
	back += pts(0.3)
	tip := vg.Point{X: b.X - vg.Length(ux*float64(back)), Y: b.Y - vg.Length(uy*float64(back))}
	c.StrokeLine2(ls, a.X, a.Y, tip.X, tip.Y)
	size := float64(pts(6.5))
	for _, ang := range []float64{0.38, -0.38} {
		cx := math.Cos(ang)*(-ux) - math.Sin(ang)*(-uy)
		cy := math.Sin(ang)*(-ux) + math.Cos(ang)*(-uy)
		solid := ls
		solid.Dashes = nil
		c.StrokeLine2(solid, tip.X, tip.Y, tip.X+vg.Length(cx*size), tip.Y+vg.Length(cy*size))
	}
}
