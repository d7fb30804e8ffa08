package lamport

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/history"
)

// Timestamp is a Lamport timestamp: a logical counter value.
type Timestamp uint64

// Clock is one node's Lamport clock. The zero value is a clock at 0, ready
// to use. It follows the rules of Lamport (1978) as stated in the course:
//
//   - every event increments the counter;
//   - a sent message carries the counter value after the increment;
//   - on receipt, the counter becomes max(own, received) + 1.
type Clock struct {
	t Timestamp
}

// Now returns the current counter without changing it.
func (c *Clock) Now() Timestamp { return c.t }

// Local records a local event and returns its timestamp.
func (c *Clock) Local() Timestamp {
	c.t++
	return c.t
}

// Send records a send event and returns the timestamp to put in the message
// (which is also the send event's timestamp).
func (c *Clock) Send() Timestamp {
	c.t++
	return c.t
}

// Receive records the receipt of a message that carried timestamp msg and
// returns the receive event's timestamp, max(own, msg) + 1.
func (c *Clock) Receive(msg Timestamp) Timestamp {
	c.t = max(c.t, msg) + 1
	return c.t
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

// ReplayWith is Replay with a custom receive rule (local and send events
// still increment by one).
func ReplayWith(h *history.History, receive ReceiveRule) (*Run, error) {
	if h == nil {
		return nil, fmt.Errorf("lamport: nil history")
	}
	if receive == nil {
		return nil, fmt.Errorf("lamport: nil receive rule")
	}
	clocks := make([]Timestamp, len(h.Nodes))
	r := &Run{History: h, Stamps: make([]Timestamp, len(h.Events)), After: make([][]Timestamp, len(h.Events))}
	for i, ev := range h.Events {
		switch ev.Kind {
		case history.Receive:
			msg := h.Messages[ev.Msg]
			clocks[ev.Node] = receive(clocks[ev.Node], r.Stamps[msg.Send])
		default:
			clocks[ev.Node]++
		}
		r.Stamps[i] = clocks[ev.Node]
		r.After[i] = append([]Timestamp(nil), clocks...)
	}
	return r, nil
}

// Stamp returns the timestamp of the event labelled label.
func (r *Run) Stamp(label string) (Timestamp, error) {
	e, err := r.History.EventByLabel(label)
	if err != nil {
		return 0, fmt.Errorf("lamport: %w", err)
	}
	return r.Stamps[e], nil
}

// State formats the clocks after event e the way the course notes do:
// "[A(1), B(0), C(0), D(0)]". Use e = -1 for the initial state.
func (r *Run) State(e int) string {
	parts := make([]string, len(r.History.Nodes))
	for n, name := range r.History.Nodes {
		var v Timestamp
		if e >= 0 && e < len(r.After) {
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
	for e := range r.History.Events {
		d := r.History.Describe(e)
		if i := strings.Index(d, ": "); i >= 0 {
			d = d[i+2:]
		}
		rows = append(rows, []string{r.History.Name(e), d, fmt.Sprint(r.Stamps[e]), r.State(e)})
	}
	return header, rows
}

// Less is the order of Lamport timestamps as a relation on events:
// LT(a) < LT(b).
func (r *Run) Less(a, b int) bool { return r.Stamps[a] < r.Stamps[b] }

// TotalLess is Lamport's total order: timestamps first, node index to
// break ties. It extends happens-before to a strict total order.
func (r *Run) TotalLess(a, b int) bool {
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
	for a := range h.Events {
		for b := range h.Events {
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
	for a := range h.Events {
		for b := range h.Events {
			if r.Stamps[a] < r.Stamps[b] && h.Relate(a, b) == history.Concurrent {
				out = append(out, [2]int{a, b})
			}
		}
	}
	return out
}
