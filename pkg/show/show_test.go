package show

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func linePlot(t testing.TB) *plot.Plot {
	p := plot.New()
	p.Title.Text = "t"
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 2}})
	require.NoError(t, err)
	p.Add(l)
	return p
}

func TestWritePNGIsDeterministicAndSized(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, WritePNG(&a, linePlot(t), DefaultWidth, DefaultHeight))
	require.NoError(t, WritePNG(&b, linePlot(t), DefaultWidth, DefaultHeight))
	assert.Equal(t, a.Bytes(), b.Bytes(), "same plot, same bytes")
	img, err := png.Decode(&a)
	require.NoError(t, err)
	// 800 x 450 CSS pixels at twice the density.
	assert.Equal(t, 1600, img.Bounds().Dx())
	assert.Equal(t, 900, img.Bounds().Dy())
}

func TestWriteSVG(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteSVG(&buf, linePlot(t), 10*vg.Centimeter, 5*vg.Centimeter))
	assert.Contains(t, buf.String(), "<svg")
}

func TestRenderErrors(t *testing.T) {
	var buf bytes.Buffer
	assert.EqualError(t, WritePNG(&buf, nil, DefaultWidth, DefaultHeight), "show: nil plot")
	assert.EqualError(t, WriteSVG(&buf, nil, DefaultWidth, DefaultHeight), "show: nil plot")
	err := WritePNG(&buf, linePlot(t), 0, DefaultHeight)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "show: plot size"))
	assert.EqualError(t, WritePNG(&buf, linePlot(t), DefaultWidth, 51*vg.Centimeter), "show: plot size 21.17cm x 51cm: each side must be in (0, 50cm]")
	assert.NoError(t, WriteSVG(&buf, linePlot(t), DefaultWidth, 51*vg.Centimeter), "SVG may be larger")
	assert.Error(t, WriteSVG(&buf, linePlot(t), DefaultWidth, 201*vg.Centimeter))
	assert.Error(t, WritePNG(&buf, linePlot(t), vg.Length(math.NaN()), DefaultHeight))
	// Nil writers are errors, not panics.
	assert.EqualError(t, WritePNG(nil, linePlot(t), DefaultWidth, DefaultHeight), "show: nil writer")
	assert.EqualError(t, WriteSVG(nil, linePlot(t), DefaultWidth, DefaultHeight), "show: nil writer")
	assert.EqualError(t, WriteTable(nil, []string{"a"}, nil), "show: nil writer")
	assert.Error(t, Plot(nil))
	assert.Error(t, PlotSVG(nil, DefaultWidth, DefaultHeight))
	// Outside a notebook, display functions render (so errors surface) but show nothing.
	assert.False(t, InNotebook())
	assert.NoError(t, Plot(linePlot(t)))
}

func TestTables(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, []string{"event", "LT"}, [][]string{{"E1", "1"}, {"E10", "12"}}))
	assert.Equal(t, "event  LT\n-----  --\nE1     1\nE10    12\n", buf.String())
	h, err := HTMLTable([]string{"a<b"}, [][]string{{"x&y"}})
	require.NoError(t, err)
	assert.Contains(t, h, ">a&lt;b</th>")
	assert.Contains(t, h, ">x&amp;y</td>")
	_, err = HTMLTable(nil, nil)
	assert.EqualError(t, err, "show: table: needs at least one column")
	err = WriteTable(&buf, []string{"a", "b"}, [][]string{{"1"}})
	assert.EqualError(t, err, "show: table: row 0 has 1 cells, header has 2")
	assert.Error(t, Table([]string{"a"}, [][]string{{"1", "2"}}))
}

func TestErr(t *testing.T) {
	var buf bytes.Buffer
	old := out
	out = &buf
	defer func() { out = old }()
	assert.False(t, Err(nil))
	assert.True(t, Err(errors.New("netsim: loss probability 1.5\n   not in [0,1]")))
	assert.Equal(t, "error: netsim: loss probability 1.5 not in [0,1]\n", buf.String())
}

func ExampleWriteTable() {
	_ = WriteTable(os.Stdout, []string{"node", "clock"}, [][]string{{"A", "4"}, {"B", "12"}})
	// Output:
	// node  clock
	// ----  -----
	// A     4
	// B     12
}
