package election_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/dslessons/course/lessons/labs/election"
)

// cpu returns the CPU time this process has used.
func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkScenarios searches every scenario of the lab (the visible
// ones, and the hidden ones of seed 1) with the reference answer and
// reports the states each search visits, its speed per CPU second and
// the memory per state:
//
//	go test -run XXX -bench Scenarios ./lessons/labs/election/solutions
func BenchmarkScenarios(b *testing.B) {
	scs := append(visibleScenarios(), election.Hidden(randFor(1))...)
	for _, sc := range scs {
		b.Run(sc.Name, func(b *testing.B) {
			states, perState := 0, 0.0
			c0 := cpu()
			for i := 0; i < b.N; i++ {
				_, r, err := election.Lab.Search(newReference, sc)
				if err != nil {
					b.Fatal(err)
				}
				states, perState = r.States, r.BytesPerState
			}
			if c := cpu() - c0; c > 0 {
				b.ReportMetric(float64(states*b.N)/c.Seconds(), "states/cpu-s")
			}
			b.ReportMetric(float64(states), "states")
			b.ReportMetric(perState, "B/state")
		})
	}
}
