package totalorder

import (
	"fmt"
	"math/rand/v2"

	"github.com/dslessons/course/pkg/netsim"
)

// The FIFO layer sits between a member's node and the network, in the
// checker as on netsim, and makes every link FIFO as netsim's links are:
// it numbers the messages it sends on each link and hands the first copy
// of each arriving message to the node in that order, holding back those
// that arrive early. A second copy made by the network is not bound by
// that order (on netsim neither): it reaches the node after the first,
// at any later point. The layer does not retransmit: nothing is lost.
// It also plays the application: when the node starts it sets one timer
// per planned broadcast, whose tag is Broadcast{payload}, and the node
// gets the timer when it fires.

// layer is one member's FIFO layer around the student's node.
type layer struct {
	Node    netsim.Node
	Members []netsim.NodeID
	Plan    []string // payloads this member broadcasts, in order
	Gaps    []netsim.Time
	Raw     bool // no FIFO: messages go out and come in as they are (NoFIFO)

	Asked int        // broadcasts requested so far (timers fired)
	Out   []int      // next number on the link to each member
	In    []int      // next number expected from each member
	Held  [][]Packet // per sender: early packets, by number
}

// newLayer wraps node, a member of members that broadcasts plan; gaps[i]
// is the time between the start (or broadcast i−1) and broadcast i (1 ms
// where gaps is short: the checker ignores durations).
func newLayer(node netsim.Node, members []netsim.NodeID, plan []string, gaps []netsim.Time, raw bool) *layer {
	n := len(members)
	return &layer{Node: node, Members: members, Plan: plan, Gaps: gaps, Raw: raw,
		Out: make([]int, n), In: make([]int, n), Held: make([][]Packet, n)}
}

func (l *layer) index(id netsim.NodeID) int {
	for i, m := range l.Members {
		if m == id {
			return i
		}
	}
	return -1
}

// Handle implements netsim.Node.
func (l *layer) Handle(ctx *netsim.Context, ev netsim.Event) {
	inner := netsim.NewContext(&layerEnv{ctx: ctx, l: l})
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		l.armBroadcasts(ctx)
		l.Node.Handle(inner, ev)
	case netsim.Timer:
		if _, ok := ev.Msg.(Broadcast); ok {
			l.Asked++
		}
		l.Node.Handle(inner, ev)
	case netsim.Receive:
		p, ok := ev.Msg.(Packet)
		from := l.index(ev.From)
		if l.Raw || !ok || from < 0 {
			l.Node.Handle(inner, ev)
			return
		}
		l.receive(inner, ev, from, p)
	}
}

// armBroadcasts sets a timer for every broadcast not yet requested (a
// crash cancels the pending ones). The delays grow, so the timers fire in
// plan order, in the checker too.
func (l *layer) armBroadcasts(ctx *netsim.Context) {
	var at netsim.Time
	for i := range l.Plan {
		gap := netsim.Millisecond
		if i < len(l.Gaps) {
			gap = l.Gaps[i]
		}
		at += gap
		if i >= l.Asked {
			ctx.SetTimer(at, Broadcast{Payload: l.Plan[i]})
		}
	}
}

// receive hands p to the node if it is the next packet from its sender
// (and then the held packets that follow it) or a copy of one already
// handed over; holds it if it came early. A copy of a held packet is
// dropped: the held one stands for both.
func (l *layer) receive(ctx *netsim.Context, ev netsim.Event, from int, p Packet) {
	switch {
	case p.Seq < l.In[from]: // a copy made by the network, after the first
		l.Node.Handle(ctx, netsim.Event{Kind: netsim.Receive, From: ev.From, Msg: p.Msg})
		return
	case p.Seq > l.In[from]:
		held := l.Held[from]
		i := 0
		for i < len(held) && held[i].Seq < p.Seq {
			i++
		}
		if i < len(held) && held[i].Seq == p.Seq {
			return
		}
		held = append(held, Packet{})
		copy(held[i+1:], held[i:])
		held[i] = p
		l.Held[from] = held
		return
	}
	for {
		l.In[from]++
		l.Node.Handle(ctx, netsim.Event{Kind: netsim.Receive, From: ev.From, Msg: p.Msg})
		held := l.Held[from]
		if len(held) == 0 || held[0].Seq != l.In[from] {
			break
		}
		p = held[0]
		l.Held[from] = held[1:]
		if len(l.Held[from]) == 0 {
			l.Held[from] = nil
		}
	}
}

// layerEnv is the node's world inside the layer: everything goes to the
// real context, except that sends are numbered per link.
type layerEnv struct {
	ctx *netsim.Context
	l   *layer
}

func (e *layerEnv) Now() netsim.Time       { return e.ctx.Now() }
func (e *layerEnv) Self() netsim.NodeID    { return e.ctx.Self() }
func (e *layerEnv) Peers() []netsim.NodeID { return e.ctx.Peers() }
func (e *layerEnv) Rand() *rand.Rand       { return e.ctx.Rand() }
func (e *layerEnv) SetTimer(after netsim.Time, tag any) netsim.TimerID {
	return e.ctx.SetTimer(after, tag)
}
func (e *layerEnv) CancelTimer(id netsim.TimerID) bool { return e.ctx.CancelTimer(id) }
func (e *layerEnv) Logf(format string, args []any)     { e.ctx.Logf(format, args...) }
func (e *layerEnv) Output(v any)                       { e.ctx.Output(v) }
func (e *layerEnv) Fail(err error)                     { panic(fmt.Sprintf("totalorder: %v", err)) }

func (e *layerEnv) Send(to netsim.NodeID, msg any) {
	i := e.l.index(to)
	if e.l.Raw || i < 0 {
		e.ctx.Send(to, msg) // an unknown node: the network reports it
		return
	}
	e.ctx.Send(to, Packet{Seq: e.l.Out[i], Msg: msg})
	e.l.Out[i]++
}
