package netsim

import (
	"bufio"
	"io"
	"strconv"
)

// ShiVizRegex is the log parsing regular expression for the output of
// Trace.WriteShiViz. WriteShiViz puts it on the first line of the file,
// which is what ShiViz (https://bestchai.bitbucket.io/shiviz/) expects
// for an uploaded log; when pasting the log instead, paste this into the
// "log parsing regular expression" box and the lines after the first two
// into the log box.
const ShiVizRegex = `(?<host>\S+) (?<clock>\{[^}]*\}) (?<event>.*)`

// WriteShiViz writes the trace in a format ShiViz can load:
//
//	(?<host>\S+) (?<clock>\{[^}]*\}) (?<event>.*)
//	                                   <- empty line: no execution delimiter
//	A {"A":1} 0.000ms A start
//	A {"A":2} 0.000ms A->B send #1 "ping"
//	B {"B":1} 0.000ms B start
//	B {"A":2,"B":2} 1.000ms A->B deliver #1 "ping"
//
// The vector clocks are computed from the trace: every record that
// happens at a node ticks that node's entry, and a delivery also merges
// the clock of the matching send. Records that do not happen at a live
// node are left out: network changes (OpChange) and drops on arrival
// (the receiver was crashed or cut off, so it never saw the message).
func (t Trace) WriteShiViz(w io.Writer) error {
	if w == nil {
		return errorf("WriteShiViz: nil writer")
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(ShiVizRegex + "\n\n")
	hosts := t.hosts()
	idx := make(map[NodeID]int, len(hosts))
	for i, h := range hosts {
		idx[h] = i
	}
	clocks := make([][]uint64, len(hosts))
	for i := range clocks {
		clocks[i] = make([]uint64, len(hosts))
	}
	sendClock := map[uint64][]uint64{}
	var buf []byte
	for _, r := range t {
		if !hostEvent(r) {
			continue
		}
		i := idx[r.Node]
		vc := clocks[i]
		if r.Op == OpDeliver {
			if sc, ok := sendClock[r.ID]; ok {
				for k, v := range sc {
					vc[k] = max(vc[k], v)
				}
			}
		}
		vc[i]++
		if r.Op == OpSend {
			sendClock[r.ID] = append([]uint64(nil), vc...)
		}
		buf = append(buf[:0], r.Node...)
		buf = append(buf, " {"...)
		first := true
		for k, v := range vc {
			if v == 0 {
				continue
			}
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = strconv.AppendQuote(buf, string(hosts[k]))
			buf = append(buf, ':')
			buf = strconv.AppendUint(buf, v, 10)
		}
		buf = append(buf, "} "...)
		buf = r.appendTo(buf)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// hostEvent reports whether r happened at a live node.
func hostEvent(r Record) bool {
	return r.Node != "" && !(r.Op == OpDrop && r.Node == r.To && r.From != r.To)
}

// hosts lists the nodes of the trace in order of first appearance.
func (t Trace) hosts() []NodeID {
	var hosts []NodeID
	seen := map[NodeID]bool{}
	for _, r := range t {
		for _, n := range []NodeID{r.Node, r.From, r.To} {
			if n != "" && !seen[n] {
				seen[n] = true
				hosts = append(hosts, n)
			}
		}
	}
	return hosts
}

// SpaceTime describes a trace for drawing a space-time diagram: one line
// per node, a mark per event, and an arrow from each send to its
// delivery (or drop). It holds plain data; a plotting package draws it.
type SpaceTime struct {
	Nodes  []NodeID         // one line per node, in order of first appearance
	Events []SpaceTimeEvent // in trace order (so in time order)
}

// SpaceTimeEvent is one mark in a space-time diagram.
type SpaceTimeEvent struct {
	Node  NodeID // whose line the mark is on; "" for network-wide changes
	Time  Time
	Op    Op
	Label string // the message, timer tag, note or change, as in the trace
	MsgID uint64 // message records: the message number
	// For OpDeliver and OpDrop: the sender and send time, where the arrow
	// starts. A drop decided at send time (loss, partition, queue) has
	// From == Node and SentAt == Time: draw it as a short stub.
	From   NodeID
	SentAt Time
	Reason DropReason // OpDrop only
}

// SpaceTime converts the trace for a space-time diagram.
func (t Trace) SpaceTime() SpaceTime {
	st := SpaceTime{Nodes: t.hosts(), Events: make([]SpaceTimeEvent, 0, len(t))}
	for _, r := range t {
		e := SpaceTimeEvent{Node: r.Node, Time: r.Time, Op: r.Op, Reason: r.Reason}
		switch r.Op {
		case OpSend, OpDeliver, OpDrop, OpDuplicate:
			e.MsgID = r.ID
			if r.Msg != nil {
				e.Label = string(appendMsg(nil, r.Msg)[1:])
			}
		case OpNote, OpChange:
			e.Label = r.Text
		default:
			if r.Msg != nil {
				e.Label = string(appendMsg(nil, r.Msg)[1:])
			}
		}
		if r.Op == OpDeliver || r.Op == OpDrop {
			e.From, e.SentAt = r.From, r.Sent
		}
		st.Events = append(st.Events, e)
	}
	return st
}
