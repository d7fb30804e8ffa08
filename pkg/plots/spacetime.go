package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"github.com/dslessons/course/pkg/history"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SpaceTimeOptions configures SpaceTime.
type SpaceTimeOptions struct {
	Title string
	// Labels[e] is written above event e (for example its timestamp). Nil
	// means the events' names; otherwise it must have one entry per event.
	Labels []string
	// XLabel names the horizontal axis. By default events are placed at
	// their history.Event.Time when any is set ("time (ms)"), otherwise at
	// their position in the execution ("step").
	XLabel string
	// Highlight lists events to draw in red (for example two concurrent
	// events under discussion).
	Highlight []int
}

// Colours used by the diagrams.
var (
	nodeLineColor = color.Gray{Y: 150}
	messageColor  = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	lostColor     = color.RGBA{R: 200, G: 120, B: 0, A: 255}
	eventColor    = color.Black
	highColor     = color.RGBA{R: 214, G: 39, B: 40, A: 255}
)

// SpaceTime draws a space-time diagram of h: one horizontal line per node
// (the first node at the top), time running left to right, one dot per
// event, one arrow per message from its send to its receive. A message that
// was never received ends in a short dashed stub with a cross.
func SpaceTime(h *history.History, opt SpaceTimeOptions) (*plot.Plot, error) {
	st, timed, err := newSpaceTime(h, opt)
	if err != nil {
		return nil, err
	}
	p := plot.New()
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
	p.Add(st)
	if timed {
		p.X.Tick.Marker = CleanTicks{}
	} else {
		p.X.Tick.Marker = IntegerTicks{}
	}
	xmin, xmax, _, _ := st.DataRange()
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = -0.6, float64(len(h.Nodes))-0.4
	return p, nil
}

// newSpaceTime validates the input and lays the events out.
func newSpaceTime(h *history.History, opt SpaceTimeOptions) (st *spaceTime, timed bool, err error) {
	if h == nil {
		return nil, false, errors.New("plots: nil history")
	}
	if opt.Labels != nil && len(opt.Labels) != len(h.Events) {
		return nil, false, fmt.Errorf("plots: %d labels for %d events", len(opt.Labels), len(h.Events))
	}
	for _, e := range opt.Highlight {
		if e < 0 || e >= len(h.Events) {
			return nil, false, fmt.Errorf("plots: highlighted event %d does not exist (history has %d events)", e, len(h.Events))
		}
	}
	st = &spaceTime{h: h, x: make([]float64, len(h.Events)), labels: opt.Labels, high: map[int]bool{}}
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
	return st, timed, nil
}

type spaceTime struct {
	h      *history.History
	x      []float64
	labels []string
	high   map[int]bool
}

func (s *spaceTime) y(e int) float64 { return float64(len(s.h.Nodes) - 1 - s.h.Events[e].Node) }

// stub is how far (in x units) a lost message's arrow reaches.
func (s *spaceTime) stub() float64 {
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, x := range s.x {
		xmin, xmax = min(xmin, x), max(xmax, x)
	}
	if len(s.x) == 0 || xmax == xmin {
		return 0.6
	}
	return (xmax - xmin) / 20
}

// DataRange implements plot.DataRanger.
func (s *spaceTime) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, x := range s.x {
		xmin, xmax = min(xmin, x), max(xmax, x)
	}
	if len(s.x) == 0 {
		xmin, xmax = 0, 1
	}
	pad := math.Max((xmax-xmin)*0.05, 0.5)
	lost := false
	for _, m := range s.h.Messages {
		if m.Receive < 0 {
			lost = true
		}
	}
	hi := xmax + pad
	if lost {
		hi = math.Max(hi, xmax+s.stub()+pad)
	}
	return xmin - pad, hi, 0, float64(len(s.h.Nodes) - 1)
}

// Plot implements plot.Plotter.
func (s *spaceTime) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	xmin, xmax, _, _ := s.DataRange()
	// Node lines.
	for n := range s.h.Nodes {
		y := ty(float64(len(s.h.Nodes) - 1 - n))
		c.StrokeLine2(draw.LineStyle{Color: nodeLineColor, Width: vg.Points(1)}, tx(xmin), y, tx(xmax), y)
	}
	// Messages.
	for _, m := range s.h.Messages {
		from := vg.Point{X: tx(s.x[m.Send]), Y: ty(s.y(m.Send))}
		if m.Receive >= 0 {
			to := vg.Point{X: tx(s.x[m.Receive]), Y: ty(s.y(m.Receive))}
			arrow(c, from, to, draw.LineStyle{Color: messageColor, Width: vg.Points(1.2)}, true)
			continue
		}
		// Lost: a dashed stub towards the destination, ending in a cross.
		dy := float64(len(s.h.Nodes)-1-m.To) - s.y(m.Send)
		to := vg.Point{X: tx(s.x[m.Send] + s.stub()), Y: ty(s.y(m.Send) + dy*0.35)}
		ls := draw.LineStyle{Color: lostColor, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
		arrow(c, from, to, ls, false)
		d := vg.Points(3)
		solid := draw.LineStyle{Color: lostColor, Width: vg.Points(1.5)}
		c.StrokeLine2(solid, to.X-d, to.Y-d, to.X+d, to.Y+d)
		c.StrokeLine2(solid, to.X-d, to.Y+d, to.X+d, to.Y-d)
	}
	// Events and their labels.
	fnt := font.From(plot.DefaultFont, vg.Points(8))
	ts := text.Style{Color: eventColor, Font: fnt, XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
	for e := range s.h.Events {
		pt := vg.Point{X: tx(s.x[e]), Y: ty(s.y(e))}
		col := color.Color(eventColor)
		if s.high[e] {
			col = highColor
		}
		sty := draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		c.DrawGlyph(sty, pt)
		if s.labels[e] != "" {
			lts := ts
			lts.Color = col
			at := vg.Point{X: pt.X, Y: pt.Y + vg.Points(4)}
			// A message arriving from above would cross a label written
			// above the dot: write it below instead.
			if ev := s.h.Events[e]; ev.Kind == history.Receive && ev.Peer < ev.Node {
				lts.YAlign = draw.YTop
				at.Y = pt.Y - vg.Points(4)
			}
			c.FillText(lts, at, s.labels[e])
		}
	}
}

// arrow draws a line from a to b with an arrowhead at b.
func arrow(c draw.Canvas, a, b vg.Point, ls draw.LineStyle, head bool) {
	c.StrokeLine2(ls, a.X, a.Y, b.X, b.Y)
	if !head {
		return
	}
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	ux, uy := dx/l, dy/l
	size := float64(vg.Points(6))
	// Stop the head at the event dot's edge.
	tip := vg.Point{X: b.X - vg.Length(ux*float64(vg.Points(3))), Y: b.Y - vg.Length(uy*float64(vg.Points(3)))}
	for _, ang := range []float64{0.4, -0.4} {
		cx := math.Cos(ang)*(-ux) - math.Sin(ang)*(-uy)
		cy := math.Sin(ang)*(-ux) + math.Cos(ang)*(-uy)
		solid := ls
		solid.Dashes = nil
		c.StrokeLine2(solid, tip.X, tip.Y, tip.X+vg.Length(cx*size), tip.Y+vg.Length(cy*size))
	}
}
