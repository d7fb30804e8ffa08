package twogenerals

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func basePractical() Practical {
	return Practical{Messengers: 10, Loss: 0.3, Window: 10, MaxDelay: 10, Risk: 0.01, MaxAcks: 50}
}

func TestPracticalValidate(t *testing.T) {
	ok := basePractical()
	require.NoError(t, ok.Validate())
	bad := []func(*Practical){
		func(c *Practical) { c.Messengers = 0 },
		func(c *Practical) { c.Loss = 2 },
		func(c *Practical) { c.Loss = math.NaN() },
		func(c *Practical) { c.Window = 0 },
		func(c *Practical) { c.MaxDelay = 0 },
		func(c *Practical) { c.Risk = 0 },
		func(c *Practical) { c.Risk = 1 },
		func(c *Practical) { c.MaxAcks = 0 },
	}
	for i, f := range bad {
		c := basePractical()
		f(&c)
		err := c.Validate()
		require.Error(t, err, "case %d", i)
		assert.Contains(t, err.Error(), "twogenerals: ")
		_, err = c.Exact()
		assert.Error(t, err)
		_, err = c.Simulate(10, 1)
		assert.Error(t, err)
	}
}

// Hand computations of the acknowledgement rule and the effective loss.
func TestPracticalByHand(t *testing.T) {
	c := basePractical()
	assert.Equal(t, 0, c.Acks(0))
	assert.Equal(t, 7, c.Acks(5))  // p̂ = 0.5: ln(0.01)/ln(0.5) = 6.64 → 7
	assert.Equal(t, 2, c.Acks(10)) // p̂ = 1/20: ln(0.01)/ln(0.05) = 1.54 → 2
	c.MaxAcks = 3
	assert.Equal(t, 3, c.Acks(1)) // capped
	c = Practical{Messengers: 1, Loss: 0.2, Window: 5, MaxDelay: 10, Risk: 0.5, MaxAcks: 1}
	assert.InDelta(t, 0.2+0.8*0.5, c.EffectiveLoss(), 1e-12)
	// One message, one ack: both attack iff both arrive.
	pr, err := c.Exact()
	require.NoError(t, err)
	assert.InDelta(t, 0.4*0.4, pr.BothAttack, 1e-12)
	assert.InDelta(t, 0.4*0.6, pr.OnlyB, 1e-12)
	assert.InDelta(t, 0.6, pr.NeitherAttacks, 1e-12)
	assert.Zero(t, pr.OnlyA)
}

func TestPracticalSimulationMatchesExact(t *testing.T) {
	const trials = 30_000
	seed := uint64(99)
	for _, n := range []int{1, 3, 8} {
		for _, p := range []float64{0.1, 0.5, 0.8} {
			for _, window := range []int{5, 10} {
				c := Practical{Messengers: n, Loss: p, Window: window, MaxDelay: 10, Risk: 0.05, MaxAcks: 30}
				exact, err := c.Exact()
				require.NoError(t, err)
				est, err := c.Simulate(trials, seed)
				require.NoError(t, err)
				for _, o := range Outcomes {
					sd := math.Sqrt(exact.P(o) * (1 - exact.P(o)) / trials)
					assert.InDelta(t, exact.P(o), est.P(o), 5*sd+1e-9, "seed=%d %+v %v", seed, c, o)
				}
				assert.InDelta(t, exact.ExpectedMessages, est.MeanMessages(), 0.05*exact.ExpectedMessages, "seed=%d", seed)
				seed++
			}
		}
	}
}

// The adaptive acks keep the chance that B attacks alone near the target
// risk once enough messages get through, but it is never zero.
func TestPracticalRiskNeverZero(t *testing.T) {
	for _, p := range []float64{0.1, 0.3, 0.5} {
		for n := 1; n <= 30; n++ {
			c := Practical{Messengers: n, Loss: p, Window: 10, MaxDelay: 10, Risk: 0.01, MaxAcks: 100}
			pr, err := c.Exact()
			require.NoError(t, err)
			assert.Greater(t, pr.OnlyB, 0.0)
			sum := pr.BothAttack + pr.OnlyB + pr.NeitherAttacks
			assert.InDelta(t, 1, sum, 1e-9)
		}
	}
}

func FuzzPractical(f *testing.F) {
	f.Add(10, 0.3, 10, 10, 0.01, 50)
	f.Add(0, -1.0, 0, 0, 0.0, 0)
	f.Add(1000, 1.0, 1, 1000, 0.999, 1000)
	f.Fuzz(func(t *testing.T, n int, p float64, window, maxDelay int, risk float64, maxAcks int) {
		c := Practical{Messengers: n, Loss: p, Window: window, MaxDelay: maxDelay, Risk: risk, MaxAcks: maxAcks}
		pr, err := c.Exact()
		if err != nil {
			return
		}
		sum := pr.BothAttack + pr.NeitherAttacks + pr.OnlyA + pr.OnlyB
		if math.Abs(sum-1) > 1e-6 {
			t.Fatalf("%+v: probabilities sum to %v", c, sum)
		}
	})
}
