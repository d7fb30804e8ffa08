package physicaltime

import (
	"fmt"
	"strings"
	"time"

	"github.com/dslessons/course/pkg/clocksync"
	"github.com/dslessons/course/pkg/physclock"
)

// CheckBenchmarkClock checks the syllabus question "which clock would you
// use to benchmark a routine?": answer "wall" or "monotonic".
func CheckBenchmarkClock(answer string) error {
	a := strings.ToLower(strings.TrimSpace(answer))
	a = strings.TrimSuffix(strings.TrimSuffix(a, " clock"), "-clock")
	res, err := MeasureWithStep(DefaultStep)
	if err != nil {
		return err
	}
	switch a {
	case "monotonic":
		return nil
	case "wall", "real-time", "realtime", "real time", "rtc":
		return fmt.Errorf("expected monotonic, got %q: in the experiment the wall clock measured %v for a %v routine. hint: which clock can be stepped by NTP while the routine runs?", answer, res.Wall, res.True)
	}
	return fmt.Errorf("expected \"monotonic\" or \"wall\", got %q", answer)
}

// ExerciseExchange is the NTP exchange of the offset exercise (client
// clock T1, T4; server clock T2, T3).
var ExerciseExchange = clocksync.Exchange{
	T1: 1000 * time.Millisecond, T2: 1120 * time.Millisecond,
	T3: 1125 * time.Millisecond, T4: 1045 * time.Millisecond,
}

// CheckNTP checks the offset and delay computed by hand from
// ExerciseExchange.
func CheckNTP(offset, delay time.Duration) error {
	e := ExerciseExchange
	var problems []string
	if offset != e.Offset() {
		problems = append(problems, fmt.Sprintf("offset: expected %v, got %v", e.Offset(), offset))
	}
	if delay != e.Delay() {
		problems = append(problems, fmt.Sprintf("delay: expected %v, got %v", e.Delay(), delay))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s. hint: θ = ((T2−T1)+(T3−T4))/2 and δ = (T4−T1)−(T3−T2)", strings.Join(problems, "; "))
}

// CheckDrift checks "how far off is a clock that runs 50 ppm fast after
// one day without synchronisation?" to within a millisecond.
func CheckDrift(answer time.Duration) error {
	want := DriftAfter(50, 24*time.Hour)
	if abs(answer-want) <= time.Millisecond {
		return nil
	}
	return fmt.Errorf("expected %v, got %v. hint: 1 ppm is one microsecond per second; a day has 86 400 seconds", want, answer)
}

// CheckLeapReversed checks the prediction "with a stepped (repeated) leap
// second, does event b, half a second after a, get a smaller timestamp
// than a?" (a is 0.3 s before the leap, b 0.2 s into it).
func CheckLeapReversed(answer bool) error {
	r, err := LeapSecond(physclock.LeapStep, true)
	if err != nil {
		return err
	}
	if answer == r.Reversed {
		return nil
	}
	return fmt.Errorf("expected %v, got %v: a is stamped %s and b %s. hint: during an inserted leap second the clock shows 23:59:59 a second time",
		r.Reversed, answer, ClockFace(r.A.Stamp), ClockFace(r.B.Stamp))
}

// CheckSafeGap checks "clocks are each within ±eps of true time; what is
// the smallest gap between two messages from different senders that
// guarantees they are ordered correctly by timestamp?" for eps = 1 ms.
func CheckSafeGap(answer time.Duration) error {
	const eps = time.Millisecond
	want := 2 * eps
	if answer == want {
		return nil
	}
	hint := "one clock can be ε fast while the other is ε slow"
	if answer < want {
		return fmt.Errorf("expected %v, got %v: with that gap %.2f%% of pairs can still be misordered. hint: %s", want, answer, 100*PredictedMisorder(answer, eps), hint)
	}
	return fmt.Errorf("expected %v, got %v: that is safe but not the smallest. hint: %s", want, answer, hint)
}
