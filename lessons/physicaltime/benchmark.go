package physicaltime

import (
	"fmt"
	"math"
	"time"

	"github.com/dslessons/course/pkg/physclock"
)

// StepConfig describes MeasureWithStep: a routine that really takes
// Routine, timed on one node, while a synchroniser steps the node's wall
// clock by Step, StepAt after the routine started.
type StepConfig struct {
	Routine  time.Duration // true duration of the routine; (0, 1h]
	StepAt   time.Duration // when the step happens, from the routine's start; [0, Routine]
	Step     time.Duration // the step; negative moves the clock back
	DriftPPM float64       // the node's oscillator drift
	Seed     uint64        // seed of the clock's read jitter
}

// DefaultStep is the lesson's scenario: a 300 ms routine, and NTP steps
// the clock back by one second 100 ms into it.
var DefaultStep = StepConfig{Routine: 300 * time.Millisecond, StepAt: 100 * time.Millisecond, Step: -time.Second, DriftPPM: 40, Seed: 1}

// StepResult is the outcome of MeasureWithStep.
type StepResult struct {
	Config    StepConfig
	True      time.Duration // what the routine really took
	Wall      time.Duration // end − start on the wall clock
	Monotonic time.Duration // end − start on the monotonic clock
}

// Table compares the two measurements with the truth.
func (r StepResult) Table() (header []string, rows [][]string) {
	header = []string{"clock", "measured", "error"}
	rows = [][]string{
		{"true time", r.True.String(), "0s"},
		{"wall clock (stepped)", r.Wall.String(), (r.Wall - r.True).String()},
		{"monotonic clock", r.Monotonic.String(), (r.Monotonic - r.True).String()},
	}
	return header, rows
}

func (r StepResult) String() string {
	return fmt.Sprintf("routine of %v, wall clock stepped by %v after %v (seed %d): wall clock says %v, monotonic clock says %v",
		r.True, r.Config.Step, r.Config.StepAt, r.Config.Seed, r.Wall, r.Monotonic)
}

// MeasureWithStep times a routine with both clocks of one node while its
// wall clock is stepped.
func MeasureWithStep(cfg StepConfig) (StepResult, error) {
	if cfg.Routine <= 0 || cfg.Routine > time.Hour {
		return StepResult{}, fmt.Errorf("physicaltime: routine duration %v not in (0,1h]", cfg.Routine)
	}
	if cfg.StepAt < 0 || cfg.StepAt > cfg.Routine {
		return StepResult{}, fmt.Errorf("physicaltime: step time %v not in [0,%v]", cfg.StepAt, cfg.Routine)
	}
	hw, err := physclock.NewHardware(physclock.HardwareConfig{DriftPPM: cfg.DriftPPM, Jitter: time.Microsecond, Resolution: 100 * time.Nanosecond, Seed: cfg.Seed})
	if err != nil {
		return StepResult{}, err
	}
	wall, err := physclock.NewWall(hw, physclock.WallConfig{})
	if err != nil {
		return StepResult{}, err
	}
	mono, err := physclock.NewMonotonic(hw)
	if err != nil {
		return StepResult{}, err
	}
	start := 42 * time.Second // any moment
	w0, m0 := wall.Read(start), mono.Read(start)
	wall.Step(start+cfg.StepAt, cfg.Step)
	end := start + cfg.Routine
	return StepResult{Config: cfg, True: cfg.Routine, Wall: wall.Read(end) - w0, Monotonic: mono.Read(end) - m0}, nil
}

// DriftAfter is how far a clock drifting by ppm is off after d.
func DriftAfter(ppm float64, d time.Duration) time.Duration {
	return time.Duration(math.Round(float64(d) * ppm * 1e-6))
}
