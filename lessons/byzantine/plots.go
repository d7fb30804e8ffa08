package byzantine

import (
	"fmt"
	"image/color"

	bz "github.com/dslessons/course/pkg/byzantine"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TreeNode is one message placed in the message tree: X is its recursion
// level (the commander's order is level 0; the root, the commander itself,
// is at X = -1), Y its row. Parent is the index of the message that
// delivered to this message's sender the value it is passing on (-1 for
// the commander's orders).
type TreeNode struct {
	Hop    bz.Hop
	X, Y   float64
	Parent int
}

// MessageTree lays out a trace as a tree: each message hangs under the
// message that gave its sender the value being relayed. Leaves are placed
// on consecutive rows in trace order, parents at the mean of their
// children.
func MessageTree(trace []bz.Hop) ([]TreeNode, error) {
	nodes := make([]TreeNode, len(trace))
	key := func(path []int, to int) string { return fmt.Sprint(path, to) }
	index := map[string]int{}
	children := make([][]int, len(trace))
	for i, h := range trace {
		nodes[i] = TreeNode{Hop: h, X: float64(h.Level), Parent: -1}
		index[key(h.Path, h.To)] = i
		if len(h.Path) > 1 {
			p, ok := index[key(h.Path[:len(h.Path)-1], h.From)]
			if !ok {
				return nil, fmt.Errorf("byzantine: message %d (%v) has no parent in the trace", i, h)
			}
			nodes[i].Parent = p
			children[p] = append(children[p], i)
		}
	}
	row := 0.0
	var place func(i int) float64
	place = func(i int) float64 {
		if len(children[i]) == 0 {
			nodes[i].Y = row
			row--
			return nodes[i].Y
		}
		sum := 0.0
		for _, c := range children[i] {
			sum += place(c)
		}
		nodes[i].Y = sum / float64(len(children[i]))
		return nodes[i].Y
	}
	for i := range nodes {
		if nodes[i].Parent < 0 {
			place(i)
		}
	}
	return nodes, nil
}

// PlotMessageTree draws the message tree of a trace: one dot per message
// (red when a traitor sent it, hollow when nothing was sent), a line from
// each message to the one it relays, and "from→to value" labels when there
// are at most 40 messages.
func PlotMessageTree(trace []bz.Hop, title string) (*plot.Plot, error) {
	nodes, err := MessageTree(trace)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("byzantine: empty trace (run with Trace: true)")
	}
	p := plots.New()
	p.Title.Text = title
	p.X.Label.Text = "recursion level (0 = commander's order)"
	p.Y.Label.Text = "messages, in the order sent"
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.Y.Tick.Marker = plot.ConstantTicks{}
	rootY := 0.0
	roots := 0
	for _, n := range nodes {
		if n.Parent < 0 {
			rootY += n.Y
			roots++
		}
	}
	rootY /= float64(roots)
	for _, n := range nodes {
		from := plotter.XY{X: -1, Y: rootY}
		if n.Parent >= 0 {
			from = plotter.XY{X: nodes[n.Parent].X, Y: nodes[n.Parent].Y}
		}
		l, err := plotter.NewLine(plotter.XYs{from, {X: n.X, Y: n.Y}})
		if err != nil {
			return nil, fmt.Errorf("byzantine: %w", err)
		}
		l.Color = color.Gray{Y: 170}
		p.Add(l)
	}
	var loyal, traitor, silent plotter.XYs
	var labels plotter.XYLabels
	for _, n := range nodes {
		pt := plotter.XY{X: n.X, Y: n.Y}
		switch {
		case !n.Hop.Sent:
			silent = append(silent, pt)
		case n.Hop.Traitor:
			traitor = append(traitor, pt)
		default:
			loyal = append(loyal, pt)
		}
		v := n.Hop.Value.String()
		if !n.Hop.Sent {
			v = "-"
		}
		labels.XYs = append(labels.XYs, pt)
		labels.Labels = append(labels.Labels, fmt.Sprintf(" %d→%d %s", n.Hop.From, n.Hop.To, v))
	}
	root, _ := plotter.NewScatter(plotter.XYs{{X: -1, Y: rootY}})
	root.Shape = draw.BoxGlyph{}
	root.Radius = vg.Points(4)
	p.Add(root)
	p.Legend.Add(fmt.Sprintf("commander %d", trace[0].Path[0]), root)
	for _, s := range []struct {
		name string
		xy   plotter.XYs
		c    color.Color
		g    draw.GlyphDrawer
	}{
		{"loyal message", loyal, color.RGBA{R: 31, G: 119, B: 180, A: 255}, draw.CircleGlyph{}},
		{"traitor's message", traitor, color.RGBA{R: 214, G: 39, B: 40, A: 255}, draw.CircleGlyph{}},
		{"withheld", silent, color.Black, draw.RingGlyph{}},
	} {
		if len(s.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xy)
		if err != nil {
			return nil, fmt.Errorf("byzantine: %w", err)
		}
		sc.Color, sc.Shape = s.c, s.g
		p.Add(sc)
		p.Legend.Add(s.name, sc)
	}
	if len(nodes) <= 40 {
		lb, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, fmt.Errorf("byzantine: %w", err)
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].XAlign = 0
			lb.TextStyle[i].YAlign = -0.5
		}
		p.Add(lb)
	}
	p.X.Min = -1.3
	p.X.Max = float64(nodes[len(nodes)-1].Hop.Level) + 0.9
	for _, n := range nodes {
		p.X.Max = max(p.X.Max, n.X+0.9)
	}
	// Room above the tree for the legend, which sits a little below the
	// title rather than against it.
	p.Y.Min, p.Y.Max = p.Y.Min-1, 2.5
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.YOffs = -vg.Points(6)
	return p, nil
}

// PlotThreshold draws the fraction of runs that broke OM(m) against n, one
// line per m.
func PlotThreshold(r ThresholdResult) (*plot.Plot, error) {
	var ss []plots.Series
	for _, m := range r.Config.Ms {
		s := plots.Series{Name: fmt.Sprintf("m=%d (safe from n=%d)", m, 3*m+1), Style: plots.LinePoints, Color: -1}
		for _, pt := range r.Series(m) {
			s.X, s.Y = append(s.X, float64(pt.N)), append(s.Y, pt.Rate())
		}
		ss = append(ss, s)
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:    fmt.Sprintf("OM(m) with m random traitors (%d runs/point, seed %d)", r.Config.Runs, r.Config.Seed),
		XLabel:   "generals n",
		YLabel:   "fraction of runs violating IC1 or IC2",
		IntegerX: true,
	}, ss...)
	if err != nil {
		return nil, fmt.Errorf("byzantine: %w", err)
	}
	// Headroom above the highest rate, so its marker and the legend are not
	// cut off by the top of the plot.
	top := 0.0
	for _, s := range ss {
		for _, y := range s.Y {
			top = max(top, y)
		}
	}
	p.Y.Min, p.Y.Max = 0, max(top*1.35, 0.05)
	return p, nil
}

// PlotGrowth draws OM(m)'s message count against n on a log scale, one
// line per m (measured points, formula as a line).
func PlotGrowth(r GrowthResult) (*plot.Plot, error) {
	var ss []plots.Series
	for _, pt := range r.Points {
		if len(ss) == 0 || ss[len(ss)-1].Name != fmt.Sprintf("m=%d", pt.M) {
			ss = append(ss, plots.Series{Name: fmt.Sprintf("m=%d", pt.M), Style: plots.LinePoints, Color: -1})
		}
		s := &ss[len(ss)-1]
		s.X, s.Y = append(s.X, float64(pt.N)), append(s.Y, float64(pt.Measured))
	}
	p, err := plots.Chart(plots.ChartOptions{
		Title:      "Messages sent by OM(m)",
		XLabel:     "generals n",
		YLabel:     "messages (log scale)",
		IntegerX:   true,
		LogY:       true,
		LegendLeft: true,
	}, ss...)
	if err != nil {
		return nil, fmt.Errorf("byzantine: %w", err)
	}
	return p, nil
}
