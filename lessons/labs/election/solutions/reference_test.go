package election_test

// The reference answer of the lab, as the solutions file has it (the test
// TestReferenceIsTheSolution checks that they agree).

import (
	"github.com/dslessons/course/lessons/labs/election"
	"github.com/dslessons/course/pkg/netsim"
)

// == answer: Lab
// Node is one node of the election: a follower, a candidate or the leader
// of its current term.
type Node struct {
	Term     int                    // the latest term this node has seen
	VotedFor netsim.NodeID          // whom it voted for in Term ("": nobody yet)
	Role     string                 // "follower", "candidate" or "leader"
	Votes    map[netsim.NodeID]bool // a candidate's votes in Term, its own included
	Timer    netsim.TimerID         // the pending election timer (0: none)
}

// Timer tags.
type (
	ElectionTimeout struct{}
	HeartbeatTick   struct{}
)

func (n *Node) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		// Term and VotedFor survive a crash (they are on disk); the rest does not.
		n.Role, n.Votes = "follower", nil
		n.resetTimer(ctx)
	case netsim.Timer:
		switch ev.Msg.(type) {
		case ElectionTimeout:
			n.Timer = 0 // it fired
			if n.Role != "leader" {
				n.campaign(ctx)
			}
		case HeartbeatTick:
			if n.Role == "leader" {
				ctx.Broadcast(election.Heartbeat{Term: n.Term})
				ctx.SetTimer(50*netsim.Millisecond, HeartbeatTick{})
			}
		}
	case netsim.Receive:
		if t, ok := election.TermOf(ev.Msg); ok && t > n.Term { // a newer term: follow it
			n.Term, n.VotedFor, n.Role, n.Votes = t, "", "follower", nil
			n.resetTimer(ctx)
		}
		switch m := ev.Msg.(type) {
		case election.RequestVote:
			grant := m.Term == n.Term && (n.VotedFor == "" || n.VotedFor == ev.From)
			if grant {
				n.VotedFor = ev.From
				n.resetTimer(ctx)
			}
			ctx.Send(ev.From, election.Vote{Term: n.Term, Granted: grant})
		case election.Vote:
			if n.Role == "candidate" && m.Term == n.Term && m.Granted {
				n.Votes[ev.From] = true // a map: a voter counts once
				n.leadIfMajority(ctx)
			}
		case election.Heartbeat:
			if m.Term == n.Term && n.Role != "leader" {
				n.Role, n.Votes = "follower", nil
				n.resetTimer(ctx)
			}
		}
	}
}

// campaign starts an election in a new term.
func (n *Node) campaign(ctx *netsim.Context) {
	n.Term++
	n.Role, n.VotedFor = "candidate", ctx.Self()
	n.Votes = map[netsim.NodeID]bool{ctx.Self(): true}
	ctx.Broadcast(election.RequestVote{Term: n.Term})
	n.resetTimer(ctx) // a split vote: try again later
	n.leadIfMajority(ctx)
}

// leadIfMajority makes a candidate with votes from a majority of all
// nodes the leader.
func (n *Node) leadIfMajority(ctx *netsim.Context) {
	if 2*len(n.Votes) <= len(ctx.Peers())+1 {
		return
	}
	n.Role = "leader"
	ctx.Output(election.Leader{Term: n.Term})
	ctx.CancelTimer(n.Timer)
	n.Timer = 0
	ctx.Broadcast(election.Heartbeat{Term: n.Term})
	ctx.SetTimer(50*netsim.Millisecond, HeartbeatTick{})
}

// resetTimer (re)arms the election timer: 150–300 ms, at random.
func (n *Node) resetTimer(ctx *netsim.Context) {
	ctx.CancelTimer(n.Timer)
	d := 150*netsim.Millisecond + netsim.Time(ctx.Rand().Int64N(int64(150*netsim.Millisecond)))
	n.Timer = ctx.SetTimer(d, ElectionTimeout{})
}

// == end
