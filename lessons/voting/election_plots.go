package voting

import (
	"fmt"
	"image/color"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/dslessons/course/pkg/netsim"
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

// PlotTimeToElect draws, for every spread with at least one election, the
// fraction of runs that had elected a leader by each time.
func PlotTimeToElect(r SweepResult) (*plot.Plot, error) {
	p := plots.New()
	min := float64(r.Config.Base.TimeoutMin) / float64(netsim.Millisecond)
	p.Title.Text = fmt.Sprintf("Time to elect a leader, %d nodes (%d runs per curve, seeds from %d)", r.Config.Base.Nodes, r.Config.Runs, r.Config.Base.Seed)
	p.X.Label.Text = "time from start until a leader is elected (ms, log scale)"
	plots.LogX(p)
	var ticks []plot.Tick
	for _, v := range []float64{150, 200, 300, 500, 1000, 2000, 3000, 5000, 10000} {
		ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprint(v)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Label.Text = "fraction of runs"
	p.Add(plotter.NewGrid())
	for i, s := range r.Spreads {
		if len(s.Times) == 0 {
			continue
		}
		l, err := plotter.NewLine(CDF(s, min))
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i % 4)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%g–%g ms", min, min+float64(s.Spread)/float64(netsim.Millisecond)), l)
	}
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Min = min
	p.Legend.Top, p.Legend.Left = true, false
	return p, nil
}

// PlotLeadership draws who believed it was leader when: one horizontal bar
// per leadership interval at the node's row, labelled with its term, and
// dashed vertical lines at the partition and the heal.
func PlotLeadership(r PartitionRun, cfg PartitionConfig) (*plot.Plot, error) {
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Leaders over time, %s (seed %d, minority %v)", r.Rule, r.Seed, r.Minority)
	p.X.Label.Text = "time (ms)"
	p.Y.Label.Text = "node"
	p.Add(plotter.NewGrid())
	ms := func(t netsim.Time) float64 { return float64(t) / float64(netsim.Millisecond) }
	var labels plotter.XYLabels
	for _, iv := range r.Intervals {
		y := float64(iv.Node)
		l, err := plotter.NewLine(plotter.XYs{{X: ms(iv.From), Y: y}, {X: ms(iv.To), Y: y}})
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		l.Width = vg.Points(6)
		l.Color = plotutil.Color(iv.Term % 7)
		p.Add(l)
		labels.XYs = append(labels.XYs, plotter.XY{X: ms(iv.From), Y: y + 0.25})
		labels.Labels = append(labels.Labels, fmt.Sprintf("term %d", iv.Term))
	}
	if len(labels.XYs) > 0 {
		lb, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		p.Add(lb)
	}
	n := float64(cfg.Base.Nodes)
	for _, t := range []struct {
		at     netsim.Time
		name   string
		dashes []vg.Length
		c      color.Color
	}{
		{cfg.PartitionAt, "partition", []vg.Length{vg.Points(6), vg.Points(3)}, color.RGBA{R: 200, A: 255}},
		{cfg.HealAt, "heal", []vg.Length{vg.Points(1.5), vg.Points(2.5)}, color.RGBA{G: 130, B: 60, A: 255}},
	} {
		l, err := plotter.NewLine(plotter.XYs{{X: ms(t.at), Y: -0.5}, {X: ms(t.at), Y: n - 0.5}})
		if err != nil {
			return nil, fmt.Errorf("voting: %w", err)
		}
		l.Dashes, l.Color, l.Width = t.dashes, t.c, vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(t.name, l)
	}
	ticks := make([]plot.Tick, cfg.Base.Nodes)
	for i := range ticks {
		ticks[i] = plot.Tick{Value: float64(i), Label: string(NodeName(i))}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.7, n-0.3
	p.X.Min, p.X.Max = 0, ms(cfg.End)
	p.Legend.Top = true
	return p, nil
}
