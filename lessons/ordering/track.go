package ordering

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Deliverer is a node that hands messages to its application in some
// order: every node of this lesson's protocols. DeliveredSoFar returns the
// payloads delivered so far, in order (the node's own slice: do not
// modify it).
type Deliverer interface {
	netsim.Node
	DeliveredSoFar() []string
}

// Delivery is one message handed to the application by one node.
type Delivery struct {
	Node    netsim.NodeID
	Payload string
	At      netsim.Time
	N       int // position in the node's delivery order, from 1
	// What the node was handling when it delivered: the message number
	// (#n in the trace) of a receipt, or a timer, or its start.
	Cause Cause
}

// Cause names the input during which a node delivered something.
type Cause struct {
	Kind netsim.EventKind
	ID   uint64 // message number for Receive, timer ID for Timer
}

// tracker records what every tracked node delivers, with the virtual time
// and the input that caused it. It is lesson code around the protocol
// nodes (which never read the clock), not part of them.
type tracker struct {
	all     []Delivery
	byCause map[causeKey][]int // indices into all
	perNode map[netsim.NodeID]int
}

type causeKey struct {
	node  netsim.NodeID
	cause Cause
}

func newTracker() *tracker {
	return &tracker{byCause: map[causeKey][]int{}, perNode: map[netsim.NodeID]int{}}
}

// wrap returns a node that forwards to n and records its new deliveries.
func (t *tracker) wrap(n Deliverer) netsim.Node { return &tracked{n: n, t: t} }

type tracked struct {
	n Deliverer
	t *tracker
}

func (w *tracked) Handle(ctx *netsim.Context, ev netsim.Event) {
	before := len(w.n.DeliveredSoFar())
	w.n.Handle(ctx, ev)
	after := w.n.DeliveredSoFar()
	if len(after) <= before {
		return
	}
	c := Cause{Kind: ev.Kind}
	switch ev.Kind {
	case netsim.Receive:
		c.ID = ev.MsgID
	case netsim.Timer:
		c.ID = uint64(ev.Timer)
	}
	self := ctx.Self()
	for _, p := range after[before:] {
		w.t.perNode[self]++
		key := causeKey{self, c}
		w.t.byCause[key] = append(w.t.byCause[key], len(w.t.all))
		w.t.all = append(w.t.all, Delivery{Node: self, Payload: p, At: ctx.Now(), N: w.t.perNode[self], Cause: c})
	}
}

// caused returns the deliveries a record's event caused (a receipt or a
// fired timer), in order.
func (t *tracker) caused(r netsim.Record) []Delivery {
	var c Cause
	switch r.Op {
	case netsim.OpDeliver:
		c = Cause{Kind: netsim.Receive, ID: r.ID}
	case netsim.OpTimer:
		c = Cause{Kind: netsim.Timer, ID: r.ID}
	default:
		return nil
	}
	idx := t.byCause[causeKey{r.Node, c}]
	out := make([]Delivery, len(idx))
	for i, k := range idx {
		out[i] = t.all[k]
	}
	return out
}

// deliveryLabel writes deliveries as "d1 A1" or "d2 B1, d3 A2": the
// delivery number at that node and the payload.
func deliveryLabel(ds []Delivery) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("d%d %s", d.N, d.Payload)
	}
	return strings.Join(parts, ", ")
}

// Orders returns each node's delivery order, by node.
func orders(ds []Delivery) map[netsim.NodeID][]string {
	out := map[netsim.NodeID][]string{}
	for _, d := range ds {
		out[d.Node] = append(out[d.Node], d.Payload)
	}
	return out
}

// index returns the position of id in members, or -1.
func index(members []netsim.NodeID, id netsim.NodeID) int {
	for i, m := range members {
		if m == id {
			return i
		}
	}
	return -1
}

// names returns n node IDs starting with first: "A", "B", ... .
func names(n int, first byte) []netsim.NodeID {
	out := make([]netsim.NodeID, n)
	for i := range out {
		out[i] = netsim.NodeID(string(rune(first + byte(i))))
	}
	return out
}

// insertSorted inserts x into the sorted slice s (by less) after any equal
// elements, and returns the slice.
func insertSorted[T any](s []T, x T, less func(a, b T) bool) []T {
	i := len(s)
	for i > 0 && less(x, s[i-1]) {
		i--
	}
	s = append(s, x)
	copy(s[i+1:], s[i:])
	s[i] = x
	return s
}

// Inversions counts the pairs of items that b puts in the other order
// from a (the Kendall tau distance), for two orders of the same items.
// Items only in one of the orders are ignored. O(n log n).
func Inversions(a, b []string) int {
	pos := make(map[string]int, len(a))
	for i, x := range a {
		pos[x] = i
	}
	var seq []int
	for _, x := range b {
		if p, ok := pos[x]; ok {
			seq = append(seq, p)
		}
	}
	n, _ := countInversions(seq, make([]int, len(seq)))
	return n
}

// countInversions sorts s (merge sort, using tmp) and counts its
// inversions.
func countInversions(s, tmp []int) (int, []int) {
	if len(s) < 2 {
		return 0, s
	}
	m := len(s) / 2
	l, _ := countInversions(s[:m], tmp[:m])
	r, _ := countInversions(s[m:], tmp[m:])
	n := l + r
	i, j, k := 0, m, 0
	for i < m && j < len(s) {
		if s[j] < s[i] {
			tmp[k] = s[j]
			n += m - i
			j++
		} else {
			tmp[k] = s[i]
			i++
		}
		k++
	}
	k += copy(tmp[k:], s[i:m])
	copy(tmp[k:], s[j:])
	copy(s, tmp[:len(s)])
	return n, s
}
