package netsim

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestEventQueueOrder checks the lane+heap queue against a brute-force
// oracle: all events sorted by (at, seq), with random interleavings of
// pushes and pops, lanes with non-decreasing times, and many ties.
func TestEventQueueOrder(t *testing.T) {
	for seed := range uint64(50) {
		r := rand.New(rand.NewPCG(seed, 1))
		var q eventQueue
		lanes := make([]int32, 1+r.IntN(6))
		lastAt := make([]Time, len(lanes))
		for i := range lanes {
			lanes[i] = q.newLane()
		}
		var pending []event // the oracle: everything pushed, not yet popped
		now := Time(0)
		for step := range 2000 {
			if r.IntN(3) > 0 || len(pending) == 0 {
				at := now + Time(r.IntN(5)) // small range: many ties
				if l := r.IntN(len(lanes) + 1); l < len(lanes) {
					at = max(at, lastAt[l])
					lastAt[l] = at
					e := q.laneSlot(lanes[l], at)
					e.id = uint64(step)
					pending = append(pending, *e)
				} else {
					q.push(event{at: at, id: uint64(step)})
					pending = append(pending, q.misc[slices.IndexFunc(q.misc, func(e event) bool { return e.id == uint64(step) })])
				}
				continue
			}
			slices.SortFunc(pending, func(a, b event) int {
				return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
			})
			if q.len() != len(pending) {
				t.Fatalf("seed %d: len %d, want %d", seed, q.len(), len(pending))
			}
			if q.next() != pending[0].at {
				t.Fatalf("seed %d: next %d, want %d", seed, q.next(), pending[0].at)
			}
			got := q.pop()
			if got.id != pending[0].id || got.seq != pending[0].seq {
				t.Fatalf("seed %d step %d: popped id %d seq %d, want id %d seq %d", seed, step, got.id, got.seq, pending[0].id, pending[0].seq)
			}
			now = got.at
			pending = pending[1:]
		}
	}
}

// BenchmarkEventQueue measures the queue alone on the all-to-all
// pattern: 240 FIFO lanes, about two events in flight per lane.
func BenchmarkEventQueue(b *testing.B) {
	var q eventQueue
	r := rand.New(rand.NewPCG(1, 2))
	const lanes = 240
	last := make([]Time, lanes)
	for i := range lanes {
		q.newLane()
		for range 2 {
			at := max(Time(r.IntN(3e6)), last[i])
			last[i] = at
			q.laneSlot(int32(i), at)
		}
	}
	b.ResetTimer()
	for range b.N {
		e := q.pop()
		l := r.IntN(lanes)
		at := max(e.at+1e6+Time(r.IntN(2e6)), last[l])
		last[l] = at
		q.laneSlot(int32(l), at)
	}
}

// TestTimerSet compares timerSet with a map under random adds, fires in
// mostly-FIFO order, cancels and clears.
func TestTimerSet(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var ts timerSet
	oracle := map[TimerID]bool{}
	next := TimerID(0)
	for step := range 20000 {
		switch op := r.IntN(10); {
		case op < 4:
			next++
			ts.add(next)
			oracle[next] = true
		case op < 9:
			// Remove the oldest pending (firing order) or a random ID.
			id := TimerID(r.IntN(int(next) + 2))
			if op < 7 && ts.head < len(ts.ids) {
				id = ts.ids[ts.head]
			}
			i := ts.find(id)
			if (i >= 0) != oracle[id] {
				t.Fatalf("step %d: find(%d) = %d, oracle says pending=%v", step, id, i, oracle[id])
			}
			if i >= 0 {
				ts.removeAt(i)
				delete(oracle, id)
			}
		default:
			if r.IntN(20) == 0 {
				ts.clear()
				clear(oracle)
			}
		}
	}
}
