package netsim

import (
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// historyTrace is a hand-written trace with every case History treats
// specially: a network duplicate, a loss at send time, a drop at a
// crashed receiver, a timer, a crash and a restart, records that are not
// drawn, and a message to a third node.
func historyTrace() Trace {
	ms := Millisecond
	return Trace{
		{Time: 0, Op: OpStart, Node: "A"},
		{Time: 1 * ms, Op: OpSend, Node: "A", From: "A", To: "B", ID: 1, Msg: "ping"},
		{Time: 3 * ms, Op: OpDeliver, Node: "B", From: "A", To: "B", ID: 1, Msg: "ping", Sent: 1 * ms},
		{Time: 3 * ms, Op: OpDuplicate, Node: "A", From: "A", To: "B", ID: 1, Msg: "ping"},
		{Time: 4 * ms, Op: OpDeliver, Node: "B", From: "A", To: "B", ID: 1, Msg: "ping", Sent: 1 * ms},
		{Time: 5 * ms, Op: OpSend, Node: "A", From: "A", To: "B", ID: 2, Msg: "ping"},
		{Time: 5 * ms, Op: OpDrop, Node: "A", From: "A", To: "B", ID: 2, Msg: "ping", Reason: DropLoss, Sent: 5 * ms},
		{Time: 6 * ms, Op: OpCrash, Node: "B"},
		{Time: 7 * ms, Op: OpSend, Node: "A", From: "A", To: "B", ID: 3, Msg: "ping"},
		{Time: 7 * ms, Op: OpSetTimer, Node: "A", ID: 1, Msg: "retry", Due: 10 * ms},
		{Time: 9 * ms, Op: OpDrop, Node: "B", From: "A", To: "B", ID: 3, Msg: "ping", Reason: DropCrashed, Sent: 7 * ms},
		{Time: 10 * ms, Op: OpTimer, Node: "A", ID: 1, Msg: "retry"},
		{Time: 12 * ms, Op: OpRestart, Node: "B"},
		{Time: 13 * ms, Op: OpSend, Node: "A", From: "A", To: "C", ID: 4, Msg: "hi"},
		{Time: 14 * ms, Op: OpDeliver, Node: "C", From: "A", To: "C", ID: 4, Msg: "hi", Sent: 13 * ms},
		{Time: 15 * ms, Op: OpChange, Text: "heal"},
		{Time: 15 * ms, Op: OpNote, Node: "A", Text: "done"},
	}
}

func TestTraceHistory(t *testing.T) {
	h, labels, err := historyTrace().History(HistoryOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B", "C"}, h.Nodes, "every node, in order of first appearance")
	assert.Equal(t, []string{"send", "recv", "dup", "send", "CRASH", "send", "dropped (crashed)", "timer", "restart", "send", "recv"}, labels)
	var kinds []history.Kind
	var nodes []int
	var times []float64
	for _, e := range h.Events {
		kinds = append(kinds, e.Kind)
		nodes = append(nodes, e.Node)
		times = append(times, e.Time)
	}
	S, R, L := history.Send, history.Receive, history.Local
	assert.Equal(t, []history.Kind{S, R, L, S, L, S, R, L, L, S, R}, kinds)
	assert.Equal(t, []int{0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 2}, nodes)
	assert.Equal(t, []float64{1, 3, 4, 5, 6, 7, 9, 10, 12, 13, 14}, times, "milliseconds")
	require.Len(t, h.Messages, 4)
	assert.Equal(t, 1, h.Messages[0].Receive)
	assert.Equal(t, -1, h.Messages[1].Receive, "lost when sent: a stub")
	assert.Equal(t, 6, h.Messages[2].Receive, "dropped at the crashed receiver: it travelled")
	assert.Equal(t, 10, h.Messages[3].Receive)
}

func TestTraceHistoryOptions(t *testing.T) {
	opt := HistoryOptions{
		Lanes: []Lane{{Node: "B", Name: "server"}, {Node: "A", Name: "client"}},
		Label: func(r Record) string { return r.Op.String() },
		Skip:  func(r Record) bool { return r.Op == OpTimer },
		Unit:  Microsecond,
	}
	h, labels, err := historyTrace().History(opt)
	require.NoError(t, err)
	assert.Equal(t, []string{"server", "client"}, h.Nodes)
	assert.Equal(t, []string{"send", "deliver", "dup", "send", "crash", "send", "dropped (crashed)", "restart"}, labels,
		"no timer, no message to C; the duplicate and the drop keep their labels")
	assert.Len(t, h.Messages, 3)
	assert.Equal(t, 1000.0, h.Events[0].Time, "microseconds")
	assert.Equal(t, 1, h.Events[0].Node, "client is the second line")
}

// Several traces in one history, each on its own lanes.
func TestAppendHistory(t *testing.T) {
	tr := historyTrace()
	b := history.NewBuilder("1: A", "1: B", "2: A", "2: B")
	var labels []string
	var err error
	for _, run := range []string{"1", "2"} {
		lanes := []Lane{{"A", run + ": A"}, {"B", run + ": B"}}
		labels, err = tr.AppendHistory(b, labels, HistoryOptions{Lanes: lanes})
		require.NoError(t, err)
	}
	h, err := b.Build()
	require.NoError(t, err)
	assert.Len(t, labels, len(h.Events))
	assert.Len(t, h.Events, 2*9)
	assert.Equal(t, 2, h.Events[9].Node, "the second run starts on its own lanes")
	assert.Equal(t, history.HappenedBefore, h.Relate(0, 1))
	assert.Equal(t, history.Concurrent, h.Relate(0, 9))
}

func TestTraceHistoryErrors(t *testing.T) {
	tr := historyTrace()
	for _, tc := range []struct {
		name string
		tr   Trace
		opt  HistoryOptions
		want string
	}{
		{"no nodes", Trace{{Op: OpChange, Text: "heal"}}, HistoryOptions{}, "netsim: History of a trace without nodes"},
		{"two lanes", tr, HistoryOptions{Lanes: []Lane{{"A", "x"}, {"A", "y"}}}, `netsim: node "A" has two lanes`},
		{"negative unit", tr, HistoryOptions{Unit: -Millisecond}, "netsim: history time unit -1.000ms is negative"},
		{"same name", tr, HistoryOptions{Lanes: []Lane{{"A", "x"}, {"B", "x"}}}, `netsim: converting trace to history: history: duplicate node name "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tc.tr.History(tc.opt)
			assert.EqualError(t, err, tc.want)
		})
	}
	_, err := tr.AppendHistory(history.NewBuilder("A"), nil, HistoryOptions{})
	assert.EqualError(t, err, "netsim: AppendHistory needs at least one lane")
}
