package plots

import (
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
	// Powers of ten, written as by hand (no "9.999…e-06"), covering the range.
	assert.Equal(t, []string{"1e-08", "1e-07", "1e-06", "1e-05", "0.0001", "0.001", "0.01", "0.1", "1"}, labels)
	labels = nil
	for _, tk := range (LogTicks{}).Ticks(0.05, 2000) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.Equal(t, []string{"0.1", "1", "10", "100", "1000", "10000"}, labels)
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
