package byzantine

import "fmt"

// OM runs the oral-messages algorithm OM(cfg.M) with cfg.N generals.
func OM(cfg Config) (Result, error) {
	if err := cfg.validate(); err != nil {
		return Result{}, err
	}
	if err := checkOM(cfg); err != nil {
		return Result{}, err
	}
	r := &omRun{cfg: cfg, loyal: cfg.loyalty()}
	lts := make([]int, 0, cfg.N-1)
	for i := range cfg.N {
		if i != cfg.Commander {
			lts = append(lts, i)
		}
	}
	r.path = make([]int, 0, min(cfg.M, cfg.N)+2) // the recursion is never deeper than n
	dec := r.om(cfg.M, cfg.Commander, cfg.Order, lts)
	if r.err != nil {
		return Result{}, r.err
	}
	res := Result{
		Decisions: make([]Value, cfg.N),
		Loyal:     r.loyal,
		Commander: cfg.Commander,
		Order:     cfg.Order,
		Messages:  r.sent,
		Slots:     r.slots,
		Trace:     r.trace,
	}
	for i, l := range lts {
		res.Decisions[l] = dec[i]
	}
	res.Decisions[cfg.Commander] = cfg.Order
	res.check()
	return res, nil
}

// checkOM bounds the work of OM(cfg.M) before anything is allocated.
func checkOM(cfg Config) error {
	c := MessageCount(cfg.N, cfg.M)
	if c < 0 || c > MaxMessages {
		return fmt.Errorf("byzantine: OM(%d) with n=%d needs more than %d messages (MaxMessages); use fewer generals or a smaller m", cfg.M, cfg.N, MaxMessages)
	}
	if cfg.Trace && c > MaxTraceHops {
		return fmt.Errorf("byzantine: OM(%d) with n=%d sends %d messages, too many to trace (at most %d, MaxTraceHops); run without Trace", cfg.M, cfg.N, c, MaxTraceHops)
	}
	return nil
}

type omRun struct {
	cfg         Config
	loyal       []bool
	path        []int // commanders of the enclosing recursive calls
	slots, sent int
	trace       []Hop
	err         error // the first strategy panic; the strategy is not asked again
}

// send delivers v from→to at the current recursion level and returns what
// the receiver gets (Retreat if nothing arrives).
func (r *omRun) send(from, to int, v Value) Value {
	r.slots++
	got, ok := v, true
	if !r.loyal[from] {
		if r.err == nil {
			got, ok, r.err = ask(r.cfg.Strategy, Message{Level: len(r.path) - 1, Path: r.path, From: from, To: to, Value: v})
		}
		if ok && got != Attack && got != Retreat {
			got = Retreat // a garbled message is read as the default
		}
	}
	if ok {
		r.sent++
	} else {
		got = Retreat
	}
	if r.cfg.Trace {
		r.trace = append(r.trace, Hop{
			Level: len(r.path) - 1, Path: append([]int(nil), r.path...),
			From: from, To: to, Value: got, Sent: ok, Traitor: !r.loyal[from],
		})
	}
	return got
}

// om is OM(m) with commander cmd sending v to lieutenants lts. It returns
// the value each lieutenant uses, indexed like lts.
func (r *omRun) om(m, cmd int, v Value, lts []int) []Value {
	r.path = append(r.path, cmd)
	defer func() { r.path = r.path[:len(r.path)-1] }()

	// Step 1: the commander sends its value to every lieutenant.
	received := make([]Value, len(lts))
	for i, l := range lts {
		received[i] = r.send(cmd, l, v)
	}
	if m == 0 {
		// OM(0): each lieutenant uses the value it received.
		return received
	}
	// Step 2: each lieutenant i acts as commander in OM(m-1), sending the
	// value it received to the other n-2 lieutenants.
	// relayed[i][j] is what lieutenant lts[j] got from lts[i] (j ≠ i).
	relayed := make([][]Value, len(lts))
	others := make([]int, 0, len(lts))
	for i, li := range lts {
		others = others[:0]
		for _, l := range lts {
			if l != li {
				others = append(others, l)
			}
		}
		sub := r.om(m-1, li, received[i], others)
		row := make([]Value, len(lts))
		for k, j := 0, 0; j < len(lts); j++ {
			if j == i {
				continue
			}
			row[j] = sub[k]
			k++
		}
		relayed[i] = row
	}
	// Step 3: each lieutenant j uses majority(v_1, ..., v_{n-1}): its own
	// value from the commander and what it got from every other lieutenant.
	out := make([]Value, len(lts))
	for j := range lts {
		attack := 0
		for i := range lts {
			val := received[j]
			if i != j {
				val = relayed[i][j]
			}
			if val == Attack {
				attack++
			}
		}
		out[j] = majority(attack, len(lts))
	}
	return out
}

// majority returns Attack iff more than half of the n values are Attack;
// a tie gives the default Retreat.
func majority(attack, n int) Value {
	if 2*attack > n {
		return Attack
	}
	return Retreat
}
