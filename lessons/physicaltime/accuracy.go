package physicaltime

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dslessons/course/pkg/clocksync"
	"github.com/dslessons/course/pkg/physclock"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

// AccuracyConfig describes SyncAccuracy: NTP exchanges between a client
// and a server whose clock is ahead by a fixed 250 ms, with one-way
// delays Base + asymmetry (request only) + a uniform random part in
// [0, Variation] in each direction.
type AccuracyConfig struct {
	Base        time.Duration   // smallest one-way delay; ≥ 0
	Asymmetries []time.Duration // extra delay of the request, one row per value; each ≥ 0
	Variation   time.Duration   // random extra delay per direction; ≥ 0
	Trials      int             // exchanges per row; [1, 100000]
	Seed        uint64
}

// DefaultAccuracy is the lesson's scenario: 5 ms base delay, 2 ms of
// random variation, asymmetry from 0 to 40 ms.
var DefaultAccuracy = AccuracyConfig{
	Base: 5 * time.Millisecond, Variation: 2 * time.Millisecond, Trials: 200, Seed: 1,
	Asymmetries: []time.Duration{0, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 30 * time.Millisecond, 40 * time.Millisecond},
}

// AccuracyRow is the result for one asymmetry.
type AccuracyRow struct {
	Asymmetry time.Duration
	MeanErr   time.Duration // mean of (estimated − true offset)
	MaxAbsErr time.Duration // largest |estimated − true offset|
	MinBound  time.Duration // smallest δ/2 seen: even the best sample cannot rule out this much error
	Violated  int           // exchanges whose error exceeded their own δ/2 (always 0)
}

// AccuracyResult is the outcome of SyncAccuracy.
type AccuracyResult struct {
	Config AccuracyConfig
	Rows   []AccuracyRow
}

// Table has one row per asymmetry.
func (r AccuracyResult) Table() (header []string, rows [][]string) {
	header = []string{"asymmetry", "mean error", "max |error|", "asymmetry / 2", "smallest δ/2"}
	for _, x := range r.Rows {
		rows = append(rows, []string{x.Asymmetry.String(), x.MeanErr.Round(time.Microsecond).String(),
			x.MaxAbsErr.Round(time.Microsecond).String(), (x.Asymmetry / 2).String(), x.MinBound.Round(time.Microsecond).String()})
	}
	return header, rows
}

// SyncAccuracy measures the error of NTP's offset estimate as the delay
// asymmetry grows.
func SyncAccuracy(cfg AccuracyConfig) (AccuracyResult, error) {
	if cfg.Base < 0 || cfg.Variation < 0 {
		return AccuracyResult{}, fmt.Errorf("physicaltime: base delay %v and variation %v must be ≥ 0", cfg.Base, cfg.Variation)
	}
	if cfg.Trials < 1 || cfg.Trials > 100000 {
		return AccuracyResult{}, fmt.Errorf("physicaltime: %d trials not in [1,100000]", cfg.Trials)
	}
	if len(cfg.Asymmetries) == 0 {
		return AccuracyResult{}, fmt.Errorf("physicaltime: no asymmetries to try")
	}
	const theta = 250 * time.Millisecond
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x61636375)) // "accu"
	res := AccuracyResult{Config: cfg}
	for _, a := range cfg.Asymmetries {
		if a < 0 {
			return AccuracyResult{}, fmt.Errorf("physicaltime: asymmetry %v is negative", a)
		}
		client, err := perfectWall()
		if err != nil {
			return AccuracyResult{}, err
		}
		shw, err := physclock.NewHardware(physclock.HardwareConfig{Offset: theta})
		if err != nil {
			return AccuracyResult{}, err
		}
		server, err := physclock.NewWall(shw, physclock.WallConfig{})
		if err != nil {
			return AccuracyResult{}, err
		}
		row := AccuracyRow{Asymmetry: a, MinBound: -1}
		var sum time.Duration
		for i := range cfg.Trials {
			d1 := cfg.Base + a + time.Duration(rng.Int64N(int64(cfg.Variation)+1))
			d2 := cfg.Base + time.Duration(rng.Int64N(int64(cfg.Variation)+1))
			e, err := clocksync.Simulate(client, server, time.Duration(i)*time.Second, d1, 100*time.Microsecond, d2)
			if err != nil {
				return AccuracyResult{}, err
			}
			errv := e.Offset() - theta
			sum += errv
			row.MaxAbsErr = max(row.MaxAbsErr, abs(errv))
			if row.MinBound < 0 || e.ErrorBound() < row.MinBound {
				row.MinBound = e.ErrorBound()
			}
			if abs(errv) > e.ErrorBound() {
				row.Violated++
			}
		}
		row.MeanErr = sum / time.Duration(cfg.Trials)
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// AccuracyPlot plots the offset error (ms) against the asymmetry (ms):
// the mean and the largest error, the asymmetry/2 they follow, and the
// bound δ/2 of the best (smallest-delay) exchange, which no error of that
// exchange can exceed.
func AccuracyPlot(r AccuracyResult) (*plot.Plot, error) {
	n := len(r.Rows)
	x, mean, mx, half, bound := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, row := range r.Rows {
		x[i] = ms(float64(row.Asymmetry))
		mean[i] = ms(float64(row.MeanErr))
		mx[i] = ms(float64(row.MaxAbsErr))
		half[i] = ms(float64(row.Asymmetry)) / 2
		bound[i] = ms(float64(row.MinBound))
	}
	return linePlot(fmt.Sprintf("NTP offset error vs delay asymmetry (seed %d)", r.Config.Seed),
		"asymmetry: request delay − reply delay (ms)", "offset error (ms)",
		plots.Series{Name: "bound δ/2 of the best exchange", X: x, Y: bound, Style: plots.LinePoints, Color: 3},
		plots.Series{Name: "max |error|", X: x, Y: mx, Style: plots.LinePoints, Color: 1},
		plots.Series{Name: "mean error", X: x, Y: mean, Style: plots.LinePoints, Color: 0},
		plots.Series{Name: "asymmetry / 2", X: x, Y: half, Color: 2})
}

// Source is a way of getting the time from a reference.
type Source struct {
	Name string
	// For a round trip (NTP): one-way delays uniform in [MinDelay, MaxDelay],
	// independently in each direction.
	MinDelay, MaxDelay time.Duration
	// OneWay sources (GPS) send the time without a reply; the receiver
	// computes the propagation delay from its position and the satellites',
	// to within ±DelayUncertainty.
	OneWay           bool
	DelayUncertainty time.Duration
	ReadJitter       time.Duration // receiver's timestamping jitter
}

// Sources are the three references the lesson compares. The figures are
// typical orders of magnitude: tens of ms of one-way delay on the
// internet, sub-ms on a LAN, 67–86 ms of light travel time from a GPS
// satellite, known to tens of nanoseconds.
var Sources = []Source{
	{Name: "NTP over the internet", MinDelay: 5 * time.Millisecond, MaxDelay: 60 * time.Millisecond},
	{Name: "NTP on a LAN", MinDelay: 100 * time.Microsecond, MaxDelay: time.Millisecond},
	{Name: "GPS receiver", OneWay: true, MinDelay: 67 * time.Millisecond, MaxDelay: 86 * time.Millisecond,
		DelayUncertainty: 50 * time.Nanosecond, ReadJitter: 100 * time.Nanosecond},
}

// A modern server core: about 3 GHz, retiring about 3 instructions per
// cycle on ordinary code (wide out-of-order cores peak at 4–8).
const (
	CoreGHz         = 3.0
	InstructionsPer = 3.0 // instructions per cycle
)

// InstructionsPerMs is what one such core executes in a millisecond:
// 3·10^9 cycles/s × 3 instructions/cycle ÷ 1000 ≈ 10^7 (the course notes'
// 10^6 is a core of the 1990s).
const InstructionsPerMs = CoreGHz * 1e9 * InstructionsPer / 1e3

// SourceRow is the measured accuracy of one source.
type SourceRow struct {
	Source   Source
	MeanAbs  time.Duration
	MaxAbs   time.Duration
	PerCore  float64 // instructions one core runs during MeanAbs
	AllCores float64 // × Cores
}

// SourcesResult is the outcome of CompareSources.
type SourcesResult struct {
	Seed   uint64
	Trials int
	Cores  int
	Rows   []SourceRow
}

// Table has one row per source.
func (r SourcesResult) Table() (header []string, rows [][]string) {
	header = []string{"source", "mean |error|", "max |error|", "instructions per core", fmt.Sprintf("instructions on %d cores", r.Cores)}
	for _, x := range r.Rows {
		rows = append(rows, []string{x.Source.Name, x.MeanAbs.Round(time.Nanosecond).String(), x.MaxAbs.String(),
			fmt.Sprintf("%.3g", x.PerCore), fmt.Sprintf("%.3g", x.AllCores)})
	}
	return header, rows
}

// CompareSources measures each of sources over trials seeded exchanges
// and converts the mean error into instructions a CPU with cores cores
// runs in that time.
func CompareSources(sources []Source, trials, cores int, seed uint64) (SourcesResult, error) {
	if trials < 1 || trials > 100000 {
		return SourcesResult{}, fmt.Errorf("physicaltime: %d trials not in [1,100000]", trials)
	}
	if cores < 1 || cores > 4096 {
		return SourcesResult{}, fmt.Errorf("physicaltime: %d cores not in [1,4096]", cores)
	}
	rng := rand.New(rand.NewPCG(seed, 0x737263)) // "src"
	res := SourcesResult{Seed: seed, Trials: trials, Cores: cores}
	for k, s := range sources {
		if s.MinDelay < 0 || s.MaxDelay < s.MinDelay || s.DelayUncertainty < 0 || s.ReadJitter < 0 {
			return SourcesResult{}, fmt.Errorf("physicaltime: source %q has invalid delays", s.Name)
		}
		// The client's clock is 1 s off; the reference is perfect.
		chw, err := physclock.NewHardware(physclock.HardwareConfig{Offset: time.Second, Jitter: s.ReadJitter, Seed: seed + uint64(k)})
		if err != nil {
			return SourcesResult{}, err
		}
		client, err := physclock.NewWall(chw, physclock.WallConfig{})
		if err != nil {
			return SourcesResult{}, err
		}
		ref, err := perfectWall()
		if err != nil {
			return SourcesResult{}, err
		}
		row := SourceRow{Source: s}
		var sum time.Duration
		for i := range trials {
			at := time.Duration(i) * time.Second
			draw := func() time.Duration {
				return s.MinDelay + time.Duration(rng.Int64N(int64(s.MaxDelay-s.MinDelay)+1))
			}
			var offset time.Duration
			if s.OneWay {
				d := draw()
				est := d + time.Duration(rng.Int64N(int64(2*s.DelayUncertainty)+1)) - s.DelayUncertainty
				sent := ref.Read(at)
				offset = sent + est - client.Read(at+d)
			} else {
				e, err := clocksync.Simulate(client, ref, at, draw(), 0, draw())
				if err != nil {
					return SourcesResult{}, err
				}
				offset = e.Offset()
			}
			errv := abs(offset - (-time.Second))
			sum += errv
			row.MaxAbs = max(row.MaxAbs, errv)
		}
		row.MeanAbs = sum / time.Duration(trials)
		row.PerCore = row.MeanAbs.Seconds() * 1e3 * InstructionsPerMs
		row.AllCores = row.PerCore * float64(cores)
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}
