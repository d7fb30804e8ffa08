package partialfailure

import (
	"fmt"
	"image/color"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series colours (colour-blind safe, from the Okabe–Ito palette).
var palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{0, 158, 115, 255},   // green
	color.RGBA{204, 121, 167, 255}, // purple
}

var guideColor = color.Gray{Y: 110}

func ms(t netsim.Time) float64 { return float64(t) / float64(netsim.Millisecond) }

// SuspicionSeries is the data behind one line of PlotSuspicions: timeout
// in ms and false-suspicion rate in percent.
func SuspicionSeries(r *DetectorResult) plotter.XYs {
	xy := make(plotter.XYs, len(r.Points))
	for i, p := range r.Points {
		xy[i] = plotter.XY{X: ms(p.Timeout), Y: 100 * p.Rate}
	}
	return xy
}

// SuspicionYMax is the top of PlotSuspicions' y axis, in percent: the
// plot zooms in on small rates, where the systems differ.
const SuspicionYMax = 10

// PlotSuspicions draws the false-suspicion rate against the timeout, one
// line per result, with the perfect timeout 2·bound + processing of the
// synchronous system (perfect > 0 draws it) and the 1% level as guides.
// The y axis stops at SuspicionYMax percent.
func PlotSuspicions(perfect netsim.Time, results ...*DetectorResult) (*plot.Plot, error) {
	if len(results) == 0 {
		return nil, fmt.Errorf("partialfailure: PlotSuspicions needs at least one result")
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("False suspicions of a live server (%d probes per timeout, seed %d)", results[0].Config.Probes, results[0].Config.Seed)
	p.X.Label.Text = "timeout (ms)"
	p.Y.Label.Text = fmt.Sprintf("probes falsely suspected (%%, axis cut at %d%%)", SuspicionYMax)
	xmax := 0.0
	for i, r := range results {
		if r == nil || len(r.Points) == 0 {
			return nil, fmt.Errorf("partialfailure: result %d is empty", i)
		}
		xy := SuspicionSeries(r)
		xmax = max(xmax, xy[len(xy)-1].X)
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("partialfailure: %w", err)
		}
		l.Color = palette[i%len(palette)]
		l.Width = vg.Points(1.8)
		l.Dashes = [][]vg.Length{nil, {vg.Points(6), vg.Points(3)}, {vg.Points(2), vg.Points(2)}}[i%3]
		p.Add(l)
		p.Legend.Add(r.Config.Name, l)
	}
	one, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 1}, {X: xmax, Y: 1}})
	one.Color, one.Dashes = guideColor, []vg.Length{vg.Points(1), vg.Points(3)}
	p.Add(one)
	p.Legend.Add("1% level", one)
	if perfect > 0 {
		v, _ := plotter.NewLine(plotter.XYs{{X: ms(perfect), Y: 0}, {X: ms(perfect), Y: SuspicionYMax}})
		v.Color, v.Dashes = guideColor, []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(v)
		p.Legend.Add(fmt.Sprintf("2·bound + processing = %g ms", ms(perfect)), v)
	}
	p.X.Min, p.X.Max = 0, xmax
	p.Y.Min, p.Y.Max = 0, SuspicionYMax
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p, nil
}

// ExtraSeries is the data behind PlotExtraEffects' simulated lines: loss
// probability and extra applications per deposit.
func ExtraSeries(r *RetryResult) plotter.XYs {
	xy := make(plotter.XYs, len(r.Points))
	for i, p := range r.Points {
		xy[i] = plotter.XY{X: p.Loss, Y: p.ExtraPerDeposit}
	}
	return xy
}

// PlotExtraEffects draws extra applications per deposit against the loss
// probability for each result, and the calculated p/(1-p).
func PlotExtraEffects(results ...*RetryResult) (*plot.Plot, error) {
	if len(results) == 0 {
		return nil, fmt.Errorf("partialfailure: PlotExtraEffects needs at least one result")
	}
	p := plots.New()
	c := results[0].Config
	p.Title.Text = fmt.Sprintf("Retried deposits applied twice (%d runs × %d deposits, seeds %d..%d)", c.Runs, c.Deposits, c.Seed, c.Seed+uint64(c.Runs)-1)
	p.X.Label.Text = "loss probability p (each message, each direction)"
	p.Y.Label.Text = "extra applications per deposit"
	pmax := 0.0
	for i, r := range results {
		if r == nil || len(r.Points) == 0 {
			return nil, fmt.Errorf("partialfailure: result %d is empty", i)
		}
		xy := ExtraSeries(r)
		pmax = max(pmax, xy[len(xy)-1].X)
		l, s, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, fmt.Errorf("partialfailure: %w", err)
		}
		l.Color, s.Color = palette[i%len(palette)], palette[i%len(palette)]
		s.Shape = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.TriangleGlyph{}}[i%3]
		s.Radius = vg.Points(3)
		p.Add(l, s)
		p.Legend.Add("server "+r.Handler+" (simulated)", l, s)
	}
	var model plotter.XYs
	for x := 0.0; x <= pmax+1e-9; x += pmax / 50 {
		model = append(model, plotter.XY{X: x, Y: ExpectedExtra(x)})
	}
	m, err := plotter.NewLine(model)
	if err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	m.Color, m.Dashes = guideColor, []vg.Length{vg.Points(4), vg.Points(2)}
	p.Add(m)
	p.Legend.Add("p/(1-p), calculated", m)
	p.Legend.Top, p.Legend.Left = true, true
	p.Y.Min = 0
	return p, nil
}

// AttemptBars returns, for retries k = 0 … maxRetries, the measured share
// of deposits retried k times and the geometric prediction, both in %.
func AttemptBars(pt RetryPoint, maxRetries int) (measured, predicted plotter.Values) {
	for k := 0; k <= maxRetries; k++ {
		n := 0
		if k < len(pt.AttemptCounts) {
			n = pt.AttemptCounts[k]
		}
		measured = append(measured, 100*float64(n)/float64(max(pt.Deposits, 1)))
		predicted = append(predicted, 100*AttemptProbability(pt.Loss, k+1))
	}
	return measured, predicted
}

// PlotRetries draws how many times the client retried a deposit at loss
// probability pt.Loss, next to the geometric distribution.
func PlotRetries(pt RetryPoint, maxRetries int) (*plot.Plot, error) {
	if pt.Deposits == 0 {
		return nil, fmt.Errorf("partialfailure: no deposits at loss %v", pt.Loss)
	}
	if maxRetries < 1 || maxRetries > 50 {
		return nil, fmt.Errorf("partialfailure: maxRetries %d: want 1..50", maxRetries)
	}
	meas, pred := AttemptBars(pt, maxRetries)
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Retries per deposit at loss p = %.2f (%d deposits)", pt.Loss, pt.Deposits)
	p.X.Label.Text = "retries of one deposit (attempts − 1)"
	p.Y.Label.Text = "share of deposits (%)"
	w := vg.Points(10)
	b1, err := plotter.NewBarChart(meas, w)
	if err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	b1.Color, b1.LineStyle.Width = palette[0], 0
	b1.Offset = -w / 2
	b2, err := plotter.NewBarChart(pred, w)
	if err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	b2.Color, b2.LineStyle.Width = palette[1], 0
	b2.Offset = w / 2
	p.Add(b1, b2)
	p.Y.Min, p.Y.Max = 0, 1.1*max(slices.Max(meas), slices.Max(pred))
	p.Legend.Add("simulated", b1)
	p.Legend.Add("geometric: (1-q)^k·q, q = (1-p)²", b2)
	p.Legend.Top = true
	names := make([]string, maxRetries+1)
	for k := range names {
		names[k] = fmt.Sprint(k)
	}
	p.NominalX(names...)
	return p, nil
}
