// Package partialfailure is the Go behind notebook 02, "Partial failures
// and the asynchronous model".
//
// A client deposits money at a server over a pkg/netsim network; both are
// state machines (Client, Server). The package has three experiments:
//
//   - Scenarios: a lost request, a crashed server and a lost response
//     (plus "all well" and a slow server for contrast). Observe extracts
//     a node's local view from the global trace — what it sent, what it
//     received, which timers fired — and Compare shows that the three
//     failures give the client identical views while the global traces
//     and the server's balance differ. Diagram draws the runs as one
//     space-time diagram.
//   - FalseSuspicions: a timeout-based failure detector against a live
//     server. With bounded delays and no loss (SyncDetector) the timeout
//     PerfectTimeout = 2·bound + processing never suspects wrongly; with
//     unbounded, long-tailed delays (AsyncDetector, LogNormalDetector)
//     every timeout sometimes does, and with loss so does any timeout.
//   - RetryExperiment: at-least-once delivery by timeout and retry. A
//     server that applies every request it gets (NaiveHandler) applies
//     p/(1-p) extra deposits per deposit at loss probability p
//     (ExpectedExtra); one that remembers request IDs (DedupHandler) gives
//     an exactly-once effect.
//
// A real-time layer shows the same client and server as goroutines that
// talk over pkg/netsim/live links (StartLive), next to the same race run
// on the simulator (RaceOnSimulator): the simulator gives one outcome per
// seed, real time does not.
//
// The lesson's exercises (Lesson, Exercise1…Exercise3) are judged by
// package exercise: a predicted transcript and a chosen timeout, with
// per-student settings, and a deduplicating handler tested on hand-made
// sequences and inside simulations. Plot builders return *plot.Plot;
// tests check the data behind them. Every claim of the notebook is
// asserted by this package's tests.
//
// # Usage
//
//	runs, err := partialfailure.RunScenarios(partialfailure.DefaultScenarioConfig(), partialfailure.FailureScenarios...)
//	header, rows := partialfailure.SideBySide(runs) // client views, side by side
//	fmt.Print(partialfailure.Compare(runs))          // identical views, different traces
//	p, err := partialfailure.Diagram("three failures", runs...)
//
//	sync, err := partialfailure.FalseSuspicions(partialfailure.SyncDetector())
//	async, err := partialfailure.FalseSuspicions(partialfailure.AsyncDetector())
//	p, err = partialfailure.PlotSuspicions(partialfailure.PerfectTimeout(partialfailure.SynchronousBound, 5*netsim.Millisecond), sync, async)
//
//	naive, err := partialfailure.RetryExperiment(partialfailure.DefaultRetryConfig(), false)
//	dedup, err := partialfailure.RetryExperiment(partialfailure.DefaultRetryConfig(), true)
//	p, err = partialfailure.PlotExtraEffects(naive, dedup)
//
// Times are netsim virtual time; every result carries and prints its
// seed, and the same seed gives the same output byte for byte.
package partialfailure
