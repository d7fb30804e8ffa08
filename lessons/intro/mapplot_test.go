package intro

import (
	"bytes"
	"testing"

	"github.com/dslessons/course/pkg/show"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMapPoints(t *testing.T) {
	pts, err := MapPoints()
	require.NoError(t, err)
	// Every lesson appears, in order, at least once; every problem is treated.
	seen := map[int]bool{}
	treated := map[Problem]bool{}
	last := -1
	for _, p := range pts {
		require.GreaterOrEqual(t, p.Lesson, last)
		last = p.Lesson
		seen[p.Lesson] = true
		treated[p.Problem] = true
	}
	assert.Len(t, seen, len(Lessons()))
	for _, p := range Problems() {
		assert.True(t, treated[p], p.String())
	}
	assert.Contains(t, pts, MapPoint{Lesson: 8, Label: "07", Problem: UnreliableTime}) // lab 04 comes before 05
	assert.Contains(t, pts, MapPoint{Lesson: 5, Label: "L04", Problem: UnreliableNetworks})
	p, err := MapPlot()
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, show.WritePNG(&buf, p, show.DefaultWidth, show.DefaultHeight))
}
