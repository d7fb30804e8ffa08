package byzantine

import (
	"fmt"
	"image/color"

	bz "github.com/dslessons/course/pkg/byzantine"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TreeNode is one message placed in the message tree: X is its column (the
// commander, the tree's root, is column 0; a message of recursion level k
// is in column k+1: the commander's orders are level 0), Y its row.
// Parent is the index of the message that delivered to this message's
// sender the value it is passing on (-1 for the commander's orders).
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
		nodes[i] = TreeNode{Hop: h, X: float64(h.Level + 1), Parent: -1}
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

// MaxTreeLabels is the most messages a message tree labels: beyond it the
// rows are too close for text.
const MaxTreeLabels = 40

// treeLabel is one text of the message tree: to the right of its dot
// (leaves, where no line leaves the dot) or centred above it.
type treeLabel struct {
	at    plotter.XY
	text  string
	right bool
}

// treeLabels draws the tree's texts on white boxes, so that no line runs
// through them.
type treeLabels struct {
	labels []treeLabel
	style  text.Style
}

// box returns where label l's text goes on canvas c, and its white box.
func (t *treeLabels) box(l treeLabel, x, y vg.Length) (vg.Point, text.Style, vg.Rectangle) {
	sty := t.style
	var at vg.Point
	if l.right {
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
		at = vg.Point{X: x + vg.Points(6), Y: y}
	} else {
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
		at = vg.Point{X: x, Y: y + vg.Points(5)}
	}
	r := sty.Rectangle(l.text)
	pad := vg.Points(1.5)
	return at, sty, vg.Rectangle{
		Min: vg.Point{X: at.X + r.Min.X - pad, Y: at.Y + r.Min.Y - pad},
		Max: vg.Point{X: at.X + r.Max.X + pad, Y: at.Y + r.Max.Y + pad},
	}
}

// Plot implements plot.Plotter.
func (t *treeLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, l := range t.labels {
		at, sty, box := t.box(l, trX(l.at.X), trY(l.at.Y))
		c.SetColor(color.White)
		c.Fill(box.Path())
		c.FillText(sty, at, l.text)
	}
}

// PlotMessageTree draws the message tree of a trace: the commander as a
// square in the first column, one marker per message in the column of its
// recursion level (blue circles for loyal generals' messages, vermillion
// triangles for traitors', rings where a traitor sent nothing), a line
// from each message to the ones that relay it, and "from→to value" labels
// on white boxes when there are at most MaxTreeLabels messages.
func PlotMessageTree(trace []bz.Hop, title string) (*plot.Plot, error) {
	p, _, err := messageTree(trace, title)
	return p, err
}

// messageTree is PlotMessageTree, also returning the labels (for tests).
func messageTree(trace []bz.Hop, title string) (*plot.Plot, *treeLabels, error) {
	nodes, err := MessageTree(trace)
	if err != nil {
		return nil, nil, err
	}
	if len(nodes) == 0 {
		return nil, nil, fmt.Errorf("byzantine: empty trace (run with Trace: true)")
	}
	p := plots.New()
	p.Title.Text = title
	p.X.Label.Text = "the commander, then each level of the recursion"
	p.Y.Label.Text = "messages, in the order sent"
	p.Y.Tick.Marker = plot.ConstantTicks{}
	depth := 0
	for _, n := range nodes {
		depth = max(depth, n.Hop.Level)
	}
	ticks := []plot.Tick{{Value: 0, Label: "commander"}, {Value: 1, Label: "level 0: orders"}}
	for k := 1; k <= depth; k++ {
		ticks = append(ticks, plot.Tick{Value: float64(k + 1), Label: fmt.Sprintf("level %d: relays", k)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)

	rootY, roots := 0.0, 0
	for _, n := range nodes {
		if n.Parent < 0 {
			rootY += n.Y
			roots++
		}
	}
	rootY /= float64(roots)
	root := plotter.XY{X: 0, Y: rootY}
	var edges []plot.Plotter
	for _, n := range nodes {
		from := root
		if n.Parent >= 0 {
			from = plotter.XY{X: nodes[n.Parent].X, Y: nodes[n.Parent].Y}
		}
		l, err := plotter.NewLine(plotter.XYs{from, {X: n.X, Y: n.Y}})
		if err != nil {
			return nil, nil, fmt.Errorf("byzantine: %w", err)
		}
		l.Color = color.Gray{Y: 170}
		edges = append(edges, l)
	}
	p.Add(edges...)

	leaf := make([]bool, len(nodes))
	for i := range leaf {
		leaf[i] = true
	}
	for _, n := range nodes {
		if n.Parent >= 0 {
			leaf[n.Parent] = false
		}
	}
	commander := trace[0].Path[0]
	traitorCommander := trace[0].Traitor
	cmdLabel := fmt.Sprintf("commander %d", commander)
	if traitorCommander {
		cmdLabel += " (traitor)"
	}
	labels := &treeLabels{style: text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(plots.NoteSize)), Handler: plot.DefaultTextHandler}}
	labels.labels = append(labels.labels, treeLabel{at: root, text: cmdLabel})
	var loyal, traitor, silent plotter.XYs
	for i, n := range nodes {
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
			v = "nothing"
		}
		if len(nodes) <= MaxTreeLabels {
			labels.labels = append(labels.labels, treeLabel{at: pt, text: fmt.Sprintf("%d→%d %s", n.Hop.From, n.Hop.To, v), right: leaf[i]})
		}
	}
	p.Add(labels)

	cmd, err := plotter.NewScatter(plotter.XYs{root})
	if err != nil {
		return nil, nil, fmt.Errorf("byzantine: %w", err)
	}
	cmd.Shape, cmd.Radius, cmd.Color = draw.BoxGlyph{}, vg.Points(4.5), color.Black
	if traitorCommander {
		cmd.Color = plots.Vermillion
	}
	p.Add(cmd)
	lg, err := plots.NewLegend(p, true, false)
	if err != nil {
		return nil, nil, fmt.Errorf("byzantine: %w", err)
	}
	lg.Avoid(cmd)
	for _, s := range []struct {
		name string
		xy   plotter.XYs
		c    color.Color
		g    draw.GlyphDrawer
	}{
		{"loyal general's message", loyal, plots.Blue, draw.CircleGlyph{}},
		{"traitor's message", traitor, plots.Vermillion, draw.PyramidGlyph{}},
		{"withheld (counts as Retreat)", silent, color.Black, draw.RingGlyph{}},
	} {
		if len(s.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xy)
		if err != nil {
			return nil, nil, fmt.Errorf("byzantine: %w", err)
		}
		sc.Color, sc.Shape, sc.Radius = s.c, s.g, vg.Points(3.5)
		p.Add(sc)
		lg.Add(s.name, sc)
	}
	p.X.Min, p.X.Max = -0.45, float64(depth+1)+0.85
	minY := 0.0
	for _, n := range nodes {
		minY = min(minY, n.Y)
	}
	p.Y.Min, p.Y.Max = minY-0.6, 0.8
	lg.MakeRoom()
	return p, labels, nil
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
