package exactlyonce_test

// The reference answer of the lab, as the solutions file has it (the test
// TestReferenceIsTheSolution checks that they agree): Receiver and Sender.

import (
	"github.com/dslessons/course/lessons/labs/exactlyonce"
	"github.com/dslessons/course/pkg/netsim"
)

// == answer: Lab
// Receiver delivers each message once, in order, and acknowledges
// cumulatively.
type Receiver struct {
	Next int // the number of the next message to deliver
}

func (r *Receiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	d, ok := ev.Msg.(exactlyonce.Data)
	if ev.Kind != netsim.Receive || !ok {
		return
	}
	if d.Seq == r.Next { // the message we wait for: deliver it
		ctx.Output(d.Val)
		r.Next++
	}
	// An old copy, or a message that came too early: do not deliver it,
	// but say again what we have, so that a sender whose acknowledgement
	// was lost learns it.
	ctx.Send(ev.From, exactlyonce.Ack{Next: r.Next})
}

// == answer: Lab #2
// Sender sends Msgs to R one at a time and retransmits the oldest
// unacknowledged message whenever its timer fires.
type Sender struct {
	Msgs  []string
	Acked int // messages 0 … Acked−1 are acknowledged
}

// Resend is the tag of the retransmission timer.
type Resend struct{}

func (s *Sender) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		s.sendNext(ctx)
		ctx.SetTimer(20*netsim.Millisecond, Resend{})
	case netsim.Timer:
		if s.Acked < len(s.Msgs) { // still something to deliver
			s.sendNext(ctx)
			ctx.SetTimer(20*netsim.Millisecond, Resend{})
		}
	case netsim.Receive:
		if a, ok := ev.Msg.(exactlyonce.Ack); ok && a.Next > s.Acked {
			s.Acked = min(a.Next, len(s.Msgs))
			s.sendNext(ctx) // the timer keeps running for it
		}
	}
}

func (s *Sender) sendNext(ctx *netsim.Context) {
	if s.Acked < len(s.Msgs) {
		ctx.Send(exactlyonce.ReceiverID, exactlyonce.Data{Seq: s.Acked, Val: s.Msgs[s.Acked]})
	}
}

// == end
