package transactions

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/lessons/replication"
	"github.com/dslessons/course/pkg/netsim"
)

// Protocol is how the transaction's outcome is decided and learned.
type Protocol int

// Protocols.
const (
	// TwoPhase: two-phase commit. A prepared participant that hears
	// nothing asks the coordinator, and only the coordinator.
	TwoPhase Protocol = iota
	// Cooperative: two-phase commit with the cooperative termination
	// protocol: a prepared participant asks the other participants too.
	Cooperative
	// RaftDecision: the decision is written to a write-once key of a Raft
	// group (lesson 13) instead of the coordinator's own log; a prepared
	// participant that hears nothing proposes abort to the group and
	// adopts whatever the group holds.
	RaftDecision
)

func (p Protocol) String() string {
	switch p {
	case TwoPhase:
		return "two-phase commit"
	case Cooperative:
		return "2PC + cooperative termination"
	case RaftDecision:
		return "2PC, decision in a Raft group"
	}
	return fmt.Sprintf("Protocol(%d)", int(p))
}

// Broken switches on deliberate mistakes, for the checker to catch.
type Broken struct {
	// AbortOnTimeout: a prepared participant that hears nothing for
	// DecisionTimeout aborts, to release its locks.
	AbortOnTimeout bool
	// ForgetDecision: the coordinator does not write its decision to its
	// log before sending it; after a crash it presumes abort.
	ForgetDecision bool
}

// Config describes one run: one transaction with a coordinator "co" and
// participants p1, p2, ... on netsim.
type Config struct {
	Protocol     Protocol
	Participants int             // 1..9
	VoteNo       []netsim.NodeID // participants that vote no
	Link         netsim.Link     // every link's fault model
	// Start is when the coordinator sends Prepare; the participants have
	// held their locks since time 0 and abort on their own if no Prepare
	// came by Start + PrepareTimeout.
	Start, PrepareTimeout netsim.Time
	// VoteTimeout: the coordinator aborts if the votes are not all in.
	// DecisionTimeout: a prepared participant asks for the outcome after
	// this long without one, and again every DecisionTimeout.
	// ResendEvery: the coordinator resends its decision until acknowledged.
	VoteTimeout, DecisionTimeout, ResendEvery netsim.Time
	// Crash makes the coordinator crash at a point of the protocol; it
	// restarts Downtime later (0: never).
	Crash    CrashPoint
	Downtime netsim.Time
	// Schedule is a netsim schedule of further faults ("30ms crash p2",
	// "500ms restart p2", "25ms partition co | p1,p2,p3", "heal").
	Schedule string
	// Decide is the coordinator's decision rule (nil: Decide); Terminate
	// the cooperative termination rule (nil: Terminate).
	Decide    DecisionRule
	Terminate TerminationRule
	Broken    Broken
	// Observe, if set, is called after every step of the coordinator and
	// of every participant with the global state (the checker's input),
	// for checks of one's own.
	Observe func(now netsim.Time, node netsim.NodeID, s Snapshot)
	// Replicas is the size of the Raft group under RaftDecision (1..9).
	Replicas int
	End      netsim.Time
	Seed     uint64
}

// Limits.
const (
	MaxParticipants = 9
	MaxEnd          = 10 * netsim.Minute
)

const ms = netsim.Millisecond

// DefaultConfig: two-phase commit with three participants that all vote
// yes, 5 ms delays, Prepare at 20 ms, timeouts of 100 ms (votes, decision,
// resend) and 200 ms (prepare), a Raft group of three for RaftDecision,
// 1.5 s, seed 1.
func DefaultConfig() Config {
	return Config{
		Protocol: TwoPhase, Participants: 3,
		Link:  netsim.Link{Delay: netsim.Const(5 * ms)},
		Start: 20 * ms, PrepareTimeout: 200 * ms,
		VoteTimeout: 100 * ms, DecisionTimeout: 100 * ms, ResendEvery: 100 * ms,
		Replicas: 3, End: 1500 * ms, Seed: 1,
	}
}

func (c *Config) decideRule() DecisionRule {
	if c.Decide == nil {
		return Decide
	}
	return c.Decide
}

func (c *Config) terminate(own State, replies []State) Outcome {
	if c.Terminate == nil {
		return Terminate(own, replies)
	}
	return c.Terminate(own, replies)
}

func (c *Config) participants() []netsim.NodeID {
	ids := make([]netsim.NodeID, c.Participants)
	for i := range ids {
		ids[i] = ParticipantName(i + 1)
	}
	return ids
}

func (c *Config) replicas() []netsim.NodeID {
	if c.Protocol != RaftDecision {
		return nil
	}
	ids := make([]netsim.NodeID, c.Replicas)
	for i := range ids {
		ids[i] = ReplicaName(i + 1)
	}
	return ids
}

// Validate reports whether c can run.
func (c Config) Validate() error {
	switch {
	case c.Protocol < TwoPhase || c.Protocol > RaftDecision:
		return fmt.Errorf("transactions: unknown protocol %d", int(c.Protocol))
	case c.Participants < 1 || c.Participants > MaxParticipants:
		return fmt.Errorf("transactions: %d participants, allowed [1,%d]", c.Participants, MaxParticipants)
	case c.Start < 0 || c.PrepareTimeout <= 0 || c.VoteTimeout <= 0 || c.DecisionTimeout <= 0 || c.ResendEvery <= 0:
		return fmt.Errorf("transactions: start %v must be >= 0 and the timeouts (prepare %v, vote %v, decision %v, resend %v) > 0",
			c.Start, c.PrepareTimeout, c.VoteTimeout, c.DecisionTimeout, c.ResendEvery)
	case c.Downtime < 0:
		return fmt.Errorf("transactions: downtime %v must be >= 0", c.Downtime)
	case c.Crash.Phase < NoCrash || c.Crash.Phase > AfterDecision || c.Crash.After < 0:
		return fmt.Errorf("transactions: bad crash point %+v (phase AfterPrepare or AfterDecision, After >= 0)", c.Crash)
	case c.End <= 0 || c.End > MaxEnd:
		return fmt.Errorf("transactions: end %v not in (0, %v]", c.End, MaxEnd)
	case c.Protocol == RaftDecision && (c.Replicas < 1 || c.Replicas > 9):
		return fmt.Errorf("transactions: a Raft group of %d replicas, allowed [1,9]", c.Replicas)
	case len(c.Schedule) > 10000:
		return fmt.Errorf("transactions: schedule of %d bytes, at most 10000", len(c.Schedule))
	}
	if err := c.Link.Validate(); err != nil {
		return fmt.Errorf("transactions: link: %v", strings.TrimPrefix(err.Error(), "netsim: "))
	}
	for _, id := range c.VoteNo {
		if !slices.Contains(c.participants(), id) {
			return fmt.Errorf("transactions: VoteNo names %q, not a participant (p1..p%d)", id, c.Participants)
		}
	}
	if _, err := netsim.ParseSchedule(c.Schedule); err != nil {
		return fmt.Errorf("transactions: schedule: %v", strings.TrimPrefix(err.Error(), "netsim: "))
	}
	return nil
}

// ParticipantResult is what became of one participant.
type ParticipantResult struct {
	ID    netsim.NodeID
	Vote  Vote
	State State // at the end
	// PreparedAt is when it voted yes (if Prepared); DecidedAt when it
	// learned or made the outcome (if Decided).
	PreparedAt, DecidedAt netsim.Time
	Prepared, Decided     bool
}

// Blocked is how long the participant was prepared without knowing the
// outcome — holding its locks and unable to decide alone — until end if
// it never learned it (0 if it never voted yes).
func (p ParticipantResult) Blocked(end netsim.Time) netsim.Time {
	switch {
	case !p.Prepared:
		return 0
	case p.Decided && p.DecidedAt >= p.PreparedAt:
		return p.DecidedAt - p.PreparedAt
	}
	return end - p.PreparedAt
}

// Segment is a stretch of one process's time line in one state: a
// participant's state, the coordinator's phase, or "down".
type Segment struct {
	Node     netsim.NodeID
	From, To netsim.Time
	What     string
}

// Run is the result of Simulate.
type Run struct {
	Config       Config
	Participants []ParticipantResult
	// Decision is the coordinator's decision at the end (Unknown if none),
	// DecidedAt when it made it.
	Decision   Outcome
	DecidedAt  netsim.Time
	Violations []Violation
	Checks     int
	// Timeline has, for the coordinator and each participant in order,
	// the segments of its time line.
	Timeline []Segment
	Stats    netsim.Stats
	Trace    netsim.Trace
}

// OK reports whether no invariant was violated.
func (r *Run) OK() bool { return len(r.Violations) == 0 }

// MaxBlocked is the longest time a participant was blocked.
func (r *Run) MaxBlocked() netsim.Time {
	var m netsim.Time
	for _, p := range r.Participants {
		m = max(m, p.Blocked(r.Config.End))
	}
	return m
}

// Outcomes lists every participant's final state: "p1 committed, p2 ...".
func (r *Run) Outcomes() string {
	parts := make([]string, len(r.Participants))
	for i, p := range r.Participants {
		parts[i] = string(p.ID) + " " + p.State.String()
	}
	return strings.Join(parts, ", ")
}

// Terminated reports whether every participant decided.
func (r *Run) Terminated() bool {
	for _, p := range r.Participants {
		if !p.Decided {
			return false
		}
	}
	return true
}

func fmtMs(t netsim.Time) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", float64(t)/float64(ms)), "0"), ".") + " ms"
}

// String is the run's story: protocol, faults, every participant's vote,
// when it was prepared and decided and how long it was blocked, the
// coordinator's decision, and the checker's verdict.
func (r *Run) String() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "%s, %d participants, seed %d\n", c.Protocol, c.Participants, c.Seed)
	if c.Crash.Phase != NoCrash {
		down := "never restarts"
		if c.Downtime > 0 {
			down = "restarts " + fmtMs(c.Downtime) + " later"
		}
		fmt.Fprintf(&b, "  the coordinator crashes %s and %s\n", c.Crash, down)
	}
	for _, line := range strings.Split(strings.TrimSpace(c.Schedule), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			fmt.Fprintf(&b, "  fault: %s\n", line)
		}
	}
	for _, p := range r.Participants {
		v := "voted " + string(p.Vote)
		if p.Vote == NotVoted {
			v = "did not vote"
		}
		fmt.Fprintf(&b, "  %-3s %-13s", p.ID, v)
		if p.Prepared {
			fmt.Fprintf(&b, " prepared at %-9s", fmtMs(p.PreparedAt))
		} else {
			fmt.Fprintf(&b, " %-21s", "")
		}
		if p.Decided {
			fmt.Fprintf(&b, " %-9s at %-9s", p.State, fmtMs(p.DecidedAt))
		} else {
			fmt.Fprintf(&b, " %-22s", "still "+p.State.String())
		}
		if p.Prepared {
			fmt.Fprintf(&b, " blocked %s", fmtMs(p.Blocked(c.End)))
			if !p.Decided {
				b.WriteString(" (until the end)")
			}
		}
		b.WriteByte('\n')
	}
	if r.Decision.Decided() {
		fmt.Fprintf(&b, "  coordinator decided %s at %s\n", r.Decision, fmtMs(r.DecidedAt))
	} else {
		b.WriteString("  coordinator never decided\n")
	}
	if r.OK() {
		fmt.Fprintf(&b, "invariants: atomicity and validity hold in all %d checks\n", r.Checks)
	} else {
		fmt.Fprintf(&b, "invariants: %d VIOLATED in %d checks\n", len(r.Violations), r.Checks)
		for _, v := range r.Violations {
			fmt.Fprintf(&b, "  %s\n", v)
		}
	}
	return b.String()
}

// Transcript is the run's trace without timer bookkeeping and the Raft
// group's internal messages, at most max lines (0: all).
func (r *Run) Transcript(max int) string {
	reps := r.Config.replicas()
	return r.Trace.Filter(func(rec netsim.Record) bool { return !quiet(rec, reps) }).Head(max)
}

func quiet(rec netsim.Record, reps []netsim.NodeID) bool {
	switch rec.Op {
	case netsim.OpSetTimer, netsim.OpCancelTimer, netsim.OpStart, netsim.OpChange, netsim.OpNote:
		return true
	case netsim.OpTimer:
		return slices.Contains(reps, rec.Node)
	}
	// The Raft group's own messages (elections, replication).
	return slices.Contains(reps, rec.From) && slices.Contains(reps, rec.To)
}

// runner drives one Simulate call.
type runner struct {
	cfg     *Config
	sim     *netsim.Sim
	co      *CoordinatorNode
	parts   []*ParticipantNode
	chk     *Checker
	changes map[netsim.NodeID][]change
	halted  bool
	err     error
}

type change struct {
	at   netsim.Time
	what string
}

// observed wraps a process so that every step is checked and recorded.
type observed struct {
	netsim.Node
	rn *runner
	id netsim.NodeID
}

func (o *observed) Handle(ctx *netsim.Context, ev netsim.Event) {
	o.Node.Handle(ctx, ev)
	o.rn.observe(ctx.Now(), o.id)
}

func (rn *runner) snapshot() Snapshot {
	s := Snapshot{Coordinator: rn.co.Decision()}
	for _, p := range rn.parts {
		s.Participants = append(s.Participants, PState{ID: string(p.id), Vote: p.vote, State: p.state})
	}
	return s
}

func (rn *runner) observe(now netsim.Time, id netsim.NodeID) {
	s := rn.snapshot()
	rn.chk.Observe(now, id, s)
	if rn.cfg.Observe != nil {
		rn.cfg.Observe(now, id, s)
	}
	rn.record(now, Coordinator, rn.coordinatorPhase())
	for _, p := range rn.parts {
		rn.record(now, p.id, p.state.String())
	}
	if rn.co.halted && !rn.halted {
		// The coordinator reached its crash point: crash it now.
		rn.halted = true
		at := rn.sim.At(now)
		if err := at.Crash(Coordinator); err != nil {
			rn.err = err
			return
		}
		if rn.cfg.Downtime > 0 && now+rn.cfg.Downtime <= rn.cfg.End {
			if err := rn.sim.At(now + rn.cfg.Downtime).Restart(Coordinator); err != nil {
				rn.err = err
			}
		}
	}
}

func (rn *runner) coordinatorPhase() string {
	c := rn.co
	switch {
	case c.decision.Decided():
		return "decided " + string(c.decision)
	case c.begun:
		return "collecting votes"
	}
	return "waiting"
}

func (rn *runner) record(now netsim.Time, id netsim.NodeID, what string) {
	cs := rn.changes[id]
	if len(cs) > 0 && cs[len(cs)-1].what == what {
		return
	}
	rn.changes[id] = append(cs, change{now, what})
}

// Simulate runs cfg and checks the invariants after every step of the
// coordinator and of every participant.
func Simulate(cfg Config) (*Run, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg
	c.VoteNo = slices.Clone(cfg.VoteNo)
	sim, err := netsim.New(netsim.Config{Seed: c.Seed, DefaultLink: c.Link})
	if err != nil {
		return nil, fmt.Errorf("transactions: %w", err)
	}
	parts := c.participants()
	reps := c.replicas()
	rn := &runner{cfg: &c, sim: sim, chk: NewChecker(), changes: map[netsim.NodeID][]change{}}
	if rn.co, err = NewCoordinator(c); err != nil {
		return nil, err
	}
	if err := sim.AddNode(Coordinator, &observed{Node: rn.co, rn: rn, id: Coordinator}); err != nil {
		return nil, err
	}
	for _, id := range parts {
		p, err := NewParticipant(c, id)
		if err != nil {
			return nil, err
		}
		rn.parts = append(rn.parts, p)
		if err := sim.AddNode(id, &observed{Node: p, rn: rn, id: id}); err != nil {
			return nil, err
		}
	}
	if len(reps) > 0 {
		rc := replication.DefaultConfig()
		rc.Nodes = len(reps)
		for _, id := range reps {
			r, err := replication.Course.NewReplica(&rc, id, reps)
			if err != nil {
				return nil, fmt.Errorf("transactions: %w", err)
			}
			if err := sim.AddNode(id, r); err != nil {
				return nil, err
			}
		}
	}
	sched, err := netsim.ParseSchedule(c.Schedule)
	if err != nil {
		return nil, fmt.Errorf("transactions: schedule: %v", strings.TrimPrefix(err.Error(), "netsim: "))
	}
	if err := sim.Apply(sched); err != nil {
		return nil, fmt.Errorf("transactions: schedule: %v", strings.TrimPrefix(err.Error(), "netsim: "))
	}
	if err := sim.Run(c.End); err != nil {
		return nil, fmt.Errorf("transactions: %w", err)
	}
	if rn.err != nil {
		return nil, fmt.Errorf("transactions: %w (seed %d)", rn.err, c.Seed)
	}
	r := &Run{Config: cfg, Decision: rn.co.Decision(), Violations: rn.chk.Violations(),
		Checks: rn.chk.Checks(), Stats: sim.Stats(), Trace: sim.Trace()}
	// The times come from the changes the runner saw: the nodes never
	// read the clock.
	for _, ch := range rn.changes[Coordinator] {
		if strings.HasPrefix(ch.what, "decided ") {
			r.DecidedAt = ch.at // the last decision (a coordinator that forgot it decides again)
		}
	}
	for _, p := range rn.parts {
		pr := ParticipantResult{ID: p.id, Vote: p.vote, State: p.state}
		for _, ch := range rn.changes[p.id] {
			switch {
			case ch.what == Prepared.String() && !pr.Prepared:
				pr.Prepared, pr.PreparedAt = true, ch.at
			case (ch.what == Committed.String() || ch.what == Aborted.String()) && !pr.Decided:
				pr.Decided, pr.DecidedAt = true, ch.at
			}
		}
		r.Participants = append(r.Participants, pr)
	}
	r.Timeline = rn.timeline(r.Trace)
	return r, nil
}

// timeline turns the recorded changes and the crashes of the trace into
// segments: the coordinator first, then the participants.
func (rn *runner) timeline(tr netsim.Trace) []Segment {
	end := rn.cfg.End
	var out []Segment
	for _, id := range append([]netsim.NodeID{Coordinator}, rn.cfg.participants()...) {
		// Down intervals from the trace.
		var down [][2]netsim.Time
		for _, rec := range tr {
			if rec.Node != id {
				continue
			}
			switch rec.Op {
			case netsim.OpCrash:
				down = append(down, [2]netsim.Time{rec.Time, end})
			case netsim.OpRestart:
				if len(down) > 0 && down[len(down)-1][1] == end {
					down[len(down)-1][1] = rec.Time
				}
			}
		}
		cs := rn.changes[id]
		for i, ch := range cs {
			to := end
			if i+1 < len(cs) {
				to = cs[i+1].at
			}
			from := ch.at
			// Cut the down intervals out of the segment.
			for _, d := range down {
				if d[1] <= from || d[0] >= to {
					continue
				}
				if d[0] > from {
					out = append(out, Segment{id, from, d[0], ch.what})
				}
				from = min(d[1], to)
			}
			if to > from {
				out = append(out, Segment{id, from, to, ch.what})
			}
		}
		for _, d := range down {
			if d[1] > d[0] {
				out = append(out, Segment{id, d[0], d[1], "down"})
			}
		}
	}
	return out
}
