package physclock

import (
	"fmt"
	"time"
)

// Monotonic is a clock for measuring intervals: it reads the hardware
// counter (so it drifts with it) but is never stepped, slewed or smeared,
// and a reading is never smaller than the previous one, even if jitter
// would make it so. Its origin is arbitrary: only differences mean
// anything. The zero Monotonic reads true time.
type Monotonic struct {
	hw   *Hardware
	last time.Duration
	read bool
}

// NewMonotonic returns a monotonic clock driven by hw.
func NewMonotonic(hw *Hardware) (*Monotonic, error) {
	if hw == nil {
		return nil, fmt.Errorf("physclock: NewMonotonic needs a hardware clock, got nil")
	}
	return &Monotonic{hw: hw}, nil
}

// Read returns the clock at true time t: max(previous reading, hardware
// reading).
func (m *Monotonic) Read(t time.Duration) time.Duration {
	v := t
	if m.hw != nil {
		v = m.hw.Read(t)
	}
	if m.read && v < m.last {
		v = m.last
	}
	m.last, m.read = v, true
	return v
}
