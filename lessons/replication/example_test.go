package replication_test

import (
	"fmt"

	"github.com/dslessons/course/lessons/replication"
)

// Figure 8 of the Raft paper, state (c): leader S1 of term 4 has the log
// 1 2 4; index 2 (term 2) is stored on S1, S2 and S3, a majority, but
// index 3 (term 4) only on S1.
func ExampleLeaderCommit() {
	log := replication.Log{{Term: 1}, {Term: 2}, {Term: 4}}
	match := []int{3, 2, 2, 1, 1}
	fmt.Println("Raft:    ", replication.LeaderCommit(log, match, 4, 1))
	fmt.Println("counting:", replication.CommitByCounting(log, match, 4, 1))
	// Output:
	// Raft:     1
	// counting: 2
}

// A follower's log 1 1 1 1 receives the leader's entry of term 2 after
// index 1: the consistency check passes (both have term 1 at index 1),
// and the conflicting entries from index 2 on are replaced.
func ExampleAppendEntriesRule() {
	follower := replication.Log{{Term: 1}, {Term: 1}, {Term: 1}, {Term: 1}}
	log, ok := replication.AppendEntriesRule(follower, 1, 1, []replication.Entry{{Term: 2}})
	fmt.Println(ok, log)
	_, ok = replication.AppendEntriesRule(follower, 5, 1, nil)
	fmt.Println(ok)
	// Output:
	// true 1 2
	// false
}

// The Figure 8 replay with the counting commit rule (every replica uses
// it): n1 commits x=2 in term 4 because a majority stores it; n5, elected
// in term 5 without it, commits its own y=3 at the same index by counting
// too. The checker names the properties that break, and where.
func ExampleSimulate() {
	run, err := replication.Simulate(replication.Figure8(replication.CommitOldTerms))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(run.Final)
	for _, v := range run.Violations {
		fmt.Println(v)
	}
	// Output:
	// logs at 600.000ms (term of each entry; | marks the commit index)
	//   n1  crashed   t4   1 2 | 4
	//   n2  follower  t5   1 3 5 |
	//   n3  follower  t5   1 3 5 |
	//   n4  follower  t5   1 3 5 |
	//   n5  leader    t5   1 3 5 |
	// 423.000ms leader completeness violated: n5 became leader of term 5 with t3 y=3 (ctl#6) at index 2, but t2 x=2 (ctl#4) was committed there by n1 in term 4
	// 427.000ms state machine safety violated: n5 applied t3 y=3 (ctl#6) at index 2, but n1 applied t2 x=2 (ctl#4) there
}

// The same scenario on both implementations.
func ExampleCompare() {
	cfg := replication.SteadyState()
	cfg.Nodes, cfg.Commands, cfg.Trace = 3, 5, false
	cmp, err := replication.Compare(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same commands committed:", cmp.SameCommands())
	for _, r := range []*replication.Run{cmp.Course, cmp.Etcd} {
		fmt.Printf("%s: %d elections, %d commands acknowledged, %d violations\n", r.Impl, len(r.Leaders), r.Acknowledged(), len(r.Violations))
	}
	// Output:
	// same commands committed: true
	// course Raft: 1 elections, 10 commands acknowledged, 0 violations
	// etcd raft v3.7.0: 1 elections, 10 commands acknowledged, 0 violations
}
