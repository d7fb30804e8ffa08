package totalorder

import (
	"github.com/dslessons/course/pkg/netsim"
)

// Continuation and ShowTo are continuation and showTo, for the tests.
var (
	Continuation = continuation
	ShowTo       = showTo
)

// DeliveryLabels returns, per member, the delivery labels the run's
// diagram writes, in trace order: at first arrivals and timers, and at
// second copies ("dup: ...").
func DeliveryLabels(r *Run) map[netsim.NodeID][]string {
	labels, copies := r.deliveryLabels()
	out := map[netsim.NodeID][]string{}
	arrived := map[uint64]bool{}
	k := 0
	for _, rec := range r.Trace {
		switch rec.Op {
		case netsim.OpDeliver:
			if arrived[rec.ID] {
				if copies[k] != "" {
					out[rec.Node] = append(out[rec.Node], copies[k])
				}
				k++
				continue
			}
			arrived[rec.ID] = true
			fallthrough
		case netsim.OpTimer:
			if l := labels[recordKey{op: rec.Op, node: rec.Node, id: rec.ID}]; l != "" {
				out[rec.Node] = append(out[rec.Node], l)
			}
		}
	}
	return out
}
