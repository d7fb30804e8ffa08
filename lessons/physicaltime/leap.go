package physicaltime

import (
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/physclock"
)

// LeapMidnight is when the lesson's leap second happens: the end of the
// first simulated day. Simulated true time runs uniformly (like TAI); the
// wall clock counts seconds the POSIX way, with no room for a 61st second.
const LeapMidnight = 24 * time.Hour

// LeapReading is what the wall clock shows at one true instant.
type LeapReading struct {
	True time.Duration // simulated true time
	UTC  string        // the official UTC label of that instant ("23:59:60.250" during an inserted second)
	Wall time.Duration // the wall clock's reading
}

// LeapEvent is an event near the leap second and its wall-clock timestamp.
type LeapEvent struct {
	Name  string
	True  time.Duration
	Stamp time.Duration
}

// LeapResult is the outcome of LeapSecond.
type LeapResult struct {
	Policy   physclock.LeapPolicy
	Insert   bool
	Readings []LeapReading
	// MinuteLength is the true time from the wall clock's first 23:59:00
	// to its first 00:00:00: 61 s, 59 s, or (smeared) about 60 s.
	MinuteLength time.Duration
	A, B         LeapEvent // B happens 0.5 s after A, across the leap
	Reversed     bool      // B's timestamp is smaller than A's
	// MaxDeviation is the largest |wall − UTC| over the day around the
	// leap, UTC counting the leap second as the clock's last second of the
	// day. Step: 1 s during an inserted second (the clock shows 23:59:59
	// again while UTC is at 23:59:60), 0 for a deleted one; smear: 0.5 s.
	MaxDeviation time.Duration
}

// Table lists the readings.
func (r LeapResult) Table() (header []string, rows [][]string) {
	header = []string{"true time", "UTC", "wall clock shows"}
	for _, x := range r.Readings {
		rows = append(rows, []string{fmt.Sprintf("%+.3fs", (x.True - LeapMidnight).Seconds()), x.UTC, ClockFace(x.Wall)})
	}
	return header, rows
}

func (r LeapResult) String() string {
	kind := "deleted"
	if r.Insert {
		kind = "inserted"
	}
	return fmt.Sprintf("%s leap second, %s: the last minute lasts %v; %s at %s gets %s, %s at %s gets %s (reversed: %v)",
		kind, r.Policy, r.MinuteLength.Round(time.Millisecond), r.A.Name, utcLabel(r.A.True, r.Insert), ClockFace(r.A.Stamp),
		r.B.Name, utcLabel(r.B.True, r.Insert), ClockFace(r.B.Stamp), r.Reversed)
}

// ClockFace formats a wall reading as a time of day, "23:59:59.500"
// (milliseconds, truncated).
func ClockFace(d time.Duration) string {
	d = d.Truncate(time.Millisecond) % (24 * time.Hour)
	if d < 0 {
		d += 24 * time.Hour
	}
	h, m := d/time.Hour, d%time.Hour/time.Minute
	s := d % time.Minute
	return fmt.Sprintf("%02d:%02d:%06.3f", int(h), int(m), s.Seconds())
}

// utcLabel is the official UTC name of true instant t when the leap
// second at LeapMidnight is inserted or deleted.
func utcLabel(t time.Duration, insert bool) string {
	switch {
	case insert && t >= LeapMidnight && t < LeapMidnight+time.Second:
		return "23:59:60" + ClockFace(t - LeapMidnight)[8:]
	case insert && t >= LeapMidnight+time.Second:
		return ClockFace(t - time.Second)
	case !insert && t >= LeapMidnight-time.Second:
		return ClockFace(t + time.Second)
	}
	return ClockFace(t)
}

// LeapSecond shows one wall clock (perfect oscillator) through a leap
// second applied by policy.
func LeapSecond(policy physclock.LeapPolicy, insert bool) (LeapResult, error) {
	hw, err := physclock.NewHardware(physclock.HardwareConfig{})
	if err != nil {
		return LeapResult{}, err
	}
	wall, err := physclock.NewWall(hw, physclock.WallConfig{Leaps: []physclock.Leap{{At: LeapMidnight, Insert: insert}}, LeapPolicy: policy})
	if err != nil {
		return LeapResult{}, err
	}
	r := LeapResult{Policy: policy, Insert: insert}
	for t := LeapMidnight - 2500*time.Millisecond; t <= LeapMidnight+2*time.Second; t += 500 * time.Millisecond {
		r.Readings = append(r.Readings, LeapReading{True: t, UTC: utcLabel(t, insert), Wall: wall.Read(t)})
	}
	start := time.Duration(-1)
	for t := LeapMidnight - 2*time.Minute; t < LeapMidnight+2*time.Minute; t += time.Millisecond {
		v := wall.Read(t)
		if start < 0 && v >= LeapMidnight-time.Minute {
			start = t
		}
		if v >= LeapMidnight {
			r.MinuteLength = t - start
			break
		}
	}
	a, b := LeapMidnight-300*time.Millisecond, LeapMidnight+200*time.Millisecond
	r.A = LeapEvent{Name: "a", True: a, Stamp: wall.Read(a)}
	r.B = LeapEvent{Name: "b", True: b, Stamp: wall.Read(b)}
	r.Reversed = r.B.Stamp < r.A.Stamp
	for t := LeapMidnight - 13*time.Hour; t <= LeapMidnight+13*time.Hour; t += time.Second / 4 {
		r.MaxDeviation = max(r.MaxDeviation, abs(wall.Read(t)-utcTrue(t, insert)))
	}
	return r, nil
}

// utcTrue is the UTC reading of true instant t as a count of seconds
// since the previous midnight plus one day, with the inserted second
// counted as second 86400 of the old day (so it can be compared with a
// clock that repeats or smears).
func utcTrue(t time.Duration, insert bool) time.Duration {
	if insert && t >= LeapMidnight+time.Second {
		return t - time.Second
	}
	if !insert && t >= LeapMidnight-time.Second {
		return t + time.Second
	}
	return t
}
