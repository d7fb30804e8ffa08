// Package quorum models quorum systems and vote counting.
//
// A quorum system over N nodes says which sets of nodes are enough to
// decide (a quorum). If every two quorums share at least one node, two
// decisions can never be taken by disjoint groups that cannot see each
// other: that shared node is what prevents split brain.
//
// The package provides majority quorums, weighted voting (Gifford 1979),
// "any k of N" quorums and read/write quorums with R + W > N. Check tests
// whether every quorum of one system meets every quorum of another by
// exhaustive enumeration of subsets (N ≤ MaxExhaustive) and returns a
// minimal pair of disjoint quorums when they do not; the closed-form rules
// (2t > total weight, R + W > N, 2W > N) are tested against it.
//
// Count tallies an election's ballots against a quorum system and names
// the outcome: Elected, Pending, Split (no candidate can still reach a
// quorum) or Conflict (two winners: only possible when quorums do not
// intersect).
//
// # Limits
//
// Systems have 1 to MaxNodes nodes (a Set is a 64-bit mask) and Check
// enumerates at most MaxExhaustive of them; a weighted node holds at most
// MaxWeight votes, so no sum of votes overflows. Check and Count validate
// every system they are given, including hand-written ones (a System with
// N() outside the range, a WeightedSystem literal with bad weights), and a
// System whose methods panic makes them return an error, not crash.
//
// # Usage
//
//	maj, _ := quorum.Majority(5)
//	fmt.Println(quorum.Check(maj, maj))        // every two quorums intersect
//	rw, _ := quorum.NewReadWrite(5, 3, 3)
//	fmt.Println(quorum.Check(rw.Read(), rw.Write()))
//	t, _ := quorum.Count(maj, []quorum.Ballot{{Voter: 0, Candidate: 0}, {Voter: 1, Candidate: 0}, {Voter: 2, Candidate: 0}})
//	fmt.Println(t) // Elected 0 ...
package quorum
