package hlc

import (
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/history"
)

// Timestamp is a hybrid logical timestamp.
type Timestamp struct {
	L time.Duration // logical part that tracks physical time
	C uint32        // counter for events with the same L
}

func (t Timestamp) String() string { return fmt.Sprintf("(%v,%d)", t.L, t.C) }

// Less is the order of timestamps: by L, then by C.
func Less(a, b Timestamp) bool { return a.L < b.L || (a.L == b.L && a.C < b.C) }

// Clock is one node's hybrid logical clock; the zero value is ready.
type Clock struct {
	ts Timestamp
}

// Now returns the last timestamp issued.
func (c *Clock) Now() Timestamp { return c.ts }

// Local records a local or send event at physical time pt.
func (c *Clock) Local(pt time.Duration) Timestamp {
	old := c.ts.L
	c.ts.L = max(old, pt)
	if c.ts.L == old {
		c.ts.C++
	} else {
		c.ts.C = 0
	}
	return c.ts
}

// Send records a send event at physical time pt; put the result in the
// message.
func (c *Clock) Send(pt time.Duration) Timestamp { return c.Local(pt) }

// Receive records the receipt, at physical time pt, of a message stamped m.
func (c *Clock) Receive(m Timestamp, pt time.Duration) Timestamp {
	old := c.ts
	c.ts.L = max(old.L, m.L, pt)
	switch {
	case c.ts.L == old.L && c.ts.L == m.L:
		c.ts.C = max(old.C, m.C) + 1
	case c.ts.L == old.L:
		c.ts.C = old.C + 1
	case c.ts.L == m.L:
		c.ts.C = m.C + 1
	default:
		c.ts.C = 0
	}
	return c.ts
}

// Run is the result of replaying a history with hybrid logical clocks.
type Run struct {
	History  *history.History
	Physical []time.Duration // physical clock reading at each event
	Stamps   []Timestamp
}

// Replay runs a hybrid logical clock on every node of h; physical(e) is
// the reading of event e's node's physical clock when e happens.
func Replay(h *history.History, physical func(e int) time.Duration) (*Run, error) {
	if h == nil {
		return nil, fmt.Errorf("hlc: nil history")
	}
	if physical == nil {
		return nil, fmt.Errorf("hlc: nil physical clock function")
	}
	clocks := make([]Clock, len(h.Nodes))
	r := &Run{History: h, Physical: make([]time.Duration, len(h.Events)), Stamps: make([]Timestamp, len(h.Events))}
	for i, ev := range h.Events {
		if ev.Node < 0 || ev.Node >= len(clocks) {
			return nil, fmt.Errorf("hlc: event %d on unknown node %d", i, ev.Node)
		}
		pt := physical(i)
		r.Physical[i] = pt
		if ev.Kind == history.Receive {
			send := h.Messages[ev.Msg].Send
			if send >= i {
				return nil, fmt.Errorf("hlc: event %d receives a message sent later", i)
			}
			r.Stamps[i] = clocks[ev.Node].Receive(r.Stamps[send], pt)
		} else {
			r.Stamps[i] = clocks[ev.Node].Local(pt)
		}
	}
	return r, nil
}

// ClockConditionViolations returns every pair (a, b) with a → b but not
// HLC(a) < HLC(b). It is empty.
func (r *Run) ClockConditionViolations() [][2]int {
	var out [][2]int
	for a := range r.Stamps {
		for b := range r.Stamps {
			if r.History.HappensBefore(a, b) && !Less(r.Stamps[a], r.Stamps[b]) {
				out = append(out, [2]int{a, b})
			}
		}
	}
	return out
}

// MaxDrift is the largest L − pt over all events: how far the logical
// part ran ahead of the local physical clock. It is at most the clock
// skew between nodes.
func (r *Run) MaxDrift() time.Duration {
	var m time.Duration
	for i, s := range r.Stamps {
		m = max(m, s.L-r.Physical[i])
	}
	return m
}
