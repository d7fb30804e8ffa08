package logicaltime

import (
	"fmt"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
)

// Survey is the result of checking Lamport clocks on many random
// executions.
type Survey struct {
	Seeds        int // executions examined (seeds from, from+1, …)
	OrderedPairs int // pairs (a, b) with a -> b
	Violations   int // ordered pairs with LT(a) >= LT(b): the clock condition fails
	Concurrent   int // pairs (a, b) of concurrent events, counted in both orders
	Misleading   int // concurrent pairs with LT(a) < LT(b)
}

// DifferentStampsShare is the fraction of unordered concurrent pairs {a, b}
// whose timestamps differ, so that one of them looks "earlier". Each such
// pair is counted once in Misleading, and every concurrent pair twice in
// Concurrent.
func (s Survey) DifferentStampsShare() float64 {
	if s.Concurrent == 0 {
		return 0
	}
	return float64(s.Misleading) / (float64(s.Concurrent) / 2)
}

// String summarises the survey in three sentences.
func (s Survey) String() string {
	return fmt.Sprintf("%d executions: %d ordered pairs a -> b, of which %d break LT(a) < LT(b).\n"+
		"%d concurrent pairs {a, b}; in %d of them one event has the smaller timestamp all the same.\n"+
		"So timestamps \"order\" %.0f%% of the concurrent pairs.",
		s.Seeds, s.OrderedPairs, s.Violations, s.Concurrent/2, s.Misleading, 100*s.DifferentStampsShare())
}

// SurveyClockCondition replays Lamport clocks on the lesson's random
// executions for seeds from, from+1, …, from+n-1 and counts how often the
// clock condition holds and how often timestamps order concurrent events.
func SurveyClockCondition(from uint64, n int) (Survey, error) {
	if n < 1 || n > 10000 {
		return Survey{}, fmt.Errorf("logicaltime: survey size %d not in 1..10000", n)
	}
	s := Survey{Seeds: n}
	for i := 0; i < n; i++ {
		h, err := RandomHistory(from + uint64(i))
		if err != nil {
			return Survey{}, err
		}
		r, err := lamport.Replay(h)
		if err != nil {
			return Survey{}, err
		}
		for a := range h.Events {
			for b := range h.Events {
				switch h.Relate(a, b) {
				case history.HappenedBefore:
					s.OrderedPairs++
					if !(r.Stamps[a] < r.Stamps[b]) {
						s.Violations++
					}
				case history.Concurrent:
					s.Concurrent++
					if r.Stamps[a] < r.Stamps[b] {
						s.Misleading++
					}
				}
			}
		}
	}
	return s, nil
}
