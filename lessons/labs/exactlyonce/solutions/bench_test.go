package exactlyonce_test

import (
	"testing"

	"github.com/dslessons/course/lessons/labs/exactlyonce"
	"github.com/dslessons/course/lessons/labs/internal/labtest"
)

// BenchmarkScenarios searches every scenario of the lab (the visible
// ones, and the hidden ones of seed 1) with the reference answer and
// reports the states each search visits, its speed per CPU second and
// the memory per state:
//
//	go test -run XXX -bench Scenarios ./lessons/labs/exactlyonce/solutions
func BenchmarkScenarios(b *testing.B) { labtest.Bench(b, exactlyonce.Lab, reference) }
