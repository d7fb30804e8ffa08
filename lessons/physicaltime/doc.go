// Package physicaltime is the code behind the lesson "Time in computers"
// (notebooks/06-time-in-computers.ipynb): experiments with simulated
// hardware, wall and monotonic clocks (pkg/physclock) and clock
// synchronisation (pkg/clocksync), each returning a result with a table,
// plot builders, and the lesson's exercises (Lesson, WarmUp, Exercise1–5,
// declared with pkg/exercise).
//
// Experiments:
//
//   - MeasureWithStep: timing a routine with the wall clock and with the
//     monotonic clock while NTP steps the wall clock back.
//   - Drift: each node's clock error against true time, with and without
//     periodic synchronisation (the sawtooth), correcting the offset only
//     or the frequency too (LockFrequency, a FrequencyRule).
//   - SyncAccuracy and CompareSources: how delay asymmetry limits NTP, and
//     what an error of that size means in instructions; why GPS does better.
//   - LeapSecond and LeapPair: minutes of 61 or 59 seconds, reversed
//     timestamps, smearing; LeapSecondDates, TAIMinusUTC and GPSMinusUTC:
//     the leap seconds so far and what they add up to.
//   - TotalOrder: ordering messages by synchronised timestamps breaks once
//     messages come closer together than the clocks' error.
//
// Every simulation takes a seed and every result records it; every claim
// the notebook makes is asserted in this package's tests.
package physicaltime
