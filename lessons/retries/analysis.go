package retries

import (
	"fmt"
	"math"

	"github.com/dslessons/course/pkg/retry"
)

// GrowthExponent fits calls ≈ a·N^k by least squares on log(calls) vs
// log(N) over strategy s's points with N ≥ fromN, and returns k. Work that
// grows linearly has k = 1, the worst case of N rounds with everyone
// competing has k = 2.
func (r SweepResult) GrowthExponent(s retry.Strategy, fromN int) (float64, error) {
	var xs, ys []float64
	for _, p := range r.Series(s) {
		if p.Clients >= fromN && p.Clients > 0 && p.Calls > 0 {
			xs = append(xs, math.Log(float64(p.Clients)))
			ys = append(ys, math.Log(p.Calls))
		}
	}
	if len(xs) < 2 {
		return 0, fmt.Errorf("retries: need at least 2 points with N >= %d for %v, have %d", fromN, s, len(xs))
	}
	return slope(xs, ys), nil
}

// slope is the ordinary least-squares slope of ys on xs.
func slope(xs, ys []float64) float64 {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}
