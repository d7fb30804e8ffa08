package twogenerals

import (
	"fmt"
	"math"
)

// Outcome is what the two generals did in one run.
type Outcome int

// The four possible outcomes. A is the general who initiates (sends the
// order), B the one who receives it.
const (
	BothAttack Outcome = iota
	NeitherAttacks
	OnlyA
	OnlyB
	numOutcomes
)

// Outcomes lists every outcome in a fixed order.
var Outcomes = []Outcome{BothAttack, NeitherAttacks, OnlyA, OnlyB}

func (o Outcome) String() string {
	switch o {
	case BothAttack:
		return "BothAttack"
	case NeitherAttacks:
		return "NeitherAttacks"
	case OnlyA:
		return "OnlyA"
	case OnlyB:
		return "OnlyB"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Coordinated reports whether the generals did the same thing.
func (o Outcome) Coordinated() bool { return o == BothAttack || o == NeitherAttacks }

// Probabilities holds exact outcome probabilities and the expected number of
// messengers sent (both directions).
type Probabilities struct {
	BothAttack, NeitherAttacks, OnlyA, OnlyB float64
	ExpectedMessages                         float64
}

// P returns the probability of o.
func (p Probabilities) P(o Outcome) float64 {
	switch o {
	case BothAttack:
		return p.BothAttack
	case NeitherAttacks:
		return p.NeitherAttacks
	case OnlyA:
		return p.OnlyA
	case OnlyB:
		return p.OnlyB
	}
	return 0
}

// Disagree is the probability that exactly one general attacks.
func (p Probabilities) Disagree() float64 { return p.OnlyA + p.OnlyB }

func (p Probabilities) String() string {
	return fmt.Sprintf("P(both)=%.6f P(neither)=%.6f P(onlyA)=%.6f P(onlyB)=%.6f E[messages]=%.3f",
		p.BothAttack, p.NeitherAttacks, p.OnlyA, p.OnlyB, p.ExpectedMessages)
}

// Estimate is the result of a Monte-Carlo simulation.
type Estimate struct {
	Seed     uint64
	Trials   int
	Counts   [numOutcomes]int
	Messages int // messengers sent over all trials
}

// P returns the estimated probability of o.
func (e Estimate) P(o Outcome) float64 {
	if e.Trials == 0 || o < 0 || o >= numOutcomes {
		return 0
	}
	return float64(e.Counts[o]) / float64(e.Trials)
}

// StdErr returns the binomial standard error of P(o).
func (e Estimate) StdErr(o Outcome) float64 {
	if e.Trials == 0 {
		return 0
	}
	p := e.P(o)
	return math.Sqrt(p * (1 - p) / float64(e.Trials))
}

// Disagree is the estimated probability that exactly one general attacks.
func (e Estimate) Disagree() float64 { return e.P(OnlyA) + e.P(OnlyB) }

// MeanMessages is the average number of messengers sent per run.
func (e Estimate) MeanMessages() float64 {
	if e.Trials == 0 {
		return 0
	}
	return float64(e.Messages) / float64(e.Trials)
}

func (e Estimate) String() string {
	return fmt.Sprintf("seed=%d trials=%d P(both)=%.4f P(neither)=%.4f P(onlyA)=%.4f P(onlyB)=%.4f mean messages=%.3f",
		e.Seed, e.Trials, e.P(BothAttack), e.P(NeitherAttacks), e.P(OnlyA), e.P(OnlyB), e.MeanMessages())
}
