// Package plots builds the course's standard pictures with gonum/plot:
// space-time diagrams of executions and the evolution of clocks over an
// execution. Every function returns a *plot.Plot (or an error for bad
// input); pkg/show puts it in a notebook, and tests check the data behind
// it rather than its pixels.
//
// # Usage
//
//	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: "E1–E6", Labels: labels})
//	p, err := plots.Evolution(h.Nodes, values, plots.EvolutionOptions{Title: "Lamport counters"})
package plots
