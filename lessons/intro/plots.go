package intro

import (
	"fmt"
	"math"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"image/color"
)

func wrapErr(err error) error {
	if err != nil {
		return fmt.Errorf("intro: %w", err)
	}
	return nil
}

// addLine adds a series drawn in the course style's i-th colour: a line
// (solid, or in the i-th dash pattern when dashed), with the i-th marker
// at each point when points is true.
func addLine(p *plot.Plot, lg *plots.Legend, name string, xys plotter.XYs, i int, dashed bool, points bool) error {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return wrapErr(err)
	}
	l.Color = plots.Color(i)
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = plots.Dashes(1)
	}
	p.Add(l)
	if points {
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return wrapErr(err)
		}
		s.Color = plots.Color(i)
		s.Shape = plots.Shape(i)
		s.Radius = vg.Points(3)
		p.Add(s)
		lg.Add(name, l, s)
		return nil
	}
	lg.Add(name, l)
	return nil
}

// addScatter adds markers only, in the i-th colour and shape.
func addScatter(p *plot.Plot, lg *plots.Legend, name string, xys plotter.XYs, i int) error {
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return wrapErr(err)
	}
	s.Color = plots.Color(i)
	s.Shape = plots.Shape(i)
	s.Radius = vg.Points(3.5)
	p.Add(s)
	lg.Add(name, s)
	return nil
}

// guide adds a dotted reference line (a capacity, a moment) in grey.
func guide(p *plot.Plot, lg *plots.Legend, name string, xys plotter.XYs) error {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return wrapErr(err)
	}
	l.Color = color.Gray{Y: 90}
	l.Width = vg.Points(1.2)
	l.Dashes = plots.Dashes(2)
	p.Add(l)
	lg.Add(name, l)
	return nil
}

// PlotUnreliable draws the fraction of requests answered against the loss
// probability, for the naive and the retrying client, simulated (points)
// and predicted (dashed lines).
func PlotUnreliable(r UnreliableResult) (*plot.Plot, error) {
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("intro: no points to plot")
	}
	var naive, retry, fNaive, fRetry plotter.XYs
	for _, pt := range r.Points {
		naive = append(naive, plotter.XY{X: pt.Loss, Y: 100 * pt.Naive})
		retry = append(retry, plotter.XY{X: pt.Loss, Y: 100 * pt.Retrying})
	}
	lo, hi := r.Points[0].Loss, r.Points[len(r.Points)-1].Loss
	for i := 0; i <= 50; i++ {
		p := lo + (hi-lo)*float64(i)/50
		once := (1 - p) * (1 - p)
		fNaive = append(fNaive, plotter.XY{X: p, Y: 100 * once})
		fRetry = append(fRetry, plotter.XY{X: p, Y: 100 * (1 - math.Pow(1-once, float64(r.Config.Attempts)))})
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("\"The network is reliable\": %d requests per point (seed %d)", r.Config.Requests, r.Config.Seed)
	p.X.Label.Text = "probability that a message is lost"
	p.Y.Label.Text = "requests answered (%)"
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, false, true)
	if err != nil {
		return nil, err
	}
	if err := addLine(p, lg, fmt.Sprintf("retries, %d attempts: model", r.Config.Attempts), fRetry, 0, true, false); err != nil {
		return nil, err
	}
	if err := addScatter(p, lg, fmt.Sprintf("retries, %d attempts: simulated", r.Config.Attempts), retry, 0); err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "sends once: model (1-p)²", fNaive, 1, true, false); err != nil {
		return nil, err
	}
	if err := addScatter(p, lg, "sends once: simulated", naive, 1); err != nil {
		return nil, err
	}
	p.Y.Min, p.Y.Max = 0, 102
	return p, nil
}

// PlotLatency draws the time to fetch all keys against the one-way delay,
// chatty and batched, on log-log axes.
func PlotLatency(r LatencyResult) (*plot.Plot, error) {
	if len(r.Rows) == 0 {
		return nil, fmt.Errorf("intro: no points to plot")
	}
	var chatty, batched plotter.XYs
	for _, x := range r.Rows {
		d := float64(x.OneWay) / 1e6
		chatty = append(chatty, plotter.XY{X: d, Y: float64(x.Chatty.Total) / 1e6})
		batched = append(batched, plotter.XY{X: d, Y: float64(x.Batched.Total) / 1e6})
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("\"Latency is zero\": fetching %d keys", r.Keys)
	p.X.Label.Text = "one-way network delay (ms, log)"
	p.Y.Label.Text = "time until all values arrived (ms, log)"
	plots.LogX(p)
	plots.LogY(p)
	p.X.Tick.Marker = ticksAt(xsOf(chatty)...)
	p.Y.Tick.Marker = powersOfTen{}
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, true, false)
	if err != nil {
		return nil, err
	}
	if err := addLine(p, lg, fmt.Sprintf("chatty: %d round trips", r.Keys), chatty, 1, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "batched: 1 round trip", batched, 0, false, true); err != nil {
		return nil, err
	}
	return p, nil
}

// PlotBandwidth draws, for the loads below capacity, the mean and
// 99th-percentile time from send to arrival against the offered load,
// with the M/D/1 model, on a log y axis. Loads at or above capacity have
// no steady state and are left out (see PlotOverload).
func PlotBandwidth(r BandwidthResult) (*plot.Plot, error) {
	var mean, p99 plotter.XYs
	top := 0.0
	for _, pt := range r.Points {
		if pt.Steady() {
			mean = append(mean, plotter.XY{X: pt.Load, Y: pt.MeanLatency})
			p99 = append(p99, plotter.XY{X: pt.Load, Y: pt.P99Latency})
			top = max(top, pt.Load)
		}
	}
	if len(mean) == 0 {
		return nil, fmt.Errorf("intro: no load below capacity to plot")
	}
	var model plotter.XYs
	for rho := 0.05; rho <= max(top, 0.97)+1e-9; rho += 0.01 {
		model = append(model, plotter.XY{X: rho, Y: MD1Latency(r.Capacity, rho, r.Config.Delay)})
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Below capacity: a %g MB/s link, %d-byte messages (seed %d)",
		r.Config.Bandwidth/1e6, r.Config.MsgSize, r.Config.Seed)
	p.X.Label.Text = "offered load (fraction of the link's capacity)"
	p.Y.Label.Text = "time from send to arrival (ms, log)"
	plots.LogY(p)
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, true, false)
	if err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "p99, simulated", p99, 1, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "mean, simulated", mean, 0, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "mean, M/D/1 model", model, 2, true, false); err != nil {
		return nil, err
	}
	ymax := 1000.0
	if err := guide(p, lg, "capacity (load 1)", plotter.XYs{{X: 1, Y: 1}, {X: 1, Y: ymax}}); err != nil {
		return nil, err
	}
	p.X.Min, p.X.Max = 0, 1.05
	p.X.Tick.Marker = ticksAt(0, 0.2, 0.4, 0.6, 0.8, 1)
	p.Y.Tick.Marker = ticksAt(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
	p.Y.Min, p.Y.Max = 5, 100
	for _, xy := range p99 {
		p.Y.Max = max(p.Y.Max, 2*xy.Y)
	}
	p.Y.Max = min(p.Y.Max, ymax)
	return p, nil
}

// PlotOverload draws the time from send to arrival against the time the
// message was sent, one line per load (mean per BinWidth of send times),
// with the fluid model (ρ-1)·t dashed for the loads above capacity. Below
// capacity the line stays flat; above it climbs for as long as the
// overload lasts: there is no steady state, and so no "mean latency".
func PlotOverload(r BandwidthResult) (*plot.Plot, error) {
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("intro: no points to plot")
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Above capacity the queue only grows: %g MB/s link (seed %d)", r.Config.Bandwidth/1e6, r.Config.Seed)
	p.X.Label.Text = "time the message was sent (s)"
	p.Y.Label.Text = "time from send to arrival (s)"
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, true, false)
	if err != nil {
		return nil, err
	}
	end := float64(r.Config.Duration) / 1e9
	for i := len(r.Points) - 1; i >= 0; i-- {
		pt := r.Points[i]
		var xys plotter.XYs
		for _, b := range pt.Waits {
			if b.Messages > 0 {
				xys = append(xys, plotter.XY{X: (float64(b.Sent) - float64(BinWidth)/2) / 1e9, Y: b.Mean / 1e3})
			}
		}
		if len(xys) == 0 {
			continue
		}
		k := len(r.Points) - 1 - i
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, wrapErr(err)
		}
		l.Color, l.Width = plots.Color(k), vg.Points(1.8)
		// A marker on every tenth bin tells the lines apart without colour.
		var marks plotter.XYs
		for j := 4; j < len(xys); j += 10 {
			marks = append(marks, xys[j])
		}
		sc, err := plotter.NewScatter(marks)
		if err != nil {
			return nil, wrapErr(err)
		}
		sc.Color, sc.Shape, sc.Radius = plots.Color(k), plots.Shape(k), vg.Points(3.5)
		p.Add(l, sc)
		lg.Add(fmt.Sprintf("load %.2f", pt.Load), l, sc)
		if pt.Steady() {
			continue
		}
		m, err := plotter.NewLine(plotter.XYs{{X: 0, Y: OverloadWait(r.Capacity, pt.Load, 0, r.Config.Delay) / 1e3},
			{X: end, Y: OverloadWait(r.Capacity, pt.Load, r.Config.Duration, r.Config.Delay) / 1e3}})
		if err != nil {
			return nil, wrapErr(err)
		}
		m.Color, m.Width, m.Dashes = color.Gray{Y: 60}, vg.Points(1), plots.Dashes(2)
		p.Add(m)
		lg.Avoid(m)
	}
	lg.Add("model (Exercise 2 derives it)", &plotter.Line{LineStyle: draw.LineStyle{Color: color.Gray{Y: 60}, Width: vg.Points(1), Dashes: plots.Dashes(2)}})
	p.X.Min, p.X.Max = 0, end
	p.Y.Min = 0
	return p, nil
}

// PlotTopology draws packets delivered per bin over time for both
// clients, with the time of the topology change.
func PlotTopology(r TopologyResult) (*plot.Plot, error) {
	bin := float64(r.Config.Bin) / 1e9
	series := func(x TopologyRun) plotter.XYs {
		var xys plotter.XYs
		for i, n := range x.PerBin {
			xys = append(xys, plotter.XY{X: (float64(i) + 0.5) * bin, Y: float64(n)})
		}
		return xys
	}
	if len(r.HardCoded.PerBin) == 0 {
		return nil, fmt.Errorf("intro: no points to plot")
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("\"Topology doesn't change\": link r1→server cut at %s (seed %d)", fmtSec(r.Config.ChangeAt), r.Config.Seed)
	p.X.Label.Text = "time (s)"
	p.Y.Label.Text = fmt.Sprintf("packets delivered per %gms", bin*1e3)
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, false, true)
	if err != nil {
		return nil, err
	}
	if err := addLine(p, lg, fmt.Sprintf("switches router after %d missed acks", r.Config.Misses), series(r.Adaptive), 0, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "hard-coded route via r1", series(r.HardCoded), 1, true, true); err != nil {
		return nil, err
	}
	maxY := float64(r.Config.Bin/r.Config.Interval) + 2
	at := float64(r.Config.ChangeAt) / 1e9
	if err := guide(p, lg, "link cut", plotter.XYs{{X: at, Y: 0}, {X: at, Y: maxY}}); err != nil {
		return nil, err
	}
	p.Y.Min, p.Y.Max = 0, maxY+5
	p.X.Min, p.X.Max = 0, float64(r.Config.Duration)/1e9
	p.X.Tick.Marker = ticksAt(0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5)
	p.Y.Tick.Marker = ticksAt(0, 5, 10, 15, 20, 30, 40, 50)
	return p, nil
}

// PlotCost draws heartbeat messages per second against the cluster size,
// all-to-all and to one monitor, on log-log axes.
func PlotCost(r CostResult) (*plot.Plot, error) {
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("intro: no points to plot")
	}
	var all, mon plotter.XYs
	for _, pt := range r.Points {
		all = append(all, plotter.XY{X: float64(pt.Nodes), Y: pt.AllToAllPerSec})
		mon = append(mon, plotter.XY{X: float64(pt.Nodes), Y: pt.MonitorPerSec})
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("\"Transport cost is zero\": one heartbeat per node per %s", fmtSec(r.Config.Period))
	p.X.Label.Text = "nodes in the cluster (log)"
	p.Y.Label.Text = "heartbeat messages per second (log)"
	plots.LogX(p)
	plots.LogY(p)
	p.X.Tick.Marker = ticksAt(xsOf(all)...)
	p.Y.Tick.Marker = powersOfTen{}
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, true, false)
	if err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "all-to-all: n(n-1)", all, 1, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "to one monitor: n-1", mon, 0, false, true); err != nil {
		return nil, err
	}
	return p, nil
}

// PlotAvailability draws the unavailability 1-A of k replicas on a log
// axis, simulated (points) and 1-(1-a)^k (dashed), for each result.
func PlotAvailability(rs ...AvailabilityResult) (*plot.Plot, error) {
	if len(rs) == 0 {
		return nil, fmt.Errorf("intro: no results to plot")
	}
	p := plots.New()
	p.Title.Text = "Replicas with independent failures: the service is down only if all are"
	p.X.Label.Text = "replicas k"
	p.Y.Label.Text = "fraction of time down, 1 - A (log)"
	plots.LogY(p)
	p.Y.Tick.Marker = powersOfTen{}
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, false, false)
	if err != nil {
		return nil, err
	}
	for i, r := range rs {
		var sim, f plotter.XYs
		for _, pt := range r.Points {
			if pt.Simulated < 1 {
				sim = append(sim, plotter.XY{X: float64(pt.Replicas), Y: 1 - pt.Simulated})
			}
			f = append(f, plotter.XY{X: float64(pt.Replicas), Y: 1 - pt.Formula})
		}
		if err := addLine(p, lg, fmt.Sprintf("a = %g: (1-a)^k", r.Config.A), f, i, true, false); err != nil {
			return nil, err
		}
		if err := addScatter(p, lg, fmt.Sprintf("a = %g: simulated (seed %d)", r.Config.A, r.Config.Seed), sim, i); err != nil {
			return nil, err
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(intTicks(rs[0].Config.MaxReplicas))
	return p, nil
}

func intTicks(n int) []plot.Tick {
	var ts []plot.Tick
	for i := 1; i <= n; i++ {
		ts = append(ts, plot.Tick{Value: float64(i), Label: fmt.Sprint(i)})
	}
	return ts
}

// PlotScale draws the speed-up against the number of workers, simulated
// and ideal, on log-log axes.
func PlotScale(r ScaleResult) (*plot.Plot, error) {
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("intro: no points to plot")
	}
	var sim, ideal plotter.XYs
	for _, pt := range r.Points {
		sim = append(sim, plotter.XY{X: float64(pt.Workers), Y: pt.Speedup})
		ideal = append(ideal, plotter.XY{X: float64(pt.Workers), Y: float64(pt.Workers)})
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("Scaling out a %s job: coordinator spends %s per message, %s one way",
		fmtSec(r.Points[0].LocalTime), fmtSec(r.Config.PerMessage), fmtSec(r.Config.OneWay))
	p.X.Label.Text = "workers (log)"
	p.Y.Label.Text = "speed-up over one machine (log)"
	plots.LogX(p)
	plots.LogY(p)
	p.X.Tick.Marker = ticksAt(xsOf(sim)...)
	p.Y.Tick.Marker = ticksAt(1, 2, 5, 10, 20, 50, 100)
	p.Add(plotter.NewGrid())
	lg, err := plots.NewLegend(p, true, false)
	if err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "ideal: k workers, k times faster", ideal, 2, true, false); err != nil {
		return nil, err
	}
	if err := addLine(p, lg, "simulated", sim, 0, false, true); err != nil {
		return nil, err
	}
	return p, nil
}

// ticksAt labels exactly the given values (with %g).
func ticksAt(vs ...float64) plot.ConstantTicks {
	var ts []plot.Tick
	for _, v := range vs {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%g", v)})
	}
	return ts
}

func xsOf(xys plotter.XYs) []float64 {
	var xs []float64
	for _, p := range xys {
		xs = append(xs, p.X)
	}
	return xs
}

// powersOfTen labels every power of ten in range: 0.01, 0.1, 1, 10, …,
// and 1e-5 style below 0.001.
type powersOfTen struct{}

func (powersOfTen) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		v := math.Pow(10, e)
		if v < lo*0.999 || v > hi*1.001 {
			continue
		}
		label := fmt.Sprintf("%g", v)
		if e < -3 {
			label = fmt.Sprintf("1e%d", int(e))
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}
