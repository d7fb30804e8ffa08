package totalorder_test

// The reference answer of the lab, as the solutions file has it
// (TestReferenceIsTheSolution checks that they agree).

import (
	"github.com/dslessons/course/lessons/labs/totalorder"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/netsim"
)

// == answer: Lab
// Node is one member of totally ordered broadcast with Lamport clocks.
type Node struct {
	Members []netsim.NodeID     // every member, this one included; the index breaks ties
	Self    int                 // this node's index in Members
	Clock   lamport.Timestamp   // this node's Lamport clock
	Queue   []totalorder.Data   // broadcasts received or sent, not yet delivered
	Latest  []lamport.Timestamp // the largest timestamp received from each member
}

// == answer: Lab #2
// less is the total order: by timestamp, ties broken by the sender's index.
func less(a, b totalorder.Data) bool {
	if a.TS != b.TS {
		return a.TS < b.TS
	}
	return a.From < b.From
}

// deliver hands the queued broadcasts that are ready to the application
// (ctx.Output), smallest first. The smallest is ready once every other
// member has sent something stamped at least as late: links are FIFO and
// stamps grow, so nothing smaller can still come from them.
func (n *Node) deliver(ctx *netsim.Context) {
	for len(n.Queue) > 0 {
		h := 0
		for i, d := range n.Queue {
			if less(d, n.Queue[h]) {
				h = i
			}
		}
		head := n.Queue[h]
		for q, ts := range n.Latest {
			if q != n.Self && ts < head.TS {
				return
			}
		}
		ctx.Output(head.Payload)
		n.Queue = append(n.Queue[:h], n.Queue[h+1:]...)
	}
}

// == answer: Lab #3
// Handle passes each event to its handler.
func (n *Node) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		n.Latest = make([]lamport.Timestamp, len(n.Members))
	case netsim.Timer: // the application asks for a broadcast
		if b, ok := ev.Msg.(totalorder.Broadcast); ok {
			n.broadcast(ctx, b.Payload)
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case totalorder.Data:
			n.onData(ctx, m)
		case totalorder.Ack:
			n.onAck(ctx, m)
		}
	}
}

// broadcast stamps the payload, queues it here and sends it to the others.
func (n *Node) broadcast(ctx *netsim.Context, payload string) {
	n.Clock++
	d := totalorder.Data{From: n.Self, TS: n.Clock, Payload: payload}
	n.Queue = append(n.Queue, d)
	n.toOthers(ctx, d)
	n.deliver(ctx)
}

// onData queues another member's broadcast and acknowledges it to everyone.
func (n *Node) onData(ctx *netsim.Context, d totalorder.Data) {
	if d.TS <= n.Latest[d.From] {
		return // a copy: a member's messages arrive in order, with growing stamps
	}
	n.Clock = max(n.Clock, d.TS) + 1
	n.Latest[d.From] = d.TS
	n.Queue = append(n.Queue, d)
	n.Clock++
	n.toOthers(ctx, totalorder.Ack{From: n.Self, TS: n.Clock})
	n.deliver(ctx)
}

// onAck notes that the sender has seen everything stamped before a.TS.
func (n *Node) onAck(ctx *netsim.Context, a totalorder.Ack) {
	n.Clock = max(n.Clock, a.TS) + 1
	n.Latest[a.From] = max(n.Latest[a.From], a.TS)
	n.deliver(ctx)
}

func (n *Node) toOthers(ctx *netsim.Context, msg any) {
	for i, to := range n.Members {
		if i != n.Self {
			ctx.Send(to, msg)
		}
	}
}

// == end

func reference(members []netsim.NodeID, self int) netsim.Node {
	return &Node{Members: members, Self: self}
}
