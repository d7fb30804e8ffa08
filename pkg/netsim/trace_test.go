package netsim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// threeSends: A sends to B at 0, 1 and 2 ms, each taking 2 ms; B crashes
// at 3.5 ms, so the third message is dropped on arrival at 4 ms.
func threeSends(t *testing.T) Trace {
	sim, err := New(Config{DefaultLink: Link{Delay: Const(2 * Millisecond)}})
	require.NoError(t, err)
	require.NoError(t, sim.AddNode("A", NodeFunc(func(ctx *Context, ev Event) {
		if ev.Kind == Start || ev.Kind == Timer {
			ctx.Send("B", "m")
			if ctx.Now() < 2*Millisecond {
				ctx.SetTimer(Millisecond, "next")
			}
		}
	})))
	require.NoError(t, sim.AddNode("B", NodeFunc(func(*Context, Event) {})))
	require.NoError(t, sim.At(3500*Microsecond).Crash("B"))
	require.NoError(t, sim.Run(Forever))
	return sim.Trace()
}

func TestArrivingAfter(t *testing.T) {
	tr := threeSends(t)
	id := func(sentAt Time) uint64 {
		for _, r := range tr {
			if r.Op == OpSend && r.Time == sentAt {
				return r.ID
			}
		}
		t.Fatalf("no send at %v", sentAt)
		return 0
	}
	m0, m1, m2 := id(0), id(Millisecond), id(2*Millisecond)
	assert.Equal(t, map[uint64]bool{m0: true}, tr.ArrivingAfter(500*Microsecond), "m1 is not sent yet")
	assert.Equal(t, map[uint64]bool{m0: true, m1: true}, tr.ArrivingAfter(Millisecond), "m1 is sent at that instant")
	assert.Equal(t, map[uint64]bool{m2: true}, tr.ArrivingAfter(3*Millisecond), "a drop on arrival counts")
	assert.Empty(t, tr.ArrivingAfter(4*Millisecond))
	assert.Empty(t, tr.ArrivingAfter(-1), "nothing is sent before the start")
}

func TestHead(t *testing.T) {
	tr := threeSends(t)
	require.Greater(t, len(tr), 3)
	assert.Equal(t, tr.String(), tr.Head(0))
	assert.Equal(t, tr.String(), tr.Head(len(tr)))
	head := tr.Head(3)
	lines := strings.Split(strings.TrimSuffix(head, "\n"), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, tr[:3].String(), head[:len(head)-len("...\n")])
	assert.Equal(t, "...", lines[3])
}

func TestLanes(t *testing.T) {
	assert.Equal(t, []Lane{{Node: "A"}, {Node: "C"}, {Node: "B"}}, Lanes("A", "C", "B"))
	assert.Empty(t, Lanes())
	h, _, err := threeSends(t).History(HistoryOptions{Lanes: Lanes("B", "A")})
	require.NoError(t, err)
	assert.Equal(t, []string{"B", "A"}, h.Nodes, "in the order given, named by ID")
}
