package truth

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/twogenerals"
)

// Series is the data of one curve: the closed form (a line) and the
// Monte-Carlo estimates (dots) for one loss probability.
type Series struct {
	Name       string
	Exact, Sim plotter.XYs
}

func addSeries(p *plot.Plot, ss []Series) error {
	for i, s := range ss {
		l, err := plotter.NewLine(s.Exact)
		if err != nil {
			return fmt.Errorf("truth: %w", err)
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i % 4)
		l.Width = vg.Points(1.5)
		sc, err := plotter.NewScatter(s.Sim)
		if err != nil {
			return fmt.Errorf("truth: %w", err)
		}
		sc.Color = l.Color
		sc.Shape = draw.CircleGlyph{}
		p.Add(l, sc)
		p.Legend.Add(s.Name, l, sc)
	}
	return nil
}

// BothAttackData returns, per loss p, the closed-form and simulated
// P(both attack) against n: the data behind PlotBothAttack.
func BothAttackData(r SweepResult) []Series {
	var ss []Series
	for _, p := range r.Config.Losses {
		s := Series{Name: fmt.Sprintf("p=%g", p)}
		for _, pt := range r.Series(p) {
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
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Coordinated attack, %d legs: lines exact, dots simulated (%d runs/point, seeds from %d)", r.Config.Legs, r.Config.Trials, r.Config.Seed)
	p.X.Label.Text = "messengers per leg n"
	p.Y.Label.Text = "P(both attack)"
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.Y.Min, p.Y.Max = 0, 1
	p.Add(plotter.NewGrid())
	if err := addSeries(p, BothAttackData(r)); err != nil {
		return nil, err
	}
	p.Legend.Top, p.Legend.Left = false, false
	return p, nil
}

// PlotDisagree draws P(exactly one general attacks) against n on a log
// scale (zero estimates are left out).
func PlotDisagree(r SweepResult) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Disagreement, %d legs: lines exact, dots simulated (%d runs/point, seeds from %d)", r.Config.Legs, r.Config.Trials, r.Config.Seed)
	p.X.Label.Text = "messengers per leg n"
	p.Y.Label.Text = "P(one attacks alone), log scale"
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: 1}
	p.Add(plotter.NewGrid())
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
	if err := addSeries(p, ss); err != nil {
		return nil, err
	}
	p.Legend.Top, p.Legend.Left = false, true
	return p, nil
}

// PracticalData returns, per loss p, exact and simulated P(both attack) vs n.
func PracticalData(r PracticalResult) []Series {
	var ss []Series
	for _, p := range r.Config.Losses {
		s := Series{Name: fmt.Sprintf("p=%g", p)}
		for _, pt := range r.Series(p) {
			s.Exact = append(s.Exact, plotter.XY{X: float64(pt.Messengers), Y: pt.Exact.BothAttack})
			s.Sim = append(s.Sim, plotter.XY{X: float64(pt.Messengers), Y: pt.Sim.P(twogenerals.BothAttack)})
		}
		ss = append(ss, s)
	}
	return ss
}

// PlotPractical draws P(coordinated attack) of the practical protocol
// against the number of labelled messages, per loss p.
func PlotPractical(r PracticalResult) (*plot.Plot, error) {
	p := plot.New()
	c := r.Config
	p.Title.Text = fmt.Sprintf("Timeouts + n labelled messages + sized acks (risk %g, seeds from %d)", c.Risk, c.Seed)
	p.X.Label.Text = "labelled messages sent by A, n"
	p.Y.Label.Text = "P(both attack)"
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.Y.Min, p.Y.Max = 0, 1
	p.Add(plotter.NewGrid())
	if err := addSeries(p, PracticalData(r)); err != nil {
		return nil, err
	}
	p.Legend.Top = false
	return p, nil
}
