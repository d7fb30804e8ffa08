package retries

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/dslessons/course/pkg/retry"
	"github.com/dslessons/course/pkg/table"
)

// CurvesConfig sets up the back-off curves experiment.
type CurvesConfig struct {
	Base, Cap float64 // ms
	Attempts  int     // retries plotted: attempt 0 … Attempts-1
	Samples   int     // schedules averaged per strategy
	Seed      uint64
}

// Curve is one strategy's delay per attempt.
type Curve struct {
	Strategy retry.Strategy
	Mean     []float64 // mean delay before retry n over Samples schedules
	Sample   []float64 // the first schedule drawn, to show the spread
}

// CurvesResult holds one Curve per strategy, in retry.Strategies order.
type CurvesResult struct {
	Config CurvesConfig
	Curves []Curve
}

// Curves draws Samples back-off schedules per strategy and averages them.
// Each strategy gets its own stream derived from Seed.
func Curves(cfg CurvesConfig) (CurvesResult, error) {
	if cfg.Attempts < 1 || cfg.Attempts > 1000 {
		return CurvesResult{}, fmt.Errorf("retries: Attempts %d not in [1,1000]", cfg.Attempts)
	}
	if cfg.Samples < 1 || cfg.Samples > 1_000_000 {
		return CurvesResult{}, fmt.Errorf("retries: Samples %d not in [1,1000000]", cfg.Samples)
	}
	res := CurvesResult{Config: cfg}
	for i, s := range retry.Strategies {
		p, err := retry.NewPolicy(s, cfg.Base, cfg.Cap)
		if err != nil {
			return CurvesResult{}, err
		}
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		c := Curve{Strategy: s, Mean: make([]float64, cfg.Attempts)}
		for k := range cfg.Samples {
			sched, err := p.Schedule(cfg.Attempts, rng)
			if err != nil {
				return CurvesResult{}, err
			}
			if k == 0 {
				c.Sample = sched
			}
			for n, d := range sched {
				c.Mean[n] += d / float64(cfg.Samples)
			}
		}
		res.Curves = append(res.Curves, c)
	}
	return res, nil
}

// Caption says what was averaged, with the seed.
func (r CurvesResult) Caption() string {
	return fmt.Sprintf("mean back-off delay (ms), base=%g cap=%g, %d samples, seed=%d",
		r.Config.Base, r.Config.Cap, r.Config.Samples, r.Config.Seed)
}

// Table is the mean delay per attempt, a column per strategy, as a header
// and rows (for show.Table).
func (r CurvesResult) Table() (header []string, rows [][]string) {
	header = []string{"retry n"}
	for _, c := range r.Curves {
		header = append(header, c.Strategy.String())
	}
	for n := range r.Config.Attempts {
		row := []string{strconv.Itoa(n)}
		for _, c := range r.Curves {
			row = append(row, fmt.Sprintf("%.1f", c.Mean[n]))
		}
		rows = append(rows, row)
	}
	return header, rows
}

// String prints the mean delay per attempt as a table.
func (r CurvesResult) String() string { return r.Caption() + "\n" + table.String(r.Table()) }
