package netsim

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShiVizPingPong(t *testing.T) {
	a, b := pingPong(1)
	s := newSim(t, Config{DefaultLink: Link{Delay: Const(Millisecond)}}, NodeID("A"), a, NodeID("B"), b)
	require.NoError(t, s.Run(Forever))
	var buf bytes.Buffer
	require.NoError(t, s.Trace().WriteShiViz(&buf))
	// Vector clocks worked out by hand.
	want := ShiVizRegex + "\n\n" +
		`A {"A":1} 0.000ms A start
A {"A":2} 0.000ms A->B send #1 "ping"
B {"B":1} 0.000ms B start
B {"A":2,"B":2} 1.000ms A->B deliver #1 "ping"
B {"A":2,"B":3} 1.000ms B->A send #2 "pong"
A {"A":3,"B":3} 2.000ms B->A deliver #2 "pong"
`
	assert.Equal(t, want, buf.String())
}

// TestShiVizClocksMatchHappensBefore parses the ShiViz output with the
// documented regex and checks, for every pair of events, that the vector
// clock order equals reachability in the event graph (program order plus
// send->deliver edges), computed by brute force.
func TestShiVizClocksMatchHappensBefore(t *testing.T) {
	cfg := Config{Seed: 8, DefaultLink: Link{Loss: 0.2, Duplicate: 0.1, Reorder: 0.5, Delay: Uniform(Millisecond, 4*Millisecond)}}
	s := newSim(t, cfg)
	for _, id := range []NodeID{"A", "B", "C"} {
		require.NoError(t, s.AddNode(id, chatter(3)))
	}
	require.NoError(t, s.At(20*Millisecond).Crash("C"))
	require.NoError(t, s.Run(40*Millisecond))
	var buf bytes.Buffer
	require.NoError(t, s.Trace().WriteShiViz(&buf))
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Equal(t, ShiVizRegex, lines[0])
	require.Equal(t, "", lines[1])
	// ShiViz uses (?<name>); Go's regexp wants (?P<name>).
	re := regexp.MustCompile("^" + strings.ReplaceAll(ShiVizRegex, "(?<", "(?P<") + "$")
	type ev struct {
		host  string
		clock map[string]uint64
		rec   string
	}
	var evs []ev
	for _, l := range lines[2:] {
		m := re.FindStringSubmatch(l)
		require.NotNil(t, m, "line does not match the regex: %q", l)
		var c map[string]uint64
		require.NoError(t, json.Unmarshal([]byte(m[re.SubexpIndex("clock")]), &c), l)
		evs = append(evs, ev{m[re.SubexpIndex("host")], c, m[re.SubexpIndex("event")]})
	}
	require.Greater(t, len(evs), 100)
	// Event graph: program order per host, and send -> each delivery.
	n := len(evs)
	succ := make([][]int, n)
	last := map[string]int{}
	count := map[string]uint64{}
	sendOf := map[string]int{}
	for i, e := range evs {
		if p, ok := last[e.host]; ok {
			succ[p] = append(succ[p], i)
		}
		last[e.host] = i
		f := strings.Fields(e.rec)
		switch f[2] {
		case "send":
			sendOf[f[3]] = i
		case "deliver":
			p, ok := sendOf[f[3]]
			require.True(t, ok, "delivery without send: %s", e.rec)
			succ[p] = append(succ[p], i)
		}
		// The host's own entry counts its events from 1.
		count[e.host]++
		require.Equal(t, count[e.host], e.clock[e.host], e.rec)
	}
	reach := func(from int) []bool {
		seen := make([]bool, n)
		stack := []int{from}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, w := range succ[v] {
				if !seen[w] {
					seen[w] = true
					stack = append(stack, w)
				}
			}
		}
		return seen
	}
	leq := func(a, b map[string]uint64) bool {
		for k, v := range a {
			if v > b[k] {
				return false
			}
		}
		return true
	}
	for i := range evs {
		r := reach(i)
		for j := range evs {
			if i == j {
				continue
			}
			hb := leq(evs[i].clock, evs[j].clock)
			require.Equal(t, r[j], hb, "event %d %q vs %d %q (seed 8)", i, evs[i].rec, j, evs[j].rec)
		}
	}
}

func TestSpaceTime(t *testing.T) {
	a, b := pingPong(1)
	s := newSim(t, Config{DefaultLink: Link{Delay: Const(Millisecond)}}, NodeID("A"), a, NodeID("B"), b)
	require.NoError(t, s.At(1500*Microsecond).Crash("A"))
	require.NoError(t, s.Run(Forever))
	st := s.Trace().SpaceTime()
	assert.Equal(t, []NodeID{"A", "B"}, st.Nodes)
	var got []string
	for _, e := range st.Events {
		got = append(got, strings.TrimSpace(strings.Join([]string{string(e.Node), e.Time.String(), e.Op.String(), e.Label, string(e.From), func() string {
			if e.Op == OpDeliver || e.Op == OpDrop {
				return e.SentAt.String() + " " + e.Reason.String()
			}
			return ""
		}()}, " ")))
	}
	want := []string{
		"A 0.000ms start",
		`A 0.000ms send "ping"`,
		"B 0.000ms start",
		`B 1.000ms deliver "ping" A 0.000ms`,
		`B 1.000ms send "pong"`,
		"A 1.500ms crash",
		`A 2.000ms drop "pong" B 1.000ms crashed`,
	}
	assert.Equal(t, want, got)
}
