package election_test

// Other answers the tests check: the notebook's starter code and typical
// mistakes, each a small change of the reference node.

import (
	"github.com/dslessons/course/lessons/labs/election"
	"github.com/dslessons/course/pkg/netsim"
)

// The starter code of the notebook (renamed).

type starterNode struct {
	Term  int
	Timer netsim.TimerID
}

type starterTimeout struct{}

func (n *starterNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		d := 150*netsim.Millisecond + netsim.Time(ctx.Rand().Int64N(int64(150*netsim.Millisecond)))
		n.Timer = ctx.SetTimer(d, starterTimeout{})
	case netsim.Timer:
		n.Term++
		ctx.Broadcast(election.RequestVote{Term: n.Term})
	case netsim.Receive:
		switch ev.Msg.(type) {
		case election.RequestVote:
		case election.Vote:
		case election.Heartbeat:
		}
	}
}

func newStarter() netsim.Node   { return &starterNode{} }
func newReference() netsim.Node { return &Node{} }

// mistake is the reference node with one mistake.
type mistake struct {
	Node
	Kind string
}

func (n *mistake) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch n.Kind {
	case "half is enough": // 2·votes ≥ nodes: right for 3 nodes, not for 4
		if v, ok := ev.Msg.(election.Vote); ok && ev.Kind == netsim.Receive && n.Role == "candidate" && v.Term == n.Term && v.Granted {
			n.Votes[ev.From] = true
			if 2*len(n.Votes) >= len(ctx.Peers())+1 {
				n.Role = "leader"
				ctx.Output(election.Leader{Term: n.Term})
				ctx.CancelTimer(n.Timer)
				n.Timer = 0
				ctx.Broadcast(election.Heartbeat{Term: n.Term})
			}
			return
		}
	case "needs every vote": // safe, but stuck when a node is down
		if v, ok := ev.Msg.(election.Vote); ok && ev.Kind == netsim.Receive && n.Role == "candidate" && v.Term == n.Term && v.Granted {
			n.Votes[ev.From] = true
			if len(n.Votes) == len(ctx.Peers())+1 {
				n.Role = "leader"
				ctx.Output(election.Leader{Term: n.Term})
				ctx.CancelTimer(n.Timer)
				n.Timer = 0
			}
			return
		}
	case "counts stale votes": // a vote of an earlier term counts too
		if v, ok := ev.Msg.(election.Vote); ok && ev.Kind == netsim.Receive && v.Term < n.Term && v.Granted && n.Role == "candidate" {
			n.Votes[ev.From] = true
			n.leadIfMajority(ctx)
			return
		}
	case "keeps its old vote": // a new term does not free the vote
		if t, ok := election.TermOf(ev.Msg); ok && ev.Kind == netsim.Receive && t > n.Term {
			n.Term, n.Role, n.Votes = t, "follower", nil // VotedFor stays
			n.resetTimer(ctx)
		}
	case "candidate never retries": // no new election after a split vote
		if _, ok := ev.Msg.(ElectionTimeout); ok && ev.Kind == netsim.Timer {
			n.Node.Handle(ctx, ev)
			if n.Role == "candidate" {
				ctx.CancelTimer(n.Timer)
				n.Timer = 0
			}
			return
		}
	}
	n.Node.Handle(ctx, ev)
}

func newMistake(kind string) func() netsim.Node {
	return func() netsim.Node { return &mistake{Kind: kind} }
}
