package netfailures_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/netfailures"
)

func ExampleFigures() {
	fmt.Print(netfailures.Figures())
	// Output:
	// network devices failing                        ≈ 5 per day
	// network links failing                          ≈ 41 per day
	// median time to repair a failure                ≈ 5 minutes
	// load balancers failing at least once a year    > 20 % probability
	// redundancy: reduction of median traffic impact ≈ 40 %
	// Source: P. Gill, N. Jain, N. Nagappan. Understanding Network Failures in Data Centers: Measurement, Analysis, and Implications. ACM SIGCOMM 2011, pp. 350-361. doi:10.1145/2018436.2018477
}

func ExampleAnalyticFor() {
	cfg := netfailures.DefaultConfig() // MTBF 1 day, repair median 5 min, σ = 1
	cfg.Paths = 2
	a, _ := netfailures.AnalyticFor(cfg)
	fmt.Printf("MTTR %.2f min, one path %.4f, two independent paths %.6f\n", a.MTTR, a.Single, a.Independent)
	// Output: MTTR 8.24 min, one path 0.9943, two independent paths 0.999968
}
