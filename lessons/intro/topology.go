package intro

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// TopologyConfig configures the "topology doesn't change" experiment. A
// client sends a packet every Interval to a server through one of two
// routers, r1 or r2; the server acknowledges each packet directly. At
// ChangeAt the link r1->server is taken down (a re-cabling, a failed
// line card). The hard-coded client always routes through r1; the
// adaptive client switches router after Misses unacknowledged packets in
// a row.
type TopologyConfig struct {
	Seed     uint64
	Interval netsim.Time // 0 means 10ms
	Duration netsim.Time // 0 means 2s
	ChangeAt netsim.Time // 0 means 1s
	Bin      netsim.Time // width of a histogram bin; 0 means 100ms
	Misses   int         // 0 means 3
}

// TopologyRun is the outcome for one client.
type TopologyRun struct {
	Adaptive             bool
	Sent, Delivered      int
	DeliveredAfterChange int
	SentAfterChange      int
	PerBin               []int       // packets delivered in each bin
	Switches             int         // route changes the client made
	FirstAfterChange     netsim.Time // first delivery after the change, or -1
	RouteAtEnd           netsim.NodeID
}

// TopologyResult is the outcome of RunTopology.
type TopologyResult struct {
	Config              TopologyConfig
	HardCoded, Adaptive TopologyRun
}

type packet struct {
	Seq int
	Via netsim.NodeID
}
type ack struct{ Seq int }

func (c TopologyConfig) withDefaults() (TopologyConfig, error) {
	if c.Interval == 0 {
		c.Interval = 10 * netsim.Millisecond
	}
	if c.Duration == 0 {
		c.Duration = 2 * netsim.Second
	}
	if c.ChangeAt == 0 {
		c.ChangeAt = netsim.Second
	}
	if c.Bin == 0 {
		c.Bin = 100 * netsim.Millisecond
	}
	if c.Misses == 0 {
		c.Misses = 3
	}
	if c.Interval < netsim.Millisecond || c.Duration <= 0 || c.ChangeAt <= 0 || c.ChangeAt >= c.Duration || c.Bin < c.Interval || c.Misses < 1 {
		return c, fmt.Errorf("intro: topology config %+v: want interval >= 1ms, 0 < change < duration, bin >= interval, misses >= 1", c)
	}
	if c.Duration/c.Interval > 1_000_000 {
		return c, fmt.Errorf("intro: %d packets per run; at most 1000000", c.Duration/c.Interval)
	}
	return c, nil
}

// RunTopology runs the hard-coded and the adaptive client.
func RunTopology(cfg TopologyConfig) (TopologyResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return TopologyResult{}, err
	}
	res := TopologyResult{Config: cfg}
	for _, adaptive := range []bool{false, true} {
		run, err := runTopology(cfg, adaptive)
		if err != nil {
			return res, err
		}
		if adaptive {
			res.Adaptive = run
		} else {
			res.HardCoded = run
		}
	}
	return res, nil
}

func runTopology(cfg TopologyConfig, adaptive bool) (TopologyRun, error) {
	run := TopologyRun{Adaptive: adaptive, PerBin: make([]int, (cfg.Duration+cfg.Bin-1)/cfg.Bin), FirstAfterChange: -1}
	sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true,
		DefaultLink: netsim.Link{Delay: netsim.Uniform(netsim.Millisecond, 3*netsim.Millisecond)}})
	if err != nil {
		return run, err
	}
	route := netsim.NodeID("r1")
	misses := 0
	acked := map[int]bool{}
	seq := 0
	cl := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start:
			ctx.SetTimer(0, "send")
		case netsim.Timer:
			if s, ok := ev.Msg.(int); ok { // the ack deadline of packet s
				if !acked[s] {
					misses++
					if adaptive && misses >= cfg.Misses {
						route = other(route)
						run.Switches++
						misses = 0
					}
				}
				return
			}
			seq++
			ctx.Send(route, packet{seq, route})
			run.Sent++
			if ctx.Now() >= cfg.ChangeAt {
				run.SentAfterChange++
			}
			ctx.SetTimer(5*cfg.Interval/2, seq)
			if ctx.Now()+cfg.Interval < cfg.Duration {
				ctx.SetTimer(cfg.Interval, "send")
			}
		case netsim.Receive:
			a := ev.Msg.(ack)
			acked[a.Seq] = true
			misses = 0
		}
	})
	router := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			ctx.Send("server", ev.Msg)
		}
	})
	srv := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind != netsim.Receive {
			return
		}
		p := ev.Msg.(packet)
		run.Delivered++
		now := ctx.Now()
		if now >= cfg.ChangeAt {
			run.DeliveredAfterChange++
			if run.FirstAfterChange < 0 && p.Via != "r1" {
				run.FirstAfterChange = now
			}
		}
		if b := int(now / cfg.Bin); b < len(run.PerBin) {
			run.PerBin[b]++
		}
		ctx.Send("client", ack{p.Seq})
	})
	for _, n := range []struct {
		id netsim.NodeID
		h  netsim.Node
	}{{"client", cl}, {"r1", router}, {"r2", router}, {"server", srv}} {
		if err := sim.AddNode(n.id, n.h); err != nil {
			return run, err
		}
	}
	if err := sim.At(cfg.ChangeAt).Cut("r1", "server"); err != nil {
		return run, err
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return run, err
	}
	run.RouteAtEnd = route
	return run, nil
}

// Table returns the result as a table.
func (r TopologyResult) Table() (header []string, rows [][]string) {
	header = []string{"client", "sent", "delivered", "after the change: sent", "delivered", "route changes"}
	for _, x := range []TopologyRun{r.HardCoded, r.Adaptive} {
		name := "hard-coded route via r1"
		if x.Adaptive {
			name = fmt.Sprintf("switches after %d misses", r.Config.Misses)
		}
		rows = append(rows, []string{name, fmt.Sprint(x.Sent), fmt.Sprint(x.Delivered),
			fmt.Sprint(x.SentAfterChange), fmt.Sprint(x.DeliveredAfterChange), fmt.Sprint(x.Switches)})
	}
	return header, rows
}

// other is the router that is not r.
func other(r netsim.NodeID) netsim.NodeID {
	if r == "r1" {
		return "r2"
	}
	return "r1"
}
