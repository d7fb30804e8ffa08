package physclock

import (
	"fmt"
	"math"
	"time"

	"github.com/dslessons/course/pkg/internal/sat"
)

// LeapPolicy says how a Wall clock applies a leap second.
type LeapPolicy int

const (
	// LeapStep applies a leap second at once: an inserted second repeats
	// the last second of the day (a 61-second minute, the clock jumps back
	// by 1 s); a deleted one is skipped (a 59-second minute).
	LeapStep LeapPolicy = iota
	// LeapSmear spreads the second linearly over SmearWindow centred on the
	// leap, so the clock never jumps: it runs 1/SmearWindow slow (insert)
	// or fast (delete) during the window.
	LeapSmear
)

func (p LeapPolicy) String() string {
	switch p {
	case LeapStep:
		return "step"
	case LeapSmear:
		return "smear"
	}
	return fmt.Sprintf("LeapPolicy(%d)", int(p))
}

// Leap is one leap second. At is the wall reading (before this leap is
// applied) at which the new day starts, e.g. midnight UTC.
type Leap struct {
	At     time.Duration
	Insert bool // true: a second is inserted (23:59:60); false: 23:59:59 is skipped
}

// WallConfig configures a Wall clock. The zero value is usable.
type WallConfig struct {
	// MaxSlewPPM is the rate at which Slew absorbs a correction; 0 means
	// 500 ppm (0.5 ms per second), the limit of ntpd and adjtime(3).
	MaxSlewPPM float64
	// StepThreshold is the size of correction above which Adjust steps
	// instead of slewing; 0 means 128 ms, ntpd's default.
	StepThreshold time.Duration
	Leaps         []Leap        // in increasing order of At, at least 2 s apart
	LeapPolicy    LeapPolicy    // LeapStep or LeapSmear
	SmearWindow   time.Duration // for LeapSmear; 0 means 24 h
}

// Action is what Adjust did.
type Action int

// The two ways to apply a correction.
const (
	Slewed Action = iota
	Stepped
)

func (a Action) String() string {
	if a == Stepped {
		return "stepped"
	}
	return "slewed"
}

// Wall is a node's real-time ("time of day") clock. Create it with NewWall;
// the zero Wall is a perfect clock (true time, no offset, drift or
// jitter) with the default WallConfig.
type Wall struct {
	hw  *Hardware
	cfg WallConfig

	correction time.Duration // steps, finished slews and frequency corrections up to freqFrom
	slewFrom   time.Duration // hardware (Ideal) reading when the current slew started
	slewLeft   time.Duration // signed amount of the current slew
	freqPPM    float64       // frequency correction in force (SetFrequency)
	freqFrom   time.Duration // hardware (Ideal) reading when freqPPM was set
}

// NewWall returns a wall clock driven by hw.
func NewWall(hw *Hardware, cfg WallConfig) (*Wall, error) {
	if hw == nil {
		return nil, fmt.Errorf("physclock: NewWall needs a hardware clock, got nil")
	}
	if math.IsNaN(cfg.MaxSlewPPM) || cfg.MaxSlewPPM < 0 || cfg.MaxSlewPPM > MaxDriftPPM {
		return nil, fmt.Errorf("physclock: max slew %v ppm not in [0,%g] (0 means 500)", cfg.MaxSlewPPM, MaxDriftPPM)
	}
	if cfg.MaxSlewPPM == 0 {
		cfg.MaxSlewPPM = 500
	}
	if cfg.StepThreshold < 0 {
		return nil, fmt.Errorf("physclock: step threshold %v is negative, want ≥ 0 (0 means 128ms)", cfg.StepThreshold)
	}
	if cfg.StepThreshold == 0 {
		cfg.StepThreshold = 128 * time.Millisecond
	}
	if cfg.LeapPolicy != LeapStep && cfg.LeapPolicy != LeapSmear {
		return nil, fmt.Errorf("physclock: unknown leap policy %d, want LeapStep or LeapSmear", int(cfg.LeapPolicy))
	}
	if cfg.SmearWindow < 0 {
		return nil, fmt.Errorf("physclock: smear window %v is negative, want ≥ 0 (0 means 24h)", cfg.SmearWindow)
	}
	if cfg.SmearWindow == 0 {
		cfg.SmearWindow = 24 * time.Hour
	}
	for i := 1; i < len(cfg.Leaps); i++ {
		gap := cfg.Leaps[i].At - cfg.Leaps[i-1].At
		if gap < 2*time.Second || (cfg.LeapPolicy == LeapSmear && gap < cfg.SmearWindow) {
			return nil, fmt.Errorf("physclock: leap seconds %d and %d are %v apart; they must be in increasing order and at least 2s (and one smear window) apart", i-1, i, gap)
		}
	}
	cfg.Leaps = append([]Leap(nil), cfg.Leaps...)
	return &Wall{hw: hw, cfg: cfg}, nil
}

// Config returns the configuration, with defaults filled in.
func (w *Wall) Config() WallConfig { return w.config() }

// config is cfg with the defaults of NewWall filled in, for a zero Wall.
func (w *Wall) config() WallConfig {
	c := w.cfg
	if c.MaxSlewPPM == 0 {
		c.MaxSlewPPM = 500
	}
	if c.StepThreshold == 0 {
		c.StepThreshold = 128 * time.Millisecond
	}
	if c.SmearWindow == 0 {
		c.SmearWindow = 24 * time.Hour
	}
	return c
}

// ideal and read are the hardware clock's, or true time for a zero Wall.
func (w *Wall) ideal(t time.Duration) time.Duration {
	if w.hw == nil {
		return t
	}
	return w.hw.Ideal(t)
}

func (w *Wall) read(t time.Duration) time.Duration {
	if w.hw == nil {
		return t
	}
	return w.hw.Read(t)
}

// slewDone is the part of the current slew applied by true time t.
func (w *Wall) slewDone(t time.Duration) time.Duration {
	if w.slewLeft == 0 {
		return 0
	}
	elapsed := sat.Sub(w.ideal(t), w.slewFrom)
	if elapsed <= 0 {
		return 0
	}
	done := sat.FromFloat(math.Round(float64(elapsed) * w.config().MaxSlewPPM * 1e-6))
	if w.slewLeft > 0 {
		return min(done, w.slewLeft)
	}
	return max(-done, w.slewLeft)
}

// leapAdjust is the total leap-second correction for a pre-leap reading.
func (w *Wall) leapAdjust(base time.Duration) time.Duration {
	var adj time.Duration
	cfg := w.config()
	for _, l := range cfg.Leaps {
		sign := time.Duration(1)
		if l.Insert {
			sign = -1
		}
		switch cfg.LeapPolicy {
		case LeapStep:
			if (l.Insert && base >= l.At) || (!l.Insert && base >= sat.Sub(l.At, time.Second)) {
				adj += sign * time.Second
			}
		case LeapSmear:
			start := sat.Sub(l.At, cfg.SmearWindow/2)
			frac := math.Min(1, math.Max(0, (float64(base)-float64(start))/float64(cfg.SmearWindow)))
			adj += sign * time.Duration(math.Round(frac*float64(time.Second)))
		}
	}
	return adj
}

// freqDone is what the frequency correction in force has added since it
// was set.
func (w *Wall) freqDone(t time.Duration) time.Duration {
	if w.freqPPM == 0 {
		return 0
	}
	return sat.FromFloat(math.Round(float64(sat.Add(w.ideal(t), -w.freqFrom)) * w.freqPPM * 1e-6))
}

// Read returns the wall clock at true time t.
func (w *Wall) Read(t time.Duration) time.Duration {
	base := sat.Add(sat.Add(sat.Add(w.read(t), w.correction), w.slewDone(t)), w.freqDone(t))
	return sat.Add(base, w.leapAdjust(base))
}

// Step changes the clock by delta at once (delta < 0 moves it back). Any
// slew in progress stops; the part of it already applied stays.
func (w *Wall) Step(t, delta time.Duration) {
	w.correction = sat.Add(sat.Add(w.correction, w.slewDone(t)), delta)
	w.slewLeft = 0
}

// Slew starts absorbing delta gradually, at MaxSlewPPM, replacing any slew
// in progress (the part already applied stays). It returns how long, in
// the clock's own time, the slew will take.
func (w *Wall) Slew(t, delta time.Duration) time.Duration {
	w.correction = sat.Add(w.correction, w.slewDone(t))
	w.slewFrom = w.ideal(t)
	w.slewLeft = delta
	return sat.FromFloat(math.Ceil(math.Abs(float64(delta)) / (w.config().MaxSlewPPM * 1e-6)))
}

// Adjust applies a correction the way ntpd does: it steps when |delta|
// exceeds StepThreshold and slews otherwise.
func (w *Wall) Adjust(t, delta time.Duration) Action {
	if th := w.config().StepThreshold; delta > th || delta < -th {
		w.Step(t, delta)
		return Stepped
	}
	w.Slew(t, delta)
	return Slewed
}

// MaxFrequencyPPM bounds SetFrequency: 500 ppm, the limit of ntpd's
// frequency correction (RFC 5905 and the kernel's adjtimex).
const MaxFrequencyPPM = 500

// SetFrequency makes the clock run ppm parts per million faster (negative:
// slower) than its oscillator from true time t on, on top of any slew, the
// way a synchronisation daemon disciplines the clock's frequency (ntpd's
// and chrony's frequency correction, saved across restarts in their drift
// file). What the previous frequency added up to t stays. ppm must be in
// [-MaxFrequencyPPM, MaxFrequencyPPM].
func (w *Wall) SetFrequency(t time.Duration, ppm float64) error {
	if math.IsNaN(ppm) || math.Abs(ppm) > MaxFrequencyPPM {
		return fmt.Errorf("physclock: frequency correction %v ppm not in [-%d,%d]", ppm, MaxFrequencyPPM, MaxFrequencyPPM)
	}
	w.correction = sat.Add(w.correction, w.freqDone(t))
	w.freqFrom = w.ideal(t)
	w.freqPPM = ppm
	return nil
}

// Frequency returns the frequency correction in force, in ppm.
func (w *Wall) Frequency() float64 { return w.freqPPM }

// Hardware returns the hardware clock that drives w (nil for a zero Wall).
func (w *Wall) Hardware() *Hardware { return w.hw }
