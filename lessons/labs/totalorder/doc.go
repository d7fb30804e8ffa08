// Package totalorder is the Go behind notebook lab-12, "Lab: totally
// ordered broadcast": students write one member of totally ordered
// broadcast with Lamport clocks (Lamport 1978; lesson 12, section 6) as a
// netsim node — the broadcast, data and acknowledgement handlers and the
// delivery rule — and the model checker (pkg/mcheck) explores every
// interleaving of messages and timers, within a budget of duplicated
// messages, for a run in which two members deliver in different orders,
// deliver something twice, or can never deliver everything.
//
//   - Data and Ack are the lab's messages; Broadcast is the tag of the
//     timers through which the application asks a member to broadcast.
//     A member delivers with ctx.Output(payload).
//   - Totally ordered broadcast needs FIFO links, and the checker reorders
//     freely: the lab puts a FIFO layer between each member and the network
//     (per-link sequence numbers and a hold-back queue). A second copy of a
//     message made by the network still reaches the member, after the
//     first.
//   - NewNode is the answer: a constructor of the student's node.
//   - Lab is the graded exercise: Lab.Check(newNode) model-checks the
//     visible scenario; the grader also searches hidden ones (three
//     members, some of them silent, more broadcasts, duplicates).
//   - Try runs the nodes on a seeded random netsim network and
//     Run.Diagram draws the run with each member's delivery order.
//   - Gallery shows the checker catching classic bugs in broken
//     implementations that ship with the package.
//
// # Usage
//
//	newNode := func(members []netsim.NodeID, self int) netsim.Node {
//		return &Node{Members: members, Self: self}
//	}
//	run, err := totalorder.Try(newNode, totalorder.DefaultNetwork())
//	fmt.Print(run)
//	p, err := run.Diagram()
//	totalorder.Lab.Check(newNode)
package totalorder
