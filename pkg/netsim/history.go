package netsim

import (
	"fmt"

	"github.com/dslessons/course/pkg/history"
)

// Lane draws one node of a trace as one line of a history (and so of a
// space-time diagram).
type Lane struct {
	Node NodeID // the node in the trace
	Name string // the line's name in the history; "" means string(Node)
}

// Lanes returns one lane per node, in order, each named by its ID.
func Lanes(nodes ...NodeID) []Lane {
	out := make([]Lane, len(nodes))
	for i, n := range nodes {
		out[i] = Lane{Node: n}
	}
	return out
}

func (l Lane) name() string {
	if l.Name == "" {
		return string(l.Node)
	}
	return l.Name
}

// HistoryOptions says which records Trace.History draws and how.
type HistoryOptions struct {
	// Lanes lists the nodes to draw, top to bottom. Records of other
	// nodes, and messages to or from them, are left out. Empty means every
	// node of the trace, in order of first appearance.
	Lanes []Lane
	// Label names the event drawn for a send, a first delivery, a fired
	// timer, a crash or a restart. Nil means HistoryLabel.
	Label func(Record) string
	// Skip leaves out the records for which it returns true (for example
	// timers that only model processing time). Nil keeps them all.
	Skip func(Record) bool
	// Unit is the time unit of the history's event times: Time/Unit.
	// 0 means Millisecond.
	Unit Time
}

// HistoryLabel is the default event label of Trace.History: "send",
// "recv", "timer", "CRASH", "restart", or for an output the value
// (`out "a"`).
func HistoryLabel(r Record) string {
	switch r.Op {
	case OpOutput:
		return "out" + string(appendMsg(nil, r.Msg))
	case OpSend:
		return "send"
	case OpDeliver:
		return "recv"
	case OpCrash:
		return "CRASH"
	case OpRestart:
		return "restart"
	}
	return "timer"
}

// History converts the trace into a history for pkg/plots.SpaceTime, with
// the event times in opt.Unit, and returns one label per event (history
// event labels must be unique, diagram labels need not be).
//
// Sends and deliveries become Send and Receive events. A message lost
// when sent (loss, partition, full queue) is never received, so it is
// drawn as a stub. A message dropped on arrival (a crashed receiver, a
// partition that began in flight) did travel: it is received, labelled
// "dropped (<reason>)". A second copy made by the network is a local
// event at the receiver labelled "dup". Fired timers, crashes, restarts
// and outputs become local events. Timer settings, notes, starts, pauses
// and network changes are left out.
func (t Trace) History(opt HistoryOptions) (*history.History, []string, error) {
	if len(opt.Lanes) == 0 {
		for _, n := range t.hosts() {
			opt.Lanes = append(opt.Lanes, Lane{Node: n})
		}
		if len(opt.Lanes) == 0 {
			return nil, nil, fmt.Errorf("netsim: History of a trace without nodes")
		}
	}
	names := make([]string, len(opt.Lanes))
	for i, l := range opt.Lanes {
		names[i] = l.name()
	}
	b := history.NewBuilder(names...)
	labels, err := t.AppendHistory(b, nil, opt)
	if err != nil {
		return nil, nil, err
	}
	h, err := b.Build()
	if err != nil {
		return nil, nil, fmt.Errorf("netsim: converting trace to history: %w", err)
	}
	return h, labels, nil
}

// AppendHistory is History for several traces drawn in one diagram: it
// adds the trace's events to b, whose nodes must include the names of
// opt.Lanes (which must not be empty), and returns labels with one label
// appended per event added. Build b when every trace has been added.
func (t Trace) AppendHistory(b *history.Builder, labels []string, opt HistoryOptions) ([]string, error) {
	if b == nil {
		return labels, fmt.Errorf("netsim: AppendHistory needs a history.Builder, got nil")
	}
	if len(opt.Lanes) == 0 {
		return labels, fmt.Errorf("netsim: AppendHistory needs at least one lane")
	}
	lane := make(map[NodeID]string, len(opt.Lanes))
	for _, l := range opt.Lanes {
		if _, dup := lane[l.Node]; dup {
			return labels, fmt.Errorf("netsim: node %q has two lanes", l.Node)
		}
		lane[l.Node] = l.name()
	}
	unit := opt.Unit
	switch {
	case unit < 0:
		return labels, fmt.Errorf("netsim: history time unit %v is negative", unit)
	case unit == 0:
		unit = Millisecond
	}
	label := opt.Label
	if label == nil {
		label = HistoryLabel
	}
	add := func(r Record, l string) {
		b.At(float64(r.Time) / float64(unit))
		labels = append(labels, l)
	}
	msgs := map[uint64]history.Msg{} // netsim message number -> history message
	received := map[uint64]bool{}
	for _, r := range t {
		if opt.Skip != nil && opt.Skip(r) {
			continue
		}
		switch r.Op {
		case OpSend:
			from, ok1 := lane[r.From]
			to, ok2 := lane[r.To]
			if !ok1 || !ok2 {
				continue
			}
			msgs[r.ID] = b.Send(from, to, "")
			add(r, label(r))
		case OpDrop:
			// Only a drop on arrival is drawn: the message reached the
			// receiver's line.
			m, sent := msgs[r.ID]
			if !sent || r.Node != r.To || received[r.ID] {
				continue
			}
			b.Receive(m, "")
			received[r.ID] = true
			add(r, "dropped ("+r.Reason.String()+")")
		case OpDeliver:
			m, sent := msgs[r.ID]
			if !sent {
				continue
			}
			if received[r.ID] {
				b.Local(lane[r.To], "")
				add(r, "dup")
				continue
			}
			b.Receive(m, "")
			received[r.ID] = true
			add(r, label(r))
		case OpTimer, OpCrash, OpRestart, OpOutput:
			n, ok := lane[r.Node]
			if !ok {
				continue
			}
			b.Local(n, "")
			add(r, label(r))
		}
	}
	return labels, nil
}
