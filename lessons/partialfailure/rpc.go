package partialfailure

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// Node names used by every experiment of the lesson.
const (
	ClientID netsim.NodeID = "client"
	ServerID netsim.NodeID = "server"
)

// RequestID names one logical request of a client. A retry carries the
// same ID as the attempt it repeats.
type RequestID uint64

// Request asks the server to add Amount to the balance.
type Request struct {
	ID     RequestID
	Amount int
}

func (r Request) String() string { return fmt.Sprintf("deposit %d [r%d]", r.Amount, r.ID) }

// Response answers the request with the same ID and reports the balance
// after it.
type Response struct {
	ID      RequestID
	Balance int
}

func (r Response) String() string { return fmt.Sprintf("ok balance=%d [r%d]", r.Balance, r.ID) }

// Account is the server's state: the balance and, for a server that
// deduplicates, the response it gave to every request ID it has applied.
// Seen is only ever used for look-ups, never iterated.
type Account struct {
	Balance int
	Seen    map[RequestID]Response
}

// Handler is the server's request handler: it applies req to acc (or
// not) and returns the response to send back. The server sends whatever
// Handler returns, once per delivered request.
type Handler func(acc *Account, req Request) Response

// NaiveHandler applies every request it receives: a retried deposit is
// deposited again.
func NaiveHandler(acc *Account, req Request) Response {
	acc.Balance += req.Amount
	return Response{ID: req.ID, Balance: acc.Balance}
}

// DedupHandler applies each request ID at most once. A request whose ID
// was seen before is answered with the stored response and changes
// nothing, so at-least-once delivery gives an exactly-once effect.
func DedupHandler(acc *Account, req Request) Response {
	if r, ok := acc.Seen[req.ID]; ok {
		return r
	}
	acc.Balance += req.Amount
	r := Response{ID: req.ID, Balance: acc.Balance}
	if acc.Seen == nil {
		acc.Seen = map[RequestID]Response{}
	}
	acc.Seen[req.ID] = r
	return r
}

// Server is the server's state machine. A delivered Request is processed
// for Processing (a timer; during that time other requests are processed
// in parallel), then Handler runs and its Response goes back to the
// sender. Account survives a crash, like data on disk.
type Server struct {
	Handler    Handler
	Processing netsim.Time
	Account    Account
	Received   int // requests delivered, including retries and duplicates
}

type processing struct {
	from netsim.NodeID
	req  Request
}

// Handle implements netsim.Node.
func (s *Server) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Receive:
		req, ok := ev.Msg.(Request)
		if !ok {
			return
		}
		s.Received++
		if s.Processing == 0 {
			s.reply(ctx, ev.From, req)
			return
		}
		ctx.SetTimer(s.Processing, processing{ev.From, req})
	case netsim.Timer:
		if p, ok := ev.Msg.(processing); ok {
			s.reply(ctx, p.from, p.req)
		}
	}
}

func (p processing) String() string { return "process r" + fmt.Sprint(p.req.ID) }

func (s *Server) reply(ctx *netsim.Context, to netsim.NodeID, req Request) {
	h := s.Handler
	if h == nil {
		h = NaiveHandler
	}
	ctx.Send(to, h(&s.Account, req))
}

// ClientConfig describes what a client does: Deposits sequential
// deposits of Amount each; each attempt waits Timeout for the response
// and a request is tried at most MaxAttempts times (1 = never retry).
type ClientConfig struct {
	Deposits    int
	Amount      int
	Timeout     netsim.Time
	MaxAttempts int
}

// Validate checks the configuration.
func (c ClientConfig) Validate() error {
	switch {
	case c.Deposits < 1:
		return fmt.Errorf("partialfailure: %d deposits: want at least 1", c.Deposits)
	case c.Amount <= 0:
		return fmt.Errorf("partialfailure: deposit amount %d: want > 0", c.Amount)
	case c.Timeout <= 0:
		return fmt.Errorf("partialfailure: timeout %v: want > 0", c.Timeout)
	case c.MaxAttempts < 1:
		return fmt.Errorf("partialfailure: %d attempts per request: want at least 1", c.MaxAttempts)
	}
	return nil
}

// Client is the client's state machine: it sends its deposits one after
// another; after each send it sets a timer, and when the timer fires
// before the response it retries (same request ID) or, after MaxAttempts
// attempts, gives up and moves on. Responses that do not answer the
// current request (late answers to an earlier attempt) are ignored.
type Client struct {
	Config ClientConfig

	cur     int // index of the current deposit (0-based)
	attempt int // attempts of the current deposit so far
	timer   netsim.TimerID
	done    bool

	// Attempts[i] is how many times deposit i was sent.
	Attempts []int
	Acked    int // deposits whose response arrived
	GaveUp   int // deposits abandoned after MaxAttempts timeouts
	Timeouts int // timer firings
}

type timeout struct {
	id      RequestID
	attempt int
}

func (t timeout) String() string { return fmt.Sprintf("timeout r%d", t.id) }

// Done reports whether the client has finished all its deposits.
func (c *Client) Done() bool { return c.done }

// Handle implements netsim.Node.
func (c *Client) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		c.Attempts = make([]int, c.Config.Deposits)
		c.send(ctx)
	case netsim.Timer:
		t, ok := ev.Msg.(timeout)
		if !ok || c.done || t.id != c.id() || t.attempt != c.attempt {
			return
		}
		c.Timeouts++
		if c.attempt < c.Config.MaxAttempts {
			c.send(ctx)
			return
		}
		c.GaveUp++
		c.next(ctx)
	case netsim.Receive:
		r, ok := ev.Msg.(Response)
		if !ok || c.done || r.ID != c.id() {
			return
		}
		ctx.CancelTimer(c.timer)
		c.Acked++
		c.next(ctx)
	}
}

func (c *Client) id() RequestID { return RequestID(c.cur + 1) }

func (c *Client) send(ctx *netsim.Context) {
	c.attempt++
	c.Attempts[c.cur]++
	ctx.Send(ServerID, Request{ID: c.id(), Amount: c.Config.Amount})
	c.timer = ctx.SetTimer(c.Config.Timeout, timeout{c.id(), c.attempt})
}

func (c *Client) next(ctx *netsim.Context) {
	c.cur++
	c.attempt = 0
	if c.cur >= c.Config.Deposits {
		c.done = true
		return
	}
	c.send(ctx)
}
