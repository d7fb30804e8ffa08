package vectorclocks

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/lessons/logicaltime"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/vclock"
	"gonum.org/v1/plot"
)

// SyllabusComparison replays the E1–E6 example of the course notes (the
// one of the Lamport lesson) with both kinds of clock.
type SyllabusComparison struct {
	History *history.History
	Lamport *lamport.Run
	Vector  *vclock.Run
}

// CompareSyllabus replays logicaltime.SyllabusExample with Lamport and
// vector clocks.
func CompareSyllabus() (*SyllabusComparison, error) {
	h, err := logicaltime.SyllabusExample()
	if err != nil {
		return nil, err
	}
	return Compare(h)
}

// Compare replays h with Lamport and vector clocks.
func Compare(h *history.History) (*SyllabusComparison, error) {
	if h == nil {
		return nil, fmt.Errorf("vectorclocks: nil history")
	}
	lr, err := lamport.Replay(h)
	if err != nil {
		return nil, err
	}
	vr, err := vclock.Replay(h)
	if err != nil {
		return nil, err
	}
	return &SyllabusComparison{History: h, Lamport: lr, Vector: vr}, nil
}

// Table has one row per event: name, what happens, Lamport timestamp,
// vector timestamp.
func (c *SyllabusComparison) Table() (header []string, rows [][]string) {
	header = []string{"event", "what happens", "LT", "VC"}
	for e := range c.History.Events {
		d := c.History.Describe(e)
		if i := strings.Index(d, ": "); i >= 0 {
			d = d[i+2:]
		}
		rows = append(rows, []string{c.History.Name(e), d, fmt.Sprint(c.Lamport.Stamps[e]), c.Vector.Label(e)})
	}
	return header, rows
}

// Pair is what the two clocks and the event graph say about two events.
type Pair struct {
	A, B     string            // event names
	LTA, LTB lamport.Timestamp // Lamport timestamps
	VCA, VCB vclock.VC         // vector timestamps
	Vector   vclock.Order      // Compare(VCA, VCB)
	Truth    history.Relation  // happens-before by reachability
}

func (p Pair) String() string {
	return fmt.Sprintf("LT(%s) = %d, LT(%s) = %d; VC(%s) = %v, VC(%s) = %v: %s; happens-before: %s",
		p.A, p.LTA, p.B, p.LTB, p.A, p.VCA, p.B, p.VCB, p.Vector, p.Truth)
}

// Pair compares the events named a and b.
func (c *SyllabusComparison) Pair(a, b string) (Pair, error) {
	ea, err := c.History.EventByLabel(a)
	if err != nil {
		return Pair{}, fmt.Errorf("vectorclocks: %w", err)
	}
	eb, err := c.History.EventByLabel(b)
	if err != nil {
		return Pair{}, fmt.Errorf("vectorclocks: %w", err)
	}
	return Pair{
		A: a, B: b,
		LTA: c.Lamport.Stamps[ea], LTB: c.Lamport.Stamps[eb],
		VCA: c.Vector.Stamps[ea].Clone(), VCB: c.Vector.Stamps[eb].Clone(),
		Vector: c.Vector.Compare(ea, eb), Truth: c.History.Relate(ea, eb),
	}, nil
}

// Diagram draws the history with every event labelled "name [v0,v1,…]",
// highlighting the named events.
func (c *SyllabusComparison) Diagram(title string, highlight ...string) (*plot.Plot, error) {
	return Diagram(c.Vector, title, highlight...)
}

// Labels returns "name [v0,v1,…]" labels for a space-time diagram.
func Labels(r *vclock.Run) []string {
	out := make([]string, len(r.Stamps))
	for e, v := range r.Stamps {
		out[e] = fmt.Sprintf("%s %v", r.History.Name(e), v)
	}
	return out
}

// Diagram draws r's history labelled with vector timestamps, highlighting
// the named events.
func Diagram(r *vclock.Run, title string, highlight ...string) (*plot.Plot, error) {
	if r == nil {
		return nil, fmt.Errorf("vectorclocks: nil run")
	}
	var hi []int
	for _, name := range highlight {
		e, err := r.History.EventByLabel(name)
		if err != nil {
			return nil, fmt.Errorf("vectorclocks: %w", err)
		}
		hi = append(hi, e)
	}
	return plots.SpaceTime(r.History, plots.SpaceTimeOptions{Title: title, Labels: Labels(r), Highlight: hi})
}

// RandomHistory is the lesson's random execution for seed (four nodes, 24
// events, events named a1, a2, …, b1, … as in the Lamport lesson).
func RandomHistory(seed uint64) (*history.History, error) {
	return logicaltime.RandomHistory(seed)
}
