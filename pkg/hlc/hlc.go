package hlc

import (
	"fmt"
	"math"
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

// MaxCounter is the largest C. Reaching it takes 2^32 events without the
// physical clock moving past L: a stopped physical clock, or a peer
// sending timestamps far in the future. The clock then refuses to stamp
// more events (an error) rather than wrap C to 0, which would give a
// timestamp smaller than the one before.
const MaxCounter = math.MaxUint32

// Clock is one node's hybrid logical clock; the zero value is ready.
type Clock struct {
	ts Timestamp
}

// Now returns the last timestamp issued.
func (c *Clock) Now() Timestamp { return c.ts }

// Local records a local or send event at physical time pt. It fails,
// leaving the clock unchanged, if the counter would pass MaxCounter.
func (c *Clock) Local(pt time.Duration) (Timestamp, error) {
	if pt > c.ts.L {
		c.ts = Timestamp{L: pt}
		return c.ts, nil
	}
	if c.ts.C == MaxCounter {
		return c.ts, fmt.Errorf("hlc: counter at its maximum %d with L=%v and the physical clock at %v: cannot stamp another event", uint32(MaxCounter), c.ts.L, pt)
	}
	c.ts.C++
	return c.ts, nil
}

// Send records a send event at physical time pt; put the result in the
// message.
func (c *Clock) Send(pt time.Duration) (Timestamp, error) { return c.Local(pt) }

// Receive records the receipt, at physical time pt, of a message stamped
// m. It fails, leaving the clock unchanged, if the counter would pass
// MaxCounter: the receive stamp is then never smaller than the message's.
func (c *Clock) Receive(m Timestamp, pt time.Duration) (Timestamp, error) {
	old := c.ts
	l := max(old.L, m.L, pt)
	var base uint32 // the counter the receive must exceed
	switch {
	case l == old.L && l == m.L:
		base = max(old.C, m.C)
	case l == old.L:
		base = old.C
	case l == m.L:
		base = m.C
	default:
		c.ts = Timestamp{L: l}
		return c.ts, nil
	}
	if base == MaxCounter {
		return old, fmt.Errorf("hlc: receiving %v at physical time %v would take the counter past its maximum %d", m, pt, uint32(MaxCounter))
	}
	c.ts = Timestamp{L: l, C: base + 1}
	return c.ts, nil
}

// Run is the result of replaying a history with hybrid logical clocks.
type Run struct {
	History  *history.History
	Physical []time.Duration // physical clock reading at each event
	Stamps   []Timestamp
}

// Replay runs a hybrid logical clock on every node of h; physical(e) is
// the reading of event e's node's physical clock when e happens. h must
// pass h.Validate(); a counter overflow, or a physical function that
// panics, is an error.
func Replay(h *history.History, physical func(e int) time.Duration) (r *Run, err error) {
	if h == nil {
		return nil, fmt.Errorf("hlc: nil history")
	}
	if physical == nil {
		return nil, fmt.Errorf("hlc: nil physical clock function")
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("hlc: cannot replay an invalid history: %w", err)
	}
	i := 0
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("hlc: the physical clock function panicked at event %s: %v", h.Name(i), p)
		}
	}()
	clocks := make([]Clock, len(h.Nodes))
	r = &Run{History: h, Physical: make([]time.Duration, len(h.Events)), Stamps: make([]Timestamp, len(h.Events))}
	var ev history.Event
	for i, ev = range h.Events {
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
			r.Stamps[i], err = clocks[ev.Node].Receive(r.Stamps[send], pt)
		} else {
			r.Stamps[i], err = clocks[ev.Node].Local(pt)
		}
		if err != nil {
			return nil, fmt.Errorf("%w (event %s)", err, h.Name(i))
		}
	}
	return r, nil
}

// ClockConditionViolations returns every pair (a, b) with a → b but not
// HLC(a) < HLC(b). It is empty.
func (r *Run) ClockConditionViolations() [][2]int {
	var out [][2]int
	if r.History == nil {
		return nil
	}
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
