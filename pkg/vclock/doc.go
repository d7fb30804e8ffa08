// Package vclock implements vector clocks (Fidge 1988, "Timestamps in
// Message-Passing Systems That Preserve the Partial Ordering"; Mattern 1988,
// "Virtual Time and Global States of Distributed Systems").
//
// A VC is a vector timestamp: a slice with one counter per node, entry i
// counting the events of node i that the holder knows about. Unlike a
// Lamport timestamp, two vector timestamps can be compared to tell whether
// one event happened before the other, after it, or concurrently with it:
//
//	VC(a) < VC(b)  ⇔  a → b
//
// The rules, for node i with vector V:
//
//   - every event (local, send or receive) increments V[i];
//   - a sent message carries V (after the increment);
//   - on receipt of a message carrying W, V[k] = max(V[k], W[k]) for every
//     k, then V[i] is incremented because the receipt is itself an event.
//
// The last increment matters: without it a receive event gets the same
// vector as the send (or as the previous event of the receiver), and
// VC(a) < VC(b) ⇔ a → b fails. ReplayWith lets an exercise try such a rule.
//
// Vectors are plain slices of uint64 (not maps keyed by node name): merge
// and compare are tight loops with no allocation. Entries missing from a
// shorter vector count as 0, so vectors of different lengths compare
// sensibly and nothing panics on them.
//
// Entries never wrap around: Clock.Receive returns an error and
// Clock.Local saturates (reported by Clock.Err), and Replay returns an
// error. Replay only replays a history that passes history.Validate, at
// most MaxReplayCells events × nodes; a receive rule that panics is an
// error. A zero Clock or Run reports its misuse instead of crashing.
//
// # Usage
//
//	a, _ := vclock.NewClock(3, 0) // node 0 of 3
//	b, _ := vclock.NewClock(3, 1) // node 1 of 3
//	a.Local()                     // [1,0,0]
//	msg := a.Send()               // [2,0,0], put msg in the message
//	b.Local()                     // [0,1,0]
//	b.Receive(msg)                // [2,2,0]
//	vclock.Compare(msg, b.Now())  // Before
//
//	v, err := vclock.Parse("[1,0,2]")
//	run, err := vclock.Replay(h) // h is a *history.History
//	run.Compare(a, b)            // Before, After, Equal or Concurrent
//	run.Disagreements()          // pairs where VC order ≠ happens-before: none
//
// The size of a vector clock grows with the number of nodes. Charron-Bost
// (1991, "Concerning the size of logical clocks in distributed systems",
// Information Processing Letters 39(1)) showed that no timestamping scheme
// that characterises causality with vectors ordered component-wise can use
// fewer than n entries for n nodes: vector clocks are as small as possible.
package vclock
