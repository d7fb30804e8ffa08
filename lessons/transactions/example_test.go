package transactions_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/transactions"
	"github.com/dslessons/course/pkg/netsim"
)

// Two-phase commit whose coordinator crashes after writing commit to its
// log and telling p1 only: p2 and p3 stay in doubt until it restarts.
func ExampleSimulate() {
	c := transactions.CoordinatorCrash(transactions.CrashPoint{Phase: transactions.AfterDecision, After: 1}, 500*netsim.Millisecond)
	r, err := transactions.Simulate(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r)
	// Output:
	// two-phase commit, 3 participants, seed 1
	//   the coordinator crashes after logging the decision and sending it to 1 participant(s) and restarts 500 ms later
	//   p1  voted yes     prepared at 25 ms     committed at 35 ms     blocked 10 ms
	//   p2  voted yes     prepared at 25 ms     committed at 535 ms    blocked 510 ms
	//   p3  voted yes     prepared at 25 ms     committed at 535 ms    blocked 510 ms
	//   coordinator decided commit at 30 ms
	// invariants: atomicity and validity hold in all 35 checks
}

// The same crash with the decision in a Raft group: the participants ask
// the group after their decision timeout and learn commit from it.
func ExampleWithProtocol() {
	c := transactions.CoordinatorCrash(transactions.CrashPoint{Phase: transactions.AfterDecision, After: 0}, 0)
	r, err := transactions.Simulate(transactions.WithProtocol(c, transactions.RaftDecision))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Outcomes())
	fmt.Println("longest blocking window:", r.MaxBlocked())
	// Output:
	// p1 committed, p2 committed, p3 committed
	// longest blocking window: 120.000ms
}
