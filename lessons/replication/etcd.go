package replication

import (
	"fmt"

	raft "go.etcd.io/raft/v3"
	pb "go.etcd.io/raft/v3/raftpb"

	"github.com/dslessons/course/pkg/etcdraft"
	"github.com/dslessons/course/pkg/netsim"
)

// Etcd runs the same replicated key-value store on etcd's production Raft
// library (go.etcd.io/raft/v3, through pkg/etcdraft). Timing comes from
// Config: a tick every Tick, ElectionTick = TimeoutMin/Tick and
// HeartbeatTick = Heartbeat/Tick; etcd always randomises the election
// timeout over [TimeoutMin, 2·TimeoutMin), so TimeoutSpread must equal
// TimeoutMin. etcd's rules are its own: Rules, SkipNoOp and MaxEntries
// must be left at their zero values.
var Etcd Implementation = etcdImpl{}

type etcdImpl struct{}

func (etcdImpl) Name() string { return "etcd raft v3.7.0" }

func (etcdImpl) Check(c *Config) error {
	switch {
	case c.Tick <= 0:
		return fmt.Errorf("replication: etcd needs a tick > 0, got %v", c.Tick)
	case c.TimeoutMin%c.Tick != 0 || c.Heartbeat%c.Tick != 0:
		return fmt.Errorf("replication: etcd counts time in ticks: election timeout %v and heartbeat %v must be multiples of the tick %v", c.TimeoutMin, c.Heartbeat, c.Tick)
	case c.TimeoutMin/c.Tick > etcdraft.MaxTicks:
		return fmt.Errorf("replication: election timeout %v is more than %d ticks of %v", c.TimeoutMin, etcdraft.MaxTicks, c.Tick)
	case c.TimeoutSpread != c.TimeoutMin:
		return fmt.Errorf("replication: etcd draws election timeouts from [min, 2·min): the spread %v must equal the minimum %v", c.TimeoutSpread, c.TimeoutMin)
	case c.Rules.Name != "" || c.Rules.Commit != nil || c.Rules.Append != nil || c.Rules.Vote != nil:
		return fmt.Errorf("replication: etcd's rules cannot be changed (got rules %q)", c.Rules)
	case c.SkipNoOp || c.MaxEntries != 0:
		return fmt.Errorf("replication: SkipNoOp and MaxEntries apply to the course Raft only")
	}
	return nil
}

func (etcdImpl) NewReplica(c *Config, self netsim.NodeID, members []netsim.NodeID) (Replica, error) {
	r := &etcdReplica{self: self}
	node, err := etcdraft.New(self, etcdraft.Config{
		Peers: members, Tick: c.Tick,
		ElectionTicks: int(c.TimeoutMin / c.Tick), HeartbeatTicks: int(c.Heartbeat / c.Tick),
		Persisted: r.persisted, Apply: r.apply,
	})
	if err != nil {
		return nil, fmt.Errorf("replication: %w", err)
	}
	r.node = node
	return r, nil
}

// isTick reports whether a timer tag is etcd's tick.
func isTick(tag any) bool {
	_, ok := tag.(etcdraft.Tick)
	return ok
}

// etcdReplica adds the course's client protocol and key-value store to an
// etcdraft.Node, and keeps a decoded copy of its log for the checker.
type etcdReplica struct {
	self netsim.NodeID
	node *etcdraft.Node
	log  Log // the entries in the node's storage, decoded
	kv   *KV
	err  error
}

func (r *etcdReplica) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		r.kv = NewKV() // etcd hands the committed entries over again
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case Submit:
			r.submit(ctx, ev.From, m.Cmd)
			return
		case Campaign:
			_ = r.node.Campaign(ctx) // refused only when already leader
			return
		}
	}
	r.node.Handle(ctx, ev)
}

func (r *etcdReplica) submit(ctx *netsim.Context, from netsim.NodeID, cmd Command) {
	st := r.node.Status()
	if st.State != raft.StateLeader {
		ctx.Send(from, Redirect{Seq: cmd.Seq, Leader: st.Lead})
		return
	}
	cmd.Client = from
	if cmd.IsNoOp() {
		return
	}
	for i := r.log.LastIndex(); i >= 1; i-- {
		if c := r.log[i-1].Cmd; c.Client == cmd.Client && c.Seq == cmd.Seq {
			if i <= r.kv.LastApplied() {
				ctx.Send(from, Result{Seq: cmd.Seq, Index: i, Value: r.kv.Reply(cmd)})
			}
			return
		}
	}
	// A dropped proposal (leadership changing hands) is retried by the client.
	_ = r.node.Propose(ctx, EncodeCommand(cmd))
}

// persisted mirrors the entries etcd wrote to storage.
func (r *etcdReplica) persisted(ents []*pb.Entry) {
	first := int(ents[0].GetIndex())
	if first < 1 || first > r.log.LastIndex()+1 {
		r.fail(fmt.Errorf("etcd persisted entries from index %d onto a log of %d", first, r.log.LastIndex()))
		return
	}
	r.log = r.log[:first-1]
	for _, e := range ents {
		r.log = append(r.log, Entry{Term: int(e.GetTerm()), Cmd: r.decode(e)})
	}
}

// apply applies a committed entry; the leader answers its client.
func (r *etcdReplica) apply(ctx *netsim.Context, e *pb.Entry) {
	if int(e.GetIndex()) != r.kv.LastApplied()+1 {
		r.fail(fmt.Errorf("etcd applied index %d after %d", e.GetIndex(), r.kv.LastApplied()))
		return
	}
	ent := Entry{Term: int(e.GetTerm()), Cmd: r.decode(e)}
	r.kv.Apply(ent)
	if !ent.Cmd.IsNoOp() && r.node.Status().State == raft.StateLeader {
		ctx.Send(ent.Cmd.Client, Result{Seq: ent.Cmd.Seq, Index: int(e.GetIndex()), Value: r.kv.Reply(ent.Cmd)})
	}
}

func (r *etcdReplica) decode(e *pb.Entry) Command {
	if e.GetType() != pb.EntryNormal {
		return Command{}
	}
	c, err := DecodeCommand(e.GetData())
	if err != nil {
		r.fail(err)
	}
	return c
}

func (r *etcdReplica) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// Err reports a failure of the adapter or of etcd.
func (r *etcdReplica) Err() error {
	if err := r.node.Err(); err != nil {
		return err
	}
	return r.err
}

func (r *etcdReplica) Status() Status {
	st := r.node.Status()
	role := Follower
	switch st.State {
	case raft.StateLeader:
		role = Leader
	case raft.StateCandidate, raft.StatePreCandidate:
		role = Candidate
	}
	s := Status{Term: int(st.Term), Role: role, Leader: st.Lead, Log: r.log, Commit: int(st.Commit), KV: r.kv}
	if r.kv != nil {
		s.Applied = r.kv.Applied()
	}
	return s
}
