package plots

import (
	"errors"
	"image"
	"image/color"
	"math"
	"reflect"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The legend of Chart and Evolution. gonum/plot draws its legend in a
// fixed corner, over the data if need be, and relative to an area that
// plotters cannot see. So these charts draw their own: chartLegend is the
// last plotter of the plot; when the plot is drawn it measures the legend,
// puts it in the first corner of the data area (in the order asked for)
// where it covers no point and no line, and draws it on a white box. When
// the plot is built, makeRoom extends the y axis if at the usual size every
// corner would cover data, so that a band at the top is free.

// corner is a corner of the data area.
type corner struct{ top, left bool }

func cornerOrder(left, bottom bool) []corner {
	first := corner{top: !bottom, left: left}
	order := []corner{first}
	for _, c := range []corner{{true, false}, {true, true}, {false, false}, {false, true}} {
		if c != first {
			order = append(order, c)
		}
	}
	return order
}

// legendObstacle is a series the legend must not cover.
type legendObstacle struct {
	pts   plotter.XYs
	steps bool // drawn as a post-step line
	line  bool // drawn with a line (else markers only)
}

// legendEntry is one line of the legend: a name and the samples of how
// its series is drawn.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

type chartLegend struct {
	p       *plot.Plot
	series  []legendObstacle
	entries []legendEntry
	corners []corner
	chosen  corner       // the corner of the last drawing (for tests)
	box     vg.Rectangle // the legend's box in the last drawing
}

// Geometry of the legend, in points.
const (
	legendInset  = 6   // from the corner of the data area
	legendMargin = 3   // free space kept around the box
	legendPad    = 4   // inside the box
	legendThumb  = 28  // width of an entry's sample
	legendGap    = 5   // between sample and name
	legendLeadIn = 1.5 // between entries
)

// textStyle is the legend's text style: the plot's legend font.
func (lg *chartLegend) textStyle() textStyle {
	sty := lg.p.Legend.TextStyle
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	return sty
}

// size is the legend box's size and the height of one entry.
func (lg *chartLegend) size() (w, h, row vg.Length) {
	sty := lg.textStyle()
	var tw vg.Length
	for _, e := range lg.entries {
		r := sty.Rectangle(e.name)
		tw = max(tw, r.Max.X-r.Min.X)
		row = max(row, r.Max.Y-r.Min.Y)
	}
	row = max(row, pts(8))
	n := vg.Length(len(lg.entries))
	w = 2*pts(legendPad) + pts(legendThumb) + pts(legendGap) + tw
	h = 2*pts(legendPad) + n*row + (n-1)*pts(legendLeadIn)
	return w, h, row
}

// rect is the legend's box on the data canvas c in corner k, moved by
// the offsets the caller set on the plot's legend.
func (lg *chartLegend) rect(c draw.Canvas, k corner) vg.Rectangle {
	w, h, _ := lg.size()
	var r vg.Rectangle
	if k.left {
		r.Min.X = c.Min.X + pts(legendInset)
	} else {
		r.Min.X = c.Max.X - pts(legendInset) - w
	}
	if k.top {
		r.Min.Y = c.Max.Y - pts(legendInset) - h
	} else {
		r.Min.Y = c.Min.Y + pts(legendInset)
	}
	r.Min.X += lg.p.Legend.XOffs
	r.Min.Y += lg.p.Legend.YOffs
	r.Max = vg.Point{X: r.Min.X + w, Y: r.Min.Y + h}
	return r
}

// grow is r with a margin m all round.
func grow(r vg.Rectangle, m vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X - m, Y: r.Min.Y - m}, Max: vg.Point{X: r.Max.X + m, Y: r.Max.Y + m}}
}

// hits counts the points and line pieces of the series inside r.
func (lg *chartLegend) hits(c draw.Canvas, r vg.Rectangle) int {
	tx, ty := lg.p.Transforms(&c)
	n := 0
	for _, s := range lg.series {
		var prev vg.Point
		for i, xy := range s.pts {
			pt := vg.Point{X: tx(xy.X), Y: ty(xy.Y)}
			if inRect(pt, r) {
				n++
			}
			if s.line && i > 0 {
				if s.steps {
					mid := vg.Point{X: pt.X, Y: prev.Y}
					if segmentHits(prev, mid, r) || segmentHits(mid, pt, r) {
						n++
					}
				} else if segmentHits(prev, pt, r) {
					n++
				}
			}
			prev = pt
		}
	}
	return n
}

// choose picks the corner for the legend on data canvas c: the first in
// order that covers nothing, else the one that covers least.
func (lg *chartLegend) choose(c draw.Canvas) corner {
	best, bestHits := lg.corners[0], -1
	for _, k := range lg.corners {
		h := lg.hits(c, grow(lg.rect(c, k), pts(legendMargin)))
		if h == 0 {
			return k
		}
		if bestHits < 0 || h < bestHits {
			best, bestHits = k, h
		}
	}
	return best
}

// layoutCanvas is the data canvas of p drawn at Width × Height.
func layoutCanvas(p *plot.Plot) draw.Canvas {
	return p.DataCanvas(draw.NewCanvas(nopCanvas{}, Width, Height))
}

// makeRoom extends the y axis upwards when, at Width × Height, every
// corner of the data area has data, so that a band at the top is free
// for the legend. Tick labels stay within the data's range.
func (lg *chartLegend) makeRoom(logY bool) {
	c := layoutCanvas(lg.p)
	if lg.hits(c, grow(lg.rect(c, lg.choose(c)), pts(legendMargin))) == 0 {
		return
	}
	a := &lg.p.Y
	lo, hi := a.Min, a.Max
	norm := func(v float64) float64 { return (v - lo) / (hi - lo) }
	inv := func(f float64) float64 { return lo + f*(hi-lo) }
	if logY {
		norm = func(v float64) float64 { return math.Log(v/lo) / math.Log(hi/lo) }
		inv = func(f float64) float64 { return lo * math.Exp(f*math.Log(hi/lo)) }
	}
	height := float64(c.Max.Y - c.Min.Y)
	tx, _ := lg.p.Transforms(&c)
	bestTop := math.Inf(1)
	for _, k := range []corner{{true, false}, {true, true}} {
		r := grow(lg.rect(c, k), pts(legendMargin))
		band := float64(c.Max.Y - r.Min.Y)
		if band > 0.6*height {
			continue // a legend that tall cannot have a band of its own
		}
		// The highest data under the legend, as a fraction of the axis:
		// points in the legend's columns, and both ends of every line
		// piece that passes through them.
		top := 0.0
		for _, s := range lg.series {
			for i, xy := range s.pts {
				x := tx(xy.X)
				if x >= r.Min.X && x <= r.Max.X {
					top = max(top, norm(xy.Y))
				}
				if s.line && i > 0 {
					x0 := tx(s.pts[i-1].X)
					if min(x0, x) <= r.Max.X && max(x0, x) >= r.Min.X {
						top = max(top, norm(xy.Y), norm(s.pts[i-1].Y))
					}
				}
			}
		}
		bestTop = min(bestTop, top*height/(height-band)) // the new top, as a fraction of the old axis
	}
	if math.IsInf(bestTop, 1) || bestTop <= 1 {
		return
	}
	newMax := inv(bestTop)
	if !finite(newMax) || newMax <= hi {
		return
	}
	a.Tick.Marker = clipTicks{Ticker: a.Tick.Marker, lo: math.Inf(-1), hi: hi}
	a.Max = newMax
}

// Plot implements plot.Plotter: it draws the legend in its corner.
func (lg *chartLegend) Plot(c draw.Canvas, _ *plot.Plot) {
	if len(lg.entries) == 0 {
		return
	}
	k := lg.choose(c)
	lg.chosen = k
	b := lg.rect(c, k)
	lg.box = b
	c.SetColor(color.White)
	c.Fill(b.Path())
	c.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 180}, Width: pts(0.6)},
		[]vg.Point{b.Min, {X: b.Max.X, Y: b.Min.Y}, b.Max, {X: b.Min.X, Y: b.Max.Y}, b.Min})
	_, _, row := lg.size()
	sty := lg.textStyle()
	y := b.Max.Y - pts(legendPad) - row
	for _, e := range lg.entries {
		x := b.Min.X + pts(legendPad)
		thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + pts(legendThumb), Y: y + row}}}
		for _, t := range e.thumbs {
			t.Thumbnail(&thumb)
		}
		c.FillText(sty, vg.Point{X: x + pts(legendThumb) + pts(legendGap), Y: y + row/2}, e.name)
		y -= row + pts(legendLeadIn)
	}
}

func inRect(p vg.Point, r vg.Rectangle) bool {
	return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
}

// segmentHits reports whether the segment a–b meets the rectangle r
// (Liang–Barsky clipping).
func segmentHits(a, b vg.Point, r vg.Rectangle) bool {
	if inRect(a, r) || inRect(b, r) {
		return true
	}
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = min(t1, t)
		}
		return true
	}
	return clip(-dx, float64(a.X-r.Min.X)) && clip(dx, float64(r.Max.X-a.X)) &&
		clip(-dy, float64(a.Y-r.Min.Y)) && clip(dy, float64(r.Max.Y-a.Y)) && t0 <= t1
}

// nopCanvas is a vg.Canvas that draws nothing: laying a plot out (which
// only measures text) needs a canvas but no picture.
type nopCanvas struct{}

func (nopCanvas) SetLineWidth(vg.Length)                 {}
func (nopCanvas) SetLineDash([]vg.Length, vg.Length)     {}
func (nopCanvas) SetColor(color.Color)                   {}
func (nopCanvas) Rotate(float64)                         {}
func (nopCanvas) Translate(vg.Point)                     {}
func (nopCanvas) Scale(float64, float64)                 {}
func (nopCanvas) Push()                                  {}
func (nopCanvas) Pop()                                   {}
func (nopCanvas) Stroke(vg.Path)                         {}
func (nopCanvas) Fill(vg.Path)                           {}
func (nopCanvas) FillString(font.Face, vg.Point, string) {}
func (nopCanvas) DrawImage(vg.Rectangle, image.Image)    {}

// Legend is a legend for a picture drawn with gonum directly that places
// itself as Chart's does: in the first corner of the data area (top right,
// top left, bottom right, bottom left, or the order given) where it covers
// none of the data it knows of, on a white box. Use it instead of
// p.Legend:
//
//	lg, err := plots.NewLegend(p, false, false)
//	lg.Add("simulated", line, points) // lines and scatters are avoided too
//	lg.Avoid(referenceLine)            // other data to keep clear of
//	lg.MakeRoom()                      // optional, once the axes are final
type Legend struct{ lg *chartLegend }

// NewLegend adds an empty legend to p. The first corner tried is the top
// left one when left is true, a bottom one when bottom is true.
func NewLegend(p *plot.Plot, left, bottom bool) (*Legend, error) {
	if p == nil {
		return nil, errors.New("plots: NewLegend of a nil plot")
	}
	lg := &chartLegend{p: p, corners: cornerOrder(left, bottom)}
	p.Add(lg)
	return &Legend{lg}, nil
}

// Add adds an entry drawn with the given samples (usually the plotters of
// the series). Samples that hold data (plotter.XYer, as lines and scatters
// do) become data the legend keeps clear of. Nil samples are skipped.
func (l *Legend) Add(name string, thumbs ...plot.Thumbnailer) {
	if l == nil {
		return
	}
	var kept []plot.Thumbnailer
	for _, t := range thumbs {
		if t == nil || isNilPointer(t) {
			continue
		}
		kept = append(kept, t)
		if xy, ok := t.(plotter.XYer); ok {
			l.avoid(xy)
		}
	}
	l.lg.entries = append(l.lg.entries, legendEntry{name: name, thumbs: kept})
}

// Avoid adds data the legend must not cover.
func (l *Legend) Avoid(data ...plotter.XYer) {
	if l == nil {
		return
	}
	for _, xy := range data {
		l.avoid(xy)
	}
}

func (l *Legend) avoid(xy plotter.XYer) {
	if xy == nil || isNilPointer(xy) {
		return
	}
	pts, err := plotter.CopyXYs(xy)
	if err != nil {
		return // NaN or infinite values: gonum refuses to draw them anyway
	}
	ob := legendObstacle{pts: pts}
	if line, ok := xy.(*plotter.Line); ok {
		ob.line, ob.steps = true, line.StepStyle != plotter.NoStep
	}
	l.lg.series = append(l.lg.series, ob)
}

// MakeRoom extends the y axis upwards if, at the size pictures are laid
// out for, every corner of the data area holds data, so that a band at the
// top is free for the legend (tick labels stay within the data's range).
// Call it after the axes' ranges and scales are final.
func (l *Legend) MakeRoom() {
	if l == nil {
		return
	}
	a := &l.lg.p.Y
	_, log := a.Scale.(plot.LogScale)
	if !finite(a.Min) || !finite(a.Max) || a.Min >= a.Max || (log && a.Min <= 0) {
		return // nothing sensible to extend
	}
	l.lg.makeRoom(log)
}

// isNilPointer reports whether v holds a nil pointer (a typed nil, which
// a nil check on the interface misses).
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
