package totalorder_test

import (
	"testing"

	"github.com/dslessons/course/lessons/labs/totalorder"
	"github.com/dslessons/course/pkg/mcheck"
)

// BenchmarkScenarios searches the reference on the visible scenario and
// the hidden ones of grading seed 1, and reports the states of each
// search and the speed.
func BenchmarkScenarios(b *testing.B) {
	for _, sc := range scenarios(1) {
		b.Run(sc.Name, func(b *testing.B) {
			var r *mcheck.Report
			for b.Loop() {
				m, err := totalorder.Build(reference, sc.In)
				if err != nil {
					b.Fatal(err)
				}
				if r, err = mcheck.Check(m, sc.Options(sc.In)); err != nil || r.Outcome != mcheck.Passed {
					b.Fatalf("%v %v", err, r)
				}
			}
			b.ReportMetric(float64(r.States), "states")
			b.ReportMetric(float64(r.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
		})
	}
}
