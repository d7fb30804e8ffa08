package retries

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
)

// PlotCurves draws the mean delay per attempt, one line per strategy.
func PlotCurves(r CurvesResult) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Back-off delay per attempt (base %g ms, cap %g ms, seed %d)", r.Config.Base, r.Config.Cap, r.Config.Seed)
	p.X.Label.Text = "attempt n (retry number, from 0)"
	p.Y.Label.Text = "mean delay before retry (ms)"
	var args []any
	for _, c := range r.Curves {
		xy := make(plotter.XYs, len(c.Mean))
		for n, m := range c.Mean {
			xy[n] = plotter.XY{X: float64(n), Y: m}
		}
		args = append(args, c.Strategy.String(), xy)
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return nil, fmt.Errorf("retries: plotting curves: %w", err)
	}
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}

// PlotCalls draws the work (writes served) against the number of clients.
func PlotCalls(r SweepResult) (*plot.Plot, error) {
	return plotSweep(r, "Work under contention: writes served vs clients", "writes served (calls)",
		func(p SweepPoint) float64 { return p.Calls })
}

// PlotCompletion draws the time until every client has written against N.
func PlotCompletion(r SweepResult) (*plot.Plot, error) {
	return plotSweep(r, "Completion time vs clients", "time until last client done (ms)",
		func(p SweepPoint) float64 { return p.Completion })
}

func plotSweep(r SweepResult, title, ylabel string, y func(SweepPoint) float64) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s (%d runs from seed %d)", title, r.Config.Runs, r.Config.Seed)
	p.X.Label.Text = "clients N"
	p.Y.Label.Text = ylabel
	var args []any
	for _, s := range r.Config.Strategies {
		pts := r.Series(s)
		xy := make(plotter.XYs, len(pts))
		for i, pt := range pts {
			xy[i] = plotter.XY{X: float64(pt.Clients), Y: y(pt)}
		}
		args = append(args, s.String(), xy)
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return nil, fmt.Errorf("retries: plotting sweep: %w", err)
	}
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}
