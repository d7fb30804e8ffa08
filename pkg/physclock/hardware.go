package physclock

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dslessons/course/pkg/internal/sat"
)

// MaxDriftPPM bounds |DriftPPM|. 10^5 ppm is a clock that is 10% fast or
// slow, far beyond any real oscillator; larger values are rejected as
// nonsense.
const MaxDriftPPM = 1e5

// MaxJitter and MaxResolution bound the read jitter and the resolution of
// a Hardware clock; anything coarser is not a clock.
const (
	MaxJitter     = time.Hour
	MaxResolution = time.Hour
)

// MaxOffset bounds |Offset|: 100 years. Readings are computed with
// saturating arithmetic, so even true times far past it never wrap round
// to the other sign; they stop at the largest (or smallest) Duration.
const MaxOffset = 100 * 365 * 24 * time.Hour

// HardwareConfig describes one node's hardware clock.
type HardwareConfig struct {
	Offset     time.Duration // reading at true time 0; |Offset| ≤ MaxOffset
	DriftPPM   float64       // rate error in ppm: +50 gains 50 µs per second; |DriftPPM| ≤ MaxDriftPPM
	Jitter     time.Duration // each read is off by a uniform random amount in [-Jitter, +Jitter]; [0, MaxJitter]
	Resolution time.Duration // readings are rounded down to a multiple of this; 0 means 1 ns; [0, MaxResolution]
	Seed       uint64        // seed of the jitter; same seed, same readings
}

// Hardware is a node's oscillator and counter. Create it with NewHardware;
// the zero Hardware is a perfect clock (no offset, drift or jitter).
type Hardware struct {
	cfg HardwareConfig
	rng *rand.Rand
}

// NewHardware validates cfg and returns the clock.
func NewHardware(cfg HardwareConfig) (*Hardware, error) {
	if cfg.Offset < -MaxOffset || cfg.Offset > MaxOffset {
		return nil, fmt.Errorf("physclock: offset %v not in [-%v,%v]", cfg.Offset, MaxOffset, MaxOffset)
	}
	if math.IsNaN(cfg.DriftPPM) || math.Abs(cfg.DriftPPM) > MaxDriftPPM {
		return nil, fmt.Errorf("physclock: drift %v ppm not in [-%g,%g]", cfg.DriftPPM, MaxDriftPPM, MaxDriftPPM)
	}
	if cfg.Jitter < 0 || cfg.Jitter > MaxJitter {
		return nil, fmt.Errorf("physclock: jitter %v not in [0,%v]", cfg.Jitter, MaxJitter)
	}
	if cfg.Resolution < 0 || cfg.Resolution > MaxResolution {
		return nil, fmt.Errorf("physclock: resolution %v not in [0,%v] (0 means 1ns)", cfg.Resolution, MaxResolution)
	}
	if cfg.Resolution == 0 {
		cfg.Resolution = 1
	}
	return &Hardware{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x706879736c6b))}, nil // "physlk"
}

// Config returns the configuration, with defaults filled in.
func (h *Hardware) Config() HardwareConfig { return h.cfg }

// Ideal is what the counter shows at true time t without jitter or
// rounding: Offset + t·(1 + DriftPPM/10^6), saturated at the range of a
// Duration.
func (h *Hardware) Ideal(t time.Duration) time.Duration {
	return sat.Add3(h.cfg.Offset, t, sat.FromFloat(math.Round(float64(t)*h.cfg.DriftPPM*1e-6)))
}

// Read returns the counter at true time t as software sees it: Ideal plus
// jitter, rounded down to the resolution. Each call draws new jitter from
// the seeded source.
func (h *Hardware) Read(t time.Duration) time.Duration {
	v := h.Ideal(t)
	if j := h.cfg.Jitter; j > 0 && h.rng != nil {
		v = sat.Add(v, time.Duration(h.rng.Int64N(int64(2*j)+1))-j)
	}
	return floorTo(v, h.cfg.Resolution)
}

// floorTo rounds v down to a multiple of r (towards −∞), or up when that
// would leave the range of a Duration.
func floorTo(v, r time.Duration) time.Duration {
	if r <= 1 {
		return v
	}
	q := v / r * r
	if q > v && q-r < q {
		q -= r
	}
	return q
}
