package byzantine

import (
	"fmt"
	"slices"
)

// MaxSMGenerals bounds n for SM (the traitors' relays grow quickly).
const MaxSMGenerals = 24

type signed struct {
	value Value
	chain []int // signers, chain[0] the commander, last the sender
	from  int
	valid bool // false if a traitor changed a value a loyal general signed
}

// SM runs the signed-messages algorithm SM(cfg.M) with cfg.N generals.
//
// Round 0: the commander signs its order and sends it to every
// lieutenant. Each round, every lieutenant looks at the messages it
// received: a message v:0:j1:...:jk whose value v is new to it is added to
// its set V and, if k < m, signed and relayed to every lieutenant not yet
// in the chain. When no messages are left, each lieutenant obeys choice(V):
// the single value in V, or Retreat if V is empty or holds both values.
//
// Traitors are asked (through the Strategy) about every relay they could
// send, not only the first per value, and may withhold it or change its
// value. A changed value on a chain that carries a loyal signature cannot
// be signed correctly, so the receiver discards it (counted in Rejected);
// chains signed only by traitors may carry any value.
func SM(cfg Config) (Result, error) {
	if err := cfg.validate(); err != nil {
		return Result{}, err
	}
	if cfg.N > MaxSMGenerals {
		return Result{}, fmt.Errorf("byzantine: SM with n=%d generals, allowed at most %d", cfg.N, MaxSMGenerals)
	}
	loyal := cfg.loyalty()
	res := Result{Decisions: make([]Value, cfg.N), Loyal: loyal, Commander: cfg.Commander, Order: cfg.Order}
	seen := make([][2]bool, cfg.N) // V_i as two flags

	var inbox [][]signed // per receiver, messages of the current round
	reset := func() {
		inbox = make([][]signed, cfg.N)
	}
	reset()
	var failed error // a strategy panic or the message budget
	send := func(level int, chain []int, from, to int, v Value, allTraitors bool) {
		if failed != nil {
			return
		}
		if res.Slots >= MaxSMMessages {
			failed = fmt.Errorf("byzantine: SM(%d) with n=%d and traitors %v would send more than %d messages (MaxSMMessages): traitors relay every chain they receive; use fewer traitors, generals or a smaller m",
				cfg.M, cfg.N, cfg.Traitors, MaxSMMessages)
			return
		}
		res.Slots++
		got, ok := v, true
		valid := true
		if !loyal[from] {
			var err error
			got, ok, err = ask(cfg.Strategy, Message{Level: level, Path: chain, From: from, To: to, Value: v})
			if err != nil {
				failed = err
				return
			}
			if got != Attack && got != Retreat {
				ok = false
			}
			if ok && got != v && !allTraitors {
				valid = false // would need a loyal general's signature on the new value
			}
		}
		if cfg.Trace {
			note := ""
			if !valid {
				note = " (forged: rejected)"
			}
			res.Trace = append(res.Trace, Hop{Level: level, Path: slices.Clone(chain), From: from, To: to,
				Value: got, Sent: ok, Traitor: !loyal[from], Note: note})
		}
		if !ok {
			return
		}
		res.Messages++
		inbox[to] = append(inbox[to], signed{value: got, chain: slices.Clone(chain), from: from, valid: valid})
	}

	// Round 0.
	for to := range cfg.N {
		if to != cfg.Commander {
			send(0, []int{cfg.Commander}, cfg.Commander, to, cfg.Order, !loyal[cfg.Commander])
		}
	}
	for round := 1; round <= cfg.N; round++ {
		cur := inbox
		reset()
		any := false
		for i := range cfg.N {
			if i == cfg.Commander {
				continue
			}
			for _, msg := range cur[i] {
				if !msg.valid || slices.Contains(msg.chain, i) {
					res.Rejected++
					continue
				}
				isNew := !seen[i][msg.value]
				if loyal[i] && !isNew {
					continue
				}
				seen[i][msg.value] = true
				k := len(msg.chain) - 1 // lieutenant signatures so far
				if k >= cfg.M {
					continue
				}
				chain := append(slices.Clone(msg.chain), i)
				allTraitors := true
				for _, s := range chain {
					allTraitors = allTraitors && !loyal[s]
				}
				for to := range cfg.N {
					if to == cfg.Commander || slices.Contains(chain, to) {
						continue
					}
					send(round, chain, i, to, msg.value, allTraitors)
					any = true
				}
			}
		}
		if failed != nil {
			return Result{}, failed
		}
		if !any {
			break
		}
	}
	if failed != nil {
		return Result{}, failed
	}
	for i := range cfg.N {
		switch {
		case i == cfg.Commander:
			res.Decisions[i] = cfg.Order
		case seen[i][Attack] && !seen[i][Retreat]:
			res.Decisions[i] = Attack
		default:
			res.Decisions[i] = Retreat
		}
	}
	res.check()
	return res, nil
}
