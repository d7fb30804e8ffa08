package physicaltime

import (
	"fmt"
	"math"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// linePlot draws the series with plots.Chart and, when there is a legend,
// raises the top of the y axis so that the legend does not hide the lines.
func linePlot(title, xlabel, ylabel string, ss ...plots.Series) (*plot.Plot, error) {
	p, err := plots.Chart(plots.ChartOptions{Title: title, XLabel: xlabel, YLabel: ylabel}, ss...)
	if err != nil {
		return nil, fmt.Errorf("physicaltime: %w", err)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, y := range s.Y {
			lo, hi = min(lo, y), max(hi, y)
		}
	}
	if len(ss) > 1 && hi > lo {
		// Leave the top fifth (per legend line) free for the legend.
		room := 0.09 * float64(len(ss)) / (1 - 0.09*float64(len(ss)))
		p.Y.Min, p.Y.Max = lo, hi+room*(hi-lo)
	}
	return p, nil
}

func ms(d float64) float64 { return d / 1e6 } // ns → ms
