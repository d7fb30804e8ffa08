package replication

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Config describes one run of a replicated key-value store on netsim.
type Config struct {
	// Impl is the Raft implementation: Course (nil means Course) or Etcd.
	Impl Implementation
	// Nodes is the number of replicas, 1..9, named n1, n2, ...
	Nodes int
	// Rules are the course Raft's replication rules (zero: the reference
	// rules). Etcd ignores them.
	Rules Rules
	// Election timeouts are drawn from [TimeoutMin, TimeoutMin +
	// TimeoutSpread]; the leader sends AppendEntries at least every
	// Heartbeat. Etcd counts them in ticks of Tick (see Etcd).
	TimeoutMin, TimeoutSpread, Heartbeat netsim.Time
	Tick                                 netsim.Time
	// SkipNoOp: a new course Raft leader does not append an empty entry
	// (used to replay Figure 8 of the paper, which has none).
	SkipNoOp bool
	// MaxEntries bounds the entries per course AppendEntries (0: 64).
	MaxEntries int
	// Link is the fault model of every link.
	Link netsim.Link
	// Clients c1, c2, ... each issue Commands commands (set a random one
	// of Keys keys), one every Interval, retrying each after RetryAfter
	// until acknowledged.
	Clients, Commands, Keys int
	Interval, RetryAfter    netsim.Time
	// Orders are scripted messages sent by the director node "ctl".
	Orders []Order
	// Steps are the faults: crashes, restarts, partitions, link changes.
	Steps []Step
	// Snapshots are the instants at which every replica's log is saved in
	// the result (for PlotLogs); the end of the run is always saved.
	Snapshots []netsim.Time
	End       netsim.Time
	Seed      uint64
	// Trace keeps the netsim trace in the result (for the transcript and
	// the space-time diagram).
	Trace bool
}

// DefaultConfig: 5 course Raft replicas with lesson 11's timing (election
// timeouts 150-300 ms, heartbeats every 50 ms; etcd: ticks of 10 ms), 1-5 ms
// delays, two clients each writing 10 commands to keys x, y and z every
// 100 ms, retrying after 200 ms; 2 s; seed 1.
func DefaultConfig() Config {
	ms := netsim.Millisecond
	return Config{
		Impl: Course, Nodes: 5,
		TimeoutMin: 150 * ms, TimeoutSpread: 150 * ms, Heartbeat: 50 * ms, Tick: 10 * ms,
		Link:    netsim.Link{Delay: netsim.Uniform(1*ms, 5*ms)},
		Clients: 2, Commands: 10, Keys: 3, Interval: 100 * ms, RetryAfter: 200 * ms,
		End: 2 * netsim.Second, Seed: 1,
	}
}

func (c *Config) impl() Implementation {
	if c.Impl == nil {
		return Course
	}
	return c.Impl
}

func (c *Config) maxEntries() int {
	if c.MaxEntries <= 0 {
		return 64
	}
	return c.MaxEntries
}

// Validate reports whether c can run.
func (c Config) Validate() error {
	switch {
	case c.Nodes < 1 || c.Nodes > 9:
		return fmt.Errorf("replication: %d nodes, allowed [1,9]", c.Nodes)
	case c.TimeoutMin <= 0:
		return fmt.Errorf("replication: election timeout minimum %v must be > 0", c.TimeoutMin)
	case c.TimeoutSpread < 0:
		return fmt.Errorf("replication: election timeout spread %v must be >= 0", c.TimeoutSpread)
	case c.Heartbeat <= 0 || c.Heartbeat >= c.TimeoutMin:
		return fmt.Errorf("replication: heartbeat %v must be in (0, %v) (below the election timeout)", c.Heartbeat, c.TimeoutMin)
	case c.MaxEntries < 0:
		return fmt.Errorf("replication: max entries %d must be >= 0", c.MaxEntries)
	case c.Clients < 0 || c.Clients > 9:
		return fmt.Errorf("replication: %d clients, allowed [0,9]", c.Clients)
	case c.Commands < 0 || c.Commands > 1000:
		return fmt.Errorf("replication: %d commands per client, allowed [0,1000]", c.Commands)
	case c.Keys < 1 || c.Keys > len(keyNames):
		return fmt.Errorf("replication: %d keys, allowed [1,%d]", c.Keys, len(keyNames))
	case c.Clients > 0 && c.Commands > 0 && c.Interval <= 0:
		return fmt.Errorf("replication: client interval %v must be > 0", c.Interval)
	case c.RetryAfter <= 0:
		return fmt.Errorf("replication: retry timeout %v must be > 0", c.RetryAfter)
	case c.End <= 0 || c.End > 10*netsim.Minute:
		return fmt.Errorf("replication: end %v not in (0, 10m]", c.End)
	case len(c.Orders) > 1000 || len(c.Steps) > 1000 || len(c.Snapshots) > 100:
		return fmt.Errorf("replication: at most 1000 orders, 1000 steps and 100 snapshots (got %d, %d, %d)", len(c.Orders), len(c.Steps), len(c.Snapshots))
	}
	if err := c.Link.Validate(); err != nil {
		return fmt.Errorf("replication: link: %v", strings.TrimPrefix(err.Error(), "netsim: "))
	}
	members := c.members()
	for _, o := range c.Orders {
		if o.At < 0 || o.At > c.End {
			return fmt.Errorf("replication: order %v not in [0, end %v]", o, c.End)
		}
		if !slices.Contains(members, o.To) {
			return fmt.Errorf("replication: order %v is for %q, not a replica %v", o, o.To, members)
		}
		switch o.Msg.(type) {
		case Campaign, Submit:
		default:
			return fmt.Errorf("replication: order %v: only Campaign and Submit can be ordered", o)
		}
	}
	for _, s := range c.Steps {
		if err := s.check(&c); err != nil {
			return err
		}
	}
	for _, t := range c.Snapshots {
		if t < 0 || t > c.End {
			return fmt.Errorf("replication: snapshot at %v not in [0, end %v]", t, c.End)
		}
	}
	return c.impl().Check(&c)
}

// ReplicaName is the netsim ID of replica i (1-based, as etcd numbers them): "n1".
func ReplicaName(i int) netsim.NodeID { return netsim.NodeID(fmt.Sprintf("n%d", i)) }

// ClientName is the netsim ID of client i (1-based): "c1".
func ClientName(i int) netsim.NodeID { return netsim.NodeID(fmt.Sprintf("c%d", i)) }

func (c *Config) members() []netsim.NodeID {
	ids := make([]netsim.NodeID, c.Nodes)
	for i := range ids {
		ids[i] = ReplicaName(i + 1)
	}
	return ids
}

func (c *Config) clients() []netsim.NodeID {
	ids := make([]netsim.NodeID, c.Clients)
	for i := range ids {
		ids[i] = ClientName(i + 1)
	}
	return ids
}

// Point is a value at a time, for plots over time.
type Point struct {
	At    netsim.Time
	Value int
}

// LeaderTerm records that Node became leader of Term at time At.
type LeaderTerm struct {
	At   netsim.Time
	Node netsim.NodeID
	Term int
}

// Note is one line of a run's story: a fault or an election.
type Note struct {
	At    netsim.Time
	Text  string
	Fault bool
}

// Run is the result of Simulate.
type Run struct {
	Config  Config
	Impl    string
	Members []netsim.NodeID
	Notes   []Note // faults and elections, in time order
	// Isolated lists the replicas that the last IsolateLeader step cut
	// off with the leader (the leader first).
	Isolated []netsim.NodeID
	Leaders  []LeaderTerm // every election won
	// Commit and LastIndex give, per replica, its commit index and the
	// length of its log each time they changed.
	Commit, LastIndex [][]Point
	Snapshots         []Snapshot // at Config.Snapshots, in order
	Final             Snapshot   // at the end
	Clients           []ClientStats
	// Committed is every entry committed during the run, in index order.
	Committed  []Entry
	Violations []Violation // the first MaxViolations
	Counts     map[Property]int
	Checks     int // safety checks made (one per replica step)
	Safety     string
	Stats      netsim.Stats
	Trace      netsim.Trace // if Config.Trace
}

// OK reports whether no safety property was violated.
func (r *Run) OK() bool { return len(r.Violations) == 0 }

// Acknowledged is the number of client commands acknowledged.
func (r *Run) Acknowledged() int {
	n := 0
	for _, c := range r.Clients {
		n += c.Done
	}
	return n
}

// CommittedCommands lists the distinct client commands committed, sorted
// by client and sequence number, each as "c1#3 x=3".
func (r *Run) CommittedCommands() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range r.Committed {
		if e.Cmd.IsNoOp() {
			continue
		}
		s := fmt.Sprintf("%s#%03d %s=%s", e.Cmd.Client, e.Cmd.Seq, e.Cmd.Key, e.Cmd.Value)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// String is the run's story: configuration, faults and elections, clients,
// the final logs and the safety verdict.
func (r *Run) String() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "%s, %d replicas, rules: %s, seed %d, until %v\n", r.Impl, c.Nodes, r.rulesName(), c.Seed, c.End)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%14v  %s\n", n.At, n.Text)
	}
	for _, cs := range r.Clients {
		fmt.Fprintf(&b, "%s\n", cs)
	}
	fmt.Fprintf(&b, "%d entries committed, %d distinct client commands\n", len(r.Committed), len(r.CommittedCommands()))
	b.WriteString(r.Final.String())
	b.WriteString(r.Safety)
	b.WriteByte('\n')
	return b.String()
}

func (r *Run) rulesName() string {
	if r.Impl != Course.Name() {
		return "etcd's"
	}
	return r.Config.Rules.String()
}

// Transcript returns the netsim trace (if Config.Trace) between from and
// to, without the timers that only drive the protocol (etcd's ticks and
// the clients' issue timers), at most max lines (0: all).
func (r *Run) Transcript(from, to netsim.Time, max int) string {
	return r.Trace.Filter(func(rec netsim.Record) bool {
		return rec.Time >= from && rec.Time <= to && !quietRecord(rec)
	}).Head(max)
}

// quietRecord: timer bookkeeping that would drown the messages.
func quietRecord(rec netsim.Record) bool {
	switch rec.Op {
	case netsim.OpSetTimer, netsim.OpCancelTimer, netsim.OpStart:
		return true
	case netsim.OpTimer:
		return isTick(rec.Msg) || rec.Msg == any(issueTag{})
	}
	return false
}

// Simulate runs cfg and checks every step of every replica for safety.
func Simulate(cfg Config) (*Run, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := cfg
	c.Steps = slices.Clone(cfg.Steps)
	slices.SortStableFunc(c.Steps, func(a, b Step) int { return cmpTime(a.At, b.At) })
	snaps := slices.Clone(cfg.Snapshots)
	slices.Sort(snaps)
	sim, err := netsim.New(netsim.Config{Seed: c.Seed, DefaultLink: c.Link, NoTrace: !c.Trace})
	if err != nil {
		return nil, fmt.Errorf("replication: %w", err)
	}
	members := c.members()
	chk, err := NewChecker(members)
	if err != nil {
		return nil, err
	}
	rn := &runner{cfg: &c, sim: sim, chk: chk, run: &Run{Config: cfg, Impl: c.impl().Name(), Members: members},
		prev: make([]Status, len(members))}
	rn.run.Commit = make([][]Point, len(members))
	rn.run.LastIndex = make([][]Point, len(members))
	for i, id := range members {
		r, err := c.impl().NewReplica(&c, id, members)
		if err != nil {
			return nil, err
		}
		rn.reps = append(rn.reps, r)
		if err := sim.AddNode(id, &observed{Replica: r, idx: i, rn: rn}); err != nil {
			return nil, err
		}
	}
	for _, id := range c.clients() {
		st := &ClientStats{ID: id}
		rn.stats = append(rn.stats, st)
		if err := sim.AddNode(id, &client{cfg: &c, members: members, stats: st, guess: rn.clientStart(id)}); err != nil {
			return nil, err
		}
	}
	if len(c.Orders) > 0 {
		st := &ClientStats{ID: Director}
		rn.stats = append(rn.stats, st)
		if err := sim.AddNode(Director, &director{orders: c.Orders, stats: st, done: map[int]bool{}}); err != nil {
			return nil, err
		}
	}
	// Run from one step or snapshot to the next.
	si, ni := 0, 0
	for si < len(c.Steps) || ni < len(snaps) {
		if ni < len(snaps) && (si == len(c.Steps) || snaps[ni] <= c.Steps[si].At) {
			if err := sim.Run(snaps[ni]); err != nil {
				return nil, err
			}
			rn.run.Snapshots = append(rn.run.Snapshots, rn.snapshot())
			ni++
			continue
		}
		s := c.Steps[si]
		if err := sim.Run(s.At); err != nil {
			return nil, err
		}
		if err := rn.do(s); err != nil {
			return nil, err
		}
		si++
	}
	if err := sim.Run(c.End); err != nil {
		return nil, err
	}
	if err := rn.err(); err != nil {
		return nil, err
	}
	r := rn.run
	r.Final = rn.snapshot()
	for _, st := range rn.stats {
		r.Clients = append(r.Clients, *st)
	}
	r.Committed = chk.Committed()
	r.Violations = chk.Violations()
	r.Counts = map[Property]int{}
	for _, p := range Properties() {
		r.Counts[p] = chk.Count(p)
	}
	r.Checks = chk.Observations()
	r.Safety = chk.String()
	r.Stats = sim.Stats()
	if c.Trace {
		r.Trace = sim.Trace()
	}
	return r, nil
}

func cmpTime(a, b netsim.Time) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// runner drives one Simulate call.
type runner struct {
	cfg   *Config
	sim   *netsim.Sim
	chk   *Checker
	reps  []Replica
	stats []*ClientStats
	run   *Run
	prev  []Status
}

// clientStart spreads the clients' first guesses over the replicas.
func (rn *runner) clientStart(id netsim.NodeID) int {
	i := slices.Index(rn.cfg.clients(), id)
	return i % rn.cfg.Nodes
}

// observed wraps a replica so that every step is checked and recorded.
type observed struct {
	Replica
	idx int
	rn  *runner
}

func (o *observed) Handle(ctx *netsim.Context, ev netsim.Event) {
	o.Replica.Handle(ctx, ev)
	o.rn.observe(ctx.Now(), o.idx)
}

func (rn *runner) observe(now netsim.Time, i int) {
	st := rn.reps[i].Status()
	rn.chk.Observe(now, i, st)
	p := &rn.prev[i]
	id := rn.run.Members[i]
	if st.Role == Leader && (p.Role != Leader || p.Term != st.Term) {
		rn.run.Leaders = append(rn.run.Leaders, LeaderTerm{At: now, Node: id, Term: st.Term})
		rn.note(now, fmt.Sprintf("%s is leader of term %d (log %d entries, commit %d)", id, st.Term, st.Log.LastIndex(), st.Commit))
	}
	if st.Commit != p.Commit || len(rn.run.Commit[i]) == 0 {
		rn.run.Commit[i] = append(rn.run.Commit[i], Point{now, st.Commit})
	}
	if st.Log.LastIndex() != p.Log.LastIndex() || len(rn.run.LastIndex[i]) == 0 {
		rn.run.LastIndex[i] = append(rn.run.LastIndex[i], Point{now, st.Log.LastIndex()})
	}
	*p = Status{Term: st.Term, Role: st.Role, Commit: st.Commit, Log: st.Log}
}

func (rn *runner) note(at netsim.Time, text string) {
	rn.run.Notes = append(rn.run.Notes, Note{At: at, Text: text})
}

func (rn *runner) fault(at netsim.Time, text string) {
	rn.run.Notes = append(rn.run.Notes, Note{At: at, Text: text, Fault: true})
}

// err collects an error a replica could not report through netsim (etcd's
// adapter stops a replica whose library panicked).
func (rn *runner) err() error {
	for i, r := range rn.reps {
		if e, ok := r.(interface{ Err() error }); ok && e.Err() != nil {
			return fmt.Errorf("replication: replica %s: %w (seed %d)", rn.run.Members[i], e.Err(), rn.cfg.Seed)
		}
	}
	return nil
}

// leader is the live replica that believes it leads the highest term, or -1.
func (rn *runner) leader() int {
	best, term := -1, -1
	for i, r := range rn.reps {
		st := r.Status()
		if st.Role == Leader && st.Term > term && !rn.sim.Crashed(rn.run.Members[i]) {
			best, term = i, st.Term
		}
	}
	return best
}

// snapshot copies every replica's state.
func (rn *runner) snapshot() Snapshot {
	s := Snapshot{At: rn.sim.Now()}
	for i, r := range rn.reps {
		st := r.Status()
		ns := NodeState{ID: rn.run.Members[i], Role: st.Role, Term: st.Term, Log: slices.Clone(st.Log),
			Commit: st.Commit, Crashed: rn.sim.Crashed(rn.run.Members[i])}
		if st.KV != nil {
			ns.KV = st.KV.String()
			ns.Applied = st.KV.LastApplied()
		}
		s.Nodes = append(s.Nodes, ns)
	}
	return s
}

// Snapshot is every replica's state at one instant.
type Snapshot struct {
	At    netsim.Time
	Nodes []NodeState
}

// NodeState is one replica in a Snapshot.
type NodeState struct {
	ID      netsim.NodeID
	Role    Role
	Term    int
	Log     Log
	Commit  int
	Applied int
	KV      string // the state machine, "x=3 y=7"
	Crashed bool
}

// String draws the logs as in the figures of the Raft paper: one line per
// replica with the term of each entry; entries after "|" are not (yet)
// known to that replica as committed.
func (s Snapshot) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "logs at %v (term of each entry; | marks the commit index)\n", s.At)
	for _, n := range s.Nodes {
		role := n.Role.String()
		if n.Crashed {
			role = "crashed"
		}
		fmt.Fprintf(&b, "  %-3s %-9s t%-3d %s\n", n.ID, role, n.Term, logLine(n.Log, n.Commit))
	}
	return b.String()
}

func logLine(l Log, commit int) string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == commit && commit > 0 {
			b.WriteString("| ")
		}
		fmt.Fprintf(&b, "%d", e.Term)
	}
	if commit == len(l) && commit > 0 {
		b.WriteString(" |")
	}
	return b.String()
}

// Agree reports whether every live replica's state machine has applied the
// same number of entries and holds the same store.
func (s Snapshot) Agree() bool {
	kv, applied, first := "", 0, true
	for _, n := range s.Nodes {
		if n.Crashed {
			continue
		}
		if first {
			kv, applied, first = n.KV, n.Applied, false
		} else if n.KV != kv || n.Applied != applied {
			return false
		}
	}
	return true
}
