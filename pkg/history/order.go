package history

import "fmt"

// Relation is how two events are ordered by happens-before.
type Relation int

// The four possible relations between events a and b.
const (
	Same           Relation = iota // a and b are the same event
	HappenedBefore                 // a -> b
	HappenedAfter                  // b -> a
	Concurrent                     // neither a -> b nor b -> a
)

func (r Relation) String() string {
	switch r {
	case Same:
		return "same event"
	case HappenedBefore:
		return "happened before"
	case HappenedAfter:
		return "happened after"
	case Concurrent:
		return "concurrent"
	}
	return fmt.Sprintf("Relation(%d)", int(r))
}

// closure computes reachability: a -> b iff b is reachable from a along
// "next event on the same node" and "send to its receive" edges. Events are
// stored in a causal order, so one backwards pass suffices.
func (h *History) closure() {
	if h.reach != nil {
		return
	}
	n := len(h.Events)
	words := (n + 63) / 64
	reach := make([][]uint64, n)
	next := make([]int, n) // next event on the same node, -1 if none
	last := make([]int, len(h.Nodes))
	for i := range last {
		last[i] = -1
	}
	for i := n - 1; i >= 0; i-- {
		ev := h.Events[i]
		next[i] = last[ev.Node]
		last[ev.Node] = i
	}
	for i := n - 1; i >= 0; i-- {
		r := make([]uint64, words)
		succ := [2]int{next[i], -1}
		if h.Events[i].Kind == Send {
			succ[1] = h.Messages[h.Events[i].Msg].Receive
		}
		for _, s := range succ {
			if s < 0 {
				continue
			}
			r[s/64] |= 1 << (s % 64)
			for w, x := range reach[s] {
				r[w] |= x
			}
		}
		reach[i] = r
	}
	h.reach = reach
}

// HappensBefore reports whether a -> b in Lamport's sense: a comes before b
// on the same node, or a is the send of a message whose receipt is b, or a
// chain of such steps leads from a to b. Out-of-range events are never
// ordered.
func (h *History) HappensBefore(a, b int) bool {
	if a < 0 || b < 0 || a >= len(h.Events) || b >= len(h.Events) {
		return false
	}
	h.closure()
	return h.reach[a][b/64]&(1<<(b%64)) != 0
}

// Relate returns how a and b are ordered by happens-before.
func (h *History) Relate(a, b int) Relation {
	switch {
	case a == b:
		return Same
	case h.HappensBefore(a, b):
		return HappenedBefore
	case h.HappensBefore(b, a):
		return HappenedAfter
	}
	return Concurrent
}

// ConcurrentPairs returns every pair (a, b) with a < b of concurrent events.
func (h *History) ConcurrentPairs() [][2]int {
	var out [][2]int
	for a := range h.Events {
		for b := a + 1; b < len(h.Events); b++ {
			if h.Relate(a, b) == Concurrent {
				out = append(out, [2]int{a, b})
			}
		}
	}
	return out
}
