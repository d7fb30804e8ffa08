package intro

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// CostConfig configures the "transport cost is zero" experiment: every
// node sends a heartbeat of Bytes bytes every Period, either to every
// other node (all-to-all) or only to one monitor node, for Rounds
// periods, in clusters of each size in Sizes.
type CostConfig struct {
	Sizes      []int       // cluster sizes; nil means 4, 8, 16, 32, 64, 128
	Period     netsim.Time // 0 means 1s
	Rounds     int         // heartbeat rounds simulated; 0 means 10
	Bytes      int         // bytes per heartbeat, with headers; 0 means 200
	PricePerGB float64     // dollars per GB transferred; 0 means 0.01 (an assumed cloud price)
}

// CostPoint is the outcome for one cluster size.
type CostPoint struct {
	Nodes                int
	AllToAll, Monitor    uint64  // messages sent in the run
	AllToAllPerSec       float64 // messages per second
	MonitorPerSec        float64
	AllToAllGBPerMonth   float64 // at this rate, 30 days
	AllToAllDollarsMonth float64
}

// CostResult is the outcome of RunCost.
type CostResult struct {
	Config CostConfig
	Points []CostPoint
}

type heartbeat struct{ size int }

func (h heartbeat) Size() int { return h.size }

func (c CostConfig) withDefaults() (CostConfig, error) {
	if c.Sizes == nil {
		c.Sizes = []int{4, 8, 16, 32, 64, 128}
	}
	if c.Period == 0 {
		c.Period = netsim.Second
	}
	if c.Rounds == 0 {
		c.Rounds = 10
	}
	if c.Bytes == 0 {
		c.Bytes = 200
	}
	if c.PricePerGB == 0 {
		c.PricePerGB = 0.01
	}
	for _, n := range c.Sizes {
		if n < 2 || n > 500 {
			return c, fmt.Errorf("intro: cluster size %d not in [2, 500]", n)
		}
	}
	if c.Period <= 0 || c.Rounds < 1 || c.Rounds > 1000 || c.Bytes < 1 || !(c.PricePerGB > 0) {
		return c, fmt.Errorf("intro: cost config %+v: want period > 0, rounds in [1, 1000], bytes >= 1, price > 0", c)
	}
	return c, nil
}

// heartbeats runs n nodes for rounds periods and returns the messages
// sent. With allToAll every node broadcasts; otherwise nodes 1..n-1 send
// to node 0, the monitor.
func heartbeats(n int, c CostConfig, allToAll bool) (uint64, error) {
	sim, err := netsim.New(netsim.Config{NoTrace: true, MaxEvents: -1,
		DefaultLink: netsim.Link{Delay: netsim.Const(netsim.Millisecond)}})
	if err != nil {
		return 0, err
	}
	node := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start, netsim.Timer:
			switch {
			case allToAll:
				ctx.Broadcast(heartbeat{c.Bytes})
			case ctx.Self() != "n000":
				ctx.Send("n000", heartbeat{c.Bytes})
			}
			if ctx.Now()+c.Period < netsim.Time(c.Rounds)*c.Period {
				ctx.SetTimer(c.Period, nil)
			}
		}
	})
	for i := range n {
		if err := sim.AddNode(netsim.NodeID(fmt.Sprintf("n%03d", i)), node); err != nil {
			return 0, err
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return 0, err
	}
	return sim.Stats().Sent, nil
}

// RunCost counts heartbeat messages for every cluster size.
func RunCost(cfg CostConfig) (CostResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return CostResult{}, err
	}
	res := CostResult{Config: cfg}
	secs := float64(netsim.Time(cfg.Rounds)*cfg.Period) / 1e9
	for _, n := range cfg.Sizes {
		all, err := heartbeats(n, cfg, true)
		if err != nil {
			return res, err
		}
		mon, err := heartbeats(n, cfg, false)
		if err != nil {
			return res, err
		}
		perSec := float64(all) / secs
		gb := perSec * float64(cfg.Bytes) * 30 * 24 * 3600 / 1e9
		res.Points = append(res.Points, CostPoint{Nodes: n, AllToAll: all, Monitor: mon,
			AllToAllPerSec: perSec, MonitorPerSec: float64(mon) / secs,
			AllToAllGBPerMonth: gb, AllToAllDollarsMonth: gb * cfg.PricePerGB})
	}
	return res, nil
}

// Table returns the result as a table.
func (r CostResult) Table() (header []string, rows [][]string) {
	header = []string{"nodes", "all-to-all msg/s", "n(n-1)/period", "to a monitor msg/s", "all-to-all GB/month", "at $" + fmt.Sprint(r.Config.PricePerGB) + "/GB"}
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprint(p.Nodes), fmt.Sprintf("%.0f", p.AllToAllPerSec),
			fmt.Sprintf("%.0f", float64(p.Nodes*(p.Nodes-1))/(float64(r.Config.Period)/1e9)),
			fmt.Sprintf("%.0f", p.MonitorPerSec), fmt.Sprintf("%.0f", p.AllToAllGBPerMonth),
			fmt.Sprintf("$%.2f", p.AllToAllDollarsMonth)})
	}
	return header, rows
}
