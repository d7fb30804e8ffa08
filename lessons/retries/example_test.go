package retries_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/retries"
	"github.com/dslessons/course/pkg/retry"
)

// Three clients in lock-step (no network variance, no jitter): rounds of
// 3, 2 and 1 writers. Each round trip is 4×10 ms; the loser of round 1
// sleeps 10 ms and the loser of round 2 sleeps 20 ms.
func ExampleContention() {
	p, _ := retry.NewPolicy(retry.Exponential, 5, 2000)
	r, err := retries.Contention(retries.ContentionConfig{Clients: 3, Policy: p, NetMean: 10, NetSD: 0, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r)
	// Output: Exponential N=3 seed=1: 6 calls, 6 reads, done at 150.0 ms
}
