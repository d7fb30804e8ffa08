package show

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/dslessons/course/pkg/table"
	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default plot size: fits a JupyterLab cell and a GitHub page.
const (
	DefaultWidth  = 16 * vg.Centimeter
	DefaultHeight = 9 * vg.Centimeter
	// DPI of PNG output: sharp on most screens, small files.
	DPI = 96
)

// Every display call waits (gonbui.Sync) until GoNB has passed the output
// on: GoNB stops reading a cell's display pipe when the cell's program
// exits, so output still in the pipe at exit would otherwise be lost.

// InNotebook reports whether the program runs inside a GoNB cell. Display
// functions do nothing when it is false, so lesson code runs unchanged under
// go test.
func InNotebook() bool { return gonbui.IsNotebook }

func checkSize(width, height vg.Length) error {
	if !(width > 0) || !(height > 0) || width > 200*vg.Centimeter || height > 200*vg.Centimeter {
		return fmt.Errorf("show: plot size %v x %v not in (0, 200cm]", width, height)
	}
	return nil
}

// WritePNG renders p as a PNG image of the given size to w.
func WritePNG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	if p == nil {
		return errors.New("show: nil plot")
	}
	if err := checkSize(width, height); err != nil {
		return err
	}
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI))
	p.Draw(draw.New(c))
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("show: writing PNG: %w", err)
	}
	return nil
}

// WriteSVG renders p as an SVG document of the given size to w. SVG suits
// long series, which are slow to rasterise.
func WriteSVG(w io.Writer, p *plot.Plot, width, height vg.Length) error {
	if p == nil {
		return errors.New("show: nil plot")
	}
	if err := checkSize(width, height); err != nil {
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

// PlotSized shows p in the notebook as a PNG of the given size.
func PlotSized(p *plot.Plot, width, height vg.Length) error {
	var buf bytes.Buffer
	if err := WritePNG(&buf, p, width, height); err != nil {
		return err
	}
	if InNotebook() {
		gonbui.DisplayPng(buf.Bytes())
		gonbui.Sync()
	}
	return nil
}

// PlotSVG shows p in the notebook as SVG (inside HTML) of the given size.
func PlotSVG(p *plot.Plot, width, height vg.Length) error {
	var buf bytes.Buffer
	if err := WriteSVG(&buf, p, width, height); err != nil {
		return err
	}
	if InNotebook() {
		gonbui.DisplaySvg(buf.String())
		gonbui.Sync()
	}
	return nil
}

// HTML shows an HTML fragment in the notebook.
func HTML(fragment string) {
	if InNotebook() {
		gonbui.DisplayHTML(fragment)
		gonbui.Sync()
	}
}

// Markdown shows Markdown text in the notebook.
func Markdown(md string) {
	if InNotebook() {
		gonbui.DisplayMarkdown(md)
		gonbui.Sync()
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

// HTMLTable formats a table as HTML, escaping every cell.
func HTMLTable(header []string, rows [][]string) (string, error) {
	if err := checkTable(header, rows); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("<table>\n<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	return b.String(), nil
}

// WriteTable writes a table as aligned plain text to w (see pkg/table).
func WriteTable(w io.Writer, header []string, rows [][]string) error {
	if err := checkTable(header, rows); err != nil {
		return err
	}
	return table.Write(w, header, rows)
}
