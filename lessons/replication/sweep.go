package replication

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/table"
)

// SweepConfig runs many random runs: Base with random faults drawn from
// each run's seed.
type SweepConfig struct {
	// Base is the cluster; run r uses seed Base.Seed+r, and its Steps are
	// replaced by RandomFaults.
	Base Config
	Runs int // 1..10000
	// Quiet is how long before the end the faults stop: everything heals
	// and restarts, so that the cluster can catch up.
	Quiet netsim.Time
	// Faults draws each run's faults; nil means RandomFaults.
	Faults FaultModel
}

// FaultModel draws the fault schedule of a run of c from seed, with no
// fault in the last quiet stretch of the run.
type FaultModel func(seed uint64, c Config, quiet netsim.Time) []Step

// DefaultSweep: 100 runs of 5 s on the default cluster with 30 commands
// per client, links that lose 5%, duplicate 2% and reorder 20% of messages
// (1-15 ms delays), and random crashes, leader crashes, partitions and
// bursts of loss until 1.5 s before the end. Seeds 1..100.
func DefaultSweep() SweepConfig {
	c := DefaultConfig()
	c.Link = netsim.Link{Loss: 0.05, Duplicate: 0.02, Reorder: 0.2, Delay: netsim.Uniform(1*ms, 15*ms)}
	c.Commands = 30
	c.Interval = 80 * ms
	c.End = 5 * netsim.Second
	return SweepConfig{Base: c, Runs: 100, Quiet: 1500 * ms}
}

// RandomFaults draws a fault schedule for a run of c from seed: from
// 300 ms until quiet before the end, every 150-600 ms one of a crash of a
// random replica (restarted 100-800 ms later), a crash of the leader
// (restarted likewise), a partition into two random sides, clients
// included (healed 200-1000 ms later), or 100-500 ms of 30% extra loss.
// At End-quiet everything heals and restarts.
func RandomFaults(seed uint64, c Config, quiet netsim.Time) []Step {
	rng := rand.New(rand.NewPCG(seed, 0x5eedfa17))
	members, clients := c.members(), c.clients()
	stop := c.End - quiet
	if len(members) == 0 || stop <= 0 {
		return nil
	}
	between := func(lo, hi netsim.Time) netsim.Time { return lo + netsim.Time(rng.Int64N(int64(hi-lo)+1)) }
	var steps []Step
	for t := 300 * ms; t < stop; t += between(150*ms, 600*ms) {
		switch k := rng.IntN(10); {
		case k < 3:
			id := members[rng.IntN(len(members))]
			steps = append(steps, Crash(t, id), Restart(min(t+between(100*ms, 800*ms), stop), id))
		case k < 5:
			steps = append(steps, CrashLeader(t), RestartAll(min(t+between(100*ms, 800*ms), stop)))
		case k < 8:
			var side []netsim.NodeID
			for _, id := range append(slices.Clone(members), clients...) {
				if rng.IntN(2) == 0 {
					side = append(side, id)
				}
			}
			steps = append(steps, Partition(t, side), Heal(min(t+between(200*ms, 1000*ms), stop)))
		default:
			lossy := c.Link
			lossy.Loss = min(1, lossy.Loss+0.3)
			steps = append(steps, SetLinks(t, lossy), SetLinks(min(t+between(100*ms, 500*ms), stop), c.Link))
		}
	}
	steps = append(steps, Heal(stop), RestartAll(stop), SetLinks(stop, c.Link))
	slices.SortStableFunc(steps, func(a, b Step) int { return cmpTime(a.At, b.At) })
	return steps
}

// LeaderChurn is a fault model that goes after the leader: from 200 ms
// until quiet before the end, every 50-250 ms it isolates the leader alone
// (half the time together with client c1, which keeps feeding it
// commands) for 30-200 ms, or crashes it and restarts it 30-300 ms later.
// With fast elections (ChurnSweep) it produces many short terms whose
// leaders hold entries nobody else has: the raw material of Figure 8.
func LeaderChurn(seed uint64, c Config, quiet netsim.Time) []Step {
	rng := rand.New(rand.NewPCG(seed, 0xc4a5e1ead))
	between := func(lo, hi netsim.Time) netsim.Time { return lo + netsim.Time(rng.Int64N(int64(hi-lo)+1)) }
	stop := c.End - quiet
	var steps []Step
	for t := 200 * ms; t < stop; t += between(50*ms, 250*ms) {
		switch rng.IntN(3) {
		case 0:
			steps = append(steps, IsolateLeader(t, 0), Heal(min(stop, t+between(30*ms, 200*ms))))
		case 1:
			var with []netsim.NodeID
			if c.Clients > 0 {
				with = append(with, ClientName(1))
			}
			steps = append(steps, IsolateLeader(t, 0, with...), Heal(min(stop, t+between(30*ms, 200*ms))))
		default:
			steps = append(steps, CrashLeader(t), RestartAll(min(stop, t+between(30*ms, 300*ms))))
		}
	}
	steps = append(steps, Heal(stop), RestartAll(stop))
	slices.SortStableFunc(steps, func(a, b Step) int { return cmpTime(a.At, b.At) })
	return steps
}

// ChurnSweep: LeaderChurn on a cluster with fast elections (timeouts
// 50-100 ms, heartbeats every 15 ms) and no no-op entries, one client
// writing every 20 ms, 3 s per run, seeds 1..200. It is the sweep most
// likely to catch CommitOldTerms, and even so only rarely.
func ChurnSweep() SweepConfig {
	c := DefaultConfig()
	c.SkipNoOp = true
	c.TimeoutMin, c.TimeoutSpread, c.Heartbeat = 50*ms, 50*ms, 15*ms
	c.Clients, c.Commands, c.Interval = 1, 100, 20*ms
	c.End = 3 * netsim.Second
	return SweepConfig{Base: c, Runs: 200, Quiet: 800 * ms, Faults: LeaderChurn}
}

// SweepResult summarises a sweep.
type SweepResult struct {
	Config SweepConfig
	Impl   string
	Rules  string
	Runs   int
	// BadRuns counts the runs with at least one violation; BadSeeds lists
	// the first few of their seeds.
	BadRuns  int
	BadSeeds []uint64
	First    *Violation // the first violation of the first bad run
	Counts   map[Property]int
	Checks   int
	// Elections is the total number of elections won; Issued and
	// Acknowledged count client commands; Committed the distinct client
	// commands committed.
	Elections, Issued, Acknowledged, Committed int
	// Converged counts the runs in which every replica ended with the same
	// store.
	Converged int
}

// Sweep runs the sweep.
func Sweep(cfg SweepConfig) (SweepResult, error) {
	if cfg.Runs < 1 || cfg.Runs > 10_000 {
		return SweepResult{}, fmt.Errorf("replication: runs %d not in [1,10000]", cfg.Runs)
	}
	if err := cfg.Base.Validate(); err != nil {
		return SweepResult{}, err
	}
	if cfg.Quiet < 0 || cfg.Quiet >= cfg.Base.End {
		return SweepResult{}, fmt.Errorf("replication: quiet time %v not in [0, end %v)", cfg.Quiet, cfg.Base.End)
	}
	res := SweepResult{Config: cfg, Impl: cfg.Base.impl().Name(), Rules: cfg.Base.Rules.String(), Counts: map[Property]int{}}
	if cfg.Base.impl() != Course {
		res.Rules = "etcd's"
	}
	for r := range cfg.Runs {
		c := cfg.Base
		c.Seed = cfg.Base.Seed + uint64(r)
		c.Trace, c.Snapshots = false, nil
		faults := cfg.Faults
		if faults == nil {
			faults = RandomFaults
		}
		c.Steps = faults(c.Seed, c, cfg.Quiet)
		run, err := Simulate(c)
		if err != nil {
			return SweepResult{}, err
		}
		res.Runs++
		res.Checks += run.Checks
		res.Elections += len(run.Leaders)
		for _, cs := range run.Clients {
			res.Issued += cs.Issued
			res.Acknowledged += cs.Done
		}
		res.Committed += len(run.CommittedCommands())
		if run.Final.Agree() {
			res.Converged++
		}
		if !run.OK() {
			res.BadRuns++
			if len(res.BadSeeds) < 10 {
				res.BadSeeds = append(res.BadSeeds, c.Seed)
			}
			if res.First == nil {
				v := run.Violations[0]
				res.First = &v
			}
		}
		for p, n := range run.Counts {
			res.Counts[p] += n
		}
	}
	return res, nil
}

// Violations is the total number of violations.
func (s SweepResult) Violations() int {
	n := 0
	for _, c := range s.Counts {
		n += c
	}
	return n
}

// Header and Row give sweep results as a table, one row per sweep.
func SweepHeader() []string {
	return []string{"implementation", "rules", "runs", "runs with violations", "election safety", "log matching",
		"leader completeness", "state machine safety", "commands committed", "first bad seed"}
}

// Row is the sweep's row of the table.
func (s SweepResult) Row() []string {
	first := "—"
	if len(s.BadSeeds) > 0 {
		first = fmt.Sprint(s.BadSeeds[0])
	}
	row := []string{s.Impl, s.Rules, fmt.Sprint(s.Runs), fmt.Sprint(s.BadRuns)}
	for _, p := range Properties() {
		row = append(row, fmt.Sprint(s.Counts[p]))
	}
	return append(row, fmt.Sprintf("%d/%d", s.Committed, s.Issued), first)
}

func (s SweepResult) String() string {
	c := s.Config
	var b strings.Builder
	fmt.Fprintf(&b, "%s, rules: %s: %d runs (seeds %d..%d) of %v, faults drawn from each seed\n", s.Impl, s.Rules, s.Runs,
		c.Base.Seed, c.Base.Seed+uint64(s.Runs)-1, c.Base.End)
	fmt.Fprintf(&b, "  %d safety checks, %d violations in %d runs\n", s.Checks, s.Violations(), s.BadRuns)
	fmt.Fprintf(&b, "  %d elections won; %d of %d client commands committed, %d acknowledged; replicas converged in %d runs\n",
		s.Elections, s.Committed, s.Issued, s.Acknowledged, s.Converged)
	if s.First != nil {
		fmt.Fprintf(&b, "  first violation (seed %d): %s\n", s.BadSeeds[0], s.First)
	}
	return b.String()
}

// SweepTable runs the sweep with Raft's rules and with each broken variant
// (course Raft) and returns one row per rule set.
func SweepTable(cfg SweepConfig) ([]SweepResult, error) {
	var out []SweepResult
	for _, rules := range append([]Rules{{}}, BrokenVariants()...) {
		c := cfg
		c.Base.Impl, c.Base.Rules = Course, rules
		r, err := Sweep(c)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// SweepTableString formats results as a text table.
func SweepTableString(rs []SweepResult) string {
	rows := make([][]string, len(rs))
	for i, r := range rs {
		rows[i] = r.Row()
	}
	return table.String(SweepHeader(), rows)
}
