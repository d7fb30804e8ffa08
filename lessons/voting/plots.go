package voting

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dslessons/course/pkg/plots"
)

// RWPoints splits the grid into the (R, W) points where reads always see
// writes and those where they may not: the data behind PlotReadWrite.
func RWPoints(g RWGrid) (safe, unsafe plotter.XYs) {
	for _, c := range g.Cells {
		pt := plotter.XY{X: float64(c.R), Y: float64(c.W)}
		if c.Exhaustive.OK {
			safe = append(safe, pt)
		} else {
			unsafe = append(unsafe, pt)
		}
	}
	return safe, unsafe
}

// PlotReadWrite draws the (R, W) grid: filled dots where every read quorum
// meets every write quorum (exhaustive check), rings where a disjoint pair
// exists, and the line R + W = N + 1.
func PlotReadWrite(g RWGrid) (*plot.Plot, error) {
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Read/write quorums over N=%d replicas (exhaustive check)", g.N)
	p.X.Label.Text = "read quorum size R (replicas)"
	p.Y.Label.Text = "write quorum size W (replicas)"
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.Y.Tick.Marker = plots.IntegerTicks{}
	p.Add(plotter.NewGrid())
	n := float64(g.N)
	l, err := plotter.NewLine(plotter.XYs{{X: 1, Y: n}, {X: n, Y: 1}})
	if err != nil {
		return nil, fmt.Errorf("voting: %w", err)
	}
	l.Dashes, l.Color = plots.Dashes(1), plots.Black
	p.Add(l)
	lg, err := plots.NewLegend(p, false, false)
	if err != nil {
		return nil, fmt.Errorf("voting: %w", err)
	}
	safe, unsafe := RWPoints(g)
	for _, s := range []struct {
		name  string
		xy    plotter.XYs
		shape draw.GlyphDrawer
		c     color.Color
	}{
		{"every read meets every write", safe, draw.CircleGlyph{}, plots.BluishGreen},
		{"some read misses some write", unsafe, draw.RingGlyph{}, plots.Vermillion},
	} {
		if len(s.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xy)
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		sc.Shape, sc.Color, sc.Radius = s.shape, s.c, vg.Points(4.5)
		p.Add(sc)
		lg.Add(s.name, sc)
	}
	lg.Add("R + W = N + 1", l)
	p.X.Min, p.X.Max = 0.5, n+0.5
	p.Y.Min, p.Y.Max = 0.5, n+0.5
	lg.MakeRoom()
	return p, nil
}
