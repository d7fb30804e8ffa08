package clocksync

import (
	"fmt"
	"time"
)

// Request is the message an NTP client sends.
type Request struct {
	Seq uint64        // request number, echoed in the response
	T1  time.Duration // client clock when sending
}

// Response is the message an NTP server returns.
type Response struct {
	Seq uint64        // the request's Seq
	T1  time.Duration // echoed from the request (NTP's origin timestamp)
	T2  time.Duration // server clock when the request arrived
	T3  time.Duration // server clock when sending this response
}

// Respond is the whole NTP server: it stamps the request with the time it
// arrived (t2) and the time the response leaves (t3), both read on the
// server's clock.
func Respond(req Request, t2, t3 time.Duration) Response {
	return Response{Seq: req.Seq, T1: req.T1, T2: t2, T3: t3}
}

// Sample is one completed exchange as the client sees it.
type Sample struct {
	Exchange
	Offset time.Duration // Exchange.Offset()
	Delay  time.Duration // Exchange.Delay()
}

func (s Sample) String() string {
	return fmt.Sprintf("offset %v delay %v", s.Offset, s.Delay)
}

// ClientConfig configures an NTP client.
type ClientConfig struct {
	// Filter is how many recent samples Best chooses from; 0 means 8, as
	// in NTP's clock filter. [0, 1024].
	Filter int
}

// Client is the NTP client state machine. It keeps one outstanding
// request: a response that does not echo it is rejected, as NTP rejects
// bogus or duplicate packets.
type Client struct {
	cfg     ClientConfig
	seq     uint64
	waiting bool
	t1      time.Duration
	samples []Sample
}

// NewClient validates cfg and returns a client.
func NewClient(cfg ClientConfig) (*Client, error) {
	if cfg.Filter < 0 || cfg.Filter > 1024 {
		return nil, fmt.Errorf("clocksync: filter size %d not in [0,1024] (0 means 8)", cfg.Filter)
	}
	if cfg.Filter == 0 {
		cfg.Filter = 8
	}
	return &Client{cfg: cfg}, nil
}

// Request starts an exchange at client clock reading t1 and returns the
// message to send. An earlier unanswered request is forgotten.
func (c *Client) Request(t1 time.Duration) Request {
	c.seq++
	c.waiting, c.t1 = true, t1
	return Request{Seq: c.seq, T1: t1}
}

// Receive completes the exchange with a response that arrived at client
// clock reading t4.
func (c *Client) Receive(resp Response, t4 time.Duration) (Sample, error) {
	if !c.waiting || resp.Seq != c.seq || resp.T1 != c.t1 {
		return Sample{}, fmt.Errorf("clocksync: response %d does not answer the outstanding request (%d, waiting %v): stale, duplicate or bogus", resp.Seq, c.seq, c.waiting)
	}
	e := Exchange{T1: c.t1, T2: resp.T2, T3: resp.T3, T4: t4}
	if err := e.Validate(); err != nil {
		return Sample{}, err
	}
	c.waiting = false
	s := Sample{Exchange: e, Offset: e.Offset(), Delay: e.Delay()}
	c.samples = append(c.samples, s)
	if len(c.samples) > c.cfg.Filter {
		c.samples = c.samples[len(c.samples)-c.cfg.Filter:]
	}
	return s, nil
}

// Best returns the sample with the smallest delay among the last Filter
// ones (the earliest one on ties): the smaller the delay, the smaller the
// possible asymmetry error. ok is false before the first sample.
func (c *Client) Best() (s Sample, ok bool) {
	for i, x := range c.samples {
		if i == 0 || x.Delay < s.Delay {
			s = x
		}
	}
	return s, len(c.samples) > 0
}

// Samples returns a copy of the samples Best chooses from, oldest first.
func (c *Client) Samples() []Sample { return append([]Sample(nil), c.samples...) }

// Forget drops all samples, e.g. after the clock was stepped and old
// offsets no longer apply.
func (c *Client) Forget() { c.samples = c.samples[:0] }
