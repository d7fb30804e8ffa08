package retries

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dslessons/course/pkg/retry"
)

// ContentionConfig describes one run of the optimistic-concurrency model.
type ContentionConfig struct {
	Clients int          // N, clients that each must write once; 1…5000
	Policy  retry.Policy // back-off after a failed write
	// Backoff, if set, replaces the policy's rule: it is called with the
	// policy's base and cap (a rule of your own, e.g. from Exercise 3 of
	// notebook 04).
	Backoff BackoffFunc
	NetMean float64 // mean one-way network delay, ms (Brooker: 10)
	NetSD   float64 // its standard deviation, ms (Brooker: 2); 0 = lock-step
	Seed    uint64
}

// BackoffFunc is a back-off rule written as a function: the delay (ms)
// before the retry that follows failure number attempt, for the given base
// and cap, drawing its randomness only from rng.
type BackoffFunc func(base, cap float64, attempt int, rng *rand.Rand) float64

// MaxBackoff (ms) bounds what a BackoffFunc may return: a day.
const MaxBackoff = 86_400_000

// callBackoff calls f, turning a panic or a delay that is not a number in
// [0, MaxBackoff] into an error.
func callBackoff(f BackoffFunc, base, cap float64, attempt int, rng *rand.Rand) (d float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("retries: the back-off function panicked at attempt %d: %v", attempt, r)
		}
	}()
	d = f(base, cap, attempt, rng)
	if math.IsNaN(d) || d < 0 || d > MaxBackoff {
		return 0, fmt.Errorf("retries: the back-off function returned %v ms at attempt %d; a delay must be in [0, %d] ms", d, attempt, MaxBackoff)
	}
	return d, nil
}

// ContentionResult is what one run measured.
type ContentionResult struct {
	Clients    int
	Strategy   retry.Strategy // the policy's; ignored when Custom
	Custom     bool           // a BackoffFunc made the delays
	Seed       uint64
	Calls      int     // writes the store served (work), ≥ Clients
	Reads      int     // reads the store served
	Completion float64 // ms until the last client's write succeeded and it heard so
}

func (r ContentionResult) String() string {
	rule := r.Strategy.String()
	if r.Custom {
		rule = "custom back-off"
	}
	return fmt.Sprintf("%v N=%d seed=%d: %d calls, %d reads, done at %.1f ms",
		rule, r.Clients, r.Seed, r.Calls, r.Reads, r.Completion)
}

// The model, in the words of Brooker's simulator: there is one row with a
// version number, and every message takes |Normal(NetMean, NetSD)| ms to
// cross the network. The server answers instantly. Each client
//
//	t=0: sends READ                         → server replies with version v
//	on READ reply: sends WRITE(v)           → server: if row still at v, version++ and OK,
//	                                          else FAIL; calls++ either way
//	on OK: done.  on FAIL number f (1, 2, …): waits Policy.Delay(f) and sends READ again.
//
// (Like Brooker's simulator the f-th failure uses attempt f, so the first
// un-jittered back-off is 2·base.)
type eventKind uint8

const (
	readArrives      eventKind = iota // READ reaches the server
	readReplyArrive                   // version reaches the client
	writeArrives                      // WRITE reaches the server
	writeReplyArrive                  // OK/FAIL reaches the client
)

type event struct {
	at     float64
	seq    uint64 // tie-break: events at the same time run in the order they were made
	kind   eventKind
	client int
	value  int // version read, version written, or 1/0 for OK/FAIL
}

type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// maxEvents stops a run that would not finish (it cannot happen with a
// valid policy, but a bound beats a hang).
const maxEvents = 50_000_000

func (c ContentionConfig) validate() error {
	if c.Clients < 1 || c.Clients > 5000 {
		return fmt.Errorf("retries: Clients %d not in [1,5000]", c.Clients)
	}
	if c.Policy.Base() <= 0 {
		return fmt.Errorf("retries: Policy not set, build one with retry.NewPolicy")
	}
	if math.IsNaN(c.NetMean) || math.IsInf(c.NetMean, 0) || c.NetMean <= 0 {
		return fmt.Errorf("retries: NetMean %v must be finite and > 0 ms", c.NetMean)
	}
	if math.IsNaN(c.NetSD) || math.IsInf(c.NetSD, 0) || c.NetSD < 0 {
		return fmt.Errorf("retries: NetSD %v must be finite and >= 0 ms", c.NetSD)
	}
	return nil
}

// Contention runs the model once.
func Contention(cfg ContentionConfig) (ContentionResult, error) {
	if err := cfg.validate(); err != nil {
		return ContentionResult{}, err
	}
	// Stream 0 is the network; stream i+1 is client i's jitter.
	net := rand.New(rand.NewPCG(cfg.Seed, 0))
	delay := func() float64 { return math.Abs(cfg.NetMean + cfg.NetSD*net.NormFloat64()) }
	jitter := make([]*rand.Rand, cfg.Clients)
	failures := make([]int, cfg.Clients)
	prevSleep := make([]float64, cfg.Clients)

	res := ContentionResult{Clients: cfg.Clients, Strategy: cfg.Policy.Strategy(), Custom: cfg.Backoff != nil, Seed: cfg.Seed}
	var q eventQueue
	var seq uint64
	push := func(at float64, k eventKind, client, value int) {
		heap.Push(&q, event{at: at, seq: seq, kind: k, client: client, value: value})
		seq++
	}
	for i := range cfg.Clients {
		jitter[i] = rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1))
		push(delay(), readArrives, i, 0)
	}
	version := 0
	for n := 0; q.Len() > 0; n++ {
		if n == maxEvents {
			return res, fmt.Errorf("retries: run with %d clients, %v, seed %d did not finish in %d events", cfg.Clients, cfg.Policy, cfg.Seed, maxEvents)
		}
		e := heap.Pop(&q).(event)
		now := e.at
		switch e.kind {
		case readArrives:
			res.Reads++
			push(now+delay(), readReplyArrive, e.client, version)
		case readReplyArrive:
			push(now+delay(), writeArrives, e.client, e.value)
		case writeArrives:
			res.Calls++
			ok := 0
			if e.value == version {
				version++
				ok = 1
			}
			push(now+delay(), writeReplyArrive, e.client, ok)
		case writeReplyArrive:
			if e.value == 1 {
				res.Completion = now
				continue
			}
			failures[e.client]++
			var sleep float64
			var err error
			if cfg.Backoff != nil {
				sleep, err = callBackoff(cfg.Backoff, cfg.Policy.Base(), cfg.Policy.Cap(), failures[e.client], jitter[e.client])
			} else {
				sleep, err = cfg.Policy.Delay(failures[e.client], prevSleep[e.client], jitter[e.client])
			}
			if err != nil {
				return res, err
			}
			prevSleep[e.client] = sleep
			push(now+sleep+delay(), readArrives, e.client, 0)
		}
	}
	if version != cfg.Clients { // every client writes exactly once
		return res, fmt.Errorf("retries: internal error: %d successful writes for %d clients (seed %d)", version, cfg.Clients, cfg.Seed)
	}
	return res, nil
}
