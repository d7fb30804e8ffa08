package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Style says how a Series is drawn.
type Style int

// The ways to draw a series.
const (
	Line       Style = iota // a solid or dashed line through the points
	Points                  // markers only (e.g. simulated estimates)
	LinePoints              // a line with a marker at each point
	Steps                   // a step line (value holds until the next point)
)

// Series is one named set of (x, y) points of a chart.
type Series struct {
	Name  string
	X, Y  []float64
	Style Style
	// Color picks the series' colour, dash pattern and marker shape from
	// the course palette by index (Color, Dashes, Shape); series that
	// belong together (a formula and its simulation) can share one. A
	// negative value means "the next index in order".
	Color int
}

// ChartOptions configures Chart.
type ChartOptions struct {
	Title, XLabel, YLabel string
	LogX, LogY            bool // logarithmic axes (every value must be > 0)
	IntegerX              bool // whole-number ticks on x (counts: nodes, attempts)
	// YMin and YMax fix the y range when YRange is true (e.g. 0..1 for a
	// probability).
	YRange     bool
	YMin, YMax float64
	// The legend goes in a corner of the chart where it covers no data,
	// trying top right, top left, bottom right, bottom left in turn; when
	// every corner has data, the y axis is extended to leave a free band
	// at the top. LegendLeft and LegendBottom change which corner is
	// tried first.
	LegendLeft, LegendBottom bool
}

// MaxPoints bounds the number of points of all series of one chart. A PNG
// of 100 000 points takes seconds to draw and shows no more than a few
// thousand would: downsample first.
const MaxPoints = 100_000

// Chart draws series as lines and/or markers against shared axes, with a
// grid and, when there is more than one named series, a legend. Every
// series gets its own colour, dash pattern and marker shape (see Color).
// It checks its input and returns an error instead of letting gonum/plot
// panic or loop: mismatched lengths, NaN or infinite values, values ≤ 0 on
// a logarithmic axis, a range too wide for float64, and more than
// MaxPoints points are reported with the series' name.
func Chart(opt ChartOptions, series ...Series) (*plot.Plot, error) {
	p, _, err := chart(opt, series)
	return p, err
}

// chart is Chart, also returning its legend (nil without one) for tests.
func chart(opt ChartOptions, series []Series) (*plot.Plot, *chartLegend, error) {
	if err := checkChart(opt, series); err != nil {
		return nil, nil, err
	}
	p := New()
	p.Title.Text = opt.Title
	p.X.Label.Text = opt.XLabel
	p.Y.Label.Text = opt.YLabel
	if opt.LogX {
		LogX(p)
	} else if opt.IntegerX {
		p.X.Tick.Marker = IntegerTicks{}
	}
	if opt.LogY {
		LogY(p)
	}
	p.Add(plotter.NewGrid())
	lg := &chartLegend{p: p, corners: cornerOrder(opt.LegendLeft, opt.LegendBottom)}
	next, named := 0, 0
	for _, s := range series {
		if s.Name != "" {
			named++
		}
	}
	for _, s := range series {
		ci := s.Color
		if ci < 0 {
			ci = next
		}
		next = max(next, ci) + 1
		pts := make(plotter.XYs, len(s.X))
		for i := range s.X {
			pts[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
		}
		var thumbs []plot.Thumbnailer
		if s.Style != Points {
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, nil, fmt.Errorf("plots: series %q: %w", s.Name, err)
			}
			l.Color = Color(ci)
			l.Width = vg.Points(1.8)
			l.Dashes = Dashes(ci)
			if s.Style == Steps {
				l.StepStyle = plotter.PostStep
			}
			p.Add(l)
			thumbs = append(thumbs, l)
		}
		if s.Style == Points || s.Style == LinePoints {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, nil, fmt.Errorf("plots: series %q: %w", s.Name, err)
			}
			sc.Color = Color(ci)
			sc.Shape = Shape(ci)
			sc.Radius = vg.Points(3)
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		lg.series = append(lg.series, legendObstacle{pts: pts, steps: s.Style == Steps, line: s.Style != Points})
		if s.Name != "" && named > 1 {
			lg.entries = append(lg.entries, legendEntry{name: s.Name, thumbs: thumbs})
		}
	}
	if opt.YRange {
		p.Y.Min, p.Y.Max = opt.YMin, opt.YMax
	}
	widenDegenerate(&p.X, opt.LogX)
	widenDegenerate(&p.Y, opt.LogY)
	if named < 2 {
		return p, nil, nil
	}
	lg.makeRoom(opt.LogY)
	p.Add(lg)
	return p, lg, nil
}

// checkChart validates Chart's input before anything is allocated.
func checkChart(opt ChartOptions, series []Series) error {
	if len(series) == 0 {
		return errors.New("plots: Chart needs at least one series")
	}
	if opt.YRange {
		if !finite(opt.YMin) || !finite(opt.YMax) || !(opt.YMin < opt.YMax) || math.IsInf(opt.YMax-opt.YMin, 0) {
			return fmt.Errorf("plots: y range [%v, %v] is empty or not finite", opt.YMin, opt.YMax)
		}
		if opt.LogY && opt.YMin <= 0 {
			return fmt.Errorf("plots: y range [%v, %v] starts at or below 0; a logarithmic axis needs values > 0", opt.YMin, opt.YMax)
		}
	}
	total := 0
	for _, s := range series {
		total += len(s.X)
		if total > MaxPoints {
			return fmt.Errorf("plots: more than %d points in the chart; downsample the series", MaxPoints)
		}
	}
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range series {
		if len(s.X) != len(s.Y) {
			return fmt.Errorf("plots: series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			return fmt.Errorf("plots: series %q is empty", s.Name)
		}
		if s.Style < Line || s.Style > Steps {
			return fmt.Errorf("plots: series %q has unknown style %d", s.Name, int(s.Style))
		}
		for i := range s.X {
			x, y := s.X[i], s.Y[i]
			if !finite(x) || !finite(y) {
				return fmt.Errorf("plots: series %q point %d is (%v, %v): values must be finite", s.Name, i, x, y)
			}
			if opt.LogX && x <= 0 {
				return fmt.Errorf("plots: series %q has x = %v at point %d; a logarithmic axis needs values > 0", s.Name, x, i)
			}
			if opt.LogY && y <= 0 {
				return fmt.Errorf("plots: series %q has y = %v at point %d; a logarithmic axis needs values > 0", s.Name, y, i)
			}
			xlo, xhi, ylo, yhi = min(xlo, x), max(xhi, x), min(ylo, y), max(yhi, y)
		}
	}
	if opt.YRange {
		ylo, yhi = min(ylo, opt.YMin), max(yhi, opt.YMax)
	}
	if math.IsInf(xhi-xlo, 0) {
		return fmt.Errorf("plots: x values span [%v, %v], wider than float64 can measure; scale them", xlo, xhi)
	}
	if math.IsInf(yhi-ylo, 0) {
		return fmt.Errorf("plots: y values span [%v, %v], wider than float64 can measure; scale them", ylo, yhi)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// widenDegenerate gives an axis whose data is a single value a range
// around it (gonum's own fix, ±1, vanishes next to 1e300).
func widenDegenerate(a *plot.Axis, log bool) {
	if a.Min != a.Max {
		return
	}
	v := a.Min
	if log {
		a.Min, a.Max = v/math.Sqrt(10), v*math.Sqrt(10)
		return
	}
	d := max(math.Abs(v)*0.1, 1)
	if v-d == v || v+d == v || math.IsInf(v+d, 0) || math.IsInf(v-d, 0) {
		d = math.Abs(v) * 0.1
	}
	a.Min, a.Max = v-d, v+d
}
