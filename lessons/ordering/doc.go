// Package ordering is the Go behind notebook 12, "Ordering messages": the
// protocols that put messages in order, as netsim nodes, and the
// experiments that show what each one guarantees and what it costs.
//
// Protocols (each a netsim.Node with one handler per input; none reads the
// clock or keeps functions in its state, so the model checker can run the
// same code):
//
//   - FIFOSender / FIFOReceiver: one sender's messages in order, each once,
//     over a link that loses, duplicates and reorders — sequence numbers,
//     cumulative acknowledgements, retransmission and a HoldBack queue.
//   - ArrivalReceiver: delivery in arrival order ("time at the receiver").
//   - ClockSender / ClockReceiver: a total order from synchronised clocks —
//     timestamps from clocks with known error, held back until the
//     receiver's clock passes stamp + hold.
//   - Causal: causal broadcast with vector clocks (Birman, Schiper and
//     Stephenson 1991); Deliverable is the delivery condition.
//   - TOB: totally ordered broadcast with Lamport timestamps and
//     acknowledgements to everyone (after Lamport 1978); TOBLess and
//     TOBReady are its two rules.
//   - Mutex: Lamport's (1978) mutual exclusion, 3(N−1) messages per entry.
//
// Experiments run them on pkg/netsim with a seed, record what every node
// delivers and when (Delivery), check the guarantee against an
// independent oracle (Misordered, CausalRun.Violations, TOBRun.Agree,
// MutexRun.Overlaps) and draw space-time diagrams with the delivery order
// written at each node (dN: the node's N-th delivery).
//
// # Usage
//
//	r, err := ordering.RunFIFO(ordering.DefaultFIFO())
//	fmt.Print(r)              // what arrived, what was delivered
//	p, err := r.Diagram()     // space-time diagram, lost messages crossed
//
//	g, err := ordering.GapSweep(ordering.DefaultClockOrder(), ratios)
//	b, ok := g.Boundary()     // the gap from which paced messages never misorder
//
//	t, err := ordering.RunTOB(ordering.DefaultTOB())
//	t.Agree()                 // every node delivered the same order
//
// The exercises of the notebook are declared in exercises.go (package
// exercise): Exercise1 and Exercise2 are predictions with numbers per
// student, Exercise3 is the causal delivery condition as code, Exercise4
// counts messages.
package ordering
