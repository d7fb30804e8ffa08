package plots

import (
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The course's picture style: the Okabe–Ito colours, which readers with
// any common form of colour blindness can tell apart (Okabe and Ito,
// "Color Universal Design", 2002), a sans-serif font, and for every series
// a marker shape and a dash pattern of its own, so that series can be told
// apart without colour at all (in print, or by a reader who sees none).

// The eight Okabe–Ito colours.
var (
	Orange        = color.RGBA{R: 0xE6, G: 0x9F, B: 0x00, A: 0xFF}
	SkyBlue       = color.RGBA{R: 0x56, G: 0xB4, B: 0xE9, A: 0xFF}
	BluishGreen   = color.RGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xFF}
	Yellow        = color.RGBA{R: 0xF0, G: 0xE4, B: 0x42, A: 0xFF}
	Blue          = color.RGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xFF}
	Vermillion    = color.RGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xFF}
	ReddishPurple = color.RGBA{R: 0xCC, G: 0x79, B: 0xA7, A: 0xFF}
	Black         = color.RGBA{A: 0xFF}
)

// palette is the order in which series take colours: strong contrast on
// white first, yellow (hard to see on white) last.
var palette = [...]color.RGBA{Blue, Vermillion, BluishGreen, ReddishPurple, Orange, SkyBlue, Black, Yellow}

// Color returns the i-th colour of the course palette (the Okabe–Ito
// colours, cycling after eight; negative i counts from the end).
func Color(i int) color.Color { return palette[mod(i, len(palette))] }

// dashes are eight dash patterns in points, solid first.
var dashes = [...][]float64{
	nil,
	{6, 3},
	{2, 2},
	{7, 2, 2, 2},
	{10, 3},
	{4, 2, 1, 2, 1, 2},
	{1, 3},
	{12, 3, 4, 3},
}

// Dashes returns the i-th dash pattern (solid first, eight patterns,
// cycling); series i of a chart is drawn with Color(i) and Dashes(i).
func Dashes(i int) []vg.Length {
	d := dashes[mod(i, len(dashes))]
	if d == nil {
		return nil
	}
	out := make([]vg.Length, len(d))
	for k, v := range d {
		out[k] = vg.Points(v)
	}
	return out
}

// Shape returns the i-th marker shape (eight shapes, filled ones first,
// cycling); points of series i are drawn with Shape(i) in Color(i).
func Shape(i int) draw.GlyphDrawer {
	shapes := [...]draw.GlyphDrawer{
		draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{},
		draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PlusGlyph{},
	}
	return shapes[mod(i, len(shapes))]
}

func mod(i, n int) int { return ((i % n) + n) % n }

// Font sizes of the course's pictures, in points. At the size show
// displays plots (800 × 450 CSS pixels) they read like the notebook's
// own text.
const (
	TitleSize  = 12
	LabelSize  = 12 // axis labels
	TickSize   = 11 // tick labels
	LegendSize = 11
	NoteSize   = 9.5 // labels inside a diagram (events, messages)
)

// Width and Height are the size the pictures are laid out for (legend and
// label placement assume it): 800 × 450 CSS pixels, which is the default
// size in pkg/show. Drawn at another size they still work, with the
// placement computed again for that size where it matters.
const (
	Width  = 600 * vg.Inch / 72
	Height = 337.5 * vg.Inch / 72
)

// sans is the course's font: Liberation Sans, which gonum/plot ships.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func fontOf(size float64) font.Font { return font.From(sans, vg.Points(size)) }

// boldFont is the course's font in bold at size.
func boldFont(size float64) font.Font {
	f := fontOf(size)
	f.Weight = xfont.WeightBold
	return f
}

// New returns an empty plot in the course's style: sans-serif text at the
// sizes above, short tick labels on both axes (CleanTicks), and a legend
// with room between its entries. Builders in this package start from it;
// lesson code that draws with gonum/plot directly should too.
func New() *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = boldFont(TitleSize)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = fontOf(LabelSize)
		a.Tick.Label.Font = fontOf(TickSize)
		a.Tick.Marker = CleanTicks{}
		a.Label.Padding = vg.Points(4)
	}
	p.Legend.TextStyle.Font = fontOf(LegendSize)
	p.Legend.ThumbnailWidth = vg.Points(28)
	p.Legend.Padding = vg.Points(2)
	return p
}

// Importing this package makes gonum/plot's defaults the course's: the
// sans-serif font for every new plot and plotter.Labels, and the palette,
// dash patterns and marker shapes above for plotutil.Color,
// plotutil.Dashes and plotutil.Shape. Pictures a lesson draws with gonum
// directly then look like the ones built here.
func init() {
	plot.DefaultFont = sans
	plotter.DefaultFont = sans
	colors := make([]color.Color, len(palette))
	for i := range palette {
		colors[i] = palette[i]
	}
	plotutil.DefaultColors = colors
	plotutil.DefaultDashes = make([][]vg.Length, len(dashes))
	plotutil.DefaultGlyphShapes = make([]draw.GlyphDrawer, len(dashes))
	for i := range dashes {
		plotutil.DefaultDashes[i] = Dashes(i)
		plotutil.DefaultGlyphShapes[i] = Shape(i)
	}
}
