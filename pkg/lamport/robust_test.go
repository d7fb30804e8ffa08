package lamport

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/internal/probe"
)

// inconsistent is a hand-built history whose message is received before
// it is sent (the probe of issue 12 crashed Replay with it).
func inconsistent() *history.History {
	return &history.History{
		Nodes: []string{"A", "B"},
		Events: []history.Event{
			{ID: 0, Node: 1, Kind: history.Receive, Msg: 0, Peer: 0},
			{ID: 1, Node: 0, Kind: history.Send, Msg: 0, Peer: 1},
		},
		Messages: []history.Message{{From: 0, To: 1, Send: 1, Receive: 0}},
	}
}

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "lamport: " or the correct result.
func TestBadInputsProbe(t *testing.T) {
	two, err := history.NewBuilder("A", "B").Local("A", "a").Local("B", "b").Build()
	require.NoError(t, err)
	probe.Run(t, "lamport", []probe.Case{
		{"Replay of a receive before its send", func() error { _, err := Replay(inconsistent()); return err }, "cannot replay an invalid history: history: message 0 is received before it is sent"},
		{"Replay of an event on an unknown node", func() error {
			_, err := Replay(&history.History{Nodes: []string{"A"}, Events: []history.Event{{ID: 0, Node: 3}}})
			return err
		}, "event 0 on unknown node 3"},
		{"Replay of a message that does not exist", func() error {
			_, err := Replay(&history.History{Nodes: []string{"A"}, Events: []history.Event{{ID: 0, Node: 0, Kind: history.Receive, Msg: 9}}})
			return err
		}, "unknown message 9"},
		{"a rule that jumps to the maximum, then a local event", func() error {
			b := history.NewBuilder("A", "B")
			m := b.Send("A", "B", "s")
			b.Receive(m, "r").Local("B", "after")
			h, err := b.Build()
			require.NoError(t, err)
			_, err = ReplayWith(h, func(Timestamp, Timestamp) Timestamp { return MaxTimestamp })
			return err
		}, "the counter of node B would pass 18446744073709551615 at event after"},
		{"a rule that panics", func() error {
			b := history.NewBuilder("A", "B")
			m := b.Send("A", "B", "s")
			b.Receive(m, "r")
			h, err := b.Build()
			require.NoError(t, err)
			_, err = ReplayWith(h, func(Timestamp, Timestamp) Timestamp { panic("rule") })
			return err
		}, "the receive rule panicked at event r: rule"},
		{"Stamp on a zero Run", func() error { var r Run; _, err := r.Stamp("a"); return err }, "zero Run"},
		{"Less(-1, 999) is false", func() error {
			r, err := Replay(two)
			if err == nil {
				assert.False(t, r.Less(-1, 999))
				assert.False(t, r.Less(0, 999))
				assert.False(t, r.TotalLess(-1, 0))
				assert.True(t, r.TotalLess(0, 1), "A's event before B's at equal stamps")
			}
			return err
		}, ""},
		{"a zero Run answers without crashing", func() error {
			var r Run
			assert.False(t, r.Less(0, 1))
			assert.Equal(t, "[]", r.State(0))
			_, rows := r.Table()
			assert.Empty(t, rows)
			assert.Empty(t, r.ClockConditionViolations())
			assert.Empty(t, r.Misleading())
			return nil
		}, ""},
	})
}

// The counter saturates instead of wrapping to 0, and says so.
func TestClockSaturates(t *testing.T) {
	var c Clock
	assert.Equal(t, MaxTimestamp, c.Receive(MaxTimestamp-1))
	require.NoError(t, c.Err())
	assert.Equal(t, MaxTimestamp, c.Local(), "not 0")
	assert.Equal(t, MaxTimestamp, c.Send())
	assert.Equal(t, MaxTimestamp, c.Receive(MaxTimestamp))
	assert.ErrorContains(t, c.Err(), "lamport: counter reached its maximum")
}

// FuzzReplayWith: any random history and any rule of the form
// max(own, msg) + k replays without crashing; with k ≥ 1 the clock
// condition holds.
func FuzzReplayWith(f *testing.F) {
	f.Add(3, 40, 0.5, uint64(1), uint64(1))
	f.Add(1, 0, 0.0, uint64(2), uint64(0))
	f.Add(26, 300, 1.0, uint64(3), uint64(1<<63))
	f.Fuzz(func(t *testing.T, nodes, events int, p float64, seed, k uint64) {
		if events > 300 {
			events %= 300
		}
		h, err := history.Random(history.RandomConfig{Nodes: nodes, Events: events, SendProb: p, Seed: seed})
		if err != nil {
			return
		}
		r, err := ReplayWith(h, func(own, msg Timestamp) Timestamp { return max(own, msg) + Timestamp(k) })
		if err != nil {
			if !strings.HasPrefix(err.Error(), "lamport: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if k >= 1 && k < 1<<32 && len(r.ClockConditionViolations()) > 0 {
			t.Fatalf("rule +%d violates the clock condition", k)
		}
	})
}
