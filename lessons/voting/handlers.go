package voting

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// The notebook shows the two vote handlers (GrantVote and CountVote) in a
// cell students can edit and break; CheckHandlers runs the cell's versions
// in the election scenarios below, next to the library's, and says what
// changed: a term with two leaders (election safety broken), a cold start
// that elects nobody, or leadership that merely differs.

// HandlerScenario is one family of runs CheckHandlers tries.
type HandlerScenario struct {
	Name  string
	Seeds int // seeds 1..Seeds
	// run runs one seed with the given handlers.
	run func(h VoteHandlers, seed uint64) (handlerRun, error)
	// live: every run must elect a leader within LiveWithin.
	live       bool
	liveWithin netsim.Time
}

// handlerRun is what one run of a scenario produced.
type handlerRun struct {
	intervals  []LeaderInterval
	twoLeaders []TwoLeaders
	first      netsim.Time // the first leader's start, -1 if none
}

// clusterRun runs cfg's cluster, all nodes starting at 0, until end.
func clusterRun(cfg ElectionConfig, end netsim.Time) (handlerRun, error) {
	sim, rec, err := newCluster(cfg)
	if err != nil {
		return handlerRun{}, err
	}
	if err := sim.Run(end); err != nil {
		return handlerRun{}, err
	}
	return handlerRun{intervals: rec.finish(end), twoLeaders: rec.twoLeaders(), first: rec.firstLeader}, nil
}

// HandlerScenarios are the runs of CheckHandlers: cold starts of 5 and 4
// nodes with nearly equal timeouts (150–155 ms), where candidates often
// compete for the same term; cold starts with Raft's 150–300 ms, which
// must each elect a leader within a second; and the partition of section 4
// under the majority rule.
func HandlerScenarios() []HandlerScenario {
	cold := func(nodes int, spread netsim.Time) func(VoteHandlers, uint64) (handlerRun, error) {
		return func(h VoteHandlers, seed uint64) (handlerRun, error) {
			c := DefaultElection()
			c.Nodes, c.TimeoutSpread, c.Seed, c.Handlers = nodes, spread, seed, h
			return clusterRun(c, 2*netsim.Second)
		}
	}
	return []HandlerScenario{
		{Name: "cold start, 5 nodes, timeouts 150–155 ms", Seeds: 100, run: cold(5, 5*netsim.Millisecond)},
		{Name: "cold start, 4 nodes, timeouts 150–155 ms", Seeds: 100, run: cold(4, 5*netsim.Millisecond)},
		{Name: "cold start, 5 nodes, timeouts 150–300 ms", Seeds: 100, run: cold(5, 150*netsim.Millisecond), live: true, liveWithin: netsim.Second},
		{Name: "partition of section 4, majority rule", Seeds: 20, run: func(h VoteHandlers, seed uint64) (handlerRun, error) {
			c := DefaultPartition()
			c.Base.Seed, c.Base.Handlers = seed, h
			r, err := partition(c, Majority)
			if err != nil {
				return handlerRun{}, err
			}
			first := netsim.Time(-1)
			if len(r.Intervals) > 0 {
				first = r.Intervals[0].From
			}
			return handlerRun{intervals: r.Intervals, twoLeaders: r.TwoLeaders, first: first}, nil
		}},
	}
}

// HandlerCheck is what CheckHandlers found: the most serious problem of
// all runs (two leaders in a term, then a cold start without a leader,
// then a difference from the library), or none.
type HandlerCheck struct {
	Runs    int
	Problem string // "" when every run matched the library's
	// Where the problem showed first.
	Scenario string
	Seed     uint64
	// Yours and Library summarise the leaders of that run.
	Yours, Library string
	// Counts of runs with each kind of problem.
	TwoLeaders, NoLeader, Differ int
}

// OK reports whether every run behaved like the library's.
func (c HandlerCheck) OK() bool { return c.Problem == "" }

func (c HandlerCheck) String() string {
	if c.OK() {
		return fmt.Sprintf("✓ your handlers elect exactly the library's leaders in all %d runs: at most one leader per term, a leader within 1 s of every cold start", c.Runs)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "✗ of %d runs: %d with two leaders in one term, %d cold starts without a leader within 1 s, %d with other leaders than the library's.\n",
		c.Runs, c.TwoLeaders, c.NoLeader, c.Differ)
	fmt.Fprintf(&b, "  first: %s, seed %d: %s\n", c.Scenario, c.Seed, c.Problem)
	fmt.Fprintf(&b, "  yours:   %s\n  library: %s", c.Yours, c.Library)
	return b.String()
}

// leaders summarises a run's leadership intervals (at most six).
func leaders(ivs []LeaderInterval) string {
	if len(ivs) == 0 {
		return "no leader"
	}
	sorted := slices.Clone(ivs)
	slices.SortStableFunc(sorted, func(a, b LeaderInterval) int {
		if a.From != b.From {
			return int(a.From - b.From)
		}
		return a.Node - b.Node
	})
	var parts []string
	for i, iv := range sorted {
		if i == 6 {
			parts = append(parts, fmt.Sprintf("… %d more", len(sorted)-6))
			break
		}
		parts = append(parts, fmt.Sprintf("%s term %d from %.1f ms", NodeName(iv.Node), iv.Term, float64(iv.From)/float64(netsim.Millisecond)))
	}
	return strings.Join(parts, "; ")
}

// CheckHandlers runs the handlers h (nil fields: the library's) and the
// library's own in every HandlerScenario and reports the most serious
// problem it saw.
func CheckHandlers(h VoteHandlers) (HandlerCheck, error) {
	var out HandlerCheck
	rank := 0 // of the problem reported: 3 two leaders, 2 no leader, 1 differs
	for _, sc := range HandlerScenarios() {
		for seed := uint64(1); seed <= uint64(sc.Seeds); seed++ {
			lib, err := sc.run(VoteHandlers{}, seed)
			if err != nil {
				return HandlerCheck{}, err
			}
			yours, err := sc.run(h, seed)
			if err != nil {
				return HandlerCheck{}, fmt.Errorf("voting: %s, seed %d: %w", sc.Name, seed, err)
			}
			out.Runs++
			problem, r := "", 0
			switch {
			case len(yours.twoLeaders) > 0:
				out.TwoLeaders++
				problem, r = yours.twoLeaders[0].String(), 3
			case sc.live && (yours.first < 0 || yours.first > sc.liveWithin):
				out.NoLeader++
				problem, r = fmt.Sprintf("no leader within %g s", float64(sc.liveWithin)/float64(netsim.Second)), 2
			case !slices.Equal(yours.intervals, lib.intervals):
				out.Differ++
				problem, r = "other leaders than the library's", 1
			}
			if r > rank {
				rank = r
				out.Problem, out.Scenario, out.Seed = problem, sc.Name, seed
				out.Yours, out.Library = leaders(yours.intervals), leaders(lib.intervals)
			}
		}
	}
	return out, nil
}
