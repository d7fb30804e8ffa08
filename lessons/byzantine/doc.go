// Package byzantine is the Go behind notebook 10, "The Byzantine generals".
//
// It wraps pkg/byzantine in experiments that return tables and plot data:
//
//   - Walkthrough: one small OM run with its message trace as a table and as
//     a message tree (MessageTree, PlotMessageTree).
//   - StrategyTable: every named traitor strategy at every position, with
//     the verdict (Agreement / Violation).
//   - Threshold: the fraction of random traitor runs that break OM(m) as n
//     grows, which drops to zero at n = 3m+1 (PlotThreshold).
//   - Growth: OM's message count against n for several m, measured and
//     from the paper's formula (PlotGrowth).
//   - Searches: exhaustive traitor search for OM and SM at n = 3, m = 1.
//   - The OM recursion as a notebook cell students can edit (omcell.go):
//     an OMFunc runs on a Net that carries its messages (RunOM) and is
//     compared with pkg/byzantine's OM on every small configuration
//     (CheckOM). ReferenceOM is the cell's code, which tests hold to the
//     library's behaviour.
//
// The notebook's exercises are declared in exercises.go (Lesson,
// Exercise1…Exercise3; see pkg/exercise). Exercise 3 is a traitor
// strategy that the check runs inside OM on visible and hidden scenarios.
//
// # Usage
//
//	w, err := byzantine.Walkthrough(byzantine.DefaultWalkthrough())
//	show.Table(w.Header(), w.Rows())
//	p, err := byzantine.PlotMessageTree(w.Result.Trace, "OM(1), n=4")
//
//	th, err := byzantine.Threshold(byzantine.DefaultThreshold())
//	fmt.Println(th)
package byzantine
