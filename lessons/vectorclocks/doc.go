// Package vectorclocks is the code behind the lesson "Vector clocks"
// (notebooks/08-vector-clocks.ipynb): the syllabus example replayed with
// vector clocks next to Lamport clocks, the guarantees checked on seeded
// random executions, the cost per message against the number of nodes
// (and the size of real counters), space-time diagrams labelled with
// vector timestamps, hybrid logical clocks against physical and Lamport
// clocks (HybridRun), and the lesson's exercises (Lesson, WarmUp,
// Exercise1–4, declared with pkg/exercise).
//
// Every claim the notebook makes is asserted in this package's tests.
//
// # Usage
//
//	cmp, err := vectorclocks.CompareSyllabus() // E1–E6, Lamport and vector
//	show.Table(cmp.Table())
//	rep, err := vectorclocks.CheckGuarantees(vectorclocks.GuaranteeConfig{Seed: 1})
//	cost, err := vectorclocks.MessageCost([]int{2, 4, 8, 16, 26}, 1)
//	p, err := vectorclocks.CostPlot(cost)
//	r, err := vectorclocks.HybridRun(vectorclocks.DefaultHybrid)
//	vectorclocks.Exercise2.Check(pairs)
package vectorclocks
