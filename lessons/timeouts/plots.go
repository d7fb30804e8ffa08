package timeouts

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// PlotQueue draws mean and 99th-percentile latency against utilisation,
// simulated (points) and the M/M/1 closed forms (lines, extended to ρ=0.98).
func PlotQueue(r QueueResult) (*plot.Plot, error) {
	var rho, mean, p99 []float64
	for _, p := range r.Points {
		rho, mean, p99 = append(rho, p.Utilisation), append(mean, p.Mean), append(p99, p.P99)
	}
	mu := r.Config.ServiceRate
	var tRho, tMean, tP99 []float64
	for x := 0.02; x <= 0.98+1e-9; x += 0.02 {
		w := 1 / (mu - x*mu)
		tRho, tMean, tP99 = append(tRho, x), append(tMean, w), append(tP99, w*4.605170185988092) // ln 100
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:      fmt.Sprintf("Queueing: latency vs utilisation (M/M/1, μ=%g/ms, seed %d)", mu, r.Config.Seed),
		XLabel:     "utilisation ρ = λ/μ (fraction of capacity)",
		YLabel:     "time in system (ms)",
		LegendLeft: true,
	},
		plots.Series{Name: "mean, theory 1/(μ-λ)", X: tRho, Y: tMean, Color: 0},
		plots.Series{Name: "p99, theory ln(100)/(μ-λ)", X: tRho, Y: tP99, Color: 1},
		plots.Series{Name: "mean, simulated", X: rho, Y: mean, Style: plots.Points, Color: 0},
		plots.Series{Name: "p99, simulated", X: rho, Y: p99, Style: plots.Points, Color: 1})
	if err != nil {
		return nil, fmt.Errorf("timeouts: %w", err)
	}
	return p, nil
}

// PlotFalseTimeouts draws the false-timeout rate against the timeout,
// simulated next to the survival function, on a log y axis.
func PlotFalseTimeouts(r FalseTimeoutResult) (*plot.Plot, error) {
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("timeouts: no points to plot")
	}
	model := plots.Series{Name: "P(RTT > t)", Color: 0}
	hi := r.Points[len(r.Points)-1].Timeout
	for t := r.Config.RTT.Floor + 0.5; t <= hi; t += 0.5 {
		if s := r.Config.RTT.Survival(t); s > 0 {
			model.X, model.Y = append(model.X, t), append(model.Y, s)
		}
	}
	sim := plots.Series{Name: "simulated", Style: plots.Points, Color: 0}
	for _, pt := range r.Points {
		if pt.Simulated > 0 { // log axis: zero cannot be drawn
			sim.X, sim.Y = append(sim.X, pt.Timeout), append(sim.Y, pt.Simulated)
		}
	}
	var ss []plots.Series
	for _, s := range []plots.Series{model, sim} {
		if len(s.X) > 0 {
			ss = append(ss, s)
		}
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:  fmt.Sprintf("False timeouts vs timeout (%d requests, seed %d)", r.Config.Samples, r.Config.Seed),
		XLabel: "timeout (ms)",
		YLabel: "false-timeout rate (log)", // short: gonum shrinks the plot to fit a long rotated label
		LogY:   true,
	}, ss...)
	if err != nil {
		return nil, fmt.Errorf("timeouts: %w", err)
	}
	return p, nil
}

// PlotShift draws the measured RTTs of the adaptive run (points) and the
// timeout each estimator used over time (lines), on a log y axis so that
// the 1 s initial RTO and the 6 ms RTTs both fit; dashed grey vertical
// lines mark the shift and the crash, where the data end.
func PlotShift(r ShiftResult) (*plot.Plot, error) {
	if len(r.Runs) == 0 {
		return nil, fmt.Errorf("timeouts: no runs to plot")
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Timeouts: path slows down at %g s, server crashes at %g s (seed %d)",
		r.Config.Shift/1000, r.Config.Crash/1000, r.Config.Seed)
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "RTT, timeout (ms, log)" // short: gonum shrinks the plot to fit a long rotated label
	// The RTTs shown are those measured in the adaptive run (the last
	// run whose name starts with "adaptive"), else in the first run.
	src := r.Runs[0]
	for _, run := range r.Runs {
		if strings.HasPrefix(run.Name, "adaptive") {
			src = run
		}
	}
	var rtts plotter.XYs
	for _, x := range src.RTTs {
		if x.At < r.Config.Crash {
			rtts = append(rtts, plotter.XY{X: x.At / 1000, Y: x.RTT})
		}
	}
	sc, err := plotter.NewScatter(rtts)
	if err != nil {
		return nil, fmt.Errorf("timeouts: %w", err)
	}
	sc.GlyphStyle.Color = color.Gray{Y: 150}
	sc.GlyphStyle.Radius = vg.Points(1.5)
	p.Add(sc)
	p.Legend.Add("measured RTT ("+strings.SplitN(src.Name, " ", 2)[0]+" run)", sc)
	for i, run := range r.Runs {
		var line plotter.XYs
		for _, t := range run.Timeline {
			if t.At < r.Config.Crash {
				line = append(line, plotter.XY{X: t.At / 1000, Y: t.Timeout})
			}
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, fmt.Errorf("timeouts: %s: %w", run.Name, err)
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add("timeout: "+run.Name, l)
	}
	plots.LogY(p)
	// From 0.1 ms, far below every RTT: the bottom right (after the shift
	// all RTTs exceed 20 ms) stays free for the legend.
	// Powers of ten at both ends: log ticks then stay inside the range.
	lo, hi := 0.1, math.Pow(10, math.Ceil(math.Log10(1.5*max(p.Y.Max, 1000))))
	for _, m := range []struct {
		at    float64
		label string
		align text.XAlignment
	}{{r.Config.Shift, "path slows down ", text.XRight}, {r.Config.Crash, "server crashes ", text.XRight}} {
		x := m.at / 1000
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}})
		if err != nil {
			return nil, fmt.Errorf("timeouts: %w", err)
		}
		l.Color, l.Dashes = color.Gray{Y: 100}, []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: hi / 1.6}}, Labels: []string{m.label}})
		if err != nil {
			return nil, fmt.Errorf("timeouts: %w", err)
		}
		lb.TextStyle[0].XAlign = m.align
		p.Add(lb)
	}
	p.Y.Min, p.Y.Max = lo, hi // the initial 1 s RTO is not clipped
	p.X.Min = 0
	p.Legend.Top, p.Legend.Left = false, false
	return p, nil
}
