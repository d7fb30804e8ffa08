package physclock_test

import (
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/physclock"
)

// Measuring a 300 ms routine while NTP steps the wall clock back by one
// second: the wall clock says the routine took −700 ms, the monotonic
// clock says 300 ms (plus the oscillator's 100 ppm drift).
func Example() {
	hw, _ := physclock.NewHardware(physclock.HardwareConfig{DriftPPM: 100, Seed: 1})
	wall, _ := physclock.NewWall(hw, physclock.WallConfig{})
	mono, _ := physclock.NewMonotonic(hw)

	start := 5 * time.Second
	w0, m0 := wall.Read(start), mono.Read(start)
	wall.Step(start+100*time.Millisecond, -time.Second) // the synchroniser steps
	end := start + 300*time.Millisecond
	fmt.Println("wall:", wall.Read(end)-w0)
	fmt.Println("monotonic:", mono.Read(end)-m0)
	// Output:
	// wall: -699.97ms
	// monotonic: 300.03ms
}

func ExampleWall_leapSecond() {
	hw, _ := physclock.NewHardware(physclock.HardwareConfig{})
	midnight := 24 * time.Hour
	wall, _ := physclock.NewWall(hw, physclock.WallConfig{Leaps: []physclock.Leap{{At: midnight, Insert: true}}})
	for _, t := range []time.Duration{midnight - 1500*time.Millisecond, midnight - 300*time.Millisecond, midnight + 200*time.Millisecond, midnight + 1200*time.Millisecond} {
		fmt.Println(wall.Read(t) - midnight)
	}
	// Output:
	// -1.5s
	// -300ms
	// -800ms
	// 200ms
}
