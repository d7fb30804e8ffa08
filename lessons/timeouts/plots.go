package timeouts

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// PlotQueue draws mean and 99th-percentile latency against utilisation,
// simulated (points) and the M/M/1 closed forms (lines, extended to ρ=0.98).
func PlotQueue(r QueueResult) (*plot.Plot, error) {
	var mean, p99 plotter.XYs
	for _, p := range r.Points {
		mean = append(mean, plotter.XY{X: p.Utilisation, Y: p.Mean})
		p99 = append(p99, plotter.XY{X: p.Utilisation, Y: p.P99})
	}
	mu := r.Config.ServiceRate
	var tMean, tP99 plotter.XYs
	for rho := 0.02; rho <= 0.98+1e-9; rho += 0.02 {
		w := 1 / (mu - rho*mu)
		tMean = append(tMean, plotter.XY{X: rho, Y: w})
		tP99 = append(tP99, plotter.XY{X: rho, Y: w * 4.605170185988092}) // ln 100
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Queueing: latency vs utilisation (M/M/1, μ=%g/ms, seed %d)", mu, r.Config.Seed)
	p.X.Label.Text = "utilisation ρ = λ/μ (fraction of capacity)"
	p.Y.Label.Text = "time in system (ms)"
	if err := plotutil.AddLines(p, "mean, theory 1/(μ-λ)", tMean, "p99, theory ln(100)/(μ-λ)", tP99); err != nil {
		return nil, fmt.Errorf("timeouts: %w", err)
	}
	if err := plotutil.AddScatters(p, "mean, simulated", mean, "p99, simulated", p99); err != nil {
		return nil, fmt.Errorf("timeouts: %w", err)
	}
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}

// PlotFalseTimeouts draws the false-timeout rate against the timeout,
// simulated next to the survival function, on a log y axis.
func PlotFalseTimeouts(r FalseTimeoutResult) (*plot.Plot, error) {
	var sim, model plotter.XYs
	for _, pt := range r.Points {
		if pt.Simulated > 0 { // log axis: zero cannot be drawn
			sim = append(sim, plotter.XY{X: pt.Timeout, Y: pt.Simulated})
		}
	}
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("timeouts: no points to plot")
	}
	hi := r.Points[len(r.Points)-1].Timeout
	for t := r.Config.RTT.Floor + 0.5; t <= hi; t += 0.5 {
		if s := r.Config.RTT.Survival(t); s > 0 {
			model = append(model, plotter.XY{X: t, Y: s})
		}
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("False timeouts vs timeout (%d requests, seed %d)", r.Config.Samples, r.Config.Seed)
	p.X.Label.Text = "timeout (ms)"
	p.Y.Label.Text = "replies arriving after the timeout (fraction, log)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	if err := plotutil.AddLines(p, "P(RTT > t)", model); err != nil {
		return nil, fmt.Errorf("timeouts: %w", err)
	}
	if err := plotutil.AddScatters(p, "simulated", sim); err != nil {
		return nil, fmt.Errorf("timeouts: %w", err)
	}
	p.Legend.Top = true
	return p, nil
}

// PlotShift draws the measured RTTs of the adaptive run (points) and the
// timeout each estimator used over time (lines); the crash ends the plot.
func PlotShift(r ShiftResult) (*plot.Plot, error) {
	if len(r.Runs) == 0 {
		return nil, fmt.Errorf("timeouts: no runs to plot")
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Timeouts while the path slows down at %g s (seed %d)", r.Config.Shift/1000, r.Config.Seed)
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "round-trip time / timeout (ms)"
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
	p.Legend.Add("measured RTT ("+src.Name+" run)", sc)
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
	p.Y.Max = min(p.Y.Max, 700) // clip the 1 s initial RTO; leaves room for the legend
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}
