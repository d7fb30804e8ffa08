package truth

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/table"
	"github.com/dslessons/course/pkg/twogenerals"
)

// PracticalConfig is a grid over the practical protocol.
type PracticalConfig struct {
	Messengers []int     // labelled messages n, ascending
	Losses     []float64 // capture probabilities p
	Window     int       // ticks
	MaxDelay   int       // ticks
	Risk       float64   // target P(all acks lost)
	MaxAcks    int
	Trials     int
	Seed       uint64 // point i uses Seed+i
}

// DefaultPractical: n = 1..12, p ∈ {0.1, 0.3, 0.5}, window 8 of max delay
// 10 ticks (20% of survivors arrive late), risk 1%, up to 50 acks, 20 000
// runs per point, seed 1.
func DefaultPractical() PracticalConfig {
	return PracticalConfig{
		Messengers: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
		Losses:     []float64{0.1, 0.3, 0.5},
		Window:     8, MaxDelay: 10, Risk: 0.01, MaxAcks: 50, Trials: 20_000, Seed: 1,
	}
}

// PracticalPoint is one (n, p) cell of the practical sweep: the same fields
// as a SweepPoint, so both sweeps share their plotting code.
type PracticalPoint = SweepPoint

// PracticalResult holds the points ordered by loss, then n.
type PracticalResult struct {
	Config PracticalConfig
	Points []PracticalPoint
}

func (c PracticalConfig) protocol(n int, p float64) twogenerals.Practical {
	return twogenerals.Practical{Messengers: n, Loss: p, Window: c.Window, MaxDelay: c.MaxDelay, Risk: c.Risk, MaxAcks: c.MaxAcks}
}

// PracticalSweep runs the grid.
func PracticalSweep(cfg PracticalConfig) (PracticalResult, error) {
	if len(cfg.Messengers) == 0 || len(cfg.Losses) == 0 {
		return PracticalResult{}, fmt.Errorf("truth: practical sweep needs at least one n and one p")
	}
	if !slices.IsSorted(cfg.Messengers) {
		return PracticalResult{}, fmt.Errorf("truth: messenger counts %v must be ascending", cfg.Messengers)
	}
	res := PracticalResult{Config: cfg}
	seed := cfg.Seed
	for _, p := range cfg.Losses {
		for _, n := range cfg.Messengers {
			pr := cfg.protocol(n, p)
			ex, err := pr.Exact()
			if err != nil {
				return PracticalResult{}, err
			}
			est, err := pr.Simulate(cfg.Trials, seed)
			if err != nil {
				return PracticalResult{}, err
			}
			res.Points = append(res.Points, PracticalPoint{n, p, seed, ex, est})
			seed++
		}
	}
	return res, nil
}

// Series returns the points with loss p, by increasing n.
func (r PracticalResult) Series(p float64) []PracticalPoint { return withLoss(r.Points, p) }

// Header and Rows give the result as a table.
func (r PracticalResult) Header() []string {
	return []string{"n", "p", "seed", "P(both) sim", "P(both) exact", "P(B alone) sim", "P(B alone) exact", "messages sim"}
}

// Rows gives one row per point.
func (r PracticalResult) Rows() [][]string {
	var rows [][]string
	for _, pt := range r.Points {
		rows = append(rows, []string{
			fmt.Sprint(pt.Messengers), fmt.Sprint(pt.Loss), fmt.Sprint(pt.Seed),
			fmt.Sprintf("%.4f", pt.Sim.P(twogenerals.BothAttack)), fmt.Sprintf("%.4f", pt.Exact.BothAttack),
			fmt.Sprintf("%.4f", pt.Sim.P(twogenerals.OnlyB)), fmt.Sprintf("%.4f", pt.Exact.OnlyB),
			fmt.Sprintf("%.2f", pt.Sim.MeanMessages()),
		})
	}
	return rows
}

// Caption says how the table's rows were made: window, delays, risk,
// runs and seeds.
func (r PracticalResult) Caption() string {
	c := r.Config
	return fmt.Sprintf("window %d of max delay %d ticks, risk %g, %d runs per point, seeds from %d",
		c.Window, c.MaxDelay, c.Risk, c.Trials, c.Seed)
}

func (r PracticalResult) String() string {
	return r.Caption() + "\n" + table.String(r.Header(), r.Rows())
}
