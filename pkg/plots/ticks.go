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
