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

// ExpTimeout is an exponential RTT distribution (mean, ms) and a timeout
// (ms), or a target false-timeout rate.
type ExpTimeout struct {
	Mean, Timeout float64 // ms
	Rate          float64 // a target false-timeout rate (Exercise 3)
}

// Exercise2 asks for the false-timeout rate of a timeout under exponential
// RTTs.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[ExpTimeout, float64]{
	Params: func(v exercise.Variant) ExpTimeout {
		mean := exercise.Pick(v, 10.0, 5, 8, 12, 15, 20, 25, 40)
		return ExpTimeout{Mean: mean, Timeout: mean * exercise.Pick(v, 3.0, 1.5, 2, 2.5, 3.5, 4)}
	},
	Describe: func(p ExpTimeout) string {
		return fmt.Sprintf("mean RTT %s ms, timeout %s ms", exercise.Format(p.Mean), exercise.Format(p.Timeout))
	},
	Judge: func(p ExpTimeout, answer float64) exercise.Verdict {
		want := math.Exp(-p.Timeout / p.Mean)
		if exercise.Near(answer, want, 0, 0.0005) {
			return exercise.Right()
		}
		if answer > 1 && exercise.Near(answer/100, want, 0, 0.0005) {
			return exercise.Wrong("the answer looks like a percentage", "give a fraction between 0 and 1")
		}
		if exercise.Near(answer, 1-want, 0, 0.0005) {
			return exercise.Wrong("that is the fraction of replies that arrive in time", "a false timeout is a reply later than the timeout")
		}
		return exercise.Wrong(fmt.Sprintf("%s is %s (three decimals are enough)", exercise.Format(answer), exercise.Direction(answer, want, 0, 0.0005)),
			"a false timeout is a reply later than t, and for an exponential P(X > t) = exp(−t/mean)")
	},
})

// Exercise3 asks for the timeout that gives a target false-timeout rate.
var Exercise3 = exercise.NewValue(Lesson, "Exercise 3", exercise.ValueSpec[ExpTimeout, float64]{
	Params: func(v exercise.Variant) ExpTimeout {
		return ExpTimeout{Mean: exercise.Pick(v, 10.0, 5, 8, 12, 15, 20, 30), Rate: exercise.Pick(v, 0.01, 0.02, 0.05, 0.001, 0.005)}
	},
	Describe: func(p ExpTimeout) string {
		return fmt.Sprintf("mean RTT %s ms, target false-timeout rate %s", exercise.Format(p.Mean), exercise.Format(p.Rate))
	},
	Judge: func(p ExpTimeout, answer float64) exercise.Verdict {
		want := p.Mean * math.Log(1/p.Rate)
		if exercise.Near(answer, want, 0.01, 0) {
			return exercise.Right()
		}
		return exercise.Wrong(fmt.Sprintf("%s ms is %s", exercise.Format(answer), exercise.Direction(answer, want, 0.01, 0)),
			"solve exp(−t/mean) = p for t")
	},
})

// RTOSamples are round-trip samples (ms) fed to an RFC 6298 estimator.
type RTOSamples struct{ Samples []float64 }

// RFC6298 returns the RTO (ms) of an RFC 6298 estimator (minimum 1 ms,
// maximum 60 s, so the bounds play no role) after the samples.
func RFC6298(samples []float64) (float64, error) {
	a, err := retry.NewAdaptive(retry.AdaptiveConfig{Initial: 1000, Min: 1, Max: 60000})
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

// rtoSwapped is the RTO of the frequent mistake of updating SRTT before
// RTTVAR (RFC 6298 updates RTTVAR first, with the old SRTT).
func rtoSwapped(samples []float64) float64 {
	srtt, rttvar := samples[0], samples[0]/2
	for _, r := range samples[1:] {
		srtt = 0.875*srtt + 0.125*r
		rttvar = 0.75*rttvar + 0.25*math.Abs(srtt-r)
	}
	return srtt + 4*rttvar
}

// Exercise4 asks for the RTO after two samples, by hand.
var Exercise4 = exercise.NewValue(Lesson, "Exercise 4", exercise.ValueSpec[RTOSamples, float64]{
	Params: func(v exercise.Variant) RTOSamples {
		first := float64(exercise.IntBetween(v, 4, 2, 8) * 10)
		second := first + float64(exercise.Pick(v, 20, -20, -10, 10, 30, 40))
		return RTOSamples{Samples: []float64{first, second}}
	},
	Describe: func(p RTOSamples) string {
		return fmt.Sprintf("round trips of %s ms, then %s ms", exercise.Format(p.Samples[0]), exercise.Format(p.Samples[1]))
	},
	Judge: func(p RTOSamples, answer float64) exercise.Verdict {
		want, err := RFC6298(p.Samples)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		if exercise.Near(answer, want, 0, 0.01) {
			return exercise.Right()
		}
		if exercise.Near(answer, rtoSwapped(p.Samples), 0, 0.01) {
			return exercise.Wrong("SRTT was updated before RTTVAR", "RFC 6298 updates RTTVAR first, using the old SRTT")
		}
		if exercise.Near(answer, p.Samples[0]*3, 0, 0.01) {
			return exercise.Wrong("that is the RTO after the first sample only", "apply the second sample too")
		}
		return exercise.Wrong(fmt.Sprintf("%s ms is %s", exercise.Format(answer), exercise.Direction(answer, want, 0, 0.01)),
			"first sample R: SRTT = R, RTTVAR = R/2; then RTTVAR = ¾·RTTVAR + ¼·|SRTT − R| (old SRTT) before SRTT = ⅞·SRTT + ⅛·R; RTO = SRTT + max(G, 4·RTTVAR)")
	},
})
