package vclock

import "fmt"

// Clock is the vector clock that node Self of N nodes keeps. Create it
// with NewClock. The methods return the vector timestamp of the event they
// record; the returned VC is a copy, safe to keep or to put in a message.
type Clock struct {
	self int
	v    VC
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

// Self returns the index of the node that owns the clock.
func (c *Clock) Self() int { return c.self }

// Now returns a copy of the current vector.
func (c *Clock) Now() VC { return c.v.Clone() }

// Local records a local event: V[self]++.
func (c *Clock) Local() VC {
	c.v[c.self]++
	return c.v.Clone()
}

// Send records a send event (V[self]++) and returns the vector to put in
// the message.
func (c *Clock) Send() VC { return c.Local() }

// Receive records the receipt of a message that carried msg: the clock
// becomes the entry-wise maximum of itself and msg, then V[self]++. A msg
// longer than the clock is an error (it names a node this clock does not
// know); a shorter one is padded with zeros.
func (c *Clock) Receive(msg VC) (VC, error) {
	if len(msg) > len(c.v) {
		return nil, fmt.Errorf("vclock: message vector has %d entries, clock has %d", len(msg), len(c.v))
	}
	c.v = Merge(c.v, msg)
	c.v[c.self]++
	return c.v.Clone(), nil
}
