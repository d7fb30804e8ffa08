// Package netsim is a deterministic discrete-event simulator of a message
// passing network with faults ("lossy channels"). It is the foundation
// for lessons on timeouts, partial failure, leader election, clock
// synchronisation and the fallacies of distributed computing.
//
// Nodes are state machines. The simulator owns virtual time, delivers,
// delays, loses, duplicates and reorders messages, applies partitions,
// crashes and pauses on a schedule, and records a trace. There are no
// goroutines, sockets or wall-clock reads: the same Config (including
// Seed) always produces the byte-identical trace. A real-time demo with
// goroutines and channels lives separately in package netsim/live.
//
// # Quick start
//
//	sim, err := netsim.New(netsim.Config{
//		Seed:        1,
//		DefaultLink: netsim.Link{Loss: 0.1, Delay: netsim.Uniform(1*netsim.Millisecond, 5*netsim.Millisecond)},
//	})
//	if err != nil { ... }
//	sim.AddNode("A", &Pinger{})            // any type with a Handle method
//	sim.AddNode("B", netsim.NodeFunc(pong)) // or a plain function
//	err = sim.Run(1 * netsim.Second)        // process events up to t = 1s
//	sim.WriteTrace(os.Stdout)               // 12.000ms A->B deliver #3 "ping" ...
//	fmt.Print(sim.Stats())
//
// Every method that takes user input returns an error (prefixed
// "netsim: ") instead of panicking: a probability outside [0,1] or NaN, a
// negative delay, an unknown or duplicate node, an empty network, a nil
// node, an unparsable schedule line.
//
// # Time
//
// Time is virtual time in nanoseconds since the start of the run, used
// for both instants and durations: 10*netsim.Millisecond. Time.String
// prints "12.000ms"; ParseTime reads Go durations ("10ms", "1.5s"). Events
// are processed in (time, sequence) order: events at the same instant run
// in the order they were scheduled, so nothing depends on map order or
// goroutine scheduling.
//
// # Writing a node
//
// A Node has one method, Handle(ctx *Context, ev Event). The simulator
// calls it for each input, one at a time:
//
//   - Start: once, at the time the node was added (time 0 for nodes added
//     before running). Nodes start in the order they were added.
//   - Receive: a message arrived; ev.From, ev.Msg and ev.MsgID are set.
//   - Timer: a timer set with ctx.SetTimer fired; ev.Msg is its tag and
//     ev.Timer its TimerID.
//   - Restart: the node runs again after a crash (see Faults).
//
// Handle reacts through ctx:
//
//	ctx.Now()                 current virtual time
//	ctx.Self(), ctx.Peers()   own ID; all other IDs in the order added
//	ctx.Send(to, msg)         send any value; the link decides its fate
//	ctx.Broadcast(msg)        Send to every peer, in Peers order
//	ctx.SetTimer(d, tag)      a Timer event after d; returns a TimerID
//	ctx.CancelTimer(id)       cancel a pending timer
//	ctx.Rand()                the node's own seeded *rand.Rand
//	ctx.Logf(format, ...)     a note in the trace
//	ctx.Output(v)             something the outside world sees (a delivery to
//	                          the application, a decision); Sim.Outputs lists them
//
// Handle must not keep ctx, start goroutines, sleep, read the wall clock
// or use the global random source. Messages are passed by reference: do
// not modify a message after sending it (use values or fresh copies).
// Sending to an unknown node or setting a negative timer stops the run
// with an error naming the node, the time and the seed.
//
// A node is usually a struct with a Handle method, or a NodeFunc wrapping
// a function:
//
//	type Pinger struct{ sent int }
//
//	func (p *Pinger) Handle(ctx *netsim.Context, ev netsim.Event) {
//		switch ev.Kind {
//		case netsim.Start, netsim.Receive:
//			if p.sent < 3 {
//				p.sent++
//				ctx.Send("B", "ping")
//			}
//		}
//	}
//
// Node IDs are short strings of letters, digits, '_', '.' and '-' ("A",
// "n1", "client"); they appear as-is in traces and schedules. The ID "*"
// (Any) is reserved as a wildcard in link selectors.
//
// # Configuring links
//
// Every directed link has a fault model, a Link value. The zero Link is
// perfect: no loss, zero delay, FIFO, unlimited bandwidth.
// Config.DefaultLink applies to every link; Sim.SetLink(from, to, l)
// overrides one link (either end may be Any) before or between runs, and
// the schedule changes links during a run. Links are directed: A->B and
// B->A are separate and may differ.
//
//	netsim.Link{
//		Loss:       0.1,                      // P(message lost)
//		Duplicate:  0.01,                     // P(delivered twice)
//		Reorder:    0.2,                      // P(message may overtake / be overtaken)
//		Delay:      netsim.Exponential(5*netsim.Millisecond),
//		Bandwidth:  1e6,                      // bytes/s; 0 = unlimited
//		QueueLimit: 100,                      // messages; 0 = unlimited
//	}
//
// A message sent at time t first waits for the link's transmitter if
// Bandwidth > 0 (a FIFO queue, transmission time size/Bandwidth, so
// latency grows with load; a full queue drops it), then is lost with
// probability Loss, then arrives after a Delay sample. Links are FIFO: a
// message never arrives before the previous one on the same link, unless
// it is one of the Reorder fraction that keep their own sampled delay
// (reordering needs a variable Delay). With probability Duplicate a
// second copy arrives after its own delay sample. Message size is
// Size() for a Sizer, len for string and []byte, else 1 byte.
//
// Delay distributions (constructors never fail; Validate is called for
// you when the delay is used, and ParseDelay reads the String form):
//
//	Const(d)                 "const(1ms)"          always d
//	Uniform(lo, hi)          "uniform(1ms,5ms)"    uniform on [lo, hi]
//	Normal(mean, sd)         "normal(10ms,2ms)"    redrawn while negative
//	Exponential(mean)        "exp(5ms)"            memoryless
//	Pareto(min, alpha)       "pareto(1ms,1.5)"     long tail, >= min
//	LogNormal(median, sigma) "lognormal(10ms,0.5)" long tail
//
// # Faults and schedules
//
// Faults happen at scheduled virtual times. From Go, Sim.At(t) returns a
// builder; each call checks its arguments and returns an error:
//
//	sim.At(10*netsim.Millisecond).Partition([]netsim.NodeID{"A", "B"}, []netsim.NodeID{"C"})
//	sim.At(12*netsim.Millisecond).Cut("A", "B")  // one-way: A->B only
//	sim.At(50*netsim.Millisecond).Heal()         // remove all partitions and cuts
//	sim.At(20*netsim.Millisecond).Crash("B")
//	sim.At(30*netsim.Millisecond).Restart("B")
//	sim.At(35*netsim.Millisecond).Pause("A")     // and Resume("A")
//	sim.At(40*netsim.Millisecond).Loss("A", "B", 0.5)
//	sim.At(40*netsim.Millisecond).Delay(netsim.Any, "B", netsim.Const(20*netsim.Millisecond))
//	sim.At(40*netsim.Millisecond).SetLink("A", "B", netsim.Link{...})
//	sim.At(60*netsim.Millisecond).Do("probe", func() { ... }) // any Go code
//
// The same schedule as text, for notebooks where students edit a string
// (ParseSchedule then Sim.Apply; Schedule.String prints it back):
//
//	# comments and blank lines are ignored
//	10ms partition A,B | C
//	12ms cut A->B                  # A<->B cuts both ways; * is any node
//	50ms heal
//	20ms crash B
//	30ms restart B
//	35ms pause A
//	45ms resume A
//	40ms loss A->B 0.5             # also: dup, reorder
//	40ms delay *->B uniform(1ms,5ms)
//	40ms bandwidth A->B 1e6        # bytes per second
//	40ms queue A->B 10             # queue limit in messages
//	40ms link A->B loss=0.1 delay=exp(2ms)   # replace the whole link
//
// Semantics:
//
//   - Partition(groups...) cuts every link between different groups, in
//     both directions, replacing earlier partitions and cuts; nodes not
//     listed form one more group. Cut blocks one direction. A message is
//     dropped (reason "partition") if its link is cut when it is sent or
//     when it arrives, so a partition also catches messages in flight.
//   - Crash: the node stops; its pending timers are cancelled, messages
//     that reach it are dropped (reason "crashed"), and messages it
//     already sent are still delivered. Restart calls Handle with a
//     Restart event at once (crashing a running node first). The node
//     value is kept, so its fields act as stable storage: reset what a
//     real crash would lose in the Restart case, or wrap the node with
//     Fresh(func() Node) to build a new instance at every Start and
//     Restart.
//   - Pause: like a long GC pause or a suspended VM. Messages and timers
//     for the node are held, not lost, and handed over in their original
//     order at Resume (timers fire late). Crashing a paused node drops
//     what was held.
//   - Link changes (loss, dup, reorder, delay, bandwidth, queue) change
//     one field and keep the rest; link and SetLink replace the whole
//     Link. Changing *->* also changes the default for nodes added later.
//   - Actions at the same time run in the order they were scheduled,
//     after any event already queued for that time. Scheduling in the
//     past is an error.
//
// # Running
//
//	sim.Run(until)            all events with time <= until; then Now() == until
//	sim.Run(netsim.Forever)   until no events remain
//	sim.RunFor(d)             Run(Now() + d)
//	sim.RunUntil(cond)        until cond() is true; ErrIdle if events run out
//	sim.Step()                one event; false when none remain
//
// Runs can be resumed: call Run again with a later time (never an
// earlier one), schedule more faults in between, inspect your nodes'
// fields. Config.MaxEvents (default DefaultMaxEvents, negative for no
// limit) bounds the total number of events, so a livelock (a timer that
// re-arms with zero delay, a message storm) ends with an error wrapping
// ErrBudget rather than hanging; Config.MaxTrace (default DefaultMaxTrace
// records, about 250 MB) does the same for the memory of the trace, so a
// long traced run fails long before it exhausts memory. A node whose
// Handle panics (or a Do action or RunUntil condition that panics) does
// not crash the program: the run stops with an error naming the node and
// the event. Run errors name the virtual time and the seed; once a run
// has failed, the Sim keeps returning that error. A Sim must be made by
// New: the methods of a zero Sim return an error.
//
// # Reading the results
//
// Sim.Trace returns a Trace: a slice of Record values, one per event, in
// the order they happened. Record.Op is one of OpSend, OpDeliver, OpDrop
// (with Record.Reason: DropLoss, DropPartition, DropCrashed, DropQueue),
// OpDuplicate, OpSetTimer, OpTimer, OpCancelTimer, OpStart, OpRestart,
// OpCrash, OpPause, OpResume, OpNote, OpOutput and OpChange (a scheduled
// network change). Message records carry From, To, ID (#n, unique per send) and
// Msg; deliveries and drops also carry Sent, the send time, so latency is
// r.Time - r.Sent. Record.String gives a transcript line:
//
//	0.000ms A start
//	0.000ms A->B send #1 "ping"
//	1.000ms A->B deliver #1 "ping"
//	2.000ms A->B drop #3 "ping" (loss)
//	2.000ms A set-timer t1 "retry" due 27.000ms
//	10.000ms partition A,B | C
//	20.000ms B crash
//
// Messages print as %q for strings, String() for fmt.Stringers and %v
// otherwise. Sim.WriteTrace (or Trace.WriteTo) writes the transcript;
// Trace.Filter selects records. Recording can be switched off with
// Config.NoTrace for long runs; Sim.Stats still counts sent, delivered,
// duplicated and dropped-by-reason messages, fired timers, and per-node
// counters.
//
// Trace.WriteShiViz writes the trace with a vector clock per event for
// ShiViz (https://bestchai.bitbucket.io/shiviz/): upload the file as is,
// or paste ShiVizRegex into ShiViz's regular-expression box and the log
// lines into the log box. Trace.SpaceTime gives plain data for drawing a
// space-time diagram: the node lines, and per event its node, time, kind,
// label and, for deliveries and drops, the sender and send time.
// Trace.History converts a trace into a history.History (package
// pkg/history) for pkg/plots.SpaceTime, on chosen lanes, with a label per
// event; Trace.AppendHistory stacks several traces in one diagram:
//
//	h, labels, err := sim.Trace().History(netsim.HistoryOptions{})
//	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: "ping", Labels: labels})
//
// # Driving a network by hand
//
// NewManual returns a network where nothing happens by itself: the caller
// delivers, loses or duplicates a chosen message in flight (by its #n),
// fires a chosen timer, crashes or restarts a node, one step at a time,
// and reads the same Trace and Outputs as from a Sim. It replays the
// schedules found by the model checker in pkg/mcheck on the node code:
//
//	m := netsim.NewManual(1)
//	m.AddNode("S", sender)
//	m.AddNode("R", receiver)
//	m.Start()                     // every node's Start, at time 0
//	msg := m.InFlight()[0]
//	m.Deliver(msg.ID)             // also Lose, Duplicate
//	m.Fire("S", m.Timers("S")[0].ID)
//	m.Crash("R"); m.Restart("R")
//
// Runners other than Sim and Manual build a Context with NewContext over
// their own Env.
//
// # Randomness and determinism
//
// All randomness comes from Config.Seed. Each node and each directed link
// has its own math/rand/v2 PCG stream derived from the seed and its name,
// so adding a node does not change what happens on existing links. Print
// the seed with your results; changing it is the first experiment to try.
// Determinism also needs deterministic nodes: use ctx.Rand, never range
// over a map to decide what to send, and never read the wall clock.
//
// # Performance
//
// The event queue keeps FIFO deliveries in per-link lanes merged by a
// small heap, and everything else in a 4-ary heap of events stored by
// value; with Config.NoTrace a send or a delivery does not allocate.
// On the course's 2-core machine BenchmarkPingPong runs at about 19
// million events per CPU second and BenchmarkAllToAll (16 nodes) at
// about 12 million: roughly 17-23 times SimPy in its fastest (callback)
// style and over 100 times its process style (bench/netsim/compare.sh).
// With tracing on, expect about 3 million events per second (records
// are about 150 bytes each): keep NoTrace for long parameter sweeps.
package netsim
