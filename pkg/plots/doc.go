// Package plots builds the course's standard pictures with gonum/plot:
// space-time diagrams of executions, the evolution of clocks over an
// execution, and general line/marker charts with validated input. Every
// function returns a *plot.Plot (or an error for bad input — never a
// panic, a hang or unbounded memory); pkg/show puts it in a notebook, and
// tests check the data behind it (where labels and legends went) rather
// than its pixels.
//
// # Style
//
// Every picture uses the Okabe–Ito colours, which readers with colour
// blindness can tell apart, and gives each series its own dash pattern and
// marker shape as well (Color, Dashes, Shape), in Liberation Sans at sizes
// that read like the notebook's text at 800 × 450 CSS pixels (Width,
// Height). New returns an empty plot in this style, for lesson code that
// draws with gonum/plot directly; importing the package also makes the
// style gonum's default (plot.DefaultFont, plotutil.Color, …). LogY and
// LogX make an axis logarithmic without the blank band gonum leaves above
// a log axis's label.
//
// Legends go in a corner where they cover no data, or in a band made for
// them above it. Tick labels are short ("2", "0.25", "1e-06", never
// "2.0"), and no ticker returns more than MaxTicks ticks whatever its
// range.
//
// In a space-time diagram no two labels overlap and no label covers an
// event: each label goes above or below its event, shifted sideways, or a
// line further out with a leader line, on a white box so that no line runs
// through its text. A message never received ends in a short dashed stub:
// with a cross if it was lost, open if it was still in flight when the
// history ends (SpaceTimeOptions.Unreceived and Fates say which), and a
// legend under the lanes says so.
//
// # Usage
//
//	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: "E1–E6", Labels: labels})
//	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: "lost request", Unreceived: plots.Lost})
//	p, err := plots.Evolution(h.Nodes, values, plots.EvolutionOptions{Title: "Lamport counters"})
//	p, err := plots.Chart(plots.ChartOptions{Title: "Calls vs clients", XLabel: "clients N", YLabel: "calls", IntegerX: true},
//		plots.Series{Name: "no jitter", X: n, Y: calls1, Color: -1},
//		plots.Series{Name: "full jitter", X: n, Y: calls2, Style: plots.LinePoints, Color: -1})
//
//	p := plots.New() // a hand-made picture in the course's style
//	plots.LogY(p)
//
// A Series' Color is an index into the palette; 0 is the first colour, so
// set -1 ("next colour") unless series should share a colour (a formula
// and its simulation).
package plots
