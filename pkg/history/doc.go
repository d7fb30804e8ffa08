// Package history records executions of a distributed system as Lamport
// described them: each node performs a sequence of events, and an event is a
// local step, the sending of a message or the receipt of one.
//
// A History is the input of the clock packages (pkg/lamport, pkg/vclock) and
// of the space-time diagrams in pkg/plots, and it is the oracle for them:
// HappensBefore computes Lamport's happens-before relation directly from the
// event graph (by reachability), so a clock's verdicts can be checked against
// it.
//
// # Usage
//
// Write a scenario by hand with a Builder, in the order things happen:
//
//	b := history.NewBuilder("A", "B")
//	m := b.Send("A", "B", "E1") // A sends m to B
//	b.Local("A", "E2")
//	b.Receive(m, "E3") // B receives m
//	h, err := b.Build()
//
// or generate a random one from a seed:
//
//	h, err := history.Random(history.RandomConfig{Nodes: 4, Events: 30, SendProb: 0.4, Seed: 7})
//
// then ask about it:
//
//	h.Relate(0, 2)             // HappenedBefore
//	h.ConcurrentPairs()        // every pair of concurrent events
//	r, _ := h.CheckHappensBefore() // is it a strict partial order? a total one?
//
// # Limits
//
// Random makes at most MaxRandomNodes nodes and MaxRandomEvents events;
// CheckOrder, which is cubic, takes at most MaxCheckOrder items. The
// happens-before table costs 4 bytes per event and node and is built only
// within MaxReachBytes; past that, each question is answered by a search
// of the event graph in linear memory. Builder.At rejects times that are
// not finite numbers, and Validate checks a History written as a literal.
package history
