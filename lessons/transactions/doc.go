// Package transactions is the Go behind the lesson "Committing a
// transaction" (issue 14, lesson 3): two-phase commit on the course's
// network simulator, what crashes of participants and of the coordinator
// do to it, how long prepared participants stay blocked, and how writing
// the decision to a Raft group (lesson 13) removes the blocking.
//
// # The protocol
//
// One transaction, T1, spans participants p1, p2, ... (resource managers
// that each did a share of the work and hold locks on it) and is run by a
// coordinator "co". Two-phase commit (Gray 1978):
//
//	phase 1  co → every p: Prepare; each p votes yes (after writing
//	         "prepared" to its log) or no (and aborts at once)
//	phase 2  co decides — commit if every vote is yes, abort on a no or
//	         when votes are missing at its timeout — writes the decision
//	         to its log, and sends it until every p acknowledges
//
// Both kinds of node are netsim state machines with one handler each
// (CoordinatorNode.Handle, ParticipantNode.Handle, made by NewCoordinator
// and NewParticipant); their fields survive a crash, and the fields that
// stand for the log (a participant's state and vote, the coordinator's
// decision) are the ones a restart keeps. Every process reports its
// decision with ctx.Output, and no node reads the clock, so the same
// nodes run under the model checker (pkg/mcheck; they encode their state
// by hand, since their configuration holds the pluggable rules). A participant
// that has not voted may abort on its own (when no Prepare comes, or when
// it restarts: its work is lost). A prepared participant may not: it asks
// for the outcome (Query) every DecisionTimeout and waits — it is
// blocked, holding its locks, for as long as the coordinator is down.
// A coordinator that restarts without a decision in its log aborts
// (presumed abort).
//
// The two decisions are pure functions, so that a notebook can plug in
// its own: the coordinator's DecisionRule (Decide; CommitOnTimeout is
// wrong) and the participants' TerminationRule for cooperative
// termination (Terminate; CommitIfAllPrepared is wrong).
//
// # Protocols
//
//   - TwoPhase: prepared participants ask the coordinator only.
//   - Cooperative: they ask the other participants too; a peer that
//     committed, aborted or had not voted settles it; if every peer is
//     prepared nobody knows.
//   - RaftDecision: the outcome is a write-once key of a Raft group
//     (lessons/replication, replication.Command.Once): the coordinator
//     proposes its decision there and sends whatever the group holds; a
//     prepared participant that hears nothing proposes abort and adopts
//     whatever the group holds. The first proposal committed wins, so
//     everyone learns the same outcome, and the group answers as long as
//     a majority of its replicas is up — whether or not the coordinator
//     is. This is the idea of Gray and Lamport's Paxos Commit (2006) in
//     its simplest form: one consensus instance for the decision rather
//     than one per participant's vote.
//
// # Checking
//
// After every step of the coordinator and of every participant a Checker
// checks the global state (a Snapshot) for the two invariants of atomic
// commitment: Atomicity — every process that decided, decided the same
// (no participant commits while another aborts) — and Validity — a
// commit needs a yes from every participant. Violated is the check on
// one snapshot; Config.Observe hands every snapshot to code of one's own.
//
// # Running
//
//	r, err := transactions.Simulate(transactions.DefaultConfig())
//	fmt.Print(r)                 // votes, prepared/decided times, blocking, invariants
//	fmt.Print(r.Transcript(40))  // the messages
//	p, err := transactions.PlotTimeline(r, 60*netsim.Millisecond, "")
//
//	c := transactions.CoordinatorCrash(transactions.CrashPoint{Phase: transactions.AfterDecision, After: 1}, 500*netsim.Millisecond)
//	c = transactions.WithProtocol(c, transactions.Cooperative)
//
// Faults: a crash point of the coordinator (Config.Crash, Downtime),
// and any netsim schedule (Config.Schedule: "28ms crash p2", "400ms
// restart p2", partitions, loss). Sweeps: CrashTimeSweep and
// DowntimeSweep measure the blocking window (PlotBlockingVsCrashTime,
// PlotBlockingVsDowntime); FaultSweep runs every protocol and broken
// Variant on random faults (RandomFaults).
//
// References: J. Gray, "Notes on Data Base Operating Systems", 1978;
// P. A. Bernstein, V. Hadzilacos, N. Goodman, "Concurrency Control and
// Recovery in Database Systems", 1987, chapter 7; D. Skeen, "Nonblocking
// Commit Protocols", SIGMOD 1981; J. Gray and L. Lamport, "Consensus on
// Transaction Commit", ACM TODS 31(1), 2006.
package transactions
