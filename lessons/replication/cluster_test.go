package replication

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

var impls = []Implementation{Course, Etcd}

func TestConfigValidation(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Nodes = 0 },
		func(c *Config) { c.Nodes = 10 },
		func(c *Config) { c.TimeoutMin = 0 },
		func(c *Config) { c.TimeoutSpread = -1 },
		func(c *Config) { c.Heartbeat = c.TimeoutMin },
		func(c *Config) { c.MaxEntries = -1 },
		func(c *Config) { c.Clients = 10 },
		func(c *Config) { c.Commands = 1001 },
		func(c *Config) { c.Keys = 0 },
		func(c *Config) { c.Interval = 0 },
		func(c *Config) { c.RetryAfter = 0 },
		func(c *Config) { c.End = 0 },
		func(c *Config) { c.End = 11 * netsim.Minute },
		func(c *Config) { c.Link.Loss = 1.5 },
		func(c *Config) { c.Orders = []Order{CampaignAt(c.End+1, "n1")} },
		func(c *Config) { c.Orders = []Order{CampaignAt(0, "n9")} },
		func(c *Config) { c.Orders = []Order{{At: 0, To: "n1", Msg: "hello"}} },
		func(c *Config) { c.Steps = []Step{Crash(c.End+1, "n1")} },
		func(c *Config) { c.Steps = []Step{Crash(0, "zz")} },
		func(c *Config) { c.Steps = []Step{Partition(0, []netsim.NodeID{"n1", "zz"})} },
		func(c *Config) { c.Steps = []Step{IsolateLeader(0, 5)} },
		func(c *Config) { c.Steps = []Step{IsolateLeader(0, 1, "c7")} },
		func(c *Config) { c.Steps = []Step{SetLinks(0, netsim.Link{Reorder: -1})} },
		func(c *Config) { c.Steps = []Step{{At: 0, kind: 99}} },
		func(c *Config) { c.Snapshots = []netsim.Time{-1} },
		func(c *Config) { c.Snapshots = make([]netsim.Time, 101) },
		// etcd only
		func(c *Config) { c.Impl = Etcd; c.Tick = 0 },
		func(c *Config) { c.Impl = Etcd; c.Tick = 7 * ms },
		func(c *Config) { c.Impl = Etcd; c.TimeoutSpread = 50 * ms },
		func(c *Config) { c.Impl = Etcd; c.Rules = CommitOldTerms },
		func(c *Config) { c.Impl = Etcd; c.SkipNoOp = true },
		func(c *Config) {
			c.Impl = Etcd
			c.TimeoutMin, c.TimeoutSpread, c.Tick = netsim.Minute, netsim.Minute, 1
		},
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		_, err := Simulate(c)
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "replication: "), "case %d: %v", i, err)
	}
	for _, impl := range impls {
		c := DefaultConfig()
		c.Impl = impl
		assert.NoError(t, c.Validate(), impl.Name())
	}
}

// Same configuration and seed: the same run, byte for byte, on both
// implementations; another seed: another run.
func TestDeterministic(t *testing.T) {
	for _, impl := range impls {
		c := LossyLinks()
		c.Impl, c.Trace = impl, true
		a, err := Simulate(c)
		require.NoError(t, err)
		b, err := Simulate(c)
		require.NoError(t, err)
		assert.Equal(t, a.String(), b.String(), impl.Name())
		assert.Equal(t, a.Transcript(0, c.End, 0), b.Transcript(0, c.End, 0), impl.Name())
		c.Seed = 2
		d, err := Simulate(c)
		require.NoError(t, err)
		assert.NotEqual(t, a.Leaders[0].At, d.Leaders[0].At, impl.Name())
	}
}

// Notebook claims about the steady state, seeds 1..10, both implementations.
func TestSteadyState(t *testing.T) {
	for _, impl := range impls {
		for seed := uint64(1); seed <= 10; seed++ {
			c := SteadyState()
			c.Impl, c.Seed, c.Trace = impl, seed, false
			r, err := Simulate(c)
			require.NoError(t, err)
			msg := impl.Name() + " seed " + string(rune('0'+seed))
			assert.Len(t, r.Leaders, 1, msg)
			assert.True(t, r.OK(), msg)
			assert.Equal(t, 20, r.Acknowledged(), msg)
			assert.Len(t, r.CommittedCommands(), 20, msg)
			// One no-op and the 20 commands, on every replica, all applied.
			for _, n := range r.Final.Nodes {
				assert.Equal(t, 21, n.Log.LastIndex(), msg)
				assert.Equal(t, r.Final.Nodes[0].Log, n.Log, msg)
			}
			assert.True(t, r.Final.Agree(), msg)
			assert.Greater(t, r.Checks, 100, msg)
		}
	}
}

func TestLeaderCrash(t *testing.T) {
	for _, impl := range impls {
		for seed := uint64(1); seed <= 10; seed++ {
			c := LeaderCrash()
			c.Impl, c.Seed = impl, seed
			r, err := Simulate(c)
			require.NoError(t, err)
			require.True(t, r.OK(), "%s seed %d: %v", impl.Name(), seed, r.Violations)
			require.Len(t, r.Leaders, 2, "%s seed %d", impl.Name(), seed)
			old, next := r.Leaders[0], r.Leaders[1]
			assert.Contains(t, r.Notes[1].Text, "crash "+string(old.Node))
			// The others wait at least an election timeout minus one
			// heartbeat before electing a new leader, in a later term,
			// before the old one is back.
			assert.Greater(t, next.Term, old.Term)
			assert.NotEqual(t, old.Node, next.Node)
			assert.GreaterOrEqual(t, next.At-700*ms, c.TimeoutMin-c.Heartbeat-c.Tick)
			assert.Less(t, next.At, 1400*ms)
			// Just after its restart the old leader lacks the new term's
			// entries; by the end its log is the leader's.
			restarted := r.Snapshots[1].Nodes[slices.Index(r.Members, old.Node)]
			assert.Less(t, restarted.Log.LastTerm(), next.Term)
			// The course Raft's commit index is volatile (Figure 2): the
			// restarted replica starts at 0; etcd keeps it in its HardState.
			assert.Equal(t, Follower, restarted.Role)
			if impl == Course {
				assert.Zero(t, restarted.Commit, "seed %d", seed)
			} else {
				assert.Positive(t, restarted.Commit, "seed %d", seed)
			}
			for _, n := range r.Final.Nodes {
				assert.Equal(t, r.Final.Nodes[0].Log, n.Log)
			}
			assert.True(t, r.Final.Agree())
			assert.Equal(t, 30, r.Acknowledged())
			assert.Len(t, r.CommittedCommands(), 30)
		}
	}
}

// Notebook claims about the partition with the old leader in the minority.
func TestMinorityLeader(t *testing.T) {
	for _, impl := range impls {
		for seed := uint64(1); seed <= 10; seed++ {
			c := MinorityLeader()
			c.Impl, c.Seed = impl, seed
			r, err := Simulate(c)
			require.NoError(t, err)
			name := func() string { return impl.Name() + " seed " + string(rune('0'+seed)) }
			require.True(t, r.OK(), name())
			require.Len(t, r.Isolated, 2)
			oldID := r.Isolated[0]
			oi := slices.Index(r.Members, oldID)
			oldTerm := r.Leaders[0].Term
			require.Equal(t, oldID, r.Leaders[0].Node, name())
			// Before the heal: the old leader still believes it leads, and
			// holds uncommitted entries of its term that it accepted
			// during the partition; its commit index has not moved.
			before := r.Snapshots[0].Nodes[oi]
			assert.Equal(t, Leader, before.Role, name())
			assert.Equal(t, oldTerm, before.Term, name())
			assert.GreaterOrEqual(t, before.Log.LastIndex()-before.Commit, 8, name())
			assert.Equal(t, oldTerm, before.Log.LastTerm(), name())
			commitAtPartition := valueAt(r.Commit[oi], 800*ms)
			assert.Equal(t, commitAtPartition, before.Commit, name())
			// Meanwhile the majority elected a new leader in a later term
			// and committed commands.
			var newLeader *LeaderTerm
			for _, l := range r.Leaders {
				if l.At > 800*ms && l.At < 2000*ms && !slices.Contains(r.Isolated, l.Node) {
					newLeader = &l
				}
			}
			require.NotNil(t, newLeader, name())
			assert.Greater(t, newLeader.Term, oldTerm)
			ni := slices.Index(r.Members, newLeader.Node)
			assert.Greater(t, r.Snapshots[0].Nodes[ni].Commit, commitAtPartition+5, name())
			// After the heal the old leader's uncommitted entries are
			// overwritten: every replica ends with the same log, which at
			// those indices holds entries of later terms.
			for _, n := range r.Final.Nodes {
				assert.Equal(t, r.Final.Nodes[0].Log, n.Log, name())
			}
			// (Entries it appended before the partition may have reached
			// the majority, and survive.)
			lastAtPartition := valueAt(r.LastIndex[oi], 800*ms)
			assert.GreaterOrEqual(t, before.Log.LastIndex()-lastAtPartition, 8, name())
			for i := lastAtPartition + 1; i <= before.Log.LastIndex(); i++ {
				e, _ := r.Final.Nodes[oi].Log.At(i)
				assert.Greater(t, e.Term, oldTerm, "%s: index %d", name(), i)
			}
			// ...and c2's commands are committed by the new leader,
			// each once.
			assert.Equal(t, 40, r.Acknowledged(), name())
			assert.Len(t, r.CommittedCommands(), 40, name())
			assert.True(t, r.Final.Agree(), name())
		}
	}
}

func valueAt(pts []Point, t netsim.Time) int {
	v := 0
	for _, p := range pts {
		if p.At <= t {
			v = p.Value
		}
	}
	return v
}

func TestLossyLinks(t *testing.T) {
	for _, impl := range impls {
		for seed := uint64(1); seed <= 10; seed++ {
			c := LossyLinks()
			c.Impl, c.Seed = impl, seed
			r, err := Simulate(c)
			require.NoError(t, err)
			assert.True(t, r.OK(), "%s seed %d", impl.Name(), seed)
			assert.Greater(t, r.Stats.Lost, uint64(50))
			assert.Positive(t, r.Stats.Duplicated)
			assert.Len(t, r.CommittedCommands(), 40, "%s seed %d", impl.Name(), seed)
			assert.True(t, r.Final.Agree(), "%s seed %d", impl.Name(), seed)
		}
	}
}

// The same scenarios on both implementations: both elect a leader and
// commit the same client commands.
func TestCompare(t *testing.T) {
	for _, sc := range Scenarios() {
		cmp, err := Compare(sc.Config())
		require.NoError(t, err)
		assert.True(t, cmp.SameCommands(), sc.Name)
		assert.NotEmpty(t, cmp.Course.Leaders, sc.Name)
		assert.NotEmpty(t, cmp.Etcd.Leaders, sc.Name)
		assert.True(t, cmp.Course.OK() && cmp.Etcd.OK(), sc.Name)
		assert.Equal(t, "course Raft", cmp.Course.Impl)
		assert.Equal(t, "etcd raft v3.7.0", cmp.Etcd.Impl)
		assert.Contains(t, cmp.String(), "same client commands committed: true")
		assert.Len(t, cmp.Rows(), 9)
	}
}

func TestFigure8(t *testing.T) {
	ok, err := Simulate(Figure8(Rules{}))
	require.NoError(t, err)
	assert.True(t, ok.OK(), "%v", ok.Violations)
	// The paper's figure: (a) at 199 ms, (b) at 299 ms, (c) at 399 ms.
	logs := func(s Snapshot) []string {
		var out []string
		for _, n := range s.Nodes {
			out = append(out, n.Log.String())
		}
		return out
	}
	assert.Equal(t, []string{"1 2", "1 2", "1", "1", "1"}, logs(ok.Snapshots[0]))
	assert.Equal(t, []string{"1 2", "1 2", "1", "1", "1 3"}, logs(ok.Snapshots[1]))
	assert.Equal(t, []string{"1 2 4", "1 2", "1 2", "1 2", "1 3"}, logs(ok.Snapshots[2]))
	// (d): n5 leads term 5 and overwrites x=2 with y=3, legally: x=2 was
	// never committed, n1 never applied it.
	assert.Equal(t, []string{"1 2 4", "1 3 5", "1 3 5", "1 3 5", "1 3 5"}, logs(ok.Final))
	// Raft's n1 does not commit x=2 in term 4 (its commit index, lost in
	// the crash, stays 0: nothing of term 4 is on a majority).
	assert.Equal(t, 0, ok.Snapshots[2].Nodes[0].Commit)
	assert.Equal(t, "v=1 w=5 y=3", ok.Final.Nodes[4].KV)
	last := ok.Leaders[len(ok.Leaders)-1]
	assert.Equal(t, LeaderTerm{At: 423 * ms, Node: "n5", Term: 5}, last)

	bad, err := Simulate(Figure8(CommitOldTerms))
	require.NoError(t, err)
	assert.Equal(t, logs(ok.Final), logs(bad.Final), "the same messages flow")
	assert.Equal(t, 2, bad.Snapshots[2].Nodes[0].Commit, "counting: n1 commits x=2 in term 4")
	assert.Equal(t, "v=1 x=2", bad.Snapshots[2].Nodes[0].KV)
	// Only n1 ever applies x=2; the others, and n5, end with y=3 there.
	for _, n := range bad.Final.Nodes[1:] {
		assert.Equal(t, "v=1 w=5 y=3", n.KV, n.ID)
	}
	require.False(t, bad.OK())
	assert.Equal(t, 1, bad.Counts[LeaderCompleteness])
	assert.Equal(t, 1, bad.Counts[StateMachineSafety])
	assert.Contains(t, bad.Violations[0].String(), "n5 became leader of term 5")
	assert.Contains(t, bad.Violations[1].String(), "applied t3 y=3 (ctl#6) at index 2, but n1 applied t2 x=2 (ctl#4) there")
}

func TestRunOutputs(t *testing.T) {
	c := SteadyState()
	r, err := Simulate(c)
	require.NoError(t, err)
	s := r.String()
	for _, want := range []string{"course Raft, 5 replicas, rules: Raft, seed 1", "is leader of term 1", "c1: 10 issued, 10 acknowledged",
		"logs at 1500.000ms", "safety: no violations"} {
		assert.Contains(t, s, want)
	}
	tr := r.Transcript(0, c.End, 20)
	assert.Equal(t, 21, strings.Count(tr, "\n"))
	assert.True(t, strings.HasSuffix(tr, "...\n"))
	assert.NotContains(t, r.Transcript(0, c.End, 0), "set-timer")
	assert.Contains(t, r.Transcript(0, c.End, 0), "AppendEntries t1 prev=0/t0 entries=[1] commit=0")
	assert.Equal(t, "logs at 0.000ms (term of each entry; | marks the commit index)\n  n1  crashed   t2   1 1 | 2\n",
		Snapshot{Nodes: []NodeState{{ID: "n1", Term: 2, Log: terms(1, 1, 2), Commit: 2, Crashed: true}}}.String())
	assert.Equal(t, "1 1 |", logLine(terms(1, 1), 2))
	assert.Equal(t, "1 1", logLine(terms(1, 1), 0))
}

func TestFigure8Replicated(t *testing.T) {
	for _, rules := range []Rules{{}, CommitOldTerms} {
		r, err := Simulate(Figure8Replicated(rules))
		require.NoError(t, err)
		assert.True(t, r.OK(), "%s: %v", rules, r.Violations)
		var terms []string
		for _, n := range r.Final.Nodes {
			terms = append(terms, n.Log.String())
		}
		// n1 crashed with 1 2 4; n4 and n5 were repaired by n2.
		assert.Equal(t, []string{"1 2 4", "1 2 4 6", "1 2 4 6", "1 2 4 6", "1 2 4 6"}, terms, rules.String())
		last := r.Leaders[len(r.Leaders)-1]
		assert.Equal(t, netsim.NodeID("n2"), last.Node)
		assert.Equal(t, 6, last.Term)
		for _, l := range r.Leaders {
			assert.False(t, l.Node == "n5" && l.Term > 3, "n5 cannot win after z=4 is on a majority")
		}
		assert.Equal(t, "v=1 w=6 x=2 z=4", r.Final.Nodes[4].KV)
	}
}

// Notebook claim comparing the two: etcd's leader tells the followers the
// new commit index at once (an append without entries, sent when it
// answers the client); the course Raft waits for the next heartbeat.
func TestCommitPropagation(t *testing.T) {
	c := SteadyState()
	c.Nodes, c.Clients, c.Commands = 3, 1, 1
	for _, impl := range impls {
		c.Impl = impl
		r, err := Simulate(c)
		require.NoError(t, err)
		_, to, err := CommandWindow(r)
		require.NoError(t, err)
		answered := to - c.Heartbeat
		commitNow := false
		for _, rec := range r.Trace {
			if rec.Op == netsim.OpSend && rec.Time == answered {
				l := SpaceTimeLabel(rec)
				commitNow = commitNow || strings.HasPrefix(l, "App c") || strings.HasPrefix(l, "hb")
			}
		}
		assert.Equal(t, impl == Etcd, commitNow, impl.Name())
	}
}
