package retry_test

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/dslessons/course/pkg/retry"
)

func ExamplePolicy_Schedule() {
	p, err := retry.NewPolicy(retry.Exponential, 5, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := p.Schedule(7, nil) // no jitter: no random source needed
	fmt.Println(d)
	// Output: [5 10 20 40 80 100 100]
}

func ExampleNewPolicy_error() {
	_, err := retry.NewPolicy(retry.FullJitter, 10, 5)
	fmt.Println(err)
	// Output: retry: cap 5 must be finite and >= base 10
}

func ExampleRun() {
	p, _ := retry.NewPolicy(retry.Exponential, 10, 1000)
	busy := errors.New("server busy")
	res, err := retry.Run(retry.Loop{Policy: p, MaxAttempts: 4}, 0, rand.New(rand.NewPCG(1, 0)),
		func(attempt int, now float64) (float64, error) {
			if attempt < 2 {
				return 1, busy // each attempt takes 1 ms
			}
			return 1, nil
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res)
	// Output: Succeeded after 3 attempt(s), elapsed 33 (slept 30)
}

func ExampleAdaptive() {
	est, _ := retry.NewAdaptive(retry.AdaptiveConfig{Initial: 1000, Min: 1, Max: 60000}) // ms
	for _, rtt := range []float64{100, 200, 100} {
		_ = est.Observe(retry.Sample{RTT: rtt})
	}
	fmt.Println(est)
	est.Expired()
	fmt.Println(est.Timeout())
	// Output:
	// Adaptive(SRTT=110.9, RTTVAR=50, RTO=310.9, samples=3)
	// 621.875
}
