package exactlyonce_test

// Other answers the tests check: the notebook's starter code, typical
// mistakes, and a correct go-back-N protocol (the lab must not require
// stop-and-wait).

import (
	"slices"

	"github.com/dslessons/course/lessons/labs/exactlyonce"
	"github.com/dslessons/course/pkg/netsim"
)

// The starter code of the notebook (renamed).

type starterReceiver struct{}

func (r *starterReceiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	d, ok := ev.Msg.(exactlyonce.Data)
	if ev.Kind != netsim.Receive || !ok {
		return
	}
	ctx.Output(d.Val)
}

type starterSender struct{ Msgs []string }

func (s *starterSender) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start {
		for i, m := range s.Msgs {
			ctx.Send(exactlyonce.ReceiverID, exactlyonce.Data{Seq: i, Val: m})
		}
	}
}

var starter = exactlyonce.Nodes{
	Sender:   func(msgs []string) netsim.Node { return &starterSender{Msgs: msgs} },
	Receiver: func() netsim.Node { return &starterReceiver{} },
}

var reference = exactlyonce.Nodes{
	Sender:   func(msgs []string) netsim.Node { return &Sender{Msgs: msgs} },
	Receiver: func() netsim.Node { return &Receiver{} },
}

// byPayload de-duplicates by payload instead of sequence number: right
// while payloads differ.
type byPayload struct {
	Seen []string
}

func (r *byPayload) Handle(ctx *netsim.Context, ev netsim.Event) {
	d, ok := ev.Msg.(exactlyonce.Data)
	if ev.Kind != netsim.Receive || !ok {
		return
	}
	if d.Seq == len(r.Seen) && !slices.Contains(r.Seen, d.Val) {
		ctx.Output(d.Val)
		r.Seen = append(r.Seen, d.Val)
	} else if d.Seq == len(r.Seen) {
		// a "duplicate" by payload: acknowledged, not delivered, and
		// (wrongly) counted as done
		r.Seen = append(r.Seen, d.Val)
	}
	ctx.Send(ev.From, exactlyonce.Ack{Next: len(r.Seen)})
}

// silentOnOld acknowledges only new deliveries: a lost acknowledgement
// is never repeated.
type silentOnOld struct{ Next int }

func (r *silentOnOld) Handle(ctx *netsim.Context, ev netsim.Event) {
	d, ok := ev.Msg.(exactlyonce.Data)
	if ev.Kind != netsim.Receive || !ok || d.Seq != r.Next {
		return
	}
	ctx.Output(d.Val)
	r.Next++
	ctx.Send(ev.From, exactlyonce.Ack{Next: r.Next})
}

// givesUp retransmits each message at most Tries times.
type givesUp struct {
	Msgs         []string
	Acked, Tries int
}

func (s *givesUp) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		s.send(ctx)
	case netsim.Timer:
		if s.Acked < len(s.Msgs) && s.Tries < 2 {
			s.Tries++
			s.send(ctx)
		}
	case netsim.Receive:
		if a, ok := ev.Msg.(exactlyonce.Ack); ok && a.Next > s.Acked {
			s.Acked, s.Tries = min(a.Next, len(s.Msgs)), 0
			s.send(ctx)
		}
	}
}

func (s *givesUp) send(ctx *netsim.Context) {
	if s.Acked < len(s.Msgs) {
		ctx.Send(exactlyonce.ReceiverID, exactlyonce.Data{Seq: s.Acked, Val: s.Msgs[s.Acked]})
		ctx.SetTimer(20*netsim.Millisecond, Resend{})
	}
}

// goBackN keeps up to Window messages in flight and resends all of them
// on a timeout; with the cumulative receiver it is correct.
type goBackN struct {
	Msgs          []string
	Acked, Window int
	Armed         bool
}

func (s *goBackN) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		s.sendFrom(ctx, s.Acked)
	case netsim.Timer:
		s.Armed = false
		s.sendFrom(ctx, s.Acked)
	case netsim.Receive:
		if a, ok := ev.Msg.(exactlyonce.Ack); ok && a.Next > s.Acked {
			old := min(s.Acked+s.Window, len(s.Msgs))
			s.Acked = min(a.Next, len(s.Msgs))
			s.sendFrom(ctx, old) // the window moved: send what entered it
		}
	}
}

func (s *goBackN) sendFrom(ctx *netsim.Context, from int) {
	for i := from; i < min(s.Acked+s.Window, len(s.Msgs)); i++ {
		ctx.Send(exactlyonce.ReceiverID, exactlyonce.Data{Seq: i, Val: s.Msgs[i]})
	}
	if s.Acked < len(s.Msgs) && !s.Armed {
		ctx.SetTimer(20*netsim.Millisecond, Resend{})
		s.Armed = true
	}
}

func withReceiver(r func() netsim.Node) exactlyonce.Nodes {
	return exactlyonce.Nodes{Sender: reference.Sender, Receiver: r}
}

func withSender(s func(msgs []string) netsim.Node) exactlyonce.Nodes {
	return exactlyonce.Nodes{Sender: s, Receiver: reference.Receiver}
}
