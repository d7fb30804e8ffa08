package replication

import "testing"

func benchSimulate(b *testing.B, impl Implementation) {
	c := LossyLinks()
	c.Impl = impl
	for b.Loop() {
		if _, err := Simulate(c); err != nil {
			b.Fatal(err)
		}
	}
}

// One 3-second LossyLinks run with the safety checker on every step.
func BenchmarkSimulateCourse(b *testing.B) { benchSimulate(b, Course) }
func BenchmarkSimulateEtcd(b *testing.B)   { benchSimulate(b, Etcd) }

// One Observe of a 5-replica cluster with 200-entry logs.
func BenchmarkCheckerObserve(b *testing.B) {
	cfg := Config{Nodes: 5}
	c, err := NewChecker(cfg.members())
	if err != nil {
		b.Fatal(err)
	}
	log := make(Log, 200)
	for i := range log {
		log[i] = Entry{Term: 1 + i/50, Cmd: Command{Client: "c1", Seq: i + 1, Key: "x", Value: "1"}}
	}
	kv := NewKV()
	for _, e := range log[:150] {
		kv.Apply(e)
	}
	st := Status{Term: 4, Role: Follower, Log: log, Commit: 150, Applied: kv.Applied(), KV: kv}
	for i := range 5 {
		c.Observe(0, i, st)
	}
	i := 0
	for b.Loop() {
		c.Observe(0, i%5, st)
		i++
	}
}
