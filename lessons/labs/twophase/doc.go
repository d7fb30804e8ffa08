// Package twophase is the Go behind notebook lab-14, "Lab: two-phase
// commit": students write the coordinator and the participant of
// two-phase commit (netsim nodes) so that a transaction commits or aborts
// everywhere alike, whatever the network and crashes do; the model
// checker (pkg/mcheck) explores every interleaving within fault budgets
// and draws the shortest run that breaks the protocol.
//
//   - Prepare, Vote, Decision, Query and Ack are the lab's messages;
//     nodes report their decision with ctx.Output(Commit) or
//     ctx.Output(Abort). The lab records each participant's votes as it
//     sends them (validity is a property of the votes).
//   - The properties: the invariants Validity (nobody commits unless every
//     participant voted yes) and Atomicity (all that decide, decide the
//     same), and bounded liveness Decide (while the coordinator is up,
//     every node that is up decides). AllDecide drops "while the
//     coordinator is up": two-phase commit fails it, because a
//     participant that voted yes must wait for a crashed coordinator.
//   - Nodes is the answer: constructors of the coordinator and the
//     participant. Lab is the graded exercise: Lab.Check(nodes) checks the
//     visible scenario; the grader also searches hidden ones (three
//     participants, a lost message, a participant that votes no, two
//     crashes, a duplicated message).
//   - Try runs the nodes on a seeded random netsim network with a crash
//     schedule, and Run.Plot draws the run.
//   - Gallery shows the checker catching classic bugs in broken
//     implementations that ship with the package (their code is not
//     exported); Blocking shows a correct two-phase commit failing
//     AllDecide, and BlockingOf the same search on your nodes.
//
// # Usage
//
//	nodes := twophase.Nodes{
//		Coordinator: func(ps []netsim.NodeID) netsim.Node { return &Coordinator{Participants: ps} },
//		Participant: func(canCommit bool) netsim.Node { return &Participant{CanCommit: canCommit} },
//	}
//	run, err := twophase.Try(nodes, twophase.DefaultNetwork())
//	fmt.Print(run)
//	p, err := run.Plot()
//	twophase.Lab.Check(nodes)
//	twophase.Blocking()
package twophase
