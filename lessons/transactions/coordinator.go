package transactions

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// CrashPoint makes the coordinator crash at a point of the protocol rather
// than at a time: right after sending Prepare to the first After
// participants, or right after logging its decision and sending it to the
// first After participants. The zero CrashPoint never crashes.
type CrashPoint struct {
	Phase Phase
	After int
}

// Phase names a CrashPoint's place in the protocol.
type Phase int

// Phases.
const (
	NoCrash Phase = iota
	// AfterPrepare: while sending Prepare (phase 1).
	AfterPrepare
	// AfterDecision: while sending the decision (phase 2), after logging
	// it.
	AfterDecision
)

func (c CrashPoint) String() string {
	switch c.Phase {
	case AfterPrepare:
		return fmt.Sprintf("after sending Prepare to %d participant(s)", c.After)
	case AfterDecision:
		return fmt.Sprintf("after logging the decision and sending it to %d participant(s)", c.After)
	}
	return "no crash"
}

// CoordinatorNode runs two-phase commit for the transaction: Prepare to
// every participant, collect the votes, decide, log the decision, report
// it with ctx.Output (Commit or Abort), and send it until every
// participant has acknowledged it. With RaftDecision it does not log the
// decision itself: it proposes it to the Raft group and sends whatever
// the group holds. A netsim node that never reads the clock, so a model
// checker can run it too; decision (its log) survives a crash unless
// Broken.ForgetDecision.
type CoordinatorNode struct {
	cfg   *Config
	parts []netsim.NodeID

	// Durable.
	decision Outcome
	begun    bool

	// Volatile.
	yes, no     map[netsim.NodeID]bool
	acks        map[netsim.NodeID]bool
	voteTimer   netsim.TimerID
	resendTimer netsim.TimerID
	proposed    bool
	reg         register

	// A crash point was reached: the runner crashes the node now. A crash
	// point fires once (crashed), not again after the restart.
	halted, crashed bool
}

// NewCoordinator returns the coordinator of the transaction cfg
// describes, to be added as node Coordinator.
func NewCoordinator(cfg Config) (*CoordinatorNode, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg
	return &CoordinatorNode{cfg: &c, parts: cfg.participants(), decision: Unknown,
		reg: register{members: cfg.replicas(), retry: registerRetryAfter}}, nil
}

// Decision is the coordinator's decision, Unknown until it has one.
func (c *CoordinatorNode) Decision() Outcome {
	if !c.decision.Decided() {
		return Unknown
	}
	return c.decision
}

type beginTimer struct{}

func (beginTimer) String() string { return "begin" }

type voteTimeout struct{}

func (voteTimeout) String() string { return "vote timeout" }

type resendTimer struct{}

func (resendTimer) String() string { return "resend decision" }

func (c *CoordinatorNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	if c.halted {
		if ev.Kind != netsim.Restart {
			return // crashed at a crash point; the crash itself follows at once
		}
		c.halted = false
	}
	switch ev.Kind {
	case netsim.Start:
		c.decision = Unknown
		ctx.SetTimer(c.cfg.Start, beginTimer{}) // nodes start at time 0

	case netsim.Restart:
		c.yes, c.no, c.acks, c.proposed = nil, nil, nil, false
		c.reg.reset()
		if c.cfg.Broken.ForgetDecision {
			c.decision = Unknown
		}
		switch {
		case c.decision.Decided():
			c.send(ctx) // tell everyone again
		case c.cfg.Protocol == RaftDecision:
			c.propose(ctx, Abort) // learns the outcome, abort unless decided
		default:
			// Presumed abort: no decision in the log, so none was sent.
			c.decide(ctx, Abort)
		}
	case netsim.Timer:
		switch t := ev.Msg.(type) {
		case beginTimer:
			if !c.begun && !c.decision.Decided() {
				c.begin(ctx)
			}
		case voteTimeout:
			if ev.Timer == c.voteTimer {
				c.tally(ctx, true)
			}
		case resendTimer:
			if c.decision.Decided() && c.missingAcks() {
				c.send(ctx)
			}
		case registerRetry:
			c.reg.onTimer(ctx, t, ev.Timer)
		}
	case netsim.Receive:
		c.receive(ctx, ev.From, ev.Msg)
	}
}

func (c *CoordinatorNode) begin(ctx *netsim.Context) {
	c.begun = true
	c.yes, c.no = map[netsim.NodeID]bool{}, map[netsim.NodeID]bool{}
	for i, p := range c.parts {
		if c.crashHere(AfterPrepare, i) {
			return
		}
		ctx.Send(p, Prepare{Tx: Tx})
	}
	if c.crashHere(AfterPrepare, len(c.parts)) {
		return
	}
	c.voteTimer = ctx.SetTimer(c.cfg.VoteTimeout, voteTimeout{})
}

func (c *CoordinatorNode) receive(ctx *netsim.Context, from netsim.NodeID, msg any) {
	switch m := msg.(type) {
	case VoteMsg:
		if c.yes == nil || c.decision.Decided() || c.proposed {
			return
		}
		if m.Yes {
			c.yes[from] = true
		} else {
			c.no[from] = true
		}
		c.tally(ctx, false)
	case Ack:
		if c.acks != nil && !c.acks[from] {
			c.acks[from] = true
			if !c.missingAcks() {
				ctx.CancelTimer(c.resendTimer) // everyone knows: done
			}
		}
	case Query:
		if c.decision.Decided() {
			ctx.Send(from, Decision{Tx: Tx, Outcome: c.decision})
		}
	default:
		if o, ok := c.reg.onMessage(ctx, from, msg); ok {
			c.decide(ctx, o)
		}
	}
}

// tally applies the decision rule to the votes so far.
func (c *CoordinatorNode) tally(ctx *netsim.Context, timedOut bool) {
	if c.yes == nil || c.decision.Decided() || c.proposed {
		return
	}
	o := c.cfg.decideRule()(len(c.yes), len(c.no), len(c.parts), timedOut)
	if !o.Decided() {
		return
	}
	if c.cfg.Protocol == RaftDecision {
		c.propose(ctx, o)
		return
	}
	c.decide(ctx, o)
}

func (c *CoordinatorNode) propose(ctx *netsim.Context, o Outcome) {
	c.proposed = true
	c.reg.propose(ctx, o)
}

// decide logs o (the commit point) and sends it.
func (c *CoordinatorNode) decide(ctx *netsim.Context, o Outcome) {
	if c.decision.Decided() {
		return
	}
	c.decision = o
	ctx.Output(o)
	ctx.CancelTimer(c.voteTimer)
	c.send(ctx)
}

// send sends the decision to every participant that has not acknowledged
// it, in order, and sets the timer to send it again.
func (c *CoordinatorNode) send(ctx *netsim.Context) {
	if c.acks == nil {
		c.acks = map[netsim.NodeID]bool{}
	}
	for i, p := range c.parts {
		if c.crashHere(AfterDecision, i) {
			return
		}
		if !c.acks[p] {
			ctx.Send(p, Decision{Tx: Tx, Outcome: c.decision})
		}
	}
	if c.crashHere(AfterDecision, len(c.parts)) {
		return
	}
	c.resendTimer = ctx.SetTimer(c.cfg.ResendEvery, resendTimer{})
}

// crashHere reports whether the configured crash point is phase after
// sent messages (sent = n: after all of them), and if so halts.
func (c *CoordinatorNode) crashHere(phase Phase, sent int) bool {
	cp := c.cfg.Crash
	if c.crashed || cp.Phase != phase || min(cp.After, len(c.parts)) != sent {
		return false
	}
	c.halted, c.crashed = true, true
	return true
}

func (c *CoordinatorNode) missingAcks() bool {
	for _, p := range c.parts {
		if !c.acks[p] {
			return true
		}
	}
	return false
}
