package clocksync

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// BerkeleyResult is the outcome of one Berkeley round.
type BerkeleyResult struct {
	Average  time.Duration   // average offset of the clocks that were used, relative to the master
	Adjust   []time.Duration // correction to send to each clock (index 0 is the master)
	Excluded []int           // clocks left out of the average, in increasing order
}

func (r BerkeleyResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "average offset %v", r.Average)
	for i, a := range r.Adjust {
		fmt.Fprintf(&b, "; clock %d adjust %v", i, a)
		if slices.Contains(r.Excluded, i) {
			b.WriteString(" (excluded)")
		}
	}
	return b.String()
}

// Berkeley computes one round of the Berkeley algorithm. offsets[i] is
// clock i minus the master's clock as the master measured it (so
// offsets[0], the master itself, is normally 0). Clocks further than
// tolerance from the median are left out of the average (Gusella and
// Zatti's fault-tolerant average) but still told how to adjust. Every
// clock then moves to master + average: Adjust[i] = Average − offsets[i].
// Offsets must be within ±MaxTime, so that no adjustment overflows (an
// overflow once gave adjustments of the wrong sign).
func Berkeley(offsets []time.Duration, tolerance time.Duration) (BerkeleyResult, error) {
	if len(offsets) == 0 {
		return BerkeleyResult{}, fmt.Errorf("clocksync: Berkeley needs at least one clock")
	}
	for i, o := range offsets {
		if o < -MaxTime || o > MaxTime {
			return BerkeleyResult{}, fmt.Errorf("clocksync: Berkeley offset of clock %d is %v, not within ±%v (MaxTime)", i, o, MaxTime)
		}
	}
	if tolerance <= 0 {
		return BerkeleyResult{}, fmt.Errorf("clocksync: Berkeley tolerance %v must be > 0", tolerance)
	}
	sorted := slices.Clone(offsets)
	slices.Sort(sorted)
	median := sorted[(len(sorted)-1)/2]
	var res BerkeleyResult
	var used []time.Duration
	for i, o := range offsets {
		if !within(o, median, tolerance) {
			res.Excluded = append(res.Excluded, i)
			continue
		}
		used = append(used, o)
	}
	res.Average = mean(used) // never empty: the median itself is always used
	res.Adjust = make([]time.Duration, len(offsets))
	for i, o := range offsets {
		res.Adjust[i] = res.Average - o
	}
	return res, nil
}

// within reports |a−b| ≤ tol without overflowing.
func within(a, b, tol time.Duration) bool {
	if a < b {
		a, b = b, a
	}
	d := uint64(a) - uint64(b) // the true difference, as it fits in uint64
	return d <= uint64(tol)
}

// mean averages xs (truncating towards zero) without overflowing: it sums
// quotients and remainders separately.
func mean(xs []time.Duration) time.Duration {
	n := int64(len(xs))
	var q, r int64
	for _, x := range xs {
		q += int64(x) / n
		r += int64(x) % n
	}
	return time.Duration(q + r/n)
}
