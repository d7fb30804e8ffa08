// Package retries is the Go behind notebook 04, "Retries and back-off".
//
// It has two experiments:
//
//   - Curves: the delay each back-off strategy of pkg/retry sleeps before
//     retry n, averaged over many seeded draws, with one sample schedule.
//   - Contention / Sweep: a re-creation of the optimistic-concurrency
//     experiment in Marc Brooker, "Exponential Backoff And Jitter", AWS
//     Architecture Blog, 2015. N clients each read a single row's version and
//     then write it back conditionally; a write succeeds only if nobody wrote
//     since that client's read. Losers back off and try again. The model is a
//     small event loop in virtual time (contention.go); it counts the writes
//     the store serves ("calls", the work) and the time until the last client
//     is done.
//
// A rule of your own (a BackoffFunc, e.g. the full jitter of Exercise 3)
// runs in the same model through ContentionConfig.Backoff, and TryBackoff
// compares it with the library's rules.
//
// Plot builders (PlotCurves, PlotCalls, PlotCompletion,
// PlotJitteredCompletion) return *plot.Plot. The exercises (Exercise1 …
// Exercise3, registered in Lesson) have per-student numbers or hidden test
// cases; their checks say right or wrong with a hint, never the expected
// value (package exercise).
//
// # Usage
//
//	c, err := retries.Curves(retries.CurvesConfig{Base: 5, Cap: 2000, Attempts: 12, Samples: 1000, Seed: 1})
//	fmt.Println(c)
//	p, err := retries.PlotCurves(c)
//
//	s, err := retries.Sweep(retries.DefaultSweep())
//	fmt.Println(s)                     // table of calls and completion time per N
//	calls, _ := retries.PlotCalls(s)   // work vs N, one line per strategy
//
// Every experiment takes a Seed and prints it; the same seed gives the same
// numbers, byte for byte.
package retries
