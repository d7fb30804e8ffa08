package election

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Bug names a broken implementation of the gallery.
type Bug int

// The gallery's broken implementations.
const (
	// VotesTwice: a node grants every candidate of its term that asks.
	VotesTwice Bug = iota
	// OwnVoteTwice: a candidate counts its own vote twice.
	OwnVoteTwice
	// ForgetsVote: a node forgets its term and vote when it restarts.
	ForgetsVote
	numBugs
)

var bugNames = [...]string{"a node that votes twice in a term", "a candidate that counts its own vote twice",
	"a node that forgets its vote when it restarts"}

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
	build := func(b Bug) (*mcheck.Model, error) {
		return Build(func() netsim.Node { return &flawed{Bug: b} }, Visible.In)
	}
	return labkit.Gallery(w, "election", b, numBugs, build, Options(Visible.In), nil)
}

// timeout is the gallery node's election timer tag.
type timeout struct{}

func (timeout) String() string { return "timeout" }

// flawed is a small election node with one of the gallery's bugs. It
// sends no heartbeats and no refusals, to keep its runs short.
type flawed struct {
	Bug    Bug
	Term   int
	Voted  netsim.NodeID
	Votes  []netsim.NodeID // a candidate's votes, sorted (its own included)
	Leader bool
}

func (n *flawed) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		if ev.Kind == netsim.Restart && n.Bug == ForgetsVote {
			n.Term, n.Voted = 0, ""
		}
		n.Votes, n.Leader = nil, false
		ctx.SetTimer(200*netsim.Millisecond, timeout{})
	case netsim.Timer:
		if n.Leader {
			return
		}
		n.Term++
		n.Voted, n.Votes = ctx.Self(), []netsim.NodeID{ctx.Self()}
		if n.Bug == OwnVoteTwice {
			n.Votes = append(n.Votes, ctx.Self())
		}
		ctx.Broadcast(RequestVote{Term: n.Term})
		ctx.SetTimer(200*netsim.Millisecond, timeout{})
		n.count(ctx)
	case netsim.Receive:
		if t, ok := TermOf(ev.Msg); ok && t > n.Term {
			n.Term, n.Voted, n.Votes, n.Leader = t, "", nil, false
		}
		switch m := ev.Msg.(type) {
		case RequestVote:
			if m.Term == n.Term && (n.Voted == "" || n.Voted == ev.From || n.Bug == VotesTwice) {
				n.Voted = ev.From
				ctx.Send(ev.From, Vote{Term: n.Term, Granted: true})
			}
		case Vote:
			if m.Granted && m.Term == n.Term && n.Votes != nil && !slices.Contains(n.Votes, ev.From) {
				n.Votes = append(n.Votes, ev.From)
				slices.Sort(n.Votes)
				n.count(ctx)
			}
		}
	}
}

// count makes a candidate with votes from a majority the leader.
func (n *flawed) count(ctx *netsim.Context) {
	if !n.Leader && 2*len(n.Votes) > len(ctx.Peers())+1 {
		n.Leader = true
		ctx.Output(Leader{Term: n.Term})
	}
}
