// Package clocksync implements clock synchronisation by message exchange:
// Cristian's method (Cristian 1989, "Probabilistic clock synchronization",
// Distributed Computing 3(3)), the four-timestamp exchange of NTP (Mills,
// RFC 5905, 2010) and the averaging of the Berkeley algorithm (Gusella &
// Zatti 1989, "The accuracy of the clock synchronization achieved by TEMPO
// in Berkeley UNIX 4.3BSD", IEEE TSE 15(7)).
//
// The arithmetic, the protocol state machines and the transport are kept
// apart:
//
//   - Exchange and Cristian are plain values holding timestamps, with the
//     formulas as methods. For NTP, with T1 = client send, T2 = server
//     receive, T3 = server send, T4 = client receive:
//     offset θ = ((T2−T1)+(T3−T4))/2 and delay δ = (T4−T1)−(T3−T2).
//     If the request takes d1 and the reply d2, the estimate is off by
//     exactly (d1−d2)/2 (plus whatever the clocks drift during the
//     exchange), so the error is at most δ/2: symmetric delays cost
//     nothing, asymmetric ones cannot be detected.
//   - Client and Server are NTP state machines: the caller reads the local
//     clock, hands the timestamps in, and delivers the Request and Response
//     values however it likes. The client keeps the last few samples and,
//     like NTP's clock filter, trusts the one with the smallest delay.
//   - ServerNode and ClientNode run those state machines as nodes of the
//     network simulator pkg/netsim, whose links decide the delays, losses
//     and asymmetry; the client polls, runs a burst of exchanges and
//     applies the best offset through a callback (e.g. physclock.Wall.Adjust).
//   - Simulate runs one exchange between two clocks for given one-way
//     delays without a network; Berkeley computes the Berkeley corrections
//     from measured offsets.
//
// # Usage
//
//	e := clocksync.Exchange{T1: 100, T2: 160, T3: 161, T4: 121} // ms or ns
//	e.Offset() // 50: the server is 50 ahead
//	e.Delay()  // 20
//
//	c, _ := clocksync.NewClient(clocksync.ClientConfig{})
//	req := c.Request(clientClock.Read(now))
//	resp := clocksync.Respond(req, serverT2, serverT3) // at the server
//	s, err := c.Receive(resp, clientClock.Read(later))
//	best, _ := c.Best() // the minimum-delay sample of the last 8
//	wall.Adjust(later, best.Offset)
//
// Over the simulator:
//
//	sim, _ := netsim.New(netsim.Config{Seed: 1, DefaultLink: netsim.Link{Delay: netsim.Exponential(10 * netsim.Millisecond)}})
//	cn := &clocksync.ClientNode{Server: "s", Clock: wall, Poll: time.Minute, Burst: 8,
//		Apply: func(at, off time.Duration) { wall.Adjust(at, off) }}
//	sim.AddNode("c", cn)
//	sim.AddNode("s", &clocksync.ServerNode{Clock: reference})
//	sim.Run(10 * netsim.Minute)
//	cn.Applied // every correction, with the sample it came from
//
// Times are time.Duration values in each clock's own reading; nothing here
// reads a real clock. Readings and offsets are bounded by MaxTime (about
// 146 years), within which no formula can overflow; Validate and Berkeley
// reject values beyond it, and the formulas saturate rather than wrap if
// called on them anyway.
package clocksync
