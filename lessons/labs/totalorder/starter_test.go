package totalorder_test

// The starter code of the notebook's answer cells, with the node type
// renamed Starter (TestStarterIsTheNotebooks checks that they agree).

import (
	"github.com/dslessons/course/lessons/labs/totalorder"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/netsim"
)

// == answer: Lab
// Starter is one member of totally ordered broadcast.
type Starter struct {
	Members []netsim.NodeID   // every member, this one included; the index breaks ties
	Self    int               // this node's index in Members
	Clock   lamport.Timestamp // this node's Lamport clock
	Queue   []totalorder.Data // broadcasts received or sent, not yet delivered
	// TODO: what else must a member remember?
}

// == answer: Lab #2
// deliver hands the queued broadcasts that are ready to the application
// (ctx.Output), smallest first.
func (n *Starter) deliver(ctx *netsim.Context) {
	// TODO: this delivers every queued broadcast at once, in arrival order.
	for _, d := range n.Queue {
		ctx.Output(d.Payload)
	}
	n.Queue = nil
}

// == answer: Lab #3
// Handle passes each event to its handler.
func (n *Starter) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
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

// broadcast sends the payload to the other members.
func (n *Starter) broadcast(ctx *netsim.Context, payload string) {
	d := totalorder.Data{From: n.Self, TS: 0, Payload: payload} // TODO: a Lamport timestamp
	n.Queue = append(n.Queue, d)
	for i, to := range n.Members {
		if i != n.Self {
			ctx.Send(to, d)
		}
	}
	n.deliver(ctx)
}

// onData handles another member's broadcast.
func (n *Starter) onData(ctx *netsim.Context, d totalorder.Data) {
	// TODO: the clock; copies; acknowledge to everyone else.
	n.Queue = append(n.Queue, d)
	n.deliver(ctx)
}

// onAck handles another member's acknowledgement.
func (n *Starter) onAck(ctx *netsim.Context, a totalorder.Ack) {
	// TODO
}

// == end

func starter(members []netsim.NodeID, self int) netsim.Node {
	return &Starter{Members: members, Self: self}
}
