package twogenerals

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Limits on the inputs of the messenger protocols.
const (
	MaxMessengers = 1000
	MaxLegs       = 64
	MaxTrials     = 100_000_000
	// MaxDraws bounds the work of one Simulate: trials × messengers ×
	// legs for Simulate, trials × (messengers + max acks) for
	// Practical.Simulate (a draw costs about 25 ns, so a few seconds at
	// most).
	MaxDraws = 100_000_000
)

// Config describes a messenger protocol over a lossy link; see the package
// documentation for its rules.
type Config struct {
	Messengers int     // messengers sent per leg, 1..MaxMessengers
	Loss       float64 // probability that one messenger is captured, in [0,1]
	Legs       int     // 1 = order only, 2 = order + ack, 3 = + ack of the ack, ...
}

// Validate reports whether c is a usable configuration.
func (c Config) Validate() error {
	if c.Messengers < 1 || c.Messengers > MaxMessengers {
		return fmt.Errorf("twogenerals: messengers %d not in [1,%d]", c.Messengers, MaxMessengers)
	}
	if !(c.Loss >= 0 && c.Loss <= 1) { // also rejects NaN
		return fmt.Errorf("twogenerals: loss probability %v not in [0,1]", c.Loss)
	}
	if c.Legs < 1 || c.Legs > MaxLegs {
		return fmt.Errorf("twogenerals: legs %d not in [1,%d]", c.Legs, MaxLegs)
	}
	return nil
}

// legReceiver returns who receives leg i (1-based): A sends the odd legs.
func legReceiver(i int) byte {
	if i%2 == 1 {
		return 'B'
	}
	return 'A'
}

// outcomeAfter returns the outcome when exactly k of the legs arrived
// (the chain stops at the first lost leg).
func outcomeAfter(k, legs int) Outcome {
	switch {
	case k == legs:
		return BothAttack
	case k == legs-1:
		// Everything but the last leg arrived: the receiver of the last leg
		// waits in vain, the other general has all it needs.
		if legReceiver(legs) == 'B' {
			return OnlyA
		}
		return OnlyB
	default:
		return NeitherAttacks
	}
}

// ClosedForm returns the exact outcome probabilities of c.
//
// A leg arrives iff at least one of its n messengers does: q = 1 - p^n.
// Legs are sent one after another while they keep arriving, so exactly k
// legs arrive with probability q^k (1-q) for k < L and q^L for k = L. Both
// generals attack only if all L legs arrived; if only the last one was lost
// the general waiting for it holds back while the other attacks:
//
//	P(both)     = q^L
//	P(disagree) = q^(L-1) (1-q)      (OnlyA if L is odd, OnlyB if L is even)
//	P(neither)  = 1 - q^(L-1)
//	E[messages] = n (1 + q + ... + q^(L-1))
func ClosedForm(c Config) (Probabilities, error) {
	if err := c.Validate(); err != nil {
		return Probabilities{}, err
	}
	q := 1 - math.Pow(c.Loss, float64(c.Messengers))
	L := float64(c.Legs)
	var pr Probabilities
	pr.BothAttack = math.Pow(q, L)
	dis := math.Pow(q, L-1) * (1 - q)
	if outcomeAfter(c.Legs-1, c.Legs) == OnlyA {
		pr.OnlyA = dis
	} else {
		pr.OnlyB = dis
	}
	pr.NeitherAttacks = 1 - math.Pow(q, L-1)
	for i := 0; i < c.Legs; i++ {
		pr.ExpectedMessages += float64(c.Messengers) * math.Pow(q, float64(i))
	}
	return pr, nil
}

// Simulate runs the protocol trials times, drawing every messenger's fate
// from a PCG source seeded with seed.
func Simulate(c Config, trials int, seed uint64) (Estimate, error) {
	if err := c.Validate(); err != nil {
		return Estimate{}, err
	}
	if trials < 1 || trials > MaxTrials {
		return Estimate{}, fmt.Errorf("twogenerals: trials %d not in [1,%d]", trials, MaxTrials)
	}
	if per := c.Messengers * c.Legs; trials > MaxDraws/per {
		return Estimate{}, fmt.Errorf("twogenerals: %d trials × %d messengers × %d legs is more than %d draws (MaxDraws); use at most %d trials",
			trials, c.Messengers, c.Legs, MaxDraws, MaxDraws/per)
	}
	rng := rand.New(rand.NewPCG(seed, 0x2e6e))
	est := Estimate{Seed: seed, Trials: trials}
	for range trials {
		k := 0
		for k < c.Legs {
			arrived := false
			for range c.Messengers {
				est.Messages++
				if rng.Float64() >= c.Loss {
					arrived = true
				}
			}
			if !arrived {
				break
			}
			k++
		}
		est.Counts[outcomeAfter(k, c.Legs)]++
	}
	return est, nil
}
