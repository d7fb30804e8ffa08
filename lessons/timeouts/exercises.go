package timeouts

import (
	"fmt"
	"math"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/retry"
)

// Lesson holds the exercises of notebook 03.
var Lesson = exercise.NewLesson("03-timeouts", "Timeouts")

// MM1 is an M/M/1 queue: service rate Mu and arrival rate Lambda, per ms.
type MM1 struct{ Mu, Lambda float64 }

// MeanInSystem is the queue's mean time in system, 1/(μ−λ) ms.
func (q MM1) MeanInSystem() float64 { return 1 / (q.Mu - q.Lambda) }

// Exercise1 asks for the mean time in system of an M/M/1 queue.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[MM1, float64]{
	Params: func(v exercise.Variant) MM1 {
		return MM1{Mu: 1, Lambda: exercise.Steps(v, 0.75, 0.5, 0.95, 0.05)}
	},
	Describe: func(q MM1) string {
		return fmt.Sprintf("μ = %s request/ms, λ = %s requests/ms", exercise.Format(q.Mu), exercise.Format(q.Lambda))
	},
	Judge: func(q MM1, answer float64) exercise.Verdict {
		want := q.MeanInSystem()
		if exercise.Near(answer, want, 0.01, 0) {
			return exercise.Right()
		}
		if exercise.Near(answer, 1/q.Mu, 0.01, 0) {
			return exercise.Wrong("that is the service time alone", "a request also waits for the work queued ahead of it")
		}
		return exercise.Wrong(fmt.Sprintf("%s ms is %s", exercise.Format(answer), exercise.Direction(answer, want, 0.01, 0)),
			"the mean time in system is 1/(μ−λ): it counts only the spare capacity")
	},
})

// Stretch is a timeout that fires falsely on a fraction Rate of the replies
// from a healthy server, and the factor by which it is made longer.
type Stretch struct {
	Rate   float64
	Factor int
}

// newRate is the false-timeout rate after the stretch when round trips are
// exponential: P(RTT > k·t) = exp(−k·t/mean) = P(RTT > t)^k.
func (s Stretch) newRate() float64 { return math.Pow(s.Rate, float64(s.Factor)) }

// Exercise2 asks what lengthening a timeout does to its false-timeout rate
// when round trips are exponential: the rate is raised to the power of the
// factor (no mean needed — the point of the exercise).
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[Stretch, float64]{
	Params: func(v exercise.Variant) Stretch {
		return Stretch{Rate: exercise.Pick(v, 0.1, 0.05, 0.2, 0.3, 0.15, 0.25), Factor: exercise.Pick(v, 2, 2, 3)}
	},
	Describe: func(s Stretch) string {
		return fmt.Sprintf("a timeout t fires falsely on a fraction %s of the replies; the new timeout is %d·t", exercise.Format(s.Rate), s.Factor)
	},
	Judge: func(s Stretch, answer float64) exercise.Verdict {
		want := s.newRate()
		const rel = 0.01
		switch {
		case exercise.Near(answer, want, rel, 0):
			return exercise.Right()
		case answer >= 1 && exercise.Near(answer/100, want, rel, 0):
			return exercise.Wrong("the answer looks like a percentage", "give a fraction between 0 and 1")
		case exercise.Near(answer, s.Rate/float64(s.Factor), rel, 0):
			return exercise.Wrong("that assumes the false-timeout rate falls in proportion to the timeout",
				"it does not: write the rate as P(RTT > t) for an exponential RTT and replace t by the longer timeout")
		case exercise.Near(answer, s.Rate, rel, 0):
			return exercise.Wrong("a longer timeout does lower the rate", "write P(RTT > t) for an exponential RTT and replace t by the longer timeout")
		}
		return exercise.Wrong(fmt.Sprintf("%s is %s", exercise.Format(answer), exercise.Direction(answer, want, rel, 0)),
			"for an exponential RTT, P(RTT > t) = exp(−t/mean); you do not need the mean: express the new rate through the old one")
	},
})

// Steady is a network whose every round trip takes exactly RTT ms, seen by
// an RFC 6298 estimator with clock granularity G and minimum RTO Min (ms;
// maximum 60 s).
type Steady struct{ RTT, G, Min float64 }

// settleSamples is how many identical samples settledRTO feeds: RTTVAR
// shrinks by ¾ per sample, so 4·RTTVAR is far below any G ≥ 1 ms by then.
const settleSamples = 500

// settledRTO runs pkg/retry's estimator on settleSamples samples of s.RTT
// and returns its RTO: the value it settles at.
func (s Steady) settledRTO() (float64, error) {
	a, err := retry.NewAdaptive(retry.AdaptiveConfig{Unit: 1000, Min: s.Min, Granularity: s.G})
	if err != nil {
		return 0, err
	}
	for range settleSamples {
		if err := a.Observe(retry.Sample{RTT: s.RTT}); err != nil {
			return 0, err
		}
	}
	return a.Timeout(), nil
}

// Exercise3 asks, before running anything, where the estimator settles on
// a network without jitter: RTTVAR decays to 0, so RTO tends to
// max(Min, RTT + G). The check runs pkg/retry to decide.
var Exercise3 = exercise.NewValue(Lesson, "Exercise 3", exercise.ValueSpec[Steady, float64]{
	Params: func(v exercise.Variant) Steady {
		return Steady{
			RTT: float64(exercise.IntBetween(v, 4, 2, 15) * 10),
			G:   exercise.Pick(v, 10.0, 1, 4, 10, 100),
			Min: exercise.Pick(v, 1.0, 1, 1, 200),
		}
	},
	Describe: func(s Steady) string {
		return fmt.Sprintf("every round trip takes exactly %s ms; clock granularity G = %s ms; minimum RTO %s ms, maximum one minute",
			exercise.Format(s.RTT), exercise.Format(s.G), exercise.Format(s.Min))
	},
	Judge: func(s Steady, answer float64) exercise.Verdict {
		want, err := s.settledRTO()
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		const abs = 0.01
		if exercise.Near(answer, want, 0, abs) {
			return exercise.Right()
		}
		for _, m := range []struct {
			v         float64
			why, hint string
		}{
			{3 * s.RTT, "that is the RTO after the first sample only", "follow RTTVAR as identical samples keep arriving: what does |SRTT − R| become?"},
			{s.RTT + 4*s.G, "G is not multiplied by 4", "RTO = SRTT + max(G, 4·RTTVAR): which of the two terms wins once RTTVAR is tiny?"},
			{s.RTT, "the RTO does not shrink to the round-trip time itself", "RTO = SRTT + max(G, 4·RTTVAR): which of the two terms wins once RTTVAR is tiny?"},
			{s.RTT + s.G, "the estimator has a minimum RTO", "compare your value with the minimum printed above"},
			{max(s.Min, s.RTT), "the RTO does not shrink to the round-trip time itself", "RTO = SRTT + max(G, 4·RTTVAR): which of the two terms wins once RTTVAR is tiny?"},
		} {
			if exercise.Near(answer, m.v, 0, abs) && !exercise.Near(m.v, want, 0, abs) {
				return exercise.Wrong(m.why, m.hint)
			}
		}
		return exercise.Wrong(fmt.Sprintf("%s ms is %s", exercise.Format(answer), exercise.Direction(answer, want, 0, abs)),
			"feed the same R again and again: what happens to SRTT, to |SRTT − R| and so to RTTVAR? Then apply RTO = SRTT + max(G, 4·RTTVAR) and the bounds")
	},
})

// RFC6298 returns the RTO (ms) of an RFC 6298 estimator (minimum 1 ms,
// maximum 60 s, so the bounds play no role) after the samples.
func RFC6298(samples []float64) (float64, error) {
	a, err := retry.NewAdaptive(retry.AdaptiveConfig{Unit: 1000, Min: 1})
	if err != nil {
		return 0, err
	}
	for _, s := range samples {
		if err := a.Observe(retry.Sample{RTT: s}); err != nil {
			return 0, err
		}
	}
	return a.Timeout(), nil
}
