package truth

import (
	"fmt"

	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/twogenerals"
	"gonum.org/v1/plot"
)

// RiskMiss counts, for one capture probability, the points of a practical
// sweep (with at least MinN labelled messages) at which the exact
// P(B attacks alone) is above the protocol's Risk target.
type RiskMiss struct {
	Loss          float64
	MinN          int
	Above, Points int
}

func (m RiskMiss) String() string {
	return fmt.Sprintf("p=%g: P(B alone) above the target at %d of %d points with n ≥ %d", m.Loss, m.Above, m.Points, m.MinN)
}

// RiskMisses returns one RiskMiss per capture probability of r, in the
// order of r.Config.Losses.
func (r PracticalResult) RiskMisses(minN int) []RiskMiss {
	var out []RiskMiss
	for _, p := range r.Config.Losses {
		m := RiskMiss{Loss: p, MinN: minN}
		for _, pt := range r.Series(p) {
			if pt.Messengers < minN {
				continue
			}
			m.Points++
			if pt.Exact.OnlyB > r.Config.Risk {
				m.Above++
			}
		}
		out = append(out, m)
	}
	return out
}

// PlotPracticalAlone draws P(B attacks alone) of the practical protocol
// against n on a log scale — exact lines, simulated dots (runs in which no
// general attacked alone cannot be drawn on a log scale and are left
// out) — with the Risk target as a dashed line.
func PlotPracticalAlone(r PracticalResult) (*plot.Plot, error) {
	c := r.Config
	var cs []plots.Series
	for i, p := range c.Losses {
		var ex, sim plots.Series
		ex = plots.Series{Name: fmt.Sprintf("p=%g", p), Style: plots.Line, Color: i}
		sim = plots.Series{Style: plots.Points, Color: i}
		for _, pt := range r.Series(p) {
			if pt.Exact.OnlyB > 0 {
				ex.X, ex.Y = append(ex.X, float64(pt.Messengers)), append(ex.Y, pt.Exact.OnlyB)
			}
			if s := pt.Sim.P(twogenerals.OnlyB); s > 0 {
				sim.X, sim.Y = append(sim.X, float64(pt.Messengers)), append(sim.Y, s)
			}
		}
		if len(ex.X) > 0 {
			cs = append(cs, ex)
		}
		if len(sim.X) > 0 {
			cs = append(cs, sim)
		}
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("truth: no point with P(B alone) > 0 to plot")
	}
	lo, hi := float64(c.Messengers[0]), float64(c.Messengers[len(c.Messengers)-1])
	cs = append(cs, plots.Series{Name: fmt.Sprintf("target %g", c.Risk), X: []float64{lo, hi}, Y: []float64{c.Risk, c.Risk}, Style: plots.Line, Color: len(c.Losses)})
	p, err := plots.Chart(plots.ChartOptions{
		Title:        fmt.Sprintf("B attacks alone: lines exact, dots simulated (risk %g, seeds from %d)", c.Risk, c.Seed),
		XLabel:       "labelled messages sent by A, n",
		YLabel:       "P(B attacks alone)",
		IntegerX:     true,
		LogY:         true,
		LegendBottom: true,
	}, cs...)
	if err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	return p, nil
}
