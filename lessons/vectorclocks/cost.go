package vectorclocks

import (
	"encoding/binary"
	"fmt"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/vclock"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
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
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Timestamp bytes per message (seed %d)", r.Seed)
	p.X.Label.Text = "nodes n"
	p.Y.Label.Text = "bytes per message"
	p.Legend.Top, p.Legend.Left = true, true
	series := []struct {
		name string
		get  func(CostRow) float64
	}{
		{"vector clock, 8-byte entries (8n)", func(c CostRow) float64 { return c.Fixed }},
		{"vector clock, varint entries", func(c CostRow) float64 { return c.Varint }},
		{"Lamport timestamp, varint", func(c CostRow) float64 { return c.Lamport }},
	}
	for i, s := range series {
		xy := make(plotter.XYs, len(r.Rows))
		for k, c := range r.Rows {
			xy[k] = plotter.XY{X: float64(c.Nodes), Y: s.get(c)}
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color = palette[i%len(palette)]
		pts.Color = l.Color
		pts.Shape = draw.CircleGlyph{}
		p.Add(l, pts)
		p.Legend.Add(s.name, l, pts)
	}
	return p, nil
}
