package totalorder_test

import (
	"github.com/dslessons/course/lessons/labs/totalorder"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/netsim"
)

// variant is the reference node with one mistake a student might make.
type variant struct {
	Members []netsim.NodeID
	Self    int
	Clock   lamport.Timestamp
	Queue   []totalorder.Data
	Latest  []lamport.Timestamp
	Bug     bug
}

type bug int

const (
	noBug            bug = iota
	noTieBreak           // orders by timestamp only
	impatient            // delivers the smallest at once
	noAcks               // never acknowledges
	ackSenderOnly        // acknowledges to the broadcast's sender only
	noDedup              // queues a copy again
	onePerEvent          // delivers at most one broadcast per event
	noClockOnReceive     // the clock does not move past received stamps
	toEveryone           // sends to itself too
	ownNotQueued         // does not queue its own broadcasts
	strictlyLater        // waits for stamps strictly later than the head (correct)
	dataIgnored          // only acks count as hearing from a member
)

var bugNames = map[bug]string{noBug: "reference", noTieBreak: "no tie-break", impatient: "impatient", noAcks: "no acks",
	ackSenderOnly: "acks to the sender only", noDedup: "no de-duplication", onePerEvent: "one delivery per event",
	noClockOnReceive: "clock ignores receipts", toEveryone: "sends to itself too", ownNotQueued: "own broadcasts not queued",
	strictlyLater: "strictly later stamps", dataIgnored: "only acks count"}

func (b bug) String() string { return bugNames[b] }

func withBug(b bug) totalorder.NewNode {
	return func(members []netsim.NodeID, self int) netsim.Node {
		return &variant{Members: members, Self: self, Bug: b}
	}
}

func (n *variant) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		n.Latest = make([]lamport.Timestamp, len(n.Members))
	case netsim.Timer:
		if b, ok := ev.Msg.(totalorder.Broadcast); ok {
			n.Clock++
			d := totalorder.Data{From: n.Self, TS: n.Clock, Payload: b.Payload}
			if n.Bug != ownNotQueued {
				n.Queue = append(n.Queue, d)
			}
			n.send(ctx, d, -1)
			n.deliver(ctx)
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case totalorder.Data:
			if m.TS <= n.Latest[m.From] && n.Bug != noDedup {
				return
			}
			n.receive(m.TS)
			if n.Bug != dataIgnored {
				n.Latest[m.From] = max(n.Latest[m.From], m.TS)
			}
			n.Queue = append(n.Queue, m)
			n.Clock++
			switch n.Bug {
			case noAcks:
			case ackSenderOnly:
				n.send(ctx, totalorder.Ack{From: n.Self, TS: n.Clock}, m.From)
			default:
				n.send(ctx, totalorder.Ack{From: n.Self, TS: n.Clock}, -1)
			}
			n.deliver(ctx)
		case totalorder.Ack:
			n.receive(m.TS)
			n.Latest[m.From] = max(n.Latest[m.From], m.TS)
			n.deliver(ctx)
		}
	}
}

func (n *variant) receive(ts lamport.Timestamp) {
	if n.Bug == noClockOnReceive {
		n.Clock++
		return
	}
	n.Clock = max(n.Clock, ts) + 1
}

// send sends msg to member only, or to every other member (only < 0).
func (n *variant) send(ctx *netsim.Context, msg any, only int) {
	for i, to := range n.Members {
		if (i != n.Self || n.Bug == toEveryone) && (only < 0 || i == only) {
			ctx.Send(to, msg)
		}
	}
}

func (n *variant) less(a, b totalorder.Data) bool {
	if a.TS != b.TS || n.Bug == noTieBreak {
		return a.TS < b.TS
	}
	return a.From < b.From
}

func (n *variant) deliver(ctx *netsim.Context) {
	for len(n.Queue) > 0 {
		h := 0
		for i, d := range n.Queue {
			if n.less(d, n.Queue[h]) {
				h = i
			}
		}
		head := n.Queue[h]
		for q, ts := range n.Latest {
			if n.Bug == impatient {
				break
			}
			if q != n.Self && (ts < head.TS || (n.Bug == strictlyLater && ts == head.TS)) {
				return
			}
		}
		ctx.Output(head.Payload)
		n.Queue = append(n.Queue[:h], n.Queue[h+1:]...)
		if n.Bug == onePerEvent {
			return
		}
	}
}
