package physicaltime

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/dslessons/course/pkg/clocksync"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/physclock"
)

// Lesson holds the exercises of notebook 06.
var Lesson = exercise.NewLesson("06-time-in-computers", "Time in computers")

// WarmUp asks which clock to benchmark a routine with: "wall" or
// "monotonic" (the course notes' question).
var WarmUp = exercise.NewValue(Lesson, "Warm-up", exercise.ValueSpec[struct{}, string]{
	Params: func(exercise.Variant) struct{} { return struct{}{} },
	Judge: func(_ struct{}, answer string) exercise.Verdict {
		a := strings.ToLower(strings.TrimSpace(answer))
		a = strings.TrimSuffix(strings.TrimSuffix(a, " clock"), "-clock")
		switch a {
		case "monotonic":
			return exercise.Right()
		case "wall", "real-time", "realtime", "real time", "rtc":
			return exercise.Wrong("a synchronisation daemon may step that clock while the routine runs, even backwards",
				"which clock is never stepped? Run the experiment below and compare the two measurements")
		}
		return exercise.Wrong(fmt.Sprintf("%q is neither of the two clocks", answer), `answer "wall" or "monotonic"`)
	},
})

// DriftQuestion is Exercise 1: a clock PPM parts per million fast, left
// without synchronisation for Hours.
type DriftQuestion struct {
	PPM   float64
	Hours float64
}

// Exercise1 asks how far a drifting clock is off after a while without
// NTP.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[DriftQuestion, time.Duration]{
	Params: func(v exercise.Variant) DriftQuestion {
		return DriftQuestion{PPM: exercise.Steps(v, 50, 10, 90, 5), Hours: exercise.Pick(v, 24.0, 6, 12, 36, 48, 72)}
	},
	Describe: func(q DriftQuestion) string {
		return fmt.Sprintf("the clock runs %s ppm fast and goes %s hours without synchronisation", exercise.Format(q.PPM), exercise.Format(q.Hours))
	},
	Judge: func(q DriftQuestion, answer time.Duration) exercise.Verdict {
		want := DriftAfter(q.PPM, time.Duration(q.Hours*float64(time.Hour)))
		got, w := float64(answer), float64(want)
		if exercise.Near(got, w, 0.001, float64(time.Millisecond)) {
			return exercise.Right()
		}
		for _, f := range []float64{1000, 1e-3, 1e6, 1e-6} {
			if exercise.Near(got, w*f, 0.001, 0) {
				return exercise.Wrong("the answer is off by a power of 1000: a unit slipped", "1 ppm is one microsecond per second; write the answer as a time.Duration such as 1500 * time.Millisecond")
			}
		}
		if exercise.Near(got, w/q.Hours, 0.001, 0) {
			return exercise.Wrong("that is the drift over one hour", "multiply by the number of hours")
		}
		return exercise.Wrong(fmt.Sprintf("%v is %s", answer, exercise.Direction(got, w, 0.001, float64(time.Millisecond))),
			"1 ppm is one microsecond per second; count the seconds in the given hours")
	},
})

// FrequencyInput is one call of a frequency rule (Exercise 2).
type FrequencyInput struct {
	FreqPPM float64
	Offset  time.Duration
	Since   time.Duration
}

// Exercise2 asks for the frequency half of a clock discipline, tested on
// cases and then inside the Drift simulation, where it must shrink the
// sawtooth.
var Exercise2 = exercise.NewFunc(Lesson, "Exercise 2", exercise.FuncSpec[FrequencyRule, FrequencyInput, float64]{
	Call: func(f FrequencyRule, in FrequencyInput) float64 { return f(in.FreqPPM, in.Offset, in.Since) },
	Test: func(t *exercise.T[FrequencyInput, float64]) {
		exercise.Table(exercise.TableSpec[FrequencyInput, float64]{
			Visible: []exercise.Case[FrequencyInput, float64]{
				{In: FrequencyInput{FreqPPM: 0, Offset: 6 * time.Millisecond, Since: 10 * time.Minute}, Want: 10, Name: "a clock 10 ppm slow, first estimate"},
				{In: FrequencyInput{FreqPPM: 10, Offset: -1200 * time.Microsecond, Since: 10 * time.Minute}, Want: 8, Name: "a small overshoot to take back"},
				{In: FrequencyInput{FreqPPM: 25, Offset: 3 * time.Millisecond, Since: 0}, Want: 25, Name: "the first poll"},
			},
			Hidden: func(rng *rand.Rand) []exercise.Case[FrequencyInput, float64] {
				var cs []exercise.Case[FrequencyInput, float64]
				for range 20 {
					in := FrequencyInput{
						FreqPPM: math.Round((rng.Float64()*200-100)*10) / 10,
						Offset:  time.Duration(rng.Int64N(int64(40*time.Millisecond))) - 20*time.Millisecond,
						Since:   time.Duration(1+rng.IntN(60)) * time.Minute,
					}
					cs = append(cs, exercise.Case[FrequencyInput, float64]{In: in, Want: LockFrequency(in.FreqPPM, in.Offset, in.Since), Name: "a random poll"})
				}
				return cs
			},
			Same: func(_ FrequencyInput, want, got float64) bool { return exercise.Near(got, want, 1e-6, 1e-6) },
			Show: func(in FrequencyInput) string {
				return fmt.Sprintf("freqPPM %g, offset %v, since %v", in.FreqPPM, in.Offset, in.Since)
			},
			Hint: "the offset that built up since the last poll, divided by the time since then, is the rate still to correct (×10⁶ for ppm); at the first poll there is no rate to measure",
		})(t)
		// Inside the simulation: the sawtooth after the third poll must be
		// less than half as high as without frequency correction.
		cfg := DefaultDrift
		cfg.SyncEvery = 10 * time.Minute
		offsetOnly, err := Drift(cfg)
		if err != nil {
			t.Fatal(exercise.Wrong(err.Error(), "tell your instructor: this is a bug in the lesson"))
		}
		cfg.Frequency = func(f float64, off, since time.Duration) float64 {
			return t.Call(FrequencyInput{FreqPPM: f, Offset: off, Since: since})
		}
		r, err := Drift(cfg)
		if err != nil {
			t.Fatal(exercise.Wrong(err.Error(), "return a frequency within ±500 ppm"))
		}
		var before, after time.Duration
		for i := range r.Series {
			before, after = before+offsetOnly.Series[i].LateMaxAbs, after+r.Series[i].LateMaxAbs
		}
		if 2*after > before {
			t.Fatal(exercise.Wrong(fmt.Sprintf("in the simulation (seed %d) your rule leaves a sawtooth of %v on average after the third poll, offset correction alone %v", cfg.Seed, after/time.Duration(len(r.Series)), before/time.Duration(len(r.Series))),
				"the new frequency must move against the drift: a positive offset (clock behind) calls for a faster clock"))
		}
	},
})

// ExerciseExchange is the example NTP exchange of Exercise 3 (client
// clock T1, T4; server clock T2, T3).
var ExerciseExchange = clocksync.Exchange{
	T1: 1000 * time.Millisecond, T2: 1120 * time.Millisecond,
	T3: 1125 * time.Millisecond, T4: 1045 * time.Millisecond,
}

// OffsetDelay is the answer of Exercise 3.
type OffsetDelay struct {
	Offset, Delay time.Duration
}

// Exercise3 asks for NTP's offset and delay from four timestamps.
var Exercise3 = exercise.NewValue(Lesson, "Exercise 3", exercise.ValueSpec[clocksync.Exchange, OffsetDelay]{
	Params: func(v exercise.Variant) clocksync.Exchange {
		if v.Example() {
			return ExerciseExchange
		}
		r := v.Rand()
		ms := func(lo, hi int) time.Duration { return time.Duration(lo+r.IntN(hi-lo+1)) * time.Millisecond }
		offset, d1, d2, proc := ms(-200, 200), ms(5, 40), ms(5, 40), ms(1, 9)
		t1 := ms(1000, 5000)
		t2 := t1 + d1 + offset
		t3 := t2 + proc
		return clocksync.Exchange{T1: t1, T2: t2, T3: t3, T4: t3 - offset + d2}
	},
	Describe: func(e clocksync.Exchange) string {
		return fmt.Sprintf("T1 = %v, T2 = %v, T3 = %v, T4 = %v", e.T1, e.T2, e.T3, e.T4)
	},
	Judge: func(e clocksync.Exchange, a OffsetDelay) exercise.Verdict {
		var wrong []string
		var why []string
		if a.Offset != e.Offset() {
			wrong = append(wrong, "the offset")
			switch a.Offset {
			case -e.Offset():
				why = append(why, "the offset has the wrong sign (θ is server minus client)")
			case (e.T2 - e.T1) + (e.T3 - e.T4):
				why = append(why, "the offset was not halved")
			}
		}
		if a.Delay != e.Delay() {
			wrong = append(wrong, "the delay")
			if a.Delay == e.T4-e.T1 {
				why = append(why, "the delay still contains the server's processing time T3 − T2")
			}
		}
		if len(wrong) == 0 {
			return exercise.Right()
		}
		return exercise.WrongParts(wrong, strings.Join(why, "; "),
			"θ = ((T2−T1)+(T3−T4))/2 and δ = (T4−T1)−(T3−T2), with the numbers printed above")
	},
})

// LeapQuestion is Exercise 4: event a happens A after the inserted leap
// second starts (negative: before), event b B after it.
type LeapQuestion struct {
	A, B time.Duration
}

// Exercise4 asks whether a stepped leap second reverses two events'
// timestamps.
var Exercise4 = exercise.NewValue(Lesson, "Exercise 4", exercise.ValueSpec[LeapQuestion, bool]{
	Params: func(v exercise.Variant) LeapQuestion {
		return LeapQuestion{
			A: -time.Duration(exercise.Steps(v, 0.3, 0.1, 0.6, 0.1) * float64(time.Second)),
			B: time.Duration(exercise.Steps(v, 0.2, 0.1, 0.9, 0.1) * float64(time.Second)),
		}
	},
	Describe: func(q LeapQuestion) string {
		return fmt.Sprintf("a happens %v before the inserted second 23:59:60 starts, b %v after it starts (%v after a)", -q.A, q.B, q.B-q.A)
	},
	Judge: func(q LeapQuestion, answer bool) exercise.Verdict {
		_, _, reversed, err := LeapPair(physclock.LeapStep, q.A, q.B)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		if answer == reversed {
			return exercise.Right()
		}
		return exercise.Wrong("not what the stepped clock does",
			"during an inserted leap second the clock shows 23:59:59.000 to 23:59:59.999 a second time: write down both stamps and compare")
	},
})

// Exercise5 asks for the smallest gap that orders messages from clocks
// within ±Eps correctly.
var Exercise5 = exercise.NewValue(Lesson, "Exercise 5", exercise.ValueSpec[time.Duration, time.Duration]{
	Params: func(v exercise.Variant) time.Duration {
		return time.Duration(exercise.Pick(v, 1000, 250, 500, 750, 1500, 2000, 5000, 10000)) * time.Microsecond
	},
	Describe: func(eps time.Duration) string {
		return fmt.Sprintf("each clock is within ±%v of true time", eps)
	},
	Judge: func(eps time.Duration, answer time.Duration) exercise.Verdict {
		want := 2 * eps
		switch {
		case answer == want:
			return exercise.Right()
		case answer == eps:
			return exercise.Wrong(fmt.Sprintf("with that gap %.1f%% of pairs can still be misordered", 100*PredictedMisorder(answer, eps)),
				"both clocks may be wrong, in opposite directions")
		case answer < want:
			return exercise.Wrong(fmt.Sprintf("with that gap %.1f%% of pairs can still be misordered", 100*PredictedMisorder(answer, eps)),
				"one clock can be ε fast while the other is ε slow")
		}
		return exercise.Wrong("that gap is safe, but a smaller one is too", "one clock can be ε fast while the other is ε slow: how far apart can two readings of the same instant be?")
	},
})
