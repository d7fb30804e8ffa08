package physicaltime

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// palette is the colour cycle of the lesson's plots.
var palette = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255},
	color.RGBA{R: 214, G: 39, B: 40, A: 255},
	color.RGBA{R: 44, G: 160, B: 44, A: 255},
	color.RGBA{R: 148, G: 103, B: 189, A: 255},
	color.RGBA{R: 255, G: 127, B: 14, A: 255},
	color.RGBA{R: 140, G: 86, B: 75, A: 255},
	color.RGBA{R: 227, G: 119, B: 194, A: 255},
	color.RGBA{R: 127, G: 127, B: 127, A: 255},
}

// series is one named line of a plot.
type series struct {
	name   string
	xs, ys []float64
	dashed bool
}

// linePlot builds a titled line plot with a legend.
func linePlot(title, xlabel, ylabel string, ss []series) (*plot.Plot, error) {
	if len(ss) == 0 {
		return nil, fmt.Errorf("physicaltime: nothing to plot")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, s := range ss {
		if len(s.xs) != len(s.ys) {
			return nil, fmt.Errorf("physicaltime: series %q has %d x and %d y values", s.name, len(s.xs), len(s.ys))
		}
		xy := make(plotter.XYs, len(s.xs))
		for k := range s.xs {
			xy[k] = plotter.XY{X: s.xs[k], Y: s.ys[k]}
			lo, hi = math.Min(lo, s.ys[k]), math.Max(hi, s.ys[k])
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		l.Color = palette[i%len(palette)]
		l.Width = vg.Points(1.2)
		if s.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		if len(ss) > 1 {
			p.Legend.Add(s.name, l)
		}
	}
	if len(ss) > 1 && hi > lo {
		// Leave the top fifth (per legend line) free for the legend.
		room := 0.09 * float64(len(ss)) / (1 - 0.09*float64(len(ss)))
		p.Y.Min, p.Y.Max = lo, hi+room*(hi-lo)
	}
	return p, nil
}

func ms(d float64) float64 { return d / 1e6 } // ns → ms
