package exactlyonce

import (
	"fmt"
	"io"
	"os"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Bug names a broken implementation of the gallery.
type Bug int

// The gallery's broken implementations.
const (
	// NoDedup: a stop-and-wait sender that retransmits, and a receiver
	// that delivers every copy that arrives.
	NoDedup Bug = iota
	// NoRetransmit: a sender that sends each message once and waits for
	// its acknowledgement forever.
	NoRetransmit
	// SkipsGaps: a sender that sends everything at once, and a receiver
	// that delivers any message newer than the last one it delivered.
	SkipsGaps
	numBugs
)

var bugNames = [...]string{"receiver without de-duplication", "sender that never retransmits", "receiver that skips gaps"}

func (b Bug) String() string {
	if b >= 0 && b < numBugs {
		return bugNames[b]
	}
	return fmt.Sprintf("Bug(%d)", int(b))
}

// Gallery model-checks the broken implementation b on the visible
// scenario, prints the report (a shortest failing schedule) and draws it.
func Gallery(b Bug) error {
	_, err := GalleryTo(os.Stdout, b)
	return err
}

// GalleryTo is Gallery writing to w; it returns the report.
func GalleryTo(w io.Writer, b Bug) (*mcheck.Report, error) {
	build := func(b Bug) (*mcheck.Model, error) { return Build(broken(b), Visible.In) }
	return labkit.Gallery(w, "exactlyonce", b, numBugs, build, Options(Visible.In), nil)
}

// broken returns the nodes of gallery entry b. Their types are
// unexported: the gallery is something to look at, not to hand in.
func broken(b Bug) Nodes {
	return Nodes{
		Sender: func(msgs []string) netsim.Node {
			return &stopAndWait{Msgs: msgs, NoRetransmit: b == NoRetransmit, All: b == SkipsGaps}
		},
		Receiver: func() netsim.Node { return &inOrder{NoDedup: b == NoDedup, SkipGaps: b == SkipsGaps} },
	}
}

// retransmit is the tag of the gallery sender's timer.
type retransmit struct{}

func (retransmit) String() string { return "retransmit" }

// stopAndWait sends Msgs one at a time (or, with All, every one at
// once), retransmitting what is unacknowledged on a timer.
type stopAndWait struct {
	Msgs         []string
	Acked        int
	NoRetransmit bool
	All          bool
}

func (s *stopAndWait) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		s.send(ctx, true)
	case netsim.Timer:
		s.send(ctx, true)
	case netsim.Receive:
		if a, ok := ev.Msg.(Ack); ok && a.Next > s.Acked {
			s.Acked = min(a.Next, len(s.Msgs))
			if !s.All {
				s.send(ctx, false)
			}
		}
	}
}

func (s *stopAndWait) send(ctx *netsim.Context, arm bool) {
	if s.Acked >= len(s.Msgs) {
		return
	}
	last := s.Acked
	if s.All {
		last = len(s.Msgs) - 1
	}
	for i := s.Acked; i <= last; i++ {
		ctx.Send(ReceiverID, Data{Seq: i, Val: s.Msgs[i]})
	}
	if arm && !s.NoRetransmit {
		ctx.SetTimer(20*netsim.Millisecond, retransmit{})
	}
}

// inOrder delivers the message it expects next and acknowledges
// cumulatively; NoDedup delivers every copy, SkipGaps any newer message.
type inOrder struct {
	Next     int
	NoDedup  bool
	SkipGaps bool
}

func (r *inOrder) Handle(ctx *netsim.Context, ev netsim.Event) {
	d, ok := ev.Msg.(Data)
	if ev.Kind != netsim.Receive || !ok {
		return
	}
	switch {
	case r.NoDedup, d.Seq == r.Next, r.SkipGaps && d.Seq > r.Next:
		ctx.Output(d.Val)
		r.Next = max(r.Next, d.Seq+1)
	}
	ctx.Send(ev.From, Ack{Next: r.Next})
}
