package replication

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

const ms = netsim.Millisecond

// SteadyState: the default cluster with no faults for 1.5 s, traced (for
// the transcript and the space-time diagram).
func SteadyState() Config {
	c := DefaultConfig()
	c.End = 1500 * ms
	c.Trace = true
	c.Snapshots = []netsim.Time{500 * ms}
	return c
}

// LeaderCrash: the leader crashes at 700 ms and restarts at 1.4 s; the run
// ends at 2.5 s. Snapshots just before the crash, just after the restart
// and at the end show the new leader's term and the restarted replica's
// log being repaired.
func LeaderCrash() Config {
	c := DefaultConfig()
	c.Commands = 15
	c.Steps = []Step{CrashLeader(700 * ms), RestartAll(1400 * ms)}
	c.Snapshots = []netsim.Time{699 * ms, 1401 * ms}
	c.End = 2500 * ms
	return c
}

// MinorityLeader: at 800 ms the leader, one follower and client c2 are cut
// off from the other three replicas and c1; the partition heals at 2 s;
// the run ends at 3 s. The old leader keeps accepting c2's commands but
// can never commit them; the majority elects a new leader and goes on
// with c1's. After the heal the old leader's uncommitted entries are
// overwritten and c2's retried commands are committed by the new leader.
func MinorityLeader() Config {
	c := DefaultConfig()
	c.Commands = 20
	c.Steps = []Step{IsolateLeader(800*ms, 1, "c2"), Heal(2000 * ms)}
	c.Snapshots = []netsim.Time{1990 * ms, 2100 * ms}
	c.End = 3000 * ms
	return c
}

// LossyLinks: every link loses 10% of messages, duplicates 5%, reorders
// 30% with delays of 1-20 ms; the leader crashes at 1 s and restarts at
// 1.5 s; 3 s.
func LossyLinks() Config {
	c := DefaultConfig()
	c.Link = netsim.Link{Loss: 0.1, Duplicate: 0.05, Reorder: 0.3, Delay: netsim.Uniform(1*ms, 20*ms)}
	c.Commands = 20
	c.Steps = []Step{CrashLeader(1000 * ms), RestartAll(1500 * ms)}
	c.End = 3000 * ms
	return c
}

// Scenario names a preset configuration.
type Scenario struct {
	Name   string
	Config func() Config
}

// Scenarios are the presets that run on both implementations.
func Scenarios() []Scenario {
	return []Scenario{
		{"steady state", SteadyState},
		{"leader crash", LeaderCrash},
		{"leader in the minority", MinorityLeader},
		{"lossy, reordering links", LossyLinks},
	}
}

// Figure8 replays the situation of Figure 8 of the Raft paper on five
// replicas n1..n5 (the paper's S1..S5) with the course Raft, using the
// director "ctl" to choose who campaigns and what is submitted, fixed 1 ms
// delays, partitions to control who hears what, and election timeouts too
// long to fire on their own. No-ops are skipped, as in the paper.
//
//	(a) n1 leads term 2 and replicates x=2 at index 2 to n2 only;
//	(b) n1 crashes; n5 wins term 3 with the votes of n3 and n4 and
//	    appends y=3 at index 2, which nobody else receives;
//	(c) n5 crashes, n1 restarts and wins term 4; it replicates x=2 to n3
//	    and n4, so a majority stores it, and appends z=4 at index 3, which
//	    it cannot replicate before it crashes;
//	(d) n5 restarts and wins term 5 with the votes of n2, n3 and n4 (its
//	    last term, 3, beats their 2), overwrites index 2 with y=3, and
//	    commits it with w=5.
//
// Under Raft's rules x=2 was never committed, so (d) is legal. Under
// CommitOldTerms, n1 commits and applies x=2 in (c) because a majority
// stores it, and (d) then breaks State Machine Safety.
func Figure8(rules Rules) Config {
	n1, n2, n3, n4, n5 := ReplicaName(1), ReplicaName(2), ReplicaName(3), ReplicaName(4), ReplicaName(5)
	c := DefaultConfig()
	c.Rules = rules
	c.SkipNoOp = true
	c.TimeoutMin, c.TimeoutSpread = 60*netsim.Second, 0
	c.Link = netsim.Link{Delay: netsim.Const(1 * ms)}
	c.Clients = 0
	g := func(ids ...netsim.NodeID) []netsim.NodeID { return ids }
	c.Orders = []Order{
		// Term 1: n5 leads and replicates v=1 to everyone.
		CampaignAt(10*ms, n5), SubmitAt(50*ms, n5, "v", "1"),
		// (a) n1 leads term 2; x=2 reaches n2 only.
		CampaignAt(100*ms, n1), SubmitAt(160*ms, n1, "x", "2"),
		// (b) n5 leads term 3; y=3 stays on n5.
		CampaignAt(210*ms, n5), SubmitAt(260*ms, n5, "y", "3"),
		// (c) n1 leads term 4 (its first try, term 3, fails: everyone
		// voted in term 3); z=4 stays on n1.
		CampaignAt(310*ms, n1), CampaignAt(320*ms, n1), SubmitAt(360*ms, n1, "z", "4"),
		// (d) n5 leads term 5 (after a failed try in term 4) and commits.
		CampaignAt(410*ms, n5), CampaignAt(420*ms, n5), SubmitAt(460*ms, n5, "w", "5"),
	}
	c.Steps = []Step{
		Partition(150*ms, g(n1, n2, Director), g(n3, n4, n5)),
		Crash(200*ms, n1), Heal(200 * ms),
		Partition(250*ms, g(n5, Director), g(n1, n2, n3, n4)),
		Crash(300*ms, n5), Heal(300 * ms), Restart(300*ms, n1),
		Partition(350*ms, g(n1, Director), g(n2, n3, n4, n5)),
		Crash(400*ms, n1), Heal(400 * ms), Restart(400*ms, n5),
	}
	c.Snapshots = []netsim.Time{199 * ms, 299 * ms, 399 * ms}
	c.End = 600 * ms
	c.Trace = true
	return c
}

// Figure8Replicated is Figure 8's alternative ending (e): before crashing
// in term 4, n1 replicates z=4 to n2 and n3, a majority. Then n5 cannot
// win any more (n2, n3 and n1 have a later last term than its 3): its
// campaigns in terms 4 and 5 fail, n2 wins term 6 and commits x=2 and z=4
// with w=6. Both rule sets are safe here.
func Figure8Replicated(rules Rules) Config {
	c := Figure8(rules)
	n1, n2, n3, n5 := ReplicaName(1), ReplicaName(2), ReplicaName(3), ReplicaName(5)
	for i, st := range c.Steps {
		if st.At == 350*ms && st.kind == stepPartition {
			c.Steps[i] = Partition(350*ms, []netsim.NodeID{n1, n2, n3, Director}, []netsim.NodeID{ReplicaName(4), n5})
		}
	}
	c.Orders = append(c.Orders[:len(c.Orders)-1], CampaignAt(440*ms, n2), SubmitAt(470*ms, n2, "w", "6"))
	return c
}

// Comparison is the same configuration run on both implementations.
type Comparison struct {
	Course, Etcd *Run
}

// Compare runs cfg on the course Raft and on etcd.
func Compare(cfg Config) (Comparison, error) {
	var out Comparison
	for _, impl := range []Implementation{Course, Etcd} {
		c := cfg
		c.Impl = impl
		r, err := Simulate(c)
		if err != nil {
			return Comparison{}, err
		}
		if impl == Course {
			out.Course = r
		} else {
			out.Etcd = r
		}
	}
	return out, nil
}

// SameCommands reports whether both runs committed the same client commands.
func (c Comparison) SameCommands() bool {
	return slices.Equal(c.Course.CommittedCommands(), c.Etcd.CommittedCommands())
}

// Header and Rows give the comparison as a table.
func (c Comparison) Header() []string {
	return []string{"", "course Raft", "etcd raft"}
}

// Rows compares the two runs line by line.
func (c Comparison) Rows() [][]string {
	row := func(name string, f func(r *Run) string) []string {
		return []string{name, f(c.Course), f(c.Etcd)}
	}
	return [][]string{
		row("first leader", func(r *Run) string {
			if len(r.Leaders) == 0 {
				return "none"
			}
			l := r.Leaders[0]
			return fmt.Sprintf("%s, term %d, at %v", l.Node, l.Term, l.At)
		}),
		row("elections won", func(r *Run) string { return fmt.Sprint(len(r.Leaders)) }),
		row("highest term", func(r *Run) string {
			t := 0
			for _, l := range r.Leaders {
				t = max(t, l.Term)
			}
			return fmt.Sprint(t)
		}),
		row("entries committed", func(r *Run) string { return fmt.Sprint(len(r.Committed)) }),
		row("client commands committed", func(r *Run) string { return fmt.Sprint(len(r.CommittedCommands())) }),
		row("commands acknowledged", func(r *Run) string { return fmt.Sprint(r.Acknowledged()) }),
		row("messages sent", func(r *Run) string { return fmt.Sprint(r.Stats.Sent) }),
		row("live replicas agree at the end", func(r *Run) string { return fmt.Sprint(r.Final.Agree()) }),
		row("safety violations", func(r *Run) string { return fmt.Sprint(len(r.Violations)) }),
	}
}

func (c Comparison) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, same client commands committed: %t\n", c.Course.Config.Seed, c.SameCommands())
	for _, r := range c.Rows() {
		fmt.Fprintf(&b, "  %-32s %-34s %s\n", r[0], r[1], r[2])
	}
	return b.String()
}
