// Package replication is the Go behind the lesson "Replicated state
// machines" (issue 14, lesson 2): Raft's log replication on the course's
// network simulator, safety checked on every step, and the same scenarios
// run through etcd's production Raft library.
//
// A replicated state machine is a deterministic program (here KV, a
// key-value store) run by several replicas that apply the same commands
// in the same order. Raft makes them agree on that order: a leader
// appends each client command to its log and replicates it with
// AppendEntries; once a majority stores it, the entry is committed and
// every replica applies it.
//
// # The protocol, in pieces
//
// The three decisions at the heart of replication are pure functions,
// so that students can rewrite them and plug their version into the
// running protocol (Config.Rules):
//
//   - LeaderCommit, the leader's commit rule: the largest index stored by a
//     majority whose entry is of the current term (Figure 8 of the paper
//     shows why the term matters; CommitByCounting ignores it);
//   - AppendEntriesRule, the follower's consistency check and conflict
//     truncation (AppendWithoutCheck and AppendTruncating get it wrong);
//   - LogUpToDate, the election restriction (AnyLog drops it).
//
// Course, the course's own Raft (raft.go), is a netsim state machine with
// the structure of lesson 11's election node (lessons/voting/election.go):
// the same roles (Role is voting.Role), terms, one vote per term,
// randomised timeouts drawn from the node's seeded stream (the same
// voting.ElectionTimer), timer tags carrying the term, and the same
// default timing. It is a separate node rather than a refactoring of
// lesson 11's because almost every handler changes: votes compare logs,
// heartbeats become AppendEntries that carry entries, replies carry match
// indexes, and lesson 11's no-quorum rule and leader lease have no place
// here. A shared node would need hooks in each handler and would change
// the transcripts that notebook 11 shows byte for byte; reading the two
// files side by side shows what replication adds to election.
//
// Etcd runs the same replicas on go.etcd.io/raft/v3 through pkg/etcdraft,
// with the same client protocol (Submit, Redirect, Result) and store.
//
// A command marked Once sets its key only if the key has no value yet,
// and its Result carries the key's value: a write-once register whose
// first committed write wins. Lesson 14 (lessons/transactions) keeps a
// transaction's commit decision in such a key, on replicas built with
// Course.NewReplica inside its own simulation.
//
// # Running a cluster
//
// Simulate runs a Config: replicas n1..nN, clients c1..cK that submit
// commands and retry until acknowledged, scripted orders from a director
// "ctl" (Campaign, Submit), and faults (Crash, CrashLeader, Restart,
// IsolateLeader, Partition, Heal, SetLinks). After every step of every
// replica a Checker verifies Election Safety, Log Matching, Leader
// Completeness and State Machine Safety; the result, a Run, has the story
// (String), the violations, per-replica commit indexes over time,
// snapshots of every log and, with Config.Trace, the netsim transcript.
//
// Presets: SteadyState, LeaderCrash, MinorityLeader (a partition with the
// old leader on the minority side), LossyLinks, and Figure8 /
// Figure8Replicated, a scripted replay of Figure 8 of the Raft paper.
// Compare runs a preset on both implementations. Sweep runs many seeds with
// random faults (RandomFaults, LeaderChurn); SweepTable runs Raft's rules
// and each broken variant.
//
// Plots: PlotLogs (every log as boxes coloured by term, with the commit
// index), PlotCommitIndex (commit index over time, faults marked) and
// PlotSpaceTime (messages of a traced run).
//
// # Usage
//
//	cfg := replication.MinorityLeader()
//	run, err := replication.Simulate(cfg)
//	fmt.Print(run) // elections, faults, clients, final logs, safety
//	p, err := replication.PlotLogs(run.Snapshots[0], "")
//	p, err = replication.PlotCommitIndex(run, run.Isolated...)
//
//	cmp, err := replication.Compare(cfg) // course Raft and etcd raft
//	fmt.Print(cmp)
//
//	bad, err := replication.Simulate(replication.Figure8(replication.CommitOldTerms))
//	fmt.Println(bad.Violations[0])
//
// Reference: D. Ongaro and J. Ousterhout, "In Search of an Understandable
// Consensus Algorithm", USENIX ATC 2014 (Figures 2, 3 and 8).
package replication
