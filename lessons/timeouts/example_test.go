package timeouts_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/timeouts"
)

func ExampleRTTModel_Survival() {
	m := timeouts.RTTModel{Floor: 5, Median: 5, Sigma: 0.8}
	fmt.Println(m, "| P(RTT > 10 ms) =", m.Survival(10))
	// Output: RTT = 5 ms + lognormal(median 5 ms, σ=0.8) | P(RTT > 10 ms) = 0.5
}

func ExampleCheckMM1Mean() {
	fmt.Println(timeouts.CheckMM1Mean(1, 0.9, 10))
	fmt.Println(timeouts.CheckMM1Mean(1, 0.9, 1.11))
	// Output:
	// <nil>
	// expected 10, got 1.11; hint: the mean time in system is 1/(μ-λ): it counts only the spare capacity
}
