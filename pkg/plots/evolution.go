package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
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
	p, _, err := evolution(nodes, values, opt)
	return p, err
}

// evolution is Evolution, also returning its legend for tests.
func evolution(nodes []string, values [][]float64, opt EvolutionOptions) (*plot.Plot, *chartLegend, error) {
	if len(nodes) == 0 {
		return nil, nil, errors.New("plots: Evolution needs at least one node")
	}
	if len(nodes) > maxNodes {
		return nil, nil, fmt.Errorf("plots: Evolution of %d nodes; at most %d can be told apart", len(nodes), maxNodes)
	}
	if len(values)*len(nodes) > MaxPoints {
		return nil, nil, fmt.Errorf("plots: Evolution of %d events × %d nodes is more than %d points", len(values), len(nodes), MaxPoints)
	}
	for e, row := range values {
		if len(row) != len(nodes) {
			return nil, nil, fmt.Errorf("plots: values[%d] has %d entries for %d nodes", e, len(row), len(nodes))
		}
	}
	lo, hi := 0.0, 0.0 // every line starts at 0
	for e, row := range values {
		for n, v := range row {
			if !finite(v) {
				return nil, nil, fmt.Errorf("plots: values[%d][%d] is %v; values must be finite", e, n, v)
			}
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(hi-lo, 0) {
		return nil, nil, fmt.Errorf("plots: values span [%v, %v], wider than float64 can measure; scale them", lo, hi)
	}
	p := New()
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
	lg := &chartLegend{p: p, corners: cornerOrder(true, false)}
	for n, name := range nodes {
		pts := evolutionSeries(values, n)
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, nil, fmt.Errorf("plots: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.Color = Color(n)
		l.Width = vg.Points(1.8)
		l.Dashes = Dashes(n)
		p.Add(l)
		lg.entries = append(lg.entries, legendEntry{name: name, thumbs: []plot.Thumbnailer{l}})
		lg.series = append(lg.series, legendObstacle{pts: pts, steps: true, line: true})
	}
	widenDegenerate(&p.Y, false)
	lg.makeRoom(false)
	p.Add(lg)
	return p, lg, nil
}

// evolutionSeries is node n's step line: (0, 0), then (e+1, values[e][n]).
func evolutionSeries(values [][]float64, n int) plotter.XYs {
	pts := make(plotter.XYs, len(values)+1)
	for e := range values {
		pts[e+1] = plotter.XY{X: float64(e + 1), Y: values[e][n]}
	}
	return pts
}
