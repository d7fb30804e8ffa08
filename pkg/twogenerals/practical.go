package twogenerals

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Practical is the engineering approximation of the two generals problem:
//
//  1. Both generals agree beforehand on a time window (Window ticks of
//     virtual time).
//  2. A sends Messengers labelled messages ("1 of n", ..., "n of n"). Each is
//     captured with probability Loss; a surviving one arrives after a delay
//     drawn uniformly from 1..MaxDelay ticks. Messages arriving after the
//     window count as lost.
//  3. B counts the messages c that arrived within its window. If c = 0 it
//     knows nothing and retreats. Otherwise it commits to attack, estimates
//     the loss rate from the count, p̂ = max(1 - c/n, 1/(2n)), and sends
//     m = ceil(ln(Risk) / ln(p̂)) labelled acknowledgements (at least 1, at
//     most MaxAcks), so that all of them are lost with probability about Risk.
//  4. A attacks iff at least one acknowledgement arrives within its window.
//
// The generals can still disagree (B attacks alone when every ack is lost),
// but the probability can be driven down at the cost of messages.
type Practical struct {
	Messengers int     // labelled messages sent by A, 1..MaxMessengers
	Loss       float64 // capture probability per messenger, in [0,1]
	Window     int     // ticks each general waits, ≥ 1
	MaxDelay   int     // delay of a surviving messenger is uniform in 1..MaxDelay, ≥ 1
	Risk       float64 // target probability that every ack is lost, in (0,1)
	MaxAcks    int     // cap on acknowledgements, 1..MaxMessengers
}

// Validate reports whether c is usable.
func (c Practical) Validate() error {
	if c.Messengers < 1 || c.Messengers > MaxMessengers {
		return fmt.Errorf("twogenerals: messengers %d not in [1,%d]", c.Messengers, MaxMessengers)
	}
	if !(c.Loss >= 0 && c.Loss <= 1) {
		return fmt.Errorf("twogenerals: loss probability %v not in [0,1]", c.Loss)
	}
	if c.Window < 1 {
		return fmt.Errorf("twogenerals: window %d ticks must be >= 1", c.Window)
	}
	if c.MaxDelay < 1 {
		return fmt.Errorf("twogenerals: max delay %d ticks must be >= 1", c.MaxDelay)
	}
	if !(c.Risk > 0 && c.Risk < 1) {
		return fmt.Errorf("twogenerals: risk %v not in (0,1)", c.Risk)
	}
	if c.MaxAcks < 1 || c.MaxAcks > MaxMessengers {
		return fmt.Errorf("twogenerals: max acks %d not in [1,%d]", c.MaxAcks, MaxMessengers)
	}
	return nil
}

// EffectiveLoss is the probability that one messenger does not arrive
// within the window: captured, or late.
func (c Practical) EffectiveLoss() float64 {
	late := float64(max(0, c.MaxDelay-c.Window)) / float64(c.MaxDelay)
	return c.Loss + (1-c.Loss)*late
}

// Acks returns how many acknowledgements B sends after counting got of the
// n labelled messages (0 if got is 0).
func (c Practical) Acks(got int) int {
	if got <= 0 {
		return 0
	}
	n := float64(c.Messengers)
	est := max(1-float64(got)/n, 1/(2*n))
	m := int(math.Ceil(math.Log(c.Risk) / math.Log(est)))
	return min(max(m, 1), c.MaxAcks)
}

// Exact returns the exact outcome probabilities: with e the effective loss
// and c ~ Binomial(n, 1-e) the number of messages B counts,
//
//	P(both)  = Σ_{c≥1} P(c) (1 - e^{m(c)})
//	P(onlyB) = Σ_{c≥1} P(c) e^{m(c)}
//	P(neither) = e^n
func (c Practical) Exact() (Probabilities, error) {
	if err := c.Validate(); err != nil {
		return Probabilities{}, err
	}
	e := c.EffectiveLoss()
	n := c.Messengers
	var pr Probabilities
	pr.NeitherAttacks = math.Pow(e, float64(n))
	pr.ExpectedMessages = float64(n)
	for got := 1; got <= n; got++ {
		pc := binomPMF(n, got, 1-e)
		m := c.Acks(got)
		allLost := math.Pow(e, float64(m))
		pr.BothAttack += pc * (1 - allLost)
		pr.OnlyB += pc * allLost
		pr.ExpectedMessages += pc * float64(m)
	}
	return pr, nil
}

func binomPMF(n, k int, p float64) float64 {
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x + 1)); return v }
	if p == 0 {
		if k == 0 {
			return 1
		}
		return 0
	}
	if p == 1 {
		if k == n {
			return 1
		}
		return 0
	}
	return math.Exp(lg(n) - lg(k) - lg(n-k) + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
}

// Simulate runs the practical protocol trials times in virtual time: every
// messenger's capture and delay is drawn from a PCG source seeded with seed.
func (c Practical) Simulate(trials int, seed uint64) (Estimate, error) {
	if err := c.Validate(); err != nil {
		return Estimate{}, err
	}
	if trials < 1 || trials > MaxTrials {
		return Estimate{}, fmt.Errorf("twogenerals: trials %d not in [1,%d]", trials, MaxTrials)
	}
	if per := c.Messengers + c.MaxAcks; trials > MaxDraws/per {
		return Estimate{}, fmt.Errorf("twogenerals: %d trials × (%d messengers + %d acks) is more than %d draws (MaxDraws); use at most %d trials",
			trials, c.Messengers, c.MaxAcks, MaxDraws, MaxDraws/per)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9ac7))
	// arrives reports whether one messenger makes it within the window.
	arrives := func() bool {
		if rng.Float64() < c.Loss {
			return false
		}
		delay := 1 + rng.IntN(c.MaxDelay)
		return delay <= c.Window
	}
	est := Estimate{Seed: seed, Trials: trials}
	for range trials {
		got := 0
		for range c.Messengers {
			est.Messages++
			if arrives() {
				got++
			}
		}
		if got == 0 {
			est.Counts[NeitherAttacks]++
			continue
		}
		acked := false
		for range c.Acks(got) {
			est.Messages++
			if arrives() {
				acked = true
			}
		}
		if acked {
			est.Counts[BothAttack]++
		} else {
			est.Counts[OnlyB]++
		}
	}
	return est, nil
}
