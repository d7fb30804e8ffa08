package transactions

import (
	"fmt"
	"maps"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
)

// The nodes encode and copy their state by hand (the StateCodec interface
// of pkg/mcheck), so that the model checker can run them: their
// configuration holds functions (the rules), which the checker's
// reflection refuses, and which never change during a run.

// AppendState appends an encoding of the participant's state: equal
// encodings mean the same behaviour from now on.
func (p *ParticipantNode) AppendState(b []byte) []byte {
	b = fmt.Appendf(b, "%s|%d|%s|%v|%d|%d|", p.id, p.state, p.vote, p.hasTimer, p.timer, p.prepTimer)
	for _, q := range p.peers { // in peer order, never map order
		if s, ok := p.heard[q]; ok {
			b = fmt.Appendf(b, "%s=%d,", q, s)
		}
	}
	return p.reg.appendState(append(b, '|'))
}

// CloneNode returns an independent copy of the participant.
func (p *ParticipantNode) CloneNode() netsim.Node {
	c := *p
	c.peers = slices.Clone(p.peers)
	c.heard = maps.Clone(p.heard)
	c.reg = p.reg.clone()
	return &c
}

// AppendState appends an encoding of the coordinator's state.
func (c *CoordinatorNode) AppendState(b []byte) []byte {
	b = fmt.Appendf(b, "%s|%v|%v|%v|%v|%d|%d|", c.decision, c.begun, c.proposed, c.halted, c.crashed, c.voteTimer, c.resendTimer)
	for _, p := range c.parts {
		b = fmt.Appendf(b, "%s:%v%v%v%v,", p, c.yes == nil, c.yes[p], c.no[p], c.acks[p])
	}
	return c.reg.appendState(append(b, fmt.Sprintf("|%v|", c.acks == nil)...))
}

// CloneNode returns an independent copy of the coordinator.
func (c *CoordinatorNode) CloneNode() netsim.Node {
	d := *c
	d.parts = slices.Clone(c.parts)
	d.yes, d.no, d.acks = maps.Clone(c.yes), maps.Clone(c.no), maps.Clone(c.acks)
	d.reg = c.reg.clone()
	return &d
}

func (r *register) appendState(b []byte) []byte {
	b = fmt.Appendf(b, "%d|%d|%d|", r.guess, r.seq, r.timer)
	if r.pending != nil {
		b = fmt.Appendf(b, "%+v", *r.pending)
	}
	return b
}

func (r register) clone() register {
	c := r
	c.members = slices.Clone(r.members)
	if r.pending != nil {
		p := *r.pending
		c.pending = &p
	}
	return c
}
