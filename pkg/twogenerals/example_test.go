package twogenerals_test

import (
	"fmt"

	"github.com/dslessons/course/pkg/twogenerals"
)

func ExampleClosedForm() {
	// Order + acknowledgement, two messengers per leg, half of them captured.
	pr, _ := twogenerals.ClosedForm(twogenerals.Config{Messengers: 2, Loss: 0.5, Legs: 2})
	fmt.Println(pr)
	// Output:
	// P(both)=0.562500 P(neither)=0.250000 P(onlyA)=0.000000 P(onlyB)=0.187500 E[messages]=3.500
}

func ExampleSimulate() {
	est, _ := twogenerals.Simulate(twogenerals.Config{Messengers: 2, Loss: 0.5, Legs: 2}, 100_000, 42)
	exact, _ := twogenerals.ClosedForm(twogenerals.Config{Messengers: 2, Loss: 0.5, Legs: 2})
	diff := est.P(twogenerals.BothAttack) - exact.BothAttack
	fmt.Println(diff < 0.01 && diff > -0.01)
	// Output: true
}
