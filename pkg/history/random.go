package history

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Limits of Random.
const (
	MaxRandomNodes  = 26 // nodes are named A to Z
	MaxRandomEvents = 100_000
)

// RandomConfig describes a random execution for Random.
type RandomConfig struct {
	Nodes    int     // number of nodes, named A, B, C, …; 1..MaxRandomNodes
	Events   int     // number of events to generate; 0..MaxRandomEvents
	SendProb float64 // probability that a step is a send (otherwise local or receive); [0,1]
	Seed     uint64  // seed of the random source; the same seed gives the same history
}

// Random generates a random but valid execution: at each step a random node
// either receives one of the messages in flight to it (chosen at random, so
// messages can overtake each other), sends a message to a random other node,
// or does a local step. Messages still in flight at the end are never
// received. Same config, same history.
func Random(cfg RandomConfig) (*History, error) {
	if cfg.Nodes < 1 || cfg.Nodes > MaxRandomNodes {
		return nil, fmt.Errorf("history: Random needs 1..%d nodes, got %d", MaxRandomNodes, cfg.Nodes)
	}
	if cfg.Events < 0 || cfg.Events > MaxRandomEvents {
		return nil, fmt.Errorf("history: Random needs 0..%d events, got %d", MaxRandomEvents, cfg.Events)
	}
	if math.IsNaN(cfg.SendProb) || cfg.SendProb < 0 || cfg.SendProb > 1 {
		return nil, fmt.Errorf("history: send probability %v not in [0,1]", cfg.SendProb)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x4c414d504f5254)) // stream tag "LAMPORT"
	names := make([]string, cfg.Nodes)
	for i := range names {
		names[i] = string(rune('A' + i))
	}
	b := NewBuilder(names...)
	inFlight := make([][]Msg, cfg.Nodes) // messages waiting at each destination
	for len(b.h.Events) < cfg.Events {
		n := rng.IntN(cfg.Nodes)
		switch {
		case len(inFlight[n]) > 0 && rng.Float64() < 0.5:
			k := rng.IntN(len(inFlight[n]))
			m := inFlight[n][k]
			inFlight[n] = append(inFlight[n][:k], inFlight[n][k+1:]...)
			b.Receive(m, "")
		case cfg.Nodes > 1 && rng.Float64() < cfg.SendProb:
			to := rng.IntN(cfg.Nodes - 1)
			if to >= n {
				to++
			}
			m := b.Send(names[n], names[to], "")
			inFlight[to] = append(inFlight[to], m)
		default:
			b.Local(names[n], "")
		}
	}
	return b.Build()
}
