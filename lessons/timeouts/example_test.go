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
