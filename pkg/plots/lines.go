package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Style says how a Series is drawn.
type Style int

// The ways to draw a series.
const (
	Line       Style = iota // a solid or dashed line through the points
	Points                  // dots only (e.g. simulated estimates)
	LinePoints              // a line with a dot at each point
	Steps                   // a step line (value holds until the next point)
)

// Series is one named set of (x, y) points of a chart.
type Series struct {
	Name  string
	X, Y  []float64
	Style Style
	// Color picks a colour from the standard palette by index; series that
	// belong together (a formula and its simulation) can share one. -1
	// means "next colour in order".
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
	// LegendLeft and LegendBottom move the legend from its default top
	// right corner.
	LegendLeft, LegendBottom bool
}

// Chart draws series as lines and/or points against shared axes, with a
// grid and, when there is more than one named series, a legend. It checks
// its input and returns an error instead of letting gonum/plot panic:
// mismatched lengths, NaN or infinite values, and values ≤ 0 on a
// logarithmic axis are reported with the series' name.
func Chart(opt ChartOptions, series ...Series) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, errors.New("plots: Chart needs at least one series")
	}
	if opt.YRange && !(opt.YMin < opt.YMax) {
		return nil, fmt.Errorf("plots: y range [%v, %v] is empty", opt.YMin, opt.YMax)
	}
	for _, s := range series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("plots: series %q has %d x values and %d y values", s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			return nil, fmt.Errorf("plots: series %q is empty", s.Name)
		}
		for i := range s.X {
			x, y := s.X[i], s.Y[i]
			if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
				return nil, fmt.Errorf("plots: series %q point %d is (%v, %v): values must be finite", s.Name, i, x, y)
			}
			if opt.LogX && x <= 0 {
				return nil, fmt.Errorf("plots: series %q has x = %v at point %d; a logarithmic axis needs values > 0", s.Name, x, i)
			}
			if opt.LogY && y <= 0 {
				return nil, fmt.Errorf("plots: series %q has y = %v at point %d; a logarithmic axis needs values > 0", s.Name, y, i)
			}
		}
		if s.Style < Line || s.Style > Steps {
			return nil, fmt.Errorf("plots: series %q has unknown style %d", s.Name, int(s.Style))
		}
	}
	p := plot.New()
	p.Title.Text = opt.Title
	p.X.Label.Text = opt.XLabel
	p.Y.Label.Text = opt.YLabel
	if opt.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = LogTicks{}
	} else if opt.IntegerX {
		p.X.Tick.Marker = IntegerTicks{}
	} else {
		p.X.Tick.Marker = CleanTicks{}
	}
	if opt.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = LogTicks{}
	} else {
		p.Y.Tick.Marker = CleanTicks{}
	}
	if opt.YRange {
		p.Y.Min, p.Y.Max = opt.YMin, opt.YMax
	}
	p.Add(plotter.NewGrid())
	next := 0
	for _, s := range series {
		ci := s.Color
		if ci < 0 {
			ci = next
		}
		next = max(next, ci) + 1
		col := plotutil.Color(ci)
		pts := make(plotter.XYs, len(s.X))
		for i := range s.X {
			pts[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
		}
		var thumbs []plot.Thumbnailer
		if s.Style != Points {
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, fmt.Errorf("plots: series %q: %w", s.Name, err)
			}
			l.Color = col
			l.Width = vg.Points(1.5)
			l.Dashes = plotutil.Dashes(ci % 4)
			if s.Style == Steps {
				l.StepStyle = plotter.PostStep
			}
			p.Add(l)
			thumbs = append(thumbs, l)
		}
		if s.Style == Points || s.Style == LinePoints {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, fmt.Errorf("plots: series %q: %w", s.Name, err)
			}
			sc.Color = col
			sc.Shape = draw.CircleGlyph{}
			sc.Radius = vg.Points(2.5)
			p.Add(sc)
			thumbs = append(thumbs, sc)
		}
		if s.Name != "" && len(series) > 1 {
			p.Legend.Add(s.Name, thumbs...)
		}
	}
	p.Legend.Left = opt.LegendLeft
	p.Legend.Top = !opt.LegendBottom
	p.Legend.ThumbnailWidth = vg.Points(20)
	return p, nil
}
