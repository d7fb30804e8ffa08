package retries

import (
	"fmt"

	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/retry"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// legendClear moves a top-left legend down and right, off the title and
// the y axis's top tick label.
func legendClear(p *plot.Plot) {
	p.Legend.XOffs = 4 * vg.Millimeter
	p.Legend.YOffs = -4 * vg.Millimeter
}

// PlotCurves draws the mean delay per attempt, one line per strategy.
func PlotCurves(r CurvesResult) (*plot.Plot, error) {
	var ss []plots.Series
	for _, c := range r.Curves {
		x := make([]float64, len(c.Mean))
		for n := range c.Mean {
			x[n] = float64(n)
		}
		ss = append(ss, plots.Series{Name: c.Strategy.String(), X: x, Y: c.Mean, Style: plots.LinePoints, Color: int(c.Strategy)})
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:        fmt.Sprintf("Back-off delay per attempt (base %g ms, cap %g ms, seed %d)", r.Config.Base, r.Config.Cap, r.Config.Seed),
		XLabel:       "attempt n (retry number, from 0)",
		YLabel:       "mean delay before retry (ms, log scale)",
		LogY:         true,
		IntegerX:     true,
		LegendLeft:   false,
		LegendBottom: true,
	}, ss...)
	if err != nil {
		return nil, fmt.Errorf("retries: plotting curves: %w", err)
	}
	legendClear(p)
	return p, nil
}

// PlotCalls draws the work (writes served) against the number of clients.
func PlotCalls(r SweepResult) (*plot.Plot, error) {
	return plotSweep(r, r.Config.Strategies, "Work under contention: writes served vs clients", "writes served (calls)", false,
		func(p SweepPoint) float64 { return p.Calls })
}

// PlotCompletion draws the time until every client has written against N,
// on a log scale: no jitter takes ten times longer than any jittered rule.
func PlotCompletion(r SweepResult) (*plot.Plot, error) {
	return plotSweep(r, r.Config.Strategies, "Completion time vs clients", "time until last client done (ms, log scale)", true,
		func(p SweepPoint) float64 { return p.Completion })
}

// PlotJitteredCompletion draws the completion time of the jittered rules
// only, on a linear scale, so that they can be told apart.
func PlotJitteredCompletion(r SweepResult) (*plot.Plot, error) {
	var jittered []retry.Strategy
	for _, s := range r.Config.Strategies {
		if s != retry.Exponential {
			jittered = append(jittered, s)
		}
	}
	if len(jittered) == 0 {
		return nil, fmt.Errorf("retries: the sweep has no jittered rule to plot")
	}
	return plotSweep(r, jittered, "Completion time of the jittered rules", "time until last client done (ms)", false,
		func(p SweepPoint) float64 { return p.Completion })
}

func plotSweep(r SweepResult, strategies []retry.Strategy, title, ylabel string, logY bool, y func(SweepPoint) float64) (*plot.Plot, error) {
	var ss []plots.Series
	for _, s := range strategies {
		pts := r.Series(s)
		xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
		for i, pt := range pts {
			xs[i], ys[i] = float64(pt.Clients), y(pt)
		}
		// Each strategy keeps its colour, marker and dashes in every plot.
		ss = append(ss, plots.Series{Name: s.String(), X: xs, Y: ys, Style: plots.LinePoints, Color: int(s)})
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:      fmt.Sprintf("%s (%d runs from seed %d)", title, r.Config.Runs, r.Config.Seed),
		XLabel:     "clients N",
		YLabel:     ylabel,
		LogY:       logY,
		LegendLeft: true,
	}, ss...)
	if err != nil {
		return nil, fmt.Errorf("retries: plotting sweep: %w", err)
	}
	legendClear(p)
	return p, nil
}
