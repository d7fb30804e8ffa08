package vclock

import (
	"errors"
	"fmt"
	"math"
)

// Clock is the vector clock that node Self of N nodes keeps. Create it
// with NewClock. The methods return the vector timestamp of the event they
// record; the returned VC is a copy, safe to keep or to put in a message.
//
// Entries never wrap: Receive returns an error if the clock's own entry
// would pass the largest uint64, and Local and Send, which cannot return
// one, leave the clock at that value and report it through Err. The zero
// Clock is not usable: its methods return nil and Err says so.
type Clock struct {
	self int
	v    VC
	err  error
}

// NewClock returns the clock of node self among n nodes, at the zero vector.
func NewClock(n, self int) (*Clock, error) {
	v, err := New(n)
	if err != nil {
		return nil, err
	}
	if self < 0 || self >= n {
		return nil, fmt.Errorf("vclock: node index %d not in [0,%d)", self, n)
	}
	return &Clock{self: self, v: v}, nil
}

// errZeroClock is what a zero Clock reports.
var errZeroClock = errors.New("vclock: zero Clock, create one with NewClock")

// Self returns the index of the node that owns the clock.
func (c *Clock) Self() int { return c.self }

// Now returns a copy of the current vector.
func (c *Clock) Now() VC { return c.v.Clone() }

// Err reports misuse: a zero Clock, or an own entry that reached the
// largest uint64 and stopped growing (so timestamps are no longer
// ordered). It is nil for a clock that has neither problem.
func (c *Clock) Err() error {
	if c.v == nil {
		return errZeroClock
	}
	return c.err
}

// Local records a local event: V[self]++.
func (c *Clock) Local() VC {
	if c.v == nil {
		return nil
	}
	if c.v[c.self] == math.MaxUint64 {
		c.err = fmt.Errorf("vclock: entry %d reached its maximum %d; later timestamps are no longer ordered", c.self, uint64(math.MaxUint64))
	} else {
		c.v[c.self]++
	}
	return c.v.Clone()
}

// Send records a send event (V[self]++) and returns the vector to put in
// the message.
func (c *Clock) Send() VC { return c.Local() }

// Receive records the receipt of a message that carried msg: the clock
// becomes the entry-wise maximum of itself and msg, then V[self]++. A msg
// longer than the clock is an error (it names a node this clock does not
// know); a shorter one is padded with zeros. If V[self] would pass the
// largest uint64, Receive returns an error and leaves the clock unchanged.
func (c *Clock) Receive(msg VC) (VC, error) {
	if c.v == nil {
		return nil, errZeroClock
	}
	if len(msg) > len(c.v) {
		return nil, fmt.Errorf("vclock: message vector has %d entries, clock has %d", len(msg), len(c.v))
	}
	own := c.v[c.self]
	if c.self < len(msg) {
		own = max(own, msg[c.self])
	}
	if own == math.MaxUint64 {
		return nil, fmt.Errorf("vclock: receiving %v would take entry %d past its maximum %d", msg, c.self, uint64(math.MaxUint64))
	}
	c.v = Merge(c.v, msg)
	c.v[c.self]++
	return c.v.Clone(), nil
}
