package physicaltime

import (
	"fmt"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// linePlot draws the series with plots.Chart, which puts the legend in a
// corner free of data (or in a band above it).
func linePlot(title, xlabel, ylabel string, ss ...plots.Series) (*plot.Plot, error) {
	p, err := plots.Chart(plots.ChartOptions{Title: title, XLabel: xlabel, YLabel: ylabel}, ss...)
	if err != nil {
		return nil, fmt.Errorf("physicaltime: %w", err)
	}
	return p, nil
}

func ms(d float64) float64 { return d / 1e6 } // ns → ms
