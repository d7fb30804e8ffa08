package netsim

import (
	"fmt"
	"strings"
)

// Stats counts what happened in a run so far.
type Stats struct {
	Events      uint64 // events processed by the event loop
	Sent        uint64 // messages sent by nodes
	Delivered   uint64 // deliveries, including duplicate copies
	Duplicated  uint64 // extra copies made by the network
	TimersFired uint64
	Lost        uint64 // dropped by random loss
	Partitioned uint64 // dropped by a partition or cut
	ToCrashed   uint64 // dropped because the receiver was crashed
	QueueFull   uint64 // dropped because the link queue was full
	Nodes       []NodeStats
}

// NodeStats are the counters of one node.
type NodeStats struct {
	ID       NodeID
	Sent     uint64 // messages it sent
	Received uint64 // messages delivered to it
	Dropped  uint64 // messages addressed to it that were dropped
	Timers   uint64 // its timers that fired
}

// Dropped is the total number of dropped messages.
func (s Stats) Dropped() uint64 { return s.Lost + s.Partitioned + s.ToCrashed + s.QueueFull }

// String formats the totals on one line and each node on its own line.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "events=%d sent=%d delivered=%d duplicated=%d dropped=%d (loss=%d partition=%d crashed=%d queue=%d) timers=%d\n",
		s.Events, s.Sent, s.Delivered, s.Duplicated, s.Dropped(), s.Lost, s.Partitioned, s.ToCrashed, s.QueueFull, s.TimersFired)
	for _, n := range s.Nodes {
		fmt.Fprintf(&b, "  %s sent=%d received=%d dropped=%d timers=%d\n", n.ID, n.Sent, n.Received, n.Dropped, n.Timers)
	}
	return b.String()
}

// Stats returns the counters so far.
func (s *Sim) Stats() Stats {
	st := Stats{
		Events: s.events, Sent: s.st.sent, Delivered: s.st.delivered, Duplicated: s.st.duplicated,
		TimersFired: s.st.timers,
		Lost:        s.st.dropped[DropLoss], Partitioned: s.st.dropped[DropPartition],
		ToCrashed: s.st.dropped[DropCrashed], QueueFull: s.st.dropped[DropQueue],
	}
	for _, n := range s.nodes {
		ns := n.st
		ns.ID = n.id
		st.Nodes = append(st.Nodes, ns)
	}
	return st
}
