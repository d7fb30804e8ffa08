package byzantine

import (
	"fmt"
	"math/rand/v2"
	"strings"

	bz "github.com/dslessons/course/pkg/byzantine"
	"github.com/dslessons/course/pkg/table"
)

// WalkthroughResult is one traced run.
type WalkthroughResult struct {
	Config bz.Config
	Result bz.Result
}

// DefaultWalkthrough is OM(1) with 4 generals, a loyal commander 0
// ordering Attack and lieutenant 3 lying.
func DefaultWalkthrough() bz.Config {
	return bz.Config{N: 4, M: 1, Commander: 0, Order: bz.Attack, Traitors: []int{3}, Strategy: bz.Liar{}, Trace: true}
}

// Walkthrough runs OM with tracing on.
func Walkthrough(cfg bz.Config) (WalkthroughResult, error) {
	cfg.Trace = true
	res, err := bz.OM(cfg)
	if err != nil {
		return WalkthroughResult{}, err
	}
	return WalkthroughResult{cfg, res}, nil
}

// Header and Rows give the trace as a table.
func (w WalkthroughResult) Header() []string {
	header, _ := bz.TraceTable(nil)
	return header
}

// Rows gives one row per message.
func (w WalkthroughResult) Rows() [][]string {
	_, rows := bz.TraceTable(w.Result.Trace)
	return rows
}

// Decisions returns "general: decision" rows for the run.
func (w WalkthroughResult) Decisions() [][]string {
	var rows [][]string
	for i, d := range w.Result.Decisions {
		role := "lieutenant"
		if i == w.Result.Commander {
			role = "commander (order)"
		}
		loyal := "loyal"
		if !w.Result.Loyal[i] {
			loyal = "traitor"
		}
		rows = append(rows, []string{fmt.Sprint(i), role, loyal, d.String()})
	}
	return rows
}

func (w WalkthroughResult) String() string {
	var b strings.Builder
	bz.WriteTable(&b, w.Result.Trace)
	return fmt.Sprintf("OM(%d), n=%d, traitors %v\n%s%s\n", w.Config.M, w.Config.N, w.Config.Traitors, b.String(), w.Result)
}

// NamedStrategy pairs a strategy with a display name.
type NamedStrategy struct {
	Name string
	New  func(seed uint64) bz.Strategy
}

// Strategies are the named traitor strategies of pkg/byzantine.
var Strategies = []NamedStrategy{
	{"silent", func(uint64) bz.Strategy { return bz.Silent{} }},
	{"liar", func(uint64) bz.Strategy { return bz.Liar{} }},
	{"two-faced", func(uint64) bz.Strategy { return bz.TwoFaced{} }},
	{"random", randomTraitor},
}

// randomTraitor is a random traitor that stays silent one time in five.
func randomTraitor(seed uint64) bz.Strategy {
	r, err := bz.NewRandom(seed, 0.2)
	if err != nil { // cannot happen: 0.2 is a probability
		return nil
	}
	return r
}

// StrategyRow is one (strategy, traitor) run.
type StrategyRow struct {
	Strategy string
	Traitor  int
	Result   bz.Result
}

// StrategyTableResult lists every named strategy at every position.
type StrategyTableResult struct {
	Algorithm bz.Algorithm
	N, M      int
	Order     bz.Value
	Seed      uint64
	Runs      []StrategyRow
}

// StrategyTable runs alg with n generals, commander 0 ordering order, and
// a single traitor at each position with each named strategy.
func StrategyTable(alg bz.Algorithm, n, m int, order bz.Value, seed uint64) (StrategyTableResult, error) {
	res := StrategyTableResult{Algorithm: alg, N: n, M: m, Order: order, Seed: seed}
	for _, s := range Strategies {
		for t := 0; t < n; t++ {
			r, err := alg.Run(bz.Config{N: n, M: m, Commander: 0, Order: order, Traitors: []int{t}, Strategy: s.New(seed)})
			if err != nil {
				return StrategyTableResult{}, err
			}
			res.Runs = append(res.Runs, StrategyRow{s.Name, t, r})
		}
	}
	return res, nil
}

// Violations counts the rows that broke IC1 or IC2.
func (r StrategyTableResult) Violations() int {
	n := 0
	for _, row := range r.Runs {
		if row.Result.Verdict == bz.Violation {
			n++
		}
	}
	return n
}

// Header and Rows give the table.
func (r StrategyTableResult) Header() []string {
	return []string{"strategy", "traitor", "decisions", "verdict"}
}

// Rows gives one row per run.
func (r StrategyTableResult) Rows() [][]string {
	var rows [][]string
	for _, row := range r.Runs {
		var ds []string
		for i, d := range row.Result.Decisions {
			mark := ""
			if !row.Result.Loyal[i] {
				mark = "*"
			}
			ds = append(ds, fmt.Sprintf("%d%s:%s", i, mark, d.String()[:1]))
		}
		rows = append(rows, []string{row.Strategy, fmt.Sprint(row.Traitor), strings.Join(ds, " "), row.Result.Verdict.String()})
	}
	return rows
}

// Caption says what the table's runs are.
func (r StrategyTableResult) Caption() string {
	return fmt.Sprintf("%s(%d), n=%d, commander 0 orders %s, seed %d (* = traitor)", r.Algorithm, r.M, r.N, r.Order, r.Seed)
}

func (r StrategyTableResult) String() string {
	return r.Caption() + "\n" + table.String(r.Header(), r.Rows())
}

// ThresholdConfig configures Threshold.
type ThresholdConfig struct {
	Ms   []int // traitor counts m (OM(m) with m traitors)
	MaxN int   // n runs from m+2 (at least 3) to MaxN
	Runs int   // random runs per (m, n)
	Seed uint64
}

// DefaultThreshold: m ∈ {1, 2}, n up to 9, 300 runs per point, seed 1.
func DefaultThreshold() ThresholdConfig {
	return ThresholdConfig{Ms: []int{1, 2}, MaxN: 9, Runs: 300, Seed: 1}
}

// ThresholdPoint is the violation rate for one (m, n).
type ThresholdPoint struct {
	M, N       int
	Runs       int
	Violations int
}

// Rate is the fraction of runs that broke IC1 or IC2.
func (p ThresholdPoint) Rate() float64 { return float64(p.Violations) / float64(p.Runs) }

// ThresholdResult holds the points by m, then n.
type ThresholdResult struct {
	Config ThresholdConfig
	Points []ThresholdPoint
}

// Threshold runs OM(m) with m traitors at random positions (the commander
// included), a random order and random traitor behaviour, and counts the
// runs that break IC1 or IC2.
func Threshold(cfg ThresholdConfig) (ThresholdResult, error) {
	if cfg.Runs < 1 || cfg.Runs > 100_000 {
		return ThresholdResult{}, fmt.Errorf("byzantine: runs %d not in [1,100000]", cfg.Runs)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 10))
	res := ThresholdResult{Config: cfg}
	for _, m := range cfg.Ms {
		if m < 1 || m > 3 {
			return ThresholdResult{}, fmt.Errorf("byzantine: threshold experiment m=%d not in [1,3]", m)
		}
		for n := max(3, m+2); n <= cfg.MaxN; n++ {
			pt := ThresholdPoint{M: m, N: n, Runs: cfg.Runs}
			for range cfg.Runs {
				perm := rng.Perm(n)
				order := bz.Value(rng.IntN(2))
				r, err := bz.OM(bz.Config{N: n, M: m, Commander: 0, Order: order,
					Traitors: perm[:m], Strategy: randomTraitor(rng.Uint64())})
				if err != nil {
					return ThresholdResult{}, err
				}
				if r.Verdict == bz.Violation {
					pt.Violations++
				}
			}
			res.Points = append(res.Points, pt)
		}
	}
	return res, nil
}

// Series returns the points for m.
func (r ThresholdResult) Series(m int) []ThresholdPoint {
	var out []ThresholdPoint
	for _, p := range r.Points {
		if p.M == m {
			out = append(out, p)
		}
	}
	return out
}

// Header and Rows give the result as a table.
func (r ThresholdResult) Header() []string {
	return []string{"m", "n", "n > 3m", "runs", "violations", "rate"}
}

// Rows gives one row per point.
func (r ThresholdResult) Rows() [][]string {
	var rows [][]string
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprint(p.M), fmt.Sprint(p.N), fmt.Sprint(p.N > 3*p.M), fmt.Sprint(p.Runs), fmt.Sprint(p.Violations), fmt.Sprintf("%.3f", p.Rate())})
	}
	return rows
}

// Caption says how the table's rows were made.
func (r ThresholdResult) Caption() string {
	return fmt.Sprintf("random traitors, %d runs per point, seed %d", r.Config.Runs, r.Config.Seed)
}

func (r ThresholdResult) String() string {
	return r.Caption() + "\n" + table.String(r.Header(), r.Rows())
}

// GrowthPoint is OM's message count for one (m, n).
type GrowthPoint struct {
	M, N     int
	Formula  int // bz.MessageCount
	Measured int // counted in a run
}

// GrowthResult holds the points by m, then n.
type GrowthResult struct{ Points []GrowthPoint }

// Growth measures OM(m)'s messages for every m in ms and n from 3m+1 to maxN.
func Growth(ms []int, maxN int) (GrowthResult, error) {
	var res GrowthResult
	for _, m := range ms {
		if m < 0 || m > 4 {
			return GrowthResult{}, fmt.Errorf("byzantine: growth experiment m=%d not in [0,4]", m)
		}
		for n := 3*m + 1; n <= maxN; n++ {
			r, err := bz.OM(bz.Config{N: n, M: m, Order: bz.Attack})
			if err != nil {
				return GrowthResult{}, err
			}
			res.Points = append(res.Points, GrowthPoint{m, n, bz.MessageCount(n, m), r.Messages})
		}
	}
	return res, nil
}

// Header and Rows give the result as a table.
func (r GrowthResult) Header() []string { return []string{"m", "n", "formula", "measured"} }

// Rows gives one row per point.
func (r GrowthResult) Rows() [][]string {
	var rows [][]string
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprint(p.M), fmt.Sprint(p.N), fmt.Sprint(p.Formula), fmt.Sprint(p.Measured)})
	}
	return rows
}

func (r GrowthResult) String() string { return table.String(r.Header(), r.Rows()) }
