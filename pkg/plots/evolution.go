package plots

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// EvolutionOptions configures Evolution.
type EvolutionOptions struct {
	Title  string
	XLabel string // default "event index"
	YLabel string // default "counter"
}

// Evolution plots how each node's counter changes as an execution
// unfolds: values[e][n] is node n's value after event e (as in
// lamport.Run.After). One step line per node, with a legend.
func Evolution(nodes []string, values [][]float64, opt EvolutionOptions) (*plot.Plot, error) {
	if len(nodes) == 0 {
		return nil, errors.New("plots: Evolution needs at least one node")
	}
	for e, row := range values {
		if len(row) != len(nodes) {
			return nil, fmt.Errorf("plots: values[%d] has %d entries for %d nodes", e, len(row), len(nodes))
		}
	}
	p := plot.New()
	p.Title.Text = opt.Title
	p.X.Label.Text = opt.XLabel
	if p.X.Label.Text == "" {
		p.X.Label.Text = "event index"
	}
	p.Y.Label.Text = opt.YLabel
	if p.Y.Label.Text == "" {
		p.Y.Label.Text = "counter"
	}
	p.X.Tick.Marker = IntegerTicks{}
	p.Add(plotter.NewGrid())
	for n, name := range nodes {
		l, err := plotter.NewLine(evolutionSeries(values, n))
		if err != nil {
			return nil, fmt.Errorf("plots: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.Color = plotutil.Color(n)
		l.Width = vg.Points(1.5)
		l.Dashes = plotutil.Dashes(n % 4)
		p.Add(l)
		p.Legend.Add(name, l)
	}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.ThumbnailWidth = vg.Points(20)
	return p, nil
}

// evolutionSeries is node n's step line: (0, 0), then (e+1, values[e][n]).
func evolutionSeries(values [][]float64, n int) plotter.XYs {
	pts := make(plotter.XYs, len(values)+1)
	for e := range values {
		pts[e+1] = plotter.XY{X: float64(e + 1), Y: values[e][n]}
	}
	return pts
}
