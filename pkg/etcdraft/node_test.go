package etcdraft

import (
	crand "crypto/rand"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pb "go.etcd.io/raft/v3/raftpb"

	"github.com/dslessons/course/pkg/netsim"
)

const ms = netsim.Millisecond

var peers = []netsim.NodeID{"a", "b", "c"}

// replica is a test application: it proposes what a "propose" message
// carries and records the entries applied.
type replica struct {
	*Node
	applied []string
}

type propose string

func (r *replica) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start || ev.Kind == netsim.Restart {
		r.applied = nil // the state machine is rebuilt from the log
	}
	if p, ok := ev.Msg.(propose); ok && ev.Kind == netsim.Receive {
		_ = r.Propose(ctx, []byte(p))
		return
	}
	r.Node.Handle(ctx, ev)
}

func newCluster(t *testing.T, seed uint64, notes bool) (*netsim.Sim, []*replica) {
	t.Helper()
	sim, err := netsim.New(netsim.Config{Seed: seed, DefaultLink: netsim.Link{Delay: netsim.Uniform(1*ms, 5*ms)}})
	require.NoError(t, err)
	var reps []*replica
	for _, id := range peers {
		r := &replica{}
		n, err := New(id, Config{Peers: peers, Notes: notes, Apply: func(ctx *netsim.Context, e *pb.Entry) {
			if len(e.GetData()) > 0 {
				r.applied = append(r.applied, fmt.Sprintf("%d:%s", e.GetIndex(), e.GetData()))
			}
		}})
		require.NoError(t, err)
		r.Node = n
		reps = append(reps, r)
		require.NoError(t, sim.AddNode(id, r))
	}
	require.NoError(t, sim.AddNode("client", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start:
			ctx.SetTimer(500*ms, "go")
		case netsim.Timer:
			for i, id := range peers { // only the leader appends; followers forward
				ctx.Send(id, propose(fmt.Sprintf("x%d", i)))
			}
		}
	})))
	return sim, reps
}

func leaders(reps []*replica) []netsim.NodeID {
	var out []netsim.NodeID
	for i, r := range reps {
		if st := r.Status(); st.Lead == peers[i] {
			out = append(out, peers[i])
		}
	}
	return out
}

func TestClusterElectsAndReplicates(t *testing.T) {
	saved := crand.Reader
	sim, reps := newCluster(t, 1, false)
	require.NoError(t, sim.Run(1*netsim.Second))
	assert.True(t, saved == crand.Reader, "crypto/rand.Reader restored after every call")
	require.Len(t, leaders(reps), 1)
	for _, r := range reps {
		require.NoError(t, r.Err())
		st := r.Status()
		assert.Equal(t, uint64(1), st.Term)
		assert.Equal(t, uint64(4), st.Commit, "the leader's empty entry and three proposals")
		assert.Len(t, r.applied, 3)
		assert.Equal(t, reps[0].applied, r.applied, "every replica applies the same entries in the same order")
		last, err := r.Storage().LastIndex()
		require.NoError(t, err)
		assert.Equal(t, uint64(4), last)
	}
	// The trace shows etcd's messages in their compact form.
	tr := sim.Trace().String()
	assert.Contains(t, tr, "MsgVote t1 last=0/t0")
	assert.Contains(t, tr, "MsgApp t1 prev=0/t0 entries=[1] commit=0")
	assert.NotContains(t, tr, "etcd:")
}

// The same seed gives the same run (etcd's random election timeouts come
// from the node's netsim stream); another seed gives another.
func TestDeterministic(t *testing.T) {
	run := func(seed uint64) string {
		sim, _ := newCluster(t, seed, true)
		require.NoError(t, sim.Run(1*netsim.Second))
		return sim.Trace().String()
	}
	a := run(3)
	assert.Equal(t, a, run(3))
	assert.NotEqual(t, a, run(4))
	assert.Contains(t, a, "became leader at term 1")
}

// Different seeds give different election timeouts, spread over
// [ElectionTicks, 2·ElectionTicks) ticks: the first campaign starts between
// 150 and 300 ms.
func TestElectionTimeoutsFromSeed(t *testing.T) {
	first := map[netsim.Time]bool{}
	for seed := uint64(1); seed <= 30; seed++ {
		sim, reps := newCluster(t, seed, false)
		require.NoError(t, sim.RunUntil(func() bool { return len(leaders(reps)) > 0 }))
		var vote netsim.Time = -1
		for _, r := range sim.Trace() {
			if r.Op == netsim.OpSend && strings.HasPrefix(fmt.Sprint(r.Msg), "MsgVote ") {
				vote = r.Time
				break
			}
		}
		require.GreaterOrEqual(t, vote, 140*ms, "seed %d", seed)
		require.Less(t, vote, 300*ms, "seed %d", seed)
		first[vote/(10*ms)] = true
	}
	assert.Greater(t, len(first), 5, "campaigns start at many different ticks")
}

func TestRestartCatchesUp(t *testing.T) {
	sim, reps := newCluster(t, 1, false)
	require.NoError(t, sim.Run(300*ms))
	follower := ""
	for i, r := range reps {
		if r.Status().Lead != peers[i] {
			follower = string(peers[i])
			break
		}
	}
	require.NoError(t, sim.At(300*ms).Crash(netsim.NodeID(follower)))
	require.NoError(t, sim.At(700*ms).Restart(netsim.NodeID(follower)))
	require.NoError(t, sim.Run(700*ms))
	// etcd persists the commit index in its HardState: the restarted node
	// knows it at once and has applied its log again.
	f := reps[slices.Index(peers, netsim.NodeID(follower))]
	assert.Equal(t, uint64(1), f.Status().Commit)
	assert.Equal(t, uint64(1), f.Status().Applied)
	require.NoError(t, sim.Run(1*netsim.Second))
	for _, r := range reps {
		require.NoError(t, r.Err())
		assert.Equal(t, reps[0].applied, r.applied)
		assert.Len(t, r.applied, 2, "the proposal sent to the crashed follower was lost")
	}
}

// A storage that contradicts itself makes etcd panic; the node stops
// and reports it instead of taking the simulation down.
func TestPanicBecomesError(t *testing.T) {
	sim, reps := newCluster(t, 1, false)
	require.NoError(t, sim.Run(300*ms))
	require.NoError(t, reps[0].Storage().SetHardState(&pb.HardState{Term: new(uint64(1)), Commit: new(uint64(99))}))
	require.NoError(t, sim.At(300*ms).Restart("a"))
	require.NoError(t, sim.Run(400*ms))
	require.Error(t, reps[0].Err())
	assert.Contains(t, reps[0].Err().Error(), "etcdraft: a: etcd raft panicked")
	assert.Error(t, reps[0].Propose(nil, []byte("x")))
}

func TestValidate(t *testing.T) {
	for i, c := range []Config{
		{},
		{Peers: make([]netsim.NodeID, MaxPeers+1)},
		{Peers: peers, Tick: -1},
		{Peers: peers, HeartbeatTicks: -1},
		{Peers: peers, ElectionTicks: 3, HeartbeatTicks: 3},
		{Peers: peers, ElectionTicks: MaxTicks + 1},
		{Peers: peers, MaxInflight: -1},
		{Peers: []netsim.NodeID{"a", "a"}},
		{Peers: []netsim.NodeID{"a", ""}},
		{Peers: []netsim.NodeID{"a", netsim.Any}},
	} {
		err := c.Validate()
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "etcdraft: "), err.Error())
	}
	assert.NoError(t, Config{Peers: peers}.Validate())
	_, err := New("z", Config{Peers: peers})
	assert.ErrorContains(t, err, "not among the peers")
	n, err := New("b", Config{Peers: peers})
	require.NoError(t, err)
	assert.Equal(t, uint64(2), n.ID())
	assert.Equal(t, Status{}, n.Status())
	assert.Nil(t, n.Storage())
	assert.ErrorContains(t, n.Campaign(nil), "has not started")
}

func TestMessageString(t *testing.T) {
	u := func(v uint64) *uint64 { return &v }
	ent := func(term uint64) *pb.Entry { return &pb.Entry{Term: u(term)} }
	for _, tc := range []struct {
		m    *pb.Message
		want string
	}{
		{&pb.Message{Type: pb.MsgApp.Enum(), Term: u(2), Index: u(3), LogTerm: u(1), Commit: u(3), Entries: []*pb.Entry{ent(2), ent(2)}},
			"MsgApp t2 prev=3/t1 entries=[2 2] commit=3"},
		{&pb.Message{Type: pb.MsgApp.Enum(), Term: u(2), Index: u(3), LogTerm: u(1), Commit: u(3)}, "MsgApp t2 prev=3/t1 commit=3"},
		{&pb.Message{Type: pb.MsgAppResp.Enum(), Term: u(2), Index: u(5)}, "MsgAppResp t2 ok index=5"},
		{&pb.Message{Type: pb.MsgAppResp.Enum(), Term: u(2), Index: u(5), Reject: new(true), RejectHint: u(3), LogTerm: u(1)},
			"MsgAppResp t2 refused index=5 hint=3/t1"},
		{&pb.Message{Type: pb.MsgVote.Enum(), Term: u(4), Index: u(7), LogTerm: u(3)}, "MsgVote t4 last=7/t3"},
		{&pb.Message{Type: pb.MsgPreVoteResp.Enum(), Term: u(4)}, "MsgPreVoteResp t4 granted"},
		{&pb.Message{Type: pb.MsgVoteResp.Enum(), Term: u(4), Reject: new(true)}, "MsgVoteResp t4 refused"},
		{&pb.Message{Type: pb.MsgHeartbeat.Enum(), Term: u(4), Commit: u(9)}, "MsgHeartbeat t4 commit=9"},
		{&pb.Message{Type: pb.MsgProp.Enum(), Entries: []*pb.Entry{ent(0)}}, "MsgProp entries=1"},
		{&pb.Message{Type: pb.MsgTimeoutNow.Enum(), Term: u(4)}, "MsgTimeoutNow t4"},
		{nil, "nil"},
	} {
		assert.Equal(t, tc.want, Message{tc.m}.String())
	}
	assert.Positive(t, Message{&pb.Message{Type: pb.MsgApp.Enum(), Entries: []*pb.Entry{{Data: []byte("hello")}}}}.Size())
}

func TestStreamReader(t *testing.T) {
	sim, err := netsim.New(netsim.Config{Seed: 1})
	require.NoError(t, err)
	var got [2][]byte
	require.NoError(t, sim.AddNode("a", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		s := &streamReader{r: ctx.Rand()}
		for i := range got {
			got[i] = make([]byte, 13)
			n, err := s.Read(got[i])
			require.NoError(t, err)
			require.Equal(t, 13, n)
		}
	})))
	require.NoError(t, sim.Run(0))
	assert.NotEqual(t, got[0], got[1])
}

// Simulations in several goroutines each get their own stream: the
// results equal a run on its own.
func TestConcurrentSimulations(t *testing.T) {
	run := func(seed uint64) string {
		sim, _ := newCluster(t, seed, false)
		if err := sim.Run(600 * ms); err != nil {
			return err.Error()
		}
		return sim.Trace().String()
	}
	want := run(5)
	got := make(chan string, 4)
	for range 4 {
		go func() { got <- run(5) }()
	}
	for range 4 {
		assert.Equal(t, want, <-got)
	}
}
