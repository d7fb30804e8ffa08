package plots

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
)

func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestTickLabels(t *testing.T) {
	cases := []struct {
		name   string
		ticker plot.Ticker
		lo, hi float64
		want   []string
	}{
		// Whole numbers, never "1.0".
		{"integer small", IntegerTicks{}, -0.5, 6.5, []string{"0", "1", "2", "3", "4", "5", "6"}},
		{"integer wide", IntegerTicks{}, 0, 1000, []string{"0", "100", "200", "300", "400", "500", "600", "700", "800", "900", "1000"}},
		{"integer wider", IntegerTicks{}, 0, 1500, []string{"0", "200", "400", "600", "800", "1000", "1200", "1400"}},
		{"integer narrow", IntegerTicks{}, 2.2, 2.8, nil},
		{"integer huge", IntegerTicks{}, 0, 1e300, []string{"0", "1e+299", "2e+299", "3e+299", "4e+299", "5e+299", "6e+299", "7e+299", "8e+299", "9e+299", "1e+300"}},
		// Short labels: gonum writes "1000.00" and "0.50" here.
		{"clean thousands", CleanTicks{}, 0, 2000, []string{"0", "500", "1000", "1500", "2000"}},
		{"clean fraction", CleanTicks{}, 0, 0.5, []string{"0", "0.1", "0.2", "0.3", "0.4", "0.5"}},
		{"clean probability", CleanTicks{}, 0, 1, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		{"clean counts", CleanTicks{}, 0, 11, []string{"0", "2", "4", "6", "8", "10"}},
		{"clean negative", CleanTicks{}, -3, 3, []string{"-3", "-2", "-1", "0", "1", "2", "3"}},
		{"clean tiny", CleanTicks{}, 0, 3e-7, []string{"0", "5e-08", "1e-07", "1.5e-07", "2e-07", "2.5e-07", "3e-07"}},
		{"clean large", CleanTicks{}, 0, 3e7, []string{"0", "5e+06", "1e+07", "1.5e+07", "2e+07", "2.5e+07", "3e+07"}},
		{"clean offset", CleanTicks{}, 1e6, 1e6 + 10, []string{"1000000", "1000002", "1000004", "1000006", "1000008", "1000010"}},
		{"clean one value", CleanTicks{}, 4, 4, []string{"4"}},
		// Powers of ten as by hand, no "9.999…e-06".
		{"log decades", LogTicks{}, 1e-8, 0.5, []string{"1e-08", "1e-07", "1e-06", "1e-05", "0.0001", "0.001", "0.01", "0.1"}},
		{"log mixed", LogTicks{}, 0.05, 2000, []string{"0.1", "1", "10", "100", "1000"}},
		{"log many decades", LogTicks{}, 1e-30, 1e30, []string{"1e-30", "1e-20", "1e-10", "1", "1e+10", "1e+20", "1e+30"}},
		{"log within a decade", LogTicks{}, 0.2, 0.8, []string{"0.2", "0.5"}},
		{"log within a narrow decade", LogTicks{}, 0.31, 0.32, []string{"0.31", "0.32"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, labels(c.ticker.Ticks(c.lo, c.hi)))
		})
	}
}

// gonum's LogTicks goes out to whole decades beyond the data, and the
// layout then reserves room for labels that are never drawn (a blank band
// above log plots); ours stay inside the axis.
func TestLogTicksStayInsideTheAxis(t *testing.T) {
	for _, tk := range (LogTicks{}).Ticks(3e-5, 0.25) {
		assert.GreaterOrEqual(t, tk.Value, 3e-5*(1-1e-9))
		assert.LessOrEqual(t, tk.Value, 0.25*(1+1e-9))
	}
	last := (plot.LogTicks{Prec: -1}).Ticks(3e-5, 0.25)
	assert.Greater(t, last[len(last)-1].Value, 0.25)
}

// Ranges that made tickers loop forever, allocate without bound or panic
// now give a bounded answer (possibly none).
func TestTicksOnHostileRanges(t *testing.T) {
	tickers := map[string]plot.Ticker{"integer": IntegerTicks{}, "clean": CleanTicks{}, "log": LogTicks{}}
	ranges := [][2]float64{
		{-math.MaxFloat64, math.MaxFloat64}, // width overflows
		{0, math.MaxFloat64},
		{-math.MaxFloat64, 0},
		{0, 1e300},
		{1e300, 1e300 * (1 + 1e-15)}, // narrower than the spacing of float64
		{1, math.Nextafter(1, 2)},
		{5e-324, 1e308}, // every decade float64 has
		{math.NaN(), 1},
		{1, math.Inf(1)},
		{math.Inf(-1), math.Inf(1)},
		{3, 1}, // reversed
		{0, 0},
		{-1, -1e-300},
	}
	for name, tk := range tickers {
		for _, r := range ranges {
			ticks := tk.Ticks(r[0], r[1])
			assert.LessOrEqual(t, len(ticks), MaxTicks, "%s %v", name, r)
			checkTicks(t, name, r[0], r[1], ticks)
		}
	}
}

// checkTicks asserts what every ticker promises: at most MaxTicks ticks,
// finite values inside the range (when the range is usable), labelled
// ticks in increasing order with distinct labels.
func checkTicks(t *testing.T, name string, lo, hi float64, ticks []plot.Tick) {
	t.Helper()
	require.LessOrEqual(t, len(ticks), MaxTicks, "%s(%v, %v)", name, lo, hi)
	if !usable(lo, hi) {
		assert.Empty(t, ticks, "%s(%v, %v) on an unusable range", name, lo, hi)
		return
	}
	tol := 1e-9 * max(math.Abs(lo), math.Abs(hi))
	seen := map[string]bool{}
	prev := math.Inf(-1)
	for _, tk := range ticks {
		require.False(t, math.IsNaN(tk.Value) || math.IsInf(tk.Value, 0), "%s(%v, %v): tick %v", name, lo, hi, tk.Value)
		require.True(t, tk.Value >= lo-tol && tk.Value <= hi+tol, "%s(%v, %v): tick %v outside", name, lo, hi, tk.Value)
		if tk.Label == "" {
			continue
		}
		require.False(t, seen[tk.Label], "%s(%v, %v): label %q twice", name, lo, hi, tk.Label)
		seen[tk.Label] = true
		require.Greater(t, tk.Value, prev, "%s(%v, %v): labels out of order", name, lo, hi)
		prev = tk.Value
	}
}

// A tick at the end of the range has the range's value, not one a
// rounding error beyond it (6 × 0.05 = 0.30000000000000004), which gonum
// would draw without making room for its label.
func TestTickValuesAreTheLabels(t *testing.T) {
	ticks := CleanTicks{}.Ticks(0, 0.3)
	var last plot.Tick
	for _, tk := range ticks {
		if tk.Label != "" {
			last = tk
		}
		assert.LessOrEqual(t, tk.Value, 0.3)
	}
	assert.Equal(t, plot.Tick{Value: 0.3, Label: "0.3"}, last)
}

func TestClipTicks(t *testing.T) {
	c := clipTicks{Ticker: CleanTicks{}, lo: math.Inf(-1), hi: 1}
	assert.Equal(t, []string{"0", "0.5", "1"}, labels(c.Ticks(0, 1.4)))
}

func FuzzTicks(f *testing.F) {
	f.Add(0.0, 1.0)
	f.Add(-math.MaxFloat64, math.MaxFloat64)
	f.Add(1e-300, 1e300)
	f.Add(1e300, 1e300+1e285)
	f.Add(0.2, 0.8)
	f.Fuzz(func(t *testing.T, lo, hi float64) {
		checkTicks(t, "IntegerTicks", lo, hi, IntegerTicks{}.Ticks(lo, hi))
		checkTicks(t, "CleanTicks", lo, hi, CleanTicks{}.Ticks(lo, hi))
		if lo > 0 {
			checkTicks(t, "LogTicks", lo, hi, LogTicks{}.Ticks(lo, hi))
		} else {
			assert.Empty(t, LogTicks{}.Ticks(lo, hi))
		}
	})
}
