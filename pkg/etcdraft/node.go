package etcdraft

import (
	"errors"
	"fmt"
	"slices"

	raft "go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"
	"google.golang.org/protobuf/proto"

	"github.com/dslessons/course/pkg/netsim"
)

// Config configures a Node.
type Config struct {
	// Peers lists every voting member, the node itself included, in the
	// same order for every member: Peers[i] gets etcd's raft ID i+1.
	Peers []netsim.NodeID
	// Tick is the virtual time between two calls of RawNode.Tick
	// (default 10 ms). Each node's first tick comes at a random offset
	// within one Tick of its start, so the nodes tick out of step.
	Tick netsim.Time
	// ElectionTicks and HeartbeatTicks are etcd's ElectionTick and
	// HeartbeatTick (defaults 15 and 5). A follower campaigns after a
	// random 15..29 ticks without hearing from a leader.
	ElectionTicks, HeartbeatTicks int
	// CheckQuorum and PreVote switch on etcd's options of these names.
	CheckQuorum, PreVote bool
	// MaxMsgBytes bounds the entries in one append message (default
	// 1 MiB); MaxInflight the append messages in flight to one follower
	// (default 256).
	MaxMsgBytes uint64
	MaxInflight int
	// Notes copies etcd's own log lines (Info and above: "became leader
	// at term 2", ...) into the netsim trace as notes.
	Notes bool
	// Persisted, if set, is called with the entries of each Ready after
	// they were written to the node's storage. They replace whatever the
	// log held from index ents[0].Index on.
	Persisted func(ents []*pb.Entry)
	// Apply, if set, is called for every committed entry, in index order,
	// with the context of the current step (so it may send replies). It
	// must not call Propose or Campaign.
	Apply func(ctx *netsim.Context, e *pb.Entry)
}

// Limits of Config values.
const (
	MaxPeers = 64
	MaxTicks = 1_000_000
)

func (c *Config) fill() {
	if c.Tick == 0 {
		c.Tick = 10 * netsim.Millisecond
	}
	if c.ElectionTicks == 0 {
		c.ElectionTicks = 15
	}
	if c.HeartbeatTicks == 0 {
		c.HeartbeatTicks = 5
	}
	if c.MaxMsgBytes == 0 {
		c.MaxMsgBytes = 1 << 20
	}
	if c.MaxInflight == 0 {
		c.MaxInflight = 256
	}
}

// Validate reports whether c (with defaults filled in) is usable.
func (c Config) Validate() error {
	c.fill()
	switch {
	case len(c.Peers) == 0 || len(c.Peers) > MaxPeers:
		return fmt.Errorf("etcdraft: %d peers, allowed [1,%d]", len(c.Peers), MaxPeers)
	case c.Tick < 0:
		return fmt.Errorf("etcdraft: tick %v must be > 0", c.Tick)
	case c.HeartbeatTicks < 1 || c.HeartbeatTicks > MaxTicks:
		return fmt.Errorf("etcdraft: heartbeat ticks %d not in [1,%d]", c.HeartbeatTicks, MaxTicks)
	case c.ElectionTicks <= c.HeartbeatTicks || c.ElectionTicks > MaxTicks:
		return fmt.Errorf("etcdraft: election ticks %d must be above heartbeat ticks %d and at most %d", c.ElectionTicks, c.HeartbeatTicks, MaxTicks)
	case c.MaxInflight < 0:
		return fmt.Errorf("etcdraft: max inflight %d must be >= 0", c.MaxInflight)
	}
	for i, p := range c.Peers {
		if p == "" || p == netsim.Any {
			return fmt.Errorf("etcdraft: peer %d has ID %q", i+1, p)
		}
		if slices.Index(c.Peers, p) != i {
			return fmt.Errorf("etcdraft: peer %q listed twice", p)
		}
	}
	return nil
}

// Node runs one etcd raft.RawNode as a netsim node. Its storage, a
// raft.MemoryStorage, survives crashes (it is the disk); the RawNode is
// rebuilt from it on Restart, as a real server rebuilds from its
// write-ahead log.
type Node struct {
	cfg     Config
	self    netsim.NodeID
	id      uint64
	storage *raft.MemoryStorage
	rn      *raft.RawNode
	rand    *streamReader
	ctx     *netsim.Context // during a step, for the logger
	inCall  bool
	err     error
}

// New returns the node self, which must be one of cfg.Peers.
func New(self netsim.NodeID, cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.fill()
	cfg.Peers = slices.Clone(cfg.Peers)
	i := slices.Index(cfg.Peers, self)
	if i < 0 {
		return nil, fmt.Errorf("etcdraft: node %q is not among the peers %v", self, cfg.Peers)
	}
	return &Node{cfg: cfg, self: self, id: uint64(i + 1)}, nil
}

// Tick is the tag of the timer that drives RawNode.Tick.
type Tick struct{}

func (Tick) String() string { return "tick" }

// Handle implements netsim.Node: Start creates the storage (the cluster's
// members as its initial configuration) and the RawNode; Restart rebuilds
// the RawNode from the storage; each Tick timer calls RawNode.Tick; a
// delivered Message is passed to RawNode.Step. After each of these the
// node handles every Ready: it writes the hard state and entries to the
// storage, sends the messages through netsim, hands the committed entries
// to Config.Apply and calls Advance. Other messages are ignored.
func (n *Node) Handle(ctx *netsim.Context, ev netsim.Event) {
	if n.err != nil {
		return
	}
	switch ev.Kind {
	case netsim.Start:
		n.storage = raft.NewMemoryStorage()
		voters := make([]uint64, len(n.cfg.Peers))
		for i := range voters {
			voters[i] = uint64(i + 1)
		}
		snap := &pb.Snapshot{Metadata: &pb.SnapshotMetadata{ConfState: &pb.ConfState{Voters: voters}}}
		if err := n.storage.ApplySnapshot(snap); err != nil {
			n.err = fmt.Errorf("etcdraft: %s: initial configuration: %w", n.self, err)
			return
		}
		n.boot(ctx)
	case netsim.Restart:
		n.boot(ctx)
	case netsim.Timer:
		if _, ok := ev.Msg.(Tick); ok && n.rn != nil {
			n.call(ctx, func() error { n.rn.Tick(); return nil })
			ctx.SetTimer(n.cfg.Tick, Tick{})
		}
	case netsim.Receive:
		if m, ok := ev.Msg.(Message); ok && n.rn != nil && m.M != nil {
			n.call(ctx, func() error {
				err := n.rn.Step(proto.Clone(m.M).(*pb.Message))
				if errors.Is(err, raft.ErrStepLocalMsg) || errors.Is(err, raft.ErrStepPeerNotFound) {
					return nil // etcd ignores these too
				}
				return err
			})
		}
	}
}

// boot builds the RawNode from the storage.
func (n *Node) boot(ctx *netsim.Context) {
	n.rand = &streamReader{r: ctx.Rand()}
	rc := &raft.Config{
		ID: n.id, ElectionTick: n.cfg.ElectionTicks, HeartbeatTick: n.cfg.HeartbeatTicks,
		Storage: n.storage, MaxSizePerMsg: n.cfg.MaxMsgBytes, MaxInflightMsgs: n.cfg.MaxInflight,
		CheckQuorum: n.cfg.CheckQuorum, PreVote: n.cfg.PreVote, Logger: &logger{n: n},
	}
	n.call(ctx, func() error {
		rn, err := raft.NewRawNode(rc)
		n.rn = rn
		return err
	})
	if n.err == nil {
		ctx.SetTimer(1+netsim.Time(ctx.Rand().Int64N(int64(n.cfg.Tick))), Tick{})
	}
}

// call runs f (a call into etcd raft) with etcd's random source drawing
// from this node's seeded stream, then handles every Ready. A panic in
// etcd stops the node and is reported by Err.
func (n *Node) call(ctx *netsim.Context, f func() error) {
	if n.inCall { // from a hook: already inside a call
		if err := f(); err != nil && n.err == nil {
			n.err = fmt.Errorf("etcdraft: %s: %w", n.self, err)
		}
		return
	}
	n.ctx, n.inCall = ctx, true
	defer func() {
		n.ctx, n.inCall = nil, false
		if r := recover(); r != nil {
			n.err = fmt.Errorf("etcdraft: %s: etcd raft panicked: %v", n.self, r)
		}
	}()
	withRand(n.rand, func() {
		if err := f(); err != nil {
			if n.err == nil {
				n.err = fmt.Errorf("etcdraft: %s: %w", n.self, err)
			}
			return
		}
		n.handleReady(ctx)
	})
}

func (n *Node) handleReady(ctx *netsim.Context) {
	for n.err == nil && n.rn.HasReady() {
		rd := n.rn.Ready()
		if !raft.IsEmptyHardState(rd.HardState) {
			if err := n.storage.SetHardState(proto.Clone(rd.HardState).(*pb.HardState)); err != nil {
				n.err = fmt.Errorf("etcdraft: %s: saving hard state: %w", n.self, err)
				return
			}
		}
		if !raft.IsEmptySnap(rd.Snapshot) {
			n.err = fmt.Errorf("etcdraft: %s: snapshots are not supported (the adapter never compacts its log)", n.self)
			return
		}
		if len(rd.Entries) > 0 {
			if err := n.storage.Append(rd.Entries); err != nil {
				n.err = fmt.Errorf("etcdraft: %s: appending entries: %w", n.self, err)
				return
			}
			if n.cfg.Persisted != nil {
				n.cfg.Persisted(rd.Entries)
			}
		}
		for _, m := range rd.Messages {
			to := m.GetTo()
			if to < 1 || to > uint64(len(n.cfg.Peers)) {
				continue
			}
			ctx.Send(n.cfg.Peers[to-1], Message{M: proto.Clone(m).(*pb.Message)})
		}
		for _, e := range rd.CommittedEntries {
			switch e.GetType() {
			case pb.EntryConfChange:
				var cc pb.ConfChange
				if err := proto.Unmarshal(e.GetData(), &cc); err == nil {
					n.rn.ApplyConfChange(&cc)
				}
			case pb.EntryConfChangeV2:
				var cc pb.ConfChangeV2
				if err := proto.Unmarshal(e.GetData(), &cc); err == nil {
					n.rn.ApplyConfChange(&cc)
				}
			}
			if n.cfg.Apply != nil {
				n.cfg.Apply(ctx, e)
			}
		}
		n.rn.Advance(rd)
	}
}

// Propose asks etcd raft to replicate data (RawNode.Propose). Only a
// leader appends it; a follower forwards it to the leader it knows, and
// fails with raft.ErrProposalDropped if it knows none.
func (n *Node) Propose(ctx *netsim.Context, data []byte) error {
	return n.try(ctx, func() error { return n.rn.Propose(data) })
}

// Campaign makes the node start an election now (RawNode.Campaign).
func (n *Node) Campaign(ctx *netsim.Context) error {
	return n.try(ctx, n.rn.Campaign)
}

// try is call for the exported operations, which return etcd's error
// instead of stopping the node.
func (n *Node) try(ctx *netsim.Context, f func() error) error {
	if n.err != nil {
		return n.err
	}
	if n.rn == nil {
		return fmt.Errorf("etcdraft: %s has not started", n.self)
	}
	var ferr error
	n.call(ctx, func() error { ferr = f(); return nil })
	return ferr
}

// Status is a summary of etcd's state for the node.
type Status struct {
	Term, Commit, Applied uint64
	Vote, Lead            netsim.NodeID // "" for none
	State                 raft.StateType
}

// Status reads the node's state (the zero Status before it starts).
func (n *Node) Status() Status {
	if n.rn == nil {
		return Status{}
	}
	bs := n.rn.BasicStatus()
	return Status{Term: bs.GetTerm(), Commit: bs.GetCommit(), Applied: bs.Applied,
		Vote: n.peer(bs.GetVote()), Lead: n.peer(bs.Lead), State: bs.RaftState}
}

// Storage is the node's storage (nil before it starts). Read it only
// between steps.
func (n *Node) Storage() *raft.MemoryStorage { return n.storage }

// Err reports why the node stopped, if it did: etcd panicked or returned
// an error it should not have. A stopped node ignores further events.
func (n *Node) Err() error { return n.err }

// ID is the node's raft ID.
func (n *Node) ID() uint64 { return n.id }

func (n *Node) peer(id uint64) netsim.NodeID {
	if id < 1 || id > uint64(len(n.cfg.Peers)) {
		return ""
	}
	return n.cfg.Peers[id-1]
}

// logger passes etcd's log lines to the netsim trace (Config.Notes) or
// drops them; etcd's Panic and Fatal become panics the node recovers from.
type logger struct{ n *Node }

func (l *logger) note(format string, v ...any) {
	if l.n.cfg.Notes && l.n.ctx != nil {
		l.n.ctx.Logf("etcd: "+format, v...)
	}
}

func (l *logger) Debug(v ...any)                 {}
func (l *logger) Debugf(format string, v ...any) {}
func (l *logger) Info(v ...any)                  { l.note("%s", fmt.Sprint(v...)) }
func (l *logger) Infof(format string, v ...any)  { l.note(format, v...) }
func (l *logger) Warning(v ...any)               { l.note("%s", fmt.Sprint(v...)) }
func (l *logger) Warningf(format string, v ...any) {
	l.note(format, v...)
}
func (l *logger) Error(v ...any)                 { l.note("%s", fmt.Sprint(v...)) }
func (l *logger) Errorf(format string, v ...any) { l.note(format, v...) }
func (l *logger) Fatal(v ...any)                 { panic(fmt.Sprint(v...)) }
func (l *logger) Fatalf(format string, v ...any) { panic(fmt.Sprintf(format, v...)) }
func (l *logger) Panic(v ...any)                 { panic(fmt.Sprint(v...)) }
func (l *logger) Panicf(format string, v ...any) { panic(fmt.Sprintf(format, v...)) }
