package history

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/internal/probe"
)

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "history: " or the correct result.
func TestBadInputsProbe(t *testing.T) {
	probe.Run(t, "history", []probe.Case{
		{"At(NaN)", func() error { b := NewBuilder("A"); b.Local("A", "a").At(math.NaN()); _, err := b.Build(); return err }, "At(NaN) for event 0: the time must be a finite number"},
		{"At(+Inf)", func() error { b := NewBuilder("A"); b.Local("A", "a").At(math.Inf(1)); _, err := b.Build(); return err }, "At(+Inf)"},
		{"Random too many events", func() error { _, err := Random(RandomConfig{Nodes: 3, Events: MaxRandomEvents + 1}); return err }, "0..100000 events"},
		{"Validate a nil history", func() error { var h *History; return h.Validate() }, "nil history"},
		{"Validate a receive before its send", func() error { return inconsistent().Validate() }, "message 0 is received before it is sent"},
		{"CheckOrder with too many items", func() error { _, err := CheckOrder(MaxCheckOrder+1, func(a, b int) bool { return a < b }); return err }, "at most 1000"},
		{"CheckOrder with a relation that panics", func() error {
			_, err := CheckOrder(3, func(a, b int) bool {
				if b == 2 {
					panic("no")
				}
				return a < b
			})
			return err
		}, "the relation panicked on (0, 2): no"},
		{"HappensBefore on the largest random history", func() error {
			h, err := Random(RandomConfig{Nodes: MaxRandomNodes, Events: MaxRandomEvents, SendProb: 0.5, Seed: 1})
			if err != nil {
				return err
			}
			m := h.Messages[len(h.Messages)/2]
			if m.Receive >= 0 {
				assert.True(t, h.HappensBefore(m.Send, m.Receive))
			}
			assert.True(t, h.HappensBefore(0, h.EventsOf(h.Events[0].Node)[1]))
			assert.LessOrEqual(t, 4*len(h.hb.seen), MaxReachBytes, "the table stays within its budget")
			return nil
		}, ""},
	})
}

// inconsistent is a hand-built history whose message is received before
// it is sent.
func inconsistent() *History {
	return &History{
		Nodes: []string{"A", "B"},
		Events: []Event{
			{ID: 0, Node: 1, Kind: Receive, Msg: 0, Peer: 0},
			{ID: 1, Node: 0, Kind: Send, Msg: 0, Peer: 1},
		},
		Messages: []Message{{From: 0, To: 1, Send: 1, Receive: 0}},
	}
}

// An invalid history orders nothing rather than crashing.
func TestInvalidHistoryOrdersNothing(t *testing.T) {
	h := inconsistent()
	assert.False(t, h.HappensBefore(1, 0))
	assert.False(t, h.HappensBefore(0, 1))
	assert.Equal(t, Concurrent, h.Relate(0, 1))
	h = &History{Nodes: []string{"A"}, Events: []Event{{ID: 0, Node: 5}}}
	assert.False(t, h.HappensBefore(0, 0))
}

// reachable is the oracle: plain breadth-first search of the event graph.
func reachable(h *History, a, b int) bool {
	next := func(e int) []int {
		var out []int
		for f := e + 1; f < len(h.Events); f++ {
			if h.Events[f].Node == h.Events[e].Node {
				out = append(out, f)
				break
			}
		}
		if h.Events[e].Kind == Send && h.Messages[h.Events[e].Msg].Receive >= 0 {
			out = append(out, h.Messages[h.Events[e].Msg].Receive)
		}
		return out
	}
	seen := map[int]bool{a: true}
	queue := []int{a}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		for _, f := range next(e) {
			if f == b {
				return true
			}
			if !seen[f] {
				seen[f] = true
				queue = append(queue, f)
			}
		}
	}
	return false
}

// Both ways of answering HappensBefore (the table and, past the memory
// budget, the search) agree with breadth-first search.
func TestHappensBeforeMatchesSearch(t *testing.T) {
	defer func(old int64) { reachBudget = old }(reachBudget)
	for _, budget := range []int64{MaxReachBytes, 0} {
		reachBudget = budget
		for seed := uint64(0); seed < 20; seed++ {
			h, err := Random(RandomConfig{Nodes: 4, Events: 60, SendProb: 0.4, Seed: seed})
			require.NoError(t, err)
			for a := range h.Events {
				for b := range h.Events {
					require.Equal(t, reachable(h, a, b), h.HappensBefore(a, b), "budget %d seed %d: %d -> %d", budget, seed, a, b)
				}
			}
		}
	}
}

// FuzzBuilder drives a Builder with arbitrary steps: it either reports
// the first mistake or builds a valid history whose messages are ordered.
func FuzzBuilder(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5}, 1.5)
	f.Add([]byte{1, 1, 2, 2, 9, 200}, math.NaN())
	f.Add([]byte{}, 0.0)
	f.Fuzz(func(t *testing.T, steps []byte, at float64) {
		names := []string{"A", "B", "C"}
		b := NewBuilder(names...)
		var msgs []Msg
		for i, s := range steps {
			node := names[int(s)%3]
			switch s % 5 {
			case 0:
				b.Local(node, "")
			case 1:
				msgs = append(msgs, b.Send(node, names[int(s/5)%3], ""))
			case 2:
				if len(msgs) > 0 {
					b.Receive(msgs[int(s/5)%len(msgs)], "")
				} else {
					b.Receive(Msg(s), "")
				}
			case 3:
				b.At(at * float64(i))
			case 4:
				b.Local("Z", "") // unknown node
			}
		}
		h, err := b.Build()
		if err != nil {
			if !strings.HasPrefix(err.Error(), "history: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if err := h.Validate(); err != nil {
			t.Fatalf("Build returned an invalid history: %v", err)
		}
		for _, m := range h.Messages {
			if m.Receive >= 0 && !h.HappensBefore(m.Send, m.Receive) {
				t.Fatalf("send %d does not happen before its receive %d", m.Send, m.Receive)
			}
		}
	})
}
