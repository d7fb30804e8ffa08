package voting

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/quorum"
)

// The claims of notebook 11 about quorum reads.
func TestRegisterScenarios(t *testing.T) {
	// N=5, W=3, R=3: R + W > N, every read quorum meets every write quorum.
	rw, err := quorum.NewReadWrite(5, 3, 3)
	require.NoError(t, err)
	assert.True(t, rw.ReadsSeeWrites())
	assert.True(t, rw.WritesConflict(), "W > N/2: two write quorums meet too")

	res, err := RunRegister(5, StaleRead())
	require.NoError(t, err)
	read := res[2]
	// The read meets the second write in one replica only: the newest
	// version is x=2, but most replies still hold x=1.
	assert.Equal(t, "x=2", read.Newest.Value)
	assert.Equal(t, "x=1", read.MostCommon.Value)
	assert.Equal(t, 2, read.Replies[2].Version)

	res, err = RunRegister(5, NewThenOld())
	require.NoError(t, err)
	require.Len(t, res, 6)
	// A write in progress has reached replica 4 only. Read A sees it, the
	// later read B does not: new, then old — not linearizable, although
	// both reads are quorum reads with R + W > N.
	assert.Equal(t, "x=3", res[4].Newest.Value)
	assert.Equal(t, "x=2", res[5].Newest.Value)
	h, rows := RegisterRows(res)
	assert.Len(t, rows, 6)
	assert.Len(t, rows[0], len(h))
	assert.Equal(t, "x=3", rows[4][4])
	assert.Contains(t, res[5].Description, "newest x=2")
}

func TestRegisterRules(t *testing.T) {
	assert.Equal(t, Reply{}, Newest(nil))
	a := Reply{Replica: 0, Version: 2, Writer: 1, Value: "a"}
	b := Reply{Replica: 1, Version: 2, Writer: 2, Value: "b"}
	c := Reply{Replica: 2, Version: 1, Writer: 9, Value: "c"}
	assert.True(t, Newer(b, a), "same version: the higher writer wins")
	assert.True(t, Newer(a, c), "a higher version wins whatever the writer")
	assert.Equal(t, "b", Newest([]Reply{a, b, c}).Value)
	assert.Equal(t, "c", MostCommon([]Reply{c, a, c}).Value)
	assert.Equal(t, "b", MostCommon([]Reply{a, b}).Value, "a tie goes to the newer")
}

func TestRegisterErrors(t *testing.T) {
	_, err := NewRegister(0)
	assert.Error(t, err)
	_, err = NewRegister(MaxReplicas + 1)
	assert.Error(t, err)
	r, err := NewRegister(3)
	require.NoError(t, err)
	assert.Equal(t, 3, r.N())
	assert.ErrorContains(t, r.Write([]int{3}, 1, 0, "x"), "replica 3")
	assert.ErrorContains(t, r.Write([]int{0, 0}, 1, 0, "x"), "twice")
	assert.ErrorContains(t, r.Write(nil, 1, 0, "x"), "no replicas")
	assert.ErrorContains(t, r.Write([]int{0}, 0, 0, "x"), "version")
	_, err = r.Read([]int{-1})
	assert.Error(t, err)
	// An older write never overwrites a newer one.
	require.NoError(t, r.Write([]int{0}, 5, 0, "new"))
	require.NoError(t, r.Write([]int{0}, 4, 3, "old"))
	got, err := r.Read([]int{0})
	require.NoError(t, err)
	assert.Equal(t, "new", got[0].Value)
	var zero Register
	assert.Error(t, zero.Write([]int{0}, 1, 0, "x"))
	_, err = zero.Read([]int{0})
	assert.Error(t, err)
	_, err = RunRegister(3, []QuorumStep{{What: "delete"}})
	assert.Error(t, err)
}

// The notebook's cell shows GrantVote and CountVote; the default
// configuration uses them, and their transcript is the one the notebook
// prints.
func TestDefaultHandlersAreTheLibrarys(t *testing.T) {
	a := DefaultElection()
	a.Trace = true
	b := a
	b.Handlers = VoteHandlers{RequestVote: GrantVote, Vote: CountVote}
	ra, err := Election(a, 1e9)
	require.NoError(t, err)
	rb, err := Election(b, 1e9)
	require.NoError(t, err)
	assert.Equal(t, ra.Transcript, rb.Transcript)
	runs, err := Partition(DefaultPartition())
	require.NoError(t, err)
	for _, r := range runs {
		assert.Empty(t, r.TwoLeaders, "%s: at most one leader per term, even without quorums the terms differ", r.Rule)
	}
}
