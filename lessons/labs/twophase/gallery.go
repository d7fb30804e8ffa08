package twophase

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
	// AbortsInDoubt: a participant that voted yes aborts when the
	// decision is slow to come.
	AbortsInDoubt Bug = iota
	// ForgetsDecision: the coordinator keeps its decision in memory only,
	// and after a restart presumes abort.
	ForgetsDecision
	// CommitsOnTimeout: the coordinator decides commit when its vote
	// timer fires before every vote is in ("no news is good news").
	CommitsOnTimeout
	numBugs
	// none is the gallery's nodes without a bug: a correct two-phase
	// commit, which the blocking search runs.
	none Bug = -1
)

var bugNames = [...]string{"a participant that aborts on a timeout after voting yes",
	"a coordinator that does not log its decision", "a coordinator that commits when votes time out"}

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
	if b < 0 || b >= numBugs {
		return nil, fmt.Errorf("twophase: no gallery entry %d (0 to %d)", int(b), numBugs-1)
	}
	m, err := Build(textbook(b), Visible.In)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "gallery: %s\n", b)
	return labkit.Explain(w, m, Options(Visible.In))
}

// textbook returns the gallery's nodes with bug b (none: correct). Their
// types are unexported: the gallery is something to look at, not to hand
// in.
func textbook(b Bug) Nodes {
	return Nodes{
		Coordinator: func(parts []netsim.NodeID) netsim.Node { return &tbCoordinator{Bug: b, Parts: parts} },
		Participant: func(canCommit bool) netsim.Node { return &tbParticipant{Bug: b, CanCommit: canCommit} },
	}
}

// Timer tags of the gallery's nodes.
type (
	votesDue    struct{}
	prepareDue  struct{}
	decisionDue struct{}
)

func (votesDue) String() string    { return "votes due" }
func (prepareDue) String() string  { return "prepare due" }
func (decisionDue) String() string { return "ask again" }

// tbCoordinator sends Prepare at its start, decides commit on a yes from
// everyone and abort on a no or when its vote timer fires, and answers
// queries. Decision (its log) survives a crash, unless ForgetsDecision.
type tbCoordinator struct {
	Bug      Bug
	Parts    []netsim.NodeID
	Yes      []bool  // who voted yes (volatile)
	Decision Outcome // "" until decided (durable)
	Timer    netsim.TimerID
}

func (c *tbCoordinator) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		c.Yes = make([]bool, len(c.Parts))
		for _, p := range c.Parts {
			ctx.Send(p, Prepare{})
		}
		c.Timer = ctx.SetTimer(30*netsim.Millisecond, votesDue{})
	case netsim.Restart:
		c.Yes, c.Timer = nil, 0
		if c.Bug == ForgetsDecision {
			c.Decision = ""
		}
		if c.Decision == "" {
			c.decide(ctx, Abort) // presumed abort
		} else {
			c.tell(ctx)
		}
	case netsim.Timer:
		if c.Decision == "" {
			if c.Bug == CommitsOnTimeout {
				c.decide(ctx, Commit)
			} else {
				c.decide(ctx, Abort)
			}
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case Vote:
			i := index(c.Parts, ev.From)
			if c.Decision != "" || c.Yes == nil || i < 0 {
				return
			}
			if !m.Yes {
				c.decide(ctx, Abort)
				return
			}
			c.Yes[i] = true
			for _, y := range c.Yes {
				if !y {
					return
				}
			}
			c.decide(ctx, Commit)
		case Query:
			if c.Decision != "" {
				ctx.Send(ev.From, Decision{Outcome: c.Decision})
			}
		}
	}
}

func (c *tbCoordinator) decide(ctx *netsim.Context, o Outcome) {
	c.Decision = o
	ctx.Output(o)
	ctx.CancelTimer(c.Timer)
	c.tell(ctx)
}

func (c *tbCoordinator) tell(ctx *netsim.Context) {
	for _, p := range c.Parts {
		ctx.Send(p, Decision{Outcome: c.Decision})
	}
}

func index(ids []netsim.NodeID, id netsim.NodeID) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}

// Participant states of the gallery's participant.
const (
	working  = 0
	prepared = 1
	done     = 2
)

// tbParticipant votes when asked (yes if it can commit), aborts on its
// own if no Prepare comes, and once prepared asks the coordinator until
// it learns the decision. State (its log) survives a crash. It keeps one
// timer at a time.
type tbParticipant struct {
	Bug       Bug
	CanCommit bool
	State     int
	Timer     netsim.TimerID
}

func (p *tbParticipant) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		p.Timer = ctx.SetTimer(50*netsim.Millisecond, prepareDue{})
	case netsim.Restart:
		switch p.State {
		case working: // the work was in memory: it is gone
			p.decide(ctx, Abort)
		case prepared:
			p.ask(ctx)
		}
	case netsim.Timer:
		switch ev.Msg.(type) {
		case prepareDue:
			if p.State == working {
				p.decide(ctx, Abort) // no Prepare came: abort alone
			}
		case decisionDue:
			switch {
			case p.State == prepared && p.Bug == AbortsInDoubt:
				p.decide(ctx, Abort)
			case p.State == prepared:
				p.ask(ctx)
			}
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case Prepare:
			switch {
			case p.State == working && !p.CanCommit:
				p.decide(ctx, Abort)
				ctx.Send(ev.From, Vote{Yes: false})
			case p.State == working:
				p.State = prepared
				ctx.Send(ev.From, Vote{Yes: true})
				ctx.CancelTimer(p.Timer)
				p.Timer = ctx.SetTimer(20*netsim.Millisecond, decisionDue{})
			}
		case Decision:
			if p.State == prepared || p.State == working && m.Outcome == Abort {
				p.decide(ctx, m.Outcome)
			}
		}
	}
}

func (p *tbParticipant) ask(ctx *netsim.Context) {
	ctx.Send(Coordinator, Query{})
	p.Timer = ctx.SetTimer(20*netsim.Millisecond, decisionDue{})
}

func (p *tbParticipant) decide(ctx *netsim.Context, o Outcome) {
	p.State = done
	ctx.Output(o)
	ctx.CancelTimer(p.Timer)
}
