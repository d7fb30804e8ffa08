package partialfailure

import (
	"fmt"
	"math"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// RetryConfig describes the retry experiment: in each of Runs seeded runs
// (seeds Seed, Seed+1, …) a client makes Deposits deposits of Amount, one
// after another, retrying each after Timeout until it is acknowledged (at
// most MaxAttempts attempts). Both directions lose each message with
// probability p, for every p in Loss.
type RetryConfig struct {
	Seed        uint64
	Runs        int
	Deposits    int
	Amount      int
	Loss        []float64
	Delay       netsim.Delay // one-way delay, both directions
	Duplicate   float64      // probability that the network delivers a message twice
	Processing  netsim.Time
	Timeout     netsim.Time
	MaxAttempts int
}

// DefaultRetryConfig: 200 runs of 20 deposits of 10 on the synchronous
// network of the scenarios (delays 5–10 ms, 5 ms processing, so answers
// take at most 25 ms), a 30 ms timeout — so a retry happens only when a
// message was really lost — and loss from 0 to 0.5.
func DefaultRetryConfig() RetryConfig {
	loss := make([]float64, 11)
	for i := range loss {
		loss[i] = float64(i) / 20
	}
	return RetryConfig{
		Seed:        1,
		Runs:        200,
		Deposits:    20,
		Amount:      10,
		Loss:        loss,
		Delay:       netsim.Uniform(5*netsim.Millisecond, 10*netsim.Millisecond),
		Processing:  5 * netsim.Millisecond,
		Timeout:     30 * netsim.Millisecond,
		MaxAttempts: 100,
	}
}

// Validate checks the configuration.
func (c RetryConfig) Validate() error {
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("partialfailure: %w", err)
	}
	if c.Runs < 1 || c.Runs > 100_000 {
		return fmt.Errorf("partialfailure: %d runs: want 1..100000", c.Runs)
	}
	if c.Processing < 0 {
		return fmt.Errorf("partialfailure: processing time %v: want >= 0", c.Processing)
	}
	if !(c.Duplicate >= 0 && c.Duplicate <= 1) {
		return fmt.Errorf("partialfailure: duplicate probability %v not in [0,1]", c.Duplicate)
	}
	if len(c.Loss) == 0 {
		return fmt.Errorf("partialfailure: no loss probabilities to try")
	}
	for _, p := range c.Loss {
		if !(p >= 0 && p <= 0.9) {
			return fmt.Errorf("partialfailure: loss probability %v not in [0, 0.9]", p)
		}
	}
	return c.client().Validate()
}

func (c RetryConfig) client() ClientConfig {
	return ClientConfig{Deposits: c.Deposits, Amount: c.Amount, Timeout: c.Timeout, MaxAttempts: c.MaxAttempts}
}

// RunOutcome is what one run of the retry experiment ended with.
type RunOutcome struct {
	Seed     uint64
	Loss     float64
	Balance  int   // the server's final balance
	Intended int   // Deposits · Amount
	Attempts []int // per deposit, how often the client sent it
	GaveUp   int   // deposits the client abandoned after MaxAttempts
	Received int   // requests delivered to the server, retries included
	Done     bool  // the client finished all its deposits
}

// Extra is the number of deposits applied more than once (or, for a
// faulty handler, the balance's excess in units of Amount; negative if
// deposits are missing).
func (o RunOutcome) Extra(amount int) int { return (o.Balance - o.Intended) / amount }

// RunDeposits runs one seeded run with loss probability loss and the
// given server handler.
func RunDeposits(cfg RetryConfig, loss float64, seed uint64, h Handler) (RunOutcome, error) {
	if h == nil {
		return RunOutcome{}, fmt.Errorf("partialfailure: nil handler")
	}
	sim, err := netsim.New(netsim.Config{Seed: seed, NoTrace: true, DefaultLink: netsim.Link{Loss: loss, Duplicate: cfg.Duplicate, Reorder: 1, Delay: cfg.Delay}})
	if err != nil {
		return RunOutcome{}, fmt.Errorf("partialfailure: %w", err)
	}
	client := &Client{Config: cfg.client()}
	server := &Server{Handler: h, Processing: cfg.Processing}
	if err := sim.AddNode(ClientID, client); err != nil {
		return RunOutcome{}, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.AddNode(ServerID, server); err != nil {
		return RunOutcome{}, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return RunOutcome{}, fmt.Errorf("partialfailure: deposits with loss %v (seed %d): %w", loss, seed, err)
	}
	return RunOutcome{
		Seed: seed, Loss: loss,
		Balance:  server.Account.Balance,
		Intended: cfg.Deposits * cfg.Amount,
		Attempts: client.Attempts,
		GaveUp:   client.GaveUp,
		Received: server.Received,
		Done:     client.Done(),
	}, nil
}

// RetryPoint summarises the runs at one loss probability.
type RetryPoint struct {
	Loss            float64
	Runs            int
	MeanBalance     float64 // over runs
	Intended        int     // per run
	ExtraPerDeposit float64 // deposits applied more than once, per deposit
	RunsWithExtra   int     // runs whose balance exceeds the intended one
	MaxExtra        int     // the most extra deposits in one run
	// AttemptCounts[k] is the number of deposits sent k+1 times.
	AttemptCounts []int
	Deposits      int // deposits in all runs
	GaveUp        int
}

// RetryResult is the retry experiment for one server handler.
type RetryResult struct {
	Config  RetryConfig
	Handler string // "without request ids" or "with request ids"
	Points  []RetryPoint
}

// RetryExperiment runs the experiment with the naive server (dedup false)
// or the deduplicating one (dedup true).
func RetryExperiment(cfg RetryConfig, dedup bool) (*RetryResult, error) {
	h, name := NaiveHandler, "without request ids"
	if dedup {
		h, name = DedupHandler, "with request ids"
	}
	return retryExperiment(cfg, name, h)
}

func retryExperiment(cfg RetryConfig, name string, h Handler) (*RetryResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	res := &RetryResult{Config: cfg, Handler: name}
	for _, p := range cfg.Loss {
		pt := RetryPoint{Loss: p, Runs: cfg.Runs, Intended: cfg.Deposits * cfg.Amount}
		extra, balance := 0, 0
		for i := range cfg.Runs {
			o, err := RunDeposits(cfg, p, cfg.Seed+uint64(i), h)
			if err != nil {
				return nil, err
			}
			e := o.Extra(cfg.Amount)
			extra += e
			balance += o.Balance
			if e > 0 {
				pt.RunsWithExtra++
			}
			pt.MaxExtra = max(pt.MaxExtra, e)
			pt.GaveUp += o.GaveUp
			for _, a := range o.Attempts {
				for len(pt.AttemptCounts) < a {
					pt.AttemptCounts = append(pt.AttemptCounts, 0)
				}
				if a > 0 {
					pt.AttemptCounts[a-1]++
				}
				pt.Deposits++
			}
		}
		pt.MeanBalance = float64(balance) / float64(cfg.Runs)
		pt.ExtraPerDeposit = float64(extra) / float64(cfg.Runs*cfg.Deposits)
		res.Points = append(res.Points, pt)
	}
	return res, nil
}

// PrematureConfig is the retry experiment on the asynchronous network of
// AsyncDetector with no loss at all but a 20 ms timeout: retries happen
// only because answers are slow.
func PrematureConfig() RetryConfig {
	c := DefaultRetryConfig()
	c.Loss = []float64{0}
	c.Delay = AsyncDetector().Delay
	c.Timeout = 20 * netsim.Millisecond
	return c
}

// ExpectedExtra is the expected number of extra applications per deposit
// of a server without deduplication when each message is lost with
// probability p and only losses cause retries: p/(1-p).
//
// Derivation: an attempt succeeds (request and answer both arrive) with
// probability q = (1-p)²; so a deposit takes 1/q attempts on average, of
// which 1/q - 1 fail. A failed attempt reached the server (and was
// applied) when its request arrived but its answer was lost: probability
// (1-p)p out of 1-q. Applications beyond the first: (1/q - 1) ·
// (1-p)p / (1-q) = (1-p)p / q = p/(1-p).
func ExpectedExtra(p float64) float64 { return p / (1 - p) }

// AttemptProbability is the probability that a deposit needs exactly k
// attempts (k >= 1) when each message is lost with probability p: the
// geometric distribution (1-q)^(k-1)·q with q = (1-p)².
func AttemptProbability(p float64, k int) float64 {
	if k < 1 {
		return 0
	}
	q := (1 - p) * (1 - p)
	return math.Pow(1-q, float64(k-1)) * q
}

// Point returns the point for loss probability p.
func (r *RetryResult) Point(p float64) (RetryPoint, bool) {
	for _, pt := range r.Points {
		if math.Abs(pt.Loss-p) < 1e-9 {
			return pt, true
		}
	}
	return RetryPoint{}, false
}

// Table returns one row per loss probability.
func (r *RetryResult) Table() (header []string, rows [][]string) {
	header = []string{"loss p", "intended", "mean balance", "extra / deposit", "p/(1-p)", "runs with extra", "max extra"}
	for _, pt := range r.Points {
		rows = append(rows, []string{
			fmt.Sprintf("%.2f", pt.Loss),
			fmt.Sprint(pt.Intended),
			fmt.Sprintf("%.1f", pt.MeanBalance),
			fmt.Sprintf("%.3f", pt.ExtraPerDeposit),
			fmt.Sprintf("%.3f", ExpectedExtra(pt.Loss)),
			fmt.Sprintf("%d / %d", pt.RunsWithExtra, pt.Runs),
			fmt.Sprint(pt.MaxExtra),
		})
	}
	return header, rows
}

// String describes the experiment in one line.
func (r *RetryResult) String() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "server %s: seeds %d..%d, %d deposits of %d per run, timeout %v, delay %v",
		r.Handler, c.Seed, c.Seed+uint64(c.Runs)-1, c.Deposits, c.Amount, c.Timeout, c.Delay)
	return b.String()
}
