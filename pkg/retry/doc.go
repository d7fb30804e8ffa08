// Package retry holds the small, deterministic pieces a client needs to cope
// with an unreliable network: back-off policies, a retry loop that runs in
// virtual time, and timeout estimators.
//
// # Back-off policies
//
// A Policy is an immutable value built by NewPolicy from a Strategy, a base
// and a cap. The four strategies are the ones compared by Marc Brooker,
// "Exponential Backoff And Jitter", AWS Architecture Blog, 2015:
// Exponential (capped, no jitter), FullJitter, EqualJitter and
// DecorrelatedJitter. Randomness always comes from a *rand.Rand
// (math/rand/v2) that the caller seeds, so a run can be replayed exactly.
//
// # Retry loop
//
// Run retries an Op until it succeeds, is Aborted by a Permanent error, is
// Exhausted after MaxAttempts, or would sleep past its Deadline. Time is a
// float64 that Run advances; nothing sleeps for real, so tests and notebooks
// replay the same Result every time.
//
// # Timeouts
//
// An Estimator says how long to wait for a reply. Fixed always says the
// same thing. Adaptive is TCP's retransmission timer (Jacobson 1988,
// "Congestion Avoidance and Control"; RFC 6298): it smooths round-trip
// samples into SRTT and RTTVAR, sets RTO = SRTT + max(G, 4·RTTVAR) (G the
// clock granularity) within [Min, Max], doubles RTO when a timer expires,
// and follows Karn's rule of never sampling a retransmitted request.
//
// # Usage
//
//	rng := rand.New(rand.NewPCG(seed, 0))
//	p, err := retry.NewPolicy(retry.FullJitter, 10, 1000) // ms
//	if err != nil { ... }
//	res, err := retry.Run(retry.Loop{Policy: p, MaxAttempts: 5}, 0, rng,
//		func(attempt int, now float64) (float64, error) {
//			return 3, callServer(now) // took 3 ms
//		})
//	fmt.Println(res.Outcome, res.Elapsed)
//
//	est, err := retry.NewAdaptive(retry.AdaptiveConfig{Unit: 1000, Min: 20}) // ms: initial 1 s, max 60 s
//	est.Observe(retry.Sample{RTT: 12})
//	wait := est.Timeout()
//
// Units are the caller's: every time in one program must use the same one.
// AdaptiveConfig says which one in its Unit field (1 for seconds, 1000 for
// milliseconds), so that the defaults RFC 6298 gives in seconds come out
// right; without a Unit, Initial and Max must be set. Min: 0 means no
// floor; RFC6298(unit) is the RFC's complete configuration, 1 s floor
// included.
//
// # Limits
//
// Work is bounded before it starts: a Schedule has at most MaxSchedule
// delays and a Loop at most MaxLoopAttempts attempts. An Op that panics
// ends Run with an error naming the attempt, not with a crash.
package retry
