// Package physicaltime is the code behind the lesson "Time in computers"
// (notebooks/06-time-in-computers.ipynb): experiments with simulated
// hardware, wall and monotonic clocks (pkg/physclock) and clock
// synchronisation (pkg/clocksync), each returning a result with a table,
// plot builders, and the checks of the exercises.
//
// Experiments:
//
//   - MeasureWithStep: timing a routine with the wall clock and with the
//     monotonic clock while NTP steps the wall clock back.
//   - Drift: each node's clock error against true time, with and without
//     periodic synchronisation (the sawtooth).
//   - SyncAccuracy and CompareSources: how delay asymmetry limits NTP, and
//     what an error of that size means in instructions; why GPS does better.
//   - LeapSecond: minutes of 61 or 59 seconds, reversed timestamps, smearing.
//   - TotalOrder: ordering messages by synchronised timestamps breaks once
//     messages come closer together than the clocks' error.
//
// Every simulation takes a seed and every result records it; every claim
// the notebook makes is asserted in this package's tests.
package physicaltime
