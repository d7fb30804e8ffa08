package twophase_test

// Other answers the tests check: the notebook's starter code, typical
// mistakes (each a small change of the reference), and other correct
// designs.

import (
	"github.com/dslessons/course/lessons/labs/twophase"
	"github.com/dslessons/course/pkg/netsim"
)

var reference = twophase.Nodes{
	Coordinator: func(parts []netsim.NodeID) netsim.Node { return &Coordinator{Participants: parts} },
	Participant: func(canCommit bool) netsim.Node { return &Participant{CanCommit: canCommit} },
}

// The starter code of the notebook (renamed).

type starterParticipant struct {
	CanCommit bool
}

func (p *starterParticipant) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
	case netsim.Restart:
	case netsim.Timer:
	case netsim.Receive:
		switch ev.Msg.(type) {
		case twophase.Prepare:
			ctx.Send(ev.From, twophase.Vote{Yes: p.CanCommit})
			if p.CanCommit {
				ctx.Output(twophase.Commit)
			} else {
				ctx.Output(twophase.Abort)
			}
		case twophase.Decision:
		}
	}
}

type starterCoordinator struct {
	Participants []netsim.NodeID
}

func (c *starterCoordinator) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		for _, p := range c.Participants {
			ctx.Send(p, twophase.Prepare{})
		}
	case netsim.Restart:
	case netsim.Timer:
	case netsim.Receive:
		switch ev.Msg.(type) {
		case twophase.Vote:
		case twophase.Query:
		}
	}
}

var starter = twophase.Nodes{
	Coordinator: func(parts []netsim.NodeID) netsim.Node { return &starterCoordinator{Participants: parts} },
	Participant: func(canCommit bool) netsim.Node { return &starterParticipant{CanCommit: canCommit} },
}

// mistakenParticipant is the reference participant with one mistake.
type mistakenParticipant struct {
	Participant
	Kind string
}

func (p *mistakenParticipant) Handle(ctx *netsim.Context, ev netsim.Event) {
	_, asking := ev.Msg.(DecisionTimeout)
	asking = asking && ev.Kind == netsim.Timer
	switch p.Kind {
	case "aborts when in doubt": // "the coordinator is slow: give up"
		if asking {
			p.Timer = 0
			p.decide(ctx, twophase.Abort)
			return
		}
	case "forgets it is prepared": // "prepared" was only in memory
		if ev.Kind == netsim.Restart && p.State == "prepared" {
			p.State = "working"
		}
	case "never asks again": // asks after a restart only
		if asking {
			p.Timer = 0
			return
		}
	}
	p.Participant.Handle(ctx, ev)
}

// mistakenCoordinator is the reference coordinator with one mistake.
type mistakenCoordinator struct {
	Coordinator
	Kind  string
	Count int // "counts votes, not voters"
}

func (c *mistakenCoordinator) Handle(ctx *netsim.Context, ev netsim.Event) {
	vote, isVote := ev.Msg.(twophase.Vote)
	isVote = isVote && ev.Kind == netsim.Receive && c.Decision == "" && c.Yes != nil
	switch c.Kind {
	case "forgets its decision": // the decision was only in memory
		if ev.Kind == netsim.Restart {
			c.Decision = ""
		}
	case "commits on timeout": // "no news is good news"
		if ev.Kind == netsim.Timer {
			c.Timer = 0
			c.decide(ctx, twophase.Commit)
			return
		}
	case "counts any vote": // a no counts like a yes
		if isVote && !vote.Yes {
			ev.Msg = twophase.Vote{Yes: true}
		}
	case "expects two participants":
		if isVote && vote.Yes {
			c.Yes[ev.From] = true
			if len(c.Yes) == 2 {
				c.decide(ctx, twophase.Commit)
			}
			return
		}
	case "counts votes, not voters": // a copy of a vote counts again
		if isVote && vote.Yes {
			c.Count++
			if c.Count == len(c.Participants) {
				c.decide(ctx, twophase.Commit)
			}
			return
		}
	case "silent after restart": // neither presumes abort nor repeats its decision
		if ev.Kind == netsim.Restart {
			c.Yes, c.Timer = nil, 0
			return
		}
	case "no vote timer": // waits for every vote, for ever
		if ev.Kind == netsim.Timer {
			c.Timer = 0
			return
		}
	}
	c.Coordinator.Handle(ctx, ev)
}

// mistake returns the reference nodes with the mistake kind (in the
// participant or in the coordinator, whichever has it).
func mistake(kind string) twophase.Nodes {
	return twophase.Nodes{
		Coordinator: func(parts []netsim.NodeID) netsim.Node {
			return &mistakenCoordinator{Coordinator: Coordinator{Participants: parts}, Kind: kind}
		},
		Participant: func(canCommit bool) netsim.Node {
			return &mistakenParticipant{Participant: Participant{CanCommit: canCommit}, Kind: kind}
		},
	}
}

// untidy is the reference participant that never cancels a timer: a
// timer that fires when it is no longer needed does nothing. Correct,
// with many more states.
type untidy struct{ Participant }

func (p *untidy) Handle(ctx *netsim.Context, ev netsim.Event) {
	p.Participant.Handle(netsim.NewContext(keepTimers{ctx}), ev)
	p.Timer = 0
}

// keepTimers is a context that ignores CancelTimer.
type keepTimers struct{ *netsim.Context }

func (k keepTimers) Now() netsim.Time                             { return k.Context.Now() }
func (k keepTimers) Self() netsim.NodeID                          { return k.Context.Self() }
func (k keepTimers) Peers() []netsim.NodeID                       { return k.Context.Peers() }
func (k keepTimers) Logf(format string, args []any)               { k.Context.Logf(format, args...) }
func (k keepTimers) CancelTimer(netsim.TimerID) bool              { return false }
func (k keepTimers) Fail(err error)                               { panic(err) }
func (k keepTimers) SetTimer(d netsim.Time, t any) netsim.TimerID { return k.Context.SetTimer(d, t) }

var untidyNodes = twophase.Nodes{
	Coordinator: reference.Coordinator,
	Participant: func(canCommit bool) netsim.Node { return &untidy{Participant{CanCommit: canCommit}} },
}

// A design in which the coordinator pushes: it sends its decision again
// on a timer until every participant acknowledged it, and a prepared
// participant only waits.

type pushCoordinator struct {
	Participants []netsim.NodeID
	Yes, Acked   map[netsim.NodeID]bool
	Decision     twophase.Outcome
	Timer        netsim.TimerID
}

type (
	votesDue struct{}
	resend   struct{}
)

func (c *pushCoordinator) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		c.Yes = map[netsim.NodeID]bool{}
		for _, p := range c.Participants {
			ctx.Send(p, twophase.Prepare{})
		}
		c.Timer = ctx.SetTimer(30*netsim.Millisecond, votesDue{})
	case netsim.Restart:
		c.Yes, c.Acked, c.Timer = nil, nil, 0
		if c.Decision == "" {
			c.decide(ctx, twophase.Abort)
		} else {
			c.send(ctx)
		}
	case netsim.Timer:
		c.Timer = 0
		if c.Decision == "" {
			c.decide(ctx, twophase.Abort)
		} else {
			c.send(ctx)
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case twophase.Vote:
			if c.Decision != "" || c.Yes == nil {
				return
			}
			if !m.Yes {
				c.decide(ctx, twophase.Abort)
				return
			}
			c.Yes[ev.From] = true
			if len(c.Yes) == len(c.Participants) {
				c.decide(ctx, twophase.Commit)
			}
		case twophase.Ack:
			if c.Decision == "" {
				return
			}
			if c.Acked == nil {
				c.Acked = map[netsim.NodeID]bool{}
			}
			c.Acked[ev.From] = true
			if len(c.Acked) == len(c.Participants) {
				ctx.CancelTimer(c.Timer)
				c.Timer = 0
			}
		}
	}
}

func (c *pushCoordinator) decide(ctx *netsim.Context, o twophase.Outcome) {
	c.Decision = o
	ctx.Output(o)
	ctx.CancelTimer(c.Timer)
	c.send(ctx)
}

// send sends the decision to those that have not acknowledged it, and
// sets the timer to send it again.
func (c *pushCoordinator) send(ctx *netsim.Context) {
	for _, p := range c.Participants {
		if !c.Acked[p] {
			ctx.Send(p, twophase.Decision{Outcome: c.Decision})
		}
	}
	c.Timer = ctx.SetTimer(20*netsim.Millisecond, resend{})
}

type pushParticipant struct {
	CanCommit bool
	State     string
	Timer     netsim.TimerID
}

func (p *pushParticipant) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		p.State = "working"
		p.Timer = ctx.SetTimer(50*netsim.Millisecond, PrepareTimeout{})
	case netsim.Restart:
		if p.State == "working" {
			p.decide(ctx, twophase.Abort)
		}
	case netsim.Timer:
		p.Timer = 0
		if p.State == "working" {
			p.decide(ctx, twophase.Abort)
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case twophase.Prepare:
			if p.State != "working" {
				return
			}
			ctx.CancelTimer(p.Timer)
			p.Timer = 0
			if p.CanCommit {
				p.State = "prepared"
				ctx.Send(ev.From, twophase.Vote{Yes: true})
			} else {
				p.decide(ctx, twophase.Abort)
				ctx.Send(ev.From, twophase.Vote{Yes: false})
			}
		case twophase.Decision:
			if p.State == "prepared" || p.State == "working" && m.Outcome == twophase.Abort {
				p.decide(ctx, m.Outcome)
			}
			ctx.Send(ev.From, twophase.Ack{})
		}
	}
}

func (p *pushParticipant) decide(ctx *netsim.Context, o twophase.Outcome) {
	p.State = string(o)
	ctx.Output(o)
	ctx.CancelTimer(p.Timer)
	p.Timer = 0
}

var pushNodes = twophase.Nodes{
	Coordinator: func(parts []netsim.NodeID) netsim.Node { return &pushCoordinator{Participants: parts} },
	Participant: func(canCommit bool) netsim.Node { return &pushParticipant{CanCommit: canCommit} },
}
