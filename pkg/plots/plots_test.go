package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/show"
	"github.com/dslessons/course/pkg/vclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// render draws p as the notebook would (PNG at the default size) and
// returns the bytes.
func render(t testing.TB, p *plot.Plot) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, show.WritePNG(&buf, p, show.DefaultWidth, show.DefaultHeight))
	return buf.Bytes()
}

// drawAt draws p on a canvas of the given size that records nothing and
// returns the data area, so tests can check the layout of the drawing.
func drawAt(p *plot.Plot, w, h vg.Length) draw.Canvas {
	c := draw.NewCanvas(nopCanvas{}, w, h)
	p.Draw(c)
	return p.DataCanvas(c)
}

func TestPalette(t *testing.T) {
	okabeIto := map[color.RGBA]bool{Orange: true, SkyBlue: true, BluishGreen: true, Yellow: true, Blue: true, Vermillion: true, ReddishPurple: true, Black: true}
	seen := map[color.RGBA]bool{}
	for i := range 8 {
		c := Color(i).(color.RGBA)
		assert.True(t, okabeIto[c], "colour %d %v is not an Okabe–Ito colour", i, c)
		seen[c] = true
	}
	assert.Len(t, seen, 8, "the first eight series have eight colours")
	assert.Equal(t, Color(0), Color(8))
	assert.Equal(t, Color(7), Color(-1))
	// Markers and dashes tell series apart without colour.
	shapes, dash := map[string]bool{}, map[string]bool{}
	for i := range 8 {
		shapes[fmt.Sprintf("%T", Shape(i))] = true
		dash[fmt.Sprint(Dashes(i))] = true
	}
	assert.Len(t, shapes, 8)
	assert.Len(t, dash, 8)
	// Importing the package makes gonum's helpers use the same style.
	assert.Equal(t, Color(2), plotutil.Color(2))
	assert.Equal(t, font.Variant("Sans"), plot.DefaultFont.Variant)
	p := New()
	assert.Equal(t, font.Variant("Sans"), p.X.Tick.Label.Font.Variant)
	assert.Equal(t, vg.Points(TickSize), p.X.Tick.Label.Font.Size)
}

func TestChartErrors(t *testing.T) {
	a := Series{Name: "formula", X: []float64{1, 2, 3}, Y: []float64{0.5, 0.25, 0.125}, Color: 0}
	many := Series{Name: "big", X: make([]float64, MaxPoints+1), Y: make([]float64, MaxPoints+1)}
	cases := map[string]struct {
		opt ChartOptions
		s   []Series
		msg string
	}{
		"none":       {ChartOptions{}, nil, "plots: Chart needs at least one series"},
		"lengths":    {ChartOptions{}, []Series{{Name: "s", X: []float64{1}, Y: nil}}, `plots: series "s" has 1 x values and 0 y values`},
		"empty":      {ChartOptions{}, []Series{{Name: "s"}}, `plots: series "s" is empty`},
		"nan":        {ChartOptions{}, []Series{{Name: "s", X: []float64{1}, Y: []float64{math.NaN()}}}, `plots: series "s" point 0 is (1, NaN): values must be finite`},
		"inf":        {ChartOptions{}, []Series{{Name: "s", X: []float64{math.Inf(-1)}, Y: []float64{1}}}, `plots: series "s" point 0 is (-Inf, 1): values must be finite`},
		"log zero":   {ChartOptions{LogY: true}, []Series{{Name: "s", X: []float64{1}, Y: []float64{0}}}, `plots: series "s" has y = 0 at point 0; a logarithmic axis needs values > 0`},
		"log x":      {ChartOptions{LogX: true}, []Series{{Name: "s", X: []float64{-1}, Y: []float64{1}}}, `plots: series "s" has x = -1 at point 0; a logarithmic axis needs values > 0`},
		"range":      {ChartOptions{YRange: true, YMin: 1, YMax: 0}, []Series{a}, "plots: y range [1, 0] is empty or not finite"},
		"range nan":  {ChartOptions{YRange: true, YMin: math.NaN(), YMax: 1}, []Series{a}, "plots: y range [NaN, 1] is empty or not finite"},
		"range log":  {ChartOptions{YRange: true, YMin: 0, YMax: 1, LogY: true}, []Series{a}, "plots: y range [0, 1] starts at or below 0; a logarithmic axis needs values > 0"},
		"range wide": {ChartOptions{YRange: true, YMin: -math.MaxFloat64, YMax: math.MaxFloat64}, []Series{a}, "plots: y range [-1.7976931348623157e+308, 1.7976931348623157e+308] is empty or not finite"},
		"style":      {ChartOptions{}, []Series{{Name: "s", X: []float64{1}, Y: []float64{1}, Style: 9}}, `plots: series "s" has unknown style 9`},
		"x span":     {ChartOptions{}, []Series{{Name: "s", X: []float64{-math.MaxFloat64, math.MaxFloat64}, Y: []float64{1, 2}}}, "plots: x values span [-1.7976931348623157e+308, 1.7976931348623157e+308], wider than float64 can measure; scale them"},
		"y span":     {ChartOptions{}, []Series{{Name: "s", X: []float64{1, 2}, Y: []float64{-1e308, 1e308}}}, "plots: y values span [-1e+308, 1e+308], wider than float64 can measure; scale them"},
		"points":     {ChartOptions{}, []Series{many}, "plots: more than 100000 points in the chart; downsample the series"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Chart(c.opt, c.s...)
			assert.EqualError(t, err, c.msg)
			assert.Nil(t, p)
		})
	}
}

// Inputs that used to hang the renderer (a tick loop that never passed
// the top of the axis, or one tick per unit up to 1e300) now draw.
func TestChartExtremeButValid(t *testing.T) {
	cases := map[string]struct {
		opt ChartOptions
		s   Series
	}{
		"integer x to 1e300": {ChartOptions{IntegerX: true}, Series{X: []float64{0, 1e300}, Y: []float64{1, 2}}},
		"x near MaxFloat64":  {ChartOptions{}, Series{X: []float64{0, math.MaxFloat64}, Y: []float64{1, 2}}},
		"one point at 1e300": {ChartOptions{IntegerX: true}, Series{X: []float64{1e300}, Y: []float64{1e300}}},
		"one point at 0":     {ChartOptions{}, Series{X: []float64{0}, Y: []float64{0}}},
		"narrow":             {ChartOptions{}, Series{X: []float64{1, math.Nextafter(1, 2)}, Y: []float64{1, 1}}},
		"log 600 decades":    {ChartOptions{LogX: true, LogY: true}, Series{X: []float64{1e-300, 1e300}, Y: []float64{5e-324, 1e308}}},
		"log one value":      {ChartOptions{LogY: true}, Series{X: []float64{1, 2}, Y: []float64{3, 3}}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Chart(c.opt, c.s)
			require.NoError(t, err)
			drawAt(p, Width, Height)
			assert.NotEmpty(t, render(t, p))
		})
	}
}

func TestChartStyles(t *testing.T) {
	x := []float64{1, 2, 3}
	p, err := Chart(ChartOptions{Title: "t", XLabel: "n", YLabel: "P", IntegerX: true},
		Series{Name: "a", X: x, Y: x, Color: -1},
		Series{Name: "b", X: x, Y: x, Style: LinePoints, Color: -1},
		Series{Name: "c", X: x, Y: x, Style: Points, Color: 1},
		Series{Name: "d", X: x, Y: x, Style: Steps, Color: -1})
	require.NoError(t, err)
	assert.Equal(t, "t", p.Title.Text)
	assert.Equal(t, font.Variant("Sans"), p.Title.TextStyle.Font.Variant)
	assert.Equal(t, IntegerTicks{}, p.X.Tick.Marker)
	assert.Equal(t, CleanTicks{}, p.Y.Tick.Marker)
	assert.NotEmpty(t, render(t, p))
}

// legendFree draws the chart at the given size and reports what the
// legend box covers (0 when it covers no point and no line).
func legendFree(t *testing.T, p *plot.Plot, lg *chartLegend, w, h vg.Length) (corner, int) {
	t.Helper()
	dc := drawAt(p, w, h)
	require.NotZero(t, lg.box.Size().X, "the legend was not drawn")
	assert.True(t, inRect(lg.box.Min, dc.Rectangle) && inRect(lg.box.Max, dc.Rectangle), "legend %v outside the data area %v", lg.box, dc.Rectangle)
	return lg.chosen, lg.hits(dc, lg.box)
}

func TestChartLegendCoversNoData(t *testing.T) {
	up := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	down := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
	flat := []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}
	high := []float64{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	cases := map[string]struct {
		opt  ChartOptions
		ys   [][]float64
		want corner
	}{
		"rising: top left":                      {ChartOptions{}, [][]float64{up, flat}, corner{top: true, left: true}},
		"falling: top right":                    {ChartOptions{}, [][]float64{down, flat}, corner{top: true}},
		"asked bottom right, free":              {ChartOptions{LegendBottom: true}, [][]float64{up, high}, corner{}},
		"asked bottom left, taken: next corner": {ChartOptions{LegendBottom: true, LegendLeft: true}, [][]float64{up, high}, corner{}},
		"every corner taken: room made on top":  {ChartOptions{}, [][]float64{up, down, flat}, corner{top: true}},
		"log y, every corner taken":             {ChartOptions{LogY: true}, [][]float64{plus1(up), plus1(down)}, corner{top: true}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var ss []Series
			for i, y := range c.ys {
				ss = append(ss, Series{Name: fmt.Sprintf("series %d", i), X: x, Y: y, Style: LinePoints, Color: -1})
			}
			p, lg, err := chart(c.opt, ss)
			require.NoError(t, err)
			k, hits := legendFree(t, p, lg, Width, Height)
			assert.Equal(t, c.want, k)
			assert.Zero(t, hits, "the legend covers data")
		})
	}
}

// A legend for a hand-made picture places itself the same way.
func TestLegendForHandMadePlots(t *testing.T) {
	p := New()
	rising, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 10, Y: 10}})
	require.NoError(t, err)
	flat, err := plotter.NewScatter(plotter.XYs{{X: 0, Y: 5}, {X: 5, Y: 5}, {X: 10, Y: 5}})
	require.NoError(t, err)
	other, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 9}, {X: 3, Y: 9}}) // covers the top left
	require.NoError(t, err)
	p.Add(rising, flat, other)
	lg, err := NewLegend(p, true, false)
	require.NoError(t, err)
	lg.Add("rising", rising)
	lg.Add("flat", flat)
	lg.Avoid(other)
	lg.MakeRoom()
	k, hits := legendFree(t, p, lg.lg, Width, Height)
	assert.Zero(t, hits)
	assert.Equal(t, corner{}, k, "top left is taken by the line not in the legend, top right by the rising one")
	assert.NotEmpty(t, render(t, p))
	// Nil plots, legends and samples are no-ops or errors, not panics.
	_, err = NewLegend(nil, false, false)
	assert.EqualError(t, err, "plots: NewLegend of a nil plot")
	var none *Legend
	none.Add("x", rising)
	none.Avoid(rising)
	none.MakeRoom()
	var nilLine *plotter.Line
	lg.Add("nil sample", nil, nilLine)
	lg.Avoid(nil, nilLine)
	LogY(nil)
	LogX(nil)
	assert.NotEmpty(t, render(t, p))
}

func plus1(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x + 1
	}
	return out
}

// The check above can fail: a legend forced over the data is caught.
func TestLegendHitsDetectsCoveredData(t *testing.T) {
	x := []float64{0, 10}
	p, lg, err := chart(ChartOptions{}, []Series{{Name: "a", X: x, Y: []float64{0, 10}}, {Name: "b", X: x, Y: []float64{10, 0}}})
	require.NoError(t, err)
	dc := drawAt(p, Width, Height)
	tx, ty := p.Transforms(&dc)
	cx, cy := tx(5), ty(5) // where the diagonals cross
	centre := vg.Rectangle{Min: vg.Point{X: cx - 10, Y: cy - 10}, Max: vg.Point{X: cx + 10, Y: cy + 10}}
	assert.Equal(t, 2, lg.hits(dc, centre), "both diagonals cross the centre")
	assert.True(t, segmentHits(vg.Point{X: 0, Y: 0}, vg.Point{X: 10, Y: 10}, vg.Rectangle{Min: vg.Point{X: 4, Y: 4}, Max: vg.Point{X: 5, Y: 5}}))
	assert.False(t, segmentHits(vg.Point{X: 0, Y: 0}, vg.Point{X: 10, Y: 10}, vg.Rectangle{Min: vg.Point{X: 6, Y: 1}, Max: vg.Point{X: 7, Y: 2}}))
}

// Making room keeps the labels of the data's range: no tick label above
// the largest value.
func TestChartRoomKeepsTickLabels(t *testing.T) {
	x := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	up := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	down := []float64{1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0}
	p, err := Chart(ChartOptions{YRange: true, YMin: 0, YMax: 1}, Series{Name: "a", X: x, Y: up}, Series{Name: "b", X: x, Y: down})
	require.NoError(t, err)
	assert.Greater(t, p.Y.Max, 1.0, "room was made above the data")
	assert.Equal(t, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}, labels(p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)))
}

// gonum measures a centred label at the arithmetic middle of a log axis,
// which shrank log plots under a blank band; the data area of a log chart
// is now as tall as that of a linear one.
func TestLogAxisKeepsItsHeight(t *testing.T) {
	x := []float64{1, 2, 3}
	y := []float64{1e-8, 1e-4, 0.3}
	lin, err := Chart(ChartOptions{YLabel: "P(one attacks alone)"}, Series{X: x, Y: y})
	require.NoError(t, err)
	lg, err := Chart(ChartOptions{YLabel: "P(one attacks alone)", LogY: true}, Series{X: x, Y: y})
	require.NoError(t, err)
	assert.Equal(t, "P(one attacks alone)", lg.Y.Label.Text)
	hl, hg := drawAt(lin, Width, Height).Size().Y, drawAt(lg, Width, Height).Size().Y
	assert.GreaterOrEqual(t, float64(hg), float64(hl)-4, "linear %v, log %v", hl, hg)
	// gonum's own log axis loses a band of the height.
	p := New()
	p.Y.Label.Text = "P(one attacks alone)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = LogTicks{}
	p.Y.Min, p.Y.Max = 1e-8, 0.3
	assert.Less(t, float64(drawAt(p, Width, Height).Size().Y), float64(hl)-20)
	LogY(p)
	LogY(p) // twice is once
	assert.GreaterOrEqual(t, float64(drawAt(p, Width, Height).Size().Y), float64(hl)-4)
}

func TestEvolution(t *testing.T) {
	p, lg, err := evolution([]string{"A", "B"}, [][]float64{{1, 0}, {1, 1}, {3, 1}}, EvolutionOptions{Title: "c"})
	require.NoError(t, err)
	assert.Equal(t, "event index", p.X.Label.Text)
	assert.Equal(t, "counter", p.Y.Label.Text)
	assert.Equal(t, "c", p.Title.Text)
	a := evolutionSeries([][]float64{{1, 0}, {1, 1}, {3, 1}}, 0)
	assert.Equal(t, []float64{0, 1, 1, 3}, []float64{a[0].Y, a[1].Y, a[2].Y, a[3].Y})
	assert.Equal(t, []float64{0, 1, 2, 3}, []float64{a[0].X, a[1].X, a[2].X, a[3].X})
	_, hits := legendFree(t, p, lg, Width, Height)
	assert.Zero(t, hits)

	cases := map[string]struct {
		nodes  []string
		values [][]float64
		msg    string
	}{
		"no nodes": {nil, nil, "plots: Evolution needs at least one node"},
		"width":    {[]string{"A"}, [][]float64{{1, 2}}, "plots: values[0] has 2 entries for 1 nodes"},
		"nan":      {[]string{"A"}, [][]float64{{math.NaN()}}, "plots: values[0][0] is NaN; values must be finite"},
		"span":     {[]string{"A", "B"}, [][]float64{{-math.MaxFloat64, math.MaxFloat64}}, "plots: values span [-1.7976931348623157e+308, 1.7976931348623157e+308], wider than float64 can measure; scale them"},
		"nodes":    {make([]string, MaxLanes+1), nil, "plots: Evolution of 51 nodes; at most 50 can be told apart"},
		"points":   {[]string{"A"}, make([][]float64, MaxPoints+1), "plots: Evolution of 100001 events × 1 nodes is more than 100000 points"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Evolution(c.nodes, c.values, EvolutionOptions{})
			assert.EqualError(t, err, c.msg)
		})
	}
}

func TestIntegerTicks(t *testing.T) {
	ticks := IntegerTicks{}.Ticks(-0.5, 6.5)
	var vals []float64
	for _, tk := range ticks {
		vals = append(vals, tk.Value)
		assert.Equal(t, tk.Label, fmt.Sprint(tk.Value))
	}
	assert.Equal(t, []float64{0, 1, 2, 3, 4, 5, 6}, vals)
	assert.LessOrEqual(t, len(IntegerTicks{}.Ticks(0, 1000)), 11)
	assert.Nil(t, IntegerTicks{}.Ticks(5, 1))
}

func FuzzChart(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, uint8(0))
	f.Add([]byte("\x7f\xef\xff\xff\xff\xff\xff\xff\xff\xef\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01"), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		vals := floats(data, 64)
		if len(vals) < 2 {
			return
		}
		opt := ChartOptions{LogX: flags&1 != 0, LogY: flags&2 != 0, IntegerX: flags&4 != 0, LegendLeft: flags&8 != 0, LegendBottom: flags&16 != 0}
		n := len(vals) / 2
		a := Series{Name: "a", X: vals[:n], Y: vals[n : 2*n], Style: Style(flags >> 5 % 4), Color: -1}
		b := Series{Name: "b", X: vals[n : 2*n], Y: vals[:n], Color: -1}
		p, lg, err := chart(opt, []Series{a, b})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "plots: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		drawAt(p, Width, Height)
		drawAt(p, Width/2, Height/2)
		if lg != nil && !(lg.box.Size().X > 0) {
			t.Fatal("legend not drawn")
		}
	})
}

// floats reads up to n float64 values, eight bytes each, from data.
func floats(data []byte, n int) []float64 {
	var out []float64
	for len(data) >= 8 && len(out) < n {
		var u uint64
		for _, b := range data[:8] {
			u = u<<8 | uint64(b)
		}
		out = append(out, math.Float64frombits(u))
		data = data[8:]
	}
	return out
}

// ---- Space-time diagrams ----

func example(t *testing.T) *history.History {
	b := history.NewBuilder("A", "B", "C")
	m := b.Send("A", "B", "s")
	b.Receive(m, "r")
	b.Send("C", "A", "lost") // never received
	b.Local("C", "x")
	h, err := b.Build()
	require.NoError(t, err)
	return h
}

func TestSpaceTimeData(t *testing.T) {
	h := example(t)
	p, st, err := spaceTimePlot(h, SpaceTimeOptions{Title: "demo", Highlight: []int{1}})
	require.NoError(t, err)
	assert.Equal(t, "demo", p.Title.Text)
	assert.Equal(t, "step (position in the execution)", p.X.Label.Text)
	assert.Equal(t, "node", p.Y.Label.Text)
	// Untimed history: events at their positions 1..n, first node on top.
	assert.Equal(t, []float64{1, 2, 3, 4}, st.x)
	assert.Equal(t, 2.0, st.y(0)) // A
	assert.Equal(t, 1.0, st.y(1)) // B
	assert.Equal(t, 0.0, st.y(2)) // C
	assert.Equal(t, []string{"s", "r", "lost", "x"}, st.labels)
	assert.True(t, st.high[1])
	assert.Equal(t, []Fate{InFlight, InFlight}, st.fate) // message 1 unreceived, in flight by default
	xmin, xmax, ymin, ymax := st.DataRange()
	assert.Less(t, xmin, 1.0)
	assert.Greater(t, xmax, 4.0+st.stub()) // room for the stub
	assert.Equal(t, 0.0, ymin)
	assert.Equal(t, 2.0, ymax)
	assert.NotEmpty(t, render(t, p))
}

func TestSpaceTimeUsesTimes(t *testing.T) {
	b := history.NewBuilder("A", "B")
	m := b.Send("A", "B", "")
	b.At(1.5)
	b.Receive(m, "").At(4)
	h, err := b.Build()
	require.NoError(t, err)
	p, st, err := spaceTimePlot(h, SpaceTimeOptions{Labels: []string{"1", "2"}})
	require.NoError(t, err)
	assert.Equal(t, "time (ms)", p.X.Label.Text)
	assert.Equal(t, []float64{1.5, 4}, st.x)
}

func TestSpaceTimeFates(t *testing.T) {
	b := history.NewBuilder("A", "B")
	b.Send("A", "B", "")
	b.Send("A", "B", "")
	m := b.Send("A", "B", "")
	b.Receive(m, "")
	h, err := b.Build()
	require.NoError(t, err)
	_, st, err := spaceTimePlot(h, SpaceTimeOptions{Unreceived: Lost, Fates: map[int]Fate{1: InFlight}})
	require.NoError(t, err)
	assert.Equal(t, Lost, st.fate[0])
	assert.Equal(t, InFlight, st.fate[1])
	assert.Equal(t, [2]bool{true, true}, st.unreceived, "both kinds appear, so both get a legend entry")
	assert.Equal(t, "lost", Lost.String())
	assert.Equal(t, "in flight at the end", InFlight.String())
	assert.Equal(t, "Fate(7)", Fate(7).String())
}

func TestSpaceTimeErrors(t *testing.T) {
	h := example(t)
	// Builder refuses non-finite times; a hand-built history may still
	// carry them.
	at := func(times ...float64) *history.History {
		b := history.NewBuilder("A", "B")
		for range times {
			b.Local("A", "")
		}
		h, err := b.Build()
		require.NoError(t, err)
		for i, tm := range times {
			h.Events[i].Time = tm
		}
		return h
	}
	big := &history.History{Nodes: []string{"A"}, Events: make([]history.Event, MaxEvents+1)}
	cases := map[string]struct {
		h   *history.History
		opt SpaceTimeOptions
		msg string
	}{
		"nil":           {nil, SpaceTimeOptions{}, "plots: nil history"},
		"no nodes":      {&history.History{}, SpaceTimeOptions{}, "plots: history has no nodes"},
		"labels":        {h, SpaceTimeOptions{Labels: []string{"a"}}, "plots: 1 labels for 4 events"},
		"highlight":     {h, SpaceTimeOptions{Highlight: []int{9}}, "plots: highlighted event 9 does not exist (history has 4 events)"},
		"nan time":      {at(1, math.NaN()), SpaceTimeOptions{}, "plots: event 1 has time NaN; times must be finite"},
		"inf time":      {at(math.Inf(1)), SpaceTimeOptions{}, "plots: event 0 has time +Inf; times must be finite"},
		"span":          {at(-math.MaxFloat64, math.MaxFloat64), SpaceTimeOptions{}, "plots: event times span [-1.7976931348623157e+308, 1.7976931348623157e+308], wider than float64 can measure; scale them"},
		"bad node":      {&history.History{Nodes: []string{"A"}, Events: []history.Event{{Node: 3}}}, SpaceTimeOptions{}, "plots: event 0 is on node 3, which does not exist (history has 1 nodes)"},
		"bad message":   {&history.History{Nodes: []string{"A"}, Events: []history.Event{{}}, Messages: []history.Message{{Send: 0, Receive: 7}}}, SpaceTimeOptions{}, "plots: message 0 refers to events 0 and 7; history has 1 events"},
		"bad dest":      {&history.History{Nodes: []string{"A"}, Events: []history.Event{{}}, Messages: []history.Message{{Send: 0, Receive: -1, To: -2}}}, SpaceTimeOptions{}, "plots: message 0 goes to node -2, which does not exist (history has 1 nodes)"},
		"many messages": {&history.History{Nodes: []string{"A"}, Messages: make([]history.Message, 2)}, SpaceTimeOptions{}, "plots: history has 2 messages but only 0 events"},
		"many events":   {big, SpaceTimeOptions{}, "plots: history has 2001 events; a space-time diagram shows at most 2000"},
		"many nodes":    {&history.History{Nodes: make([]string, MaxLanes+1)}, SpaceTimeOptions{}, "plots: history has 51 nodes; a space-time diagram shows at most 50"},
		"fate":          {h, SpaceTimeOptions{Unreceived: 2}, "plots: unknown fate 2 for unreceived messages (InFlight or Lost)"},
		"fate missing":  {h, SpaceTimeOptions{Fates: map[int]Fate{5: Lost}}, "plots: fate given for message 5, which does not exist (history has 2 messages)"},
		"fate received": {h, SpaceTimeOptions{Fates: map[int]Fate{0: Lost}}, "plots: fate given for message 0, which was received"},
		"fate unknown":  {h, SpaceTimeOptions{Fates: map[int]Fate{1: -1}}, "plots: unknown fate -1 for message 1 (InFlight or Lost)"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := SpaceTime(c.h, c.opt)
			assert.EqualError(t, err, c.msg)
			assert.Nil(t, p)
		})
	}
}

// A history with nodes but no events (what used to panic), one event, and
// events all at one huge time still draw.
func TestSpaceTimeDegenerate(t *testing.T) {
	one := history.NewBuilder("A", "B")
	one.Local("B", "only")
	huge := history.NewBuilder("A")
	huge.Local("A", "").At(1e300)
	huge.Local("A", "").At(1e300)
	for name, b := range map[string]*history.Builder{"empty": history.NewBuilder("A", "B"), "one": one, "huge": huge} {
		t.Run(name, func(t *testing.T) {
			h, err := b.Build()
			require.NoError(t, err)
			p, err := SpaceTime(h, SpaceTimeOptions{})
			require.NoError(t, err)
			assert.NotEmpty(t, render(t, p))
		})
	}
}

// checkLayout asserts the promises of the label placement: no two label
// boxes intersect, no label covers an event, every label lies inside the
// data area and out of the legend's band.
func checkLayout(t *testing.T, l diagramLayout) {
	t.Helper()
	for i, a := range l.labels {
		assert.True(t, a.box.Min.X >= l.canvas.Min.X && a.box.Max.X <= l.canvas.Max.X && a.box.Min.Y >= l.canvas.Min.Y && a.box.Max.Y <= l.canvas.Max.Y,
			"label of event %d at %v leaves the picture %v", a.event, a.box, l.canvas)
		if l.band.Size().Y > 0 {
			assert.False(t, overlaps(a.box, l.band), "label of event %d in the legend band", a.event)
		}
		for _, b := range l.labels[i+1:] {
			assert.False(t, overlaps(a.box, b.box), "labels of events %d and %d overlap: %v %v", a.event, b.event, a.box, b.box)
		}
		for e, p := range l.dots {
			r := l.radius[e]
			dot := vg.Rectangle{Min: vg.Point{X: p.X - r, Y: p.Y - r}, Max: vg.Point{X: p.X + r, Y: p.Y + r}}
			assert.False(t, overlaps(a.box, dot), "label of event %d covers event %d", a.event, e)
		}
	}
}

// layoutOf lays out the diagram of h at the given size.
func layoutOf(t *testing.T, h *history.History, opt SpaceTimeOptions, w, ht vg.Length) diagramLayout {
	t.Helper()
	p, st, err := spaceTimePlot(h, opt)
	require.NoError(t, err)
	dc := drawAt(p, w, ht)
	return st.layout(dc, p)
}

// vectorLabels labels events "name [v1,v2,…]" as lesson 08 does.
func vectorLabels(t *testing.T, h *history.History) []string {
	run, err := vclock.Replay(h)
	require.NoError(t, err)
	out := make([]string, len(h.Events))
	for e := range h.Events {
		out[e] = fmt.Sprintf("%s %v", h.Name(e), run.Stamps[e])
	}
	return out
}

// Three events close together on one node, with vector timestamps wider
// than the space between them.
func closeEvents(t *testing.T) *history.History {
	b := history.NewBuilder("A", "B", "C")
	b.Local("A", "").At(0.5)
	m1 := b.Send("A", "B", "")
	b.At(10)
	m2 := b.Send("A", "C", "")
	b.At(10.2)
	b.Local("A", "").At(10.4)
	b.Receive(m1, "").At(14)
	m3 := b.Send("B", "A", "")
	b.At(14.1)
	b.Receive(m2, "").At(14.2)
	b.Local("C", "").At(14.3)
	b.Receive(m3, "").At(25)
	b.Send("C", "B", "")
	b.At(26)
	h, err := b.Build()
	require.NoError(t, err)
	return h
}

func TestSpaceTimeLabelsDoNotOverlap(t *testing.T) {
	random := func(seed uint64, events int) *history.History {
		h, err := history.Random(history.RandomConfig{Nodes: 4, Events: events, SendProb: 0.45, Seed: seed})
		require.NoError(t, err)
		return h
	}
	type input struct {
		h      *history.History
		vector bool
	}
	cases := map[string]input{
		"close events":            {closeEvents(t), true},
		"lesson 07 exercise 3":    {random(2027, 24), false},
		"lesson 08 random seed 1": {random(1, 24), true},
		"lesson 07 random seed 7": {random(7, 24), false},
		"crowded":                 {random(3, 40), true},
	}
	for name, c := range cases {
		for _, size := range [][2]vg.Length{{Width, Height}, {Width, 1.3 * Height}, {2 * Width, 1.3 * Height}} {
			t.Run(fmt.Sprintf("%s %vx%v", name, size[0], size[1]), func(t *testing.T) {
				opt := SpaceTimeOptions{}
				if c.vector {
					opt.Labels = vectorLabels(t, c.h)
				}
				l := layoutOf(t, c.h, opt, size[0], size[1])
				assert.Len(t, l.labels, len(c.h.Events))
				checkLayout(t, l)
			})
		}
	}
}

// The layout check can fail: every label straight above its event, as the
// diagrams were drawn before, overlaps in the close-events history.
func TestLayoutCheckFindsOverlaps(t *testing.T) {
	h := closeEvents(t)
	p, st, err := spaceTimePlot(h, SpaceTimeOptions{Labels: vectorLabels(t, h)})
	require.NoError(t, err)
	l := st.layout(drawAt(p, Width, Height), p)
	overlapping := 0
	naive := make([]vg.Rectangle, len(l.labels))
	for i, lb := range l.labels {
		naive[i] = st.placeBox(&l, lb.event, candidates[0], lb.box.Size().X, lb.box.Size().Y)
		for _, b := range naive[:i] {
			if overlaps(naive[i], b) {
				overlapping++
			}
		}
	}
	assert.Positive(t, overlapping)
	ft := &testing.T{}
	l.labels[1].box = l.labels[0].box
	checkLayout(ft, l)
	assert.True(t, ft.Failed(), "checkLayout missed two labels in one place")
}

func TestSpaceTimeLegendBand(t *testing.T) {
	with := layoutOf(t, example(t), SpaceTimeOptions{}, Width, Height)
	assert.Positive(t, with.band.Size().Y, "an unreceived message needs the legend")
	checkLayout(t, with)
	b := history.NewBuilder("A", "B")
	m := b.Send("A", "B", "")
	b.Receive(m, "")
	h, err := b.Build()
	require.NoError(t, err)
	without := layoutOf(t, h, SpaceTimeOptions{}, Width, Height)
	assert.Zero(t, without.band.Size().Y)
	// The band lies under the lowest lane's labels.
	for _, lb := range with.labels {
		assert.Greater(t, lb.box.Min.Y, with.band.Max.Y)
	}
}

func TestSpaceTimeIsDeterministic(t *testing.T) {
	h := closeEvents(t)
	opt := SpaceTimeOptions{Labels: vectorLabels(t, h), Highlight: []int{1, 2}}
	a, err := SpaceTime(h, opt)
	require.NoError(t, err)
	b, err := SpaceTime(h, opt)
	require.NoError(t, err)
	assert.Equal(t, render(t, a), render(t, b))
}

func FuzzSpaceTime(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{}, uint8(0))
	f.Add([]byte{3, 3, 3, 3, 3, 3}, []byte("\x7f\xf8\x00\x00\x00\x00\x00\x01"), uint8(1))
	f.Fuzz(func(t *testing.T, steps, times []byte, flags uint8) {
		if len(steps) > 200 {
			steps = steps[:200]
		}
		// A history from the bytes: each byte picks a node and an action.
		nodes := []string{"A", "B", "C", "D"}
		b := history.NewBuilder(nodes...)
		var pending []history.Msg
		ts := floats(times, len(steps))
		for i, s := range steps {
			n := nodes[int(s)%len(nodes)]
			switch {
			case s&0x30 == 0x10:
				pending = append(pending, b.Send(n, nodes[(int(s)+1)%len(nodes)], ""))
			case s&0x30 == 0x20 && len(pending) > 0:
				b.Receive(pending[0], "")
				pending = pending[1:]
			default:
				b.Local(n, strings.Repeat("x", int(s)%12))
			}
			if i < len(ts) {
				b.At(ts[i])
			}
		}
		h, err := b.Build()
		if err != nil {
			return
		}
		opt := SpaceTimeOptions{Unreceived: Fate(flags % 2)}
		if flags&2 != 0 {
			opt.Labels = make([]string, len(h.Events))
			for e := range opt.Labels {
				opt.Labels[e] = fmt.Sprintf("%s [%d,%d,%d]", h.Name(e), e, e*e, e%7)
			}
		}
		p, st, err := spaceTimePlot(h, opt)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "plots: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		dc := drawAt(p, Width, Height)
		l := st.layout(dc, p)
		if len(l.labels) > len(h.Events) {
			t.Fatalf("%d labels for %d events", len(l.labels), len(h.Events))
		}
	})
}

func BenchmarkSpaceTimeLayout(b *testing.B) {
	for _, n := range []int{24, 200, MaxEvents} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h, err := history.Random(history.RandomConfig{Nodes: 8, Events: n, SendProb: 0.4, Seed: 1})
			require.NoError(b, err)
			p, st, err := spaceTimePlot(h, SpaceTimeOptions{})
			require.NoError(b, err)
			dc := drawAt(p, Width, Height)
			b.ResetTimer()
			for range b.N {
				st.layout(dc, p)
			}
		})
	}
}

func BenchmarkChartPNG(b *testing.B) {
	x := make([]float64, 1000)
	y := make([]float64, 1000)
	for i := range x {
		x[i], y[i] = float64(i), math.Sin(float64(i)/50)
	}
	p, err := Chart(ChartOptions{Title: "sine"}, Series{Name: "a", X: x, Y: y}, Series{Name: "b", X: x, Y: plus1(y)})
	require.NoError(b, err)
	for range b.N {
		render(b, p)
	}
}
