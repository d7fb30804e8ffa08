// Package physclock models the clocks of a computer against true time, in
// virtual time: true time is a time.Duration since the start of the
// simulation that the caller passes in, never time.Now.
//
// Three clocks build on each other:
//
//   - Hardware is the oscillator and counter: it starts at an Offset from
//     true time, runs fast or slow by DriftPPM parts per million, is read
//     with seeded random Jitter and rounded down to its Resolution.
//   - Wall is the "real-time" clock (CLOCK_REALTIME, time.Now's wall
//     reading): the hardware count plus a correction that a synchroniser
//     changes by stepping (a jump, possibly backwards) or slewing (running
//     the clock slightly fast or slow until the correction is absorbed). It
//     also applies leap seconds, either as a step (a minute of 61 or 59
//     seconds, so an inserted second repeats) or smeared linearly over a
//     window (24 hours by default, as Google's public NTP does).
//   - Monotonic is the clock for measuring durations (CLOCK_MONOTONIC,
//     time.Since's monotonic reading): the hardware count, never stepped,
//     never smeared and never allowed to go backwards.
//
// # Usage
//
//	hw, err := physclock.NewHardware(physclock.HardwareConfig{
//		Offset: 3 * time.Millisecond, DriftPPM: 50, Jitter: time.Microsecond,
//		Resolution: time.Microsecond, Seed: 1,
//	})
//	wall, err := physclock.NewWall(hw, physclock.WallConfig{})
//	mono, err := physclock.NewMonotonic(hw)
//
//	t := 10 * time.Second        // true time, owned by the simulation
//	wall.Read(t)                 // ≈ 10.0035 s
//	wall.Step(t, -time.Second)   // a synchroniser jumps the clock back
//	mono.Read(t)                 // unaffected, never decreases
//
// Units: every time is a time.Duration; drift is in ppm (1 ppm = 1 µs of
// error per second, 86.4 ms per day). Typical quartz oscillators drift by
// 10–100 ppm.
//
// Limits: |Offset| ≤ MaxOffset, |DriftPPM| ≤ MaxDriftPPM, Jitter ≤
// MaxJitter, Resolution ≤ MaxResolution. Readings use saturating
// arithmetic, so no true time, step or slew makes a clock wrap around to
// the other sign. The zero Hardware, Wall and Monotonic are perfect clocks
// that read true time (the Wall with the default WallConfig).
package physclock
