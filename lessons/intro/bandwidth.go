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
type BandwidthConfig struct {
	Seed      uint64
	Bandwidth float64     // bytes per second; 0 means 1e6 (1 MB/s)
	MsgSize   int         // bytes; 0 means 1000, so capacity is 1000 msg/s
	Loads     []float64   // offered load / capacity; nil means 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.1, 1.3, 1.5
	Duration  netsim.Time // how long the sender sends; 0 means 10s
	Delay     netsim.Time // propagation delay; 0 means 5ms
}

// BandwidthPoint is the outcome at one offered load.
type BandwidthPoint struct {
	Load        float64 // offered / capacity
	Offered     float64 // messages per second offered
	Throughput  float64 // messages per second delivered during the run
	MeanLatency float64 // ms, of delivered messages
	P99Latency  float64 // ms
	Model       float64 // ms, M/D/1 mean latency for load < 1, +Inf otherwise
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
	if c.Duration <= 0 || c.Delay < 0 {
		return c, fmt.Errorf("intro: duration %v must be > 0 and delay %v >= 0", c.Duration, c.Delay)
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

// RunBandwidth measures throughput and latency at every load.
func RunBandwidth(cfg BandwidthConfig) (BandwidthResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return BandwidthResult{}, err
	}
	mu := cfg.Bandwidth / float64(cfg.MsgSize) // messages per second
	res := BandwidthResult{Config: cfg, Capacity: mu}
	for _, load := range cfg.Loads {
		lambda := load * mu
		sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true, MaxEvents: -1,
			DefaultLink: netsim.Link{Bandwidth: cfg.Bandwidth, Delay: netsim.Const(cfg.Delay)}})
		if err != nil {
			return res, err
		}
		var lat []float64
		sender := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind == netsim.Start || ev.Kind == netsim.Timer {
				if ev.Kind == netsim.Timer {
					ctx.Send("receiver", sized{ctx.Now(), cfg.MsgSize})
				}
				gap := netsim.Time(ctx.Rand().ExpFloat64() / lambda * 1e9)
				if ctx.Now()+gap < cfg.Duration {
					ctx.SetTimer(gap, nil)
				}
			}
		})
		receiver := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind == netsim.Receive {
				lat = append(lat, float64(ctx.Now()-ev.Msg.(sized).sent)/1e6)
			}
		})
		if err := sim.AddNode("sender", sender); err != nil {
			return res, err
		}
		if err := sim.AddNode("receiver", receiver); err != nil {
			return res, err
		}
		if err := sim.Run(cfg.Duration); err != nil {
			return res, err
		}
		sent := sim.Stats().Sent
		pt := BandwidthPoint{Load: load, Offered: float64(sent) / (float64(cfg.Duration) / 1e9),
			Throughput: float64(len(lat)) / (float64(cfg.Duration) / 1e9), Model: math.Inf(1)}
		if len(lat) > 0 {
			pt.MeanLatency = mean(lat)
			pt.P99Latency = quantile(lat, 0.99)
		}
		if load < 1 {
			// M/D/1: service 1/μ, mean wait ρ/(2μ(1-ρ)), plus propagation.
			pt.Model = (1/mu+load/(2*mu*(1-load)))*1e3 + float64(cfg.Delay)/1e6
		}
		res.Points = append(res.Points, pt)
	}
	return res, nil
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

// Table returns the result as a table.
func (r BandwidthResult) Table() (header []string, rows [][]string) {
	header = []string{"load", "offered msg/s", "delivered msg/s", "mean latency", "M/D/1 model", "p99 latency"}
	for _, p := range r.Points {
		model := "∞ (queue grows)"
		if !math.IsInf(p.Model, 1) {
			model = fmt.Sprintf("%.1fms", p.Model)
		}
		rows = append(rows, []string{fmt.Sprintf("%.2f", p.Load), fmt.Sprintf("%.0f", p.Offered),
			fmt.Sprintf("%.0f", p.Throughput), fmt.Sprintf("%.1fms", p.MeanLatency), model, fmt.Sprintf("%.1fms", p.P99Latency)})
	}
	return header, rows
}
