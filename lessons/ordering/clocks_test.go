package ordering

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMisorderedOracle(t *testing.T) {
	assert.Equal(t, 0, Misordered([]int{0, 1, 2, 3}))
	assert.Equal(t, 1, Misordered([]int{1, 0, 2}))
	assert.Equal(t, 2, Misordered([]int{2, 1, 0}))
	rng := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		s := rng.Perm(rng.IntN(20))
		want := 0
		for i := range s {
			for j := i + 1; j < len(s); j++ {
				if s[j] < s[i] {
					want++
					break
				}
			}
		}
		assert.Equal(t, want, Misordered(s), "%v", s)
	}
}

func TestClockOrderDefault(t *testing.T) {
	// The lesson's run: the receivers agree; 90 of 2000 messages (4.5%)
	// come out ahead of one sent earlier; D = 1.165 ms.
	r, err := RunClockOrder(DefaultClockOrder())
	require.NoError(t, err)
	assert.True(t, r.Agree())
	assert.Equal(t, []int{90, 90}, r.Misordered)
	assert.InDelta(t, 0.045, r.MisorderedFraction(), 1e-12)
	assert.Equal(t, netsim.Time(1165), r.Spread()/netsim.Microsecond)
	assert.Contains(t, r.String(), "S3 -0.690 ms")
	assert.LessOrEqual(t, r.Spread(), 2*r.Config.ClockError)

	// Delivering on arrival: more misordered, and the receivers disagree.
	c := DefaultClockOrder()
	c.OnArrival = true
	a, err := RunClockOrder(c)
	require.NoError(t, err)
	assert.False(t, a.Agree())
	assert.Greater(t, a.MisorderedFraction(), r.MisorderedFraction())

	// A hold-back shorter than the largest delay: they disagree too.
	c = DefaultClockOrder()
	c.Hold = 2 * netsim.Millisecond
	s, err := RunClockOrder(c)
	require.NoError(t, err)
	assert.False(t, s.Agree())
	assert.False(t, s.InStampOrder[0])
	assert.Equal(t, []bool{true, true}, r.InStampOrder)
}

func TestClockOrderSafeHoldAlwaysAgrees(t *testing.T) {
	// With a hold-back of MaxDelay + 2ε every receiver delivers in
	// timestamp order, whatever the seed, rate or clocks: the same order.
	for seed := uint64(1); seed <= 20; seed++ {
		for _, rate := range []float64{100, 10000} {
			c := DefaultClockOrder()
			c.Seed, c.Rate, c.Receivers, c.Messages = seed, rate, 3, 500
			r, err := RunClockOrder(c)
			require.NoError(t, err)
			assert.True(t, r.Agree(), "seed %d rate %v", seed, rate)
			for i, seqs := range r.Seqs {
				assert.Len(t, seqs, c.Messages)
				assert.True(t, r.InStampOrder[i], "seed %d rate %v: timestamp order", seed, rate)
			}
		}
	}
}

func TestGapBoundary(t *testing.T) {
	// The bound of the course notes, measured: paced messages are never
	// misordered from the first gap above D (the largest difference
	// between two senders' clocks, at most 2ε) and are misordered below
	// it; independent senders are misordered at every mean gap.
	for seed := uint64(2); seed <= 7; seed++ {
		c := DefaultClockOrder()
		c.Seed, c.Messages = seed, 2000
		g, err := GapSweep(c, DefaultGaps())
		require.NoError(t, err)
		d := float64(g.Spread) / float64(c.ClockError)
		require.LessOrEqual(t, d, 2.0)
		b, ok := g.Boundary()
		require.True(t, ok, "seed %d", seed)
		assert.GreaterOrEqual(t, b, d, "seed %d: zero misordering below D", seed)
		assert.Less(t, b-0.1, d, "seed %d: boundary more than a step above D = %.3f", seed, d)
		for _, p := range g.Points {
			assert.Positive(t, p.Poisson, "seed %d gap %v", seed, p.Ratio)
			if p.Ratio >= d {
				assert.Zero(t, p.Paced, "seed %d gap %v", seed, p.Ratio)
			}
		}
	}
	// The lesson's numbers (seed 1).
	c := DefaultClockOrder()
	c.Messages = 4000
	g, err := GapSweep(c, DefaultGaps())
	require.NoError(t, err)
	b, _ := g.Boundary()
	assert.Equal(t, 1.2, b)
	assert.Positive(t, g.Points[10].Paced, "misordered at 1.1 ε, below D")
	assert.InDelta(t, 1.17, float64(g.Spread)/float64(c.ClockError), 0.005)
	last := g.Points[len(g.Points)-1]
	assert.InDelta(t, 0.07, last.Poisson, 0.005, "7% at a mean gap of 3ε")
	s := g.String()
	assert.Contains(t, s, "none misordered from a gap of 1.20 ε on")
	assert.Contains(t, s, "misordered at every gap tried")
}

func TestRateSweep(t *testing.T) {
	c := DefaultClockOrder()
	c.Messages = 10000
	r, err := RateSweep(c, DefaultClockErrors(), DefaultRates())
	require.NoError(t, err)
	assert.InDelta(t, 0.23, r.KOverEps, 0.005, "K = 0.23 ε as the lesson says")
	assert.Contains(t, r.String(), "receivers agree at every point: true")
	at := map[string]float64{}
	for _, p := range r.Points {
		assert.True(t, p.Agree)
		assert.Positive(t, p.Misordered, "ε %v rate %v: never zero", p.ClockError, p.Rate)
		at[fmt.Sprintf("%.4g", p.Rate*float64(p.ClockError))] = p.Misordered
		// λ·K estimates the fraction where it is small but not tiny
		// (enough misordered messages to measure).
		if p.Estimate >= 0.002 && p.Estimate <= 0.03 {
			assert.InEpsilon(t, p.Estimate, p.Misordered, 0.3, "ε %v rate %v", p.ClockError, p.Rate)
		}
	}
	// The lowest points at ε = 10 µs: one misordered message per
	// receiver in 10 000.
	assert.Equal(t, 1e-4, r.Points[0].Misordered)
	assert.Equal(t, 1e-4, r.Points[1].Misordered)
	// Only λ·ε matters: a tenfold rate with a tenfold smaller error gives
	// the same fraction.
	for _, p := range r.Points {
		assert.Equal(t, at[fmt.Sprintf("%.4g", p.Rate*float64(p.ClockError))], p.Misordered)
	}
	// Slope 1 on the log-log plot: a tenfold rate gives about tenfold
	// misordering while it is small.
	var ms []float64
	for _, p := range r.Points {
		if p.ClockError == netsim.Millisecond {
			ms = append(ms, p.Misordered)
		}
	}
	assert.InDelta(t, 1, math.Log10(ms[4]/ms[2]), 0.1, "rates 100 -> 1000 at ε = 1 ms")
	p, err := PlotRateSweep(r)
	require.NoError(t, err)
	assert.NotNil(t, p)
}

func TestClockDiagram(t *testing.T) {
	// The small run the lesson draws: S3 is 0.69 ms slow, so m2, sent
	// after m1, is delivered first.
	c := DefaultClockOrder()
	c.Senders, c.Receivers, c.Messages, c.Rate, c.Trace = 3, 1, 8, 1000, true
	r, err := RunClockOrder(c)
	require.NoError(t, err)
	assert.Equal(t, []string{"m2", "m1"}, r.Orders[0][:2])
	assert.InDelta(t, -0.69, float64(r.SenderOffsets[2])/1e6, 0.005)
	assert.Equal(t, "S3", firstSender(t, r, "m2"))
	p, err := r.Diagram()
	require.NoError(t, err)
	assert.NotNil(t, p)
	var labels []string
	for _, rec := range r.Trace {
		if rec.Op == netsim.OpTimer {
			if l := deliveryLabel(r.tracker.caused(rec)); l != "" {
				labels = append(labels, l)
			}
		}
	}
	assert.Equal(t, "d1 m2", labels[0])
	assert.Contains(t, strings.Join(labels, "|"), "d2 m1")
}

func firstSender(t *testing.T, r *ClockOrderRun, payload string) string {
	for _, rec := range r.Trace {
		if m, ok := rec.Msg.(Stamped); ok && rec.Op == netsim.OpSend && m.Payload == payload {
			return string(rec.From)
		}
	}
	t.Fatalf("%s never sent", payload)
	return ""
}

func TestClockOrderValidation(t *testing.T) {
	bad := []func(*ClockOrderConfig){
		func(c *ClockOrderConfig) { c.Senders = 1 },
		func(c *ClockOrderConfig) { c.Receivers = 0 },
		func(c *ClockOrderConfig) { c.ClockError = -1 },
		func(c *ClockOrderConfig) { c.Rate = math.NaN() },
		func(c *ClockOrderConfig) { c.Rate = 0 },
		func(c *ClockOrderConfig) { c.Messages = 0 },
		func(c *ClockOrderConfig) { c.Messages = 100001 },
		func(c *ClockOrderConfig) { c.Rate, c.Messages = 0.001, 100 },
		func(c *ClockOrderConfig) { c.Trace = true },
		func(c *ClockOrderConfig) { c.Hold = -1 },
	}
	for i, f := range bad {
		c := DefaultClockOrder()
		f(&c)
		_, err := RunClockOrder(c)
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
	}
	_, err := GapSweep(DefaultClockOrder(), []float64{0})
	assert.Error(t, err)
	_, err = GapSweep(DefaultClockOrder(), nil)
	assert.Error(t, err)
	_, err = RateSweep(DefaultClockOrder(), nil, DefaultRates())
	assert.Error(t, err)
	_, err = RateSweep(DefaultClockOrder(), []netsim.Time{0}, DefaultRates())
	assert.Error(t, err)
}

func TestDuration(t *testing.T) {
	assert.Equal(t, "10 µs", Duration(10*netsim.Microsecond))
	assert.Equal(t, "1 ms", Duration(netsim.Millisecond))
	assert.Equal(t, "500 µs", Duration(500*netsim.Microsecond))
	assert.Equal(t, "1.5 ms", Duration(1500*netsim.Microsecond))
	assert.Equal(t, "2 s", Duration(2*netsim.Second))
	assert.Equal(t, "0", Duration(0))
	assert.Equal(t, "7 ns", Duration(7))
}

func BenchmarkClockOrder(b *testing.B) {
	c := DefaultClockOrder()
	c.Messages = 10000
	for b.Loop() {
		if _, err := RunClockOrder(c); err != nil {
			b.Fatal(err)
		}
	}
}
