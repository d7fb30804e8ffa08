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
// Exercise checks (Check…) return nil or an error saying what was expected,
// what was given and a hint.
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
