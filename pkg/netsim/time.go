package netsim

import (
	"strconv"
	"time"
)

// Time is a point in virtual time: nanoseconds since the start of the
// simulation. It is also used for durations (a delay, a timeout), so
// 10*netsim.Millisecond reads naturally. The simulator owns the clock;
// nodes read it with Context.Now and never see the wall clock.
type Time int64

// Units of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
)

// Forever is the largest representable time. Run(Forever) runs until no
// events remain (or the event budget is spent).
const Forever Time = 1<<63 - 1

// String formats t in milliseconds with three decimals ("12.000ms"), or
// six decimals when t is not a whole number of microseconds
// ("0.000250ms"). The fixed format keeps transcripts aligned and
// byte-for-byte reproducible.
func (t Time) String() string {
	return string(t.appendTo(make([]byte, 0, 16)))
}

func (t Time) appendTo(b []byte) []byte {
	u := uint64(t)
	if t < 0 {
		b = append(b, '-')
		u = uint64(-t)
	}
	b = strconv.AppendUint(b, u/1e6, 10)
	b = append(b, '.')
	frac := u % 1e6
	digits := 6
	if frac%1000 == 0 {
		frac /= 1000
		digits = 3
	}
	var tmp [6]byte
	for i := digits - 1; i >= 0; i-- {
		tmp[i] = byte('0' + frac%10)
		frac /= 10
	}
	b = append(b, tmp[:digits]...)
	return append(b, "ms"...)
}

// Duration converts t to a time.Duration (same unit, nanoseconds).
func (t Time) Duration() time.Duration { return time.Duration(t) }

// ParseTime parses a duration in Go syntax ("10ms", "1.5s", "250us",
// "0") as a Time. Negative values are rejected.
func ParseTime(s string) (Time, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errorf("bad time %q: want a Go duration such as 10ms, 1.5s or 250us", s)
	}
	if d < 0 {
		return 0, errorf("time %q is negative: want >= 0", s)
	}
	return Time(d), nil
}

// formatDur formats t in Go duration syntax ("10ms"), which ParseTime
// reads back exactly. Used by the schedule and delay text formats.
func formatDur(t Time) string { return time.Duration(t).String() }
