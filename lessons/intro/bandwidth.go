package intro

import (
	"fmt"
	"math"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
)

// BandwidthConfig configures the "bandwidth is infinite" experiment: a
// sender offers messages of MsgSize bytes at random (Poisson) times over
// one link of Bandwidth bytes per second, at several loads given as
// fractions of the link's capacity Bandwidth/MsgSize messages per second.
// The sender sends for Duration; the run goes on until every message sent
// has arrived, so that the wait of the last ones is known too.
type BandwidthConfig struct {
	Seed      uint64
	Bandwidth float64     // bytes per second; 0 means 1e6 (1 MB/s)
	MsgSize   int         // bytes; 0 means 1000, so capacity is 1000 msg/s
	Loads     []float64   // offered load / capacity; nil means 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.1, 1.3, 1.5
	Duration  netsim.Time // how long the sender sends; 0 means 10s
	Delay     netsim.Time // propagation delay; 0 means 5ms
}

// WaitBin is the time between sending and arrival of the messages sent in
// one bin of send times.
type WaitBin struct {
	Sent     netsim.Time // end of the bin: messages sent in [Sent-BinWidth, Sent)
	Messages int
	Mean     float64 // ms, mean time from send to arrival
}

// BinWidth is the width of the send-time bins of BandwidthPoint.Waits.
const BinWidth = 100 * netsim.Millisecond

// BandwidthPoint is the outcome at one offered load.
type BandwidthPoint struct {
	Load       float64 // offered / capacity
	Offered    float64 // messages per second offered
	Throughput float64 // messages per second delivered while the sender sends
	// Below capacity (Load < 1) the queue settles and these describe
	// every message: mean and 99th-percentile time from send to arrival,
	// and the M/D/1 model's mean. Above capacity there is no steady
	// state — a message waits the longer the later it is sent — so they
	// are NaN (Model is +Inf).
	MeanLatency, P99Latency, Model float64 // ms
	// Waits follows the wait over the run, by send time.
	Waits []WaitBin
	// Growth is the least-squares slope of the wait against the send
	// time, in ms per second: about 0 below capacity, and (Load-1)·1000
	// above it, where the queue gains λ-μ messages a second.
	Growth float64
}

// Steady reports whether the load is below capacity.
func (p BandwidthPoint) Steady() bool { return p.Load < 1 }

// WaitAt returns the mean wait (ms) of the messages sent in the bin that
// ends at or after t (just before t), or false if that bin is empty or t
// is outside the run.
func (p BandwidthPoint) WaitAt(t netsim.Time) (float64, bool) {
	for _, b := range p.Waits {
		if b.Sent >= t {
			if b.Messages == 0 {
				return 0, false
			}
			return b.Mean, true
		}
	}
	return 0, false
}

// BandwidthResult is the outcome of RunBandwidth.
type BandwidthResult struct {
	Config   BandwidthConfig // with defaults
	Capacity float64         // messages per second
	Points   []BandwidthPoint
}

type sized struct {
	sent netsim.Time
	size int
}

func (m sized) Size() int { return m.size }

func (c BandwidthConfig) withDefaults() (BandwidthConfig, error) {
	if c.Bandwidth == 0 {
		c.Bandwidth = 1e6
	}
	if c.MsgSize == 0 {
		c.MsgSize = 1000
	}
	if c.Loads == nil {
		c.Loads = []float64{0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.1, 1.3, 1.5}
	}
	if c.Duration == 0 {
		c.Duration = 10 * netsim.Second
	}
	if c.Delay == 0 {
		c.Delay = 5 * netsim.Millisecond
	}
	if !(c.Bandwidth > 0) || math.IsInf(c.Bandwidth, 0) {
		return c, fmt.Errorf("intro: bandwidth %v bytes/s: want a finite number > 0", c.Bandwidth)
	}
	if c.MsgSize < 1 {
		return c, fmt.Errorf("intro: message size %d bytes: want >= 1", c.MsgSize)
	}
	if c.Duration < BinWidth || c.Duration > 1000*netsim.Second || c.Delay < 0 {
		return c, fmt.Errorf("intro: duration %v must be in [%v, 1000s] and delay %v >= 0", c.Duration, BinWidth, c.Delay)
	}
	if len(c.Loads) == 0 || len(c.Loads) > 100 {
		return c, fmt.Errorf("intro: %d loads: want 1 to 100", len(c.Loads))
	}
	for _, l := range c.Loads {
		if !(l > 0 && l <= 10) {
			return c, fmt.Errorf("intro: load %v not in (0, 10]", l)
		}
	}
	if n := float64(c.Duration) / 1e9 * c.Bandwidth / float64(c.MsgSize) * slices.Max(c.Loads); n > 2e6 {
		return c, fmt.Errorf("intro: about %.0f messages per run; at most 2e6", n)
	}
	return c, nil
}

// RunBandwidth measures throughput and the time from send to arrival at
// every load.
func RunBandwidth(cfg BandwidthConfig) (BandwidthResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return BandwidthResult{}, err
	}
	mu := cfg.Bandwidth / float64(cfg.MsgSize) // messages per second
	res := BandwidthResult{Config: cfg, Capacity: mu}
	for _, load := range cfg.Loads {
		pt, err := runLoad(cfg, mu, load)
		if err != nil {
			return res, err
		}
		res.Points = append(res.Points, pt)
	}
	return res, nil
}

func runLoad(cfg BandwidthConfig, mu, load float64) (BandwidthPoint, error) {
	lambda := load * mu
	sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true, MaxEvents: -1,
		DefaultLink: netsim.Link{Bandwidth: cfg.Bandwidth, Delay: netsim.Const(cfg.Delay)}})
	if err != nil {
		return BandwidthPoint{}, err
	}
	type arrival struct{ sent, at netsim.Time }
	var got []arrival
	sent := 0
	sender := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Start || ev.Kind == netsim.Timer {
			if ev.Kind == netsim.Timer {
				ctx.Send("receiver", sized{ctx.Now(), cfg.MsgSize})
				sent++
			}
			gap := netsim.Time(ctx.Rand().ExpFloat64() / lambda * 1e9)
			if ctx.Now()+gap < cfg.Duration {
				ctx.SetTimer(gap, nil)
			}
		}
	})
	receiver := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			got = append(got, arrival{ev.Msg.(sized).sent, ctx.Now()})
		}
	})
	if err := sim.AddNode("sender", sender); err != nil {
		return BandwidthPoint{}, err
	}
	if err := sim.AddNode("receiver", receiver); err != nil {
		return BandwidthPoint{}, err
	}
	// Run until the queue has drained: every message sent arrives.
	if err := sim.Run(netsim.Forever); err != nil {
		return BandwidthPoint{}, err
	}
	secs := float64(cfg.Duration) / 1e9
	pt := BandwidthPoint{Load: load, Offered: float64(sent) / secs,
		MeanLatency: math.NaN(), P99Latency: math.NaN(), Model: math.Inf(1)}
	nb := int((cfg.Duration + BinWidth - 1) / BinWidth)
	sums := make([]float64, nb)
	counts := make([]int, nb)
	lat := make([]float64, 0, len(got))
	var sx, sy, sxx, sxy float64
	for _, a := range got {
		if a.at <= cfg.Duration {
			pt.Throughput++
		}
		ms := float64(a.at-a.sent) / 1e6
		lat = append(lat, ms)
		b := min(int(a.sent/BinWidth), nb-1)
		sums[b] += ms
		counts[b]++
		x := float64(a.sent) / 1e9
		sx, sy, sxx, sxy = sx+x, sy+ms, sxx+x*x, sxy+x*ms
	}
	pt.Throughput /= secs
	for b := range nb {
		w := WaitBin{Sent: min(netsim.Time(b+1)*BinWidth, cfg.Duration), Messages: counts[b]}
		if counts[b] > 0 {
			w.Mean = sums[b] / float64(counts[b])
		}
		pt.Waits = append(pt.Waits, w)
	}
	if n := float64(len(got)); n >= 2 && n*sxx-sx*sx > 0 {
		pt.Growth = (n*sxy - sx*sy) / (n*sxx - sx*sx)
	}
	if load < 1 && len(lat) > 0 {
		pt.MeanLatency = mean(lat)
		pt.P99Latency = quantile(lat, 0.99)
		// M/D/1: service 1/μ, mean wait ρ/(2μ(1-ρ)), plus propagation.
		pt.Model = MD1Latency(mu, load, cfg.Delay)
	}
	return pt, nil
}

// MD1Latency is the M/D/1 queue's mean time from send to arrival, in ms,
// for capacity mu messages per second at load rho < 1 and a propagation
// delay: transmission 1/μ, plus the mean wait ρ/(2μ(1-ρ)), plus the
// delay. At rho >= 1 it is +Inf: the queue has no steady state.
func MD1Latency(mu, rho float64, delay netsim.Time) float64 {
	if rho >= 1 {
		return math.Inf(1)
	}
	return (1/mu+rho/(2*mu*(1-rho)))*1e3 + float64(delay)/1e6
}

// OverloadWait is the fluid model of the wait (ms) of a message sent at
// time t into a link overloaded at rho > 1 (capacity mu messages per
// second) from time 0: the queue gains (ρ-1)·μ messages per second and
// the link sends μ, so the message waits (ρ-1)·t for the queue ahead of
// it, plus its own transmission 1/μ and the propagation delay. For rho <=
// 1 it is the empty-queue time 1/μ + delay.
func OverloadWait(mu, rho float64, t, delay netsim.Time) float64 {
	q := max(rho-1, 0) * float64(t) / 1e6
	return q + 1e3/mu + float64(delay)/1e6
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// quantile returns the q-quantile (nearest rank) of xs; xs is not changed.
func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// SteadyTable lists the loads below capacity: throughput, mean and p99
// time from send to arrival, and the M/D/1 model's mean.
func (r BandwidthResult) SteadyTable() (header []string, rows [][]string) {
	header = []string{"load", "offered msg/s", "delivered msg/s", "mean latency", "M/D/1 model", "p99 latency"}
	for _, p := range r.Points {
		if !p.Steady() {
			continue
		}
		rows = append(rows, []string{fmt.Sprintf("%.2f", p.Load), fmt.Sprintf("%.0f", p.Offered),
			fmt.Sprintf("%.0f", p.Throughput), fmt.Sprintf("%.1fms", p.MeanLatency), fmt.Sprintf("%.1fms", p.Model),
			fmt.Sprintf("%.1fms", p.P99Latency)})
	}
	return header, rows
}

// OverloadMarks are the send times at which OverloadTable reports the
// wait: 1 s, a middle one and the end of the run.
func (r BandwidthResult) OverloadMarks() []netsim.Time {
	d := r.Config.Duration
	return []netsim.Time{min(netsim.Second, d), max(d/2/netsim.Second, 1) * netsim.Second, d}
}

// OverloadTable lists the loads above capacity: throughput, the wait of
// messages sent just before OverloadMarks, and how fast the wait grows
// (measured; the model is left for the lesson's Exercise 2).
func (r BandwidthResult) OverloadTable() (header []string, rows [][]string) {
	marks := r.OverloadMarks()
	header = []string{"load", "offered msg/s", "delivered msg/s"}
	for _, m := range marks {
		header = append(header, "wait if sent at "+fmtSec(m))
	}
	header = append(header, "wait grows by")
	for _, p := range r.Points {
		if p.Steady() {
			continue
		}
		row := []string{fmt.Sprintf("%.2f", p.Load), fmt.Sprintf("%.0f", p.Offered), fmt.Sprintf("%.0f", p.Throughput)}
		for _, m := range marks {
			w, ok := p.WaitAt(m)
			if !ok {
				row = append(row, "-")
				continue
			}
			row = append(row, fmt.Sprintf("%.0fms", w))
		}
		row = append(row, fmt.Sprintf("%.0fms per s", p.Growth))
		rows = append(rows, row)
	}
	return header, rows
}
