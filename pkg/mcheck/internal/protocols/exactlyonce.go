package protocols

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Exactly-once, in-order delivery over a link that loses, duplicates
// and reorders: a stop-and-wait sender with sequence numbers and a
// retransmission timer, and a receiver that acknowledges cumulatively
// and delivers (outputs) each message once, in order.

// Data carries message Seq.
type Data struct {
	Seq int
	Val string
}

// Ack acknowledges every message before Next.
type Ack struct{ Next int }

// Retransmit is the sender's timer tag.
type Retransmit struct{}

// Sender sends Msgs to "R" one at a time.
type Sender struct {
	Msgs  []string
	Acked int // messages acknowledged
	// NoRetransmit is a bug: the sender never retransmits.
	NoRetransmit bool
}

func (s *Sender) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		s.sendNext(ctx)
		s.arm(ctx)
	case netsim.Timer:
		if s.Acked < len(s.Msgs) {
			s.sendNext(ctx)
			s.arm(ctx)
		}
	case netsim.Receive:
		if a, ok := ev.Msg.(Ack); ok && a.Next > s.Acked {
			s.Acked = min(a.Next, len(s.Msgs))
			s.sendNext(ctx)
		}
	}
}

func (s *Sender) sendNext(ctx *netsim.Context) {
	if s.Acked < len(s.Msgs) {
		ctx.Send("R", Data{Seq: s.Acked, Val: s.Msgs[s.Acked]})
	}
}

func (s *Sender) arm(ctx *netsim.Context) {
	if !s.NoRetransmit {
		ctx.SetTimer(10*netsim.Millisecond, Retransmit{})
	}
}

// Receiver delivers messages in order, once.
type Receiver struct {
	Next int // the next sequence number to deliver
	// NoDedup is a bug: the receiver delivers every copy it gets.
	NoDedup bool
}

func (r *Receiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	d, ok := ev.Msg.(Data)
	if ev.Kind != netsim.Receive || !ok {
		return
	}
	switch {
	case r.NoDedup:
		ctx.Output(d.Val)
		r.Next = max(r.Next, d.Seq+1)
	case d.Seq == r.Next:
		ctx.Output(d.Val)
		r.Next++
	}
	ctx.Send(ev.From, Ack{Next: r.Next})
}

// ExactlyOnce returns a model of sender S and receiver R for msgs.
func ExactlyOnce(msgs []string, s Sender, r Receiver) *mcheck.Model {
	m := mcheck.NewModel(1)
	s.Msgs = msgs
	if err := m.AddNode("S", &s); err != nil {
		panic(err)
	}
	if err := m.AddNode("R", &r); err != nil {
		panic(err)
	}
	return m
}

// InOrderOnce is the invariant: R's outputs are a prefix of msgs.
func InOrderOnce(msgs []string) mcheck.Invariant {
	return mcheck.Invariant{Name: "exactly once, in order", Check: func(s *mcheck.State) error {
		out := s.Outputs("R")
		if len(out) > len(msgs) {
			return fmt.Errorf("R delivered %d messages; only %d were sent", len(out), len(msgs))
		}
		for i, v := range out {
			if v != msgs[i] {
				if slices.Contains(out[:i], v) {
					return fmt.Errorf("R delivered %q twice", v)
				}
				return fmt.Errorf("R's delivery %d is %q, want %q", i+1, v, msgs[i])
			}
		}
		return nil
	}}
}

// AllDelivered is the goal: R delivered every message.
func AllDelivered(msgs []string) mcheck.Predicate {
	return mcheck.Predicate{Name: "all delivered", Holds: func(s *mcheck.State) bool {
		return len(s.Outputs("R")) == len(msgs)
	}}
}

// Messages returns n message payloads "m0", "m1", ...
func Messages(n int) []string {
	msgs := make([]string, n)
	for i := range msgs {
		msgs[i] = fmt.Sprintf("m%d", i)
	}
	return msgs
}
