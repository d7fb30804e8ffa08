package totalorder

import (
	"fmt"
	"io"
	"os"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Bug names a broken implementation of the gallery.
type Bug int

// The gallery's broken implementations.
const (
	// Impatient delivers the head of its queue as soon as it has heard
	// from the head's sender (its own broadcasts at once), without
	// waiting to hear from everyone.
	Impatient Bug = iota
	// NoTieBreak orders the queue by timestamp only: broadcasts with equal
	// timestamps stay in the order they arrived.
	NoTieBreak
	// NoFIFO is a correct node on links that are not FIFO (without the
	// lab's FIFO layer).
	NoFIFO
	numBugs
)

var bugNames = [...]string{
	"delivers without waiting to hear from everyone",
	"orders by timestamp without the sender tie-break",
	"a correct node, without FIFO links",
}

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

// GalleryTo is Gallery writing the report to w; it returns the report.
func GalleryTo(w io.Writer, b Bug) (*mcheck.Report, error) {
	model := func(b Bug) (*mcheck.Model, error) { return build(broken(b), Visible.In, b == NoFIFO) }
	return labkit.Gallery(w, "totalorder", b, numBugs, model, Options(Visible.In),
		func(m *mcheck.Model, r *mcheck.Report) { showTo(w, m, r) })
}

// broken returns the constructor of gallery entry b. The node type is
// unexported: the gallery is something to look at, not to hand in.
func broken(b Bug) NewNode {
	return func(members []netsim.NodeID, self int) netsim.Node {
		return &galleryNode{Members: members, Self: self, Impatient: b == Impatient, NoTieBreak: b == NoTieBreak}
	}
}

// galleryNode is totally ordered broadcast with Lamport timestamps, with
// one of the gallery's bugs switched on (or none, for NoFIFO).
type galleryNode struct {
	Members    []netsim.NodeID
	Self       int
	Impatient  bool
	NoTieBreak bool

	Clock  lamport.Timestamp
	Queue  []Data
	Latest []lamport.Timestamp
}

func (n *galleryNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	if n.Latest == nil {
		n.Latest = make([]lamport.Timestamp, len(n.Members))
	}
	switch m := ev.Msg.(type) {
	case Broadcast:
		if ev.Kind == netsim.Timer {
			n.Clock++
			d := Data{From: n.Self, TS: n.Clock, Payload: m.Payload}
			n.insert(d)
			n.toOthers(ctx, d)
		}
	case Data:
		if ev.Kind != netsim.Receive || m.TS <= n.Latest[m.From] {
			return
		}
		n.Clock = max(n.Clock, m.TS) + 1
		n.Latest[m.From] = m.TS
		n.insert(m)
		n.Clock++
		n.toOthers(ctx, Ack{From: n.Self, TS: n.Clock})
	case Ack:
		n.Clock = max(n.Clock, m.TS) + 1
		n.Latest[m.From] = max(n.Latest[m.From], m.TS)
	}
	n.deliver(ctx)
}

func (n *galleryNode) insert(d Data) {
	less := func(a, b Data) bool {
		if a.TS != b.TS || n.NoTieBreak {
			return a.TS < b.TS
		}
		return a.From < b.From
	}
	i := len(n.Queue)
	for i > 0 && less(d, n.Queue[i-1]) {
		i--
	}
	n.Queue = append(n.Queue, Data{})
	copy(n.Queue[i+1:], n.Queue[i:])
	n.Queue[i] = d
}

func (n *galleryNode) ready(head Data) bool {
	for q, ts := range n.Latest {
		if q == n.Self || (n.Impatient && q != head.From) {
			continue
		}
		if ts < head.TS {
			return false
		}
	}
	return true
}

func (n *galleryNode) deliver(ctx *netsim.Context) {
	for len(n.Queue) > 0 && n.ready(n.Queue[0]) {
		ctx.Output(n.Queue[0].Payload)
		n.Queue = n.Queue[1:]
	}
}

func (n *galleryNode) toOthers(ctx *netsim.Context, msg any) {
	for i, to := range n.Members {
		if i != n.Self {
			ctx.Send(to, msg)
		}
	}
}
