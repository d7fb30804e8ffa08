package voting

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/table"
)

// SweepConfig runs many cold-start elections per timeout spread.
type SweepConfig struct {
	Base    ElectionConfig // Seed is the first seed; run r uses Base.Seed + r
	Spreads []netsim.Time  // TimeoutSpread values, ascending
	Runs    int            // elections per spread
	Limit   netsim.Time    // give up after this long
}

// DefaultSweep: the default cluster, spreads 0, 1, 5, 25, 75 and 150 ms
// (timeouts 150–150 ms ... 150–300 ms), 300 runs each, 3 s limit, seed 1.
func DefaultSweep() SweepConfig {
	ms := netsim.Millisecond
	return SweepConfig{Base: DefaultElection(), Spreads: []netsim.Time{0, 1 * ms, 5 * ms, 25 * ms, 75 * ms, 150 * ms}, Runs: 300, Limit: 3 * netsim.Second}
}

// SpreadResult summarises the runs for one spread.
type SpreadResult struct {
	Spread     netsim.Time
	Runs       int
	Elected    int
	Times      []float64 // ms, sorted, elected runs only
	SplitVotes int       // total over all runs
	WithSplit  int       // runs with at least one split vote
}

// Quantile returns the q-quantile of the election times in ms
// (nearest rank), or NaN-free 0 if no run elected a leader.
func (s SpreadResult) Quantile(q float64) float64 {
	if len(s.Times) == 0 {
		return 0
	}
	i := int(q*float64(len(s.Times))+0.999999) - 1
	return s.Times[min(max(i, 0), len(s.Times)-1)]
}

// MeanSplitVotes is the average number of split votes per run.
func (s SpreadResult) MeanSplitVotes() float64 { return float64(s.SplitVotes) / float64(s.Runs) }

// SweepResult holds one SpreadResult per spread.
type SweepResult struct {
	Config  SweepConfig
	Spreads []SpreadResult
}

// ElectionSweep runs the sweep.
func ElectionSweep(cfg SweepConfig) (SweepResult, error) {
	if cfg.Runs < 1 || cfg.Runs > 10_000 {
		return SweepResult{}, fmt.Errorf("voting: runs %d not in [1,10000]", cfg.Runs)
	}
	if len(cfg.Spreads) == 0 || !slices.IsSorted(cfg.Spreads) {
		return SweepResult{}, fmt.Errorf("voting: spreads %v must be non-empty and ascending", cfg.Spreads)
	}
	res := SweepResult{Config: cfg}
	for _, sp := range cfg.Spreads {
		sr := SpreadResult{Spread: sp, Runs: cfg.Runs}
		for r := range cfg.Runs {
			c := cfg.Base
			c.TimeoutSpread, c.Seed, c.Trace = sp, cfg.Base.Seed+uint64(r), false
			run, err := Election(c, cfg.Limit)
			if err != nil {
				return SweepResult{}, err
			}
			sr.SplitVotes += run.SplitVotes
			if run.SplitVotes > 0 {
				sr.WithSplit++
			}
			if run.Elected {
				sr.Elected++
				sr.Times = append(sr.Times, float64(run.TimeToElect)/float64(netsim.Millisecond))
			}
		}
		slices.Sort(sr.Times)
		res.Spreads = append(res.Spreads, sr)
	}
	return res, nil
}

// Header and Rows give the sweep as a table.
func (r SweepResult) Header() []string {
	return []string{"timeouts (ms)", "runs", "elected", "runs with split votes", "mean split votes", "median (ms)", "95th pct (ms)", "max (ms)"}
}

// Rows gives one row per spread.
func (r SweepResult) Rows() [][]string {
	var rows [][]string
	min := float64(r.Config.Base.TimeoutMin) / float64(netsim.Millisecond)
	for _, s := range r.Spreads {
		sp := float64(s.Spread) / float64(netsim.Millisecond)
		rows = append(rows, []string{
			fmt.Sprintf("%g–%g", min, min+sp), fmt.Sprint(s.Runs), fmt.Sprint(s.Elected), fmt.Sprint(s.WithSplit),
			fmt.Sprintf("%.2f", s.MeanSplitVotes()), ms1(s, 0.5), ms1(s, 0.95), ms1(s, 1),
		})
	}
	return rows
}

// ms1 formats a quantile of the election times in ms, or "—" when no run
// elected a leader (there is no time to report).
func ms1(s SpreadResult, q float64) string {
	if len(s.Times) == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f", s.Quantile(q))
}

func (r SweepResult) String() string {
	return fmt.Sprintf("%d nodes, %s, %d runs per row, seeds %d..%d, limit %v\n", r.Config.Base.Nodes, r.Config.Base.Rule,
		r.Config.Runs, r.Config.Base.Seed, r.Config.Base.Seed+uint64(r.Config.Runs)-1, r.Config.Limit) + table.String(r.Header(), r.Rows())
}

// PartitionConfig is the split-brain scenario: the cluster elects a
// leader, then at PartitionAt the current leader and one other node are
// cut off from the rest; at HealAt the partition heals; the run ends at End.
type PartitionConfig struct {
	Base                     ElectionConfig
	PartitionAt, HealAt, End netsim.Time
}

// DefaultPartition: the default cluster, partition at 1 s, heal at 3 s, end at 4 s.
func DefaultPartition() PartitionConfig {
	return PartitionConfig{Base: DefaultElection(), PartitionAt: 1 * netsim.Second, HealAt: 3 * netsim.Second, End: 4 * netsim.Second}
}

// PartitionRun is the result for one rule.
type PartitionRun struct {
	Rule      Rule
	Seed      uint64
	Minority  []int // nodes cut off with the old leader
	Intervals []LeaderInterval
	// MaxLeaders is the largest number of nodes that believed they were
	// leader at the same time; SplitBrain the total time with two or more.
	MaxLeaders int
	SplitBrain netsim.Time
	Terms      int // highest term reached
	// TwoLeaders lists the terms that had more than one leader (election
	// safety broken), in the order it happened.
	TwoLeaders []TwoLeaders
}

func (r PartitionRun) String() string {
	leaders := fmt.Sprintf("at most %d leaders at once", r.MaxLeaders)
	if r.MaxLeaders == 1 {
		leaders = "at most 1 leader at once"
	}
	return fmt.Sprintf("%s, seed %d: minority %v, %s, split brain for %v, %d terms",
		r.Rule, r.Seed, r.Minority, leaders, r.SplitBrain, r.Terms)
}

// Partition runs the scenario once under each rule, with the same seed.
func Partition(cfg PartitionConfig) ([]PartitionRun, error) {
	var out []PartitionRun
	for _, rule := range []Rule{Majority, Reachable} {
		run, err := partition(cfg, rule)
		if err != nil {
			return nil, err
		}
		out = append(out, run)
	}
	return out, nil
}

// partition runs the scenario once under rule.
func partition(cfg PartitionConfig, rule Rule) (PartitionRun, error) {
	if !(0 < cfg.PartitionAt && cfg.PartitionAt < cfg.HealAt && cfg.HealAt <= cfg.End) {
		return PartitionRun{}, fmt.Errorf("voting: need 0 < partition (%v) < heal (%v) <= end (%v)", cfg.PartitionAt, cfg.HealAt, cfg.End)
	}
	c := cfg.Base
	c.Rule = rule
	sim, rec, err := newCluster(c)
	if err != nil {
		return PartitionRun{}, err
	}
	if err := sim.Run(cfg.PartitionAt); err != nil {
		return PartitionRun{}, err
	}
	// Cut off the current leader (or n0 if there is none) with the next node.
	old := 0
	for i, l := range rec.isLeader {
		if l {
			old = i
		}
	}
	minority := []int{old, (old + 1) % c.Nodes}
	var a, b []netsim.NodeID
	for i := range c.Nodes {
		if slices.Contains(minority, i) {
			a = append(a, NodeName(i))
		} else {
			b = append(b, NodeName(i))
		}
	}
	if err := sim.At(cfg.PartitionAt).Partition(a, b); err != nil {
		return PartitionRun{}, err
	}
	if err := sim.At(cfg.HealAt).Heal(); err != nil {
		return PartitionRun{}, err
	}
	if err := sim.Run(cfg.End); err != nil {
		return PartitionRun{}, err
	}
	ivs := rec.finish(cfg.End)
	return PartitionRun{Rule: rule, Seed: c.Seed, Minority: minority, Intervals: ivs, MaxLeaders: rec.maxLeaders,
		SplitBrain: rec.splitTime, Terms: rec.maxTerm, TwoLeaders: rec.twoLeaders()}, nil
}

// IntervalRows gives a run's leadership intervals as a table.
func IntervalRows(r PartitionRun) (header []string, rows [][]string) {
	header = []string{"leader", "term", "from", "to"}
	for _, iv := range r.Intervals {
		rows = append(rows, []string{string(NodeName(iv.Node)), fmt.Sprint(iv.Term), iv.From.String(), iv.To.String()})
	}
	return header, rows
}
