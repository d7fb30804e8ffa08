// Package hlc implements hybrid logical clocks (Kulkarni, Demirbas,
// Madappa, Avva, Leone 2014, "Logical Physical Clocks", OPODIS 2014).
//
// A timestamp is a pair (L, C): L is the largest physical time the node
// has heard of, C a counter that breaks ties when L does not move. Like a
// Lamport clock, a → b implies HLC(a) < HLC(b); unlike one, L stays within
// the clock skew ε of the node's physical clock (pt ≤ L ≤ pt + ε), so a
// timestamp can be read as "about when" and fits in 64 bits in practice.
//
// # Usage
//
//	var c hlc.Clock
//	ts, err := c.Send(pt)            // pt: the node's physical clock now (a time.Duration)
//	got, err := c.Receive(msgTS, pt) // on receipt of a message stamped msgTS
//	hlc.Less(ts, got)                // lexicographic order on (L, C)
//
//	run, err := hlc.Replay(h, func(e int) time.Duration { return physical[e] })
//	run.ClockConditionViolations() // empty
//
// Physical times are values the caller passes in (virtual time). The
// counter C never wraps: when it would pass MaxCounter, Local, Send and
// Receive return an error and leave the clock unchanged, so a receive
// stamp is never smaller than the message's. Replay replays only a
// history that passes history.Validate.
package hlc
