package show

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"image/png"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/dslessons/course/pkg/table"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default plot size: 800 × 450 CSS pixels, which fits a JupyterLab cell
// and a GitHub page (the same as plots.Width × plots.Height, the size the
// course's pictures are laid out for).
const (
	DefaultWidth  = 600 * vg.Inch / 72
	DefaultHeight = 337.5 * vg.Inch / 72
)

// Pixel density. A PNG has DPI pixels per inch: twice CSSDPI, the density
// at which a browser shows one image pixel per CSS pixel. Plot sends it with
// its size in CSS pixels, so JupyterLab (and nbconvert, which renders
// notebooks for GitHub and nbviewer) show it at its intended size and sharp
// on HiDPI screens; a renderer that ignores the size scales the picture to
// the page's width, which is still sharp.
const (
	DPI    = 2 * CSSDPI
	CSSDPI = 96
)

// MaxPNGSize bounds each side of a PNG (50 cm is 3780 pixels at DPI, a
// 57 MB image in memory while it is drawn); SVG may be up to 200 cm.
const (
	MaxPNGSize = 50 * vg.Centimeter
	MaxSVGSize = 200 * vg.Centimeter
)

// display sends one output to the notebook, in order with the cell's text.
// GoNB reads a cell's standard output and its displays through two pipes,
// so a table could otherwise appear above a line printed before it: first
// wait (at most stdoutWait) until GoNB has read what the cell printed. Then
// wait (gonbui.Sync) until GoNB has passed the output on: GoNB stops reading
// the display pipe when the cell's program exits, so output still in the
// pipe at exit would otherwise be lost.
func display(send func()) {
	waitRead(os.Stdout, stdoutWait)
	send()
	gonbui.Sync()
}

// stdoutWait bounds how long a display waits for GoNB to read the cell's
// standard output.
const stdoutWait = 250 * time.Millisecond

// InNotebook reports whether the program runs inside a GoNB cell. Display
// functions do nothing when it is false, so lesson code runs unchanged under
// go test.
func InNotebook() bool { return gonbui.IsNotebook }

func checkSize(width, height, limit vg.Length) error {
	if !(width > 0) || !(height > 0) || width > limit || height > limit {
		cm := func(l vg.Length) float64 { return float64(l / vg.Centimeter) }
		return fmt.Errorf("show: plot size %.4gcm x %.4gcm: each side must be in (0, %.0fcm]", cm(width), cm(height), cm(limit))
	}
	return nil
}

func checkRender(w io.Writer, p *plot.Plot, width, height, limit vg.Length) error {
	if w == nil {
		return errors.New("show: nil writer")
	}
	if p == nil {
		return errors.New("show: nil plot")
	}
	return checkSize(width, height, limit)
}

// WritePNG renders p as a PNG image of the given size to w, at DPI pixels
// per inch (twice the CSS density: an 800 × 450 CSS-pixel plot is 1600 ×
// 900 pixels).
func WritePNG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	if err := checkRender(w, p, width, height, MaxPNGSize); err != nil {
		return err
	}
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI))
	p.Draw(draw.New(c))
	// Fast compression: a 2× picture has four times the pixels, and the
	// default level takes longer to save 5% of the bytes.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, c.Image()); err != nil {
		return fmt.Errorf("show: writing PNG: %w", err)
	}
	return nil
}

// WriteSVG renders p as an SVG document of the given size to w. SVG suits
// long series, which are slow to rasterise.
func WriteSVG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	if err := checkRender(w, p, width, height, MaxSVGSize); err != nil {
		return err
	}
	c := vgsvg.New(width, height)
	p.Draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("show: writing SVG: %w", err)
	}
	return nil
}

// Plot shows p in the notebook as a PNG of the default size.
func Plot(p *plot.Plot) error { return PlotSized(p, DefaultWidth, DefaultHeight) }

// PlotSized shows p in the notebook as a PNG of the given size: drawn at
// DPI, displayed at its size in CSS pixels.
func PlotSized(p *plot.Plot, width, height vg.Length) error {
	var buf bytes.Buffer
	if err := WritePNG(&buf, p, width, height); err != nil {
		return err
	}
	if InNotebook() {
		display(func() { gonbui.SendData(pngDisplay(buf.Bytes(), width, height)) })
	}
	return nil
}

// CSSPixels is the size in CSS pixels at which a picture of the given
// size is displayed.
// A size that is not positive (or NaN) gives 0.
func CSSPixels(width, height vg.Length) (w, h int) {
	px := func(l vg.Length) int {
		v := float64(l / vg.Inch * CSSDPI)
		if !(v > 0) {
			return 0
		}
		return int(math.Round(min(v, 1e9)))
	}
	return px(width), px(height)
}

// pngDisplay is the Jupyter display_data message of a PNG drawn at DPI:
// the image, and its size in CSS pixels as the metadata Jupyter front ends
// read ({"image/png": {"width": w, "height": h}}, as IPython sends for
// "retina" images).
func pngDisplay(png []byte, width, height vg.Length) *protocol.DisplayData {
	w, h := CSSPixels(width, height)
	return &protocol.DisplayData{
		Data:     map[protocol.MIMEType]any{protocol.MIMEImagePNG: png},
		Metadata: map[string]any{string(protocol.MIMEImagePNG): map[string]int{"width": w, "height": h}},
	}
}

// PlotSVG shows p in the notebook as SVG (inside HTML) of the given size.
func PlotSVG(p *plot.Plot, width, height vg.Length) error {
	var buf bytes.Buffer
	if err := WriteSVG(&buf, p, width, height); err != nil {
		return err
	}
	if InNotebook() {
		display(func() { gonbui.DisplaySvg(buf.String()) })
	}
	return nil
}

// HTML shows an HTML fragment in the notebook.
func HTML(fragment string) {
	if InNotebook() {
		display(func() { gonbui.DisplayHTML(fragment) })
	}
}

// Markdown shows Markdown text in the notebook.
func Markdown(md string) {
	if InNotebook() {
		display(func() { gonbui.DisplayMarkdown(md) })
	}
}

// Table shows a table in the notebook as HTML.
func Table(header []string, rows [][]string) error {
	s, err := HTMLTable(header, rows)
	if err != nil {
		return err
	}
	HTML(s)
	return nil
}

func checkTable(header []string, rows [][]string) error {
	if err := table.Check(header, rows); err != nil {
		return fmt.Errorf("show: %w", err)
	}
	return nil
}

// HTMLTable formats a table as HTML, escaping every cell: a plain
// <table> that reads the same in JupyterLab and on GitHub. Cells do not
// wrap (a wide table scrolls sideways instead), numeric columns (see
// table.NumericColumns) are right-aligned, the others left-aligned. The
// alignment is given both as an inline style (JupyterLab) and as the align
// attribute (which GitHub's sanitiser keeps when it strips styles).
func HTMLTable(header []string, rows [][]string) (string, error) {
	if err := checkTable(header, rows); err != nil {
		return "", err
	}
	num := table.NumericColumns(header, rows)
	attrs := make([]string, len(header))
	for i := range header {
		align := "left"
		if num[i] {
			align = "right"
		}
		attrs[i] = fmt.Sprintf(` align="%s" style="text-align:%s;white-space:nowrap"`, align, align)
	}
	var b strings.Builder
	b.WriteString("<div style=\"overflow-x:auto\">\n<table style=\"margin-left:0\">\n<thead><tr>")
	for i, h := range header {
		fmt.Fprintf(&b, "<th%s>%s</th>", attrs[i], htmlCell(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for i, c := range r {
			fmt.Fprintf(&b, "<td%s>%s</td>", attrs[i], htmlCell(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n</div>\n")
	return b.String(), nil
}

// htmlCell escapes a cell's text and keeps its line breaks.
func htmlCell(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>")
}

// WriteTable writes a table as aligned plain text to w (see pkg/table).
func WriteTable(w io.Writer, header []string, rows [][]string) error {
	if w == nil {
		return errors.New("show: nil writer")
	}
	if err := checkTable(header, rows); err != nil {
		return err
	}
	return table.Write(w, header, rows)
}
