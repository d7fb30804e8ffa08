package intro

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// AdminConfig configures the "there is one administrator" experiment.
// Node B sends a heartbeat to node A every Interval (B's setting); A
// declares B dead when it hears nothing for Timeout (A's setting, chosen
// for the original interval). For each interval in Intervals, B runs
// for Duration and never fails, so every "B is dead" verdict is false.
type AdminConfig struct {
	Seed      uint64
	Timeout   netsim.Time   // A's timeout; 0 means 3s
	Intervals []netsim.Time // B's heartbeat intervals; nil means 0.5s, 1s, 2s, 2.9s, 3.1s, 4s, 5s
	Duration  netsim.Time   // 0 means 10 minutes
}

// AdminPoint is the outcome for one heartbeat interval.
type AdminPoint struct {
	Interval        netsim.Time
	FalseSuspicions int     // times A declared the live B dead
	PerMinute       float64 // FalseSuspicions per minute
	Heartbeats      int     // heartbeats A received
}

// AdminResult is the outcome of RunAdmin.
type AdminResult struct {
	Config AdminConfig
	Points []AdminPoint
}

func (c AdminConfig) withDefaults() (AdminConfig, error) {
	if c.Timeout == 0 {
		c.Timeout = 3 * netsim.Second
	}
	if c.Intervals == nil {
		c.Intervals = []netsim.Time{500 * netsim.Millisecond, netsim.Second, 2 * netsim.Second,
			2900 * netsim.Millisecond, 3100 * netsim.Millisecond, 4 * netsim.Second, 5 * netsim.Second}
	}
	if c.Duration == 0 {
		c.Duration = 10 * 60 * netsim.Second
	}
	if c.Timeout <= 0 || c.Duration <= 0 {
		return c, fmt.Errorf("intro: timeout %v and duration %v must be > 0", c.Timeout, c.Duration)
	}
	for _, h := range c.Intervals {
		if h < netsim.Millisecond || c.Duration/h > 1_000_000 {
			return c, fmt.Errorf("intro: heartbeat interval %v: want >= 1ms and at most 1e6 heartbeats per run", h)
		}
	}
	return c, nil
}

// RunAdmin runs A's failure detector against B for every interval.
// Heartbeats take 1–20ms.
func RunAdmin(cfg AdminConfig) (AdminResult, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return AdminResult{}, err
	}
	res := AdminResult{Config: cfg}
	for _, h := range cfg.Intervals {
		sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true,
			DefaultLink: netsim.Link{Delay: netsim.Uniform(netsim.Millisecond, 20*netsim.Millisecond)}})
		if err != nil {
			return res, err
		}
		pt := AdminPoint{Interval: h}
		var deadline netsim.TimerID
		suspected := false
		a := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			switch ev.Kind {
			case netsim.Start:
				deadline = ctx.SetTimer(cfg.Timeout, nil)
			case netsim.Receive:
				pt.Heartbeats++
				suspected = false
				ctx.CancelTimer(deadline)
				deadline = ctx.SetTimer(cfg.Timeout, nil)
			case netsim.Timer:
				if ev.Timer == deadline && !suspected && ctx.Now() <= cfg.Duration {
					suspected = true // "B is dead" — but B is fine
					pt.FalseSuspicions++
				}
			}
		})
		b := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind == netsim.Start || ev.Kind == netsim.Timer {
				ctx.Send("A", "heartbeat")
				if ctx.Now()+h <= cfg.Duration {
					ctx.SetTimer(h, nil)
				}
			}
		})
		if err := sim.AddNode("A", a); err != nil {
			return res, err
		}
		if err := sim.AddNode("B", b); err != nil {
			return res, err
		}
		if err := sim.Run(cfg.Duration); err != nil {
			return res, err
		}
		pt.PerMinute = float64(pt.FalseSuspicions) / (float64(cfg.Duration) / float64(60*netsim.Second))
		res.Points = append(res.Points, pt)
	}
	return res, nil
}

// Table returns the result as a table.
func (r AdminResult) Table() (header []string, rows [][]string) {
	header = []string{"B's heartbeat interval", "A's timeout", "heartbeats received", "false 'B is dead'", "per minute"}
	for _, p := range r.Points {
		rows = append(rows, []string{fmtSec(p.Interval), fmtSec(r.Config.Timeout), fmt.Sprint(p.Heartbeats),
			fmt.Sprint(p.FalseSuspicions), fmt.Sprintf("%.1f", p.PerMinute)})
	}
	return header, rows
}

// fmtSec formats t like a Go duration: "1.5s", "5ms", "100µs".
func fmtSec(t netsim.Time) string { return t.Duration().String() }
