package plots

import (
	"bytes"
	"math"
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/show"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	p, err := SpaceTime(h, SpaceTimeOptions{Title: "demo", Highlight: []int{1}})
	require.NoError(t, err)
	assert.Equal(t, "demo", p.Title.Text)
	assert.Equal(t, "step (position in the execution)", p.X.Label.Text)
	assert.Equal(t, "node", p.Y.Label.Text)
	st, timed, err := newSpaceTime(h, SpaceTimeOptions{Highlight: []int{1}})
	require.NoError(t, err)
	assert.False(t, timed)
	// Untimed history: events at their positions 1..n, first node on top.
	assert.Equal(t, []float64{1, 2, 3, 4}, st.x)
	assert.Equal(t, 2.0, st.y(0)) // A
	assert.Equal(t, 1.0, st.y(1)) // B
	assert.Equal(t, 0.0, st.y(2)) // C
	assert.Equal(t, []string{"s", "r", "lost", "x"}, st.labels)
	assert.True(t, st.high[1])
	xmin, xmax, ymin, ymax := st.DataRange()
	assert.Less(t, xmin, 1.0)
	assert.Greater(t, xmax, 4.0+st.stub()) // room for the lost message's stub
	assert.Equal(t, 0.0, ymin)
	assert.Equal(t, 2.0, ymax)
	var buf bytes.Buffer
	require.NoError(t, show.WritePNG(&buf, p, show.DefaultWidth, show.DefaultHeight))
}

func TestSpaceTimeUsesTimes(t *testing.T) {
	b := history.NewBuilder("A", "B")
	m := b.Send("A", "B", "")
	b.At(1.5)
	b.Receive(m, "").At(4)
	h, err := b.Build()
	require.NoError(t, err)
	p, err := SpaceTime(h, SpaceTimeOptions{Labels: []string{"1", "2"}})
	require.NoError(t, err)
	assert.Equal(t, "time (ms)", p.X.Label.Text)
	st, timed, err := newSpaceTime(h, SpaceTimeOptions{})
	require.NoError(t, err)
	assert.True(t, timed)
	assert.Equal(t, []float64{1.5, 4}, st.x)
}

func TestSpaceTimeErrors(t *testing.T) {
	h := example(t)
	_, err := SpaceTime(nil, SpaceTimeOptions{})
	assert.EqualError(t, err, "plots: nil history")
	_, err = SpaceTime(h, SpaceTimeOptions{Labels: []string{"a"}})
	assert.EqualError(t, err, "plots: 1 labels for 4 events")
	_, err = SpaceTime(h, SpaceTimeOptions{Highlight: []int{9}})
	assert.EqualError(t, err, "plots: highlighted event 9 does not exist (history has 4 events)")
}

func TestEvolution(t *testing.T) {
	p, err := Evolution([]string{"A", "B"}, [][]float64{{1, 0}, {1, 1}, {3, 1}}, EvolutionOptions{Title: "c"})
	require.NoError(t, err)
	assert.Equal(t, "event index", p.X.Label.Text)
	assert.Equal(t, "counter", p.Y.Label.Text)
	assert.Equal(t, "c", p.Title.Text)
	a := evolutionSeries([][]float64{{1, 0}, {1, 1}, {3, 1}}, 0)
	assert.Equal(t, []float64{0, 1, 1, 3}, []float64{a[0].Y, a[1].Y, a[2].Y, a[3].Y})
	assert.Equal(t, []float64{0, 1, 2, 3}, []float64{a[0].X, a[1].X, a[2].X, a[3].X})
	_, err = Evolution(nil, nil, EvolutionOptions{})
	assert.Error(t, err)
	_, err = Evolution([]string{"A"}, [][]float64{{1, 2}}, EvolutionOptions{})
	assert.EqualError(t, err, "plots: values[0] has 2 entries for 1 nodes")
}

func TestIntegerTicks(t *testing.T) {
	ticks := IntegerTicks{}.Ticks(-0.5, 6.5)
	var vals []float64
	for _, tk := range ticks {
		vals = append(vals, tk.Value)
		assert.Equal(t, tk.Label, map[float64]string{0: "0", 1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6"}[tk.Value])
	}
	assert.Equal(t, []float64{0, 1, 2, 3, 4, 5, 6}, vals)
	assert.LessOrEqual(t, len(IntegerTicks{}.Ticks(0, 1000)), 11)
	assert.Nil(t, IntegerTicks{}.Ticks(5, 1))
}

func TestChart(t *testing.T) {
	a := Series{Name: "formula", X: []float64{1, 2, 3}, Y: []float64{0.5, 0.25, 0.125}, Color: 0}
	b := Series{Name: "simulated", X: []float64{1, 2, 3}, Y: []float64{0.49, 0.26, 0.12}, Style: Points, Color: 0}
	p, err := Chart(ChartOptions{Title: "t", XLabel: "n", YLabel: "P", LogY: true, IntegerX: true}, a, b)
	require.NoError(t, err)
	assert.Equal(t, "t", p.Title.Text)
	var buf bytes.Buffer
	require.NoError(t, show.WritePNG(&buf, p, show.DefaultWidth, show.DefaultHeight))

	cases := map[string]struct {
		opt ChartOptions
		s   []Series
		msg string
	}{
		"none":     {ChartOptions{}, nil, "plots: Chart needs at least one series"},
		"lengths":  {ChartOptions{}, []Series{{Name: "s", X: []float64{1}, Y: nil}}, `plots: series "s" has 1 x values and 0 y values`},
		"empty":    {ChartOptions{}, []Series{{Name: "s"}}, `plots: series "s" is empty`},
		"nan":      {ChartOptions{}, []Series{{Name: "s", X: []float64{1}, Y: []float64{math.NaN()}}}, `plots: series "s" point 0 is (1, NaN): values must be finite`},
		"log zero": {ChartOptions{LogY: true}, []Series{{Name: "s", X: []float64{1}, Y: []float64{0}}}, `plots: series "s" has y = 0 at point 0; a logarithmic axis needs values > 0`},
		"log x":    {ChartOptions{LogX: true}, []Series{{Name: "s", X: []float64{-1}, Y: []float64{1}}}, `plots: series "s" has x = -1 at point 0; a logarithmic axis needs values > 0`},
		"range":    {ChartOptions{YRange: true, YMin: 1, YMax: 0}, []Series{a}, "plots: y range [1, 0] is empty"},
		"style":    {ChartOptions{}, []Series{{Name: "s", X: []float64{1}, Y: []float64{1}, Style: 9}}, `plots: series "s" has unknown style 9`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Chart(c.opt, c.s...)
			assert.EqualError(t, err, c.msg)
		})
	}
}
