package partialfailure_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/partialfailure"
	"github.com/dslessons/course/pkg/netsim"
)

// Three different failures, one client view: the request leaves at 0 and
// the 30 ms timer fires; nothing else reaches the client.
func ExampleRunScenarios() {
	cfg := partialfailure.DefaultScenarioConfig()
	runs, err := partialfailure.RunScenarios(cfg, partialfailure.FailureScenarios...)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range runs {
		fmt.Printf("%s (balance %d):\n%s", r.Scenario, r.Balance, r.Client)
	}
	// Output:
	// lost request (balance 0):
	// 0.000ms sent deposit 10 [r1]
	// 30.000ms timer fired timeout r1
	// crashed server (balance 0):
	// 0.000ms sent deposit 10 [r1]
	// 30.000ms timer fired timeout r1
	// lost response (balance 10):
	// 0.000ms sent deposit 10 [r1]
	// 30.000ms timer fired timeout r1
}

// With a 10 ms delay each way and 5 ms of processing, the answer is back
// at 25 ms, before the 30 ms timer.
func ExampleObserve() {
	cfg := partialfailure.DefaultScenarioConfig()
	cfg.Delay = netsim.Const(10 * netsim.Millisecond)
	r, err := partialfailure.RunScenario(partialfailure.AllWell, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print("client:\n", partialfailure.Observe(r.Trace, partialfailure.ClientID))
	fmt.Print("server:\n", partialfailure.Observe(r.Trace, partialfailure.ServerID))
	// Output:
	// client:
	// 0.000ms sent deposit 10 [r1]
	// 25.000ms received ok balance=10 [r1]
	// server:
	// 10.000ms received deposit 10 [r1]
	// 15.000ms timer fired process r1
	// 15.000ms sent ok balance=10 [r1]
}

// Retrying a deposit whose answer was lost applies it twice, unless the
// server remembers request IDs.
func ExampleDedupHandler() {
	var naive, dedup partialfailure.Account
	for _, req := range []partialfailure.Request{{ID: 1, Amount: 10}, {ID: 1, Amount: 10}} {
		partialfailure.NaiveHandler(&naive, req)
		partialfailure.DedupHandler(&dedup, req)
	}
	fmt.Println("without ids:", naive.Balance, " with ids:", dedup.Balance)
	// Output:
	// without ids: 20  with ids: 10
}
