package voting

import (
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
)

// CDF returns the empirical cumulative distribution of the election times
// of one spread as a step curve: (time ms, fraction of all runs elected by
// then), starting at (from, 0). Runs that never elected keep the curve
// below 1.
func CDF(s SpreadResult, from float64) plotter.XYs {
	xy := plotter.XYs{{X: from, Y: 0}}
	for i, t := range s.Times {
		xy = append(xy, plotter.XY{X: t, Y: float64(i+1) / float64(s.Runs)})
	}
	return xy
}

// Unelected is, for one timeout range of a sweep, how many runs had no
// leader when the sweep gave up (its Limit).
type Unelected struct {
	Range string // "150–151 ms"
	Runs  int
	None  int // runs without a leader at the limit
}

// UnelectedRuns lists the timeout ranges in which some run had no leader
// by the limit: the runs PlotTimeToElect marks.
func UnelectedRuns(r SweepResult) []Unelected {
	var out []Unelected
	for _, s := range r.Spreads {
		if s.Elected < s.Runs {
			out = append(out, Unelected{Range: spreadName(r, s), Runs: s.Runs, None: s.Runs - s.Elected})
		}
	}
	return out
}

// spreadName is a spread's timeout range: "150–175 ms".
func spreadName(r SweepResult, s SpreadResult) string {
	lo := float64(r.Config.Base.TimeoutMin) / float64(netsim.Millisecond)
	return fmt.Sprintf("%g–%g ms", lo, lo+float64(s.Spread)/float64(netsim.Millisecond))
}

// PlotTimeToElect draws, for every timeout range, the fraction of runs
// that had elected a leader by each time, up to the sweep's limit. A
// range in which some runs had no leader at the limit ends in a cross at
// the limit (where the curve stops below 1), and its legend entry says how
// many; a range that never elected anyone is a flat line at 0.
func PlotTimeToElect(r SweepResult) (*plot.Plot, error) {
	p := plots.New()
	lo := float64(r.Config.Base.TimeoutMin) / float64(netsim.Millisecond)
	limit := float64(r.Config.Limit) / float64(netsim.Millisecond)
	if !(limit > lo) {
		return nil, fmt.Errorf("voting: the sweep's limit %v is not after the first timeout", r.Config.Limit)
	}
	p.Title.Text = fmt.Sprintf("Time to elect a leader, %d nodes (%d runs per curve, seeds from %d)", r.Config.Base.Nodes, r.Config.Runs, r.Config.Base.Seed)
	p.X.Label.Text = "time from start until a leader is elected (ms, log scale)"
	p.Y.Label.Text = "fraction of runs with a leader"
	plots.LogX(p)
	var ticks []plot.Tick
	for _, v := range []float64{150, 200, 300, 500, 1000, 2000, 3000, 5000, 10000} {
		if v >= lo && v <= limit {
			ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprint(v)})
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, false, true)
	if err != nil {
		return nil, fmt.Errorf("voting: %w", err)
	}
	for i, s := range r.Spreads {
		xy := CDF(s, lo)
		xy = append(xy, plotter.XY{X: limit, Y: xy[len(xy)-1].Y}) // held until the limit
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.Color, l.Dashes, l.Width = plots.Color(i), plots.Dashes(i), vg.Points(1.5)
		p.Add(l)
		name := spreadName(r, s)
		thumbs := []plot.Thumbnailer{l}
		if none := s.Runs - s.Elected; none > 0 {
			end, err := plotter.NewScatter(plotter.XYs{{X: limit, Y: float64(s.Elected) / float64(s.Runs)}})
			if err != nil {
				return nil, fmt.Errorf("voting: %w", err)
			}
			end.Shape, end.Color, end.Radius = draw.CrossGlyph{}, plots.Color(i), vg.Points(5)
			p.Add(end)
			thumbs = append(thumbs, end)
			name += fmt.Sprintf(": %d of %d without a leader at %g s", none, s.Runs, limit/1000)
		}
		lg.Add(name, thumbs...)
	}
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Min, p.X.Max = lo, limit
	lg.MakeRoom()
	return p, nil
}

// PlotLeadership draws who believed it was leader when: one horizontal bar
// per leadership interval at the node's row, labelled with its term, the
// partition as a shaded band over the cut-off nodes' rows, and its start
// and end as labelled vertical lines. Time is in seconds.
func PlotLeadership(r PartitionRun, cfg PartitionConfig) (*plot.Plot, error) {
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Leaders over time, %s (seed %d)", r.Rule, r.Seed)
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = "node"
	p.Add(plotter.NewGrid())
	sec := func(t netsim.Time) float64 { return float64(t) / float64(netsim.Second) }
	// The cut-off nodes' rows, shaded during the partition.
	for _, node := range r.Minority {
		y := float64(node)
		band, err := plotter.NewPolygon(plotter.XYs{
			{X: sec(cfg.PartitionAt), Y: y - 0.4}, {X: sec(cfg.HealAt), Y: y - 0.4},
			{X: sec(cfg.HealAt), Y: y + 0.4}, {X: sec(cfg.PartitionAt), Y: y + 0.4},
		})
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		band.Color, band.LineStyle.Width = color.Gray{Y: 232}, 0
		p.Add(band)
	}
	var labels plotter.XYLabels
	terms := map[int]int{} // term → colour index, in order of appearance
	for _, iv := range r.Intervals {
		if _, ok := terms[iv.Term]; !ok {
			terms[iv.Term] = len(terms)
		}
		y := float64(iv.Node)
		l, err := plotter.NewLine(plotter.XYs{{X: sec(iv.From), Y: y}, {X: sec(iv.To), Y: y}})
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		l.Width = vg.Points(6)
		l.Color = plots.Color(terms[iv.Term])
		p.Add(l)
		labels.XYs = append(labels.XYs, plotter.XY{X: sec(iv.From), Y: y + 0.22})
		labels.Labels = append(labels.Labels, fmt.Sprintf("term %d", iv.Term))
	}
	n := float64(cfg.Base.Nodes)
	for _, t := range []struct {
		at     netsim.Time
		name   string
		dashes []vg.Length
	}{
		{cfg.PartitionAt, "partition", plots.Dashes(1)},
		{cfg.HealAt, "heal", plots.Dashes(2)},
	} {
		l, err := plotter.NewLine(plotter.XYs{{X: sec(t.at), Y: -0.5}, {X: sec(t.at), Y: n - 0.5}})
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		l.Dashes, l.Color, l.Width = t.dashes, plots.Black, vg.Points(1.2)
		p.Add(l)
		labels.XYs = append(labels.XYs, plotter.XY{X: sec(t.at), Y: n - 0.42})
		labels.Labels = append(labels.Labels, t.name)
	}
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("voting: %w", err)
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font.Size = vg.Points(plots.NoteSize)
	}
	for i := len(labels.Labels) - 2; i < len(labels.Labels); i++ { // partition, heal: centred on their lines
		lb.TextStyle[i].XAlign = draw.XCenter
	}
	p.Add(lb)
	ticks := make([]plot.Tick, cfg.Base.Nodes)
	for i := range ticks {
		name := string(NodeName(i))
		if slices.Contains(r.Minority, i) {
			name += " (cut off)"
		}
		ticks[i] = plot.Tick{Value: float64(i), Label: name}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.Y.Min, p.Y.Max = -0.6, n-0.2
	p.X.Min, p.X.Max = 0, sec(cfg.End)
	return p, nil
}
