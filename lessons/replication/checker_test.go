package replication

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

func newTestChecker(t *testing.T) *Checker {
	t.Helper()
	c, err := NewChecker([]netsim.NodeID{"n1", "n2", "n3"})
	require.NoError(t, err)
	return c
}

// applied builds a state machine that applied log[:n].
func applied(log Log, n int) (*KV, []Entry) {
	kv := NewKV()
	for _, e := range log[:n] {
		kv.Apply(e)
	}
	return kv, kv.Applied()
}

func TestCheckerAcceptsRaft(t *testing.T) {
	c := newTestChecker(t)
	l := terms(1, 1, 2)
	kv, ap := applied(l, 2)
	c.Observe(1, 0, Status{Term: 1, Role: Leader, Log: l[:2], Commit: 2, Applied: ap, KV: kv})
	c.Observe(2, 1, Status{Term: 1, Role: Follower, Log: l[:2], Commit: 1})
	// n2 becomes leader of term 2 with every committed entry.
	c.Observe(3, 1, Status{Term: 2, Role: Leader, Log: l, Commit: 3})
	c.Observe(4, 2, Status{Term: 2, Role: Follower, Log: l[:1]})
	assert.Zero(t, c.Total())
	assert.Equal(t, 4, c.Observations())
	assert.Equal(t, terms(1, 1, 2), Log(c.Committed()))
	assert.Contains(t, c.String(), "no violations in 4 checks")
}

func TestCheckerElectionSafety(t *testing.T) {
	c := newTestChecker(t)
	c.Observe(1, 0, Status{Term: 3, Role: Leader})
	c.Observe(2, 1, Status{Term: 3, Role: Leader})
	c.Observe(3, 1, Status{Term: 3, Role: Leader}) // the same violation again: counted once
	c.Observe(4, 2, Status{Term: 4, Role: Leader})
	require.Equal(t, 1, c.Count(ElectionSafety))
	v := c.Violations()[0]
	assert.Equal(t, ElectionSafety, v.Property)
	assert.Equal(t, netsim.NodeID("n2"), v.Node)
	assert.Contains(t, v.String(), "n1 and n2 are both leaders of term 3")
}

func TestCheckerLogMatching(t *testing.T) {
	c := newTestChecker(t)
	c.Observe(1, 0, Status{Log: terms(1, 1, 2)})
	c.Observe(2, 1, Status{Log: Log{{Term: 1}, {Term: 1, Cmd: Command{Client: "c1", Seq: 1, Key: "x", Value: "1"}}, {Term: 2}}})
	require.Equal(t, 1, c.Count(LogMatching))
	v := c.Violations()[0]
	assert.Equal(t, 3, v.Index)
	assert.Contains(t, v.Detail, "both have term 2 at index 3 but differ at index 2")
	// Logs that differ only after their last common term are fine.
	c2 := newTestChecker(t)
	c2.Observe(1, 0, Status{Log: terms(1, 1, 2)})
	c2.Observe(2, 1, Status{Log: terms(1, 1, 3, 3)})
	assert.Zero(t, c2.Total())
}

func TestMatchingViolation(t *testing.T) {
	x := Entry{Term: 1, Cmd: Command{Client: "c", Seq: 1, Key: "x", Value: "1"}}
	for _, tc := range []struct {
		a, b          Log
		index, differ int
		ok            bool
	}{
		{terms(1, 1), terms(1, 1, 2), 0, 0, true},
		{terms(1, 2), terms(1, 3), 0, 0, true},
		{Log{{Term: 1}, {Term: 2}}, Log{x, {Term: 2}}, 2, 1, false},
		{Log{x}, Log{{Term: 1}}, 1, 1, false},
		{nil, terms(1), 0, 0, true},
	} {
		i, d, ok := MatchingViolation(tc.a, tc.b)
		assert.Equal(t, []any{tc.index, tc.differ, tc.ok}, []any{i, d, ok}, "%v vs %v", tc.a, tc.b)
	}
}

func TestCheckerLeaderCompleteness(t *testing.T) {
	c := newTestChecker(t)
	x := Entry{Term: 2, Cmd: Command{Client: "c1", Seq: 1, Key: "x", Value: "2"}}
	y := Entry{Term: 3, Cmd: Command{Client: "c1", Seq: 2, Key: "y", Value: "3"}}
	c.Observe(1, 0, Status{Term: 4, Role: Leader, Log: Log{{Term: 1}, x}, Commit: 2})
	// n3 becomes leader of term 5 without x.
	c.Observe(2, 2, Status{Term: 5, Role: Leader, Log: Log{{Term: 1}, y}})
	require.Equal(t, 1, c.Count(LeaderCompleteness))
	assert.Contains(t, c.Violations()[0].Detail, "was committed there by n1 in term 4")
	// ...and then commits y at index 2.
	c.Observe(3, 2, Status{Term: 5, Role: Leader, Log: Log{{Term: 1}, y}, Commit: 2})
	assert.Equal(t, 1, c.Count(LeaderCompleteness), "same term: reported once")
	// A leader of an earlier term is not bound by later commits.
	c2 := newTestChecker(t)
	c2.Observe(1, 0, Status{Term: 4, Role: Leader, Log: Log{{Term: 1}, x}, Commit: 2})
	c2.Observe(2, 1, Status{Term: 3, Role: Leader, Log: Log{{Term: 1}, y}})
	assert.Zero(t, c2.Total())
}

func TestCheckerStateMachineSafety(t *testing.T) {
	c := newTestChecker(t)
	a := Log{{Term: 1}, {Term: 2, Cmd: Command{Client: "c1", Seq: 1, Key: "x", Value: "2"}}}
	b := Log{{Term: 1}, {Term: 3, Cmd: Command{Client: "c1", Seq: 2, Key: "y", Value: "3"}}}
	kv, ap := applied(a, 2)
	c.Observe(1, 0, Status{Log: a, Applied: ap, KV: kv})
	kv2, ap2 := applied(b, 2)
	c.Observe(2, 1, Status{Log: b, Applied: ap2, KV: kv2})
	require.Equal(t, 1, c.Count(StateMachineSafety))
	v := c.Violations()[0]
	assert.Equal(t, 2, v.Index)
	assert.Contains(t, v.Detail, "n2 applied t3 y=3 (c1#2) at index 2, but n1 applied t2 x=2 (c1#1) there")
	// A restarted replica applies its log again: no violation.
	c3 := newTestChecker(t)
	c3.Observe(1, 0, Status{Log: a, Applied: ap, KV: kv})
	kv3, ap3 := applied(a, 1)
	c3.Observe(2, 0, Status{Log: a, Applied: ap3, KV: kv3})
	kv4, ap4 := applied(a, 2)
	c3.Observe(3, 0, Status{Log: a, Applied: ap4, KV: kv4})
	assert.Zero(t, c3.Total())
}

func TestCheckerLimits(t *testing.T) {
	_, err := NewChecker(nil)
	assert.Error(t, err)
	c := newTestChecker(t)
	c.Observe(1, 7, Status{Role: Leader}) // unknown replica: ignored
	assert.Zero(t, c.Observations())
	for term := range MaxViolations + 5 {
		c.Observe(1, 0, Status{Term: term, Role: Leader})
		c.Observe(1, 1, Status{Term: term, Role: Leader})
	}
	assert.Equal(t, MaxViolations+5, c.Total())
	assert.Len(t, c.Violations(), MaxViolations)
	assert.Zero(t, c.Count(Property(9)))
	assert.Contains(t, c.String(), "VIOLATIONS")
	assert.Equal(t, "Property(9)", Property(9).String())
}
