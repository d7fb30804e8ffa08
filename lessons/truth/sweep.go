package truth

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/table"
	"github.com/dslessons/course/pkg/twogenerals"
)

// SweepConfig is a grid of messenger protocols.
type SweepConfig struct {
	Messengers []int     // n values, ascending
	Losses     []float64 // p values
	Legs       int       // 1 = order only, 2 = order + ack, ...
	Trials     int       // Monte-Carlo runs per point
	Seed       uint64    // point i uses Seed+i
}

// DefaultSweep is order + acknowledgement, n = 1..8, p ∈ {0.1, 0.3, 0.5,
// 0.7}, 20 000 runs per point, seed 1.
func DefaultSweep() SweepConfig {
	return SweepConfig{
		Messengers: []int{1, 2, 3, 4, 5, 6, 7, 8},
		Losses:     []float64{0.1, 0.3, 0.5, 0.7},
		Legs:       2, Trials: 20_000, Seed: 1,
	}
}

// SweepPoint is one (n, p) cell.
type SweepPoint struct {
	Messengers int
	Loss       float64
	Seed       uint64
	Exact      twogenerals.Probabilities
	Sim        twogenerals.Estimate
}

// SweepResult holds the points ordered by loss, then by n.
type SweepResult struct {
	Config SweepConfig
	Points []SweepPoint
}

// Sweep runs the grid.
func Sweep(cfg SweepConfig) (SweepResult, error) {
	if len(cfg.Messengers) == 0 || len(cfg.Losses) == 0 {
		return SweepResult{}, fmt.Errorf("truth: sweep needs at least one messenger count and one loss probability")
	}
	if !slices.IsSorted(cfg.Messengers) {
		return SweepResult{}, fmt.Errorf("truth: messenger counts %v must be ascending", cfg.Messengers)
	}
	res := SweepResult{Config: cfg}
	seed := cfg.Seed
	for _, p := range cfg.Losses {
		for _, n := range cfg.Messengers {
			c := twogenerals.Config{Messengers: n, Loss: p, Legs: cfg.Legs}
			ex, err := twogenerals.ClosedForm(c)
			if err != nil {
				return SweepResult{}, err
			}
			est, err := twogenerals.Simulate(c, cfg.Trials, seed)
			if err != nil {
				return SweepResult{}, err
			}
			res.Points = append(res.Points, SweepPoint{n, p, seed, ex, est})
			seed++
		}
	}
	return res, nil
}

// Series returns the points with loss p, by increasing n.
func (r SweepResult) Series(p float64) []SweepPoint { return withLoss(r.Points, p) }

// withLoss returns the points with loss p, in their order.
func withLoss(pts []SweepPoint, p float64) []SweepPoint {
	var out []SweepPoint
	for _, pt := range pts {
		if pt.Loss == p {
			out = append(out, pt)
		}
	}
	return out
}

// Header and Rows give the result as a table.
func (r SweepResult) Header() []string {
	return []string{"n", "p", "seed", "P(both) sim", "P(both) exact", "P(disagree) sim", "P(disagree) exact", "messages sim", "messages exact"}
}

// Rows gives one row per point.
func (r SweepResult) Rows() [][]string {
	var rows [][]string
	for _, pt := range r.Points {
		rows = append(rows, []string{
			fmt.Sprint(pt.Messengers), fmt.Sprint(pt.Loss), fmt.Sprint(pt.Seed),
			fmt.Sprintf("%.4f", pt.Sim.P(twogenerals.BothAttack)), fmt.Sprintf("%.4f", pt.Exact.BothAttack),
			fmt.Sprintf("%.4f", pt.Sim.Disagree()), fmt.Sprintf("%.4f", pt.Exact.Disagree()),
			fmt.Sprintf("%.2f", pt.Sim.MeanMessages()), fmt.Sprintf("%.2f", pt.Exact.ExpectedMessages),
		})
	}
	return rows
}

// Caption says what the table's rows are: legs, runs and seeds.
func (r SweepResult) Caption() string {
	return fmt.Sprintf("%d legs, %d runs per point, seeds from %d", r.Config.Legs, r.Config.Trials, r.Config.Seed)
}

func (r SweepResult) String() string {
	return r.Caption() + "\n" + table.String(r.Header(), r.Rows())
}
