// Package truth is the Go behind notebook 09, "What is true in a
// distributed system?" — the two generals problem.
//
// Experiments (each takes a Seed and prints it):
//
//   - Sweep: messenger protocols (order, order+ack, ...) over a grid of
//     messengers per leg n and capture probabilities p; seeded Monte-Carlo
//     estimates next to the closed form of pkg/twogenerals.
//   - LastMessage / EveryProtocol: the exhaustive "last message" argument
//     over every delivery pattern of a bounded protocol, and over every
//     deterministic protocol with up to four messages.
//   - PracticalSweep: the engineering approximation (timeouts, n labelled
//     messages, acknowledgements sized from the count received): P(both
//     attack) and P(B attacks alone) vs n and p.
//
// Plot builders (PlotBothAttack, PlotDisagree, PlotPractical) return
// *plot.Plot. The notebook's exercises are declared in exercises.go
// (Lesson, Exercise1…Exercise3, with per-student numbers; see
// pkg/exercise).
//
// # Usage
//
//	s, err := truth.Sweep(truth.DefaultSweep())
//	fmt.Println(s)                 // table: n, p, simulated and exact P(both attack)
//	p, err := truth.PlotBothAttack(s)
//
//	lm, err := truth.LastMessage(4)
//	fmt.Println(lm)                // the chain of patterns, one message dropped at a time
package truth
