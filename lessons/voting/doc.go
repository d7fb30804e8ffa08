// Package voting is the Go behind notebook 11, "Voting and leader
// election".
//
// Quorums (over pkg/quorum):
//
//   - ReadWriteGrid: every (R, W) for N replicas, whether every read quorum
//     meets every write quorum (exhaustive check next to the rule R+W>N),
//     with a disjoint pair when not (PlotReadWrite).
//   - WeightedTable: Gifford-style weighted votes, per threshold.
//   - Tallies: vote counting with named outcomes (Elected, Pending, Split,
//     Conflict).
//
// Leader election (over pkg/netsim): Raft-style nodes with randomised
// election timeouts (Election, ElectionSweep, Partition):
//
//   - split votes and time to elect a leader against the width of the
//     timeout randomisation range;
//   - split brain under a partition when a candidate only needs "enough
//     replies" versus none when it needs a majority quorum.
//
// The two vote handlers of an election node are plain functions,
// GrantVote and CountVote, which the notebook shows in a cell students can
// edit: ElectionConfig.Handlers plugs a cell's versions in, and
// CheckHandlers runs them next to the library's in cold starts and the
// partition, reporting two leaders in a term, a cluster that elects
// nobody, or other leaders than the library's.
//
// Register is a replicated register on read and write quorums, with the
// read rule Newest (and MostCommon, the rule intersection does not
// support); StaleRead and NewThenOld are the notebook's scenarios.
//
// The notebook's exercises are declared in exercises.go (Lesson,
// Exercise1…Exercise4; see pkg/exercise).
//
// # Usage
//
//	g, err := voting.ReadWriteGrid(5)
//	show.Table(g.Header(), g.Rows())
//	p, err := voting.PlotReadWrite(g)
//
//	s, err := voting.ElectionSweep(voting.DefaultSweep())
//	fmt.Println(s) // split votes and time to elect per timeout range
package voting
