package vectorclocks

import (
	"encoding/binary"
	"fmt"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/vclock"
	"gonum.org/v1/plot"
)

// CostRow is the timestamp size per message for one number of nodes.
type CostRow struct {
	Nodes    int
	Messages int     // messages sent in the execution
	Fixed    float64 // bytes per message, vector of 8-byte counters: 8n
	Varint   float64 // bytes per message, vector in vclock's varint form (measured)
	Lamport  float64 // bytes per message, Lamport counter as a varint (measured)
}

// CostResult is the result of MessageCost.
type CostResult struct {
	Seed   uint64
	Events int
	Rows   []CostRow
}

// Table has one row per number of nodes.
func (r CostResult) Table() (header []string, rows [][]string) {
	header = []string{"nodes", "messages", "vector, 8 B/entry", "vector, varint", "Lamport, varint"}
	for _, c := range r.Rows {
		rows = append(rows, []string{fmt.Sprint(c.Nodes), fmt.Sprint(c.Messages),
			fmt.Sprintf("%.0f B", c.Fixed), fmt.Sprintf("%.1f B", c.Varint), fmt.Sprintf("%.1f B", c.Lamport)})
	}
	return header, rows
}

// MessageCost measures how many bytes of timestamp each message carries,
// on a random execution with 30 events per node for each number of nodes
// in ns (each in [2, 26]).
func MessageCost(ns []int, seed uint64) (CostResult, error) {
	if len(ns) == 0 {
		return CostResult{}, fmt.Errorf("vectorclocks: MessageCost needs at least one number of nodes")
	}
	res := CostResult{Seed: seed, Events: 30}
	for _, n := range ns {
		if n < 2 || n > 26 {
			return CostResult{}, fmt.Errorf("vectorclocks: %d nodes not in [2,26]", n)
		}
		h, err := history.Random(history.RandomConfig{Nodes: n, Events: 30 * n, SendProb: 0.5, Seed: seed})
		if err != nil {
			return CostResult{}, err
		}
		vr, err := vclock.Replay(h)
		if err != nil {
			return CostResult{}, err
		}
		lr, err := lamport.Replay(h)
		if err != nil {
			return CostResult{}, err
		}
		var vb, lb int
		for _, m := range h.Messages {
			vb += vr.Stamps[m.Send].EncodedSize()
			lb += len(binary.AppendUvarint(nil, uint64(lr.Stamps[m.Send])))
		}
		row := CostRow{Nodes: n, Messages: len(h.Messages), Fixed: float64(8 * n)}
		if k := len(h.Messages); k > 0 {
			row.Varint, row.Lamport = float64(vb)/float64(k), float64(lb)/float64(k)
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// CostPlot plots bytes of timestamp per message against the number of
// nodes.
func CostPlot(r CostResult) (*plot.Plot, error) {
	if len(r.Rows) == 0 {
		return nil, fmt.Errorf("vectorclocks: no data to plot")
	}
	n := len(r.Rows)
	x, fixed, varint, lamport := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, c := range r.Rows {
		x[i], fixed[i], varint[i], lamport[i] = float64(c.Nodes), c.Fixed, c.Varint, c.Lamport
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:      fmt.Sprintf("Timestamp bytes per message (seed %d)", r.Seed),
		XLabel:     "nodes n",
		YLabel:     "bytes per message",
		LegendLeft: true,
	},
		plots.Series{Name: "vector clock, 8-byte entries (8n)", X: x, Y: fixed, Style: plots.LinePoints, Color: 0},
		plots.Series{Name: "vector clock, varint entries", X: x, Y: varint, Style: plots.LinePoints, Color: 1},
		plots.Series{Name: "Lamport timestamp, varint", X: x, Y: lamport, Style: plots.LinePoints, Color: 2})
	if err != nil {
		return nil, fmt.Errorf("vectorclocks: %w", err)
	}
	return p, nil
}

// CounterRow is the value a logical counter reaches in a real system and
// its size as a varint.
type CounterRow struct {
	Scenario string
	Value    uint64
	Bytes    int // encoding/binary.AppendUvarint
}

// RealCounters computes how large a node's counter gets when it counts
// rate events per second for a while, for a few plausible systems: the
// toy executions above keep every counter below 128 (one varint byte);
// real ones need 3–5 bytes per counter.
func RealCounters() []CounterRow {
	const day = 24 * 3600
	cases := []struct {
		what       string
		rate, secs uint64
	}{
		{"1 event/s for a day", 1, day},
		{"1 000 events/s for an hour", 1000, 3600},
		{"1 000 events/s for a day", 1000, day},
		{"1 000 events/s for a year", 1000, 365 * day},
	}
	var out []CounterRow
	for _, c := range cases {
		v := c.rate * c.secs
		out = append(out, CounterRow{Scenario: c.what, Value: v, Bytes: len(binary.AppendUvarint(nil, v))})
	}
	return out
}

// CounterTable lists RealCounters with the size of a Lamport stamp and of
// a vector of n such counters.
func CounterTable(n int) (header []string, rows [][]string) {
	header = []string{"a node counts", "counter", "Lamport stamp", fmt.Sprintf("vector, %d nodes", n)}
	for _, c := range RealCounters() {
		rows = append(rows, []string{c.Scenario, fmt.Sprint(c.Value), fmt.Sprintf("%d B", c.Bytes),
			fmt.Sprintf("about %d B", n*c.Bytes+1)})
	}
	return header, rows
}
