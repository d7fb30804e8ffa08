// Package timeouts is the Go behind notebook 03, "Timeouts".
//
// A client cannot tell a slow reply from a lost one or from a dead server;
// all it can do is wait for a while. The experiments show why no waiting
// time is safe and how TCP picks one:
//
//   - Queue: delays are unbounded because requests queue. A single-server
//     queue (M/M/1, simulated in virtual time with Lindley's recursion)
//     shows latency snowballing as utilisation approaches 1, next to the
//     closed form 1/(μ-λ) (Kleinrock, Queueing Systems, 1975).
//   - FalseTimeouts: for a round-trip-time distribution, the share of
//     replies from a healthy server that arrive after a timeout t is the
//     distribution's survival function P(RTT > t).
//   - ShiftExperiment: a client on a pkg/netsim network talks to a server
//     whose path slows down mid-run and which then crashes. Fixed timeouts
//     and the adaptive RFC 6298 estimator from pkg/retry are compared on
//     false timeouts and on how fast they notice the crash.
//
// Plot builders return *plot.Plot. The exercises (Exercise1 … Exercise4,
// registered in Lesson) have per-student numbers; their checks say right or
// wrong with a hint, never the expected value (package exercise).
//
// # Usage
//
//	q, err := timeouts.Queue(timeouts.DefaultQueue())
//	fmt.Println(q)
//	p, err := timeouts.PlotQueue(q)
//
//	s, err := timeouts.ShiftExperiment(timeouts.DefaultShift())
//	fmt.Println(s)
//	p, err = timeouts.PlotShift(s)
//
// Times are milliseconds of virtual time; every result prints its seed.
package timeouts
