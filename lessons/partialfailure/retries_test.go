package partialfailure

import (
	"math"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func retry(t *testing.T, cfg RetryConfig, dedup bool) *RetryResult {
	t.Helper()
	r, err := RetryExperiment(cfg, dedup)
	require.NoError(t, err, "seed %d", cfg.Seed)
	return r
}

func TestHandlers(t *testing.T) {
	// Hand-worked sequences: r1, r1 again (a retry), r2.
	reqs := []Request{{1, 10}, {1, 10}, {2, 5}}
	tests := []struct {
		name     string
		h        Handler
		balances []int // after each request, also the reported balance
	}{
		{"naive", NaiveHandler, []int{10, 20, 25}},
		{"dedup", DedupHandler, []int{10, 10, 15}},
	}
	for _, tc := range tests {
		var acc Account
		for i, r := range reqs {
			resp := tc.h(&acc, r)
			assert.Equal(t, tc.balances[i], acc.Balance, "%s after %v", tc.name, r)
			assert.Equal(t, r.ID, resp.ID, tc.name)
			assert.Equal(t, tc.balances[i], resp.Balance, tc.name)
		}
	}
}

// Without request ids, retries after lost messages apply deposits twice
// for every p > 0, at the rate p/(1-p) derived in ExpectedExtra; with
// ids, never.
func TestRetriesDuplicateEffectsWithoutIDs(t *testing.T) {
	cfg := DefaultRetryConfig()
	naive := retry(t, cfg, false)
	dedup := retry(t, cfg, true)
	require.Len(t, naive.Points, 11)
	for i, pt := range naive.Points {
		d := dedup.Points[i]
		assert.Zero(t, pt.GaveUp, "p=%v: at-least-once: every deposit is acknowledged", pt.Loss)
		assert.Zero(t, d.GaveUp)
		assert.Equal(t, cfg.Runs*cfg.Deposits, pt.Deposits)
		want := ExpectedExtra(pt.Loss)
		if pt.Loss == 0 {
			assert.Zero(t, pt.RunsWithExtra, "no loss, timeout above every round trip: no retries")
			assert.Zero(t, pt.ExtraPerDeposit)
		} else {
			assert.Greater(t, pt.RunsWithExtra, 0, "p=%v seeds %d..", pt.Loss, cfg.Seed)
			assert.Greater(t, pt.MeanBalance, float64(pt.Intended))
			assert.InDelta(t, want, pt.ExtraPerDeposit, 0.1*want+0.01, "p=%v", pt.Loss)
		}
		assert.Zero(t, d.RunsWithExtra, "p=%v: with ids never a duplicate", d.Loss)
		assert.Zero(t, d.MaxExtra)
		assert.Equal(t, float64(d.Intended), d.MeanBalance)
		// Same seeds: same losses, same retries, whatever the server does.
		assert.Equal(t, pt.AttemptCounts, d.AttemptCounts, "p=%v", pt.Loss)
	}
	p5, ok := naive.Point(0.5)
	require.True(t, ok)
	assert.Equal(t, cfg.Runs, p5.RunsWithExtra, "at p=0.5 every run has duplicates")
	assert.InDelta(t, 2*200.0, p5.MeanBalance, 20, "twice the intended balance on average")
	p1, _ := naive.Point(0.1)
	assert.Greater(t, p1.RunsWithExtra, cfg.Runs/2, "at p=0.1 most runs of 20 deposits have a duplicate")
}

// Per run, not just on average: with ids the balance is exactly the
// intended one, also when the network duplicates messages.
func TestDedupExactlyOncePerRun(t *testing.T) {
	cfg := DefaultRetryConfig()
	cfg.Duplicate = 0.3
	for _, p := range []float64{0, 0.2, 0.5} {
		for seed := uint64(1); seed <= 40; seed++ {
			o, err := RunDeposits(cfg, p, seed, DedupHandler)
			require.NoError(t, err)
			assert.True(t, o.Done)
			assert.Equal(t, o.Intended, o.Balance, "p=%v seed %d", p, seed)
			assert.GreaterOrEqual(t, o.Received, cfg.Deposits, "at-least-once delivery")
		}
	}
	// Network duplicates alone already break the naive server.
	cfg.Loss = []float64{0}
	r := retry(t, cfg, false)
	assert.Greater(t, r.Points[0].RunsWithExtra, 0)
}

// Retries caused by slow answers (no loss at all) also duplicate effects.
func TestPrematureTimeoutsDuplicate(t *testing.T) {
	cfg := PrematureConfig()
	naive := retry(t, cfg, false)
	dedup := retry(t, cfg, true)
	assert.Greater(t, naive.Points[0].ExtraPerDeposit, 0.05)
	assert.Zero(t, naive.Points[0].GaveUp)
	assert.Zero(t, dedup.Points[0].RunsWithExtra)
	// A shorter timeout retries more often, so duplicates more.
	cfg.Timeout = 10 * ms1
	shorter := retry(t, cfg, false)
	assert.Greater(t, shorter.Points[0].ExtraPerDeposit, naive.Points[0].ExtraPerDeposit)
}

// The number of attempts per deposit is geometric with success
// probability (1-p)²: the total variation distance between measured and
// predicted shares is small.
func TestRetryCountsGeometric(t *testing.T) {
	cfg := DefaultRetryConfig()
	cfg.Loss = []float64{0.1, 0.3, 0.5}
	r := retry(t, cfg, true)
	for _, pt := range r.Points {
		tv := 0.0
		sum := 0.0
		for k := 1; k <= 60; k++ {
			got := 0.0
			if k <= len(pt.AttemptCounts) {
				got = float64(pt.AttemptCounts[k-1]) / float64(pt.Deposits)
			}
			tv += math.Abs(got - AttemptProbability(pt.Loss, k))
			sum += AttemptProbability(pt.Loss, k)
		}
		assert.InDelta(t, 1, sum, 1e-6)
		assert.Less(t, tv/2, 0.03, "p=%v", pt.Loss)
	}
	assert.Zero(t, AttemptProbability(0.3, 0))
	assert.InDelta(t, 0.49, AttemptProbability(0.3, 1), 1e-12)
	assert.InDelta(t, 0.51*0.49, AttemptProbability(0.3, 2), 1e-12)
}

func TestExpectedExtraByEnumeration(t *testing.T) {
	// Brute force: sum over attempt sequences up to 200 attempts.
	for _, p := range []float64{0.05, 0.2, 0.5} {
		q := (1 - p) * (1 - p)
		fail := 1 - q
		applied := (1 - p) * p / fail // a failed attempt reached the server
		e := 0.0
		for k := 1; k <= 200; k++ { // k attempts: k-1 failures, then success
			e += math.Pow(fail, float64(k-1)) * q * float64(k-1) * applied
		}
		assert.InDelta(t, e, ExpectedExtra(p), 1e-9, "p=%v", p)
	}
}

func TestRetryTableAndPlots(t *testing.T) {
	cfg := DefaultRetryConfig()
	cfg.Runs = 20
	naive := retry(t, cfg, false)
	dedup := retry(t, cfg, true)
	h, rows := naive.Table()
	assert.Len(t, h, 7)
	require.Len(t, rows, 11)
	assert.Equal(t, []string{"0.00", "200", "200.0", "0.000", "0.000", "0 / 20", "0"}, rows[0])
	assert.Equal(t, "1.000", rows[10][4])
	assert.Contains(t, naive.String(), "seeds 1..20")
	assert.Contains(t, dedup.String(), "with request ids")

	xy := ExtraSeries(naive)
	require.Len(t, xy, 11)
	assert.Equal(t, 0.5, xy[10].X)
	assert.Equal(t, naive.Points[10].ExtraPerDeposit, xy[10].Y)
	p, err := PlotExtraEffects(naive, dedup)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "seeds 1..20")
	assert.NotEmpty(t, p.X.Label.Text)
	assert.NotEmpty(t, p.Y.Label.Text)
	_, err = PlotExtraEffects()
	assert.Error(t, err)

	pt, _ := naive.Point(0.3)
	meas, pred := AttemptBars(pt, 6)
	require.Len(t, meas, 7)
	assert.InDelta(t, 100*float64(pt.AttemptCounts[0])/float64(pt.Deposits), meas[0], 1e-9)
	assert.InDelta(t, 49.0, pred[0], 1e-9)
	bp, err := PlotRetries(pt, 6)
	require.NoError(t, err)
	assert.Contains(t, bp.Title.Text, "p = 0.30")
	_, err = PlotRetries(RetryPoint{}, 6)
	assert.Error(t, err)
	_, err = PlotRetries(pt, 0)
	assert.Error(t, err)
}

func TestRetryValidation(t *testing.T) {
	mod := func(f func(*RetryConfig)) RetryConfig {
		c := DefaultRetryConfig()
		f(&c)
		return c
	}
	for _, tc := range []struct {
		cfg  RetryConfig
		want string
	}{
		{mod(func(c *RetryConfig) { c.Runs = 0 }), "runs"},
		{mod(func(c *RetryConfig) { c.Loss = nil }), "no loss"},
		{mod(func(c *RetryConfig) { c.Loss = []float64{0.95} }), "loss probability 0.95 not in [0, 0.9]"},
		{mod(func(c *RetryConfig) { c.Loss = []float64{math.NaN()} }), "loss probability"},
		{mod(func(c *RetryConfig) { c.Duplicate = 2 }), "duplicate"},
		{mod(func(c *RetryConfig) { c.Deposits = 0 }), "deposits"},
		{mod(func(c *RetryConfig) { c.Processing = -1 }), "processing"},
		{mod(func(c *RetryConfig) { c.Delay = netsim.Const(-1) }), "delay"},
	} {
		_, err := RetryExperiment(tc.cfg, false)
		require.Error(t, err, tc.want)
		assert.True(t, strings.HasPrefix(err.Error(), "partialfailure: "), err.Error())
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := RunDeposits(DefaultRetryConfig(), 0.1, 1, nil)
	assert.ErrorContains(t, err, "nil handler")
}

func BenchmarkRunDeposits(b *testing.B) {
	cfg := DefaultRetryConfig()
	for i := 0; b.Loop(); i++ {
		if _, err := RunDeposits(cfg, 0.3, uint64(i), DedupHandler); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFalseSuspicions(b *testing.B) {
	cfg := AsyncDetector()
	cfg.Timeouts = cfg.Timeouts[:1]
	for b.Loop() {
		if _, err := FalseSuspicions(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
