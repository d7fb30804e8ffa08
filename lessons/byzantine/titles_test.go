package byzantine

import (
	"testing"

	bz "github.com/dslessons/course/pkg/byzantine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkthroughTitleFollowsConfig(t *testing.T) {
	for _, c := range []struct {
		traitors []int
		s        bz.Strategy
		want     string
	}{
		{[]int{3}, bz.Liar{}, "OM(1), n=4: lieutenant 3 reverses what it relays"},
		{[]int{0}, bz.TwoFaced{}, "OM(1), n=4: commander 0 tells even generals Attack, odd Retreat"},
		{[]int{3}, bz.Silent{}, "OM(1), n=4: lieutenant 3 stays silent"},
		{[]int{1, 3}, bz.Liar{}, "OM(1), n=4: lieutenant 1 and lieutenant 3 reverse what they relay"},
		{nil, bz.Liar{}, "OM(1), n=4: all generals loyal"},
	} {
		cfg := DefaultWalkthrough()
		cfg.Traitors, cfg.Strategy = c.traitors, c.s
		w, err := Walkthrough(cfg)
		require.NoError(t, err)
		assert.Equal(t, c.want, w.Title())
	}
}

// 108 384 for n=13, m=4 is the paper's sum, worked out by hand in the
// notebook: 12 + 12·11 + 12·11·10 + 12·11·10·9 + 12·11·10·9·8.
func TestMessageSummary(t *testing.T) {
	s, err := MessageSummary(bz.Config{N: 13, M: 4, Order: bz.Attack})
	require.NoError(t, err)
	assert.Equal(t, "n=13, m=4: 108384 messages sent; formula: 108384", s)
	s, err = MessageSummary(bz.Config{N: 2, M: 0, Order: bz.Attack})
	require.NoError(t, err)
	assert.Equal(t, "n=2, m=0: 1 message sent; formula: 1", s)
	_, err = MessageSummary(bz.Config{N: 1, M: 0, Order: bz.Attack})
	assert.Error(t, err)
}
