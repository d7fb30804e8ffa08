package voting

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"image/color"

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
	safe, unsafe := RWPoints(g)
	for _, s := range []struct {
		name  string
		xy    plotter.XYs
		shape draw.GlyphDrawer
		c     color.Color
	}{
		{"every read meets every write", safe, draw.CircleGlyph{}, color.RGBA{G: 130, B: 60, A: 255}},
		{"some read misses some write", unsafe, draw.RingGlyph{}, color.RGBA{R: 200, A: 255}},
	} {
		if len(s.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xy)
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		sc.Shape, sc.Color, sc.Radius = s.shape, s.c, vg.Points(4)
		p.Add(sc)
		p.Legend.Add(s.name, sc)
	}
	n := float64(g.N)
	l, err := plotter.NewLine(plotter.XYs{{X: 1, Y: n}, {X: n, Y: 1}})
	if err != nil {
		return nil, fmt.Errorf("voting: %w", err)
	}
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(l)
	p.Legend.Add("R + W = N + 1", l)
	// Ticks only at the possible sizes 1..N; the space above N is left
	// free for the legend.
	ticks := make([]plot.Tick, g.N)
	for i := range ticks {
		ticks[i] = plot.Tick{Value: float64(i + 1), Label: fmt.Sprint(i + 1)}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = 0.5, n+0.5
	p.Y.Min, p.Y.Max = 0.5, n+2.2
	p.Legend.Top = true
	return p, nil
}
