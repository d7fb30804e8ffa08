package timeouts

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/retry"
)

// RTOConfig is what an RFC 6298 estimator is set up with (ms): the RTO
// before the first sample, its bounds, and the clock granularity G.
type RTOConfig struct {
	Initial, Min, Max, G float64
}

// RTOState is what the estimator remembers between events. Samples counts
// the round trips it has used (Karn's rule skips some).
type RTOState struct {
	SRTT, RTTVAR, RTO float64
	Samples           int
}

// RTOEvent is one thing that happens to the estimator: the timer expired
// (Expired), or a reply arrived after RTT ms; Retransmitted marks a reply
// to a request that was sent more than once.
type RTOEvent struct {
	RTT           float64 `json:",omitempty"`
	Retransmitted bool    `json:",omitempty"`
	Expired       bool    `json:",omitempty"`
}

func (e RTOEvent) String() string {
	switch {
	case e.Expired:
		return "expired"
	case e.Retransmitted:
		return exercise.Format(e.RTT) + " (retransmitted)"
	}
	return exercise.Format(e.RTT)
}

// RTOUpdate is the estimator as a pure function: the state after event ev,
// given the state before it. Exercise 4 asks students to write one.
type RTOUpdate func(c RTOConfig, s RTOState, ev RTOEvent) RTOState

// RTOCase is one test of an RTOUpdate: a configuration and the events fed
// to a fresh estimator (state {RTO: Initial}).
type RTOCase struct {
	Config RTOConfig
	Events []RTOEvent
}

func (c RTOCase) String() string {
	ev := make([]string, len(c.Events))
	for i, e := range c.Events {
		ev[i] = e.String()
	}
	k := c.Config
	return fmt.Sprintf("Initial %s, Min %s, Max %s, G %s; events: %s",
		exercise.Format(k.Initial), exercise.Format(k.Min), exercise.Format(k.Max), exercise.Format(k.G), strings.Join(ev, ", "))
}

// RunUpdate feeds c's events to f, starting from {RTO: Initial}, and
// returns the RTO after each event. A nil f returns nil; a panic in f is
// not recovered (the exercise package reports it as the student's).
func RunUpdate(f RTOUpdate, c RTOCase) []float64 {
	if f == nil {
		return nil
	}
	s := RTOState{RTO: c.Config.Initial}
	rtos := make([]float64, len(c.Events))
	for i, ev := range c.Events {
		s = f(c.Config, s, ev)
		rtos[i] = s.RTO
	}
	return rtos
}

// ReferenceRTOs is what pkg/retry's Adaptive gives on c: the RTO after
// each event.
func ReferenceRTOs(c RTOCase) ([]float64, error) {
	k := c.Config
	a, err := retry.NewAdaptive(retry.AdaptiveConfig{Initial: k.Initial, Min: k.Min, Max: k.Max, Granularity: k.G})
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(c.Events))
	for i, ev := range c.Events {
		if ev.Expired {
			a.Expired()
		} else if err := a.Observe(retry.Sample{RTT: ev.RTT, Retransmitted: ev.Retransmitted}); err != nil {
			return nil, err
		}
		out[i] = a.Timeout()
	}
	return out, nil
}

// rtoCases are the visible cases, each exercising one rule.
func rtoCases() []exercise.Case[RTOCase, []float64] {
	lesson := RTOConfig{Initial: 1000, Min: 1, Max: 60000}
	samples := func(rtts ...float64) []RTOEvent {
		out := make([]RTOEvent, len(rtts))
		for i, r := range rtts {
			out[i] = RTOEvent{RTT: r}
		}
		return out
	}
	expired := RTOEvent{Expired: true}
	cases := []struct {
		name string
		c    RTOCase
	}{
		{"first sample, then RTTVAR before SRTT: the lesson's 100, 200, 100 ms", RTOCase{lesson, samples(100, 200, 100)}},
		{"the clock granularity G", RTOCase{RTOConfig{Initial: 1000, Min: 1, Max: 60000, G: 100}, samples(50, 50, 50, 50)}},
		{"the minimum RTO", RTOCase{RTOConfig{Initial: 1000, Min: 200, Max: 60000}, samples(20, 22, 21)}},
		{"back-off on expiry, up to the maximum", RTOCase{RTOConfig{Initial: 1000, Min: 1, Max: 30000}, []RTOEvent{expired, expired, expired, expired, expired, expired}}},
		{"Karn's rule: the lesson's sequence", RTOCase{lesson, append(samples(100, 200, 100), expired, RTOEvent{RTT: 5, Retransmitted: true}, RTOEvent{RTT: 100})}},
	}
	out := make([]exercise.Case[RTOCase, []float64], len(cases))
	for i, c := range cases {
		want, err := ReferenceRTOs(c.c)
		if err != nil {
			panic("timeouts: bad visible case: " + err.Error())
		}
		out[i] = exercise.Case[RTOCase, []float64]{In: c.c, Want: want, Name: c.name}
	}
	return out
}

// hiddenRTOCases draws cases with random settings and event sequences,
// including the corners: a zero RTT, Karn's rule and expiries before the
// first clean sample, long back-offs that reach Max.
func hiddenRTOCases(rng *rand.Rand) []exercise.Case[RTOCase, []float64] {
	var out []exercise.Case[RTOCase, []float64]
	add := func(name string, c RTOCase) {
		want, err := ReferenceRTOs(c)
		if err != nil {
			return // cannot happen with the settings below; skip rather than judge wrongly
		}
		out = append(out, exercise.Case[RTOCase, []float64]{In: c, Want: want, Name: name})
	}
	pick := func(xs ...float64) float64 { return xs[rng.IntN(len(xs))] }
	config := func() RTOConfig {
		k := RTOConfig{Initial: pick(1000, 3000), Min: pick(0, 1, 200, 1000), Max: pick(60000, 120000), G: pick(0, 1, 10, 100, 500)}
		return k
	}
	rtt := func() float64 { return math.Round(math.Exp(rng.NormFloat64()*1.2+math.Log(80))*100) / 100 }
	for range 20 {
		c := RTOCase{Config: config()}
		for range 1 + rng.IntN(40) {
			switch x := rng.Float64(); {
			case x < 0.12:
				c.Events = append(c.Events, RTOEvent{Expired: true})
			case x < 0.24:
				c.Events = append(c.Events, RTOEvent{RTT: rtt(), Retransmitted: true})
			default:
				c.Events = append(c.Events, RTOEvent{RTT: rtt()})
			}
		}
		add("random settings and events", c)
	}
	k := config()
	add("a first round trip of 0 ms", RTOCase{k, []RTOEvent{{RTT: 0}, {RTT: rtt()}, {RTT: rtt()}}})
	add("Karn's rule before any clean sample", RTOCase{config(), []RTOEvent{{Expired: true}, {RTT: rtt(), Retransmitted: true}, {RTT: rtt()}, {RTT: rtt()}}})
	long := RTOCase{Config: config(), Events: []RTOEvent{{RTT: rtt()}}}
	for range 12 {
		long.Events = append(long.Events, RTOEvent{Expired: true})
	}
	add("a long back-off", append1(long, RTOEvent{RTT: rtt()}))
	return out
}

func append1(c RTOCase, ev RTOEvent) RTOCase {
	c.Events = append(c.Events, ev)
	return c
}

func sameRTOs(_ RTOCase, want, got []float64) bool {
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if !exercise.Near(got[i], want[i], 1e-6, 1e-6) {
			return false
		}
	}
	return true
}

// Exercise4 asks for the estimator itself: an RTOUpdate tested against
// pkg/retry's Adaptive on the visible cases and, under the grader, on
// random hidden sequences.
var Exercise4 = exercise.NewFunc(Lesson, "Exercise 4", exercise.FuncSpec[RTOUpdate, RTOCase, []float64]{
	Call: RunUpdate,
	Test: exercise.Table(exercise.TableSpec[RTOCase, []float64]{
		Visible: rtoCases(),
		Hidden:  hiddenRTOCases,
		Same:    sameRTOs,
		Show:    func(c RTOCase) string { return c.String() },
		Hint:    "the numbers are the RTO after each event; the case's name says which rule of section 3 it exercises",
	}),
})

// UpdateSpec makes an estimator for ShiftExperiment out of an RTOUpdate
// (a student's, from Exercise 4), so that it runs in the same experiment as
// pkg/retry's. An update that panics, or that gives an RTO that is not a
// number in [c.Min, c.Max] (and at least MinTimeout), stops the experiment
// with an error naming the event.
func UpdateSpec(name string, c RTOConfig, f RTOUpdate) EstimatorSpec {
	return EstimatorSpec{Name: name, New: func() (retry.Estimator, error) {
		if f == nil {
			return nil, fmt.Errorf("timeouts: estimator %q has a nil RTOUpdate", name)
		}
		if !(c.Initial >= MinTimeout && c.Initial >= c.Min && c.Initial <= c.Max) || math.IsInf(c.Max, 0) {
			return nil, fmt.Errorf("timeouts: estimator %q: want %v <= Min <= Initial <= Max < ∞, got %+v", name, MinTimeout, c)
		}
		return &updateEstimator{c: c, f: f, s: RTOState{RTO: c.Initial}}, nil
	}}
}

// updateEstimator is a retry.Estimator that calls an RTOUpdate.
type updateEstimator struct {
	c   RTOConfig
	f   RTOUpdate
	s   RTOState
	err error
}

func (u *updateEstimator) Timeout() float64 { return u.s.RTO }

func (u *updateEstimator) Observe(s retry.Sample) error {
	return u.step(RTOEvent{RTT: s.RTT, Retransmitted: s.Retransmitted})
}

func (u *updateEstimator) Expired() { _ = u.step(RTOEvent{Expired: true}) } // the error is kept in u.err

// Err is the first error of the update (a panic, an RTO out of bounds).
func (u *updateEstimator) Err() error { return u.err }

func (u *updateEstimator) step(ev RTOEvent) (err error) {
	if u.err != nil {
		return u.err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("timeouts: the RTO update panicked on event %v: %v", ev, r)
		}
		if err != nil {
			u.err, u.s.RTO = err, math.NaN()
		}
	}()
	next := u.f(u.c, u.s, ev)
	if math.IsNaN(next.RTO) || next.RTO < max(u.c.Min, MinTimeout) || next.RTO > u.c.Max {
		return fmt.Errorf("timeouts: the RTO update gave RTO %v ms after event %v; it must stay in [%v, %v]", next.RTO, ev, max(u.c.Min, MinTimeout), u.c.Max)
	}
	u.s = next
	return nil
}
