package transactions

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

func simulate(t *testing.T, c Config) *Run {
	t.Helper()
	r, err := Simulate(c)
	require.NoError(t, err)
	return r
}

func states(r *Run) []State {
	var out []State
	for _, p := range r.Participants {
		out = append(out, p.State)
	}
	return out
}

func all(n int, s State) []State {
	out := make([]State, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// The normal case: Prepare at 20 ms reaches everyone at 25, the votes the
// coordinator at 30, the decision everyone at 35: each participant is in
// doubt for two message delays.
func TestNormalCommit(t *testing.T) {
	r := simulate(t, DefaultConfig())
	assert.True(t, r.OK())
	assert.Equal(t, all(3, Committed), states(r))
	assert.Equal(t, Commit, r.Decision)
	assert.Equal(t, 30*ms, r.DecidedAt)
	for _, p := range r.Participants {
		assert.Equal(t, Yes, p.Vote)
		assert.Equal(t, 25*ms, p.PreparedAt)
		assert.Equal(t, 35*ms, p.DecidedAt)
		assert.Equal(t, 10*ms, p.Blocked(r.Config.End))
	}
	assert.Equal(t, 10*ms, r.MaxBlocked())
	assert.True(t, r.Terminated())
	assert.Equal(t, "p1 committed, p2 committed, p3 committed", r.Outcomes())
	tr := r.Transcript(0)
	assert.Contains(t, tr, "20.000ms co->p1 send #1 Prepare T1\n")
	assert.Contains(t, tr, "30.000ms co->p3 send #9 Decision T1 commit\n")
	assert.Contains(t, tr, "40.000ms p3->co deliver #12 Ack T1\n")
	assert.Equal(t, 1, strings.Count(tr, " timer "), "no timer fires in a run without faults but the coordinator's start")
	assert.Contains(t, r.String(), "invariants: atomicity and validity hold")
	assert.Equal(t, uint64(12), r.Stats.Sent, "3 prepares, 3 votes, 3 decisions, 3 acks")
}

// A no: the voter aborts at once, the coordinator decides abort when the
// no arrives, the others abort when they hear.
func TestNoVote(t *testing.T) {
	r := simulate(t, NoVote())
	assert.True(t, r.OK())
	assert.Equal(t, all(3, Aborted), states(r))
	assert.Equal(t, Abort, r.Decision)
	p2 := r.Participants[1]
	assert.Equal(t, No, p2.Vote)
	assert.False(t, p2.Prepared)
	assert.Equal(t, 25*ms, p2.DecidedAt)
	assert.Equal(t, 35*ms, r.Participants[0].DecidedAt)
}

// A participant crash before it votes: the coordinator's vote timeout
// aborts the transaction; the participant aborts when it restarts (its
// work is lost). After it voted yes: the transaction commits; the
// participant commits when it restarts and asks, the others at once.
func TestParticipantCrash(t *testing.T) {
	r := simulate(t, ParticipantCrash(22*ms))
	assert.True(t, r.OK())
	assert.Equal(t, all(3, Aborted), states(r))
	assert.Equal(t, Abort, r.Decision)
	assert.Equal(t, 120*ms, r.DecidedAt, "Start + VoteTimeout")
	assert.Equal(t, NotVoted, r.Participants[1].Vote)
	assert.Equal(t, 400*ms, r.Participants[1].DecidedAt, "aborts when it restarts")
	assert.Equal(t, 100*ms, r.Participants[0].Blocked(r.Config.End))

	r = simulate(t, ParticipantCrash(28*ms))
	assert.True(t, r.OK())
	assert.Equal(t, all(3, Committed), states(r))
	p2 := r.Participants[1]
	assert.Equal(t, Yes, p2.Vote)
	assert.Equal(t, 410*ms, p2.DecidedAt, "restart at 400, asks, hears 10 ms later")
	assert.Equal(t, 35*ms, r.Participants[0].DecidedAt)
	// The coordinator kept resending the decision to p2 while it was down.
	drops := 0
	for _, rec := range r.Trace {
		if _, ok := rec.Msg.(Decision); ok && rec.Op == netsim.OpDrop && rec.To == "p2" {
			drops++
		}
	}
	assert.GreaterOrEqual(t, drops, 3)
}

// expectedCrash is the reasoning of Exercise 1 for a coordinator crash
// point in two-phase commit with constant delays: the outcome, and the
// participants that stay prepared without knowing it until the
// coordinator restarts.
func expectedCrash(n int, voteNo netsim.NodeID, cp CrashPoint) (Outcome, []netsim.NodeID) {
	var blocked []netsim.NodeID
	switch cp.Phase {
	case AfterPrepare:
		// The first After got Prepare; whoever of them votes yes is stuck.
		// The others abort alone; the restarted coordinator presumes abort.
		for i := 1; i <= min(cp.After, n); i++ {
			if id := ParticipantName(i); id != voteNo {
				blocked = append(blocked, id)
			}
		}
		return Abort, blocked
	case AfterDecision:
		o := Commit
		if voteNo != "" {
			o = Abort
		}
		for i := cp.After + 1; i <= n; i++ {
			if id := ParticipantName(i); id != voteNo {
				blocked = append(blocked, id)
			}
		}
		return o, blocked
	}
	return Unknown, nil
}

// Crash points of the coordinator, every one for 3 and 4 participants,
// with and without a no: the outcome and the blocked participants follow
// expectedCrash, the blocked ones are in doubt for at least the downtime,
// and the others for at most the normal two message delays.
func TestCoordinatorCrashPoints(t *testing.T) {
	for _, n := range []int{3, 4} {
		for _, no := range []netsim.NodeID{"", "p2"} {
			for _, phase := range []Phase{AfterPrepare, AfterDecision} {
				for k := 0; k <= n; k++ {
					cp := CrashPoint{phase, k}
					c := CoordinatorCrash(cp, 500*ms)
					c.Participants = n
					if no != "" {
						c.VoteNo = []netsim.NodeID{no}
					}
					r := simulate(t, c)
					name := cp.String() + " no=" + string(no)
					require.True(t, r.OK(), name)
					require.True(t, r.Terminated(), name)
					wantO, wantB := expectedCrash(n, no, cp)
					restart := r.Config.Start
					for _, seg := range r.Timeline {
						if seg.Node == Coordinator && seg.What == "down" {
							restart = seg.To
						}
					}
					var blocked []netsim.NodeID
					for _, p := range r.Participants {
						assert.Equal(t, wantO, outcomeOf(p.State), "%s %s", name, p.ID)
						if p.Prepared && p.DecidedAt >= restart {
							blocked = append(blocked, p.ID)
							assert.GreaterOrEqual(t, p.Blocked(r.Config.End), 500*ms, name)
						} else {
							assert.LessOrEqual(t, p.Blocked(r.Config.End), 10*ms, "%s %s", name, p.ID)
						}
					}
					assert.Equal(t, wantB, blocked, name)
				}
			}
		}
	}
}

// Cooperative termination helps when some participant knows the outcome
// or has not voted, and not when all are prepared and none knows.
func TestCooperative(t *testing.T) {
	told := simulate(t, WithProtocol(CoordinatorCrash(CrashPoint{AfterDecision, 1}, 500*ms), Cooperative))
	assert.True(t, told.OK())
	assert.Equal(t, all(3, Committed), states(told))
	assert.Equal(t, 110*ms, told.MaxBlocked(), "one decision timeout and a query round trip")

	unprepared := simulate(t, WithProtocol(CoordinatorCrash(CrashPoint{AfterPrepare, 2}, 500*ms), Cooperative))
	assert.True(t, unprepared.OK())
	assert.Equal(t, all(3, Aborted), states(unprepared))
	assert.Equal(t, 110*ms, unprepared.MaxBlocked())
	p3 := unprepared.Participants[2]
	assert.Equal(t, NotVoted, p3.Vote, "p3 was asked before any Prepare came, and aborted")
	assert.Equal(t, 130*ms, p3.DecidedAt)

	none := simulate(t, WithProtocol(CoordinatorCrash(CrashPoint{AfterDecision, 0}, 500*ms), Cooperative))
	plain := simulate(t, CoordinatorCrash(CrashPoint{AfterDecision, 0}, 500*ms))
	assert.True(t, none.OK())
	assert.Equal(t, plain.MaxBlocked(), none.MaxBlocked(), "all prepared, nobody told: cooperation cannot help")
	assert.GreaterOrEqual(t, none.MaxBlocked(), 500*ms)
}

// With the decision in a Raft group, a prepared participant that hears
// nothing learns the outcome from the group within a decision timeout and
// a few message delays, however long the coordinator is down — even
// forever.
func TestRaftDecision(t *testing.T) {
	for _, cp := range []CrashPoint{{AfterPrepare, 2}, {AfterPrepare, 3}, {AfterDecision, 0}, {AfterDecision, 1}} {
		for _, down := range []netsim.Time{0, 500 * ms, 5000 * ms} {
			c := WithProtocol(CoordinatorCrash(cp, down), RaftDecision)
			r := simulate(t, c)
			name := cp.String() + " down " + down.String()
			require.True(t, r.OK(), name)
			require.True(t, r.Terminated(), name)
			assert.Less(t, r.MaxBlocked(), 200*ms, name)
			want := Abort
			if cp.Phase == AfterDecision {
				want = Commit
			}
			assert.Equal(t, all(3, outcomeState(want)), states(r), name)
		}
	}
	// The group itself tolerates a crashed replica: crash r1, then the
	// coordinator.
	c := WithProtocol(CoordinatorCrash(CrashPoint{AfterDecision, 0}, 0), RaftDecision)
	c.Schedule = "300ms crash r1"
	r := simulate(t, c)
	assert.True(t, r.OK())
	assert.True(t, r.Terminated())
	assert.Equal(t, all(3, Committed), states(r))
	assert.Contains(t, r.Transcript(0), "Submit T1=commit (#1, once)")
	assert.Contains(t, r.Transcript(0), ": commit")
}

func outcomeState(o Outcome) State {
	if o == Commit {
		return Committed
	}
	return Aborted
}

// Same configuration and seed: the same run, byte for byte; another seed
// (with random delays): another run.
func TestDeterministic(t *testing.T) {
	for _, p := range []Protocol{TwoPhase, Cooperative, RaftDecision} {
		c := WithProtocol(RandomFaults(7), p)
		a, b := simulate(t, c), simulate(t, c)
		assert.Equal(t, a.String(), b.String())
		assert.Equal(t, a.Transcript(0), b.Transcript(0))
		c.Seed = 8
		d := simulate(t, c)
		assert.NotEqual(t, a.Transcript(0), d.Transcript(0), p.String())
	}
}

func TestValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Protocol = 7 },
		func(c *Config) { c.Participants = 0 },
		func(c *Config) { c.Participants = 10 },
		func(c *Config) { c.Start = -1 },
		func(c *Config) { c.PrepareTimeout = 0 },
		func(c *Config) { c.VoteTimeout = 0 },
		func(c *Config) { c.DecisionTimeout = -1 },
		func(c *Config) { c.ResendEvery = 0 },
		func(c *Config) { c.Downtime = -1 },
		func(c *Config) { c.Crash = CrashPoint{Phase: 9} },
		func(c *Config) { c.Crash = CrashPoint{AfterPrepare, -1} },
		func(c *Config) { c.End = 0 },
		func(c *Config) { c.End = MaxEnd + 1 },
		func(c *Config) { c.Protocol, c.Replicas = RaftDecision, 0 },
		func(c *Config) { c.Link.Loss = 2 },
		func(c *Config) { c.VoteNo = []netsim.NodeID{"p7"} },
		func(c *Config) { c.Schedule = "10ms explode co" },
		func(c *Config) { c.Schedule = "10ms crash zz" },
		func(c *Config) { c.Schedule = strings.Repeat("#", 10001) },
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		_, err := Simulate(c)
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "transactions: "), "case %d: %v", i, err)
	}
	assert.NoError(t, DefaultConfig().Validate())
}

// The fault sweep: the three protocols never break an invariant and always
// terminate; each broken variant is caught; with the decision in a Raft
// group the longest blocking window is far shorter than with 2PC.
func TestFaultSweep(t *testing.T) {
	rows, err := FaultSweep(Variants(), 1, 200)
	require.NoError(t, err)
	require.Len(t, rows, 7)
	for _, r := range rows[:3] {
		assert.Zero(t, r.Atomicity+r.Validity, r.Variant.Name)
		assert.Zero(t, r.Undecided, r.Variant.Name)
		assert.Equal(t, 200, r.Runs)
		assert.Positive(t, r.Committed, r.Variant.Name)
	}
	for _, r := range rows[3:] {
		assert.Positive(t, r.Atomicity, r.Variant.Name)
		assert.NotZero(t, r.FirstBad)
		assert.Contains(t, r.First, "violated")
	}
	assert.Positive(t, rows[5].Validity, "committing on a timeout breaks validity")
	assert.Positive(t, rows[6].Validity, "committing when all who answered are prepared breaks validity")
	assert.Less(t, rows[1].MeanBlocked, rows[0].MeanBlocked, "cooperation shortens blocking on average")
	assert.Less(t, rows[2].MeanBlocked, rows[0].MeanBlocked)
	assert.Less(t, rows[2].MaxBlocked, rows[0].MaxBlocked)
	assert.Len(t, SweepHeader(), len(rows[0].Row()))
	assert.Equal(t, "—", rows[0].Row()[8])

	_, err = FaultSweep(Variants(), 1, 0)
	assert.Error(t, err)
}

// The downtime sweep: in two-phase commit, with or without cooperation,
// the blocking window grows with the coordinator's downtime when it
// crashes after logging its decision and before telling anyone; with
// cooperation it stops growing once one participant was told; with the
// decision in a Raft group it stays under 200 ms.
func TestDowntimeSweep(t *testing.T) {
	sweep := func(p Protocol, cp CrashPoint) []Point {
		pts, err := DowntimeSweep(p, cp, Downtimes(), 1, 5)
		require.NoError(t, err)
		require.Len(t, pts, 5*len(Downtimes()))
		for _, pt := range pts {
			require.True(t, pt.OK)
		}
		return pts
	}
	nobody := CrashPoint{AfterDecision, 0}
	for _, pt := range sweep(TwoPhase, nobody) {
		assert.GreaterOrEqual(t, pt.Blocked, pt.X)
		assert.Less(t, pt.Blocked, pt.X+20*ms)
	}
	coop, two := sweep(Cooperative, nobody), sweep(TwoPhase, nobody)
	assert.Equal(t, two, coop, "nobody told: cooperative termination changes nothing")
	for _, pt := range sweep(Cooperative, CrashPoint{AfterDecision, 1}) {
		assert.Less(t, pt.Blocked, min(pt.X, 100*ms)+20*ms, "seed %d down %v", pt.Seed, pt.X)
	}
	for _, pt := range sweep(RaftDecision, nobody) {
		assert.Less(t, pt.Blocked, 200*ms, "seed %d down %v", pt.Seed, pt.X)
	}
	xs, meds := Medians(two)
	assert.Equal(t, Downtimes(), xs)
	assert.Len(t, meds, len(xs))
	_, err := DowntimeSweep(TwoPhase, nobody, Downtimes(), 1, 0)
	assert.Error(t, err)
}

// The crash-time sweep: a crash before Prepare blocks nobody; a crash
// after Prepare went out and before the decision arrived blocks for the
// downtime; a crash after the decisions arrived blocks nobody beyond the
// normal round. With the decision in a Raft group nobody is blocked for
// long whenever the coordinator crashes.
func TestCrashTimeSweep(t *testing.T) {
	pts, err := CrashTimeSweep(TwoPhase, 500*ms, 1, 60)
	require.NoError(t, err)
	long, short, zero := 0, 0, 0
	for _, p := range pts {
		require.True(t, p.OK)
		switch {
		case p.X < 0:
			assert.Zero(t, p.Blocked, "seed %d: crash before Prepare", p.Seed)
			zero++
		case p.X > 8*ms*3:
			// Three delays of at most 8 ms: the decisions have arrived.
			assert.Less(t, p.Blocked, 20*ms, "seed %d", p.Seed)
			short++
		case p.Blocked >= 500*ms:
			long++
		}
	}
	assert.Positive(t, zero)
	assert.Positive(t, short)
	assert.Positive(t, long)
	raft, err := CrashTimeSweep(RaftDecision, 1000*ms, 1, 60)
	require.NoError(t, err)
	for _, p := range raft {
		assert.True(t, p.OK)
		assert.Less(t, p.Blocked, 200*ms, "seed %d", p.Seed)
	}
	_, err = CrashTimeSweep(TwoPhase, 500*ms, 1, 0)
	assert.Error(t, err)
}

func TestShiftSchedule(t *testing.T) {
	assert.Equal(t, "430.000ms crash co\n930.000ms restart co\n", shiftSchedule("30ms crash co\n530ms restart co", 400*ms))
	assert.Equal(t, "", shiftSchedule("", 400*ms))
	c := WithProtocol(ParticipantCrash(28*ms), RaftDecision)
	assert.Equal(t, RaftStart, c.Start)
	assert.Equal(t, "408.000ms crash p2\n780.000ms restart p2\n", c.Schedule)
	r := simulate(t, c)
	assert.True(t, r.OK())
	assert.Equal(t, all(3, Committed), states(r))
}

// The checker on hand-made snapshots, and its memory: a process that
// changes its decision breaks atomicity even if the snapshot looks fine.
func TestChecker(t *testing.T) {
	ok := Snapshot{Coordinator: Commit, Participants: []PState{{"p1", Yes, Committed}, {"p2", Yes, Prepared}}}
	assert.Empty(t, Violated(ok))
	split := Snapshot{Coordinator: Unknown, Participants: []PState{{"p1", Yes, Committed}, {"p2", Yes, Aborted}}}
	assert.Equal(t, []string{Atomicity}, Violated(split))
	assert.Equal(t, "p2 aborted while p1 committed", atomicityDetail(split))
	invalid := Snapshot{Coordinator: Commit, Participants: []PState{{"p1", Yes, Prepared}, {"p2", NotVoted, Working}}}
	assert.Equal(t, []string{Validity}, Violated(invalid))
	assert.Equal(t, "the coordinator decided commit although p2 never voted", validityDetail(invalid))
	both := Snapshot{Coordinator: Unknown, Participants: []PState{{"p1", Yes, Committed}, {"p2", No, Aborted}}}
	assert.Equal(t, []string{Atomicity, Validity}, Violated(both))
	assert.Equal(t, "coordinator commit; p1 committed (yes) p2 prepared (yes)", ok.String())

	c := NewChecker()
	c.Observe(1, "co", Snapshot{Coordinator: Commit})
	c.Observe(2, "co", Snapshot{Coordinator: Abort})
	require.Len(t, c.Violations(), 1)
	assert.Contains(t, c.Violations()[0].String(), "co decided commit, then abort")
	c.Observe(3, "p1", split)
	assert.Len(t, c.Violations(), 1, "each invariant is reported once")
	assert.Equal(t, 3, c.Checks())
}

// The Observe hook sees every step, and what it sees is what the checker
// judges.
func TestObserveHook(t *testing.T) {
	c := DefaultConfig()
	c.Broken.AbortOnTimeout = true
	c.Crash, c.Downtime = CrashPoint{AfterDecision, 1}, 500*ms
	var steps int
	var bad []string
	c.Observe = func(now netsim.Time, node netsim.NodeID, s Snapshot) {
		steps++
		for _, v := range Violated(s) {
			if !slices.Contains(bad, v) {
				bad = append(bad, v)
			}
		}
	}
	r := simulate(t, c)
	assert.Equal(t, r.Checks, steps)
	assert.Equal(t, []string{Atomicity}, bad)
	require.False(t, r.OK())
	assert.Equal(t, "p2 aborted while the coordinator decided commit", r.Violations[0].Detail)
}

func TestRules(t *testing.T) {
	assert.Equal(t, Unknown, Decide(2, 0, 3, false))
	assert.Equal(t, Commit, Decide(3, 0, 3, false))
	assert.Equal(t, Abort, Decide(2, 1, 3, false))
	assert.Equal(t, Abort, Decide(2, 0, 3, true))
	assert.Equal(t, Commit, CommitOnTimeout(2, 0, 3, true))
	assert.Equal(t, Abort, CommitOnTimeout(2, 1, 3, true))

	assert.Equal(t, Commit, Terminate(Prepared, []State{Prepared, Committed}))
	assert.Equal(t, Abort, Terminate(Prepared, []State{Working}))
	assert.Equal(t, Abort, Terminate(Prepared, []State{Prepared, Aborted}))
	assert.Equal(t, Unknown, Terminate(Prepared, []State{Prepared, Prepared}))
	assert.Equal(t, Unknown, Terminate(Prepared, nil))
	assert.Equal(t, Commit, Terminate(Committed, nil))
	assert.Equal(t, Abort, Terminate(Aborted, []State{Committed}))
	assert.Equal(t, Commit, CommitIfAllPrepared(Prepared, []State{Prepared}))
	assert.Equal(t, Unknown, CommitIfAllPrepared(Prepared, nil))

	var s State
	require.NoError(t, s.UnmarshalText([]byte("prepared")))
	assert.Equal(t, Prepared, s)
	assert.Error(t, s.UnmarshalText([]byte("maybe")))
	b, err := Committed.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "committed", string(b))
	_, err = State(9).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "State(9)", State(9).String())
}

// The example of Exercise 1, as the notebook tells it: p1 and p2 prepared
// at 25 ms, p3 aborts alone at 220 ms, the coordinator restarts at 520 ms
// and aborts, p1 and p2 learn it at 525 ms: 500 ms in doubt.
func TestExerciseExampleStory(t *testing.T) {
	r := simulate(t, Exercise1.ParamsFor("").Config())
	assert.True(t, r.OK())
	assert.Equal(t, all(3, Aborted), states(r))
	assert.Equal(t, 220*ms, r.Participants[2].DecidedAt)
	assert.False(t, r.Participants[2].Prepared)
	assert.Equal(t, 520*ms, r.DecidedAt)
	for _, p := range r.Participants[:2] {
		assert.Equal(t, 525*ms, p.DecidedAt)
		assert.Equal(t, 500*ms, p.Blocked(r.Config.End))
	}
}

// The Raft group's costs and limits: a longer vulnerable window (a crash
// later than 2PC's whole round still finds participants in doubt), a
// slower decision for short downtimes, and in the fault sweep, the longest
// blocking for participants that crashed themselves while prepared.
func TestRaftDecisionCosts(t *testing.T) {
	pts, err := CrashTimeSweep(RaftDecision, 1000*ms, 1, 60)
	require.NoError(t, err)
	late := 0
	for _, p := range pts {
		if p.X > 24*ms && p.Blocked >= 100*ms {
			late++
		}
	}
	assert.Positive(t, late, "crashes after 2PC's round can still catch the group's round")

	short := []netsim.Time{10 * ms}
	two, err := DowntimeSweep(TwoPhase, CrashPoint{AfterDecision, 0}, short, 1, 5)
	require.NoError(t, err)
	raft, err := DowntimeSweep(RaftDecision, CrashPoint{AfterDecision, 0}, short, 1, 5)
	require.NoError(t, err)
	_, m2 := Medians(two)
	_, mr := Medians(raft)
	assert.Greater(t, mr[0], m2[0], "for a 10 ms downtime the group is slower than 2PC")

	// In the fault sweep (coordinator downtimes up to 1 s), a participant
	// that did not crash is blocked for a few timeouts at most (lost
	// messages cost retries); the worst windows belong to participants
	// that crashed while prepared.
	var worstUp, worstCrashed netsim.Time
	for s := uint64(1); s <= 200; s++ {
		c := WithProtocol(RandomFaults(s), RaftDecision)
		r := simulate(t, c)
		for _, p := range r.Participants {
			if b := p.Blocked(r.Config.End); strings.Contains(c.Schedule, "crash "+string(p.ID)) {
				worstCrashed = max(worstCrashed, b)
			} else {
				worstUp = max(worstUp, b)
			}
		}
	}
	assert.Less(t, worstUp, 400*ms)
	assert.Greater(t, worstCrashed, worstUp)
}
