package voting

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/quorum"
)

func TestReadWriteGrid(t *testing.T) {
	g, err := ReadWriteGrid(5)
	require.NoError(t, err)
	require.Len(t, g.Cells, 25)
	assert.True(t, g.Agree(), "R+W>N must match the exhaustive check")
	safe, unsafe := RWPoints(g)
	// By hand: R+W > 5 holds for 15 of the 25 pairs (1+5, 2+4..5, 3+3..5, 4+2..5, 5+1..5).
	assert.Len(t, safe, 15)
	assert.Len(t, unsafe, 10)
	assert.Equal(t, "quorums {0,1} and {2,3,4} are disjoint", g.Cells[1*5+2].Exhaustive.String()) // R=2, W=3
	p, err := PlotReadWrite(g)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "N=5")
	// W is at most N: no tick above it (the space above is the legend's).
	ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	require.NotEmpty(t, ticks)
	assert.Equal(t, 5.0, ticks[len(ticks)-1].Value)
	assert.Len(t, g.Rows(), 25)
	_, err = ReadWriteGrid(13)
	assert.Error(t, err)
}

func TestWeightedTable(t *testing.T) {
	r, err := WeightedTable([]int{2, 1, 1})
	require.NoError(t, err)
	require.Len(t, r.Thresholds, 4)
	// By hand, weights 2,1,1 (total 4): t=2 lets {0} and {1,2} both decide;
	// with t=3 the pair {1,2} has too few votes, so every quorum holds
	// node 0 plus one more.
	assert.False(t, r.Thresholds[1].Exhaustive.OK)
	assert.Equal(t, "quorums {0} and {1,2} are disjoint", r.Thresholds[1].Exhaustive.String())
	assert.True(t, r.Thresholds[2].Exhaustive.OK)
	assert.Equal(t, []quorum.Set{quorum.SetOf(0, 1), quorum.SetOf(0, 2)}, r.Thresholds[2].Minimal)
	// Uneven weights where the rule is too cautious: 3,1 with t=2.
	r, err = WeightedTable([]int{3, 1})
	require.NoError(t, err)
	assert.False(t, r.Thresholds[1].Rule)
	assert.True(t, r.Thresholds[1].Exhaustive.OK)
	assert.Contains(t, r.String(), "total 4")
	assert.Contains(t, r.String(), "(1 quorum checked)")
	assert.NotContains(t, r.String(), "1 quorums")
	// The notebook's Try this: weights 5,1,1,1 (total 8). By hand, t=3
	// lets {0} and {1,2,3} both decide; from t=4 every quorum needs node 0
	// (the other three hold only 3 votes), one below the rule's 2t > 8.
	r, err = WeightedTable([]int{5, 1, 1, 1})
	require.NoError(t, err)
	assert.False(t, r.Thresholds[2].Exhaustive.OK)
	assert.True(t, r.Thresholds[3].Exhaustive.OK)
	assert.False(t, r.Thresholds[3].Rule)
	assert.True(t, r.Thresholds[4].Rule)
	n, err := SmallestIntersectingThreshold([]int{5, 1, 1, 1})
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	_, err = WeightedTable([]int{-1})
	assert.Error(t, err)
}

func TestTallies(t *testing.T) {
	cases, err := Tallies()
	require.NoError(t, err)
	want := []quorum.Outcome{quorum.Elected, quorum.Pending, quorum.Split, quorum.Conflict}
	require.Len(t, cases, len(want))
	for i, c := range cases {
		assert.Equal(t, want[i], c.Tally.Outcome, c.Name)
	}
	assert.Equal(t, []int{0, 2}, cases[3].Tally.Winners)
	h, rows := TallyRows(cases)
	assert.Len(t, rows, 4)
	assert.Len(t, rows[0], len(h))
}
