package partialfailure

import (
	"fmt"
	"image/color"
	"slices"
	"strconv"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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

// PlotSuspicions draws the false-suspicion rate against the timeout, one
// line per result, on a log y axis (the rates span from tens of percent
// to one probe in thousands), with the perfect timeout 2·bound +
// processing of the synchronous system (perfect > 0 draws it) and the 1%
// level as guides. A rate of zero cannot be drawn on a log axis: a line
// ends where its rate reaches zero, and its legend entry says from which
// timeout on no probe was suspected.
func PlotSuspicions(perfect netsim.Time, results ...*DetectorResult) (*plot.Plot, error) {
	if len(results) == 0 {
		return nil, fmt.Errorf("partialfailure: PlotSuspicions needs at least one result")
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("False suspicions of a live server (%d probes per timeout, seed %d)", results[0].Config.Probes, results[0].Config.Seed)
	p.X.Label.Text = "timeout (ms)"
	p.Y.Label.Text = "probes falsely suspected (%, log)"
	plots.LogY(p)
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, false, false)
	if err != nil {
		return nil, err
	}
	type zeroMark struct {
		at     []plotter.XY
		series int
	}
	var zeros []zeroMark
	xmax, ymin := 0.0, 100.0
	for i, r := range results {
		if r == nil || len(r.Points) == 0 {
			return nil, fmt.Errorf("partialfailure: result %d is empty", i)
		}
		all := SuspicionSeries(r)
		xmax = max(xmax, all[len(all)-1].X)
		var xy plotter.XYs
		for _, pt := range all {
			if pt.Y > 0 {
				xy = append(xy, pt)
			}
		}
		ymin = min(ymin, 100/float64(r.Config.Probes))
		name := r.Config.Name
		var zero []plotter.XY
		if t, ok := r.SmallestTimeout(1e-12); ok {
			name += fmt.Sprintf(": 0 from %g ms on", ms(t))
			zero = append(zero, plotter.XY{X: ms(t)})
		}
		if len(xy) == 0 {
			continue
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("partialfailure: %w", err)
		}
		l.Color, l.Width, l.Dashes = plots.Color(i), vg.Points(1.8), plots.Dashes(i)
		p.Add(l)
		thumbs := []plot.Thumbnailer{l}
		zeros = append(zeros, zeroMark{zero, i})
		if len(zero) > 0 {
			thumbs = append(thumbs, &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: plots.Color(i), Shape: plots.Shape(i), Radius: vg.Points(4)}})
		}
		lg.Add(name, thumbs...)
	}
	one, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 1}, {X: xmax, Y: 1}})
	one.Color, one.Dashes = guideColor, []vg.Length{vg.Points(1), vg.Points(3)}
	p.Add(one)
	lg.Add("1% level", one)
	if perfect > 0 {
		v, _ := plotter.NewLine(plotter.XYs{{X: ms(perfect), Y: ymin / 2}, {X: ms(perfect), Y: 100}})
		v.Color, v.Dashes = guideColor, []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(v)
		lg.Add(fmt.Sprintf("2·bound + processing = %g ms", ms(perfect)), v)
	}
	p.X.Min, p.X.Max = 0, xmax
	p.Y.Min, p.Y.Max = ymin/2, 100
	p.Y.Tick.Marker = percentTicks{}
	// Where a rate reaches zero, a marker sits on the bottom of the axis.
	for _, z := range zeros {
		if len(z.at) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(plotter.XYs{{X: z.at[0].X, Y: p.Y.Min}})
		if err != nil {
			return nil, fmt.Errorf("partialfailure: %w", err)
		}
		sc.Color, sc.Shape, sc.Radius = plots.Color(z.series), plots.Shape(z.series), vg.Points(4)
		p.Add(sc)
		lg.Avoid(sc)
	}
	return p, nil
}

// percentTicks labels the powers of ten of a percentage axis: 0.01 … 100.
type percentTicks struct{}

func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, v := range []float64{0.001, 0.01, 0.1, 1, 10, 100} {
		if v >= lo*0.999 && v <= hi*1.001 {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
	}
	return ts
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
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, true, false)
	if err != nil {
		return nil, err
	}
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
		l.Color, s.Color = plots.Color(i), plots.Color(i)
		l.Dashes, s.Shape = plots.Dashes(i), plots.Shape(i)
		s.Radius = vg.Points(3.5)
		p.Add(l, s)
		lg.Add("server "+r.Handler+" (simulated)", l, s)
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
	lg.Add("p/(1-p), calculated", m)
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
	b1.Color, b1.LineStyle.Width = plots.Color(0), 0
	b1.Offset = -w / 2
	b2, err := plotter.NewBarChart(pred, w)
	if err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	b2.Color, b2.LineStyle.Width = plots.Color(1), 0
	b2.Offset = w / 2
	p.Add(b1, b2)
	p.Y.Min, p.Y.Max = 0, 1.1*max(slices.Max(meas), slices.Max(pred))
	lg, err := plots.NewLegend(p, false, false)
	if err != nil {
		return nil, err
	}
	lg.Add("simulated", b1)
	lg.Add("geometric: (1-q)^k·q, q = (1-p)²", b2)
	var tops plotter.XYs // the bars, for the legend to keep clear of
	for k := range meas {
		tops = append(tops, plotter.XY{X: float64(k), Y: max(meas[k], pred[k])}, plotter.XY{X: float64(k), Y: 0})
	}
	lg.Avoid(tops)
	names := make([]string, maxRetries+1)
	for k := range names {
		names[k] = fmt.Sprint(k)
	}
	p.NominalX(names...)
	return p, nil
}
