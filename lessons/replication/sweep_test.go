package replication

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

// sweepRuns is the number of runs of a sweep test: fewer with -short,
// but enough to reach seed 24, the first one that catches TruncateAlways.
func sweepRuns(t *testing.T, full int) int {
	if testing.Short() {
		return min(full, 30)
	}
	return full
}

func TestRandomFaults(t *testing.T) {
	c := DefaultSweep().Base
	a := RandomFaults(7, c, 1500*ms)
	assert.Equal(t, a, RandomFaults(7, c, 1500*ms), "same seed, same faults")
	assert.NotEqual(t, a, RandomFaults(8, c, 1500*ms))
	assert.Greater(t, len(a), 10)
	for _, s := range a {
		assert.LessOrEqual(t, s.At, c.End-1500*ms, s.String())
		assert.NoError(t, s.check(&c))
	}
	last := a[len(a)-1]
	assert.Equal(t, c.End-1500*ms, last.At)
	churn := LeaderChurn(7, ChurnSweep().Base, 800*ms)
	assert.Greater(t, len(churn), 10)
}

// Notebook claim: 100 random runs with crashes, partitions and lossy,
// reordering links: no violation on either implementation, and every
// client command committed.
func TestSweepSafe(t *testing.T) {
	for _, impl := range impls {
		cfg := DefaultSweep()
		cfg.Base.Impl, cfg.Runs = impl, sweepRuns(t, cfg.Runs)
		r, err := Sweep(cfg)
		require.NoError(t, err)
		assert.Zero(t, r.Violations(), "%s: %s", impl.Name(), r.String())
		assert.Zero(t, r.BadRuns)
		assert.Equal(t, cfg.Runs, r.Runs)
		assert.Equal(t, r.Issued, r.Committed, impl.Name())
		assert.Equal(t, r.Issued, r.Acknowledged, impl.Name())
		assert.Equal(t, r.Runs, r.Converged, impl.Name())
		assert.Greater(t, r.Elections, 3*r.Runs, "faults force many elections")
		assert.Greater(t, r.Checks, 1000*r.Runs)
		assert.Contains(t, r.String(), "0 violations in 0 runs")
	}
}

// The broken variants: the random sweep catches three of them, not the
// commit rule; Figure 8 (TestFigure8) and the leader-churn sweep do.
func TestBrokenVariantsCaught(t *testing.T) {
	cfg := DefaultSweep()
	cfg.Runs = sweepRuns(t, cfg.Runs)
	rs, err := SweepTable(cfg)
	require.NoError(t, err)
	require.Len(t, rs, 5)
	assert.Zero(t, rs[0].BadRuns, "Raft")
	assert.Zero(t, rs[1].BadRuns, "commit by counting survives random faults (with no-ops)")
	for _, r := range rs[2:] {
		assert.Positive(t, r.BadRuns, r.Rules)
		require.NotNil(t, r.First, r.Rules)
		assert.NotEmpty(t, r.BadSeeds)
	}
	if !testing.Short() {
		// Consistency check and election restriction: most runs break.
		assert.Greater(t, rs[2].BadRuns, cfg.Runs/2)
		assert.Greater(t, rs[4].BadRuns, cfg.Runs/3)
		assert.Positive(t, rs[3].Counts[LeaderCompleteness])
	}
	assert.Positive(t, rs[2].Counts[LogMatching], "no consistency check breaks Log Matching")
	assert.Positive(t, rs[4].Counts[LeaderCompleteness], "ignoring logs in votes breaks Leader Completeness")
	assert.Positive(t, rs[4].Counts[StateMachineSafety])
	assert.Zero(t, rs[2].Counts[ElectionSafety]+rs[3].Counts[ElectionSafety]+rs[4].Counts[ElectionSafety], "elections stay safe")
	s := SweepTableString(rs)
	assert.Contains(t, s, "no consistency check in AppendEntries")
	assert.Len(t, SweepHeader(), len(rs[0].Row()))

	// Leader churn without no-ops: a search over seeds 1..1000 found the
	// counting rule breaking safety in runs 47, 750 and 797; replay 40..49.
	churn := ChurnSweep()
	churn.Base.Seed, churn.Runs = 40, 10
	churn.Base.Rules = CommitOldTerms
	bad, err := Sweep(churn)
	require.NoError(t, err)
	assert.Equal(t, []uint64{47}, bad.BadSeeds)
	assert.Positive(t, bad.Counts[LeaderCompleteness])
	churn.Base.Rules = Rules{}
	good, err := Sweep(churn)
	require.NoError(t, err)
	assert.Zero(t, good.Violations())
}

func TestSweepValidation(t *testing.T) {
	cfg := DefaultSweep()
	cfg.Runs = 0
	_, err := Sweep(cfg)
	assert.Error(t, err)
	cfg = DefaultSweep()
	cfg.Quiet = cfg.Base.End
	_, err = Sweep(cfg)
	assert.Error(t, err)
	cfg = DefaultSweep()
	cfg.Runs, cfg.Base.Nodes = 1, 0
	_, err = Sweep(cfg)
	assert.Error(t, err)
	_ = netsim.Second
}
