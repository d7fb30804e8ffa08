package netfailures

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dslessons/course/pkg/table"
)

// Config describes the simulated service. Times are in minutes.
type Config struct {
	Paths        int     // independent network paths to the service, 1…8
	MTBF         float64 // mean up time of one path between failures, minutes
	RepairMedian float64 // median repair time, minutes (Gill et al.: about 5)
	RepairSigma  float64 // log-normal shape σ of repair times, ≥ 0 (0 = always the median)
	Common       float64 // fraction of each path's failures that hit all paths at once, [0,1]
	Horizon      float64 // simulated time, minutes
	Seed         uint64
}

// DefaultConfig is a single path that fails once a day on average — far
// more often than one data-centre link does, so that the 500 simulated years
// hold enough overlapping failures to measure — repaired with median 5 min
// and σ = 1.
func DefaultConfig() Config {
	return Config{Paths: 1, MTBF: 24 * 60, RepairMedian: 5, RepairSigma: 1, Horizon: 500 * minutesPerYear, Seed: 1}
}

const minutesPerYear = 365 * 24 * 60

func (c Config) validate() error {
	finitePos := func(name string, v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			return fmt.Errorf("netfailures: %s %v must be finite and > 0 minutes", name, v)
		}
		return nil
	}
	if c.Paths < 1 || c.Paths > 8 {
		return fmt.Errorf("netfailures: Paths %d not in [1,8]", c.Paths)
	}
	for _, e := range []error{finitePos("MTBF", c.MTBF), finitePos("RepairMedian", c.RepairMedian), finitePos("Horizon", c.Horizon)} {
		if e != nil {
			return e
		}
	}
	if math.IsNaN(c.RepairSigma) || c.RepairSigma < 0 || c.RepairSigma > 5 {
		return fmt.Errorf("netfailures: RepairSigma %v not in [0,5]", c.RepairSigma)
	}
	if math.IsNaN(c.Common) || c.Common < 0 || c.Common > 1 {
		return fmt.Errorf("netfailures: Common %v not in [0,1]", c.Common)
	}
	if c.Horizon/c.MTBF > 1e7 {
		return fmt.Errorf("netfailures: Horizon/MTBF = %g would simulate over 10 million failures per path; shorten Horizon", c.Horizon/c.MTBF)
	}
	return nil
}

// MTTR is the mean of the log-normal repair time, median·exp(σ²/2).
func (c Config) MTTR() float64 { return c.RepairMedian * math.Exp(c.RepairSigma*c.RepairSigma/2) }

// Result is what one simulation measured.
type Result struct {
	Config       Config
	Availability float64   // fraction of the horizon with at least one path up
	PathUp       []float64 // fraction of the horizon each path was up
	Downtime     float64   // minutes with every path down
	Outages      int       // separate periods with every path down
	Failures     int       // path failures (a common-mode event counts once per path it hits)
}

// DowntimePerYear is the service's downtime scaled to minutes per year.
func (r Result) DowntimePerYear() float64 { return r.Downtime / r.Config.Horizon * minutesPerYear }

func (r Result) String() string {
	return fmt.Sprintf("%d path(s), common=%.2f, seed=%d: availability %.6f (%.1f min/year down, %d outages, %d path failures)",
		r.Config.Paths, r.Config.Common, r.Config.Seed, r.Availability, r.DowntimePerYear(), r.Outages, r.Failures)
}

type interval struct{ from, to float64 }

// Simulate runs the failure model. Each failure source (one per path, plus
// one common-mode source) fires as a Poisson process at its rate; a firing
// that finds a path already down does nothing to it, which by the
// memorylessness of the exponential keeps up times exponential with mean
// MTBF. Repairs are drawn in event order from their own stream. The
// service is down while every path is down.
func Simulate(cfg Config) (Result, error) {
	r, _, err := simulate(cfg, nil)
	return r, err
}

// DownRule says whether the service is down, given which of its paths are
// down (pathDown[i] for path i). Simulate's rule is "every path is down";
// a service that needs two of three paths is down when two are.
type DownRule func(pathDown []bool) bool

// AllDown is Simulate's rule: the service is down while every path is.
func AllDown(pathDown []bool) bool {
	for _, d := range pathDown {
		if !d {
			return false
		}
	}
	return true
}

// SimulateRule is Simulate with the service's down rule given: the same
// failures and repairs (same seed, same draws), judged by rule. A rule
// that panics is an error.
func SimulateRule(cfg Config, rule DownRule) (Result, error) {
	if rule == nil {
		return Result{}, fmt.Errorf("netfailures: SimulateRule needs a rule, got nil")
	}
	r, _, err := simulate(cfg, rule)
	return r, err
}

// simulate also returns each path's down intervals, for tests. A nil rule
// is AllDown.
func simulate(cfg Config, rule DownRule) (res Result, down [][]interval, err error) {
	if err := cfg.validate(); err != nil {
		return Result{}, nil, err
	}
	type fire struct {
		at     float64
		source int // 0…Paths-1: that path alone; Paths: all paths
	}
	var fires []fire
	rate := []float64{}
	for range cfg.Paths {
		rate = append(rate, (1-cfg.Common)/cfg.MTBF)
	}
	if cfg.Paths > 1 {
		rate = append(rate, cfg.Common/cfg.MTBF)
	} else {
		rate[0] = 1 / cfg.MTBF // with one path a common-mode failure is just a failure
	}
	for s, r := range rate {
		if r == 0 {
			continue
		}
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(s)+1))
		for t := rng.ExpFloat64() / r; t < cfg.Horizon; t += rng.ExpFloat64() / r {
			fires = append(fires, fire{t, s})
		}
	}
	slices.SortFunc(fires, func(a, b fire) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.source, b.source))
	})
	repair := rand.New(rand.NewPCG(cfg.Seed, 0))
	mu := math.Log(cfg.RepairMedian)
	downUntil := make([]float64, cfg.Paths)
	down = make([][]interval, cfg.Paths)
	res = Result{Config: cfg}
	for _, f := range fires {
		r := math.Exp(mu + cfg.RepairSigma*repair.NormFloat64())
		for p := range cfg.Paths {
			if (f.source == p || f.source == cfg.Paths) && f.at >= downUntil[p] {
				downUntil[p] = f.at + r
				down[p] = append(down[p], interval{f.at, min(f.at+r, cfg.Horizon)})
				res.Failures++
			}
		}
	}
	for p := range cfg.Paths {
		d := 0.0
		for _, iv := range down[p] {
			d += iv.to - iv.from
		}
		res.PathUp = append(res.PathUp, 1-d/cfg.Horizon)
	}
	if rule == nil {
		res.Downtime, res.Outages = allDown(down)
	} else if res.Downtime, res.Outages, err = downUnder(down, cfg.Horizon, rule); err != nil {
		return Result{}, nil, fmt.Errorf("netfailures: seed %d: %w", cfg.Seed, err)
	}
	res.Availability = 1 - res.Downtime/cfg.Horizon
	return res, down, nil
}

// allDown measures the time during which every path is down, given each
// path's disjoint down intervals, with a sweep over interval ends.
func allDown(down [][]interval) (total float64, outages int) {
	type edge struct {
		at    float64
		delta int
	}
	var edges []edge
	for _, ivs := range down {
		for _, iv := range ivs {
			edges = append(edges, edge{iv.from, +1}, edge{iv.to, -1})
		}
	}
	// At equal times close before opening, so touching intervals do not overlap.
	slices.SortFunc(edges, func(a, b edge) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.delta, b.delta))
	})
	k, n, since := len(down), 0, 0.0
	for _, e := range edges {
		if n == k {
			total += e.at - since
		}
		n += e.delta
		if n == k {
			since = e.at
			outages++
		}
	}
	return total, outages
}

// downUnder measures the time during which rule says the service is down,
// with the same sweep as allDown: the set of down paths changes only at
// interval ends, and the rule is asked once per distinct time.
func downUnder(down [][]interval, horizon float64, rule DownRule) (total float64, outages int, err error) {
	type edge struct {
		at   float64
		path int
		up   bool
	}
	var edges []edge
	for p, ivs := range down {
		for _, iv := range ivs {
			edges = append(edges, edge{iv.from, p, false}, edge{iv.to, p, true})
		}
	}
	// At equal times a path comes up before it goes down again, so that
	// its last state at that time wins.
	order := func(e edge) int {
		if e.up {
			return 0
		}
		return 1
	}
	slices.SortFunc(edges, func(a, b edge) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(order(a), order(b)), cmp.Compare(a.path, b.path))
	})
	state := make([]bool, len(down))
	ask := func() (d bool, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("the down rule panicked: %v", r)
			}
		}()
		return rule(slices.Clone(state)), nil
	}
	isDown, err := ask() // every path up
	if err != nil {
		return 0, 0, err
	}
	since := 0.0
	if isDown {
		outages++
	}
	for i := 0; i < len(edges); {
		at := edges[i].at
		for ; i < len(edges) && edges[i].at == at; i++ {
			state[edges[i].path] = !edges[i].up
		}
		now, err := ask()
		if err != nil {
			return 0, 0, err
		}
		switch {
		case now && !isDown:
			since, outages = at, outages+1
		case !now && isDown:
			total += at - since
		}
		isDown = now
	}
	if isDown {
		total += horizon - since
	}
	return total, outages, nil
}

// Analytic is the textbook availability for cfg's parameters.
type Analytic struct {
	MTTR        float64 // mean repair time, minutes
	Single      float64 // MTBF/(MTBF+MTTR)
	Independent float64 // 1-(1-Single)^Paths: paths that fail independently
}

// AnalyticFor computes the closed forms for cfg.
func AnalyticFor(cfg Config) (Analytic, error) {
	if err := cfg.validate(); err != nil {
		return Analytic{}, err
	}
	m := cfg.MTTR()
	a := cfg.MTBF / (cfg.MTBF + m)
	return Analytic{MTTR: m, Single: a, Independent: 1 - math.Pow(1-a, float64(cfg.Paths))}, nil
}

// Comparison is Compare's result: one path, two independent paths and two
// paths that share a fraction of their failures, all with the same seed.
type Comparison struct {
	Single, Independent, Correlated Result
	Analytic                        Analytic // for two paths
}

// Compare simulates cfg with 1 path, 2 independent paths and 2 paths with
// the given common-mode fraction (cfg.Paths and cfg.Common are overridden).
func Compare(cfg Config, common float64) (Comparison, error) {
	var c Comparison
	var err error
	for _, run := range []struct {
		dst    *Result
		paths  int
		common float64
	}{{&c.Single, 1, 0}, {&c.Independent, 2, 0}, {&c.Correlated, 2, common}} {
		k := cfg
		k.Paths, k.Common = run.paths, run.common
		if *run.dst, err = Simulate(k); err != nil {
			return Comparison{}, err
		}
	}
	k := cfg
	k.Paths, k.Common = 2, 0
	c.Analytic, err = AnalyticFor(k)
	return c, err
}

// Effectiveness is how much of a single path's downtime redundancy removes:
// 1 - downtime(redundant)/downtime(single). The study's "40% effective"
// measures traffic impact, not downtime, so compare the idea, not the digits.
func (c Comparison) Effectiveness() (independent, correlated float64) {
	return 1 - c.Independent.Downtime/c.Single.Downtime, 1 - c.Correlated.Downtime/c.Single.Downtime
}

// Caption says what was compared, with the seed.
func (c Comparison) Caption() string {
	cfg := c.Single.Config
	return fmt.Sprintf("MTBF %.0f min per path, repair median %g min (σ=%g, mean %.2f min), %.0f years, seed=%d",
		cfg.MTBF, cfg.RepairMedian, cfg.RepairSigma, c.Analytic.MTTR, cfg.Horizon/minutesPerYear, cfg.Seed)
}

// Table is the three cases as a header and rows (for show.Table).
func (c Comparison) Table() (header []string, rows [][]string) {
	row := func(name string, r Result, analytic string) []string {
		return []string{name, fmt.Sprintf("%.6f", r.Availability), analytic, fmt.Sprintf("%.1f", r.DowntimePerYear())}
	}
	return []string{"case", "simulated", "analytic", "down (min/year)"}, [][]string{
		row("1 path", c.Single, fmt.Sprintf("%.6f", c.Analytic.Single)),
		row("2 paths, independent", c.Independent, fmt.Sprintf("%.6f", c.Analytic.Independent)),
		row(fmt.Sprintf("2 paths, %.0f%% common-mode", 100*c.Correlated.Config.Common), c.Correlated, "-"),
	}
}

// Removed says how much of the downtime redundancy removes, in words.
func (c Comparison) Removed() string {
	ei, ec := c.Effectiveness()
	return fmt.Sprintf("redundancy removes %.1f%% of downtime when independent, %.1f%% when correlated", 100*ei, 100*ec)
}

func (c Comparison) String() string {
	return c.Caption() + "\n" + table.String(c.Table()) + c.Removed() + "\n"
}

// EffectivenessPoint is one point of Sweep.
type EffectivenessPoint struct {
	Common        float64
	Effectiveness float64 // 1 - downtime(2 paths)/downtime(1 path)
}

// EffectivenessSweep runs Compare for each common-mode fraction.
func EffectivenessSweep(cfg Config, commons []float64) ([]EffectivenessPoint, error) {
	var out []EffectivenessPoint
	for _, f := range commons {
		c, err := Compare(cfg, f)
		if err != nil {
			return nil, err
		}
		_, e := c.Effectiveness()
		out = append(out, EffectivenessPoint{f, e})
	}
	return out, nil
}
