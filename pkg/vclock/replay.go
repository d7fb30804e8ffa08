package vclock

import (
	"fmt"
	"math"
	"strings"

	"github.com/dslessons/course/pkg/history"
)

// ReceiveRule computes the receiver's new vector from its own vector and
// the vector carried by the message; self is the receiver's index. The rule
// may modify and return own. Exercises let students supply their own rule
// and compare it with StandardReceive.
type ReceiveRule func(own, msg VC, self int) VC

// StandardReceive is the receive rule of Fidge and Mattern: entry-wise
// maximum, then count the receipt as an event of the receiver.
func StandardReceive(own, msg VC, self int) VC {
	own = Merge(own, msg)
	own[self]++
	return own
}

// Run is the result of replaying a history with vector clocks.
type Run struct {
	History *history.History
	// Stamps[e] is the vector timestamp of event e.
	Stamps []VC
}

// Replay runs vector clocks over h: every node starts at the zero vector
// and applies the rules at each of its events.
func Replay(h *history.History) (*Run, error) {
	return ReplayWith(h, StandardReceive)
}

// MaxReplayCells bounds len(events) × len(nodes) for Replay: a Run keeps
// one vector per event.
const MaxReplayCells = 20_000_000

// ReplayWith is Replay with a custom receive rule (local and send events
// still increment the node's own entry). h must pass h.Validate(); an
// entry that would pass the largest uint64, or a rule that panics, is an
// error.
func ReplayWith(h *history.History, receive ReceiveRule) (r *Run, err error) {
	if h == nil {
		return nil, fmt.Errorf("vclock: nil history")
	}
	if receive == nil {
		return nil, fmt.Errorf("vclock: nil receive rule")
	}
	n := len(h.Nodes)
	if n < 1 || n > MaxNodes {
		return nil, fmt.Errorf("vclock: history has %d nodes, want [1,%d]", n, MaxNodes)
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("vclock: cannot replay an invalid history: %w", err)
	}
	if cells := int64(len(h.Events)) * int64(n); cells > MaxReplayCells {
		return nil, fmt.Errorf("vclock: %d events × %d nodes = %d vector entries to keep, more than %d (MaxReplayCells)",
			len(h.Events), n, cells, MaxReplayCells)
	}
	i := 0
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("vclock: the receive rule panicked at event %s: %v", h.Name(i), p)
		}
	}()
	clocks := make([]VC, n)
	for i := range clocks {
		clocks[i] = make(VC, n)
	}
	r = &Run{History: h, Stamps: make([]VC, len(h.Events))}
	var ev history.Event
	for i, ev = range h.Events {
		if ev.Node < 0 || ev.Node >= n {
			return nil, fmt.Errorf("vclock: event %d on unknown node %d", i, ev.Node)
		}
		if ev.Kind == history.Receive {
			if ev.Msg < 0 || ev.Msg >= len(h.Messages) || h.Messages[ev.Msg].Send >= i {
				return nil, fmt.Errorf("vclock: event %d receives message %d that was not sent before it", i, ev.Msg)
			}
			got := receive(clocks[ev.Node].Clone(), r.Stamps[h.Messages[ev.Msg].Send].Clone(), ev.Node)
			if len(got) != n {
				return nil, fmt.Errorf("vclock: receive rule returned %d entries at event %s, want %d", len(got), h.Name(i), n)
			}
			clocks[ev.Node] = got
		} else {
			if clocks[ev.Node][ev.Node] == math.MaxUint64 {
				return nil, fmt.Errorf("vclock: entry %d of node %s would pass %d at event %s", ev.Node, h.Nodes[ev.Node], uint64(math.MaxUint64), h.Name(i))
			}
			clocks[ev.Node][ev.Node]++
		}
		r.Stamps[i] = clocks[ev.Node].Clone()
	}
	return r, nil
}

// Compare relates the vector timestamps of events a and b. Indices out of
// range compare as the zero vector.
func (r *Run) Compare(a, b int) Order { return Compare(r.stamp(a), r.stamp(b)) }

// Less reports whether VC(a) < VC(b).
func (r *Run) Less(a, b int) bool { return r.Compare(a, b) == Before }

func (r *Run) stamp(e int) VC {
	if e < 0 || e >= len(r.Stamps) {
		return nil
	}
	return r.Stamps[e]
}

// Stamp returns the vector timestamp of the event labelled label.
func (r *Run) Stamp(label string) (VC, error) {
	if r.History == nil {
		return nil, fmt.Errorf("vclock: zero Run, make one with Replay")
	}
	e, err := r.History.EventByLabel(label)
	if err != nil {
		return nil, fmt.Errorf("vclock: %w", err)
	}
	return r.Stamps[e].Clone(), nil
}

// Label formats the timestamp of event e with node names: "[A(1), B(0)]".
func (r *Run) Label(e int) string {
	if r.History == nil {
		return r.stamp(e).String()
	}
	return r.stamp(e).Labelled(r.History.Nodes)
}

// Table returns one row per event: its name, what happened and its vector
// timestamp.
func (r *Run) Table() (header []string, rows [][]string) {
	header = []string{"event", "what happens", "VC"}
	if r.History == nil {
		return header, nil
	}
	for e := range r.Stamps {
		d := r.History.Describe(e)
		if i := strings.Index(d, ": "); i >= 0 {
			d = d[i+2:]
		}
		rows = append(rows, []string{r.History.Name(e), d, r.Label(e)})
	}
	return header, rows
}

// ConcurrentPairs returns every pair (a, b), a < b, whose vector
// timestamps are Concurrent, in index order.
func (r *Run) ConcurrentPairs() [][2]int {
	var out [][2]int
	for a := range r.Stamps {
		for b := a + 1; b < len(r.Stamps); b++ {
			if r.Compare(a, b) == Concurrent {
				out = append(out, [2]int{a, b})
			}
		}
	}
	return out
}

// Disagreement is a pair of events whose vector timestamps say something
// other than the happens-before relation of the history.
type Disagreement struct {
	A, B  int              // event indices, A < B
	Clock Order            // what the vector timestamps say
	Truth history.Relation // what the event graph says
}

func (d Disagreement) String() string {
	return fmt.Sprintf("events %d and %d: clocks say %v, history says %v", d.A, d.B, d.Clock, d.Truth)
}

// OrderOf translates a happens-before relation into the Order that vector
// timestamps must show for it.
func OrderOf(rel history.Relation) Order {
	switch rel {
	case history.HappenedBefore:
		return Before
	case history.HappenedAfter:
		return After
	case history.Concurrent:
		return Concurrent
	}
	return Equal
}

// Disagreements compares the vector timestamps of every pair of distinct
// events with the happens-before relation that the history computes by
// reachability. For vector clocks with the standard rules it is empty:
// VC(a) < VC(b) ⇔ a → b.
func (r *Run) Disagreements() []Disagreement {
	var out []Disagreement
	h := r.History
	if h == nil {
		return nil
	}
	for a := range r.Stamps {
		for b := a + 1; b < len(r.Stamps); b++ {
			truth := h.Relate(a, b)
			if got := r.Compare(a, b); got != OrderOf(truth) {
				out = append(out, Disagreement{A: a, B: b, Clock: got, Truth: truth})
			}
		}
	}
	return out
}
