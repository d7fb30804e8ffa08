// Package lamport implements Lamport's logical clocks (Lamport 1978, "Time,
// Clocks, and the Ordering of Events in a Distributed System", CACM 21(7)).
//
// A Clock is the counter one node keeps. Replay runs a clock on every node
// of a history.History and records every timestamp, so that a lesson can
// print the clocks after each event and check the clock condition
// (a -> b implies LT(a) < LT(b)) against the happens-before relation that
// the history computes independently.
//
// Counters never wrap: a Clock stops at MaxTimestamp and reports it
// through Err, and Replay returns an error. Replay only replays a history
// that passes history.Validate, at most MaxReplayCells events × nodes, and
// a receive rule that panics is an error. A Run's relations (Less,
// TotalLess) never order an event that is not in the run.
//
// # Usage
//
//	var c lamport.Clock
//	c.Local()         // 1
//	ts := c.Send()    // 2, put ts in the message
//	c.Receive(7)      // max(2, 7) + 1 = 8
//
//	run, err := lamport.Replay(h) // h is a *history.History
//	run.Stamps[e]                 // timestamp of event e
//	run.State(e)                  // "[A(1), B(0), …]" after event e
//	run.ClockConditionViolations() // empty: the clock condition holds
//	run.Misleading()              // concurrent pairs with LT(a) < LT(b)
package lamport
