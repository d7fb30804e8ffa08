package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LogY makes p's y axis logarithmic, with LogTicks, and keeps its label
// where it belongs. Every y value of the plot must be > 0. Style the
// axis label before calling it (a label restyled afterwards is left to
// gonum); a tick marker set afterwards replaces LogTicks. A nil plot is
// left alone.
//
// gonum/plot (v0.17) measures a centred axis label at the arithmetic
// middle of the axis's range, which on a logarithmic axis lies near its
// top: the label then seems to stick out of the plot, and the layout
// shrinks the data area by a large blank band to make room for it. So the
// label gonum lays out is made invisible and tiny (its room is kept as
// padding), and a plotter draws the real label where gonum would have.
func LogY(p *plot.Plot) {
	if p == nil {
		return
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = LogTicks{}
	fixLabel(p, true)
}

// LogX is LogY for the x axis.
func LogX(p *plot.Plot) {
	if p == nil {
		return
	}
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = LogTicks{}
	fixLabel(p, false)
}

// hiddenSize is the font size of the label gonum lays out in place of a
// log axis's label.
const hiddenSize = 0.01

func fixLabel(p *plot.Plot, vertical bool) {
	a := &p.X
	if vertical {
		a = &p.Y
	}
	if a.Label.TextStyle.Font.Size == hiddenSize {
		return // done already
	}
	l := &axisLabel{style: a.Label.TextStyle, padding: a.Label.Padding, vertical: vertical}
	// The room the label takes across its axis, as gonum computes it.
	room := l.style.Height("A") + l.style.FontExtents().Descent
	a.Label.Padding += room
	a.Label.TextStyle.Font.Size = hiddenSize
	a.Label.TextStyle.Color = color.Transparent
	p.Add(l)
}

// axisLabel draws the label of a logarithmic axis.
type axisLabel struct {
	style    textStyle
	padding  vg.Length
	vertical bool
}

// Plot implements plot.Plotter.
func (l *axisLabel) Plot(c draw.Canvas, p *plot.Plot) {
	a := &p.X
	if l.vertical {
		a = &p.Y
	}
	if a.Label.Text == "" || a.Label.TextStyle.Font.Size != hiddenSize {
		return // no label, or restyled after LogX/LogY: gonum draws it
	}
	// The corner of the whole plot: exact when the plot fills its canvas
	// (as pkg/show draws it), estimated from the axis otherwise.
	var origin vg.Point
	exact := false
	if s, ok := c.Canvas.(vg.CanvasSizer); ok {
		full := draw.New(s)
		if p.DataCanvas(full).Rectangle == c.Rectangle {
			origin, exact = full.Min, true
		}
	}
	if !exact {
		origin = vg.Point{X: c.Min.X - axisWidth(&p.Y, l.vertical), Y: c.Min.Y - axisWidth(&p.X, l.vertical)}
	}
	descent := l.style.FontExtents().Descent
	if l.vertical {
		sty := l.style
		sty.Rotation += math.Pi / 2
		x := origin.X + l.style.Height(a.Label.Text) - descent
		c.FillText(sty, vg.Point{X: x, Y: c.Center().Y}, a.Label.Text)
		return
	}
	c.FillText(l.style, vg.Point{X: c.Center().X, Y: origin.Y + descent}, a.Label.Text)
}

// axisWidth estimates the room an axis takes beside the data area (the
// y axis's width, the x axis's height), as gonum lays it out.
func axisWidth(a *plot.Axis, vertical bool) vg.Length {
	w := a.Label.Padding + a.Width/2 + a.Padding
	var lw vg.Length
	for _, t := range a.Tick.Marker.Ticks(a.Min, a.Max) {
		if t.Label == "" {
			continue
		}
		if vertical {
			lw = max(lw, a.Tick.Label.Width(t.Label))
		} else {
			lw = max(lw, a.Tick.Label.Height(t.Label))
		}
	}
	if lw > 0 {
		w += lw + a.Label.TextStyle.Width(" ")
	}
	return w + a.Tick.Length
}
