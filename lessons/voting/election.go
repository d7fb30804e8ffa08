package voting

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Rule decides when a candidate has won and whether a leader may stay.
type Rule int

const (
	// Majority is Raft's rule: a candidate needs votes from more than half
	// of all nodes, and a leader steps down when it has not heard from a
	// majority (itself included) for Lease.
	Majority Rule = iota
	// Reachable is the rule without quorums: a candidate wins when nobody
	// who answered within VoteWindow refused, however few answered, and a
	// leader never steps down on its own.
	Reachable
)

func (r Rule) String() string {
	switch r {
	case Majority:
		return "majority quorum"
	case Reachable:
		return "no quorum (whoever answers)"
	}
	return fmt.Sprintf("Rule(%d)", int(r))
}

// ElectionConfig describes a cluster running Raft-style leader election.
type ElectionConfig struct {
	Nodes int // 2..15, named n0, n1, ...
	// Election timeouts are drawn uniformly from [TimeoutMin,
	// TimeoutMin+TimeoutSpread] by each node from its own seeded stream,
	// afresh every time the timer is reset.
	TimeoutMin, TimeoutSpread netsim.Time
	Heartbeat                 netsim.Time  // leader's heartbeat interval, < TimeoutMin
	Lease                     netsim.Time  // Majority: step down without a majority's acks for this long
	VoteWindow                netsim.Time  // Reachable: how long a candidate waits for answers
	Delay                     netsim.Delay // one-way message delay on every link
	Rule                      Rule
	Seed                      uint64
	Trace                     bool // keep the netsim transcript in the result
	// Handlers are the nodes' vote handlers; zero fields mean the
	// library's own, GrantVote and CountVote. The notebook's editable cell
	// plugs its versions in here.
	Handlers VoteHandlers
}

// DefaultElection is five nodes, timeouts 150–300 ms, heartbeats every
// 50 ms, a 90 ms lease, 1–5 ms delays, majority rule, seed 1 (timeouts as in
// Ongaro and Ousterhout's experiments).
func DefaultElection() ElectionConfig {
	return ElectionConfig{
		Nodes: 5, TimeoutMin: 150 * netsim.Millisecond, TimeoutSpread: 150 * netsim.Millisecond,
		Heartbeat: 50 * netsim.Millisecond, Lease: 90 * netsim.Millisecond, VoteWindow: 20 * netsim.Millisecond,
		Delay: netsim.Uniform(1*netsim.Millisecond, 5*netsim.Millisecond), Rule: Majority, Seed: 1,
	}
}

// Validate reports whether c is usable.
func (c ElectionConfig) Validate() error {
	switch {
	case c.Nodes < 2 || c.Nodes > 15:
		return fmt.Errorf("voting: %d nodes, allowed [2,15]", c.Nodes)
	case c.TimeoutMin <= 0:
		return fmt.Errorf("voting: election timeout minimum %v must be > 0", c.TimeoutMin)
	case c.TimeoutSpread < 0:
		return fmt.Errorf("voting: election timeout spread %v must be >= 0", c.TimeoutSpread)
	case c.Heartbeat <= 0 || c.Heartbeat >= c.TimeoutMin:
		return fmt.Errorf("voting: heartbeat %v must be in (0, %v) (below the election timeout)", c.Heartbeat, c.TimeoutMin)
	case c.Rule != Majority && c.Rule != Reachable:
		return fmt.Errorf("voting: unknown rule %d", int(c.Rule))
	case c.Rule == Majority && c.Lease <= 0:
		return fmt.Errorf("voting: lease %v must be > 0", c.Lease)
	case c.Rule == Reachable && c.VoteWindow <= 0:
		return fmt.Errorf("voting: vote window %v must be > 0", c.VoteWindow)
	}
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("voting: %w", err)
	}
	return nil
}

// Messages. Each prints compactly in the netsim transcript.
type (
	// RequestVote asks for a vote in Term.
	RequestVote struct{ Term int }
	// Vote answers a RequestVote.
	Vote struct {
		Term    int
		Granted bool
	}
	// Heartbeat asserts leadership in Term.
	Heartbeat struct{ Term int }
	// HeartbeatAck answers a Heartbeat; OK is false if the sender knows a newer term.
	HeartbeatAck struct {
		Term int
		OK   bool
	}
)

func (m RequestVote) String() string  { return fmt.Sprintf("RequestVote t%d", m.Term) }
func (m Vote) String() string         { return fmt.Sprintf("Vote t%d %t", m.Term, m.Granted) }
func (m Heartbeat) String() string    { return fmt.Sprintf("Heartbeat t%d", m.Term) }
func (m HeartbeatAck) String() string { return fmt.Sprintf("HeartbeatAck t%d %t", m.Term, m.OK) }

// Role is what a node is in its current term.
type Role int

// The three roles of a Raft node.
const (
	Follower Role = iota
	Candidate
	Leader
)

func (r Role) String() string {
	switch r {
	case Follower:
		return "follower"
	case Candidate:
		return "candidate"
	case Leader:
		return "leader"
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// VoteState is the part of a node's state that its vote handlers read and
// change.
type VoteState struct {
	Nodes    int  // cluster size
	Rule     Rule // when a candidate wins
	Term     int
	Role     Role
	VotedFor netsim.NodeID // whom the node voted for in Term ("" if nobody yet)
	// Votes are the nodes that granted a candidate their vote in Term,
	// itself included.
	Votes map[netsim.NodeID]bool
	// Refused records that someone refused a candidate its vote in Term
	// (the no-quorum rule then gives up).
	Refused bool
}

// Voter is a node as its vote handlers see it: its VoteState, and the
// actions a handler may take.
type Voter struct {
	*VoteState
	n   *electionNode
	ctx *netsim.Context
}

// StepDown makes the node a follower in term (adopting it, and forgetting
// its vote, if it is newer than the node's).
func (v *Voter) StepDown(term int) { v.n.stepDown(v.ctx, term) }

// ResetElectionTimer draws a new election timeout: a node that hears from
// a candidate it votes for gives it time to win.
func (v *Voter) ResetElectionTimer() { v.n.resetElection(v.ctx) }

// BecomeLeader makes the node the leader of its term (nothing happens if
// it already is).
func (v *Voter) BecomeLeader() {
	if v.Role != Leader {
		v.n.becomeLeader(v.ctx)
	}
}

// VoteHandlers are the two handlers of Raft's vote: what a node answers
// to a vote request, and what a candidate does with an answer.
type VoteHandlers struct {
	// RequestVote returns the node's answer to a request from candidate
	// from; the library sends it.
	RequestVote func(n *Voter, from netsim.NodeID, req RequestVote) Vote
	// Vote handles an answer from node from.
	Vote func(n *Voter, from netsim.NodeID, v Vote)
}

// GrantVote is the library's RequestVote handler: a node adopts a newer
// term, and grants its vote only to a candidate of its current term, only
// as a follower, and at most once per term.
func GrantVote(n *Voter, from netsim.NodeID, req RequestVote) Vote {
	if req.Term > n.Term {
		n.StepDown(req.Term) // a newer term: adopt it, as a follower with no vote yet
	}
	grant := req.Term == n.Term && n.Role == Follower && (n.VotedFor == "" || n.VotedFor == from)
	if grant {
		n.VotedFor = from
		n.ResetElectionTimer()
	}
	return Vote{Term: n.Term, Granted: grant}
}

// CountVote is the library's Vote handler: a candidate counts the votes
// of its own term and becomes leader once a majority of all nodes (itself
// included) voted for it; an answer from a newer term makes it a follower.
func CountVote(n *Voter, from netsim.NodeID, v Vote) {
	if v.Term > n.Term {
		n.StepDown(v.Term)
		return
	}
	if n.Role != Candidate || v.Term != n.Term {
		return // an answer to an older request
	}
	if !v.Granted {
		n.Refused = true
		return
	}
	n.Votes[from] = true
	if n.Rule == Majority && 2*len(n.Votes) > n.Nodes {
		n.BecomeLeader()
	}
}

type timerKind int

const (
	electionTimer timerKind = iota
	heartbeatTimer
	windowTimer
)

type timerTag struct {
	kind timerKind
	term int
}

func (t timerTag) String() string {
	return [...]string{"election", "heartbeat", "vote-window"}[t.kind] + fmt.Sprintf(" t%d", t.term)
}

// ElectionTimer is a node's election timer: at most one timeout pending,
// its length drawn afresh at every reset, uniformly from [min, min+spread],
// from the node's own seeded stream. Lesson 13's replicas use it too.
type ElectionTimer struct {
	id  netsim.TimerID
	set bool
}

// Reset cancels the pending timeout, if any, and sets a new one that
// fires with tag.
func (t *ElectionTimer) Reset(ctx *netsim.Context, min, spread netsim.Time, tag any) {
	if t.set {
		ctx.CancelTimer(t.id)
	}
	d := min
	if spread > 0 {
		d += netsim.Time(ctx.Rand().Int64N(int64(spread) + 1))
	}
	t.id, t.set = ctx.SetTimer(d, tag), true
}

// Stop cancels the pending timeout, if any: a leader has none.
func (t *ElectionTimer) Stop(ctx *netsim.Context) {
	if t.set {
		ctx.CancelTimer(t.id)
		t.set = false
	}
}

// Pending reports whether a timeout is pending.
func (t *ElectionTimer) Pending() bool { return t.set }

// Is reports whether id is the timeout set last: a fired timer that is
// not was replaced or cancelled after it was set.
func (t *ElectionTimer) Is(id netsim.TimerID) bool { return t.id == id }

// electionNode is one Raft-style node. It only reacts to netsim events;
// the recorder is bookkeeping for the experiment, not part of the protocol.
type electionNode struct {
	VoteState
	cfg      *ElectionConfig
	rec      *recorder
	idx      int
	election ElectionTimer
	since    netsim.Time                   // leader since
	lastAck  map[netsim.NodeID]netsim.Time // leader: last ack per follower
}

// handlers returns the node's vote handlers, the library's where the
// configuration has none.
func (n *electionNode) handlers() VoteHandlers {
	h := n.cfg.Handlers
	if h.RequestVote == nil {
		h.RequestVote = GrantVote
	}
	if h.Vote == nil {
		h.Vote = CountVote
	}
	return h
}

func (n *electionNode) resetElection(ctx *netsim.Context) {
	n.election.Reset(ctx, n.cfg.TimeoutMin, n.cfg.TimeoutSpread, timerTag{electionTimer, n.Term})
}

func (n *electionNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		n.Role = Follower
		n.resetElection(ctx)
	case netsim.Timer:
		tag, _ := ev.Msg.(timerTag)
		switch tag.kind {
		case electionTimer:
			if n.election.Is(ev.Timer) && n.Role != Leader {
				n.startElection(ctx)
			}
		case windowTimer:
			if n.Role == Candidate && tag.term == n.Term && !n.Refused {
				n.becomeLeader(ctx)
			}
		case heartbeatTimer:
			if n.Role == Leader && tag.term == n.Term {
				n.tick(ctx)
			}
		}
	case netsim.Receive:
		n.receive(ctx, ev.From, ev.Msg)
	}
}

func (n *electionNode) startElection(ctx *netsim.Context) {
	n.Term++
	n.Role = Candidate
	n.VotedFor = ctx.Self()
	n.Votes = map[netsim.NodeID]bool{ctx.Self(): true}
	n.Refused = false
	n.rec.candidate(ctx.Now(), n.idx, n.Term)
	ctx.Broadcast(RequestVote{n.Term})
	n.resetElection(ctx)
	if n.cfg.Rule == Reachable {
		ctx.SetTimer(n.cfg.VoteWindow, timerTag{windowTimer, n.Term})
	}
}

func (n *electionNode) becomeLeader(ctx *netsim.Context) {
	n.Role = Leader
	n.election.Stop(ctx)
	n.since = ctx.Now()
	n.lastAck = map[netsim.NodeID]netsim.Time{}
	n.rec.leader(ctx.Now(), n.idx, n.Term)
	ctx.Broadcast(Heartbeat{n.Term})
	ctx.SetTimer(n.cfg.Heartbeat, timerTag{heartbeatTimer, n.Term})
}

// tick is the leader's heartbeat: check the lease, then send heartbeats.
func (n *electionNode) tick(ctx *netsim.Context) {
	now := ctx.Now()
	if n.cfg.Rule == Majority && now-n.since >= n.cfg.Lease {
		fresh := 1 // itself
		for _, p := range ctx.Peers() {
			if t, ok := n.lastAck[p]; ok && now-t < n.cfg.Lease {
				fresh++
			}
		}
		if 2*fresh <= n.cfg.Nodes {
			n.stepDown(ctx, n.Term)
			return
		}
	}
	ctx.Broadcast(Heartbeat{n.Term})
	ctx.SetTimer(n.cfg.Heartbeat, timerTag{heartbeatTimer, n.Term})
}

// stepDown makes the node a follower in term t (t >= n.Term).
func (n *electionNode) stepDown(ctx *netsim.Context, t int) {
	if t > n.Term {
		n.Term, n.VotedFor = t, ""
	}
	wasLeader := n.Role == Leader
	if wasLeader {
		n.rec.stepDown(ctx.Now(), n.idx)
	}
	n.Role = Follower
	if wasLeader || !n.election.Pending() {
		n.resetElection(ctx)
	}
}

func (n *electionNode) receive(ctx *netsim.Context, from netsim.NodeID, msg any) {
	switch m := msg.(type) {
	case RequestVote:
		v := &Voter{VoteState: &n.VoteState, n: n, ctx: ctx}
		ctx.Send(from, n.handlers().RequestVote(v, from, m))
	case Vote:
		n.handlers().Vote(&Voter{VoteState: &n.VoteState, n: n, ctx: ctx}, from, m)
	case Heartbeat:
		if m.Term < n.Term {
			ctx.Send(from, HeartbeatAck{n.Term, false})
			return
		}
		if m.Term > n.Term || n.Role != Follower {
			n.stepDown(ctx, m.Term)
		}
		n.resetElection(ctx)
		ctx.Send(from, HeartbeatAck{n.Term, true})
	case HeartbeatAck:
		if m.Term > n.Term {
			n.stepDown(ctx, m.Term)
			return
		}
		if n.Role == Leader && m.Term == n.Term && m.OK {
			n.lastAck[from] = ctx.Now()
		}
	}
}

// LeaderInterval is a period during which Node believed it was leader of Term.
type LeaderInterval struct {
	Node     int
	Term     int
	From, To netsim.Time
}

// recorder collects leadership changes for the experiment.
type recorder struct {
	isLeader    []bool
	leaderTerm  []int
	since       []netsim.Time
	intervals   []LeaderInterval
	leaders     int
	maxLeaders  int
	last        netsim.Time
	splitTime   netsim.Time // total time with two or more leaders
	firstLeader netsim.Time
	firstTerm   int
	termsBefore map[int]bool // terms with a candidate before the first leader
	candidacies int
	maxTerm     int
	// termLeaders lists, per term, the nodes that became its leader, in
	// order; two entries break election safety.
	termLeaders map[int][]LeaderStart
	doubled     []int // terms that got a second leader, in the order it happened
}

// LeaderStart is a node becoming leader at a time.
type LeaderStart struct {
	Node int
	At   netsim.Time
}

func newRecorder(n int) *recorder {
	return &recorder{isLeader: make([]bool, n), leaderTerm: make([]int, n), since: make([]netsim.Time, n), firstLeader: -1,
		termsBefore: map[int]bool{}, termLeaders: map[int][]LeaderStart{}}
}

func (r *recorder) advance(now netsim.Time) {
	if r.leaders >= 2 {
		r.splitTime += now - r.last
	}
	r.last = now
}

func (r *recorder) candidate(now netsim.Time, node, term int) {
	r.candidacies++
	r.maxTerm = max(r.maxTerm, term)
	if r.firstLeader < 0 {
		r.termsBefore[term] = true
	}
}

func (r *recorder) leader(now netsim.Time, node, term int) {
	r.advance(now)
	r.isLeader[node], r.leaderTerm[node], r.since[node] = true, term, now
	r.leaders++
	r.maxLeaders = max(r.maxLeaders, r.leaders)
	if r.firstLeader < 0 {
		r.firstLeader, r.firstTerm = now, term
	}
	ls := r.termLeaders[term]
	for _, l := range ls {
		if l.Node == node {
			return // the same node again (it cannot, but a rewritten handler might try)
		}
	}
	r.termLeaders[term] = append(ls, LeaderStart{node, now})
	if len(ls) == 1 {
		r.doubled = append(r.doubled, term)
	}
}

// TwoLeaders is a term with more than one leader: election safety broken.
type TwoLeaders struct {
	Term    int
	Leaders []LeaderStart
}

func (t TwoLeaders) String() string {
	var who []string
	for _, l := range t.Leaders {
		who = append(who, fmt.Sprintf("%s (from %.1f ms)", NodeName(l.Node), float64(l.At)/float64(netsim.Millisecond)))
	}
	return fmt.Sprintf("term %d has %d leaders: %s", t.Term, len(t.Leaders), strings.Join(who, ", "))
}

// twoLeaders returns the terms that had two or more leaders, in the order
// the second leader appeared.
func (r *recorder) twoLeaders() []TwoLeaders {
	var out []TwoLeaders
	for _, t := range r.doubled {
		out = append(out, TwoLeaders{Term: t, Leaders: append([]LeaderStart(nil), r.termLeaders[t]...)})
	}
	return out
}

func (r *recorder) stepDown(now netsim.Time, node int) {
	r.advance(now)
	r.isLeader[node] = false
	r.leaders--
	r.intervals = append(r.intervals, LeaderInterval{node, r.leaderTerm[node], r.since[node], now})
}

// finish closes open intervals at end.
func (r *recorder) finish(end netsim.Time) []LeaderInterval {
	r.advance(end)
	out := append([]LeaderInterval(nil), r.intervals...)
	for i, l := range r.isLeader {
		if l {
			out = append(out, LeaderInterval{i, r.leaderTerm[i], r.since[i], end})
		}
	}
	return out
}

// newCluster builds the simulator and nodes for cfg.
func newCluster(cfg ElectionConfig) (*netsim.Sim, *recorder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, DefaultLink: netsim.Link{Delay: cfg.Delay}, NoTrace: !cfg.Trace})
	if err != nil {
		return nil, nil, err
	}
	rec := newRecorder(cfg.Nodes)
	c := cfg
	for i := range cfg.Nodes {
		node := &electionNode{VoteState: VoteState{Nodes: c.Nodes, Rule: c.Rule}, cfg: &c, rec: rec, idx: i}
		if err := sim.AddNode(NodeName(i), node); err != nil {
			return nil, nil, err
		}
	}
	return sim, rec, nil
}

// NodeName is the netsim ID of node i.
func NodeName(i int) netsim.NodeID { return netsim.NodeID(fmt.Sprintf("n%d", i)) }

// ElectionRun is one cold start of a cluster.
type ElectionRun struct {
	Config ElectionConfig
	// Elected reports whether a leader emerged before the limit;
	// TimeToElect is when (from start, all nodes starting together).
	Elected     bool
	TimeToElect netsim.Time
	Leader      int
	Term        int // term of the first leader
	// SplitVotes counts the terms that started but produced no leader
	// before the first leader was elected.
	SplitVotes int
	Transcript string // netsim trace up to the first leader, if Config.Trace
}

func (r ElectionRun) String() string {
	if !r.Elected {
		return fmt.Sprintf("seed %d: no leader within the limit (%d split votes)", r.Config.Seed, r.SplitVotes)
	}
	return fmt.Sprintf("seed %d: n%d elected in term %d after %v (%d split votes)", r.Config.Seed, r.Leader, r.Term, r.TimeToElect, r.SplitVotes)
}

// Election starts all nodes at time 0 and runs until the first leader is
// elected or limit passes.
func Election(cfg ElectionConfig, limit netsim.Time) (ElectionRun, error) {
	if limit <= 0 {
		return ElectionRun{}, fmt.Errorf("voting: limit %v must be > 0", limit)
	}
	sim, rec, err := newCluster(cfg)
	if err != nil {
		return ElectionRun{}, err
	}
	err = sim.RunUntil(func() bool { return rec.firstLeader >= 0 || sim.Now() > limit })
	if err != nil {
		return ElectionRun{}, err
	}
	run := ElectionRun{Config: cfg, Elected: rec.firstLeader >= 0}
	if run.Elected {
		run.TimeToElect, run.Term = rec.firstLeader, rec.firstTerm
		for i, l := range rec.isLeader {
			if l {
				run.Leader = i
			}
		}
		run.SplitVotes = len(rec.termsBefore) - 1
	} else {
		run.SplitVotes = len(rec.termsBefore)
	}
	if cfg.Trace {
		var b strings.Builder
		if err := sim.WriteTrace(&b); err != nil {
			return ElectionRun{}, err
		}
		run.Transcript = b.String()
	}
	return run, nil
}

// TranscriptHead returns the first n lines of the transcript.
func (r ElectionRun) TranscriptHead(n int) string {
	lines := strings.SplitAfter(r.Transcript, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more trace lines)\n", len(lines)-n))
	}
	return strings.Join(lines, "")
}
