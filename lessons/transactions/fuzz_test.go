package transactions

import (
	"strings"
	"testing"
)

// Any schedule text and any small configuration either runs (and keeps
// the invariants) or is refused with an error; nothing panics or hangs.
func FuzzSimulate(f *testing.F) {
	f.Add("30ms crash co\n500ms restart co", 3, 0, 1, uint64(1))
	f.Add("25ms partition co | p1,p2,p3\n300ms heal", 2, 1, 2, uint64(7))
	f.Add("10ms loss *->* 0.5", 4, 2, 0, uint64(3))
	f.Fuzz(func(t *testing.T, sched string, n, protocol, after int, seed uint64) {
		c := DefaultConfig()
		c.Schedule, c.Participants, c.Protocol, c.Seed = sched, n, Protocol(protocol), seed
		c.Crash = CrashPoint{Phase: Phase(after % 3), After: after / 3}
		c.Downtime = 300 * ms
		r, err := Simulate(c)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "transactions: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		if !r.OK() {
			t.Fatalf("invariant broken: %v", r.Violations)
		}
	})
}
