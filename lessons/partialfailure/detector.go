package partialfailure

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// DetectorConfig describes a timeout-based failure detector measured
// against a server that never fails: the client sends Probes requests
// one after another; for each it sets a timer of Timeout and, if the
// timer fires before the answer, suspects the server. Since the server is
// alive, every suspicion is false. The client keeps waiting after a
// suspicion, so every probe's round trip completes.
type DetectorConfig struct {
	Name       string       // a short description for tables and legends
	Seed       uint64       // seeds the link delays
	Delay      netsim.Delay // one-way delay, both directions
	Processing netsim.Time  // server time per request
	Probes     int          // requests per timeout value
	Timeouts   []netsim.Time
}

// Validate checks the configuration.
func (c DetectorConfig) Validate() error {
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("partialfailure: %w", err)
	}
	switch {
	case c.Processing < 0:
		return fmt.Errorf("partialfailure: processing time %v: want >= 0", c.Processing)
	case c.Probes < 1 || c.Probes > 1_000_000:
		return fmt.Errorf("partialfailure: %d probes: want 1..1000000", c.Probes)
	case len(c.Timeouts) == 0:
		return fmt.Errorf("partialfailure: no timeouts to try")
	}
	for _, t := range c.Timeouts {
		if t <= 0 {
			return fmt.Errorf("partialfailure: timeout %v: want > 0", t)
		}
	}
	return nil
}

// Timeouts returns from, from+step, …, up to to.
func Timeouts(from, to, step netsim.Time) []netsim.Time {
	var out []netsim.Time
	if step <= 0 {
		return out
	}
	for t := from; t <= to; t += step {
		out = append(out, t)
	}
	return out
}

// SynchronousBound is the delay bound of SyncDetector's network.
const SynchronousBound = 10 * netsim.Millisecond

// SyncDetector is a synchronous system: one-way delays uniform between 1
// and 10 ms (never more) and 5 ms of processing, so every answer is back
// within 2·10 + 5 = 25 ms.
func SyncDetector() DetectorConfig {
	return DetectorConfig{
		Name:       "synchronous: delay uniform(1ms,10ms)",
		Seed:       1,
		Delay:      netsim.Uniform(1*netsim.Millisecond, SynchronousBound),
		Processing: 5 * netsim.Millisecond,
		Probes:     5000,
		Timeouts:   Timeouts(5*netsim.Millisecond, 300*netsim.Millisecond, 5*netsim.Millisecond),
	}
}

// AsyncDetector is an asynchronous system with a heavy tail: one-way
// delays Pareto-distributed, P(delay > t) = (2ms/t)^1.2 for t >= 2 ms (a
// median of 3.6 ms but no upper bound: a power law, as when queues build
// up), and 5 ms of processing.
func AsyncDetector() DetectorConfig {
	c := SyncDetector()
	c.Name = "asynchronous: delay pareto(2ms, α=1.2)"
	c.Delay = netsim.Pareto(2*netsim.Millisecond, 1.2)
	return c
}

// LogNormalDetector is an asynchronous system with a lighter tail:
// one-way delays log-normal with a median of 5 ms and σ = 1, and 5 ms of
// processing.
func LogNormalDetector() DetectorConfig {
	c := SyncDetector()
	c.Name = "asynchronous: delay lognormal(5ms, σ=1)"
	c.Delay = netsim.LogNormal(5*netsim.Millisecond, 1)
	return c
}

// PerfectTimeout is the timeout that never suspects a live server in a
// synchronous system: a request and its answer each take at most bound,
// and the server needs processing.
func PerfectTimeout(bound, processing netsim.Time) netsim.Time { return 2*bound + processing }

// DetectorPoint is the outcome for one timeout.
type DetectorPoint struct {
	Timeout    netsim.Time
	Suspicions int     // probes whose timer fired before the answer
	Rate       float64 // Suspicions / Probes
}

// DetectorResult is the false-suspicion rate for every timeout.
type DetectorResult struct {
	Config DetectorConfig
	Points []DetectorPoint
	// RTTs are the probes' round-trip times, in order. They are the same
	// for every timeout: the timer does not change what the network does.
	RTTs []netsim.Time
}

// prober is the detector's client.
type prober struct {
	probes   int
	timeout  netsim.Time
	n        int
	sentAt   netsim.Time
	timer    netsim.TimerID
	pending  bool // the timer of the current probe has not fired
	suspects int
	rtts     []netsim.Time
}

func (p *prober) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		p.send(ctx)
	case netsim.Timer:
		if id, ok := ev.Msg.(RequestID); ok && int(id) == p.n && p.pending {
			p.pending = false
			p.suspects++
		}
	case netsim.Receive:
		r, ok := ev.Msg.(Response)
		if !ok || int(r.ID) != p.n {
			return
		}
		if p.pending {
			ctx.CancelTimer(p.timer)
			p.pending = false
		}
		p.rtts = append(p.rtts, ctx.Now()-p.sentAt)
		if p.n < p.probes {
			p.send(ctx)
		}
	}
}

func (p *prober) send(ctx *netsim.Context) {
	p.n++
	p.sentAt = ctx.Now()
	ctx.Send(ServerID, Request{ID: RequestID(p.n), Amount: 1})
	p.timer = ctx.SetTimer(p.timeout, RequestID(p.n))
	p.pending = true
}

// FalseSuspicions runs the detector once per timeout (same seed each
// time) and counts false suspicions.
func FalseSuspicions(cfg DetectorConfig) (*DetectorResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	res := &DetectorResult{Config: cfg}
	for _, to := range cfg.Timeouts {
		p, err := runProber(cfg, to)
		if err != nil {
			return nil, err
		}
		if res.RTTs == nil {
			res.RTTs = p.rtts
		}
		res.Points = append(res.Points, DetectorPoint{Timeout: to, Suspicions: p.suspects, Rate: float64(p.suspects) / float64(cfg.Probes)})
	}
	return res, nil
}

func runProber(cfg DetectorConfig, timeout netsim.Time) (*prober, error) {
	sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true, MaxEvents: -1, DefaultLink: netsim.Link{Delay: cfg.Delay}})
	if err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	p := &prober{probes: cfg.Probes, timeout: timeout, rtts: make([]netsim.Time, 0, cfg.Probes)}
	if err := sim.AddNode(ClientID, p); err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.AddNode(ServerID, &Server{Handler: NaiveHandler, Processing: cfg.Processing}); err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, fmt.Errorf("partialfailure: detector run (seed %d): %w", cfg.Seed, err)
	}
	if len(p.rtts) != cfg.Probes {
		return nil, fmt.Errorf("partialfailure: detector run (seed %d): %d of %d probes answered", cfg.Seed, len(p.rtts), cfg.Probes)
	}
	return p, nil
}

// MaxRTT is the longest round trip observed.
func (r *DetectorResult) MaxRTT() netsim.Time { return slices.Max(r.RTTs) }

// SlowerThan counts the probes whose round trip took longer than t.
func (r *DetectorResult) SlowerThan(t netsim.Time) int {
	n := 0
	for _, x := range r.RTTs {
		if x > t {
			n++
		}
	}
	return n
}

// RateAt returns the measured false-suspicion rate at timeout t, or
// false if t was not among the timeouts tried.
func (r *DetectorResult) RateAt(t netsim.Time) (float64, bool) {
	for _, p := range r.Points {
		if p.Timeout == t {
			return p.Rate, true
		}
	}
	return 0, false
}

// SmallestTimeout returns the smallest timeout tried whose rate is below
// rate, or false if there is none.
func (r *DetectorResult) SmallestTimeout(rate float64) (netsim.Time, bool) {
	for _, p := range r.Points {
		if p.Rate < rate {
			return p.Timeout, true
		}
	}
	return 0, false
}

// Table returns one row per timeout tried; with every > 0, only the
// timeouts that are multiples of every, to keep the table short.
func (r *DetectorResult) Table(every netsim.Time) (header []string, rows [][]string) {
	header = []string{"timeout", "false suspicions", "rate"}
	for _, p := range r.Points {
		if every > 0 && p.Timeout%every != 0 {
			continue
		}
		rows = append(rows, []string{p.Timeout.String(), fmt.Sprintf("%d / %d", p.Suspicions, r.Config.Probes), fmt.Sprintf("%.2f%%", 100*p.Rate)})
	}
	return header, rows
}

// String summarises the result.
func (r *DetectorResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, processing %v, seed %d, %d probes per timeout\n", r.Config.Name, r.Config.Processing, r.Config.Seed, r.Config.Probes)
	fmt.Fprintf(&b, "longest round trip seen: %v\n", r.MaxRTT())
	if t, ok := r.SmallestTimeout(1e-12); ok {
		fmt.Fprintf(&b, "no false suspicion from timeout %v on\n", t)
	} else {
		last := r.Points[len(r.Points)-1]
		fmt.Fprintf(&b, "false suspicions at every timeout tried, still %.2f%% at %v\n", 100*last.Rate, last.Timeout)
	}
	return b.String()
}
