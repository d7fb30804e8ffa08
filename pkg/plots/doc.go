// Package plots builds the course's standard pictures with gonum/plot:
// space-time diagrams of executions, the evolution of clocks over an
// execution, and general line/point charts with validated input. Every
// function returns a *plot.Plot (or an error for bad input — never a
// panic); pkg/show puts it in a notebook, and tests check the data behind
// it rather than its pixels.
//
// # Usage
//
//	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: "E1–E6", Labels: labels})
//	p, err := plots.Evolution(h.Nodes, values, plots.EvolutionOptions{Title: "Lamport counters"})
//	p, err := plots.Chart(plots.ChartOptions{Title: "Calls vs clients", XLabel: "clients N", YLabel: "calls", IntegerX: true},
//		plots.Series{Name: "no jitter", X: n, Y: calls1, Color: -1},
//		plots.Series{Name: "full jitter", X: n, Y: calls2, Style: plots.LinePoints, Color: -1})
//
// A Series' Color is an index into the standard palette; 0 is the first
// colour, so set -1 ("next colour") unless series should share a colour.
package plots
