package vectorclocks

import (
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/vclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The syllabus example's vectors are known by hand (course notes):
// E1–E4 on A and C, E5–E6 on B and D.
func TestStampRows(t *testing.T) {
	cmp, err := CompareSyllabus()
	require.NoError(t, err)
	run, err := vclock.Replay(cmp.History)
	require.NoError(t, err)
	header, rows, err := StampRows(run)
	require.NoError(t, err)
	assert.Len(t, header, 2)
	require.Len(t, rows, 4)
	assert.Equal(t, "A", rows[0][0])
	assert.Contains(t, rows[0][1], "[1,0,0,0]")
	assert.Contains(t, rows[0][1], "[2,0,2,0]")
	assert.Contains(t, rows[3][1], "[0,1,0,1]")
	// Every event appears exactly once.
	total := 0
	for _, r := range rows {
		total += strings.Count(r[1], "[")
	}
	assert.Equal(t, len(cmp.History.Events), total)
	_, _, err = StampRows(nil)
	assert.Error(t, err)
}
