// Package etcdraft runs etcd's production Raft library, go.etcd.io/raft/v3
// (v3.7.0, the implementation inside etcd and hence Kubernetes), as a
// node of the course's network simulator, pkg/netsim. Students can then
// watch the real thing in the same deterministic virtual time, with the
// same faults, transcripts and diagrams as the course's own Raft.
//
// etcd's raft.RawNode is already a state machine of the kind netsim
// expects: it never reads the clock, starts no goroutines and does no
// I/O. Its inputs are Tick (time passes) and Step (a message arrived);
// its output is a Ready value listing what to persist, send and apply.
// The adapter, Node, connects the two:
//
//	netsim Start       → a raft.MemoryStorage holding the cluster's members
//	                     as its initial configuration, and a RawNode on it
//	netsim Restart     → a new RawNode on the same storage (the disk
//	                     survives a crash; etcd rebuilds from it)
//	Tick timer         → RawNode.Tick, every Config.Tick of virtual time
//	delivered Message  → RawNode.Step
//	after each of them → for every Ready: save HardState and Entries to
//	                     the storage, send Messages through netsim, pass
//	                     CommittedEntries to Config.Apply, Advance
//
// Propose and Campaign call RawNode.Propose and RawNode.Campaign from a
// step of the node (the caller's Handle).
//
// # Usage
//
//	peers := []netsim.NodeID{"n1", "n2", "n3"}
//	for _, id := range peers {
//		n, err := etcdraft.New(id, etcdraft.Config{Peers: peers,
//			Apply: func(ctx *netsim.Context, e *raftpb.Entry) { ... }})
//		...
//		sim.AddNode(id, n) // or a node of yours that wraps n
//	}
//	sim.Run(time)
//	n.Status() // term, leader, commit index, applied index, role
//
// # Determinism
//
// etcd raft randomises each election timeout, drawing it from
// crypto/rand (raft.go: resetRandomizedElectionTimeout calls
// globalRand.Intn, which calls crypto/rand.Int(crypto/rand.Reader, n));
// it has no option to pass a source of its own. The adapter therefore
// runs every call into etcd with crypto/rand.Reader temporarily set to a
// reader over the node's own seeded netsim stream (Context.Rand), and
// restores it afterwards, under a mutex. Runs are then reproducible from
// the netsim seed: the same seed gives a byte-identical trace, another
// seed other timeouts. Two caveats: other code that reads
// crypto/rand.Reader while a simulation step runs would see the
// simulation's bytes, so do not run real cryptography concurrently with a
// simulation in the same process; and a future etcd release that draws
// its randomness differently would need a new look here (the tests
// would notice: they check that runs repeat and that timeouts vary with
// the seed). The alternative — driving elections from the adapter with
// a huge ElectionTick and Campaign calls — would replace etcd's own
// election timing, which is what students should see.
//
// Each node also ticks out of step with the others: its first tick comes
// at a random offset within one Tick of its start, as real servers'
// clocks do.
//
// # Messages
//
// A Message wraps one raftpb.Message; it is cloned when sent and when
// delivered, as if serialised, so nodes never share entries. It prints
// compactly ("MsgApp t2 prev=3/t1 entries=[2 2] commit=3"), because the
// protobuf text form is deliberately unstable, and its Size is the
// protobuf size, for links with a bandwidth.
//
// # Limits
//
// The log is never compacted (no snapshots), so a run's memory grows with
// its log; configuration changes in the log are applied but the adapter
// offers no way to propose them. etcd's log lines go to the trace as notes
// when Config.Notes is set, and are dropped otherwise. If etcd panics
// (only on an inconsistent storage), the node stops and Err reports it.
package etcdraft
