package clocksync

import (
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// This file runs the NTP state machines as nodes of the network simulator
// pkg/netsim. Simulated time (netsim.Time, nanoseconds) is the true time
// passed to each node's Clock.

func (r Request) String() string { return fmt.Sprintf("ntp-request seq=%d T1=%v", r.Seq, r.T1) }

func (r Response) String() string {
	return fmt.Sprintf("ntp-response seq=%d T1=%v T2=%v T3=%v", r.Seq, r.T1, r.T2, r.T3)
}

// ServerNode is an NTP server as a netsim node: it answers every Request
// with its Clock's readings, Processing after receiving it.
type ServerNode struct {
	Clock      Clock
	Processing time.Duration // time between receiving and replying; ≥ 0
}

type pendingReply struct {
	to  netsim.NodeID
	req Request
	t2  time.Duration
}

// Handle implements netsim.Node.
func (s *ServerNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	now := time.Duration(ctx.Now())
	switch ev.Kind {
	case netsim.Receive:
		req, ok := ev.Msg.(Request)
		if !ok || s.Clock == nil {
			return
		}
		t2 := s.Clock.Read(now)
		if s.Processing <= 0 {
			ctx.Send(ev.From, Respond(req, t2, s.Clock.Read(now)))
			return
		}
		ctx.SetTimer(netsim.Time(s.Processing), pendingReply{to: ev.From, req: req, t2: t2})
	case netsim.Timer:
		if p, ok := ev.Msg.(pendingReply); ok {
			ctx.Send(p.to, Respond(p.req, p.t2, s.Clock.Read(now)))
		}
	}
}

// Applied records one correction a ClientNode made.
type Applied struct {
	At     time.Duration // true (simulated) time
	Sample Sample        // the sample whose offset was applied
}

// ClientNode is an NTP client as a netsim node. Every Poll it runs a
// burst of Burst exchanges with Server, one after the other, then applies
// the offset of the burst's minimum-delay sample with Apply (for example
// a physclock.Wall's Adjust) and starts afresh. A request that gets no
// answer is simply superseded by the next poll.
type ClientNode struct {
	Server netsim.NodeID
	Clock  Clock
	Poll   time.Duration                  // interval between bursts; > 0
	Burst  int                            // exchanges per burst; 0 means 1
	Apply  func(at, offset time.Duration) // nil: only record

	client  *Client
	left    int
	Samples []Sample  // every completed exchange, in order
	Applied []Applied // every correction made, in order
}

type pollTag struct{}

// Handle implements netsim.Node.
func (c *ClientNode) Handle(ctx *netsim.Context, ev netsim.Event) {
	now := time.Duration(ctx.Now())
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		c.client, _ = NewClient(ClientConfig{Filter: max(1, min(c.Burst, 1024))})
		c.poll(ctx, now)
	case netsim.Timer:
		if _, ok := ev.Msg.(pollTag); ok {
			c.poll(ctx, now)
		}
	case netsim.Receive:
		resp, ok := ev.Msg.(Response)
		if !ok || c.client == nil {
			return
		}
		s, err := c.client.Receive(resp, c.Clock.Read(now))
		if err != nil {
			ctx.Logf("%v", err)
			return
		}
		c.Samples = append(c.Samples, s)
		c.left--
		if c.left > 0 {
			ctx.Send(c.Server, c.client.Request(c.Clock.Read(now)))
			return
		}
		best, _ := c.client.Best()
		c.Applied = append(c.Applied, Applied{At: now, Sample: best})
		if c.Apply != nil {
			c.Apply(now, best.Offset)
		}
		c.client.Forget()
	}
}

func (c *ClientNode) poll(ctx *netsim.Context, now time.Duration) {
	if c.Clock == nil || c.Poll <= 0 {
		ctx.Logf("clocksync: client needs a Clock and a positive Poll")
		return
	}
	c.client.Forget()
	c.left = max(1, c.Burst)
	ctx.Send(c.Server, c.client.Request(c.Clock.Read(now)))
	ctx.SetTimer(netsim.Time(c.Poll), pollTag{})
}
