package protocols

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// Two-phase commit: coordinator C asks participants to prepare, commits
// if every one votes yes, aborts otherwise or after a timeout, and tells
// them. A participant that has not voted may abort on its own after a
// timeout; one that voted yes must wait for the decision (it blocks if C
// crashed). A participant that restarts after voting yes asks C again.

// Prepare asks a participant to vote.
type Prepare struct{}

// Vote is a participant's answer.
type Vote struct{ Yes bool }

// Decision is the coordinator's verdict.
type Decision struct{ Commit bool }

// Query asks the coordinator for its decision again (a participant
// recovering from a crash after voting yes).
type Query struct{}

// Outcome is what a node outputs when it decides.
type Outcome string

// Decisions.
const (
	Commit Outcome = "commit"
	Abort  Outcome = "abort"
)

// Timeout is the tag of every 2PC timer.
type Timeout struct{}

// Coordinator runs two-phase commit over Participants.
type Coordinator struct {
	Participants []netsim.NodeID
	Yes          []netsim.NodeID // votes received
	Decided      bool
}

func (c *Coordinator) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		for _, p := range c.Participants {
			ctx.Send(p, Prepare{})
		}
		ctx.SetTimer(100*netsim.Millisecond, Timeout{})
	case netsim.Timer:
		c.decide(ctx, false)
	case netsim.Restart: // presumed abort: a coordinator that crashed undecided aborts
		c.decide(ctx, false)
	case netsim.Receive:
		if _, ok := ev.Msg.(Query); ok {
			if c.Decided {
				ctx.Send(ev.From, Decision{Commit: len(c.Yes) == len(c.Participants)})
			}
			return
		}
		v, ok := ev.Msg.(Vote)
		switch {
		case !ok || c.Decided:
		case !v.Yes:
			c.decide(ctx, false)
		case !slices.Contains(c.Yes, ev.From): // a duplicate vote counts once
			c.Yes = append(c.Yes, ev.From)
			if len(c.Yes) == len(c.Participants) {
				c.decide(ctx, true)
			}
		}
	}
}

func (c *Coordinator) decide(ctx *netsim.Context, commit bool) {
	if c.Decided {
		return
	}
	c.Decided = true
	ctx.Output(map[bool]Outcome{true: Commit, false: Abort}[commit])
	for _, p := range c.Participants {
		ctx.Send(p, Decision{Commit: commit})
	}
}

// Participant votes Yes unless it already aborted.
type Participant struct {
	Voted, Decided bool
	// AbortAfterVote is a bug: having voted yes, the participant gives
	// up waiting and aborts on a timeout.
	AbortAfterVote bool
}

func (p *Participant) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		ctx.SetTimer(50*netsim.Millisecond, Timeout{})
	case netsim.Restart: // the fields survive a crash, as on disk
		switch {
		case !p.Voted:
			p.decide(ctx, Abort)
		case !p.Decided:
			ctx.Send("C", Query{})
		}
	case netsim.Timer:
		if !p.Voted || p.AbortAfterVote {
			p.decide(ctx, Abort)
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case Prepare:
			if p.Voted {
				return
			}
			p.Voted = true
			ctx.Send(ev.From, Vote{Yes: !p.Decided})
			if p.AbortAfterVote && !p.Decided {
				ctx.SetTimer(50*netsim.Millisecond, Timeout{})
			}
		case Decision:
			p.decide(ctx, map[bool]Outcome{true: Commit, false: Abort}[m.Commit])
		}
	}
}

func (p *Participant) decide(ctx *netsim.Context, o Outcome) {
	if !p.Decided {
		p.Decided = true
		ctx.Output(o)
	}
}

// TwoPhase returns a model of coordinator C and participants P1..Pn.
func TwoPhase(n int, buggy bool) *mcheck.Model {
	m := mcheck.NewModel(1)
	c := &Coordinator{}
	for i := 1; i <= n; i++ {
		c.Participants = append(c.Participants, netsim.NodeID(fmt.Sprintf("P%d", i)))
	}
	must(m.AddNode("C", c))
	for _, p := range c.Participants {
		must(m.AddNode(p, &Participant{AbortAfterVote: buggy}))
	}
	return m
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Atomicity is the invariant: no node commits while another aborts.
var Atomicity = mcheck.Invariant{Name: "atomicity", Check: func(s *mcheck.State) error {
	var commit, abort netsim.NodeID
	for _, id := range s.Nodes() {
		for _, o := range s.Outputs(id) {
			switch o {
			case Commit:
				commit = id
			case Abort:
				abort = id
			}
		}
	}
	if commit != "" && abort != "" {
		return fmt.Errorf("%s committed but %s aborted", commit, abort)
	}
	return nil
}}

// AllDecided is the goal: every participant that is up has decided.
var AllDecided = mcheck.Predicate{Name: "every live participant decided", Holds: func(s *mcheck.State) bool {
	for _, id := range s.Nodes() {
		if id != "C" && !s.Crashed(id) && len(s.Outputs(id)) == 0 {
			return false
		}
	}
	return true
}}
