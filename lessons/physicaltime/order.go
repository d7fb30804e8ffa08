package physicaltime

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dslessons/course/pkg/physclock"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// OrderConfig describes TotalOrder: many pairs of messages from two
// different senders, the second sent Gap after the first (true time),
// each stamped with its sender's synchronised wall clock. Each clock is
// off by an independent amount uniform in [−ClockError, +ClockError], the
// residual error after synchronisation. A receiver orders the messages by
// timestamp; a pair is misordered when the later message carries the
// smaller timestamp.
type OrderConfig struct {
	ClockError time.Duration // ε, the bound on each clock's error; > 0
	Ratios     []float64     // gaps to try, as multiples of ε; each in [0, 100]
	Pairs      int           // message pairs per gap; [1, 1000000]
	Seed       uint64
}

// DefaultOrder is the lesson's scenario: clocks within ±1 ms (good NTP),
// gaps from 0 to 3 ms.
var DefaultOrder = OrderConfig{
	ClockError: time.Millisecond, Pairs: 20000, Seed: 1,
	Ratios: []float64{0, 0.1, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3},
}

// OrderRow is the result for one gap.
type OrderRow struct {
	Ratio      float64       // gap / ε
	Gap        time.Duration // time between the two sends
	Misordered float64       // fraction of pairs in the wrong order
	Predicted  float64       // (2ε−g)²/(8ε²) for g < 2ε, else 0
}

// OrderResult is the outcome of TotalOrder.
type OrderResult struct {
	Config OrderConfig
	Rows   []OrderRow
}

// Table has one row per gap.
func (r OrderResult) Table() (header []string, rows [][]string) {
	header = []string{"gap / clock error", "gap", "misordered (simulated)", "misordered (formula)"}
	for _, x := range r.Rows {
		rows = append(rows, []string{fmt.Sprintf("%.2f", x.Ratio), x.Gap.String(),
			fmt.Sprintf("%.2f%%", 100*x.Misordered), fmt.Sprintf("%.2f%%", 100*x.Predicted)})
	}
	return header, rows
}

// PredictedMisorder is the probability that two messages sent g apart by
// clocks with independent errors uniform in ±eps are ordered wrongly: the
// error difference is triangular on [−2ε, 2ε], and it exceeds g with
// probability (2ε−g)²/(8ε²). It is 0 from g = 2ε on: the safe gap.
func PredictedMisorder(g, eps time.Duration) float64 {
	if eps <= 0 {
		return 0
	}
	x := float64(2*eps - g)
	if x <= 0 {
		return 0
	}
	return x * x / (8 * float64(eps) * float64(eps))
}

// TotalOrder simulates ordering messages by synchronised timestamps.
func TotalOrder(cfg OrderConfig) (OrderResult, error) {
	if cfg.ClockError <= 0 || cfg.ClockError > time.Hour {
		return OrderResult{}, fmt.Errorf("physicaltime: clock error %v not in (0,1h]", cfg.ClockError)
	}
	if cfg.Pairs < 1 || cfg.Pairs > 1000000 {
		return OrderResult{}, fmt.Errorf("physicaltime: %d pairs not in [1,1000000]", cfg.Pairs)
	}
	if len(cfg.Ratios) == 0 {
		return OrderResult{}, fmt.Errorf("physicaltime: no gaps to try")
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6f72646572)) // "order"
	res := OrderResult{Config: cfg}
	eps := float64(cfg.ClockError)
	for _, ratio := range cfg.Ratios {
		if math.IsNaN(ratio) || ratio < 0 || ratio > 100 {
			return OrderResult{}, fmt.Errorf("physicaltime: gap ratio %v not in [0,100]", ratio)
		}
		gap := time.Duration(math.Round(ratio * eps))
		bad := 0
		for i := range cfg.Pairs {
			s1, err := senderClock(rng, eps)
			if err != nil {
				return OrderResult{}, err
			}
			s2, err := senderClock(rng, eps)
			if err != nil {
				return OrderResult{}, err
			}
			t := time.Duration(i) * time.Minute
			if s2.Read(t+gap) < s1.Read(t) {
				bad++
			}
		}
		res.Rows = append(res.Rows, OrderRow{Ratio: ratio, Gap: gap, Misordered: float64(bad) / float64(cfg.Pairs),
			Predicted: PredictedMisorder(gap, cfg.ClockError)})
	}
	return res, nil
}

// senderClock is a wall clock whose error is uniform in ±eps.
func senderClock(rng *rand.Rand, eps float64) (*physclock.Wall, error) {
	off := time.Duration(math.Round((rng.Float64()*2 - 1) * eps))
	hw, err := physclock.NewHardware(physclock.HardwareConfig{Offset: off})
	if err != nil {
		return nil, err
	}
	return physclock.NewWall(hw, physclock.WallConfig{})
}

// TotalOrderPlot plots the misordered fraction (%) against gap / clock
// error, simulated and predicted.
func TotalOrderPlot(r OrderResult) (*plot.Plot, error) {
	n := len(r.Rows)
	x, sim, pred := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, row := range r.Rows {
		x[i], sim[i], pred[i] = row.Ratio, 100*row.Misordered, 100*row.Predicted
	}
	return linePlot(fmt.Sprintf("Ordering by synchronised timestamps, clocks within ±%v (seed %d)", r.Config.ClockError, r.Config.Seed),
		"gap between messages / clock error bound ε", "misordered pairs (%)",
		plots.Series{Name: "(2ε−g)²/(8ε²)", X: x, Y: pred, Color: 1},
		plots.Series{Name: "simulated", X: x, Y: sim, Style: plots.Points, Color: 0})
}
