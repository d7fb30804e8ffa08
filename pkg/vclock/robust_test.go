package vclock

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/internal/probe"
)

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "vclock: " or the correct result.
func TestBadInputsProbe(t *testing.T) {
	const maxU = uint64(math.MaxUint64)
	probe.Run(t, "vclock", []probe.Case{
		{"zero Clock: Local", func() error {
			var c Clock
			assert.Nil(t, c.Local())
			assert.Nil(t, c.Send())
			assert.Nil(t, c.Now())
			return c.Err()
		}, "zero Clock, create one with NewClock"},
		{"zero Clock: Receive", func() error { var c Clock; _, err := c.Receive(VC{1}); return err }, "zero Clock"},
		{"Receive a message at the maximum", func() error {
			c, err := NewClock(2, 1)
			require.NoError(t, err)
			_, err = c.Receive(VC{0, maxU})
			assert.Equal(t, VC{0, 0}, c.Now(), "the clock is unchanged")
			return err
		}, "would take entry 1 past its maximum 18446744073709551615"},
		{"Local at the maximum saturates", func() error {
			c, err := NewClock(2, 0)
			require.NoError(t, err)
			_, err = c.Receive(VC{maxU - 1, 0})
			require.NoError(t, err)
			assert.Equal(t, VC{maxU, 0}, c.Now())
			require.NoError(t, c.Err())
			assert.Equal(t, VC{maxU, 0}, c.Local(), "not [0,0]")
			return c.Err()
		}, "entry 0 reached its maximum"},
		{"Replay of a receive before its send", func() error {
			h := &history.History{
				Nodes: []string{"A", "B"},
				Events: []history.Event{
					{ID: 0, Node: 1, Kind: history.Receive, Msg: 0, Peer: 0},
					{ID: 1, Node: 0, Kind: history.Send, Msg: 0, Peer: 1},
				},
				Messages: []history.Message{{From: 0, To: 1, Send: 1, Receive: 0}},
			}
			_, err := Replay(h)
			return err
		}, "cannot replay an invalid history"},
		{"a rule that jumps to the maximum, then a local event", func() error {
			b := history.NewBuilder("A", "B")
			m := b.Send("A", "B", "s")
			b.Receive(m, "r").Local("B", "after")
			h, err := b.Build()
			require.NoError(t, err)
			_, err = ReplayWith(h, func(own, msg VC, self int) VC { own[self] = maxU; return own })
			return err
		}, "entry 1 of node B would pass 18446744073709551615 at event after"},
		{"a rule that panics", func() error {
			b := history.NewBuilder("A", "B")
			m := b.Send("A", "B", "s")
			b.Receive(m, "r")
			h, err := b.Build()
			require.NoError(t, err)
			_, err = ReplayWith(h, func(own, msg VC, self int) VC { return own[:self+5] })
			return err
		}, "the receive rule panicked at event r"},
		{"a zero Run answers without crashing", func() error {
			var r Run
			assert.Equal(t, Equal, r.Compare(-1, 999))
			assert.False(t, r.Less(-1, 999))
			_, rows := r.Table()
			assert.Empty(t, rows)
			assert.Empty(t, r.Disagreements())
			assert.Equal(t, "[]", r.Label(3))
			_, err := r.Stamp("x")
			return err
		}, "zero Run"},
	})
}

// FuzzClockReceive: receiving any vector either fails and leaves the
// clock as it was, or gives a vector above both the old clock and the
// message.
func FuzzClockReceive(f *testing.F) {
	f.Add(3, 1, "[1,0,2]")
	f.Add(2, 0, "[18446744073709551615,0]")
	f.Add(1, 0, "[1,2,3]")
	f.Fuzz(func(t *testing.T, n, self int, msg string) {
		c, err := NewClock(n%64, self)
		if err != nil {
			return
		}
		m, err := Parse(msg)
		if err != nil {
			return
		}
		before := c.Now()
		got, err := c.Receive(m)
		if err != nil {
			if Compare(before, c.Now()) != Equal {
				t.Fatalf("failed Receive changed the clock from %v to %v", before, c.Now())
			}
			return
		}
		if Compare(before, got) != Before || !(Compare(m, got) == Before) {
			t.Fatalf("receive of %v at %v gave %v", m, before, got)
		}
	})
}
