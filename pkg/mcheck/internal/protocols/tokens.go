package protocols

import (
	"fmt"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// A deep bug for random walks: A sends N numbered tokens to B, which
// keeps the set it received and outputs "full" when it has them all; two
// noise nodes ping each other forever. The invariant "never full" first
// breaks after exactly N deliveries, in any order, with any amount of
// noise in between.

// Token is one of A's tokens.
type Token struct{ I int }

// Tokens sends N tokens at start.
type Tokens struct{ N int }

func (t *Tokens) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start {
		for i := 0; i < t.N; i++ {
			ctx.Send("B", Token{I: i})
		}
	}
}

// Collector keeps the tokens it received.
type Collector struct {
	N   int
	Got uint64 // bit i: token i received
}

func (c *Collector) Handle(ctx *netsim.Context, ev netsim.Event) {
	if tok, ok := ev.Msg.(Token); ok && ev.Kind == netsim.Receive {
		c.Got |= 1 << tok.I
		if c.Got == 1<<c.N-1 {
			ctx.Output("full")
		}
	}
}

// Pinger sends a ping to its peer at start and on every message, and
// counts modulo 3 (noise for the search).
type Pinger struct {
	Peer netsim.NodeID
	K    int
}

func (p *Pinger) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start || ev.Kind == netsim.Receive {
		p.K = (p.K + 1) % 3
		ctx.Send(p.Peer, "ping")
	}
}

// TokenModel returns the model with n tokens.
func TokenModel(n int) *mcheck.Model {
	m := mcheck.NewModel(1)
	must(m.AddNode("A", &Tokens{N: n}))
	must(m.AddNode("B", &Collector{N: n}))
	must(m.AddNode("X", &Pinger{Peer: "Y"}))
	must(m.AddNode("Y", &Pinger{Peer: "X"}))
	return m
}

// NeverFull is the invariant the token model breaks.
var NeverFull = mcheck.Invariant{Name: "never full", Check: func(s *mcheck.State) error {
	if len(s.Outputs("B")) > 0 {
		return fmt.Errorf("B has every token")
	}
	return nil
}}
