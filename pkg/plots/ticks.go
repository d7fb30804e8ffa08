package plots

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// The tickers below never panic and never return more than MaxTicks ticks,
// whatever range they are given (NaN, infinite, reversed, or spanning 600
// decades): a ticker that loops until it passes the top of the range would
// never stop when a step is smaller than the spacing of float64 values
// there.

// MaxTicks bounds the number of ticks (labelled and unlabelled) any ticker
// of this package returns.
const MaxTicks = 100

// usable reports whether [lo, hi] is a range a ticker can mark: finite,
// ordered, with a finite width.
func usable(lo, hi float64) bool {
	return !math.IsNaN(lo) && !math.IsNaN(hi) && !math.IsInf(lo, 0) && !math.IsInf(hi, 0) &&
		lo <= hi && !math.IsInf(hi-lo, 0)
}

// niceStep returns the smallest step of the form {1, 2, 5} × 10^k that is
// at least raw (at least 1 for integers), and whether one exists as a
// finite float64.
func niceStep(raw float64, integer bool) (float64, bool) {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 0, false
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if s := m * mag; s >= raw*(1-1e-12) && !math.IsInf(s, 0) {
			if integer && s < 1 {
				return 1, true
			}
			return s, true
		}
	}
	return 0, false
}

// linearTicks marks [lo, hi] at multiples of a nice step giving at most
// maxLabels labelled ticks, with unlabelled minor ticks between them when
// minor is set. It falls back to labelling the two ends when the range is
// too narrow for float64 to hold distinct ticks in it.
func linearTicks(lo, hi float64, maxLabels int, integer, minor bool) []plot.Tick {
	if !usable(lo, hi) {
		return nil
	}
	if lo == hi {
		return []plot.Tick{{Value: lo, Label: formatTick(lo, 0)}}
	}
	step, ok := niceStep((hi-lo)/float64(maxLabels-1), integer)
	if !ok {
		return endTicks(lo, hi)
	}
	first := math.Ceil(lo/step) * step
	var ticks []plot.Tick
	for k := 0; k < maxLabels+2; k++ {
		v := first + float64(k)*step
		if v > hi+step*1e-9 || math.IsInf(v, 0) {
			break
		}
		if len(ticks) > 0 && v == ticks[len(ticks)-1].Value {
			return endTicks(lo, hi) // below float64 resolution
		}
		if v == 0 {
			v = 0 // not -0
		}
		label := formatTick(v, step)
		// The value the label names (0.3, not 6 × 0.05 =
		// 0.30000000000000004), kept inside the range: gonum lays out
		// only the labels of ticks inside it, but draws the others too.
		if exact, err := strconv.ParseFloat(label, 64); err == nil && math.Abs(exact-v) <= step*1e-6 {
			v = exact
		}
		v = min(max(v, lo), hi)
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	if len(ticks) == 0 {
		return endTicks(lo, hi)
	}
	if minor {
		ticks = append(ticks, minorTicks(lo, hi, step, integer)...)
	}
	return ticks
}

// minorTicks are unlabelled ticks halfway between the labelled ones,
// never between consecutive integers.
func minorTicks(lo, hi, step float64, integer bool) []plot.Tick {
	m := step / 2
	if integer && m < 1 {
		return nil
	}
	var ticks []plot.Tick
	first := math.Ceil(lo/m) * m
	for k := 0; k < MaxTicks/2; k++ {
		v := first + float64(k)*m
		if v > hi || math.IsInf(v, 0) {
			break
		}
		if r := math.Abs(math.Remainder(v, step)); r < m/2 {
			continue // a labelled tick is there
		}
		ticks = append(ticks, plot.Tick{Value: v})
	}
	return ticks
}

// endTicks labels the two ends of a range too narrow (or too wide) for
// nice steps.
func endTicks(lo, hi float64) []plot.Tick {
	if lo == hi {
		return []plot.Tick{{Value: lo, Label: formatTick(lo, 0)}}
	}
	d := hi - lo
	return []plot.Tick{{Value: lo, Label: formatTick(lo, d)}, {Value: hi, Label: formatTick(hi, d)}}
}

// formatTick writes v as short as the step between ticks allows: "2" not
// "2.00", "0.25", "1500", "1e+06", "2.5e-07".
func formatTick(v, step float64) string {
	if v == 0 {
		return "0"
	}
	if !(step > 0) {
		return trimExponent(strconv.FormatFloat(v, 'g', 6, 64))
	}
	a := math.Abs(v)
	// Enough significant digits to tell ticks step apart.
	digits := min(max(int(math.Ceil(math.Log10(a/step)))+1, 1), 17)
	// Exponents for very small and very large values, unless a large
	// value needs many digits anyway (1000002 rather than 1.000002e+06).
	if a < 1e-4 || a >= 1e15 || (a >= 1e6 && digits <= 4) {
		return trimExponent(strconv.FormatFloat(v, 'e', digits-1, 64))
	}
	dec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	if mant := step / math.Pow(10, math.Floor(math.Log10(step)+1e-9)); math.Abs(mant-math.Round(mant)) > 1e-9 {
		dec++ // 2.5 × 10^k needs one more decimal
	}
	dec = min(dec, 20)
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// trimExponent turns "1.50e+06" into "1.5e+06" and "1.00e-07" into "1e-07".
func trimExponent(s string) string {
	i := strings.IndexByte(s, 'e')
	if i < 0 {
		return s
	}
	m, e := s[:i], s[i:]
	if strings.Contains(m, ".") {
		m = strings.TrimRight(strings.TrimRight(m, "0"), ".")
	}
	return m + e
}

// IntegerTicks marks whole numbers only, at a step of 1, 2, 5, 10, 20, …
// chosen to give at most about ten labelled ticks. Use it for axes that
// count things (steps, events, attempts, nodes).
type IntegerTicks struct{}

// Ticks implements plot.Ticker.
func (IntegerTicks) Ticks(lo, hi float64) []plot.Tick {
	if !usable(lo, hi) {
		return nil
	}
	if math.Ceil(lo) > hi {
		return nil // no whole number in the range
	}
	return linearTicks(lo, hi, 11, true, false)
}

// CleanTicks marks a linear axis at steps of 1, 2 or 5 × 10^k (at most
// seven labels) with labels written the short way: "250" and "0.25",
// never "250.00" or "1.0". Chart uses it for linear axes.
type CleanTicks struct{}

// Ticks implements plot.Ticker.
func (CleanTicks) Ticks(lo, hi float64) []plot.Tick {
	return linearTicks(lo, hi, 7, false, true)
}

// LogTicks marks a logarithmic axis: powers of ten inside the range,
// labelled as by hand ("1e-05", "0.001", "100"), with unlabelled ticks at
// 2…9 × each power. Over more than ten decades only every second, fifth,
// tenth… power is labelled; within one decade it labels 1, 2 and 5 × 10^k.
type LogTicks struct{}

// Ticks implements plot.Ticker.
func (LogTicks) Ticks(lo, hi float64) []plot.Tick {
	if !usable(lo, hi) || !(lo > 0) {
		return nil
	}
	inside := func(v float64) bool { return v >= lo*(1-1e-9) && v <= hi*(1+1e-9) }
	e0, e1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	decades := e1 - e0
	every := 1
	for _, k := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500} {
		every = k
		if decades/k <= 10 {
			break
		}
	}
	var ticks []plot.Tick
	labelled := 0
	for e := e0; e <= e1; e++ {
		v := pow10(e)
		if v == 0 || math.IsInf(v, 0) {
			continue
		}
		if inside(v) && e%every == 0 {
			ticks = append(ticks, plot.Tick{Value: v, Label: formatPow10(e)})
			labelled++
		} else if inside(v) && decades <= MaxTicks/2 {
			ticks = append(ticks, plot.Tick{Value: v})
		}
		if decades <= 10 {
			for m := 2; m <= 9; m++ {
				if w := float64(m) * v; inside(w) {
					ticks = append(ticks, plot.Tick{Value: w})
				}
			}
		}
	}
	if labelled >= 2 {
		return ticks
	}
	// Less than two powers of ten inside: label 1, 2 and 5 × 10^k as well.
	for i, t := range ticks {
		e := int(math.Floor(math.Log10(t.Value) + 1e-9))
		m := t.Value / pow10(e)
		if r := math.Round(m); math.Abs(m-r) < 1e-9 && (r == 2 || r == 5) {
			ticks[i].Label = formatTick(t.Value, pow10(e))
		}
	}
	n := 0
	for _, t := range ticks {
		if t.Label != "" {
			n++
		}
	}
	if n < 2 {
		// A very narrow range: label its ends.
		return endTicks(lo, hi)
	}
	return ticks
}

// pow10 is 10^e, exact for the powers float64 holds exactly.
func pow10(e int) float64 { return math.Pow10(e) }

// formatPow10 writes 10^e as by hand: "0.001", "1", "1000", "1e+06", "1e-05".
func formatPow10(e int) string {
	if e >= -4 && e < 6 {
		return strconv.FormatFloat(pow10(e), 'f', max(0, -e), 64)
	}
	return trimExponent(strconv.FormatFloat(pow10(e), 'e', 0, 64))
}

// clipTicks drops the ticks of a ticker outside [lo, hi]: an axis extended
// to make room for a legend keeps the labels of the range asked for.
type clipTicks struct {
	plot.Ticker
	lo, hi float64
}

func (c clipTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range c.Ticker.Ticks(lo, hi) {
		if t.Value >= c.lo-1e-9*math.Abs(c.lo) && t.Value <= c.hi+1e-9*math.Abs(c.hi) {
			out = append(out, t)
		}
	}
	return out
}
