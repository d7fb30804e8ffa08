package etcdraft_test

import (
	"fmt"

	pb "go.etcd.io/raft/v3/raftpb"

	"github.com/dslessons/course/pkg/etcdraft"
	"github.com/dslessons/course/pkg/netsim"
)

// app is an application around an etcd raft node: it proposes every
// string a client sends it.
type app struct{ *etcdraft.Node }

func (a app) Handle(ctx *netsim.Context, ev netsim.Event) {
	if s, ok := ev.Msg.(string); ok && ev.Kind == netsim.Receive {
		if err := a.Propose(ctx, []byte(s)); err != nil {
			fmt.Println(err)
		}
		return
	}
	a.Node.Handle(ctx, ev)
}

// Three etcd raft nodes on the simulator elect a leader. A client sends
// "x=1" to n1 at 500 ms, which forwards it to the leader (2 ms); the
// leader appends it and sends it on (4 ms), the followers acknowledge
// (6 ms) and the leader commits and applies it (8 ms); the followers
// learn of the commit 2 ms later. Index 1 is the leader's empty entry.
func Example() {
	sim, _ := netsim.New(netsim.Config{Seed: 1, DefaultLink: netsim.Link{Delay: netsim.Const(2 * netsim.Millisecond)}})
	peers := []netsim.NodeID{"n1", "n2", "n3"}
	var n1 *etcdraft.Node
	for _, id := range peers {
		n, err := etcdraft.New(id, etcdraft.Config{Peers: peers, Apply: func(ctx *netsim.Context, e *pb.Entry) {
			if len(e.GetData()) > 0 {
				fmt.Printf("%v %s applies %s at index %d\n", ctx.Now(), ctx.Self(), e.GetData(), e.GetIndex())
			}
		}})
		if err != nil {
			fmt.Println(err)
			return
		}
		if id == "n1" {
			n1 = n
		}
		_ = sim.AddNode(id, app{n})
	}
	_ = sim.AddNode("client", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start:
			ctx.SetTimer(500*netsim.Millisecond, "send")
		case netsim.Timer:
			ctx.Send("n1", "x=1")
		}
	}))
	_ = sim.Run(netsim.Second)
	st := n1.Status()
	fmt.Printf("leader %s, term %d, commit index %d\n", st.Lead, st.Term, st.Commit)
	// Output:
	// 508.000ms n3 applies x=1 at index 2
	// 510.000ms n1 applies x=1 at index 2
	// 510.000ms n2 applies x=1 at index 2
	// leader n3, term 1, commit index 2
}
