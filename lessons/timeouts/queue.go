package timeouts

import (
	"github.com/dslessons/course/pkg/table"

	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// QueueConfig describes a single-server FIFO queue with Poisson arrivals
// and exponential service times (M/M/1): requests arrive at rate
// Utilisation·ServiceRate and are served one at a time at ServiceRate.
type QueueConfig struct {
	ServiceRate  float64   // μ, requests the server completes per ms when busy
	Utilisations []float64 // ρ = λ/μ values to simulate, each in (0,1)
	Requests     int       // requests simulated per ρ (after Warmup)
	Warmup       int       // requests discarded at the start of each run
	Seed         uint64
}

// DefaultQueue serves one request per ms on average and sweeps ρ up to 0.9 (closer to 1 a run must be far longer to settle).
func DefaultQueue() QueueConfig {
	return QueueConfig{
		ServiceRate:  1,
		Utilisations: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9},
		Requests:     1_000_000, Warmup: 20_000, Seed: 1,
	}
}

// QueuePoint is the latency measured at one utilisation, next to the
// M/M/1 closed forms: the time in system is exponential with rate μ-λ, so
// its mean is 1/(μ-λ) and its q-quantile is -ln(1-q)/(μ-λ).
type QueuePoint struct {
	Utilisation  float64
	Mean, P99    float64 // simulated time in system (wait + service), ms
	TheoryMean   float64 // 1/(μ-λ)
	TheoryP99    float64 // ln(100)/(μ-λ)
	MeanQueueLen float64 // simulated mean number waiting or in service seen by arrivals
}

// QueueResult is the outcome of Queue.
type QueueResult struct {
	Config QueueConfig
	Points []QueuePoint
}

// Queue simulates the queue at each utilisation with Lindley's recursion:
// the wait of request n+1 is max(0, wait_n + service_n - gap_{n+1}). Time is
// virtual; arrivals and services come from one PCG stream per utilisation,
// derived from Seed.
func Queue(cfg QueueConfig) (QueueResult, error) {
	if math.IsNaN(cfg.ServiceRate) || math.IsInf(cfg.ServiceRate, 0) || cfg.ServiceRate <= 0 {
		return QueueResult{}, fmt.Errorf("timeouts: ServiceRate %v must be finite and > 0 per ms", cfg.ServiceRate)
	}
	if cfg.Requests < 100 || cfg.Requests > 50_000_000 {
		return QueueResult{}, fmt.Errorf("timeouts: Requests %d not in [100, 50000000]", cfg.Requests)
	}
	if cfg.Warmup < 0 || cfg.Warmup > cfg.Requests {
		return QueueResult{}, fmt.Errorf("timeouts: Warmup %d not in [0, Requests=%d]", cfg.Warmup, cfg.Requests)
	}
	if len(cfg.Utilisations) == 0 {
		return QueueResult{}, fmt.Errorf("timeouts: no utilisations to simulate")
	}
	res := QueueResult{Config: cfg}
	mu := cfg.ServiceRate
	for i, rho := range cfg.Utilisations {
		if !(rho > 0 && rho < 1) {
			return QueueResult{}, fmt.Errorf("timeouts: utilisation %v not in (0,1): at or above 1 the queue grows without bound", rho)
		}
		lambda := rho * mu
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		total := cfg.Warmup + cfg.Requests
		sojourn := make([]float64, 0, cfg.Requests)
		departures := make([]float64, 0, total) // departure times, ascending (FIFO)
		wait, service, now, inSystemSum := 0.0, 0.0, 0.0, 0.0
		head := 0
		for n := range total {
			gap := rng.ExpFloat64() / lambda
			now += gap
			if n > 0 {
				wait = max(0, wait+service-gap)
			}
			service = rng.ExpFloat64() / mu
			for head < len(departures) && departures[head] <= now {
				head++
			}
			if n >= cfg.Warmup {
				sojourn = append(sojourn, wait+service)
				inSystemSum += float64(len(departures) - head)
			}
			departures = append(departures, now+wait+service)
		}
		mean := 0.0
		for _, s := range sojourn {
			mean += s
		}
		mean /= float64(len(sojourn))
		slices.Sort(sojourn)
		res.Points = append(res.Points, QueuePoint{
			Utilisation:  rho,
			Mean:         mean,
			P99:          sojourn[int(0.99*float64(len(sojourn)))],
			TheoryMean:   1 / (mu - lambda),
			TheoryP99:    math.Log(100) / (mu - lambda),
			MeanQueueLen: inSystemSum / float64(len(sojourn)),
		})
	}
	return res, nil
}

// Caption says what was simulated, with the seed.
func (r QueueResult) Caption() string {
	return fmt.Sprintf("M/M/1 queue, service rate %g/ms, %d requests per point, seed=%d", r.Config.ServiceRate, r.Config.Requests, r.Config.Seed)
}

// Table is the simulation next to the formulas, as a header and rows (for
// show.Table).
func (r QueueResult) Table() (header []string, rows [][]string) {
	f := func(x float64) string { return fmt.Sprintf("%.2f", x) }
	for _, p := range r.Points {
		rows = append(rows, []string{f(p.Utilisation), f(p.Mean), f(p.TheoryMean), f(p.P99), f(p.TheoryP99), f(p.MeanQueueLen)})
	}
	return []string{"ρ", "mean (ms)", "1/(μ−λ) (ms)", "p99 (ms)", "ln(100)/(μ−λ) (ms)", "in system"}, rows
}

func (r QueueResult) String() string { return r.Caption() + "\n" + table.String(r.Table()) }
