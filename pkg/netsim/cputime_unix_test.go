//go:build unix

package netsim

import (
	"syscall"
	"time"
)

// cpuTime is the user+system CPU time used by this process so far. The
// benchmarks report events per CPU second as well as per wall second,
// because the former is much steadier on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
