package plots

import (
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

type textStyle = text.Style

// Label placement for space-time diagrams.
//
// Every label gets a box (its text plus a white margin). Each event's
// label tries a fixed list of places around its dot: just above or below,
// centred or shifted to either side, then one or two lines further out
// (joined to the dot by a leader line). Each place costs its distance from
// the dot plus penalties for what the box would cover: another label
// (prohibitive), an event dot, another node's lane, a message line, the
// legend band or the edge of the picture. Events are placed left to right
// and each takes its cheapest place. The diagram draws the boxes white,
// so lines that still pass behind a label never run through its text.

// labelPlace is where one event's label goes.
type labelPlace struct {
	event                int
	box                  vg.Rectangle // text plus margin, drawn white
	at                   vg.Point     // FillText's point (text aligned left, bottom)
	leader               bool         // a thin line joins the box to its dot (labels away from it)
	leaderFrom, leaderTo vg.Point
	cost                 float64
}

// diagramLayout is everything a space-time diagram draws, in canvas
// coordinates: what Plot draws and what tests check.
type diagramLayout struct {
	canvas   vg.Rectangle
	dots     []vg.Point    // per event
	radius   []vg.Length   // per event
	messages [][2]vg.Point // per message: send to receive, or to the stub's end
	lanes    []vg.Length   // y of each node's line
	labels   []labelPlace  // one per non-empty label, in placing order
	band     vg.Rectangle  // the legend's band; empty without a legend
}

// Penalties of a label place.
const (
	costLabel   = 1000 // covers another label
	costOutside = 500  // leaves the picture or enters the legend band
	costDot     = 400  // covers an event
	costLane    = 80   // crosses another node's line
	costMessage = 25   // crosses a message line
	costLevel   = 8    // each line further from the dot
)

// layout computes the diagram's geometry on canvas c.
func (s *spaceTime) layout(c draw.Canvas, plt *plot.Plot) diagramLayout {
	tx, ty := plt.Transforms(&c)
	l := diagramLayout{
		canvas:   c.Rectangle,
		dots:     make([]vg.Point, len(s.h.Events)),
		radius:   make([]vg.Length, len(s.h.Events)),
		messages: make([][2]vg.Point, len(s.h.Messages)),
		lanes:    make([]vg.Length, len(s.h.Nodes)),
	}
	for n := range s.h.Nodes {
		l.lanes[n] = ty(s.lane(n))
	}
	for e := range s.h.Events {
		l.dots[e] = vg.Point{X: tx(s.x[e]), Y: ty(s.y(e))}
		l.radius[e] = pts(dotRadius)
		if s.high[e] {
			l.radius[e] = pts(highRadius)
		}
	}
	stub := s.stub()
	for m, msg := range s.h.Messages {
		from := l.dots[msg.Send]
		if msg.Receive >= 0 {
			l.messages[m] = [2]vg.Point{from, l.dots[msg.Receive]}
			continue
		}
		dy := s.lane(msg.To) - s.y(msg.Send)
		to := vg.Point{X: tx(s.x[msg.Send] + stub), Y: ty(s.y(msg.Send) + dy*0.4)}
		l.messages[m] = [2]vg.Point{from, to}
	}
	if s.hasLegend() {
		l.band = vg.Rectangle{Min: c.Min, Max: vg.Point{X: c.Max.X, Y: c.Min.Y + pts(bandHeight)}}
	}
	l.labels = s.placeLabels(&l)
	return l
}

// obstacles indexes what labels must avoid by columns of the canvas, so
// that a candidate place is checked against nearby things only.
type obstacles struct {
	x0, width vg.Length
	cols      [][]int // per column: indices into items
	items     []obstacle
	seen      []int // stamp per item, to count each once per query
	stamp     int
}

type obstacle struct {
	kind int // costLabel, costDot, costMessage
	r    vg.Rectangle
	a, b vg.Point // a segment, for costMessage
}

func newObstacles(r vg.Rectangle) *obstacles {
	w := pts(24)
	n := int(math.Ceil(float64((r.Max.X-r.Min.X)/w))) + 1
	n = min(max(n, 1), 4096)
	return &obstacles{x0: r.Min.X, width: w, cols: make([][]int, n)}
}

func (o *obstacles) colRange(minX, maxX vg.Length) (int, int) {
	a := int(math.Floor(float64((minX - o.x0) / o.width)))
	b := int(math.Floor(float64((maxX - o.x0) / o.width)))
	clamp := func(i int) int { return min(max(i, 0), len(o.cols)-1) }
	return clamp(a), clamp(b)
}

func (o *obstacles) add(ob obstacle) {
	i := len(o.items)
	o.items = append(o.items, ob)
	o.seen = append(o.seen, 0)
	a, b := o.colRange(ob.r.Min.X, ob.r.Max.X)
	for k := a; k <= b; k++ {
		o.cols[k] = append(o.cols[k], i)
	}
}

func (o *obstacles) addRect(kind int, r vg.Rectangle) { o.add(obstacle{kind: kind, r: r}) }

func (o *obstacles) addSegment(a, b vg.Point) {
	r := vg.Rectangle{Min: vg.Point{X: min(a.X, b.X), Y: min(a.Y, b.Y)}, Max: vg.Point{X: max(a.X, b.X), Y: max(a.Y, b.Y)}}
	o.add(obstacle{kind: costMessage, r: r, a: a, b: b})
}

// cost is the sum of the penalties of what r covers.
func (o *obstacles) cost(r vg.Rectangle) float64 {
	o.stamp++
	a, b := o.colRange(r.Min.X, r.Max.X)
	total := 0.0
	for k := a; k <= b; k++ {
		for _, i := range o.cols[k] {
			if o.seen[i] == o.stamp {
				continue
			}
			o.seen[i] = o.stamp
			ob := o.items[i]
			if !overlaps(ob.r, r) {
				continue
			}
			if ob.kind == costMessage && !segmentHits(ob.a, ob.b, r) {
				continue
			}
			total += float64(ob.kind)
		}
	}
	return total
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// candidate is a label place relative to its dot.
type candidate struct {
	level  int     // 0 next to the dot, 1 and 2 further out
	above  bool    //
	shift  int     // 0 centred, 1 right, -1 left, 2 beside right, -2 beside left
	prefer float64 // cost of the place itself
}

var candidates = func() []candidate {
	var cs []candidate
	shifts := []struct {
		s    int
		cost float64
	}{{0, 0}, {1, 1}, {-1, 1.2}, {2, 3}, {-2, 3.2}}
	for level := 0; level < 3; level++ {
		for _, above := range []bool{true, false} {
			for _, sh := range shifts {
				p := float64(level)*costLevel + sh.cost
				if !above {
					p += 0.6
				}
				cs = append(cs, candidate{level: level, above: above, shift: sh.s, prefer: p})
			}
		}
	}
	return cs
}()

// placeLabels chooses a place for every non-empty label.
func (s *spaceTime) placeLabels(l *diagramLayout) []labelPlace {
	obs := newObstacles(l.canvas)
	for e, p := range l.dots {
		r := l.radius[e] + pts(0.8)
		obs.addRect(costDot, vg.Rectangle{Min: vg.Point{X: p.X - r, Y: p.Y - r}, Max: vg.Point{X: p.X + r, Y: p.Y + r}})
	}
	for _, m := range l.messages {
		obs.addSegment(m[0], m[1])
	}
	order := make([]int, 0, len(s.h.Events))
	for e := range s.h.Events {
		if s.labels[e] != "" {
			order = append(order, e)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := l.dots[order[i]], l.dots[order[j]]
		if a.X != b.X {
			return a.X < b.X
		}
		return a.Y > b.Y
	})
	var out []labelPlace
	for _, e := range order {
		sty := s.labelStyle(s.high[e])
		rel := sty.Rectangle(s.labels[e]) // the text's box around FillText's point
		w := rel.Max.X - rel.Min.X + 2*pts(labelPad)
		h := rel.Max.Y - rel.Min.Y + 2*pts(labelPad)
		best := labelPlace{cost: math.Inf(1)}
		for _, cand := range candidates {
			box := s.placeBox(l, e, cand, w, h)
			cost := cand.prefer + obs.cost(box) + l.outside(box) + l.laneCost(box, s.h.Events[e].Node)
			if cost < best.cost {
				best = labelPlace{event: e, box: box, cost: cost, leader: cand.level > 0 || cand.shift == 2 || cand.shift == -2}
				best.at = vg.Point{X: box.Min.X + pts(labelPad) - rel.Min.X, Y: box.Min.Y + pts(labelPad) - rel.Min.Y}
			}
			if cost == 0 {
				break
			}
		}
		if best.leader {
			p := l.dots[e]
			best.leaderFrom = p
			// To the nearest point of the box's edge facing the dot.
			best.leaderTo = vg.Point{X: min(max(p.X, best.box.Min.X), best.box.Max.X), Y: best.box.Min.Y}
			if best.box.Max.Y < p.Y {
				best.leaderTo.Y = best.box.Max.Y
			}
		}
		obs.addRect(costLabel, best.box)
		out = append(out, best)
	}
	return out
}

// placeBox is the box of event e's label (w × h) at candidate place cand.
func (s *spaceTime) placeBox(l *diagramLayout, e int, cand candidate, w, h vg.Length) vg.Rectangle {
	p, r := l.dots[e], l.radius[e]
	step := vg.Length(cand.level) * (h + pts(1.5))
	var y0 vg.Length
	if cand.above {
		y0 = p.Y + r + pts(labelGap) + step
	} else {
		y0 = p.Y - r - pts(labelGap) - step - h
	}
	var x0 vg.Length
	switch cand.shift {
	case 0:
		x0 = p.X - w/2
	case 1:
		x0 = p.X - min(w/2, pts(5))
	case -1:
		x0 = p.X + min(w/2, pts(5)) - w
	case 2:
		x0 = p.X + r + pts(1)
	case -2:
		x0 = p.X - r - pts(1) - w
	}
	return vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + w, Y: y0 + h}}
}

// outside is the penalty for a box leaving the canvas or entering the
// legend band.
func (l *diagramLayout) outside(r vg.Rectangle) float64 {
	c := l.canvas
	cost := 0.0
	if r.Min.X < c.Min.X || r.Max.X > c.Max.X || r.Min.Y < c.Min.Y || r.Max.Y > c.Max.Y {
		cost += costOutside
	}
	if l.band.Max.Y > l.band.Min.Y && overlaps(r, l.band) {
		cost += costOutside
	}
	return cost
}

// laneCost is the penalty for a box crossing the lines of nodes other
// than the label's own (whose line it never crosses by construction).
func (l *diagramLayout) laneCost(r vg.Rectangle, own int) float64 {
	cost := 0.0
	for n, y := range l.lanes {
		if n != own && y > r.Min.Y && y < r.Max.Y {
			cost += costLane
		}
	}
	return cost
}
