package partialfailure

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// ObsKind is what a node can observe about its own run.
type ObsKind uint8

// The three things a node observes: its own sends, the messages delivered
// to it, and its timers firing. Losses, crashes and processing elsewhere
// are not observations: they happen out of sight.
const (
	Sent ObsKind = iota
	Received
	TimerFired
)

func (k ObsKind) String() string {
	switch k {
	case Sent:
		return "sent"
	case Received:
		return "received"
	case TimerFired:
		return "timer fired"
	}
	return fmt.Sprintf("ObsKind(%d)", k)
}

// Observation is one line of a node's local view.
type Observation struct {
	At   netsim.Time
	Kind ObsKind
	What string // the message or the timer's tag
}

func (o Observation) String() string { return fmt.Sprintf("%v %s %s", o.At, o.Kind, o.What) }

// Transcript is everything one node observed, in order.
type Transcript []Observation

// String lists the observations, one per line.
func (t Transcript) String() string {
	var b strings.Builder
	for _, o := range t {
		b.WriteString(o.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Until returns the observations made at or before time t.
func (t Transcript) Until(at netsim.Time) Transcript {
	var out Transcript
	for _, o := range t {
		if o.At <= at {
			out = append(out, o)
		}
	}
	return out
}

// Observe extracts node's local view from a global trace: the messages
// node sent, the messages delivered to node and the timers of node that
// fired. A message dropped by the network appears in the trace (even
// under the sender's name, when the loss is decided at send time) but not
// in the view: nobody tells the sender.
func Observe(tr netsim.Trace, node netsim.NodeID) Transcript {
	var out Transcript
	for _, r := range tr {
		var kind ObsKind
		switch {
		case r.Op == netsim.OpSend && r.From == node:
			kind = Sent
		case r.Op == netsim.OpDeliver && r.To == node:
			kind = Received
		case r.Op == netsim.OpTimer && r.Node == node:
			kind = TimerFired
		default:
			continue
		}
		out = append(out, Observation{At: r.Time, Kind: kind, What: fmt.Sprint(r.Msg)})
	}
	return out
}

// FirstDifference returns the index of the first observation where a and
// b differ (in time, kind or content), or -1 if they are identical. When
// one is a prefix of the other, the index is the shorter one's length.
func FirstDifference(a, b Transcript) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// SameTrace reports whether two global traces are identical, record by
// record (comparing their transcript lines).
func SameTrace(a, b netsim.Trace) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].String() != b[i].String() {
			return false
		}
	}
	return true
}
