package replication

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/lessons/voting"
	"github.com/dslessons/course/pkg/netsim"
)

// Course is the course's own Raft: lesson 11's election (terms, one vote
// per term, randomised timeouts, majority quorum) plus log replication,
// written as a netsim state machine in this file.
var Course Implementation = courseImpl{}

type courseImpl struct{}

func (courseImpl) Name() string { return "course Raft" }

func (courseImpl) Check(cfg *Config) error { return nil }

func (courseImpl) NewReplica(cfg *Config, self netsim.NodeID, members []netsim.NodeID) (Replica, error) {
	return &raftNode{cfg: cfg, self: self, members: members,
		commitRule: cfg.Rules.commit(), appendRule: cfg.Rules.append(), voteRule: cfg.Rules.vote()}, nil
}

type timerKind int

const (
	electionTimer timerKind = iota
	heartbeatTimer
)

type timerTag struct {
	kind timerKind
	term int
}

func (t timerTag) String() string {
	return [...]string{"election", "heartbeat"}[t.kind] + fmt.Sprintf(" t%d", t.term)
}

// raftNode is one replica. Its structure follows lesson 11's election
// node; what is new is the log, AppendEntries with its consistency check,
// nextIndex/matchIndex, the commit rule and the state machine.
type raftNode struct {
	cfg        *Config
	self       netsim.NodeID
	members    []netsim.NodeID // every replica, self included, in order
	commitRule CommitFunc
	appendRule AppendFunc
	voteRule   VoteFunc

	// Persistent state: the netsim node value survives a crash, so these
	// fields are the replica's disk.
	term     int
	votedFor netsim.NodeID
	log      Log

	// Volatile state, lost in a crash.
	role     Role
	leader   netsim.NodeID
	commit   int
	kv       *KV
	votes    map[netsim.NodeID]bool
	next     map[netsim.NodeID]int // leader: next index to send to each follower
	match    map[netsim.NodeID]int // leader: highest index known replicated on each follower
	election voting.ElectionTimer
}

func (n *raftNode) Status() Status {
	st := Status{Term: n.term, Role: n.role, Leader: n.leader, Log: n.log, Commit: n.commit, KV: n.kv}
	if n.kv != nil {
		st.Applied = n.kv.Applied()
	}
	return st
}

func (n *raftNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		// Volatile state starts afresh; the state machine is rebuilt by
		// applying the log again once the commit index is known.
		n.role, n.leader, n.commit, n.kv, n.election = Follower, "", 0, NewKV(), voting.ElectionTimer{}
		n.resetElection(ctx)
	case netsim.Timer:
		tag, _ := ev.Msg.(timerTag)
		switch tag.kind {
		case electionTimer:
			if n.election.Is(ev.Timer) && n.role != Leader {
				n.startElection(ctx)
			}
		case heartbeatTimer:
			if n.role == Leader && tag.term == n.term {
				n.replicate(ctx)
				ctx.SetTimer(n.cfg.Heartbeat, timerTag{heartbeatTimer, n.term})
			}
		}
	case netsim.Receive:
		n.receive(ctx, ev.From, ev.Msg)
	}
}

func (n *raftNode) resetElection(ctx *netsim.Context) {
	n.election.Reset(ctx, n.cfg.TimeoutMin, n.cfg.TimeoutSpread, timerTag{electionTimer, n.term})
}

func (n *raftNode) startElection(ctx *netsim.Context) {
	n.term++
	n.role, n.leader, n.votedFor = Candidate, "", n.self
	n.votes = map[netsim.NodeID]bool{n.self: true}
	for _, p := range n.members {
		if p != n.self {
			ctx.Send(p, RequestVote{n.term, n.log.LastIndex(), n.log.LastTerm()})
		}
	}
	n.resetElection(ctx)
	if 2*len(n.votes) > len(n.members) { // a cluster of one
		n.becomeLeader(ctx)
	}
}

// becomeFollower adopts term t (>= n.term) and follows leader ("" if unknown).
func (n *raftNode) becomeFollower(ctx *netsim.Context, t int, leader netsim.NodeID) {
	if t > n.term {
		n.term, n.votedFor = t, ""
	}
	wasLeader := n.role == Leader
	n.role, n.leader = Follower, leader
	if wasLeader || !n.election.Pending() {
		n.resetElection(ctx)
	}
}

func (n *raftNode) becomeLeader(ctx *netsim.Context) {
	n.role, n.leader = Leader, n.self
	n.election.Stop(ctx)
	n.next, n.match = map[netsim.NodeID]int{}, map[netsim.NodeID]int{}
	for _, p := range n.members {
		n.next[p], n.match[p] = n.log.LastIndex()+1, 0
	}
	if !n.cfg.SkipNoOp {
		// An entry of the new term, so that earlier entries can be
		// committed without waiting for a client (section 8 of the paper).
		n.log = append(n.log, Entry{Term: n.term})
	}
	n.replicate(ctx)
	ctx.SetTimer(n.cfg.Heartbeat, timerTag{heartbeatTimer, n.term})
	n.advanceCommit(ctx)
}

// replicate sends every follower the entries it is missing (or a heartbeat).
func (n *raftNode) replicate(ctx *netsim.Context) {
	for _, p := range n.members {
		if p != n.self {
			n.sendAppend(ctx, p)
		}
	}
}

func (n *raftNode) sendAppend(ctx *netsim.Context, to netsim.NodeID) {
	prev := n.next[to] - 1
	last := min(n.log.LastIndex(), prev+n.cfg.maxEntries())
	var entries []Entry
	if last > prev {
		entries = slices.Clone(n.log[prev:last]) // a copy travels, as on a real network
	}
	ctx.Send(to, AppendEntries{Term: n.term, PrevIndex: prev, PrevTerm: n.log.Term(prev), Entries: entries, Commit: n.commit})
}

// advanceCommit applies the commit rule to the match indexes.
func (n *raftNode) advanceCommit(ctx *netsim.Context) {
	match := make([]int, len(n.members))
	for i, p := range n.members {
		if p == n.self {
			match[i] = n.log.LastIndex()
		} else {
			match[i] = n.match[p]
		}
	}
	if c := min(n.commitRule(n.log, match, n.term, n.commit), n.log.LastIndex()); c > n.commit {
		n.commit = c
		n.apply(ctx)
	}
}

// apply feeds committed entries to the state machine; the leader answers
// the client of each.
func (n *raftNode) apply(ctx *netsim.Context) {
	for n.kv.LastApplied() < n.commit {
		i := n.kv.LastApplied() + 1
		e := n.log[i-1]
		n.kv.Apply(e)
		if n.role == Leader && !e.Cmd.IsNoOp() {
			ctx.Send(e.Cmd.Client, Result{Seq: e.Cmd.Seq, Index: i, Value: n.kv.Reply(e.Cmd)})
		}
	}
}

func (n *raftNode) receive(ctx *netsim.Context, from netsim.NodeID, msg any) {
	switch m := msg.(type) {
	case RequestVote:
		if m.Term > n.term {
			n.becomeFollower(ctx, m.Term, "")
		}
		grant := m.Term == n.term && (n.votedFor == "" || n.votedFor == from) &&
			n.voteRule(n.log.LastTerm(), n.log.LastIndex(), m.LastTerm, m.LastIndex)
		if grant {
			n.votedFor = from
			n.resetElection(ctx)
		}
		ctx.Send(from, Vote{n.term, grant})
	case Vote:
		if m.Term > n.term {
			n.becomeFollower(ctx, m.Term, "")
			return
		}
		if n.role == Candidate && m.Term == n.term && m.Granted {
			n.votes[from] = true
			if 2*len(n.votes) > len(n.members) {
				n.becomeLeader(ctx)
			}
		}
	case AppendEntries:
		n.appendEntries(ctx, from, m)
	case AppendReply:
		n.appendReply(ctx, from, m)
	case Submit:
		n.submit(ctx, from, m.Cmd)
	case Campaign:
		if n.role != Leader {
			n.startElection(ctx)
		}
	}
}

// appendEntries is the follower's side.
func (n *raftNode) appendEntries(ctx *netsim.Context, from netsim.NodeID, m AppendEntries) {
	if m.Term < n.term {
		ctx.Send(from, AppendReply{Term: n.term, LastIndex: n.log.LastIndex()})
		return
	}
	if m.Term > n.term || n.role != Follower {
		n.becomeFollower(ctx, m.Term, from)
	}
	n.leader = from
	n.resetElection(ctx)
	log, ok := n.appendRule(n.log, m.PrevIndex, m.PrevTerm, slices.Clone(m.Entries))
	if !ok {
		ctx.Send(from, AppendReply{Term: n.term, LastIndex: n.log.LastIndex()})
		return
	}
	n.log = log
	match := m.PrevIndex + len(m.Entries)
	// Only entries known to agree with the leader's log may be committed.
	n.commit = max(n.commit, min(m.Commit, match, n.log.LastIndex()))
	n.apply(ctx)
	ctx.Send(from, AppendReply{Term: n.term, Success: true, Match: match})
}

// appendReply is the leader's side.
func (n *raftNode) appendReply(ctx *netsim.Context, from netsim.NodeID, m AppendReply) {
	if m.Term > n.term {
		n.becomeFollower(ctx, m.Term, "")
		return
	}
	if n.role != Leader || m.Term != n.term {
		return
	}
	if m.Success {
		match := min(m.Match, n.log.LastIndex())
		n.match[from] = max(n.match[from], match)
		n.next[from] = max(n.next[from], match+1)
		n.advanceCommit(ctx)
		if n.next[from] <= n.log.LastIndex() {
			n.sendAppend(ctx, from)
		}
		return
	}
	// Refused: step back (at once to just past the follower's last entry
	// if that is further back) and try again.
	n.next[from] = max(n.match[from]+1, min(n.next[from]-1, m.LastIndex+1))
	n.sendAppend(ctx, from)
}

func (n *raftNode) submit(ctx *netsim.Context, from netsim.NodeID, cmd Command) {
	if n.role != Leader {
		ctx.Send(from, Redirect{Seq: cmd.Seq, Leader: n.leader})
		return
	}
	cmd.Client = from
	if cmd.IsNoOp() {
		return
	}
	// A retry of a command already in the log: answer if it is applied,
	// else the answer comes when it is.
	for i := n.log.LastIndex(); i >= 1; i-- {
		if c := n.log[i-1].Cmd; c.Client == cmd.Client && c.Seq == cmd.Seq {
			if i <= n.kv.LastApplied() {
				ctx.Send(from, Result{Seq: cmd.Seq, Index: i, Value: n.kv.Reply(cmd)})
			}
			return
		}
	}
	n.log = append(n.log, Entry{Term: n.term, Cmd: cmd})
	n.replicate(ctx)
	n.advanceCommit(ctx)
}
