package lamport

import (
	"fmt"
	"math"
	"strings"

	"github.com/dslessons/course/pkg/history"
)

// Timestamp is a Lamport timestamp: a logical counter value.
type Timestamp uint64

// MaxTimestamp is the largest counter value. A clock that reaches it
// stays there instead of wrapping to 0, and reports it through Err: from
// then on its timestamps no longer grow, so the clock condition fails.
const MaxTimestamp = Timestamp(math.MaxUint64)

// Clock is one node's Lamport clock. The zero value is a clock at 0, ready
// to use. It follows the rules of Lamport (1978) as stated in the course:
//
//   - every event increments the counter;
//   - a sent message carries the counter value after the increment;
//   - on receipt, the counter becomes max(own, received) + 1.
type Clock struct {
	t         Timestamp
	saturated bool
}

// Now returns the current counter without changing it.
func (c *Clock) Now() Timestamp { return c.t }

// Local records a local event and returns its timestamp.
func (c *Clock) Local() Timestamp {
	c.t = c.next(c.t)
	return c.t
}

// Send records a send event and returns the timestamp to put in the message
// (which is also the send event's timestamp).
func (c *Clock) Send() Timestamp { return c.Local() }

// Receive records the receipt of a message that carried timestamp msg and
// returns the receive event's timestamp, max(own, msg) + 1.
func (c *Clock) Receive(msg Timestamp) Timestamp {
	c.t = c.next(max(c.t, msg))
	return c.t
}

// next is t+1, or MaxTimestamp (and the clock saturated) if t+1 does not
// fit.
func (c *Clock) next(t Timestamp) Timestamp {
	if t == MaxTimestamp {
		c.saturated = true
		return t
	}
	return t + 1
}

// Err reports whether the counter has reached MaxTimestamp and stopped
// growing; nil for every clock that has not.
func (c *Clock) Err() error {
	if c.saturated {
		return fmt.Errorf("lamport: counter reached its maximum %d; later timestamps are no longer ordered", MaxTimestamp)
	}
	return nil
}

// ReceiveRule is the signature of a receive rule: given the receiver's
// counter and the timestamp in the message, return the receiver's new
// counter. Exercises let students supply their own and compare it with
// Clock.Receive.
type ReceiveRule func(own, msg Timestamp) Timestamp

// Run is the result of replaying a history with Lamport clocks.
type Run struct {
	History *history.History
	// Stamps[e] is the timestamp of event e.
	Stamps []Timestamp
	// After[e][n] is node n's counter just after event e: the state of
	// every clock as the execution unfolds.
	After [][]Timestamp
}

// Replay runs Lamport clocks over h: every node starts at 0 and applies the
// rules at each of its events.
func Replay(h *history.History) (*Run, error) {
	return ReplayWith(h, func(own, msg Timestamp) Timestamp { return max(own, msg) + 1 })
}

// MaxReplayCells bounds len(events) × len(nodes) for Replay: Run.After
// keeps every clock after every event.
const MaxReplayCells = 20_000_000

// ReplayWith is Replay with a custom receive rule (local and send events
// still increment by one). h must pass h.Validate(); a counter that would
// pass MaxTimestamp, or a rule that panics, is an error.
func ReplayWith(h *history.History, receive ReceiveRule) (r *Run, err error) {
	if h == nil {
		return nil, fmt.Errorf("lamport: nil history")
	}
	if receive == nil {
		return nil, fmt.Errorf("lamport: nil receive rule")
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("lamport: cannot replay an invalid history: %w", err)
	}
	if cells := int64(len(h.Events)) * int64(len(h.Nodes)); cells > MaxReplayCells {
		return nil, fmt.Errorf("lamport: %d events × %d nodes = %d clock states to keep, more than %d (MaxReplayCells)",
			len(h.Events), len(h.Nodes), cells, MaxReplayCells)
	}
	i := 0
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("lamport: the receive rule panicked at event %s: %v", h.Name(i), p)
		}
	}()
	clocks := make([]Timestamp, len(h.Nodes))
	all := make([]Timestamp, len(h.Events)*len(h.Nodes)) // After's rows, in one allocation
	r = &Run{History: h, Stamps: make([]Timestamp, len(h.Events)), After: make([][]Timestamp, len(h.Events))}
	var ev history.Event
	for i, ev = range h.Events {
		switch ev.Kind {
		case history.Receive:
			msg := h.Messages[ev.Msg]
			clocks[ev.Node] = receive(clocks[ev.Node], r.Stamps[msg.Send])
		default:
			if clocks[ev.Node] == MaxTimestamp {
				return nil, fmt.Errorf("lamport: the counter of node %s would pass %d at event %s", h.Nodes[ev.Node], MaxTimestamp, h.Name(i))
			}
			clocks[ev.Node]++
		}
		r.Stamps[i] = clocks[ev.Node]
		r.After[i] = all[i*len(clocks) : (i+1)*len(clocks) : (i+1)*len(clocks)]
		copy(r.After[i], clocks)
	}
	return r, nil
}

// valid reports whether e is an event of the run.
func (r *Run) valid(e int) bool { return r.History != nil && e >= 0 && e < len(r.Stamps) }

// Stamp returns the timestamp of the event labelled label.
func (r *Run) Stamp(label string) (Timestamp, error) {
	if r.History == nil {
		return 0, fmt.Errorf("lamport: zero Run, make one with Replay")
	}
	e, err := r.History.EventByLabel(label)
	if err != nil {
		return 0, fmt.Errorf("lamport: %w", err)
	}
	return r.Stamps[e], nil
}

// State formats the clocks after event e the way the course notes do:
// "[A(1), B(0), C(0), D(0)]". Use e = -1 for the initial state.
func (r *Run) State(e int) string {
	if r.History == nil {
		return "[]"
	}
	parts := make([]string, len(r.History.Nodes))
	for n, name := range r.History.Nodes {
		var v Timestamp
		if e >= 0 && e < len(r.After) && n < len(r.After[e]) {
			v = r.After[e][n]
		}
		parts[n] = fmt.Sprintf("%s(%d)", name, v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Table returns one row per event: its name, what happened, its timestamp
// and the state of all clocks after it.
func (r *Run) Table() (header []string, rows [][]string) {
	header = []string{"event", "what happens", "LT", "clocks after"}
	if r.History == nil {
		return header, nil
	}
	for e := range r.Stamps {
		d := r.History.Describe(e)
		if i := strings.Index(d, ": "); i >= 0 {
			d = d[i+2:]
		}
		rows = append(rows, []string{r.History.Name(e), d, fmt.Sprint(r.Stamps[e]), r.State(e)})
	}
	return header, rows
}

// Less is the order of Lamport timestamps as a relation on events:
// LT(a) < LT(b). Events that are not in the run are never ordered.
func (r *Run) Less(a, b int) bool { return r.valid(a) && r.valid(b) && r.Stamps[a] < r.Stamps[b] }

// TotalLess is Lamport's total order: timestamps first, node index to
// break ties. It extends happens-before to a strict total order. Events
// that are not in the run are never ordered.
func (r *Run) TotalLess(a, b int) bool {
	if !r.valid(a) || !r.valid(b) {
		return false
	}
	ta, tb := r.Stamps[a], r.Stamps[b]
	if ta != tb {
		return ta < tb
	}
	return r.History.Events[a].Node < r.History.Events[b].Node
}

// ClockConditionViolations returns every pair (a, b) with a -> b but not
// LT(a) < LT(b). It is empty for a correct clock.
func (r *Run) ClockConditionViolations() [][2]int {
	var out [][2]int
	h := r.History
	if h == nil {
		return nil
	}
	for a := range r.Stamps {
		for b := range r.Stamps {
			if h.HappensBefore(a, b) && !(r.Stamps[a] < r.Stamps[b]) {
				out = append(out, [2]int{a, b})
			}
		}
	}
	return out
}

// Misleading returns every pair (a, b) with LT(a) < LT(b) although a and b
// are concurrent: the reason the converse of the clock condition fails.
func (r *Run) Misleading() [][2]int {
	var out [][2]int
	h := r.History
	if h == nil {
		return nil
	}
	for a := range r.Stamps {
		for b := range r.Stamps {
			if r.Stamps[a] < r.Stamps[b] && h.Relate(a, b) == history.Concurrent {
				out = append(out, [2]int{a, b})
			}
		}
	}
	return out
}
