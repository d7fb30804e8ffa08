package exactlyonce_test

import (
	"math/rand/v2"

	"github.com/dslessons/course/lessons/labs/exactlyonce"
	"github.com/dslessons/course/pkg/exercise"
)

// randFor is the random source the exercise package gives Hidden for seed.
func randFor(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func visibleScenarios() []exercise.Scenario[exactlyonce.Scenario] {
	return []exercise.Scenario[exactlyonce.Scenario]{exactlyonce.Visible}
}
