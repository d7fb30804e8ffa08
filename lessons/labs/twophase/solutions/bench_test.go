package twophase_test

import (
	"testing"

	"github.com/dslessons/course/lessons/labs/internal/labtest"
	"github.com/dslessons/course/lessons/labs/twophase"
)

// BenchmarkScenarios searches every scenario of the lab (the visible one,
// and the hidden ones of seed 1) with the reference answer and reports
// the states each search visits, its speed per CPU second and the memory
// per state:
//
//	go test -run XXX -bench Scenarios ./lessons/labs/twophase/solutions
func BenchmarkScenarios(b *testing.B) { labtest.Bench(b, twophase.Lab, reference) }
