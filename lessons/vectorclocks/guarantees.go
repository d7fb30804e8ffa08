package vectorclocks

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/lessons/logicaltime"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/table"
	"github.com/dslessons/course/pkg/vclock"
)

// GuaranteeConfig describes the random executions CheckGuarantees uses.
type GuaranteeConfig struct {
	Seed       uint64  // histories use seeds Seed, Seed+1, …
	Histories  int     // how many executions; 0 means 50; [0, 1000]
	Nodes      int     // nodes per execution; 0 means 4; [1, 26]
	Events     int     // events per execution; 0 means 40; [0, 200]
	SendProb   float64 // probability a step is a send; 0 means 0.4; [0,1]
	ReceiveFor vclock.ReceiveRule
}

// Guarantee is one checked statement.
type Guarantee struct {
	Statement  string // e.g. "a → b  ⇒  VC(a) < VC(b)"
	Checked    int    // pairs (or triples) to which it applied
	Violations int    // how many of those broke it
	Example    string // the first violation, if any
	// Seed of the execution holding Example.
	ExampleSeed uint64
}

// Holds reports whether no violation was found.
func (g Guarantee) Holds() bool { return g.Violations == 0 }

// GuaranteeReport is the result of CheckGuarantees: the four guarantees
// of vector clocks, plus the converse of Lamport's clock condition for
// contrast (which fails).
type GuaranteeReport struct {
	Config     GuaranteeConfig
	Guarantees []Guarantee // vector-clock guarantees, in the order of the course notes
	Lamport    Guarantee   // LT(a) < LT(b) ⇒ a → b, which does not hold
}

// Table has one row per statement.
func (r GuaranteeReport) Table() (header []string, rows [][]string) {
	header = []string{"statement", "cases checked", "violations", "holds"}
	for _, g := range append(append([]Guarantee(nil), r.Guarantees...), r.Lamport) {
		rows = append(rows, []string{g.Statement, fmt.Sprint(g.Checked), fmt.Sprint(g.Violations), yesNo(g.Holds())})
	}
	return header, rows
}

func (r GuaranteeReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d random executions (seeds %d…%d), %d nodes, %d events each\n",
		r.Config.Histories, r.Config.Seed, r.Config.Seed+uint64(r.Config.Histories)-1, r.Config.Nodes, r.Config.Events)
	b.WriteString(table.String(r.Table()))
	if ex := r.Lamport.Example; ex != "" {
		fmt.Fprintf(&b, "for example (seed %d): %s\n", r.Lamport.ExampleSeed, ex)
	}
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (c GuaranteeConfig) withDefaults() (GuaranteeConfig, error) {
	if c.Histories == 0 {
		c.Histories = 50
	}
	if c.Nodes == 0 {
		c.Nodes = 4
	}
	if c.Events == 0 {
		c.Events = 40
	}
	if c.SendProb == 0 {
		c.SendProb = 0.4
	}
	if c.ReceiveFor == nil {
		c.ReceiveFor = vclock.StandardReceive
	}
	if c.Histories < 0 || c.Histories > 1000 {
		return c, fmt.Errorf("vectorclocks: %d histories not in [0,1000]", c.Histories)
	}
	if c.Events < 0 || c.Events > 200 {
		return c, fmt.Errorf("vectorclocks: %d events not in [0,200] (the triple check is cubic)", c.Events)
	}
	return c, nil
}

// CheckGuarantees checks, on seeded random executions and against
// happens-before computed by reachability in the event graph:
//
//  1. a → b ⇒ VC(a) < VC(b)
//  2. VC(a) < VC(b) ⇒ a → b
//  3. VC(a) < VC(b) and VC(b) < VC(c) ⇒ a → c
//  4. VC(a) < VC(b) ⇒ RT(a) < RT(b), real time being the order in which
//     the execution happened,
//
// and, for contrast, LT(a) < LT(b) ⇒ a → b for Lamport clocks.
func CheckGuarantees(cfg GuaranteeConfig) (GuaranteeReport, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return GuaranteeReport{}, err
	}
	gs := []Guarantee{
		{Statement: "a → b  ⇒  VC(a) < VC(b)"},
		{Statement: "VC(a) < VC(b)  ⇒  a → b"},
		{Statement: "VC(a) < VC(b) < VC(c)  ⇒  a → c"},
		{Statement: "VC(a) < VC(b)  ⇒  RT(a) < RT(b)"},
	}
	lg := Guarantee{Statement: "LT(a) < LT(b)  ⇒  a → b  (Lamport)"}
	violate := func(g *Guarantee, seed uint64, format string, args ...any) {
		if g.Violations == 0 {
			g.Example, g.ExampleSeed = fmt.Sprintf(format, args...), seed
		}
		g.Violations++
	}
	for k := range cfg.Histories {
		seed := cfg.Seed + uint64(k)
		h, err := history.Random(history.RandomConfig{Nodes: cfg.Nodes, Events: cfg.Events, SendProb: cfg.SendProb, Seed: seed})
		if err != nil {
			return GuaranteeReport{}, err
		}
		h = logicaltime.NameEvents(h)
		vr, err := vclock.ReplayWith(h, cfg.ReceiveFor)
		if err != nil {
			return GuaranteeReport{}, err
		}
		lr, err := lamport.Replay(h)
		if err != nil {
			return GuaranteeReport{}, err
		}
		n := len(h.Events)
		less := make([][]bool, n)
		for a := range n {
			less[a] = make([]bool, n)
			for b := range n {
				less[a][b] = vr.Less(a, b)
			}
		}
		for a := range n {
			for b := range n {
				hb := h.HappensBefore(a, b)
				if hb {
					gs[0].Checked++
					if !less[a][b] {
						violate(&gs[0], seed, "%s → %s but VC = %v, %v", h.Name(a), h.Name(b), vr.Stamps[a], vr.Stamps[b])
					}
				}
				if less[a][b] {
					gs[1].Checked++
					if !hb {
						violate(&gs[1], seed, "VC(%s) = %v < VC(%s) = %v but not %s → %s", h.Name(a), vr.Stamps[a], h.Name(b), vr.Stamps[b], h.Name(a), h.Name(b))
					}
					gs[3].Checked++
					if a >= b {
						violate(&gs[3], seed, "VC(%s) < VC(%s) but %s happened first", h.Name(a), h.Name(b), h.Name(b))
					}
					for c := range n {
						if less[b][c] {
							gs[2].Checked++
							if !h.HappensBefore(a, c) {
								violate(&gs[2], seed, "VC(%s) < VC(%s) < VC(%s) but not %s → %s", h.Name(a), h.Name(b), h.Name(c), h.Name(a), h.Name(c))
							}
						}
					}
				}
				if lr.Less(a, b) {
					lg.Checked++
					if !hb {
						violate(&lg, seed, "LT(%s) = %d < LT(%s) = %d but %s and %s are concurrent",
							h.Name(a), lr.Stamps[a], h.Name(b), lr.Stamps[b], h.Name(a), h.Name(b))
					}
				}
			}
		}
	}
	return GuaranteeReport{Config: cfg, Guarantees: gs, Lamport: lg}, nil
}
