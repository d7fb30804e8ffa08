package twophase_test

// The reference answer of the lab, as the solutions file has it (the test
// TestReferenceIsTheSolution checks that they agree): Participant and
// Coordinator.

import (
	"github.com/dslessons/course/lessons/labs/twophase"
	"github.com/dslessons/course/pkg/netsim"
)

// == answer: Lab
// Participant is one participant of the transaction: it votes when the
// coordinator asks, and applies the coordinator's decision.
type Participant struct {
	CanCommit bool           // false: its part of the work failed, so it must vote no
	State     string         // "working", "prepared", "committed" or "aborted": its log, kept across a crash
	Timer     netsim.TimerID // its one pending timer (0: none)
}

// Timer tags of the participant.
type (
	PrepareTimeout  struct{} // no Prepare came
	DecisionTimeout struct{} // prepared, and the decision has not come yet
)

func (p *Participant) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		p.State = "working"
		p.Timer = ctx.SetTimer(50*netsim.Millisecond, PrepareTimeout{})
	case netsim.Restart: // the fields are as they were; the timers are gone
		switch p.State {
		case "working": // its work was in memory and is lost; it promised nothing
			p.decide(ctx, twophase.Abort)
		case "prepared": // in doubt: only the coordinator knows
			p.ask(ctx)
		}
	case netsim.Timer:
		p.Timer = 0 // it fired
		switch ev.Msg.(type) {
		case PrepareTimeout:
			if p.State == "working" { // nobody asked it to vote: it may abort alone
				p.decide(ctx, twophase.Abort)
			}
		case DecisionTimeout:
			if p.State == "prepared" { // never decide alone after a yes: ask again
				p.ask(ctx)
			}
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case twophase.Prepare:
			switch {
			case p.State == "working" && p.CanCommit:
				p.State = "prepared" // write the promise down before making it
				ctx.Send(ev.From, twophase.Vote{Yes: true})
				ctx.CancelTimer(p.Timer)
				p.Timer = ctx.SetTimer(20*netsim.Millisecond, DecisionTimeout{})
			case p.State == "working":
				p.decide(ctx, twophase.Abort)
				ctx.Send(ev.From, twophase.Vote{Yes: false})
			}
		case twophase.Decision:
			if p.State == "prepared" || p.State == "working" && m.Outcome == twophase.Abort {
				p.decide(ctx, m.Outcome)
			}
		}
	}
}

// ask asks the coordinator for the decision, and sets a timer to ask
// again.
func (p *Participant) ask(ctx *netsim.Context) {
	ctx.Send(twophase.Coordinator, twophase.Query{})
	p.Timer = ctx.SetTimer(20*netsim.Millisecond, DecisionTimeout{})
}

// decide applies the decision and reports it. Its one timer is of no
// use any more: cancelling it keeps the state space small.
func (p *Participant) decide(ctx *netsim.Context, o twophase.Outcome) {
	p.State = "aborted"
	if o == twophase.Commit {
		p.State = "committed"
	}
	ctx.Output(o)
	ctx.CancelTimer(p.Timer)
	p.Timer = 0
}

// == answer: Lab #2
// Coordinator runs two-phase commit over its participants.
type Coordinator struct {
	Participants []netsim.NodeID
	Yes          map[netsim.NodeID]bool // who voted yes: in memory, lost in a crash
	Decision     twophase.Outcome       // "" until decided: its log, kept across a crash
	Timer        netsim.TimerID
}

// VoteTimeout is the tag of the coordinator's timer: votes are missing.
type VoteTimeout struct{}

func (c *Coordinator) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		c.Yes = map[netsim.NodeID]bool{}
		for _, p := range c.Participants {
			ctx.Send(p, twophase.Prepare{})
		}
		c.Timer = ctx.SetTimer(30*netsim.Millisecond, VoteTimeout{})
	case netsim.Restart:
		c.Yes, c.Timer = nil, 0 // the votes and the timer are lost
		if c.Decision == "" {
			c.decide(ctx, twophase.Abort) // presumed abort: nobody was told commit
		} else {
			c.tell(ctx) // the log says what was decided: say it again
		}
	case netsim.Timer: // the vote timer fired
		c.Timer = 0
		if c.Decision == "" { // a vote is missing: abort
			c.decide(ctx, twophase.Abort)
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
			c.Yes[ev.From] = true // a set: a copy of a vote counts once
			if len(c.Yes) == len(c.Participants) {
				c.decide(ctx, twophase.Commit)
			}
		case twophase.Query:
			if c.Decision != "" {
				ctx.Send(ev.From, twophase.Decision{Outcome: c.Decision})
			}
		}
	}
}

// decide logs the decision (the commit point), reports it and sends it.
func (c *Coordinator) decide(ctx *netsim.Context, o twophase.Outcome) {
	c.Decision = o
	ctx.Output(o)
	ctx.CancelTimer(c.Timer)
	c.Timer = 0
	c.tell(ctx)
}

// tell sends the decision to every participant.
func (c *Coordinator) tell(ctx *netsim.Context) {
	for _, p := range c.Participants {
		ctx.Send(p, twophase.Decision{Outcome: c.Decision})
	}
}

// == end
