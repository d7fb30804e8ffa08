// Package mcheck is a model checker for netsim nodes: it runs the same
// node code a lesson runs on a netsim.Sim, but instead of one seeded
// timing it explores every order in which messages can arrive and timers
// can fire, and every way the network can lose or duplicate messages and
// nodes can crash, within budgets you set. It finds the shortest run
// that breaks a property, and shows it as a transcript and (package
// mcheck/mcplot) as a space-time diagram.
//
// The design follows DSLabs (Michael et al., "Teaching Rigorous
// Distributed Systems With Efficient Model Checking", EuroSys 2019): the
// global state is every node's state plus the messages in flight and
// the pending timers; a breadth-first search with visited-state hashing
// makes the first violation found a shortest one; properties are
// predicates over global states.
//
// # Checking your nodes
//
// A node's outputs are what the outside world sees: a node reports them
// with ctx.Output (a delivery to the application, a decision, a new
// leader), and properties are written over them.
//
//	m := mcheck.NewModel(1)             // 1 seeds the nodes' ctx.Rand
//	m.AddNode("S", &Sender{Msgs: msgs}) // the same nodes as on netsim
//	m.AddNode("R", &Receiver{})
//	r, err := mcheck.Check(m, mcheck.Options{
//		Invariants: []mcheck.Invariant{{
//			Name: "exactly once, in order",
//			Check: func(s *mcheck.State) error {
//				out := s.Outputs("R") // what R delivered so far
//				for i, v := range out {
//					if i >= len(msgs) || v != msgs[i] {
//						return fmt.Errorf("R's delivery %d is %v", i+1, v)
//					}
//				}
//				return nil
//			},
//		}},
//		Faults: mcheck.Faults{Loss: 1, Duplicate: 1}, // per run
//	})
//	if err != nil { ... }      // bad options, or a node that panicked
//	fmt.Print(r)               // the outcome; for a violation, a shortest schedule
//	p, err := mcplot.Counterexample(m, r) // the schedule as a diagram
//
// The transcript of a violation names the property, the step where it
// broke and what each step did:
//
//	invariant "exactly once, in order" violated after step 3 (a shortest schedule):
//	  R delivered "m0" twice
//	    0. start: S sends Data{Seq:0, Val:"m0"} to R
//	    1. S timer Retransmit{}                S sends Data{Seq:0, Val:"m0"} to R
//	    2. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
//	    3. S->R deliver Data{Seq:0, Val:"m0"}  R outputs "m0"; sends Ack{Next:1} to S
//	6 states, 7 transitions, depth 3
//
// Replay runs a schedule again on the node code in a netsim.Manual
// network, which checks that it is real and gives its netsim.Trace.
//
// # Properties
//
// An Invariant must hold in every reachable state; its Check returns an
// error saying what is wrong. A Predicate names a test of a state. As
// Options.Goal it is a state to reach ("a leader is elected"): the
// search reports a shortest schedule to it (GoalReached) or that none
// exists (GoalNotReached). A Liveness property is bounded liveness:
// from every reachable state, some continuation of at most Within steps
// without new faults reaches its goal. It fails when a lost message is
// never retransmitted, or when a crashed two-phase-commit coordinator
// leaves the participants that voted yes unable to decide: they block.
// Predicates in Options.Prune mark states the search checks but does not
// explore past, to keep it finite ("some node reached term 3").
//
// A State gives the predicates every node's outputs (State.Outputs), the
// messages in flight (State.InFlight), which nodes are crashed, the
// faults used so far, and, for nodes in this process, the node values
// themselves (State.Node). Prefer outputs: they say what the system did,
// not how a particular implementation stores it, and they are what a
// grader in another process can see.
//
// # What the search explores
//
// A global state is every node's local state (its value and its pending
// timers), its outputs so far, the messages in flight, which nodes are
// crashed, and the faults used so far. From a state, the next step is
// any one of:
//
//   - deliver any message in flight (so messages are reordered freely);
//     a message for a crashed node is dropped instead;
//   - fire a pending timer of a running node. Timers of one node fire in
//     a consistent order: a timer cannot fire while an older pending
//     timer of the same node, set with a delay no longer than its own,
//     has not. Nothing else is assumed about time: a timer may fire
//     before or after any message arrives;
//   - within Options.Faults: lose a message in flight, duplicate one,
//     crash a node (its timers are cancelled; restarting it is free and
//     calls Handle with a Restart event on the node's kept value, or on
//     a new instance for netsim.Fresh nodes).
//
// All nodes start (in the order added) before the first step. At most
// Options.MaxCopies identical messages (same sender, receiver and value)
// are in flight at once: a further send of the same message is absorbed.
// This keeps a retransmitting sender's state space finite; raise it to
// explore more.
//
// Every local step is computed once: the search names node states and
// messages by small integers (interned by a canonical encoding of their
// value) and memoises what a node does in a state on an input. The
// encoding needs no code from you: it reads every field of your node by
// reflection, including unexported ones, sorts map keys, and follows
// pointers (shared and cyclic ones too). A node that keeps functions or
// channels in its state is rejected with an error naming the field. A
// node may implement StateCodec to encode and copy itself by hand.
//
// Node code must be deterministic and run as under netsim, with these
// differences (see Model): there is no clock (ctx.Now is an error),
// ctx.Rand gives the same numbers at every call, TimerIDs are reused
// after a timer fires, Event.MsgID is 0, and ctx.Logf is ignored.
//
// # Limits and errors
//
// Options bound the search: MaxDepth (schedule length), MaxStates,
// MaxTime (wall clock), and StepTimeout (one Handle call or predicate).
// A depth limit is a bound of the check (a search that explored every
// state up to it reports Passed, with Report.Exhaustive false); running
// out of states or time reports LimitReached. Bad options, a node that
// panics, misuses its Context or does not return, and a predicate that
// panics are errors, not outcomes: a *NodeError names the node and the
// event and holds a shortest schedule to where it happened. A Handle call
// that never returns cannot be stopped: Check returns, and the goroutine
// is left behind.
//
// Keep node state bounded. A counter that grows forever, a log that is
// never trimmed or a term number that rises at every timeout makes the
// state space infinite: the search then ends at MaxStates (LimitReached)
// unless it is bounded with MaxDepth or a Prune.
//
// # Random walks
//
// When the state space is too large to exhaust, Options.Walks runs that
// many seeded random walks of up to MaxDepth steps instead; the first
// walk that breaks an invariant is shrunk by delta debugging to a short
// schedule in which no single step can be left out.
//
// # Grading in another process
//
// A grader must not decide a verdict inside the process that runs a
// student's code. The search only asks a Machine what a node does in a
// state on an input; Model answers in process, and Serve and Dial carry
// the questions and answers over any io.ReadWriter (a pipe to a
// sandboxed process):
//
//	// in the sandbox, with the student's nodes:
//	mcheck.Serve(stdio, model, lab.Registry())
//	// in the grader:
//	remote, err := mcheck.Dial(conn, lab.Registry(), 10*time.Second)
//	r, err := mcheck.Check(remote, lab.HiddenOptions())
//
// Outputs (and, optionally, messages) travel as a registered type name
// and JSON (see Registry) and decode to the same Go types, so the same
// invariants judge both sides; State.Node is nil over the wire. Dial
// treats the peer as hostile: every frame and field has a size bound,
// every ID is checked, and each answer must come within a timeout.
//
// # Performance
//
// On the first lab's scenario (exactly-once delivery of 3 messages over
// a link that loses up to 2 and duplicates 1, 13,310 states) the search
// visits about 700,000 states per CPU second on one core and holds under
// 60 bytes per visited state; with 4 messages (118,616 states) about
// 400,000 (BenchmarkExactlyOnce). Over the wire the speed is the same,
// since each local step crosses it once (BenchmarkExactlyOnceRemote).
// go run ./pkg/mcheck/cmd/growth prints how the state count grows with
// the number of messages and the fault budgets: about 8 times per
// message, about twice per unit of loss or duplication budget.
package mcheck
