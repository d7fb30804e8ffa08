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
	r.A, r.B, r.Reversed = stampPair(wall, -300*time.Millisecond, 200*time.Millisecond)
	for t := LeapMidnight - 13*time.Hour; t <= LeapMidnight+13*time.Hour; t += time.Second / 4 {
		r.MaxDeviation = max(r.MaxDeviation, abs(wall.Read(t)-utcTrue(t, insert)))
	}
	return r, nil
}

// stampPair stamps event a at true time LeapMidnight+a and event b at
// LeapMidnight+b with wall, and says whether b got the smaller stamp.
func stampPair(wall *physclock.Wall, a, b time.Duration) (ea, eb LeapEvent, reversed bool) {
	ea = LeapEvent{Name: "a", True: LeapMidnight + a, Stamp: wall.Read(LeapMidnight + a)}
	eb = LeapEvent{Name: "b", True: LeapMidnight + b, Stamp: wall.Read(LeapMidnight + b)}
	return ea, eb, eb.Stamp < ea.Stamp
}

// LeapPair stamps two events with a wall clock (perfect oscillator) that
// applies an inserted leap second at LeapMidnight by policy: a happens at
// LeapMidnight+a and b at LeapMidnight+b (true time; LeapMidnight is when
// 23:59:60 starts), both within 10 s of it. reversed says whether the
// later event b got the smaller timestamp.
func LeapPair(policy physclock.LeapPolicy, a, b time.Duration) (ea, eb LeapEvent, reversed bool, err error) {
	if a > b || a < -10*time.Second || b > 10*time.Second {
		return ea, eb, false, fmt.Errorf("physicaltime: events at %v and %v: want a ≤ b, both within 10s of the leap", a, b)
	}
	hw, err := physclock.NewHardware(physclock.HardwareConfig{})
	if err != nil {
		return ea, eb, false, err
	}
	wall, err := physclock.NewWall(hw, physclock.WallConfig{Leaps: []physclock.Leap{{At: LeapMidnight, Insert: true}}, LeapPolicy: policy})
	if err != nil {
		return ea, eb, false, err
	}
	ea, eb, reversed = stampPair(wall, a, b)
	return ea, eb, reversed, nil
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

// LeapSecondDates are the UTC days that ended with an inserted leap second
// (23:59:60), from the start of leap seconds in 1972, when TAI − UTC was
// set to 10 s, to the last one so far, 2016-12-31 (IERS Bulletin C). No
// second has ever been deleted. In 2022 the General Conference on Weights
// and Measures (CGPM, Resolution 4) decided to let UT1 − UTC grow beyond
// 0.9 s by 2035, which ends leap seconds.
var LeapSecondDates = []string{
	"1972-06-30", "1972-12-31", "1973-12-31", "1974-12-31", "1975-12-31", "1976-12-31",
	"1977-12-31", "1978-12-31", "1979-12-31", "1981-06-30", "1982-06-30", "1983-06-30",
	"1985-06-30", "1987-12-31", "1989-12-31", "1990-12-31", "1992-06-30", "1993-06-30",
	"1994-06-30", "1995-12-31", "1997-06-30", "1998-12-31", "2005-12-31", "2008-12-31",
	"2012-06-30", "2015-06-30", "2016-12-31",
}

// GPSEpoch is the day GPS time started, equal to UTC then; GPS time has
// had no leap seconds since.
const GPSEpoch = "1980-01-06"

// TAIMinusUTC is TAI − UTC at the start of day (YYYY-MM-DD, 1972-01-01 or
// later): 10 s plus one second per leap second inserted before that day.
func TAIMinusUTC(day string) (time.Duration, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0, fmt.Errorf("physicaltime: day %q is not YYYY-MM-DD", day)
	}
	if d.Year() < 1972 {
		return 0, fmt.Errorf("physicaltime: day %s is before 1972, when leap seconds began", day)
	}
	n := 0
	for _, l := range LeapSecondDates {
		ld, err := time.Parse(time.DateOnly, l)
		if err != nil {
			return 0, err
		}
		if ld.Before(d) {
			n++
		}
	}
	return time.Duration(10+n) * time.Second, nil
}

// GPSMinusUTC is how far GPS time is ahead of UTC at the start of day: the
// leap seconds inserted between GPSEpoch and day.
func GPSMinusUTC(day string) (time.Duration, error) {
	now, err := TAIMinusUTC(day)
	if err != nil {
		return 0, err
	}
	epoch, err := TAIMinusUTC(GPSEpoch)
	if err != nil {
		return 0, err
	}
	return now - epoch, nil
}
