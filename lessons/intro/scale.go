package intro

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// ScaleConfig configures the scale-out experiment: a job of Work items,
// which one machine processes at Rate items per millisecond, is split
// evenly over k workers by a coordinator. Sending a shard and handling a
// reply each cost the coordinator PerMessage of its time (it does one
// thing at a time, first the k sends, then the replies in arrival order),
// and messages take OneWay to arrive.
type ScaleConfig struct {
	Work       int         // items; 0 means 1,000,000
	Rate       int         // items per ms per machine; 0 means 1000 (so one machine needs 1s)
	OneWay     netsim.Time // 0 means 5ms
	PerMessage netsim.Time // 0 means 1ms
	Workers    []int       // values of k; nil means 1, 2, 4, 8, 16, 32, 64, 128
}

// ScalePoint is the outcome for k workers.
type ScalePoint struct {
	Workers   int
	Time      netsim.Time // until the coordinator has every partial result
	Formula   netsim.Time // max(2k·PerMessage, (k+1)·PerMessage + 2·OneWay + ⌈Work/k⌉/Rate)
	Speedup   float64     // single machine time / Time
	Messages  uint64
	LocalTime netsim.Time // Work/Rate, no network
}

// ScaleResult is the outcome of RunScale.
type ScaleResult struct {
	Config ScaleConfig
	Points []ScalePoint
}

type shard struct{ items int }
type done struct{}

// RunScale runs the job on the simulator for every number of workers.
func RunScale(cfg ScaleConfig) (ScaleResult, error) {
	if cfg.Work == 0 {
		cfg.Work = 1_000_000
	}
	if cfg.Rate == 0 {
		cfg.Rate = 1000
	}
	if cfg.OneWay == 0 {
		cfg.OneWay = 5 * netsim.Millisecond
	}
	if cfg.PerMessage == 0 {
		cfg.PerMessage = netsim.Millisecond
	}
	if cfg.Workers == nil {
		cfg.Workers = []int{1, 2, 4, 8, 16, 32, 64, 128}
	}
	if cfg.Work < 1 || cfg.Rate < 1 || cfg.OneWay < 0 || cfg.PerMessage < 0 {
		return ScaleResult{}, fmt.Errorf("intro: scale config %+v: want work and rate >= 1, delays >= 0", cfg)
	}
	res := ScaleResult{Config: cfg}
	local := netsim.Time(cfg.Work) * netsim.Millisecond / netsim.Time(cfg.Rate)
	for _, k := range cfg.Workers {
		if k < 1 || k > 1000 {
			return res, fmt.Errorf("intro: workers %d not in [1, 1000]", k)
		}
		sim, err := netsim.New(netsim.Config{NoTrace: true, DefaultLink: netsim.Link{Delay: netsim.Const(cfg.OneWay)}})
		if err != nil {
			return res, err
		}
		// The coordinator does one thing at a time, in arrival order:
		// first the k sends, then each reply as it arrives.
		var queue []any // int i: send shard i; done{}: handle a reply
		busy := false
		var finished netsim.Time
		replies := 0
		startNext := func(ctx *netsim.Context) {
			if !busy && len(queue) > 0 {
				busy = true
				ctx.SetTimer(cfg.PerMessage, nil)
			}
		}
		coord := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			switch ev.Kind {
			case netsim.Start:
				for i := range k {
					queue = append(queue, i)
				}
				startNext(ctx)
			case netsim.Receive:
				queue = append(queue, done{})
				startNext(ctx)
			case netsim.Timer: // the task at the head of the queue is finished
				task := queue[0]
				queue = queue[1:]
				busy = false
				if i, ok := task.(int); ok {
					n := cfg.Work / k
					if i < cfg.Work%k {
						n++
					}
					ctx.Send(netsim.NodeID(fmt.Sprintf("w%03d", i)), shard{n})
				} else if replies++; replies == k {
					finished = ctx.Now()
				}
				startNext(ctx)
			}
		})
		worker := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			switch ev.Kind {
			case netsim.Receive:
				s := ev.Msg.(shard)
				ctx.SetTimer(netsim.Time(s.items)*netsim.Millisecond/netsim.Time(cfg.Rate), nil)
			case netsim.Timer:
				ctx.Send("coordinator", done{})
			}
		})
		if err := sim.AddNode("coordinator", coord); err != nil {
			return res, err
		}
		for i := range k {
			if err := sim.AddNode(netsim.NodeID(fmt.Sprintf("w%03d", i)), worker); err != nil {
				return res, err
			}
		}
		if err := sim.Run(netsim.Forever); err != nil {
			return res, err
		}
		largest := netsim.Time((cfg.Work+k-1)/k) * netsim.Millisecond / netsim.Time(cfg.Rate)
		formula := max(2*netsim.Time(k)*cfg.PerMessage, netsim.Time(k+1)*cfg.PerMessage+2*cfg.OneWay+largest)
		res.Points = append(res.Points, ScalePoint{Workers: k, Time: finished, Formula: formula,
			Speedup: float64(local) / float64(finished), Messages: sim.Stats().Sent, LocalTime: local})
	}
	return res, nil
}

// Best returns the point with the highest speed-up.
func (r ScaleResult) Best() ScalePoint {
	var b ScalePoint
	for _, p := range r.Points {
		if p.Speedup > b.Speedup {
			b = p
		}
	}
	return b
}

// Table returns the result as a table.
func (r ScaleResult) Table() (header []string, rows [][]string) {
	header = []string{"workers", "job time", "formula", "speed-up", "messages"}
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprint(p.Workers), fmtSec(p.Time), fmtSec(p.Formula),
			fmt.Sprintf("%.1f×", p.Speedup), fmt.Sprint(p.Messages)})
	}
	return header, rows
}
