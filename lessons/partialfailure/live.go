package partialfailure

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/netsim/live"
)

// The race experiment: a reply takes RaceDelay each way, the client waits
// RaceTimeout. A round trip takes between 16 and 24 ms, so the timer and
// the reply race each other: in half the requests or so the timer wins.
var RaceDelay = netsim.Uniform(8*netsim.Millisecond, 12*netsim.Millisecond)

// RaceTimeout is the client's timer in the race experiment.
const RaceTimeout = 20 * netsim.Millisecond

// raceClient sends requests one after another; for each it sets a timer
// and records whether the timer or the reply came first, then waits for
// the reply before sending the next.
type raceClient struct {
	n, sent, timerFirst int
	timer               netsim.TimerID
	fired               bool
}

func (c *raceClient) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		c.send(ctx)
	case netsim.Timer:
		if ev.Timer == c.timer {
			c.fired = true
			c.timerFirst++
		}
	case netsim.Receive:
		if r, ok := ev.Msg.(Response); ok && int(r.ID) == c.sent {
			if !c.fired {
				ctx.CancelTimer(c.timer)
			}
			c.send(ctx)
		}
	}
}

func (c *raceClient) send(ctx *netsim.Context) {
	if c.sent >= c.n {
		return
	}
	c.sent++
	c.fired = false
	ctx.Send(ServerID, Request{ID: RequestID(c.sent), Amount: 10})
	c.timer = ctx.SetTimer(RaceTimeout, nil)
}

// RaceOnSimulator runs the race experiment on the simulator: requests
// requests, one after another, each with a RaceTimeout timer, and returns
// how often the timer fired before the reply. The same seed gives the
// same count every time.
func RaceOnSimulator(seed uint64, requests int) (timerFirst int, err error) {
	if requests < 1 || requests > 100_000 {
		return 0, fmt.Errorf("partialfailure: %d requests: want 1..100000", requests)
	}
	sim, err := netsim.New(netsim.Config{Seed: seed, NoTrace: true, DefaultLink: netsim.Link{Delay: RaceDelay}})
	if err != nil {
		return 0, fmt.Errorf("partialfailure: %w", err)
	}
	c := &raceClient{n: requests}
	if err := sim.AddNode(ClientID, c); err != nil {
		return 0, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.AddNode(ServerID, &Server{Handler: NaiveHandler}); err != nil {
		return 0, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return 0, fmt.Errorf("partialfailure: race (seed %d): %w", seed, err)
	}
	return c.timerFirst, nil
}

// LiveConfig configures StartLive: the server's handler and the two links'
// faults (each direction loses a message with probability Loss and delays
// it by Delay; the request link is seeded with Seed, the reply link with
// Seed+1).
type LiveConfig struct {
	Seed    uint64
	Loss    float64
	Delay   netsim.Delay
	Handler Handler // nil means NaiveHandler
}

// LiveNet is the lesson's server running as a goroutine in real time,
// behind two lossy live links: the client writes requests to
// Requests.Send() and reads replies from Replies.Recv().
type LiveNet struct {
	Requests *live.Link[Request]
	Replies  *live.Link[Response]

	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	acc    Account
	stop   sync.Once
}

// StartLive starts the server goroutine and its links. They run until ctx
// is cancelled or Stop is called.
func StartLive(ctx context.Context, cfg LiveConfig) (*LiveNet, error) {
	if ctx == nil {
		return nil, errors.New("partialfailure: nil context")
	}
	ctx, cancel := context.WithCancel(ctx)
	req, err := live.NewLink[Request](ctx, live.Config{Seed: cfg.Seed, Loss: cfg.Loss, Delay: cfg.Delay})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	rep, err := live.NewLink[Response](ctx, live.Config{Seed: cfg.Seed + 1, Loss: cfg.Loss, Delay: cfg.Delay})
	if err != nil {
		cancel()
		<-req.Done()
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	h := cfg.Handler
	if h == nil {
		h = NaiveHandler
	}
	n := &LiveNet{Requests: req, Replies: rep, cancel: cancel, done: make(chan struct{})}
	go func() { // the server: one goroutine, one request at a time
		defer close(n.done)
		for r := range req.Recv() {
			n.mu.Lock()
			resp := h(&n.acc, r)
			n.mu.Unlock()
			select {
			case rep.Send() <- resp:
			case <-ctx.Done():
				return
			}
		}
	}()
	return n, nil
}

// Stop stops the server and both links, waits until all their goroutines
// have exited, and returns the server's account. It may be called more
// than once.
func (n *LiveNet) Stop() Account {
	n.stop.Do(func() {
		n.cancel()
		<-n.done
		<-n.Requests.Done()
		<-n.Replies.Done()
	})
	n.mu.Lock()
	defer n.mu.Unlock()
	return cloneAccount(n.acc)
}
