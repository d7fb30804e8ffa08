package timeouts

import (
	"fmt"
	"math"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/retry"
	"github.com/dslessons/course/pkg/table"
)

// EstimatorSpec names a timeout estimator and builds a fresh one per run.
type EstimatorSpec struct {
	Name string
	New  func() (retry.Estimator, error)
}

// FixedSpec is a fixed timeout of ms milliseconds.
func FixedSpec(ms float64) EstimatorSpec {
	return EstimatorSpec{fmt.Sprintf("fixed %g ms", ms), func() (retry.Estimator, error) { return retry.NewFixed(ms) }}
}

// AdaptiveSpec is RFC 6298's estimator in milliseconds: initial RTO 1 s,
// maximum 60 s, an ideal clock (G = 0) and a minimum of minMS (RFC 6298
// says 1 s; Linux 200 ms; a data-centre service with 10 ms RTTs wants far
// less).
func AdaptiveSpec(minMS float64) EstimatorSpec {
	return EstimatorSpec{fmt.Sprintf("adaptive (RFC 6298, min %g ms)", minMS), func() (retry.Estimator, error) {
		return retry.NewAdaptive(retry.AdaptiveConfig{Unit: 1000, Min: minMS})
	}}
}

// MinTimeout (ms) is the shortest timeout ShiftExperiment accepts from an
// estimator: a shorter one would retransmit without end.
const MinTimeout = 0.01

// ShiftConfig is the adaptive-timeout experiment: a client sends one
// request at a time to a server over a pkg/netsim network, waits Think ms
// after each reply, and retransmits when its timer expires. At Shift the
// network's delay distribution changes from Before to After; at Crash the
// server crashes. Every timeout before Crash is a false timeout (the server
// was alive); the first one after Crash detects the crash.
type ShiftConfig struct {
	Before, After RTTModel // RTT = Floor (request link) + lognormal (reply link)
	Shift, Crash  float64  // ms
	Think         float64  // ms between a reply and the next request
	Estimators    []EstimatorSpec
	Seed          uint64
}

// DefaultShift: RTTs around 11 ms for 10 s, then around 54 ms (a busier
// path) for 10 s, then the server crashes.
func DefaultShift() ShiftConfig {
	return ShiftConfig{
		Before:     RTTModel{Floor: 5, Median: 5, Sigma: 0.5},
		After:      RTTModel{Floor: 20, Median: 30, Sigma: 0.5},
		Shift:      10_000,
		Crash:      20_000,
		Think:      10,
		Estimators: []EstimatorSpec{FixedSpec(30), FixedSpec(500), AdaptiveSpec(1)},
		Seed:       1,
	}
}

// TimelinePoint is the timeout in force when an attempt was sent.
type TimelinePoint struct{ At, Timeout float64 }

// RTTPoint is a measured round trip, at the time its reply arrived.
type RTTPoint struct {
	At, RTT       float64
	Retransmitted bool
}

// ShiftRun is one estimator's run.
type ShiftRun struct {
	Name      string
	Attempts  [2]int  // requests sent incl. retransmissions, before / after Shift
	Timeouts  [2]int  // false timeouts (timer expiries before Crash) by phase of the attempt
	Completed [2]int  // requests answered, by phase of their first attempt
	FinalRTO  float64 // timeout in force just before the crash
	Detection float64 // ms from Crash to the first timeout; NaN if none
	Timeline  []TimelinePoint
	RTTs      []RTTPoint
}

// FalseRate returns Timeouts/Attempts for phase 0 (before Shift) or 1.
func (r ShiftRun) FalseRate(phase int) float64 {
	if r.Attempts[phase] == 0 {
		return 0
	}
	return float64(r.Timeouts[phase]) / float64(r.Attempts[phase])
}

// ShiftResult is the outcome of ShiftExperiment.
type ShiftResult struct {
	Config ShiftConfig
	Runs   []ShiftRun
}

// Run returns the run of the named estimator.
func (r ShiftResult) Run(name string) (ShiftRun, bool) {
	for _, x := range r.Runs {
		if x.Name == name {
			return x, true
		}
	}
	return ShiftRun{}, false
}

// Caption says what was run, with the seed.
func (r ShiftResult) Caption() string {
	c := r.Config
	return fmt.Sprintf("before %g ms: %v; after: %v; crash at %g ms; seed=%d", c.Shift, c.Before, c.After, c.Crash, c.Seed)
}

func (r ShiftResult) String() string {
	var b strings.Builder
	b.WriteString(r.Caption() + "\n")
	b.WriteString(table.String(r.Table()))
	return b.String()
}

// Table is the comparison as a header and rows (for show.Table).
func (r ShiftResult) Table() (header []string, rows [][]string) {
	rows = make([][]string, len(r.Runs))
	for i, x := range r.Runs {
		rows[i] = []string{x.Name,
			fmt.Sprintf("%d (%.1f%%)", x.Timeouts[0], 100*x.FalseRate(0)),
			fmt.Sprintf("%d (%.1f%%)", x.Timeouts[1], 100*x.FalseRate(1)),
			fmt.Sprintf("%.1f", x.FinalRTO), fmt.Sprintf("%.1f", x.Detection)}
	}
	return []string{"estimator", "false before", "false after", "final RTO (ms)", "detection (ms)"}, rows
}

func toTime(ms float64) netsim.Time     { return netsim.Time(math.Round(ms * float64(netsim.Millisecond))) }
func toMS(t netsim.Time) float64        { return float64(t) / float64(netsim.Millisecond) }
func lognormal(m RTTModel) netsim.Delay { return netsim.LogNormal(toTime(m.Median), m.Sigma) }

func (c ShiftConfig) validate() error {
	for _, m := range []RTTModel{c.Before, c.After} {
		if err := m.Validate(); err != nil {
			return err
		}
	}
	if !(c.Shift > 0 && c.Crash > c.Shift && c.Crash <= 3_600_000) {
		return fmt.Errorf("timeouts: want 0 < Shift (%v) < Crash (%v) <= 3600000 ms", c.Shift, c.Crash)
	}
	if math.IsNaN(c.Think) || c.Think < 0 || c.Think > 60_000 {
		return fmt.Errorf("timeouts: Think %v not in [0, 60000] ms", c.Think)
	}
	if len(c.Estimators) == 0 {
		return fmt.Errorf("timeouts: no estimators to compare")
	}
	return nil
}

type request struct{ id, copy int }
type reply struct{ id, copy int }
type timerTag struct{ id, copy int }
type thinkTag struct{}

// shiftClient is the client's state machine.
type shiftClient struct {
	cfg      ShiftConfig
	est      retry.Estimator
	run      *ShiftRun
	cur      int           // current request id
	sentAt   []netsim.Time // send time of each copy of the current request
	firstPh  int           // phase of the current request's first attempt
	timer    netsim.TimerID
	detected bool
	err      error
}

func (c *shiftClient) phase(now netsim.Time) int {
	if toMS(now) < c.cfg.Shift {
		return 0
	}
	return 1
}

func (c *shiftClient) send(ctx *netsim.Context) {
	now := ctx.Now()
	if len(c.sentAt) == 0 {
		c.firstPh = c.phase(now)
	}
	to := c.est.Timeout()
	if !(to >= MinTimeout && to <= 3_600_000) {
		c.err = fmt.Errorf("timeout %v ms not in [%v, 3600000] ms", to, MinTimeout)
		if e, ok := c.est.(interface{ Err() error }); ok && e.Err() != nil {
			c.err = e.Err()
		}
		return
	}
	c.run.Attempts[c.phase(now)]++
	c.run.Timeline = append(c.run.Timeline, TimelinePoint{toMS(now), to})
	copy := len(c.sentAt)
	c.sentAt = append(c.sentAt, now)
	ctx.Send("server", request{c.cur, copy})
	c.timer = ctx.SetTimer(toTime(to), timerTag{c.cur, copy})
}

func (c *shiftClient) Handle(ctx *netsim.Context, ev netsim.Event) {
	if c.detected || c.err != nil {
		return
	}
	now := ctx.Now()
	switch ev.Kind {
	case netsim.Start:
		c.send(ctx)
	case netsim.Timer:
		switch tag := ev.Msg.(type) {
		case thinkTag:
			c.send(ctx)
		case timerTag:
			if tag.id != c.cur || tag.copy != len(c.sentAt)-1 {
				return // an old timer
			}
			if toMS(now) >= c.cfg.Crash {
				c.detected = true
				c.run.Detection = toMS(now) - c.cfg.Crash
				return
			}
			c.run.Timeouts[c.phase(c.sentAt[tag.copy])]++
			c.est.Expired()
			c.send(ctx) // retransmit
		}
	case netsim.Receive:
		r, ok := ev.Msg.(reply)
		if !ok || r.id != c.cur {
			return // a late reply to an earlier request
		}
		ctx.CancelTimer(c.timer)
		rtt := toMS(now - c.sentAt[r.copy])
		retx := len(c.sentAt) > 1 // Karn: which copy was answered is ambiguous in real TCP
		if err := c.est.Observe(retry.Sample{RTT: rtt, Retransmitted: retx}); err != nil {
			c.err = err
			return
		}
		c.run.RTTs = append(c.run.RTTs, RTTPoint{toMS(now), rtt, retx})
		c.run.Completed[c.firstPh]++
		c.cur++
		c.sentAt = c.sentAt[:0]
		ctx.SetTimer(toTime(c.cfg.Think), thinkTag{})
	}
}

// ShiftExperiment runs the client once per estimator on identical network
// settings and seed.
func ShiftExperiment(cfg ShiftConfig) (ShiftResult, error) {
	if err := cfg.validate(); err != nil {
		return ShiftResult{}, err
	}
	res := ShiftResult{Config: cfg}
	for _, spec := range cfg.Estimators {
		if spec.New == nil {
			return ShiftResult{}, fmt.Errorf("timeouts: estimator %q has no constructor", spec.Name)
		}
		est, err := spec.New()
		if err != nil {
			return ShiftResult{}, fmt.Errorf("timeouts: estimator %q: %w", spec.Name, err)
		}
		run := &ShiftRun{Name: spec.Name, Detection: math.NaN()}
		cl := &shiftClient{cfg: cfg, est: est, run: run}
		sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true})
		if err != nil {
			return ShiftResult{}, err
		}
		server := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if q, ok := ev.Msg.(request); ok && ev.Kind == netsim.Receive {
				ctx.Send(ev.From, reply(q))
			}
		})
		steps := []error{
			sim.AddNode("client", cl),
			sim.AddNode("server", server),
			sim.SetLink("client", "server", netsim.Link{Delay: netsim.Const(toTime(cfg.Before.Floor))}),
			sim.SetLink("server", "client", netsim.Link{Delay: lognormal(cfg.Before)}),
			sim.At(toTime(cfg.Shift)).Delay("client", "server", netsim.Const(toTime(cfg.After.Floor))),
			sim.At(toTime(cfg.Shift)).Delay("server", "client", lognormal(cfg.After)),
			sim.At(toTime(cfg.Crash)).Do("record RTO", func() { run.FinalRTO = est.Timeout() }),
			sim.At(toTime(cfg.Crash)).Crash("server"),
			sim.Run(toTime(cfg.Crash + 200_000)),
		}
		for _, err := range steps {
			if err != nil {
				return ShiftResult{}, fmt.Errorf("timeouts: %s, seed %d: %w", spec.Name, cfg.Seed, err)
			}
		}
		if cl.err != nil {
			return ShiftResult{}, fmt.Errorf("timeouts: %s, seed %d: %w", spec.Name, cfg.Seed, cl.err)
		}
		res.Runs = append(res.Runs, *run)
	}
	return res, nil
}
