package plots

import (
	"gonum.org/v1/plot"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLogTicksLabels(t *testing.T) {
	var labels []string
	for _, tk := range (LogTicks{}).Ticks(1e-8, 0.5) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	// Powers of ten inside the range, written as by hand (no "9.999…e-06").
	assert.Equal(t, []string{"1e-08", "1e-07", "1e-06", "1e-05", "0.0001", "0.001", "0.01", "0.1"}, labels)
	labels = nil
	for _, tk := range (LogTicks{}).Ticks(0.05, 2000) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.Equal(t, []string{"0.1", "1", "10", "100", "1000"}, labels)
	// Within one decade there is no power of ten inside: keep gonum's ticks.
	labels = nil
	for _, tk := range (LogTicks{}).Ticks(0.2, 0.8) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.NotEmpty(t, labels)
}

func TestCleanTicks(t *testing.T) {
	var labels []string
	for _, tk := range (CleanTicks{}).Ticks(0, 2000) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.Equal(t, []string{"0", "1000", "2000"}, labels) // gonum labels "1000.00" here
	labels = nil
	for _, tk := range (CleanTicks{}).Ticks(0, 0.5) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.Equal(t, []string{"0", "0.25", "0.5"}, labels) // gonum: "0.00", "0.25", "0.50"
}

func TestLogTicksStayInsideTheAxis(t *testing.T) {
	for _, tk := range (LogTicks{}).Ticks(3e-5, 0.25) {
		assert.GreaterOrEqual(t, tk.Value, 3e-5*(1-1e-9))
		assert.LessOrEqual(t, tk.Value, 0.25*(1+1e-9))
	}
	// gonum's own ticker goes out to the next decade (1), which is what
	// left a blank band above log plots.
	last := (plot.LogTicks{Prec: -1}).Ticks(3e-5, 0.25)
	assert.Greater(t, last[len(last)-1].Value, 0.25)
}
