package timeouts

import (
	"github.com/dslessons/course/pkg/table"

	"fmt"
	"math"
	"math/rand/v2"
)

// RTTModel is a round-trip time distribution: a fixed Floor (propagation
// and processing that every request pays) plus a log-normal part with the
// given Median and shape Sigma (queueing, which has a long right tail).
// Times are ms.
type RTTModel struct {
	Floor, Median, Sigma float64
}

// Validate checks Floor ≥ 0, Median > 0, 0 ≤ Sigma ≤ 5, all finite.
func (m RTTModel) Validate() error {
	if math.IsNaN(m.Floor) || math.IsInf(m.Floor, 0) || m.Floor < 0 {
		return fmt.Errorf("timeouts: RTT floor %v must be finite and >= 0 ms", m.Floor)
	}
	if math.IsNaN(m.Median) || math.IsInf(m.Median, 0) || m.Median <= 0 {
		return fmt.Errorf("timeouts: RTT median %v must be finite and > 0 ms", m.Median)
	}
	if math.IsNaN(m.Sigma) || m.Sigma < 0 || m.Sigma > 5 {
		return fmt.Errorf("timeouts: RTT sigma %v not in [0,5]", m.Sigma)
	}
	return nil
}

// Sample draws one RTT.
func (m RTTModel) Sample(rng *rand.Rand) float64 {
	return m.Floor + m.Median*math.Exp(m.Sigma*rng.NormFloat64())
}

// Survival is P(RTT > t): the chance that a reply from a healthy server
// arrives after a timeout of t, i.e. the false-timeout rate.
func (m RTTModel) Survival(t float64) float64 {
	x := t - m.Floor
	if x <= 0 {
		return 1
	}
	if m.Sigma == 0 {
		if x < m.Median {
			return 1
		}
		return 0
	}
	z := (math.Log(x) - math.Log(m.Median)) / m.Sigma
	return 0.5 * math.Erfc(z/math.Sqrt2)
}

// Mean is the mean RTT, Floor + Median·exp(σ²/2).
func (m RTTModel) Mean() float64 { return m.Floor + m.Median*math.Exp(m.Sigma*m.Sigma/2) }

func (m RTTModel) String() string {
	return fmt.Sprintf("RTT = %g ms + lognormal(median %g ms, σ=%g)", m.Floor, m.Median, m.Sigma)
}

// FalseTimeoutConfig sets up the false-timeout experiment: Samples
// requests to a healthy server, each judged against every timeout.
type FalseTimeoutConfig struct {
	RTT      RTTModel
	Timeouts []float64 // ms, each > 0
	Samples  int
	Seed     uint64
}

// DefaultFalseTimeouts uses RTT = 5 ms + lognormal(median 5 ms, σ = 0.8).
func DefaultFalseTimeouts() FalseTimeoutConfig {
	return FalseTimeoutConfig{
		RTT:      RTTModel{Floor: 5, Median: 5, Sigma: 0.8},
		Timeouts: []float64{8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100},
		Samples:  100_000, Seed: 1,
	}
}

// FalseTimeoutPoint compares the simulated false-timeout rate with the
// distribution's survival function at one timeout.
type FalseTimeoutPoint struct {
	Timeout   float64
	Simulated float64 // fraction of replies later than Timeout
	Survival  float64 // P(RTT > Timeout)
}

// FalseTimeoutResult is the outcome of FalseTimeouts.
type FalseTimeoutResult struct {
	Config FalseTimeoutConfig
	Points []FalseTimeoutPoint
}

// FalseTimeouts draws Samples RTTs and counts, for every timeout, the
// replies that would arrive too late although the server is up.
func FalseTimeouts(cfg FalseTimeoutConfig) (FalseTimeoutResult, error) {
	if err := cfg.RTT.Validate(); err != nil {
		return FalseTimeoutResult{}, err
	}
	if cfg.Samples < 1 || cfg.Samples > 50_000_000 {
		return FalseTimeoutResult{}, fmt.Errorf("timeouts: Samples %d not in [1, 50000000]", cfg.Samples)
	}
	for _, t := range cfg.Timeouts {
		if math.IsNaN(t) || math.IsInf(t, 0) || t <= 0 {
			return FalseTimeoutResult{}, fmt.Errorf("timeouts: timeout %v must be finite and > 0 ms", t)
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	late := make([]int, len(cfg.Timeouts))
	for range cfg.Samples {
		r := cfg.RTT.Sample(rng)
		for i, t := range cfg.Timeouts {
			if r > t {
				late[i]++
			}
		}
	}
	res := FalseTimeoutResult{Config: cfg}
	for i, t := range cfg.Timeouts {
		res.Points = append(res.Points, FalseTimeoutPoint{t, float64(late[i]) / float64(cfg.Samples), cfg.RTT.Survival(t)})
	}
	return res, nil
}

// Caption says what was drawn, with the seed.
func (r FalseTimeoutResult) Caption() string {
	return fmt.Sprintf("%v, %d requests, seed=%d", r.Config.RTT, r.Config.Samples, r.Config.Seed)
}

// Table is the simulated false-timeout rate next to P(RTT > t), as a
// header and rows (for show.Table).
func (r FalseTimeoutResult) Table() (header []string, rows [][]string) {
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprintf("%g", p.Timeout), fmt.Sprintf("%.5f", p.Simulated), fmt.Sprintf("%.5f", p.Survival)})
	}
	return []string{"timeout t (ms)", "simulated", "P(RTT > t)"}, rows
}

func (r FalseTimeoutResult) String() string { return r.Caption() + "\n" + table.String(r.Table()) }
