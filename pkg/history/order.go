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

// MaxReachBytes bounds the memory of the happens-before table that
// HappensBefore builds on first use: one 32-bit counter per event and
// node, 4·events·nodes bytes (10 MB for the largest Random history). A
// larger history is answered without a table, by searching the event
// graph for each question: slower, but within O(events) memory.
const MaxReachBytes = 64 << 20

// reachBudget is MaxReachBytes; tests lower it to exercise the search.
var reachBudget int64 = MaxReachBytes

// order is happens-before, computed once per history.
type order struct {
	valid bool
	// seen[e*nodes+p] is how many of node p's events happen before or are
	// event e: the event's vector timestamp, computed from the graph (nil
	// when the table would exceed MaxReachBytes).
	seen  []int32
	nodes int
	// For the table-less search: next event on the same node (-1 if none),
	// and visit marks by query generation.
	next  []int
	mark  []uint32
	gen   uint32
	stack []int
}

// closure prepares happens-before for h. Events are stored in a causal
// order (every receive after its send), so one forward pass computes, for
// every event, how many events of each node lead to it.
func (h *History) closure() *order {
	if h.hb != nil {
		return h.hb
	}
	o := &order{valid: h.validate() == nil, nodes: len(h.Nodes)}
	h.hb = o
	if !o.valid {
		return o
	}
	n, k := len(h.Events), len(h.Nodes)
	if int64(n)*int64(k)*4 > reachBudget {
		o.next = make([]int, n)
		last := make([]int, k)
		for i := range last {
			last[i] = -1
		}
		for i := n - 1; i >= 0; i-- {
			node := h.Events[i].Node
			o.next[i] = last[node]
			last[node] = i
		}
		o.mark = make([]uint32, n)
		return o
	}
	seen := make([]int32, n*k)
	last := make([]int, k)
	for i := range last {
		last[i] = -1
	}
	for i, ev := range h.Events {
		row := seen[i*k : (i+1)*k]
		if l := last[ev.Node]; l >= 0 {
			copy(row, seen[l*k:(l+1)*k])
		}
		if ev.Kind == Receive {
			s := h.Messages[ev.Msg].Send
			for p, x := range seen[s*k : (s+1)*k] {
				row[p] = max(row[p], x)
			}
		}
		row[ev.Node]++
		last[ev.Node] = i
	}
	o.seen = seen
	return o
}

// HappensBefore reports whether a -> b in Lamport's sense: a comes before b
// on the same node, or a is the send of a message whose receipt is b, or a
// chain of such steps leads from a to b. Out-of-range events are never
// ordered, and neither are the events of a history that fails Validate.
func (h *History) HappensBefore(a, b int) bool {
	if a < 0 || b < 0 || a >= len(h.Events) || b >= len(h.Events) || a == b {
		return false
	}
	o := h.closure()
	switch {
	case !o.valid:
		return false
	case o.seen != nil:
		node := h.Events[a].Node
		return o.seen[b*o.nodes+node] >= o.seen[a*o.nodes+node]
	}
	return h.search(o, a, b)
}

// search looks for a path from a to b in the event graph. Every edge goes
// to a later event, so only events before b need to be visited.
func (h *History) search(o *order, a, b int) bool {
	if a > b {
		return false
	}
	o.gen++
	if o.gen == 0 { // wrapped: clear the old marks
		clear(o.mark)
		o.gen = 1
	}
	o.stack = append(o.stack[:0], a)
	for len(o.stack) > 0 {
		e := o.stack[len(o.stack)-1]
		o.stack = o.stack[:len(o.stack)-1]
		succ := [2]int{o.next[e], -1}
		if h.Events[e].Kind == Send {
			succ[1] = h.Messages[h.Events[e].Msg].Receive
		}
		for _, s := range succ {
			if s == b {
				return true
			}
			if s >= 0 && s < b && o.mark[s] != o.gen {
				o.mark[s] = o.gen
				o.stack = append(o.stack, s)
			}
		}
	}
	return false
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
