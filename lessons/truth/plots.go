package truth

import (
	"fmt"

	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/twogenerals"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Series is the data of one curve: the closed form (a line) and the
// Monte-Carlo estimates (dots) for one loss probability.
type Series struct {
	Name       string
	Exact, Sim plotter.XYs
}

// chart draws each Series as a line (exact) and dots of the same colour
// (simulated), with one legend entry per Series.
func chart(opt plots.ChartOptions, ss []Series) (*plot.Plot, error) {
	var cs []plots.Series
	for i, s := range ss {
		cs = append(cs,
			plots.Series{Name: s.Name, X: xs(s.Exact), Y: ys(s.Exact), Style: plots.Line, Color: i},
			plots.Series{X: xs(s.Sim), Y: ys(s.Sim), Style: plots.Points, Color: i})
	}
	p, err := plots.Chart(opt, cs...)
	if err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	return p, nil
}

func xs(pts plotter.XYs) []float64 {
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = p.X
	}
	return out
}

func ys(pts plotter.XYs) []float64 {
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = p.Y
	}
	return out
}

// BothAttackData returns, per loss p, the closed-form and simulated
// P(both attack) against n: the data behind PlotBothAttack.
func BothAttackData(r SweepResult) []Series { return bothAttack(r.Config.Losses, r.Series) }

// bothAttack builds one Series per loss p from the points series(p).
func bothAttack(losses []float64, series func(p float64) []SweepPoint) []Series {
	var ss []Series
	for _, p := range losses {
		s := Series{Name: fmt.Sprintf("p=%g", p)}
		for _, pt := range series(p) {
			s.Exact = append(s.Exact, plotter.XY{X: float64(pt.Messengers), Y: pt.Exact.BothAttack})
			s.Sim = append(s.Sim, plotter.XY{X: float64(pt.Messengers), Y: pt.Sim.P(twogenerals.BothAttack)})
		}
		ss = append(ss, s)
	}
	return ss
}

// PlotBothAttack draws P(both attack) against messengers per leg, one
// line (closed form) and one set of dots (simulation) per loss p.
func PlotBothAttack(r SweepResult) (*plot.Plot, error) {
	return chart(plots.ChartOptions{
		Title:    fmt.Sprintf("Coordinated attack, %d legs: lines exact, dots simulated (%d runs/point, seeds from %d)", r.Config.Legs, r.Config.Trials, r.Config.Seed),
		XLabel:   "messengers per leg n",
		YLabel:   "P(both attack)",
		IntegerX: true,
		YRange:   true, YMin: 0, YMax: 1,
		LegendBottom: true,
	}, BothAttackData(r))
}

// PlotDisagree draws P(exactly one general attacks) against n on a log
// scale (zero estimates are left out).
func PlotDisagree(r SweepResult) (*plot.Plot, error) {
	var ss []Series
	for _, loss := range r.Config.Losses {
		s := Series{Name: fmt.Sprintf("p=%g", loss)}
		for _, pt := range r.Series(loss) {
			if pt.Exact.Disagree() > 0 {
				s.Exact = append(s.Exact, plotter.XY{X: float64(pt.Messengers), Y: pt.Exact.Disagree()})
			}
			if pt.Sim.Disagree() > 0 {
				s.Sim = append(s.Sim, plotter.XY{X: float64(pt.Messengers), Y: pt.Sim.Disagree()})
			}
		}
		if len(s.Exact) > 0 && len(s.Sim) > 0 {
			ss = append(ss, s)
		}
	}
	return chart(plots.ChartOptions{
		Title:        fmt.Sprintf("Disagreement, %d legs: lines exact, dots simulated (%d runs/point, seeds from %d)", r.Config.Legs, r.Config.Trials, r.Config.Seed),
		XLabel:       "messengers per leg n",
		YLabel:       "P(one attacks alone)",
		IntegerX:     true,
		LogY:         true,
		LegendBottom: true, LegendLeft: true,
	}, ss)
}

// PracticalData returns, per loss p, exact and simulated P(both attack) vs n.
func PracticalData(r PracticalResult) []Series { return bothAttack(r.Config.Losses, r.Series) }

// PlotPractical draws P(coordinated attack) of the practical protocol
// against the number of labelled messages, per loss p.
func PlotPractical(r PracticalResult) (*plot.Plot, error) {
	c := r.Config
	return chart(plots.ChartOptions{
		Title:    fmt.Sprintf("Timeouts + n labelled messages + sized acks (risk %g, seeds from %d)", c.Risk, c.Seed),
		XLabel:   "labelled messages sent by A, n",
		YLabel:   "P(both attack)",
		IntegerX: true,
		YRange:   true, YMin: 0, YMax: 1,
		LegendBottom: true,
	}, PracticalData(r))
}
