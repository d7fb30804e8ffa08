package physicaltime

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dslessons/course/pkg/clocksync"
	"github.com/dslessons/course/pkg/physclock"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// DriftConfig describes the Drift experiment.
type DriftConfig struct {
	Nodes       int           // number of nodes; [1, 8]
	MaxDriftPPM float64       // each node's drift is drawn uniformly from ±MaxDriftPPM; [0, 1000]
	MaxOffset   time.Duration // each node's initial offset is drawn from ±MaxOffset; [0, 1h]
	Duration    time.Duration // how long to watch; (0, 7 days]
	Sample      time.Duration // sampling interval; at most 5000 samples
	SyncEvery   time.Duration // NTP poll interval; 0 means never synchronise
	MinDelay    time.Duration // one-way delays to the time server are uniform in [MinDelay, MaxDelay]
	MaxDelay    time.Duration
	// Frequency, when set, also disciplines each clock's frequency at
	// every poll (see FrequencyRule); nil corrects the offset only, like
	// an SNTP client.
	Frequency FrequencyRule
	Seed      uint64
}

// FrequencyRule is the frequency half of a clock discipline. At every poll
// it gets the frequency correction in force (ppm, + makes the clock run
// faster), the offset θ just measured (server − client: positive when the
// client is behind) and the time since the previous poll (0 at the first
// poll), and returns the new frequency correction. The result must lie in
// [−physclock.MaxFrequencyPPM, +physclock.MaxFrequencyPPM].
type FrequencyRule func(freqPPM float64, offset, since time.Duration) float64

// LockFrequency is the lesson's frequency rule, a frequency-locked loop of
// gain 1: right after the previous poll the offset was corrected, so the
// offset that built up since then is the frequency error times the
// interval; add offset/since to the correction. At the first poll (since
// = 0) the offset is the clock's initial error, which says nothing about
// its rate, so the frequency stays. ntpd and chrony follow the same idea
// with more care (RFC 5905 §11.3: a loop filter that averages over many
// polls and mixes phase and frequency locking).
func LockFrequency(freqPPM float64, offset, since time.Duration) float64 {
	if since <= 0 {
		return freqPPM
	}
	return freqPPM + float64(offset)/float64(since)*1e6
}

// settledPolls is when a DriftSeries' LateMaxAbs starts: after the third poll,
// once the frequency discipline has had two intervals to measure the rate.
const settledPolls = 3

// DefaultDrift is the lesson's scenario: four nodes with quartz-like
// drifts of up to 100 ppm, watched for an hour; pass SyncEvery to
// synchronise.
var DefaultDrift = DriftConfig{
	Nodes: 4, MaxDriftPPM: 100, MaxOffset: 20 * time.Millisecond, Duration: time.Hour,
	Sample: 10 * time.Second, MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond, Seed: 1,
}

// DriftSeries is one node's clock error over time.
type DriftSeries struct {
	Node     string
	DriftPPM float64
	Offset   time.Duration // initial offset
	T        []time.Duration
	Err      []time.Duration // wall clock − true time at T
	MaxAbs   time.Duration   // largest |Err|
	// LateMaxAbs is the largest |Err| from the third poll on (all of Err
	// without synchronisation): the height of the sawtooth once the
	// discipline has settled.
	LateMaxAbs time.Duration
	Actions    []string  // what each synchronisation did ("slewed"/"stepped")
	FreqPPM    []float64 // the frequency correction after each poll (with a FrequencyRule)
}

// DriftResult is the outcome of Drift.
type DriftResult struct {
	Config DriftConfig
	Series []DriftSeries
}

// Table has one row per node.
func (r DriftResult) Table() (header []string, rows [][]string) {
	header = []string{"node", "drift (ppm)", "initial offset", "max |error|", "final error"}
	if r.Config.SyncEvery > 0 {
		header = append(header, "max |error| after 3rd poll")
	}
	if r.Config.Frequency != nil {
		header = append(header, "final frequency correction (ppm)")
	}
	for _, s := range r.Series {
		row := []string{s.Node, fmt.Sprintf("%+.1f", s.DriftPPM), s.Offset.Round(time.Microsecond).String(),
			s.MaxAbs.Round(time.Microsecond).String(), s.Err[len(s.Err)-1].Round(time.Microsecond).String()}
		if r.Config.SyncEvery > 0 {
			row = append(row, s.LateMaxAbs.Round(time.Microsecond).String())
		}
		if r.Config.Frequency != nil && len(s.FreqPPM) > 0 {
			row = append(row, fmt.Sprintf("%+.1f", s.FreqPPM[len(s.FreqPPM)-1]))
		}
		rows = append(rows, row)
	}
	return header, rows
}

func (c DriftConfig) validate() error {
	switch {
	case c.Nodes < 1 || c.Nodes > 8:
		return fmt.Errorf("physicaltime: %d nodes not in [1,8]", c.Nodes)
	case math.IsNaN(c.MaxDriftPPM) || c.MaxDriftPPM < 0 || c.MaxDriftPPM > 1000:
		return fmt.Errorf("physicaltime: max drift %v ppm not in [0,1000]", c.MaxDriftPPM)
	case c.MaxOffset < 0 || c.MaxOffset > time.Hour:
		return fmt.Errorf("physicaltime: max offset %v not in [0,1h]", c.MaxOffset)
	case c.Duration <= 0 || c.Duration > 7*24*time.Hour:
		return fmt.Errorf("physicaltime: duration %v not in (0,168h]", c.Duration)
	case c.Sample <= 0 || c.Duration/c.Sample > 5000:
		return fmt.Errorf("physicaltime: sample interval %v gives more than 5000 samples (or is not positive)", c.Sample)
	case c.SyncEvery < 0:
		return fmt.Errorf("physicaltime: sync interval %v is negative (0 means never)", c.SyncEvery)
	case c.MinDelay < 0 || c.MaxDelay < c.MinDelay:
		return fmt.Errorf("physicaltime: delays [%v,%v] are not a range of non-negative durations", c.MinDelay, c.MaxDelay)
	}
	return nil
}

// Drift simulates the nodes' wall clocks against true time. With
// SyncEvery > 0 each node runs an NTP exchange with a perfect time server
// every SyncEvery (starting at time 0) and corrects the measured offset
// (clocksync.Client, physclock.Wall.Adjust: slewed below 128 ms, stepped
// above), and with a Frequency rule also its clock's frequency
// (physclock.Wall.SetFrequency); without SyncEvery the errors grow
// linearly at each node's drift rate.
func Drift(cfg DriftConfig) (DriftResult, error) {
	if err := cfg.validate(); err != nil {
		return DriftResult{}, err
	}
	// Two streams: one draws each node's clock (drift and offset), the
	// other the network delays, so that a run with and without SyncEvery
	// has the same clocks.
	clocks := rand.New(rand.NewPCG(cfg.Seed, 0x636c6f636b73)) // "clocks"
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6472696674))      // "drift"
	server, err := perfectWall()
	if err != nil {
		return DriftResult{}, err
	}
	res := DriftResult{Config: cfg}
	for n := range cfg.Nodes {
		drift := (clocks.Float64()*2 - 1) * cfg.MaxDriftPPM
		off := time.Duration((clocks.Float64()*2 - 1) * float64(cfg.MaxOffset))
		hw, err := physclock.NewHardware(physclock.HardwareConfig{Offset: off, DriftPPM: drift, Jitter: time.Microsecond, Seed: cfg.Seed + uint64(n)})
		if err != nil {
			return DriftResult{}, err
		}
		wall, err := physclock.NewWall(hw, physclock.WallConfig{})
		if err != nil {
			return DriftResult{}, err
		}
		client, err := clocksync.NewClient(clocksync.ClientConfig{Filter: 1})
		if err != nil {
			return DriftResult{}, err
		}
		s := DriftSeries{Node: fmt.Sprintf("node %d", n+1), DriftPPM: drift, Offset: off}
		nextSync, polls := time.Duration(0), 0
		for t := time.Duration(0); t <= cfg.Duration; t += cfg.Sample {
			for cfg.SyncEvery > 0 && nextSync <= t {
				d1 := cfg.MinDelay + time.Duration(rng.Int64N(int64(cfg.MaxDelay-cfg.MinDelay)+1))
				d2 := cfg.MinDelay + time.Duration(rng.Int64N(int64(cfg.MaxDelay-cfg.MinDelay)+1))
				req := client.Request(wall.Read(nextSync))
				resp := clocksync.Respond(req, server.Read(nextSync+d1), server.Read(nextSync+d1))
				sample, err := client.Receive(resp, wall.Read(nextSync+d1+d2))
				if err != nil {
					return DriftResult{}, err
				}
				at := nextSync + d1 + d2
				if cfg.Frequency != nil {
					since := time.Duration(0)
					if polls > 0 {
						since = cfg.SyncEvery
					}
					f := cfg.Frequency(wall.Frequency(), sample.Offset, since)
					if err := wall.SetFrequency(at, f); err != nil {
						return DriftResult{}, fmt.Errorf("physicaltime: the frequency rule at poll %d of %s: %w", polls+1, s.Node, err)
					}
					s.FreqPPM = append(s.FreqPPM, f)
				}
				s.Actions = append(s.Actions, wall.Adjust(at, sample.Offset).String())
				nextSync += cfg.SyncEvery
				polls++
			}
			e := wall.Read(t) - t
			s.T = append(s.T, t)
			s.Err = append(s.Err, e)
			s.MaxAbs = max(s.MaxAbs, abs(e))
			if cfg.SyncEvery == 0 || polls >= settledPolls {
				s.LateMaxAbs = max(s.LateMaxAbs, abs(e))
			}
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

func perfectWall() (*physclock.Wall, error) {
	hw, err := physclock.NewHardware(physclock.HardwareConfig{})
	if err != nil {
		return nil, err
	}
	return physclock.NewWall(hw, physclock.WallConfig{})
}

// DriftPlot plots each node's clock error (ms) against true time (min).
func DriftPlot(r DriftResult) (*plot.Plot, error) {
	var ss []plots.Series
	for _, s := range r.Series {
		x, y := make([]float64, len(s.T)), make([]float64, len(s.T))
		for i := range s.T {
			x[i], y[i] = s.T[i].Minutes(), ms(float64(s.Err[i]))
		}
		ss = append(ss, plots.Series{Name: fmt.Sprintf("%s (%+.0f ppm)", s.Node, s.DriftPPM), X: x, Y: y, Color: -1})
	}
	title := fmt.Sprintf("Clock error without synchronisation (seed %d)", r.Config.Seed)
	switch {
	case r.Config.SyncEvery > 0 && r.Config.Frequency != nil:
		title = fmt.Sprintf("Offset and frequency corrected every %s (seed %d)", humanDuration(r.Config.SyncEvery), r.Config.Seed)
	case r.Config.SyncEvery > 0:
		title = fmt.Sprintf("Offset corrected every %s, frequency not (seed %d)", humanDuration(r.Config.SyncEvery), r.Config.Seed)
	}
	return linePlot(title, "true time (min)", "wall clock − true time (ms)", ss...)
}

// humanDuration writes whole minutes or seconds as "10 min" or "30 s" and
// anything else in Go's notation.
func humanDuration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d >= time.Second && d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return d.String()
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
