package transactions

import "testing"

// One run of the fault sweep (two-phase commit with random faults) and
// one with the decision in a Raft group: the sweeps of the lesson run
// hundreds of these.
func BenchmarkSimulate2PC(b *testing.B) {
	c := RandomFaults(7)
	for b.Loop() {
		if _, err := Simulate(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSimulateRaftDecision(b *testing.B) {
	c := WithProtocol(RandomFaults(7), RaftDecision)
	for b.Loop() {
		if _, err := Simulate(c); err != nil {
			b.Fatal(err)
		}
	}
}
