package hlc

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/internal/probe"
)

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "hlc: " or the correct result.
func TestBadInputsProbe(t *testing.T) {
	probe.Run(t, "hlc", []probe.Case{
		{"receive a message whose counter is at the maximum", func() error {
			var c Clock
			m := Timestamp{L: 5, C: MaxCounter}
			got, err := c.Receive(m, 1)
			assert.Equal(t, Timestamp{}, c.Now(), "the clock is unchanged")
			assert.False(t, Less(got, m) && err == nil, "never a receive stamp below the message's")
			return err
		}, "would take the counter past its maximum 4294967295"},
		{"local events with a stopped physical clock", func() error {
			c := Clock{ts: Timestamp{L: 7, C: MaxCounter - 1}}
			_, err := c.Local(7)
			require.NoError(t, err)
			_, err = c.Local(7)
			assert.Equal(t, Timestamp{L: 7, C: MaxCounter}, c.Now())
			return err
		}, "counter at its maximum 4294967295"},
		{"the physical clock moving on resets the counter", func() error {
			c := Clock{ts: Timestamp{L: 7, C: MaxCounter}}
			ts, err := c.Local(8)
			assert.Equal(t, Timestamp{L: 8}, ts)
			return err
		}, ""},
		{"Replay of a receive before its send", func() error {
			h := &history.History{
				Nodes: []string{"A", "B"},
				Events: []history.Event{
					{ID: 0, Node: 1, Kind: history.Receive, Msg: 0, Peer: 0},
					{ID: 1, Node: 0, Kind: history.Send, Msg: 0, Peer: 1},
				},
				Messages: []history.Message{{From: 0, To: 1, Send: 1, Receive: 0}},
			}
			_, err := Replay(h, func(int) time.Duration { return 0 })
			return err
		}, "cannot replay an invalid history"},
		{"Replay with a physical clock that panics", func() error {
			h, err := history.NewBuilder("A").Local("A", "a").Local("A", "b").Build()
			require.NoError(t, err)
			_, err = Replay(h, func(e int) time.Duration {
				if e == 1 {
					panic("clock")
				}
				return 0
			})
			return err
		}, "the physical clock function panicked at event b: clock"},
	})
}

// FuzzReceive: a receive either fails and leaves the clock unchanged, or
// gives a stamp above both the clock's last one and the message's.
func FuzzReceive(f *testing.F) {
	f.Add(int64(10), uint32(3), int64(12), uint32(1), int64(11))
	f.Add(int64(5), uint32(MaxCounter), int64(5), uint32(MaxCounter), int64(0))
	f.Add(int64(-1<<63), uint32(0), int64(1<<63-1), uint32(MaxCounter), int64(-5))
	f.Fuzz(func(t *testing.T, l int64, cc uint32, ml int64, mc uint32, pt int64) {
		c := Clock{ts: Timestamp{L: time.Duration(l), C: cc}}
		before := c.Now()
		m := Timestamp{L: time.Duration(ml), C: mc}
		got, err := c.Receive(m, time.Duration(pt))
		if err != nil {
			if c.Now() != before {
				t.Fatalf("failed receive changed the clock from %v to %v", before, c.Now())
			}
			return
		}
		if !Less(before, got) || !Less(m, got) || got.L < time.Duration(pt) {
			t.Fatalf("receive of %v at %v by %v gave %v", m, pt, before, got)
		}
	})
}
