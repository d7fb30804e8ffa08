package byzantine

import (
	"fmt"
	"math/rand/v2"
)

// Message describes one message a traitor is about to send.
type Message struct {
	// Level is the recursion depth (OM) or round (SM): 0 for the
	// commander's order.
	Level int
	// Path is the chain of senders, Path[0] the commander and the last
	// element the sender. In SM it is the signature chain including the
	// sender's signature. Strategies must not modify or keep it.
	Path     []int
	From, To int
	// Value is what a loyal general would send.
	Value Value
}

// Strategy decides what a traitor sends. It is asked once per message a
// traitor would send, in a deterministic order; it returns the value to
// send, or ok=false to send nothing (the receiver then uses Retreat).
type Strategy interface {
	Send(m Message) (v Value, ok bool)
}

// Silent traitors never send anything.
type Silent struct{}

// Send implements Strategy.
func (Silent) Send(Message) (Value, bool) { return Retreat, false }

// Liar traitors always send the opposite of what a loyal general would.
type Liar struct{}

// Send implements Strategy.
func (Liar) Send(m Message) (Value, bool) { return m.Value.Opposite(), true }

// TwoFaced traitors tell even-numbered receivers Attack and odd-numbered
// receivers Retreat, whatever they received.
type TwoFaced struct{}

// Send implements Strategy.
func (TwoFaced) Send(m Message) (Value, bool) {
	if m.To%2 == 0 {
		return Attack, true
	}
	return Retreat, true
}

// Random traitors pick each value at random and stay silent with
// probability SilentProb. Create one per run with NewRandom: it consumes
// its random stream as it is asked.
type Random struct {
	rng        *rand.Rand
	SilentProb float64
	Seed       uint64
}

// NewRandom returns a random traitor strategy seeded with seed that stays
// silent with probability silentProb, which must be in [0,1].
func NewRandom(seed uint64, silentProb float64) (*Random, error) {
	if err := checkProb("random traitor's silent probability", silentProb); err != nil {
		return nil, err
	}
	return &Random{rng: rand.New(rand.NewPCG(seed, 0xb12a)), SilentProb: silentProb, Seed: seed}, nil
}

// check reports a Random that NewRandom did not build or whose SilentProb
// was changed to something that is not a probability.
func (r *Random) check() error {
	if r.rng == nil {
		return fmt.Errorf("byzantine: zero Random strategy: build one with NewRandom")
	}
	return checkProb("random traitor's silent probability", r.SilentProb)
}

// Send implements Strategy.
func (r *Random) Send(Message) (Value, bool) {
	if r.rng.Float64() < r.SilentProb {
		return Retreat, false
	}
	return Value(r.rng.IntN(2)), true
}

// Choice is one traitor decision in a Script.
type Choice int

// The three things a traitor can do with one message.
const (
	SendAttack Choice = iota
	SendRetreat
	Withhold
	numChoices
)

func (c Choice) String() string {
	switch c {
	case SendAttack:
		return "send Attack"
	case SendRetreat:
		return "send Retreat"
	case Withhold:
		return "withhold"
	}
	return fmt.Sprintf("Choice(%d)", int(c))
}

// Script is a traitor strategy given as the list of choices for the
// successive messages traitors send; messages beyond the list are sent
// as a loyal general would. Asked records every message asked about.
type Script struct {
	Choices []Choice
	Asked   []Message
}

// Send implements Strategy.
func (s *Script) Send(m Message) (Value, bool) {
	i := len(s.Asked)
	cp := m
	cp.Path = append([]int(nil), m.Path...)
	s.Asked = append(s.Asked, cp)
	if i >= len(s.Choices) {
		return m.Value, true
	}
	switch s.Choices[i] {
	case SendAttack:
		return Attack, true
	case SendRetreat:
		return Retreat, true
	}
	return Retreat, false
}
