// Package exactlyonce is the Go behind notebook lab-04, "Lab: exactly-once
// delivery": students write a sender S and a receiver R (netsim nodes)
// that deliver a list of messages exactly once and in order over a link
// that loses, duplicates and reorders messages; the model checker
// (pkg/mcheck) explores every interleaving within fault budgets and
// draws the shortest run that breaks the protocol.
//
//   - Data and Ack are the lab's messages (students may add their own);
//     R reports each delivery with ctx.Output(value).
//   - Nodes is the answer: constructors of the student's S and R.
//   - Lab is the graded exercise: Lab.Check(nodes) model-checks the
//     visible scenario; the grader also searches hidden ones (more
//     messages, repeated payloads, more faults).
//   - Try runs the nodes on a seeded random netsim network whose link
//     stops losing at some point, and Run.Plot draws the run.
//   - Gallery shows the checker catching classic bugs in broken
//     implementations that ship with the package (their code is not
//     exported).
//
// # Usage
//
//	nodes := exactlyonce.Nodes{
//		Sender:   func(msgs []string) netsim.Node { return &Sender{Msgs: msgs} },
//		Receiver: func() netsim.Node { return &Receiver{} },
//	}
//	run, err := exactlyonce.Try(nodes, exactlyonce.DefaultNetwork())
//	fmt.Print(run)
//	p, err := run.Plot()
//	exactlyonce.Lab.Check(nodes)
package exactlyonce
