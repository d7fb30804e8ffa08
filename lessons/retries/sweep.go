package retries

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/dslessons/course/pkg/retry"
	"github.com/dslessons/course/pkg/table"
)

// SweepConfig runs Contention over a grid of client counts and strategies.
type SweepConfig struct {
	Clients    []int            // N values, ascending
	Strategies []retry.Strategy // nil means retry.Strategies
	Base, Cap  float64          // ms, shared by all strategies
	NetMean    float64          // ms
	NetSD      float64          // ms
	Runs       int              // seeds averaged per point: Seed, Seed+1, …
	Seed       uint64
}

// DefaultSweep is Brooker's set-up (base 5 ms, cap 2 s, network 10±2 ms)
// over N = 1, 10, 20, …, 100 with 5 seeds per point.
func DefaultSweep() SweepConfig {
	return SweepConfig{
		Clients: []int{1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100},
		Base:    5, Cap: 2000, NetMean: 10, NetSD: 2, Runs: 5, Seed: 1,
	}
}

// SweepPoint is the average over Runs seeds at one (strategy, N).
type SweepPoint struct {
	Strategy   retry.Strategy
	Clients    int
	Calls      float64 // mean writes served
	Completion float64 // mean ms until the last client finished
}

// SweepResult holds the points grouped by strategy, then by N ascending.
type SweepResult struct {
	Config SweepConfig
	Points []SweepPoint
}

// Sweep runs the grid. Run r of every point uses seed Seed+r, so strategies
// are compared on the same network randomness.
func Sweep(cfg SweepConfig) (SweepResult, error) {
	if len(cfg.Clients) == 0 {
		return SweepResult{}, fmt.Errorf("retries: sweep needs at least one client count")
	}
	if !slices.IsSorted(cfg.Clients) {
		return SweepResult{}, fmt.Errorf("retries: sweep client counts %v must be ascending", cfg.Clients)
	}
	if cfg.Runs < 1 || cfg.Runs > 1000 {
		return SweepResult{}, fmt.Errorf("retries: Runs %d not in [1,1000]", cfg.Runs)
	}
	if cfg.Strategies == nil {
		cfg.Strategies = retry.Strategies
	}
	res := SweepResult{Config: cfg}
	for _, s := range cfg.Strategies {
		p, err := retry.NewPolicy(s, cfg.Base, cfg.Cap)
		if err != nil {
			return SweepResult{}, err
		}
		for _, n := range cfg.Clients {
			pt := SweepPoint{Strategy: s, Clients: n}
			for r := range cfg.Runs {
				c, err := Contention(ContentionConfig{Clients: n, Policy: p, NetMean: cfg.NetMean, NetSD: cfg.NetSD, Seed: cfg.Seed + uint64(r)})
				if err != nil {
					return SweepResult{}, err
				}
				pt.Calls += float64(c.Calls) / float64(cfg.Runs)
				pt.Completion += c.Completion / float64(cfg.Runs)
			}
			res.Points = append(res.Points, pt)
		}
	}
	return res, nil
}

// At returns the point for strategy s and client count n.
func (r SweepResult) At(s retry.Strategy, n int) (SweepPoint, bool) {
	for _, p := range r.Points {
		if p.Strategy == s && p.Clients == n {
			return p, true
		}
	}
	return SweepPoint{}, false
}

// Series returns strategy s's points in ascending N.
func (r SweepResult) Series(s retry.Strategy) []SweepPoint {
	var out []SweepPoint
	for _, p := range r.Points {
		if p.Strategy == s {
			out = append(out, p)
		}
	}
	return out
}

// Caption says what was swept, with the seeds.
func (r SweepResult) Caption() string {
	c := r.Config
	return fmt.Sprintf("OCC contention: base=%g ms cap=%g ms, network %g±%g ms, %d runs from seed=%d",
		c.Base, c.Cap, c.NetMean, c.NetSD, c.Runs, c.Seed)
}

// Table is calls and completion time per N, a column pair per strategy,
// as a header and rows (for show.Table).
func (r SweepResult) Table() (header []string, rows [][]string) {
	c := r.Config
	header = []string{"N"}
	for _, s := range c.Strategies {
		header = append(header, s.String()+" calls", s.String()+" time (ms)")
	}
	for _, n := range c.Clients {
		row := []string{strconv.Itoa(n)}
		for _, s := range c.Strategies {
			p, _ := r.At(s, n)
			row = append(row, fmt.Sprintf("%.1f", p.Calls), fmt.Sprintf("%.0f", p.Completion))
		}
		rows = append(rows, row)
	}
	return header, rows
}

// String prints calls and completion time per N, one column pair per strategy.
func (r SweepResult) String() string { return r.Caption() + "\n" + table.String(r.Table()) }

// TryRow is one rule's average over the runs of TryBackoff.
type TryRow struct {
	Rule       string
	Calls      float64 // mean writes served
	Completion float64 // mean ms until the last client finished
}

// TryResult is TryBackoff's comparison.
type TryResult struct {
	Config  SweepConfig
	Clients int
	Rows    []TryRow
}

// TryBackoff runs the contention model at n clients with fn as the
// back-off rule (named name), next to the library's Exponential and
// FullJitter, on cfg's network, base, cap and seeds (Runs seeds from Seed,
// the same for every rule).
func TryBackoff(name string, fn BackoffFunc, cfg SweepConfig, n int) (TryResult, error) {
	if fn == nil {
		return TryResult{}, fmt.Errorf("retries: TryBackoff needs a back-off function, got nil")
	}
	if cfg.Runs < 1 || cfg.Runs > 1000 {
		return TryResult{}, fmt.Errorf("retries: Runs %d not in [1,1000]", cfg.Runs)
	}
	res := TryResult{Config: cfg, Clients: n}
	for _, rule := range []struct {
		name     string
		strategy retry.Strategy
		fn       BackoffFunc
	}{{"Exponential (library)", retry.Exponential, nil}, {"FullJitter (library)", retry.FullJitter, nil}, {name, retry.FullJitter, fn}} {
		p, err := retry.NewPolicy(rule.strategy, cfg.Base, cfg.Cap)
		if err != nil {
			return TryResult{}, err
		}
		row := TryRow{Rule: rule.name}
		for r := range cfg.Runs {
			c, err := Contention(ContentionConfig{Clients: n, Policy: p, Backoff: rule.fn, NetMean: cfg.NetMean, NetSD: cfg.NetSD, Seed: cfg.Seed + uint64(r)})
			if err != nil {
				return TryResult{}, fmt.Errorf("retries: %s: %w", rule.name, err)
			}
			row.Calls += float64(c.Calls) / float64(cfg.Runs)
			row.Completion += c.Completion / float64(cfg.Runs)
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// Caption says what was run, with the seeds.
func (r TryResult) Caption() string {
	c := r.Config
	return fmt.Sprintf("N=%d clients, base=%g ms cap=%g ms, network %g±%g ms, %d runs from seed=%d", r.Clients, c.Base, c.Cap, c.NetMean, c.NetSD, c.Runs, c.Seed)
}

// Table is the comparison as a header and rows (for show.Table).
func (r TryResult) Table() (header []string, rows [][]string) {
	for _, x := range r.Rows {
		rows = append(rows, []string{x.Rule, fmt.Sprintf("%.1f", x.Calls), fmt.Sprintf("%.0f", x.Completion)})
	}
	return []string{"rule", "calls", "time (ms)"}, rows
}

func (r TryResult) String() string { return r.Caption() + "\n" + table.String(r.Table()) }
