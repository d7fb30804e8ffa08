package netfailures

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// PlotFigures draws the per-day failure counts of the study as bars.
func PlotFigures(t FigureTable) (*plot.Plot, error) {
	var vals plotter.Values
	var names []string
	for _, key := range []string{"devices_per_day", "links_per_day"} {
		f, err := t.Get(key)
		if err != nil {
			return nil, err
		}
		vals = append(vals, f.Value)
		names = append(names, f.What)
	}
	p := plots.New()
	p.Title.Text = "Failures per day in a data-centre network (Gill et al., SIGCOMM 2011)"
	p.Y.Label.Text = "failures per day (count/day)"
	p.X.Label.Text = "component"
	bars, err := plotter.NewBarChart(vals, vg.Points(120))
	if err != nil {
		return nil, fmt.Errorf("netfailures: %w", err)
	}
	bars.Color = plotutil.Color(0)
	p.Add(bars)
	p.NominalX(names...)
	// Room on both sides, so that the outer labels are not cut off.
	p.X.Min, p.X.Max = -0.6, float64(len(vals))-0.4
	return p, nil
}

// RepairSamples draws n repair times (minutes) from cfg's log-normal.
func RepairSamples(cfg Config, n int) ([]float64, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if n < 1 || n > 10_000_000 {
		return nil, fmt.Errorf("netfailures: sample count %d not in [1,10000000]", n)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	out := make([]float64, n)
	for i := range out {
		out[i] = cfg.RepairMedian * math.Exp(cfg.RepairSigma*rng.NormFloat64())
	}
	return out, nil
}

// RepairCDF is the log-normal distribution function of cfg's repair time.
func RepairCDF(cfg Config, minutes float64) float64 {
	if minutes <= 0 {
		return 0
	}
	if cfg.RepairSigma == 0 {
		if minutes >= cfg.RepairMedian {
			return 1
		}
		return 0
	}
	z := (math.Log(minutes) - math.Log(cfg.RepairMedian)) / cfg.RepairSigma
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// PlotRepairCDF draws the repair-time distribution: the log-normal CDF and
// the empirical CDF of n seeded samples, on a log time axis.
func PlotRepairCDF(cfg Config, n int) (*plot.Plot, error) {
	s, err := RepairSamples(cfg, n)
	if err != nil {
		return nil, err
	}
	slices.Sort(s)
	emp := plots.Series{Name: fmt.Sprintf("%d simulated repairs", n), Color: 1}
	step := max(1, len(s)/200)
	for i := 0; i < len(s); i += step {
		emp.X, emp.Y = append(emp.X, s[i]), append(emp.Y, float64(i+1)/float64(len(s)))
	}
	model := plots.Series{Name: "log-normal model", Color: 0}
	for x := 0.1; x <= 1000; x *= 1.1 {
		model.X, model.Y = append(model.X, x), append(model.Y, RepairCDF(cfg, x))
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:        fmt.Sprintf("Time to repair: log-normal, median %g min, σ=%g (%d samples, seed %d)", cfg.RepairMedian, cfg.RepairSigma, n, cfg.Seed),
		XLabel:       "time to repair (minutes, log scale)",
		YLabel:       "fraction repaired within (probability)",
		LogX:         true,
		LegendBottom: true, // bottom right: the CDF is near 1 there
	}, model, emp)
	if err != nil {
		return nil, fmt.Errorf("netfailures: %w", err)
	}
	return p, nil
}

// DowntimeLabels are the values PlotDowntime writes above its bars, so that
// a bar too short to see (two independent paths) still shows its number.
func DowntimeLabels(c Comparison) []string {
	var out []string
	for _, r := range []Result{c.Single, c.Independent, c.Correlated} {
		out = append(out, fmt.Sprintf("%.1f min", r.DowntimePerYear()))
	}
	return out
}

// PlotDowntime draws the service's downtime per year for the three cases,
// with each bar's value written above it.
func PlotDowntime(c Comparison) (*plot.Plot, error) {
	vals := plotter.Values{c.Single.DowntimePerYear(), c.Independent.DowntimePerYear(), c.Correlated.DowntimePerYear()}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Service downtime with and without redundancy (seed %d)", c.Single.Config.Seed)
	p.Y.Label.Text = "downtime (minutes per year)"
	p.X.Label.Text = "network paths to the service"
	bars, err := plotter.NewBarChart(vals, vg.Points(50))
	if err != nil {
		return nil, fmt.Errorf("netfailures: %w", err)
	}
	bars.Color = plotutil.Color(1)
	p.Add(bars)
	var at plotter.XYs
	for i, v := range vals {
		at = append(at, plotter.XY{X: float64(i), Y: v})
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: at, Labels: DowntimeLabels(c)})
	if err != nil {
		return nil, fmt.Errorf("netfailures: %w", err)
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].XAlign = text.XCenter
	}
	labels.Offset = vg.Point{Y: vg.Points(3)}
	p.Add(labels)
	p.NominalX("1 path", "2 independent", fmt.Sprintf("2, %.0f%% common", 100*c.Correlated.Config.Common))
	p.X.Min, p.X.Max = -0.6, 2.6 // room for the outer labels
	return p, nil
}

// PlotEffectiveness draws how much downtime a second path removes as the
// share of common-mode failures grows, next to the simple model's 1 − share
// (the second path helps only against the failures it does not share).
// The study's "40% effective" measures another quantity (the median traffic
// lost per failure) and is not drawn on this axis.
func PlotEffectiveness(pts []EffectivenessPoint, seed uint64) (*plot.Plot, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("netfailures: no points to plot")
	}
	sim := plots.Series{Name: "simulated", Style: plots.LinePoints, Color: 1}
	model := plots.Series{Name: "1 − common share", Style: plots.Line, Color: 0}
	for _, pt := range pts {
		sim.X, sim.Y = append(sim.X, pt.Common), append(sim.Y, 100*pt.Effectiveness)
		model.X, model.Y = append(model.X, pt.Common), append(model.Y, 100*(1-pt.Common))
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:  fmt.Sprintf("How much downtime a second path removes (seed %d)", seed),
		XLabel: "share of failures that hit both paths (fraction)",
		YLabel: "downtime removed by the second path (%)",
	}, model, sim)
	if err != nil {
		return nil, fmt.Errorf("netfailures: %w", err)
	}
	return p, nil
}
