package voting

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

const ms = netsim.Millisecond

func TestElectionValidation(t *testing.T) {
	bad := []func(*ElectionConfig){
		func(c *ElectionConfig) { c.Nodes = 1 },
		func(c *ElectionConfig) { c.Nodes = 16 },
		func(c *ElectionConfig) { c.TimeoutMin = 0 },
		func(c *ElectionConfig) { c.TimeoutSpread = -1 },
		func(c *ElectionConfig) { c.Heartbeat = c.TimeoutMin },
		func(c *ElectionConfig) { c.Heartbeat = 0 },
		func(c *ElectionConfig) { c.Lease = 0 },
		func(c *ElectionConfig) { c.Rule = Reachable; c.VoteWindow = 0 },
		func(c *ElectionConfig) { c.Rule = 9 },
		func(c *ElectionConfig) { c.Delay = netsim.Uniform(5*ms, 1*ms) },
	}
	for i, f := range bad {
		c := DefaultElection()
		f(&c)
		_, err := Election(c, netsim.Second)
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "voting: "), err.Error())
	}
	_, err := Election(DefaultElection(), 0)
	assert.Error(t, err)
}

func TestElectionDeterministicAndSafe(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		c := DefaultElection()
		c.Seed = seed
		a, err := Election(c, 3*netsim.Second)
		require.NoError(t, err)
		b, err := Election(c, 3*netsim.Second)
		require.NoError(t, err)
		assert.Equal(t, a, b, "seed %d", seed)
		require.True(t, a.Elected, "seed %d", seed)
		// A leader cannot be elected before the first timeout fires.
		assert.GreaterOrEqual(t, a.TimeToElect, c.TimeoutMin)
		assert.Equal(t, a.SplitVotes+1, a.Term, "seed %d: every earlier term was a split vote", seed)
	}
	c := DefaultElection()
	c.Trace = true
	r, err := Election(c, netsim.Second)
	require.NoError(t, err)
	assert.Contains(t, r.Transcript, "RequestVote t1")
	assert.Contains(t, r.Transcript, "Heartbeat t1")
	assert.Contains(t, r.String(), "seed 1")
}

// Claims of notebook 11 about the default sweep (timeouts 150 ms + spread,
// 300 cold starts per spread, seeds 1..300).
func TestElectionSweepClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("1800 elections")
	}
	r, err := ElectionSweep(DefaultSweep())
	require.NoError(t, err)
	by := map[netsim.Time]SpreadResult{}
	for _, s := range r.Spreads {
		by[s.Spread] = s
		assert.Len(t, CDF(s, 150), len(s.Times)+1)
	}
	// Identical timeouts: every node times out at once and votes for
	// itself, forever.
	assert.Zero(t, by[0].Elected)
	assert.Equal(t, by[0].Runs, by[0].WithSplit)
	// 1 ms of randomness: many runs still fail within 3 s.
	assert.Less(t, by[1*ms].Elected, by[1*ms].Runs*6/10)
	// From 150–175 ms on every run elects, fewer than 5% see a split vote.
	for _, sp := range []netsim.Time{25 * ms, 75 * ms, 150 * ms} {
		s := by[sp]
		assert.Equal(t, s.Runs, s.Elected, "spread %v", sp)
		assert.Less(t, 20*s.WithSplit, s.Runs, "spread %v", sp)
	}
	// ...and the widest range has none at all, but a later median.
	assert.Zero(t, by[150*ms].WithSplit)
	assert.Greater(t, by[150*ms].Quantile(0.5), by[25*ms].Quantile(0.5))
	// The tail: 150–155 ms has a 95th percentile above 500 ms, 150–300 ms below 250 ms.
	assert.Greater(t, by[5*ms].Quantile(0.95), 500.0)
	assert.Less(t, by[150*ms].Quantile(0.95), 250.0)
	p, err := PlotTimeToElect(r)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "seeds from 1")
	// The plot marks the ranges with runs that had no leader at 3 s.
	un := UnelectedRuns(r)
	require.Len(t, un, 2)
	assert.Equal(t, Unelected{Range: "150–150 ms", Runs: 300, None: 300}, un[0])
	assert.Equal(t, Unelected{Range: "150–151 ms", Runs: 300, None: 137}, un[1])
	assert.Equal(t, 3000.0, p.X.Max, "the curves run to the limit")
	assert.Len(t, r.Rows(), len(r.Spreads))
	// No run elected with 150–150 ms: no times to report, shown as "—".
	require.Zero(t, by[0].Elected)
	assert.Equal(t, []string{"—", "—", "—"}, r.Rows()[0][5:8])
	assert.NotEqual(t, "—", r.Rows()[len(r.Rows())-1][5])
}

// With a majority quorum and a lease shorter than the minimum election
// timeout, two nodes never believe they are leader at the same time; with
// "whoever answers" the partition produces two leaders, for most of the
// partition. Property over seeds.
func TestPartitionSplitBrain(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		cfg := DefaultPartition()
		cfg.Base.Seed = seed
		runs, err := Partition(cfg)
		require.NoError(t, err)
		require.Len(t, runs, 2)
		maj, any := runs[0], runs[1]
		require.Equal(t, Majority, maj.Rule)
		assert.Equal(t, 1, maj.MaxLeaders, "seed %d: %v", seed, maj)
		assert.Contains(t, maj.String(), "at most 1 leader at once", "seed %d", seed)
		assert.Zero(t, maj.SplitBrain, "seed %d", seed)
		assert.Equal(t, 2, any.MaxLeaders, "seed %d: %v", seed, any)
		assert.Greater(t, any.SplitBrain, netsim.Second, "seed %d: %v", seed, any)
		// The majority side elects a new leader during the partition.
		newLeader := false
		for _, iv := range maj.Intervals {
			if iv.From > cfg.PartitionAt && iv.From < cfg.HealAt && iv.Node != maj.Minority[0] && iv.Node != maj.Minority[1] {
				newLeader = true
			}
		}
		assert.True(t, newLeader, "seed %d: %v", seed, maj.Intervals)
	}
	// The default run shown in notebook 11: under the majority rule the
	// minority keeps starting elections it cannot win, so after the heal
	// its inflated term forces one more election.
	runs, err := Partition(DefaultPartition())
	require.NoError(t, err)
	maj := runs[0]
	assert.Greater(t, maj.Terms, 5)
	afterHeal := false
	for _, iv := range maj.Intervals {
		afterHeal = afterHeal || iv.From > DefaultPartition().HealAt
	}
	assert.True(t, afterHeal)
	// Notebook 11: after the heal a node of the minority side wins (the
	// model has no logs to stop it), and the no-quorum candidate becomes
	// leader only when its VoteWindow has passed, later than the majority
	// candidate, which wins as soon as a majority has voted.
	last := maj.Intervals[len(maj.Intervals)-1]
	assert.Greater(t, last.From, DefaultPartition().HealAt)
	assert.Contains(t, maj.Minority, last.Node, "seed %d: %v", DefaultPartition().Base.Seed, maj.Intervals)
	first := runs[1].Intervals[0].From
	assert.Greater(t, first, maj.Intervals[0].From)
	assert.GreaterOrEqual(t, first, DefaultPartition().Base.TimeoutMin+DefaultPartition().Base.VoteWindow)
	for _, r := range runs {
		p, err := PlotLeadership(r, DefaultPartition())
		require.NoError(t, err)
		assert.Contains(t, p.Title.Text, "seed 1")
		h, rows := IntervalRows(r)
		assert.Len(t, rows, len(r.Intervals))
		assert.Len(t, rows[0], len(h))
	}
	_, err = Partition(PartitionConfig{Base: DefaultElection(), PartitionAt: 2, HealAt: 1, End: 3})
	assert.Error(t, err)
}

func TestTranscriptHead(t *testing.T) {
	r := ElectionRun{Transcript: "a\nb\nc\n"}
	assert.Equal(t, "a\nb\n... (1 more trace lines)\n", r.TranscriptHead(2))
	assert.Equal(t, "a\nb\nc\n", r.TranscriptHead(10))
}

// An ElectionTimer keeps one timeout pending: a reset cancels the one
// before, Stop cancels it, and Is tells the pending one from older ones.
func TestElectionTimer(t *testing.T) {
	type fired struct {
		at  netsim.Time
		tag any
		is  bool
	}
	var got []fired
	var et ElectionTimer
	pending := map[netsim.Time]bool{}
	sim, err := netsim.New(netsim.Config{Seed: 1, DefaultLink: netsim.Link{Delay: netsim.Const(2 * ms)}})
	require.NoError(t, err)
	require.NoError(t, sim.AddNode("A", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start:
			et.Reset(ctx, 10*ms, 0, "first") // due at 10 ms, replaced at 4 ms
			ctx.Send("B", "ping")
		case netsim.Receive:
			et.Reset(ctx, 10*ms, 0, "second") // due at 14 ms
			ctx.SetTimer(20*ms, "stop")
		case netsim.Timer:
			got = append(got, fired{ctx.Now(), ev.Msg, et.Is(ev.Timer)})
			if ev.Msg == "stop" {
				et.Stop(ctx)
			} else if ev.Msg == "second" {
				et.Reset(ctx, 20*ms, 0, "third") // due at 34 ms, stopped at 24 ms
			}
		}
		pending[ctx.Now()] = et.Pending()
	})))
	require.NoError(t, sim.AddNode("B", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			ctx.Send(ev.From, "pong")
		}
	})))
	require.NoError(t, sim.Run(netsim.Second))
	assert.Equal(t, []fired{{14 * ms, "second", true}, {24 * ms, "stop", false}}, got)
	assert.Equal(t, map[netsim.Time]bool{0: true, 4 * ms: true, 14 * ms: true, 24 * ms: false}, pending)

	// Timeouts are drawn from [min, min+spread], from the node's stream.
	sim, err = netsim.New(netsim.Config{Seed: 7})
	require.NoError(t, err)
	var due []netsim.Time
	var et2 ElectionTimer
	require.NoError(t, sim.AddNode("A", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Timer {
			due = append(due, ctx.Now())
		}
		if len(due) < 200 {
			et2.Reset(ctx, 150*ms, 150*ms, "e")
		}
	})))
	require.NoError(t, sim.Run(netsim.Forever))
	require.Len(t, due, 200)
	distinct := map[netsim.Time]bool{}
	for i, at := range due {
		prev := netsim.Time(0)
		if i > 0 {
			prev = due[i-1]
		}
		assert.GreaterOrEqual(t, at-prev, 150*ms)
		assert.LessOrEqual(t, at-prev, 300*ms)
		distinct[at-prev] = true
	}
	assert.Greater(t, len(distinct), 100, "the timeouts are spread")
}
