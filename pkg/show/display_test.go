package show

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dslessons/course/pkg/plots"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot/vg"
)

func TestSizes(t *testing.T) {
	// The size pictures are laid out for is the size they are shown at.
	assert.Equal(t, plots.Width, DefaultWidth)
	assert.Equal(t, plots.Height, DefaultHeight)
	w, h := CSSPixels(DefaultWidth, DefaultHeight)
	assert.Equal(t, [2]int{800, 450}, [2]int{w, h})
	w, h = CSSPixels(10*vg.Centimeter, 5*vg.Centimeter)
	assert.Equal(t, [2]int{378, 189}, [2]int{w, h})
	w, h = CSSPixels(vg.Length(math.NaN()), -1)
	assert.Equal(t, [2]int{0, 0}, [2]int{w, h})
}

// A PNG is shown at its CSS size: the display message carries the size as
// Jupyter's image metadata, and the image has twice as many pixels.
func TestPNGDisplayMessage(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WritePNG(&buf, linePlot(t), DefaultWidth, DefaultHeight))
	msg := pngDisplay(buf.Bytes(), DefaultWidth, DefaultHeight)
	assert.Equal(t, buf.Bytes(), msg.Data[protocol.MIMEImagePNG])
	js, err := json.Marshal(msg.Metadata)
	require.NoError(t, err)
	assert.JSONEq(t, `{"image/png": {"width": 800, "height": 450}}`, string(js))
	assert.Empty(t, msg.DisplayID)
}

func TestHTMLTable(t *testing.T) {
	h, err := HTMLTable([]string{"strategy", "calls", "p99 (ms)", "note"}, [][]string{
		{"none", "1,024", "12.5", "a\nb"},
		{"full jitter", "98", "—", "<b>"},
	})
	require.NoError(t, err)
	left := ` align="left" style="text-align:left;white-space:nowrap"`
	right := ` align="right" style="text-align:right;white-space:nowrap"`
	want := `<div style="overflow-x:auto">
<table style="margin-left:0">
<thead><tr><th` + left + `>strategy</th><th` + right + `>calls</th><th` + right + `>p99 (ms)</th><th` + left + `>note</th></tr></thead>
<tbody>
<tr><td` + left + `>none</td><td` + right + `>1,024</td><td` + right + `>12.5</td><td` + left + `>a<br>b</td></tr>
<tr><td` + left + `>full jitter</td><td` + right + `>98</td><td` + right + `>—</td><td` + left + `>&lt;b&gt;</td></tr>
</tbody>
</table>
</div>
`
	assert.Equal(t, want, h)
	assert.NotContains(t, h, "<style", "GitHub strips style elements")
}

func TestWrap(t *testing.T) {
	cases := []struct {
		name, in string
		width    int
		want     string
	}{
		{"short", "fits on a line", 20, "fits on a line"},
		{"words", "the quick brown fox jumps over the lazy dog", 15, "the quick brown\nfox jumps over\nthe lazy dog"},
		{"long word", "a supercalifragilistic word", 10, "a\nsupercalifragilistic\nword"},
		{"lines kept", "one two three\n\nfour five six", 9, "one two\nthree\n\nfour five\nsix"},
		{"indent", "    indented text that wraps", 16, "    indented\n    text that\n    wraps"},
		{"list item", "- an item of a list that wraps", 14, "- an item of a\n  list that\n  wraps"},
		{"numbered", "12. numbered item wraps here", 14, "12. numbered\n    item wraps\n    here"},
		{"label", "✗ Exercise 1: expected 3, got 2; hint: count the messages", 30,
			"✗ Exercise 1: expected 3, got\n              2; hint: count\n              the messages"},
		{"default width", strings.Repeat("word ", 30), 0, strings.TrimSpace(strings.Repeat("word ", 20)) + "\n" + strings.TrimSpace(strings.Repeat("word ", 10))},
		{"trailing spaces", "a b   ", 10, "a b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Wrap(c.in, c.width))
		})
	}
}

func FuzzWrap(f *testing.F) {
	f.Add("the quick brown fox jumps over the lazy dog", 10)
	f.Add("- item\n  12. x: y z", 3)
	f.Fuzz(func(t *testing.T, s string, width int) {
		if !utf8.ValidString(s) || width > 1000 {
			return
		}
		out := Wrap(s, width)
		if width <= 0 {
			width = TextWidth
		}
		// The words, in order, are all there.
		if fmt.Sprint(strings.Fields(out)) != fmt.Sprint(strings.Fields(s)) {
			t.Fatalf("words changed: %q -> %q", s, out)
		}
		// A line is too long only when it holds one word (after its indent).
		for _, line := range strings.Split(out, "\n") {
			if utf8.RuneCountInString(line) > width && len(strings.Fields(line)) > 1 {
				in := strings.Split(s, "\n")
				long := false
				for _, l := range in {
					long = long || strings.TrimRight(l, " \t") == line
				}
				if !long {
					t.Fatalf("line %q longer than %d", line, width)
				}
			}
		}
	})
}

func ExampleWrap() {
	fmt.Println(Wrap("✗ Exercise 2: expected Concurrent, got HappenedBefore; hint: compare the vectors entry by entry", 50))
	// Output:
	// ✗ Exercise 2: expected Concurrent, got
	//               HappenedBefore; hint: compare the
	//               vectors entry by entry
}
