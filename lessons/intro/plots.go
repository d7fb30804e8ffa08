package intro

import (
	"fmt"
	"math"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func wrapErr(err error) error {
	if err != nil {
		return fmt.Errorf("intro: %w", err)
	}
	return nil
}

func addLine(p *plot.Plot, name string, xys plotter.XYs, i int, dashed bool, points bool) error {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return wrapErr(err)
	}
	l.Color = plotutil.Color(i)
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	p.Add(l)
	if points {
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return wrapErr(err)
		}
		s.Color = plotutil.Color(i)
		s.Shape = plotutil.Shape(i)
		s.Radius = vg.Points(3)
		p.Add(s)
		p.Legend.Add(name, l, s)
		return nil
	}
	p.Legend.Add(name, l)
	return nil
}

func addScatter(p *plot.Plot, name string, xys plotter.XYs, i int) error {
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return wrapErr(err)
	}
	s.Color = plotutil.Color(i)
	s.Shape = draw.CircleGlyph{}
	s.Radius = vg.Points(3.5)
	p.Add(s)
	p.Legend.Add(name, s)
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
	if err := addLine(p, fmt.Sprintf("retries, %d attempts: model", r.Config.Attempts), fRetry, 0, true, false); err != nil {
		return nil, err
	}
	if err := addScatter(p, fmt.Sprintf("retries, %d attempts: simulated", r.Config.Attempts), retry, 0); err != nil {
		return nil, err
	}
	if err := addLine(p, "sends once: model (1-p)²", fNaive, 1, true, false); err != nil {
		return nil, err
	}
	if err := addScatter(p, "sends once: simulated", naive, 1); err != nil {
		return nil, err
	}
	p.Y.Min, p.Y.Max = 0, 102
	p.Legend.Left, p.Legend.Top = false, false
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
	if err := addLine(p, fmt.Sprintf("chatty: %d round trips", r.Keys), chatty, 1, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, "batched: 1 round trip", batched, 0, false, true); err != nil {
		return nil, err
	}
	return p, nil
}

// PlotBandwidth draws mean and 99th-percentile latency against offered
// load, with the M/D/1 model below capacity, on a log y axis.
func PlotBandwidth(r BandwidthResult) (*plot.Plot, error) {
	if len(r.Points) == 0 {
		return nil, fmt.Errorf("intro: no points to plot")
	}
	var mean, p99, model plotter.XYs
	for _, pt := range r.Points {
		mean = append(mean, plotter.XY{X: pt.Load, Y: pt.MeanLatency})
		p99 = append(p99, plotter.XY{X: pt.Load, Y: pt.P99Latency})
	}
	mu := r.Capacity
	for rho := 0.05; rho <= 0.97; rho += 0.01 {
		model = append(model, plotter.XY{X: rho, Y: (1/mu+rho/(2*mu*(1-rho)))*1e3 + float64(r.Config.Delay)/1e6})
	}
	p := plots.New()
	p.Title.Text = fmt.Sprintf("\"Bandwidth is infinite\": a %g MB/s link, %d-byte messages (seed %d)",
		r.Config.Bandwidth/1e6, r.Config.MsgSize, r.Config.Seed)
	p.X.Label.Text = "offered load (fraction of the link's capacity)"
	p.Y.Label.Text = "latency (ms, log)"
	plots.LogY(p)
	if err := addLine(p, "p99, simulated", p99, 1, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, "mean, simulated", mean, 0, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, "mean, M/D/1 model", model, 2, true, false); err != nil {
		return nil, err
	}
	capLine, err := plotter.NewLine(plotter.XYs{{X: 1, Y: 5}, {X: 1, Y: 5000}})
	if err != nil {
		return nil, wrapErr(err)
	}
	capLine.Color = plotutil.Color(3)
	capLine.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(capLine)
	p.Legend.Add("capacity", capLine)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(10)
	p.X.Tick.Marker = ticksAt(0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6)
	p.Y.Tick.Marker = powersOfTen{}
	p.Y.Min, p.Y.Max = 5, 5000
	return p, nil
}

// PlotTopology draws packets delivered per bin over time for both
// clients, with the time of the topology change.
func PlotTopology(r TopologyResult) (*plot.Plot, error) {
	bin := float64(r.Config.Bin) / 1e9
	series := func(x TopologyRun, shift float64) plotter.XYs {
		var xys plotter.XYs
		for i, n := range x.PerBin {
			xys = append(xys, plotter.XY{X: (float64(i)+0.5)*bin + shift, Y: float64(n)})
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
	if err := addLine(p, fmt.Sprintf("switches router after %d missed acks", r.Config.Misses), series(r.Adaptive, 0), 0, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, "hard-coded route via r1", series(r.HardCoded, 0), 1, true, true); err != nil {
		return nil, err
	}
	maxY := float64(r.Config.Bin/r.Config.Interval) + 2
	change, err := plotter.NewLine(plotter.XYs{{X: float64(r.Config.ChangeAt) / 1e9, Y: 0}, {X: float64(r.Config.ChangeAt) / 1e9, Y: maxY}})
	if err != nil {
		return nil, wrapErr(err)
	}
	change.Color = plotutil.Color(3)
	change.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(change)
	p.Legend.Add("link cut", change)
	p.Y.Min, p.Y.Max = 0, maxY+5
	p.X.Min, p.X.Max = 0, float64(r.Config.Duration)/1e9
	p.X.Tick.Marker = ticksAt(0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5)
	p.Y.Tick.Marker = ticksAt(0, 5, 10, 15, 20, 30, 40, 50)
	p.Legend.Top = true
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
	if err := addLine(p, "all-to-all: n(n-1)", all, 1, false, true); err != nil {
		return nil, err
	}
	if err := addLine(p, "to one monitor: n-1", mon, 0, false, true); err != nil {
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
	for i, r := range rs {
		var sim, f plotter.XYs
		for _, pt := range r.Points {
			if pt.Simulated < 1 {
				sim = append(sim, plotter.XY{X: float64(pt.Replicas), Y: 1 - pt.Simulated})
			}
			f = append(f, plotter.XY{X: float64(pt.Replicas), Y: 1 - pt.Formula})
		}
		if err := addLine(p, fmt.Sprintf("a = %g: (1-a)^k", r.Config.A), f, i, true, false); err != nil {
			return nil, err
		}
		if err := addScatter(p, fmt.Sprintf("a = %g: simulated (seed %d)", r.Config.A, r.Config.Seed), sim, i); err != nil {
			return nil, err
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(intTicks(rs[0].Config.MaxReplicas))
	p.Legend.Left = true
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
	if err := addLine(p, "ideal: k workers, k times faster", ideal, 2, true, false); err != nil {
		return nil, err
	}
	if err := addLine(p, "simulated", sim, 0, false, true); err != nil {
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
