package retry

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// msConfig is RFC 6298 scaled to milliseconds with a low minimum so the
// formula, not the clamp, decides.
var msConfig = AdaptiveConfig{Initial: 1000, Min: 1, Max: 60000}

func TestAdaptiveByHand(t *testing.T) {
	a, err := NewAdaptive(msConfig)
	require.NoError(t, err)
	assert.Equal(t, 1000.0, a.Timeout(), "initial RTO")
	steps := []struct{ r, srtt, rttvar, rto float64 }{
		{100, 100, 50, 300},                  // first: SRTT=R, RTTVAR=R/2
		{200, 112.5, 62.5, 362.5},            // RTTVAR=.75·50+.25·100; SRTT=.875·100+.125·200
		{100, 110.9375, 50, 310.9375},        // RTTVAR=.75·62.5+.25·12.5
		{110.9375, 110.9375, 37.5, 260.9375}, // no surprise: RTTVAR decays by 3/4
	}
	for i, s := range steps {
		require.NoError(t, a.Observe(Sample{RTT: s.r}))
		assert.Equal(t, s.srtt, a.SRTT(), "step %d SRTT", i)
		assert.Equal(t, s.rttvar, a.RTTVAR(), "step %d RTTVAR", i)
		assert.Equal(t, s.rto, a.Timeout(), "step %d RTO", i)
	}
	assert.Equal(t, 4, a.Samples())
}

func TestAdaptiveDefaultsAreRFC6298(t *testing.T) {
	a, err := NewAdaptive(RFC6298(1))
	require.NoError(t, err)
	assert.Equal(t, 1.0, a.Timeout(), "RFC 6298 2.1: initial RTO 1 s")
	require.NoError(t, a.Observe(Sample{RTT: 0.01}))
	assert.Equal(t, 1.0, a.Timeout(), "RFC 6298 2.4: RTO rounded up to 1 s")
	for range 10 {
		a.Expired()
	}
	assert.Equal(t, 60.0, a.Timeout(), "RFC 6298 2.5: maximum 60 s")
}

func TestAdaptiveBoundsAndGranularity(t *testing.T) {
	a, err := NewAdaptive(AdaptiveConfig{Initial: 1000, Min: 400, Max: 60000})
	require.NoError(t, err)
	require.NoError(t, a.Observe(Sample{RTT: 100}))
	assert.Equal(t, 400.0, a.Timeout(), "300 clamped up to Min")

	g, err := NewAdaptive(AdaptiveConfig{Initial: 1000, Min: 1, Max: 60000, Granularity: 500})
	require.NoError(t, err)
	require.NoError(t, g.Observe(Sample{RTT: 100}))
	assert.Equal(t, 600.0, g.Timeout(), "SRTT + max(G, 4·RTTVAR) = 100 + max(500, 200)")
}

func TestAdaptiveBackoffAndKarn(t *testing.T) {
	a, err := NewAdaptive(AdaptiveConfig{Initial: 1000, Min: 1, Max: 1000})
	require.NoError(t, err)
	require.NoError(t, a.Observe(Sample{RTT: 100})) // RTO 300
	a.Expired()
	assert.Equal(t, 600.0, a.Timeout(), "expiry doubles RTO")
	a.Expired()
	assert.Equal(t, 1000.0, a.Timeout(), "doubling stops at Max")
	// Karn: an RTT measured on a retransmitted request is ambiguous and ignored,
	// and the backed-off RTO stays.
	require.NoError(t, a.Observe(Sample{RTT: 5, Retransmitted: true}))
	assert.Equal(t, 1000.0, a.Timeout())
	assert.Equal(t, 100.0, a.SRTT())
	assert.Equal(t, 1, a.Samples())
	// A valid sample recomputes RTO from SRTT and RTTVAR: 100 + 4·37.5.
	require.NoError(t, a.Observe(Sample{RTT: 100}))
	assert.Equal(t, 250.0, a.Timeout())
}

func TestNewAdaptiveRejectsNonsense(t *testing.T) {
	for _, tc := range []struct {
		cfg  AdaptiveConfig
		want string
	}{
		{AdaptiveConfig{Unit: 1, Min: -1}, "Min -1"},
		{AdaptiveConfig{Unit: 1, Max: math.NaN()}, "Max NaN"},
		{AdaptiveConfig{Unit: 1, Initial: math.Inf(1)}, "Initial +Inf"},
		{AdaptiveConfig{Min: 10, Max: 5, Initial: 7}, "Min 10 must be <= Max 5"},
		{AdaptiveConfig{Unit: 1, Min: 1, Initial: 0.5}, "Initial 0.5 must be in [Min 1, Max 60]"},
		{AdaptiveConfig{Unit: 1, Alpha: 2}, "Alpha 2"},
		{AdaptiveConfig{Unit: 1, Granularity: -0.1}, "Granularity -0.1"},
		{AdaptiveConfig{Unit: 1, K: math.NaN()}, "K NaN"},
		{AdaptiveConfig{Unit: -1000}, "Unit -1000"},
		{AdaptiveConfig{Unit: math.MaxFloat64}, "Unit 1.7976931348623157e+308 is not a time unit"},
		{AdaptiveConfig{}, "no Unit"},
		{AdaptiveConfig{Initial: 50}, "set Unit to how many of your time units make one second"},
	} {
		_, err := NewAdaptive(tc.cfg)
		assert.ErrorContains(t, err, tc.want, "%+v", tc.cfg)
	}
	a, err := NewAdaptive(RFC6298(1))
	require.NoError(t, err)
	assert.ErrorContains(t, a.Observe(Sample{RTT: math.NaN()}), "RTT sample NaN")
	assert.ErrorContains(t, a.Observe(Sample{RTT: -1}), "RTT sample -1")
}

func TestFixed(t *testing.T) {
	f, err := NewFixed(250)
	require.NoError(t, err)
	require.NoError(t, f.Observe(Sample{RTT: 1000}))
	f.Expired()
	assert.Equal(t, 250.0, f.Timeout())
	assert.Error(t, f.Observe(Sample{RTT: math.Inf(1)}))
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		_, err := NewFixed(bad)
		assert.ErrorContains(t, err, "retry: fixed timeout", "%v", bad)
	}
	var _ Estimator = f
	var _ Estimator = (*Adaptive)(nil)
}

// oracleRTO recomputes SRTT, RTTVAR and RTO from the whole history in exact
// rational arithmetic, straight from the RFC 6298 text.
func oracleRTO(samples []float64, min, max float64) (srtt, rttvar, rto float64) {
	alpha, beta := big.NewRat(1, 8), big.NewRat(1, 4)
	one := big.NewRat(1, 1)
	var s, v *big.Rat
	for i, x := range samples {
		r := new(big.Rat).SetFloat64(x)
		if i == 0 {
			s = new(big.Rat).Set(r)
			v = new(big.Rat).Quo(r, big.NewRat(2, 1))
			continue
		}
		diff := new(big.Rat).Sub(s, r)
		diff.Abs(diff)
		v = new(big.Rat).Add(new(big.Rat).Mul(new(big.Rat).Sub(one, beta), v), new(big.Rat).Mul(beta, diff))
		s = new(big.Rat).Add(new(big.Rat).Mul(new(big.Rat).Sub(one, alpha), s), new(big.Rat).Mul(alpha, r))
	}
	o := new(big.Rat).Add(s, new(big.Rat).Mul(big.NewRat(4, 1), v))
	of, _ := o.Float64()
	sf, _ := s.Float64()
	vf, _ := v.Float64()
	if of < min {
		of = min
	}
	if of > max {
		of = max
	}
	return sf, vf, of
}

func TestAdaptiveMatchesExactOracle(t *testing.T) {
	const seed = 2024
	rng := newRNG(seed)
	for trial := range 200 {
		a, err := NewAdaptive(AdaptiveConfig{Initial: 1000, Min: 5, Max: 3000})
		require.NoError(t, err)
		n := 1 + rng.IntN(40)
		var hist []float64
		for range n {
			r := float64(1+rng.IntN(500)) + rng.Float64()
			hist = append(hist, r)
			require.NoError(t, a.Observe(Sample{RTT: r}))
			if rng.IntN(4) == 0 { // interleave ignored retransmissions
				require.NoError(t, a.Observe(Sample{RTT: rng.Float64() * 9999, Retransmitted: true}))
			}
		}
		s, v, rto := oracleRTO(hist, 5, 3000)
		require.InEpsilon(t, s, a.SRTT(), 1e-9, "seed %d trial %d", seed, trial)
		if v > 0 {
			require.InEpsilon(t, v, a.RTTVAR(), 1e-9, "seed %d trial %d", seed, trial)
		}
		require.InEpsilon(t, rto, a.Timeout(), 1e-9, "seed %d trial %d", seed, trial)
	}
}

func FuzzNewAdaptive(f *testing.F) {
	f.Add(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
	f.Add(0.0, 1000.0, 1.0, 60000.0, 0.0, 0.125, 0.25, 4.0, 120.0)
	f.Add(1000.0, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 120.0)
	f.Add(0.0, math.NaN(), -1.0, math.Inf(1), 1.0, 2.0, 0.0, -4.0, -1.0)
	f.Fuzz(func(t *testing.T, unit, ini, mn, mx, g, al, be, k, rtt float64) {
		a, err := NewAdaptive(AdaptiveConfig{Unit: unit, Initial: ini, Min: mn, Max: mx, Granularity: g, Alpha: al, Beta: be, K: k})
		if err != nil {
			return
		}
		lo, hi := a.cfg.Min, a.cfg.Max
		for range 3 {
			if a.Observe(Sample{RTT: rtt}) != nil {
				return
			}
			if to := a.Timeout(); math.IsNaN(to) || to < lo || to > hi {
				t.Fatalf("RTO %v outside [%v,%v] for %+v after RTT %v", to, lo, hi, a.cfg, rtt)
			}
			a.Expired()
		}
	})
}

func BenchmarkAdaptiveObserve(b *testing.B) {
	a, _ := NewAdaptive(msConfig)
	i := 0.0
	for b.Loop() {
		i++
		_ = a.Observe(Sample{RTT: 50 + math.Mod(i, 17)})
	}
}
