package vectorclocks

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dslessons/course/lessons/logicaltime"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/hlc"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/physclock"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// HybridConfig describes HybridRun: a random execution whose events happen
// Step apart in true time, on nodes whose physical clocks are off by a
// random amount within ±Skew and tick in steps of Resolution.
type HybridConfig struct {
	Seed       uint64
	Nodes      int           // [2, 26]
	Events     int           // [1, 200]
	Skew       time.Duration // [0, 1s]
	Step       time.Duration // (0, 1s]
	Resolution time.Duration // (0, 1s]
}

// DefaultHybrid is the lesson's run: four nodes, 24 events 0.3 ms apart,
// clocks within ±5 ms that tick every millisecond — events come faster
// than the clocks tick and closer together than the clocks agree.
var DefaultHybrid = HybridConfig{Seed: 2, Nodes: 4, Events: 24, Skew: 5 * time.Millisecond, Step: 300 * time.Microsecond, Resolution: time.Millisecond}

// HybridResult is the outcome of HybridRun.
type HybridResult struct {
	Config  HybridConfig
	History *history.History
	True    []time.Duration // true time of each event
	HLC     *hlc.Run        // hybrid logical clocks (and each event's physical reading)
	Lamport *lamport.Run
	// PhysicalViolations counts the pairs a → b whose physical timestamps
	// do not have pt(a) < pt(b); PhysicalExample describes the first.
	PhysicalViolations int
	PhysicalExample    string
	HLCViolations      int           // pairs a → b without HLC(a) < HLC(b): 0
	MaxAhead           time.Duration // largest L − pt: how far L ran ahead of the node's clock
	MaxC               uint32        // largest counter C
}

func (c HybridConfig) validate() error {
	switch {
	case c.Nodes < 2 || c.Nodes > 26:
		return fmt.Errorf("vectorclocks: %d nodes not in [2,26]", c.Nodes)
	case c.Events < 1 || c.Events > 200:
		return fmt.Errorf("vectorclocks: %d events not in [1,200]", c.Events)
	case c.Skew < 0 || c.Skew > time.Second:
		return fmt.Errorf("vectorclocks: skew %v not in [0,1s]", c.Skew)
	case c.Step <= 0 || c.Step > time.Second:
		return fmt.Errorf("vectorclocks: step %v not in (0,1s]", c.Step)
	case c.Resolution <= 0 || c.Resolution > time.Second:
		return fmt.Errorf("vectorclocks: resolution %v not in (0,1s]", c.Resolution)
	}
	return nil
}

// HybridRun replays a random execution with hybrid logical clocks
// (Kulkarni et al. 2014, pkg/hlc), Lamport clocks, and the nodes' physical
// clocks, and counts where each keeps the clock condition.
func HybridRun(cfg HybridConfig) (*HybridResult, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	h, err := history.Random(history.RandomConfig{Nodes: cfg.Nodes, Events: cfg.Events, SendProb: 0.45, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	h = logicaltime.NameEvents(h)
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x686c63)) // "hlc"
	hws := make([]*physclock.Hardware, cfg.Nodes)
	for n := range hws {
		off := time.Duration((rng.Float64()*2 - 1) * float64(cfg.Skew))
		hws[n], err = physclock.NewHardware(physclock.HardwareConfig{Offset: off, Resolution: cfg.Resolution, Seed: cfg.Seed + uint64(n)})
		if err != nil {
			return nil, err
		}
	}
	start := cfg.Skew + 10*cfg.Resolution // keeps every reading positive
	res := &HybridResult{Config: cfg, History: h, True: make([]time.Duration, len(h.Events))}
	for e := range h.Events {
		res.True[e] = start + time.Duration(e)*cfg.Step
	}
	res.HLC, err = hlc.Replay(h, func(e int) time.Duration { return hws[h.Events[e].Node].Read(res.True[e]) })
	if err != nil {
		return nil, err
	}
	res.Lamport, err = lamport.Replay(h)
	if err != nil {
		return nil, err
	}
	res.HLCViolations = len(res.HLC.ClockConditionViolations())
	res.MaxAhead = res.HLC.MaxDrift()
	pt := res.HLC.Physical
	for a := range h.Events {
		res.MaxC = max(res.MaxC, res.HLC.Stamps[a].C)
		for b := range h.Events {
			if h.HappensBefore(a, b) && !(pt[a] < pt[b]) {
				if res.PhysicalViolations == 0 {
					res.PhysicalExample = fmt.Sprintf("%s → %s, but the clocks read %v at %s and %v at %s",
						h.Name(a), h.Name(b), pt[a], h.Name(a), pt[b], h.Name(b))
				}
				res.PhysicalViolations++
			}
		}
	}
	return res, nil
}

// Summary says in three lines what each kind of timestamp did.
func (r *HybridResult) Summary() string {
	return fmt.Sprintf("physical timestamps break the clock condition for %d pairs a → b, e.g. %s\n"+
		"hybrid logical clocks: %d violations; L ran at most %v ahead of the node's own clock; the counter C reached %d\n"+
		"Lamport clocks: %d violations, but the numbers say nothing about when",
		r.PhysicalViolations, r.PhysicalExample, r.HLCViolations, r.MaxAhead, r.MaxC, len(r.Lamport.ClockConditionViolations()))
}

// Table lists the first n events (all if n ≤ 0): true time, the node's
// physical clock, the hybrid timestamp and the Lamport timestamp.
func (r *HybridResult) Table(n int) (header []string, rows [][]string) {
	header = []string{"event", "what happens", "true time", "physical clock", "HLC (L, C)", "LT"}
	if n <= 0 || n > len(r.History.Events) {
		n = len(r.History.Events)
	}
	for e := range n {
		rows = append(rows, []string{r.History.Name(e), r.History.Describe(e)[len(r.History.Name(e))+2:], r.True[e].String(),
			r.HLC.Physical[e].String(), r.HLC.Stamps[e].String(), fmt.Sprint(r.Lamport.Stamps[e])})
	}
	return header, rows
}

// HybridPlot plots, for every event, how far the hybrid clock's L is ahead
// of the physical clock of the event's node (ms), with the bound 2·Skew
// that no event can exceed (two clocks each within ±Skew of true time).
func HybridPlot(r *HybridResult) (*plot.Plot, error) {
	if r == nil {
		return nil, fmt.Errorf("vectorclocks: nil hybrid result")
	}
	n := len(r.True)
	x, ahead, bound := make([]float64, n), make([]float64, n), make([]float64, n)
	for e := range n {
		x[e] = float64(e + 1)
		ahead[e] = float64(r.HLC.Stamps[e].L-r.HLC.Physical[e]) / 1e6
		bound[e] = float64(2*r.Config.Skew) / 1e6
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:    fmt.Sprintf("How far HLC's L runs ahead of the node's own clock, skew ±%v (seed %d)", r.Config.Skew, r.Config.Seed),
		XLabel:   "event (in execution order)",
		YLabel:   "L − physical clock (ms)",
		IntegerX: true,
	},
		plots.Series{Name: "bound: 2 × skew", X: x, Y: bound, Color: 1},
		plots.Series{Name: "L − physical clock of the event's node", X: x, Y: ahead, Style: plots.Points, Color: 0})
	if err != nil {
		return nil, fmt.Errorf("vectorclocks: %w", err)
	}
	return p, nil
}
