package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// IntegerTicks marks whole numbers only, at a step of 1, 2, 5, 10, 20, …
// chosen to give at most about ten labelled ticks. Use it for axes that
// count things (steps, events, attempts, nodes).
type IntegerTicks struct{}

// Ticks implements plot.Ticker.
func (IntegerTicks) Ticks(lo, hi float64) []plot.Tick {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || hi < lo {
		return nil
	}
	step := 1.0
	for k := 0; (hi-lo)/step > 10 && k < 60; k++ {
		switch k % 3 {
		case 0:
			step *= 2
		case 1:
			step *= 2.5
		case 2:
			step *= 2
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		if v == 0 {
			v = 0 // not -0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

// LogTicks marks powers of ten on a logarithmic axis, like gonum's
// plot.LogTicks, but labels them cleanly ("1e-05", "0.001", "100") rather
// than with the rounding error of the computed power ("9.9999e-06").
type LogTicks struct{}

// Ticks implements plot.Ticker.
func (LogTicks) Ticks(lo, hi float64) []plot.Tick {
	all := (plot.LogTicks{Prec: -1}).Ticks(lo, hi)
	// gonum returns ticks out to whole decades beyond the data; the layout
	// then reserves room for labels that are never drawn (a blank band
	// above the plot). Keep only ticks inside the axis, unless that would
	// leave no labelled tick at all (a range within one decade).
	var inside []plot.Tick
	labelled := false
	for _, t := range all {
		if t.Value >= lo*(1-1e-9) && t.Value <= hi*(1+1e-9) {
			inside = append(inside, t)
			labelled = labelled || t.Label != ""
		}
	}
	ticks := all
	if labelled {
		ticks = inside
	}
	for i, t := range ticks {
		if t.Label == "" {
			continue
		}
		if v, err := strconv.ParseFloat(strconv.FormatFloat(t.Value, 'g', 12, 64), 64); err == nil {
			ticks[i].Label = strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	return ticks
}

// CleanTicks is gonum's default ticker with labels written the short way:
// "250" and "0.25" rather than "250.00" and "0.25000". Chart uses it for
// linear axes.
type CleanTicks struct{}

// Ticks implements plot.Ticker.
func (CleanTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label == "" {
			continue
		}
		v, err := strconv.ParseFloat(strconv.FormatFloat(t.Value, 'g', 10, 64), 64)
		if err != nil {
			continue
		}
		if v == 0 {
			v = 0 // not -0
		}
		ticks[i].Label = strconv.FormatFloat(v, 'g', -1, 64)
		if math.Abs(v) >= 1e6 || (v != 0 && math.Abs(v) < 1e-4) {
			ticks[i].Label = strconv.FormatFloat(v, 'g', 3, 64)
		}
	}
	return ticks
}
