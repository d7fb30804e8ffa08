package twogenerals

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"ok", Config{Messengers: 3, Loss: 0.5, Legs: 2}, true},
		{"loss 0", Config{Messengers: 1, Loss: 0, Legs: 1}, true},
		{"loss 1", Config{Messengers: 1, Loss: 1, Legs: 1}, true},
		{"no messengers", Config{Messengers: 0, Loss: 0.5, Legs: 1}, false},
		{"negative loss", Config{Messengers: 1, Loss: -0.1, Legs: 1}, false},
		{"loss above 1", Config{Messengers: 1, Loss: 1.5, Legs: 1}, false},
		{"NaN loss", Config{Messengers: 1, Loss: math.NaN(), Legs: 1}, false},
		{"no legs", Config{Messengers: 1, Loss: 0.5, Legs: 0}, false},
		{"too many legs", Config{Messengers: 1, Loss: 0.5, Legs: MaxLegs + 1}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "twogenerals: ")
			_, err = ClosedForm(tc.cfg)
			assert.Error(t, err)
			_, err = Simulate(tc.cfg, 10, 1)
			assert.Error(t, err)
		})
	}
	_, err := Simulate(Config{Messengers: 1, Loss: 0.5, Legs: 1}, 0, 1)
	assert.Error(t, err, "zero trials")
}

// Values worked out by hand from the protocol rules.
func TestClosedFormByHand(t *testing.T) {
	tests := []struct {
		cfg  Config
		want Probabilities
	}{
		// One messenger, order only: it arrives half the time, A always attacks.
		{Config{1, 0.5, 1}, Probabilities{BothAttack: 0.5, OnlyA: 0.5, ExpectedMessages: 1}},
		// Two messengers per leg, order + ack: q = 3/4.
		{Config{2, 0.5, 2}, Probabilities{BothAttack: 0.5625, OnlyB: 0.1875, NeitherAttacks: 0.25, ExpectedMessages: 2 + 2*0.75}},
		// Three legs, one messenger, p = 0.5: q = 1/2.
		{Config{1, 0.5, 3}, Probabilities{BothAttack: 0.125, OnlyA: 0.125, NeitherAttacks: 0.75, ExpectedMessages: 1.75}},
		// Perfect link.
		{Config{1, 0, 4}, Probabilities{BothAttack: 1, ExpectedMessages: 4}},
		// Dead link, order + ack: nobody learns anything.
		{Config{5, 1, 2}, Probabilities{NeitherAttacks: 1, ExpectedMessages: 5}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.cfg), func(t *testing.T) {
			got, err := ClosedForm(tc.cfg)
			require.NoError(t, err)
			assert.InDelta(t, tc.want.BothAttack, got.BothAttack, 1e-12)
			assert.InDelta(t, tc.want.NeitherAttacks, got.NeitherAttacks, 1e-12)
			assert.InDelta(t, tc.want.OnlyA, got.OnlyA, 1e-12)
			assert.InDelta(t, tc.want.OnlyB, got.OnlyB, 1e-12)
			assert.InDelta(t, tc.want.ExpectedMessages, got.ExpectedMessages, 1e-12)
		})
	}
}

// bruteForce enumerates the fate of every messenger (2^(n·L) worlds, each
// weighted by its probability) and plays the protocol rules directly.
func bruteForce(c Config) Probabilities {
	var pr Probabilities
	total := c.Messengers * c.Legs
	for world := 0; world < 1<<total; world++ {
		w := 1.0
		for i := range total {
			if world>>i&1 == 1 { // captured
				w *= c.Loss
			} else {
				w *= 1 - c.Loss
			}
		}
		// Play: a leg is sent only if every previous one arrived.
		got := map[byte]int{}
		sent := 0
		for leg := 1; leg <= c.Legs; leg++ {
			arrived := false
			for m := range c.Messengers {
				sent++
				if world>>((leg-1)*c.Messengers+m)&1 == 0 {
					arrived = true
				}
			}
			if !arrived {
				break
			}
			got[legReceiver(leg)]++
		}
		need := map[byte]int{}
		for leg := 1; leg <= c.Legs; leg++ {
			need[legReceiver(leg)]++
		}
		aAtt := got['A'] == need['A']
		bAtt := got['B'] == need['B']
		switch {
		case aAtt && bAtt:
			pr.BothAttack += w
		case aAtt:
			pr.OnlyA += w
		case bAtt:
			pr.OnlyB += w
		default:
			pr.NeitherAttacks += w
		}
		pr.ExpectedMessages += w * float64(sent)
	}
	return pr
}

func TestClosedFormMatchesBruteForce(t *testing.T) {
	for n := 1; n <= 3; n++ {
		for legs := 1; legs <= 4; legs++ {
			for _, p := range []float64{0, 0.1, 0.5, 0.9, 1} {
				c := Config{n, p, legs}
				got, err := ClosedForm(c)
				require.NoError(t, err)
				want := bruteForce(c)
				for _, o := range Outcomes {
					assert.InDelta(t, want.P(o), got.P(o), 1e-9, "%v %v", c, o)
				}
				assert.InDelta(t, want.ExpectedMessages, got.ExpectedMessages, 1e-9, "%v", c)
			}
		}
	}
}

func TestSimulationMatchesClosedForm(t *testing.T) {
	const trials = 40_000
	seed := uint64(20240601)
	for _, n := range []int{1, 2, 4} {
		for _, legs := range []int{1, 2, 3} {
			for _, p := range []float64{0.1, 0.5, 0.8} {
				c := Config{n, p, legs}
				exact, err := ClosedForm(c)
				require.NoError(t, err)
				est, err := Simulate(c, trials, seed)
				require.NoError(t, err)
				for _, o := range Outcomes {
					sd := math.Sqrt(exact.P(o) * (1 - exact.P(o)) / trials)
					assert.InDelta(t, exact.P(o), est.P(o), 5*sd+1e-9, "seed=%d %v %v", seed, c, o)
				}
				assert.InDelta(t, exact.ExpectedMessages, est.MeanMessages(), 0.05*exact.ExpectedMessages, "seed=%d %v", seed, c)
				seed++
			}
		}
	}
}

func TestSimulateDeterministic(t *testing.T) {
	c := Config{3, 0.4, 3}
	a, err := Simulate(c, 1000, 7)
	require.NoError(t, err)
	b, err := Simulate(c, 1000, 7)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	d, err := Simulate(c, 1000, 8)
	require.NoError(t, err)
	assert.NotEqual(t, a.Counts, d.Counts, "different seeds should (almost surely) differ")
}

// Disagreement is bounded by p^n (the chance that one leg is lost entirely)
// but never reaches zero while p > 0, however many legs are added.
func TestDisagreementNeverZero(t *testing.T) {
	for legs := 1; legs <= 6; legs++ {
		for n := 1; n <= 10; n++ {
			for _, p := range []float64{0.1, 0.5, 0.9} {
				pr, err := ClosedForm(Config{n, p, legs})
				require.NoError(t, err)
				assert.Greater(t, pr.Disagree(), 0.0)
				assert.LessOrEqual(t, pr.Disagree(), math.Pow(p, float64(n))+1e-15)
			}
		}
	}
}

func FuzzClosedForm(f *testing.F) {
	f.Add(3, 0.5, 2)
	f.Add(0, -1.0, 0)
	f.Add(1000, 1.0, 64)
	f.Fuzz(func(t *testing.T, n int, p float64, legs int) {
		pr, err := ClosedForm(Config{n, p, legs})
		if err != nil {
			return
		}
		sum := pr.BothAttack + pr.NeitherAttacks + pr.OnlyA + pr.OnlyB
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("probabilities sum to %v for n=%d p=%v legs=%d", sum, n, p, legs)
		}
	})
}

func BenchmarkSimulate(b *testing.B) {
	c := Config{Messengers: 4, Loss: 0.5, Legs: 3}
	for b.Loop() {
		_, _ = Simulate(c, 1000, 1)
	}
}
