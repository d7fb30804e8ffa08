package intro

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/dslessons/course/pkg/netsim"
)

// Items returns n seeded numbers in 1..100: the job of the lesson's first
// experiment is to add them up.
func Items(seed uint64, n int) []int {
	r := rand.New(rand.NewPCG(seed, 0x1e550))
	xs := make([]int, n)
	for i := range xs {
		xs[i] = 1 + r.IntN(100)
	}
	return xs
}

// Sum adds xs up on one goroutine: the answer every other method must give.
func Sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}

// SharedResult is the outcome of SharedMemorySum.
type SharedResult struct {
	Total     int   // the shared counter at the end
	PerWorker []int // items each goroutine happened to take (depends on scheduling)
}

// SharedMemorySum is the parallel version, a real-time demo: workers
// goroutines repeatedly take the next item from a shared index and add it
// to a shared total, both guarded by one mutex. Every goroutine sees the
// whole state; the total is always right, but who did how much depends on
// the Go scheduler and differs from run to run.
func SharedMemorySum(items []int, workers int) (SharedResult, error) {
	if workers < 1 || workers > 1024 {
		return SharedResult{}, fmt.Errorf("intro: workers %d not in [1, 1024]", workers)
	}
	var (
		mu    sync.Mutex
		next  int
		total int
		wg    sync.WaitGroup
	)
	per := make([]int, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if next == len(items) {
					mu.Unlock()
					return
				}
				total += items[next]
				next++
				per[w]++
				mu.Unlock()
				runtime.Gosched() // let the others have a go, as real work would
			}
		}()
	}
	wg.Wait()
	return SharedResult{Total: total, PerWorker: per}, nil
}

// MessageSumConfig configures the distributed version: Workers nodes each
// hold a share of the items (item i lives on worker i mod Workers) and
// nothing else. A coordinator asks every worker for its partial sum and
// adds up the replies. Messages take 1–5ms, are lost with probability Loss
// and delivered twice with probability Duplicate. Without Retry the
// coordinator waits Timeout once; with Retry it asks the workers that have
// not answered again, every Timeout, up to Attempts rounds in all. Crash
// names a worker that is down throughout. Coordinator is the coordinator's
// code (nil: Coordinate).
type MessageSumConfig struct {
	Seed        uint64
	Items       int // 0 means 1000
	Workers     int // 0 means 4
	Loss        float64
	Duplicate   float64
	Retry       bool
	Attempts    int         // 0 means 10
	Timeout     netsim.Time // 0 means 20ms
	Crash       netsim.NodeID
	Coordinator CoordinatorFunc
}

// Partial is one worker's share of the picture.
type Partial struct {
	Node  netsim.NodeID
	Items int
	Sum   int
}

// MessageSumResult is the outcome of MessageSum.
type MessageSumResult struct {
	Config   MessageSumConfig
	Expected int             // the true total
	Total    int             // what the coordinator computed
	Partials []Partial       // what each worker holds, in node order
	Missing  []netsim.NodeID // workers the coordinator never heard from
	Rounds   int             // rounds of queries the coordinator sent
	Messages uint64          // messages sent
	Lost     uint64          // messages lost
	// Time is when the coordinator stopped waiting: when the last answer
	// arrived if every worker answered, else when its last window closed.
	Time netsim.Time
}

// Complete reports whether every worker's partial sum arrived.
func (r MessageSumResult) Complete() bool { return len(r.Missing) == 0 }

func (r MessageSumResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "coordinator's total %d (true total %d) after %v, %d messages sent, %d lost",
		r.Total, r.Expected, r.Time, r.Messages, r.Lost)
	if len(r.Missing) > 0 {
		var ms []string
		for _, m := range r.Missing {
			ms = append(ms, string(m))
		}
		fmt.Fprintf(&b, "; no answer from %s — lost, slow or crashed? it cannot tell", strings.Join(ms, ", "))
	}
	return b.String()
}

// SumQuery asks a worker for its partial sum, in the coordinator's
// Round-th round of asking.
type SumQuery struct{ Round int }

// SumReply is a worker's answer: the sum of its items and how many it has.
type SumReply struct{ Sum, Items int }

// Coordinator is the coordinator's state in MessageSum: what it knows and
// how it is configured. A CoordinatorFunc updates it, one event at a time.
type Coordinator struct {
	Workers  []netsim.NodeID // whom to ask: w1, w2, …
	Answered []bool          // Answered[i]: the partial sum of Workers[i] has been added
	Total    int             // the sum of the partial sums added so far
	Rounds   int             // rounds of queries sent so far
	Retry    bool            // ask the silent workers again after Timeout, else give up
	Attempts int             // at most this many rounds
	Timeout  netsim.Time
	// Finished is when the coordinator stopped waiting: the arrival of
	// the last answer it added, or the moment it gave up.
	Finished netsim.Time
}

// Index returns the position of worker id in Workers, or -1.
func (c *Coordinator) Index(id netsim.NodeID) int { return slices.Index(c.Workers, id) }

// AllAnswered reports whether every worker's partial sum has been added.
func (c *Coordinator) AllAnswered() bool { return !slices.Contains(c.Answered, false) }

// CoordinatorFunc is a coordinator's code: the simulator calls it with
// every event of the coordinator node (its start, a message delivered to
// it, one of its timers firing), and it reacts by updating c and sending
// messages or setting timers through ctx.
type CoordinatorFunc func(c *Coordinator, ctx *netsim.Context, ev netsim.Event)

// Coordinate is the coordinator of the lesson: at the start it asks every
// worker; each answer it adds once (a duplicate is ignored); when its
// timer fires it asks the workers that are still silent again, or — after
// Attempts rounds, or at once without Retry — gives up with what it has.
func Coordinate(c *Coordinator, ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Timer:
		if c.AllAnswered() {
			return // every answer is in
		}
		if ev.Kind == netsim.Timer && (!c.Retry || c.Rounds >= c.Attempts) {
			c.Finished = ctx.Now() // give up: report what we have
			return
		}
		c.Rounds++
		for i, w := range c.Workers {
			if !c.Answered[i] {
				ctx.Send(w, SumQuery{Round: c.Rounds})
			}
		}
		ctx.SetTimer(c.Timeout, nil)
	case netsim.Receive:
		reply, ok := ev.Msg.(SumReply)
		i := c.Index(ev.From)
		if !ok || i < 0 || c.Answered[i] {
			return // not an answer, or a duplicate: adding it twice would be wrong
		}
		c.Answered[i] = true
		c.Total += reply.Sum
		c.Finished = ctx.Now()
	}
}

// MessageSum runs the distributed version on the simulator.
func MessageSum(cfg MessageSumConfig) (MessageSumResult, error) {
	if cfg.Items == 0 {
		cfg.Items = 1000
	}
	if cfg.Workers == 0 {
		cfg.Workers = 4
	}
	if cfg.Attempts == 0 {
		cfg.Attempts = 10
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * netsim.Millisecond
	}
	if cfg.Items < 1 || cfg.Items > 1_000_000 || cfg.Workers < 1 || cfg.Workers > 100 || cfg.Attempts < 1 || cfg.Attempts > 1000 || cfg.Timeout < 0 {
		return MessageSumResult{}, fmt.Errorf("intro: message-sum config: items %d, workers %d, attempts %d, timeout %v: want items in [1, 1e6], workers in [1, 100], attempts in [1, 1000], timeout >= 0",
			cfg.Items, cfg.Workers, cfg.Attempts, cfg.Timeout)
	}
	if !(cfg.Loss >= 0 && cfg.Loss <= 1) || !(cfg.Duplicate >= 0 && cfg.Duplicate <= 1) {
		return MessageSumResult{}, fmt.Errorf("intro: loss probability %v and duplicate probability %v: want both in [0,1]", cfg.Loss, cfg.Duplicate)
	}
	items := Items(cfg.Seed, cfg.Items)
	res := MessageSumResult{Config: cfg, Expected: Sum(items)}
	ids := make([]netsim.NodeID, cfg.Workers)
	for w := range ids {
		ids[w] = netsim.NodeID(fmt.Sprintf("w%d", w+1))
	}
	if cfg.Crash != "" && !slices.Contains(ids, cfg.Crash) {
		return res, fmt.Errorf("intro: crash %q: no such worker; want one of w1…w%d", cfg.Crash, cfg.Workers)
	}
	sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true, DefaultLink: netsim.Link{
		Loss: cfg.Loss, Duplicate: cfg.Duplicate, Delay: netsim.Uniform(netsim.Millisecond, 5*netsim.Millisecond)}})
	if err != nil {
		return res, err
	}
	handle := cfg.Coordinator
	if handle == nil {
		handle = Coordinate
	}
	c := &Coordinator{Workers: ids, Answered: make([]bool, len(ids)), Retry: cfg.Retry, Attempts: cfg.Attempts, Timeout: cfg.Timeout}
	if err := sim.AddNode("coordinator", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) { handle(c, ctx, ev) })); err != nil {
		return res, err
	}
	for w, id := range ids {
		var mine []int
		for i := w; i < len(items); i += cfg.Workers {
			mine = append(mine, items[i])
		}
		p := Partial{Node: id, Items: len(mine), Sum: Sum(mine)}
		res.Partials = append(res.Partials, p)
		err := sim.AddNode(id, netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind == netsim.Receive {
				ctx.Send(ev.From, SumReply{p.Sum, p.Items})
			}
		}))
		if err != nil {
			return res, err
		}
	}
	if cfg.Crash != "" {
		if err := sim.At(0).Crash(cfg.Crash); err != nil {
			return res, err
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return res, fmt.Errorf("intro: message sum (seed %d): %w", cfg.Seed, err)
	}
	for w, ok := range c.Answered {
		if !ok && w < len(ids) {
			res.Missing = append(res.Missing, ids[w])
		}
	}
	res.Total, res.Rounds, res.Time = c.Total, c.Rounds, c.Finished
	st := sim.Stats()
	res.Messages, res.Lost = st.Sent, st.Lost
	return res, nil
}
