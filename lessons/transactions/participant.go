package transactions

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
)

// ParticipantNode is a resource manager taking part in the transaction:
// it did its share of the work at the start (and holds its locks), votes
// when the coordinator asks, and applies the outcome, which it also
// reports with ctx.Output (Commit or Abort). A netsim node (its Handle is
// the whole protocol) that never reads the clock, so a model checker can
// run it too; its fields survive a crash, so state and vote stand for
// what it wrote to its log.
type ParticipantNode struct {
	cfg    *Config
	id     netsim.NodeID
	peers  []netsim.NodeID // the other participants
	voteNo bool

	// Durable: the participant's log.
	state State
	vote  Vote

	// Volatile.
	heard     map[netsim.NodeID]State // cooperative termination: peers' replies
	timer     netsim.TimerID          // the decision timer, while prepared
	hasTimer  bool
	prepTimer netsim.TimerID // the prepare timeout, while working
	reg       register       // RaftDecision: the group's client

}

// NewParticipant returns participant id of the transaction cfg describes
// (its timeouts, protocol and rules; it votes no if cfg.VoteNo names it).
func NewParticipant(cfg Config, id netsim.NodeID) (*ParticipantNode, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	parts := cfg.participants()
	if !slices.Contains(parts, id) {
		return nil, fmt.Errorf("transactions: %q is not a participant (p1..p%d)", id, cfg.Participants)
	}
	var peers []netsim.NodeID
	for _, q := range parts {
		if q != id {
			peers = append(peers, q)
		}
	}
	c := cfg
	return &ParticipantNode{cfg: &c, id: id, peers: peers, voteNo: slices.Contains(cfg.VoteNo, id),
		reg: register{members: cfg.replicas(), retry: registerRetryAfter}}, nil
}

// State is the participant's state; Vote what it voted.
func (p *ParticipantNode) State() State { return p.state }

// Vote is what the participant voted (NotVoted before it votes).
func (p *ParticipantNode) Vote() Vote { return p.vote }

type prepareTimeout struct{}

func (prepareTimeout) String() string { return "prepare timeout" }

type decisionTimeout struct{}

func (decisionTimeout) String() string { return "decision timeout" }

func (p *ParticipantNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		p.state = Working
		// Nodes start at time 0: no clock needed.
		p.prepTimer = ctx.SetTimer(p.cfg.Start+p.cfg.PrepareTimeout, prepareTimeout{})
	case netsim.Restart:
		p.heard, p.hasTimer = nil, false
		p.reg.reset()
		switch p.state {
		case Working:
			// The work done before voting was in memory: it is gone, and
			// since this participant never voted yes it may abort.
			p.decide(ctx, Abort)
		case Prepared:
			// Still in doubt after the restart: ask at once.
			p.ask(ctx)
		}
	case netsim.Timer:
		switch t := ev.Msg.(type) {
		case prepareTimeout:
			if p.state == Working {
				p.decide(ctx, Abort) // no Prepare came: abort on its own
			}
		case decisionTimeout:
			if p.state == Prepared && p.hasTimer && ev.Timer == p.timer {
				if p.cfg.Broken.AbortOnTimeout {
					p.decide(ctx, Abort)
					return
				}
				p.ask(ctx)
			}
		case registerRetry:
			p.reg.onTimer(ctx, t, ev.Timer)
		}
	case netsim.Receive:
		p.receive(ctx, ev.From, ev.Msg)
	}
}

func (p *ParticipantNode) receive(ctx *netsim.Context, from netsim.NodeID, msg any) {
	switch m := msg.(type) {
	case Prepare:
		switch p.state {
		case Working:
			if p.voteNo {
				p.vote = No
				p.decide(ctx, Abort)
				ctx.Send(from, VoteMsg{Tx: m.Tx, Yes: false})
				return
			}
			ctx.CancelTimer(p.prepTimer)
			p.state, p.vote = Prepared, Yes
			ctx.Send(from, VoteMsg{Tx: m.Tx, Yes: true})
			p.armDecisionTimer(ctx)
		case Prepared:
			ctx.Send(from, VoteMsg{Tx: m.Tx, Yes: true}) // the vote was lost
		case Aborted:
			ctx.Send(from, VoteMsg{Tx: m.Tx, Yes: false})
		}
	case Decision:
		if m.Outcome.Decided() && !p.state.Decided() {
			p.decide(ctx, m.Outcome)
		}
		ctx.Send(from, Ack{Tx: m.Tx})
	case Query:
		before := p.state
		if p.state == Working {
			p.decide(ctx, Abort)
		}
		ctx.Send(from, StateReply{Tx: m.Tx, State: before})
	case StateReply:
		if p.state != Prepared || !slices.Contains(p.peers, from) {
			return
		}
		if p.heard == nil {
			p.heard = map[netsim.NodeID]State{}
		}
		p.heard[from] = m.State
		var replies []State
		for _, q := range p.peers { // in a fixed order, never map order
			if s, ok := p.heard[q]; ok {
				replies = append(replies, s)
			}
		}
		if o := p.cfg.terminate(p.state, replies); o.Decided() {
			p.decide(ctx, o)
		}
	default:
		if o, ok := p.reg.onMessage(ctx, from, msg); ok && p.state == Prepared {
			p.decide(ctx, o)
		}
	}
}

// ask tries to learn the outcome: from the coordinator; with cooperative
// termination also from the other participants; with RaftDecision from
// the group, proposing abort (which wins only if nothing was decided).
func (p *ParticipantNode) ask(ctx *netsim.Context) {
	switch p.cfg.Protocol {
	case RaftDecision:
		p.reg.propose(ctx, Abort)
	case Cooperative:
		ctx.Send(Coordinator, Query{Tx: Tx})
		for _, q := range p.peers {
			ctx.Send(q, Query{Tx: Tx})
		}
	default:
		ctx.Send(Coordinator, Query{Tx: Tx})
	}
	p.armDecisionTimer(ctx)
}

func (p *ParticipantNode) armDecisionTimer(ctx *netsim.Context) {
	if p.hasTimer {
		ctx.CancelTimer(p.timer)
	}
	p.timer, p.hasTimer = ctx.SetTimer(p.cfg.DecisionTimeout, decisionTimeout{}), true
}

// decide makes o final: commit applies the writes, abort undoes them; the
// locks are released either way.
func (p *ParticipantNode) decide(ctx *netsim.Context, o Outcome) {
	if p.state.Decided() {
		return
	}
	if o == Commit {
		p.state = Committed
	} else {
		p.state = Aborted
	}
	ctx.Output(o)
	if p.hasTimer {
		ctx.CancelTimer(p.timer)
		p.hasTimer = false
	}
	p.reg.reset()
}
