package netsim

import "slices"

// timerSet is the set of a node's pending timers. Timer IDs grow with
// time, so appending keeps ids sorted; removal marks an entry dead and
// the dead prefix is dropped, which makes the common case (timers firing
// in the order they were set) O(1) and lookups O(log k) — cheaper than a
// map for the handful of timers a node usually has.
type timerSet struct {
	ids  []TimerID // ascending
	dead []bool    // dead[i]: ids[i] fired or was cancelled
	head int       // ids[:head] are all dead
}

func (t *timerSet) add(id TimerID) {
	t.ids = append(t.ids, id)
	t.dead = append(t.dead, false)
}

// find returns the index of a pending timer, or -1.
func (t *timerSet) find(id TimerID) int {
	i, ok := slices.BinarySearch(t.ids[t.head:], id)
	if !ok || t.dead[t.head+i] {
		return -1
	}
	return t.head + i
}

// removeAt marks entry i (found by find) as no longer pending.
func (t *timerSet) removeAt(i int) {
	t.dead[i] = true
	for t.head < len(t.ids) && t.dead[t.head] {
		t.head++
	}
	switch {
	case t.head == len(t.ids):
		t.clear()
	case t.head > 32 && t.head > len(t.ids)/2:
		n := copy(t.ids, t.ids[t.head:])
		copy(t.dead, t.dead[t.head:])
		t.ids, t.dead, t.head = t.ids[:n], t.dead[:n], 0
	}
}

func (t *timerSet) clear() {
	t.ids, t.dead, t.head = t.ids[:0], t.dead[:0], 0
}
