package intro

import (
	"fmt"
	"math"

	"github.com/dslessons/course/pkg/netsim"
)

// UnreliableConfig configures the "network is reliable" experiment: a
// client sends Requests requests, one at a time, to a server over links
// that lose each message with probability p, for every p in Losses. The
// naive client sends each request once; if no reply arrives within
// Timeout it gives up on that request. The retrying client sends it up to
// Attempts times.
type UnreliableConfig struct {
	Seed     uint64
	Requests int         // requests per loss rate; 0 means 2000
	Losses   []float64   // loss probabilities per message; nil means 0, 0.05, …, 0.3
	Attempts int         // attempts of the retrying client; 0 means 3
	Timeout  netsim.Time // wait for a reply; 0 means 10ms (the round trip is 2–6ms)
}

// UnreliablePoint is the outcome for one loss probability.
type UnreliablePoint struct {
	Loss                     float64
	Naive, Retrying          float64 // fraction of requests that got a reply
	NaiveFormula, RetryModel float64 // (1-p)², 1-(1-(1-p)²)^attempts
	RetryingMessages         int     // messages the retrying client sent
}

// UnreliableResult is the outcome of RunUnreliable.
type UnreliableResult struct {
	Config UnreliableConfig // with defaults filled in
	Points []UnreliablePoint
}

func (c UnreliableConfig) withDefaults() (UnreliableConfig, error) {
	if c.Requests == 0 {
		c.Requests = 2000
	}
	if c.Losses == nil {
		c.Losses = []float64{0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3}
	}
	if c.Attempts == 0 {
		c.Attempts = 3
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * netsim.Millisecond
	}
	if c.Requests < 1 || c.Requests > 1_000_000 {
		return c, fmt.Errorf("intro: requests %d not in [1, 1000000]", c.Requests)
	}
	if c.Attempts < 1 || c.Attempts > 100 {
		return c, fmt.Errorf("intro: attempts %d not in [1, 100]", c.Attempts)
	}
	if c.Timeout < 0 {
		return c, fmt.Errorf("intro: timeout %v is negative", c.Timeout)
	}
	for _, p := range c.Losses {
		if !(p >= 0 && p <= 1) {
			return c, fmt.Errorf("intro: loss probability %v not in [0,1]", p)
		}
	}
	return c, nil
}

type request struct{ ID, Attempt int }
type reply struct{ ID int }

// client sends n requests one after another, each up to attempts times.
type client struct {
	n, attempts int
	timeout     netsim.Time
	next        int // request in progress
	attempt     int
	timer       netsim.TimerID
	ok          int
	sent        int
}

func (c *client) send(ctx *netsim.Context) {
	if c.next >= c.n {
		return
	}
	c.attempt++
	c.sent++
	ctx.Send("server", request{c.next, c.attempt})
	c.timer = ctx.SetTimer(c.timeout, c.next)
}

func (c *client) advance(ctx *netsim.Context) {
	c.next++
	c.attempt = 0
	c.send(ctx)
}

func (c *client) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		c.send(ctx)
	case netsim.Receive:
		if r, ok := ev.Msg.(reply); ok && r.ID == c.next {
			ctx.CancelTimer(c.timer)
			c.ok++
			c.advance(ctx)
		}
	case netsim.Timer:
		if ev.Timer != c.timer {
			return
		}
		if c.attempt < c.attempts {
			c.send(ctx) // retry
		} else {
			c.advance(ctx) // give up on this one
		}
	}
}

func echoServer(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Receive {
		if r, ok := ev.Msg.(request); ok {
			ctx.Send(ev.From, reply{r.ID})
		}
	}
}

// runClient runs one client against the echo server and returns the
// number of requests answered and messages the client sent.
func runClient(seed uint64, loss float64, n, attempts int, timeout netsim.Time) (ok, sent int, err error) {
	sim, err := netsim.New(netsim.Config{Seed: seed, NoTrace: true, DefaultLink: netsim.Link{
		Loss: loss, Delay: netsim.Uniform(netsim.Millisecond, 3*netsim.Millisecond)}})
	if err != nil {
		return 0, 0, err
	}
	c := &client{n: n, attempts: attempts, timeout: timeout}
	if err := sim.AddNode("client", c); err != nil {
		return 0, 0, err
	}
	if err := sim.AddNode("server", netsim.NodeFunc(echoServer)); err != nil {
		return 0, 0, err
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return 0, 0, err
	}
	return c.ok, c.sent, nil
}

// RunUnreliable runs the naive and the retrying client for every loss
// probability.
func RunUnreliable(cfg UnreliableConfig) (UnreliableResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return UnreliableResult{}, err
	}
	res := UnreliableResult{Config: cfg}
	for _, p := range cfg.Losses {
		naive, _, err := runClient(cfg.Seed, p, cfg.Requests, 1, cfg.Timeout)
		if err != nil {
			return res, err
		}
		retry, msgs, err := runClient(cfg.Seed, p, cfg.Requests, cfg.Attempts, cfg.Timeout)
		if err != nil {
			return res, err
		}
		once := (1 - p) * (1 - p)
		res.Points = append(res.Points, UnreliablePoint{
			Loss:             p,
			Naive:            float64(naive) / float64(cfg.Requests),
			Retrying:         float64(retry) / float64(cfg.Requests),
			NaiveFormula:     once,
			RetryModel:       1 - math.Pow(1-once, float64(cfg.Attempts)),
			RetryingMessages: msgs,
		})
	}
	return res, nil
}

// Table returns the result as a table.
func (r UnreliableResult) Table() (header []string, rows [][]string) {
	header = []string{"loss p", "naive: answered", "(1-p)²", fmt.Sprintf("%d attempts: answered", r.Config.Attempts), "model", "messages sent"}
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprintf("%.2f", p.Loss), pct(p.Naive), pct(p.NaiveFormula),
			pct(p.Retrying), pct(p.RetryModel), fmt.Sprint(p.RetryingMessages)})
	}
	return header, rows
}
