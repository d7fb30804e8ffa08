package byzantine

import (
	"fmt"
	"slices"
	"strings"
)

// Algorithm selects OM or SM.
type Algorithm int

// The two algorithms of the paper.
const (
	OralMessages Algorithm = iota
	SignedMessages
)

func (a Algorithm) String() string {
	switch a {
	case OralMessages:
		return "OM"
	case SignedMessages:
		return "SM"
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// Run runs the algorithm on cfg.
func (a Algorithm) Run(cfg Config) (Result, error) {
	switch a {
	case OralMessages:
		return OM(cfg)
	case SignedMessages:
		return SM(cfg)
	}
	return Result{}, fmt.Errorf("byzantine: unknown algorithm %d", int(a))
}

// Limits of Search. A search runs the algorithm once per traitor
// behaviour, so its cost is the number of runs times the messages of one
// run; both are bounded before the first run. A message costs about 50 ns,
// so the default search takes about a second at most, and the largest
// allowed one about ten.
const (
	// DefaultSearchLimit is the number of runs Search tries when limit is
	// 0, lowered for large runs so that the search simulates at most
	// DefaultSearchMessages messages. It exhausts every case the lessons
	// use (n ≤ 4 with m = 1 takes at most a few hundred runs) and returns
	// within about a second otherwise, for example for OM(2) with n = 7,
	// whose traitors have far more behaviours than any search can try.
	DefaultSearchLimit = 100_000
	// DefaultSearchMessages bounds the messages of a search with the
	// default limit.
	DefaultSearchMessages = 20_000_000
	// MaxSearchLimit bounds the limit passed to Search.
	MaxSearchLimit = 10_000_000
	// MaxSearchMessages bounds the messages simulated by one search, over
	// all its runs. For OM, limit × MessageCount(n, m) must not exceed it;
	// SM, whose runs vary in size, stops with an error when it has spent
	// it.
	MaxSearchMessages = 200_000_000
)

// Counterexample is a traitor behaviour that breaks IC1 or IC2.
type Counterexample struct {
	Traitors []int
	Order    Value
	Choices  []Choice  // what the traitors did, message by message
	Asked    []Message // the messages the traitors were asked about
	Result   Result    // the run, with its trace
}

// Script returns a Strategy that replays the counterexample.
func (c Counterexample) Script() *Script {
	return &Script{Choices: append([]Choice(nil), c.Choices...)}
}

func (c Counterexample) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "traitors %v, commander's order %s\n", c.Traitors, c.Order)
	for i, m := range c.Asked {
		fmt.Fprintf(&b, "  traitor %d → %d (level %d, path %s): loyal value %s, %s\n",
			m.From, m.To, m.Level, formatPath(m.Path), m.Value, c.Choices[i])
	}
	fmt.Fprintf(&b, "  %s", c.Result)
	return b.String()
}

// SearchResult is the outcome of an exhaustive search.
type SearchResult struct {
	Algorithm Algorithm
	N, M      int
	Commander int
	Runs      int  // runs tried
	Exhausted bool // every traitor behaviour was tried (the limit was not hit)
	Found     bool
	Counterexample
}

func (s SearchResult) String() string {
	switch {
	case s.Found:
		return fmt.Sprintf("%s(%d) n=%d: violation found after %d runs\n%s", s.Algorithm, s.M, s.N, s.Runs, s.Counterexample)
	case s.Exhausted:
		return fmt.Sprintf("%s(%d) n=%d: no violation in all %d traitor behaviours", s.Algorithm, s.M, s.N, s.Runs)
	}
	return fmt.Sprintf("%s(%d) n=%d: no violation in %d runs (limit reached, not exhaustive)", s.Algorithm, s.M, s.N, s.Runs)
}

// tree is the strategy Search uses: it follows choices and picks SendAttack
// for every message past them. It only counts the messages it is asked
// about; the counterexample is replayed with a Script to record them.
type tree struct {
	choices []Choice
	asked   int
}

func (t *tree) Send(Message) (Value, bool) {
	c := SendAttack
	if t.asked < len(t.choices) {
		c = t.choices[t.asked]
	}
	t.asked++
	switch c {
	case SendAttack:
		return Attack, true
	case SendRetreat:
		return Retreat, true
	}
	return Retreat, false
}

// Search tries every placement of exactly m traitors (fewer if n is
// smaller), both orders, and every behaviour of the traitors (each message
// a traitor sends: Attack, Retreat or nothing), in a fixed order, and
// returns the first run that breaks IC1 or IC2. It stops after limit runs
// (DefaultSearchLimit if limit is 0, see DefaultSearchMessages); placements are enumerated one at a
// time, so the limit bounds the work whatever n and m are. limit must be
// in [0, MaxSearchLimit], and for OM limit × MessageCount(n, m) must not
// exceed MaxSearchMessages.
func Search(alg Algorithm, n, m, commander, limit int) (SearchResult, error) {
	sr := SearchResult{Algorithm: alg, N: n, M: m, Commander: commander}
	if limit < 0 || limit > MaxSearchLimit {
		return sr, fmt.Errorf("byzantine: search limit %d not in [0,%d] (0 means %d)", limit, MaxSearchLimit, DefaultSearchLimit)
	}
	base := Config{N: n, M: m, Commander: commander, Strategy: Silent{}}
	if err := base.validate(); err != nil {
		return sr, err
	}
	switch alg {
	case OralMessages:
		if err := checkOM(base); err != nil {
			return sr, err
		}
		perRun := MessageCount(n, m)
		if limit == 0 {
			limit = max(1, min(DefaultSearchLimit, DefaultSearchMessages/max(perRun, 1)))
		} else if perRun > 0 && limit > MaxSearchMessages/perRun {
			return sr, fmt.Errorf("byzantine: search of %d runs of OM(%d) with n=%d (%d messages each) exceeds %d messages (MaxSearchMessages); use a limit of at most %d",
				limit, m, n, perRun, MaxSearchMessages, MaxSearchMessages/perRun)
		}
	case SignedMessages:
		if n > MaxSMGenerals {
			return sr, fmt.Errorf("byzantine: SM with n=%d generals, allowed at most %d", n, MaxSMGenerals)
		}
		if limit == 0 {
			limit = DefaultSearchLimit
		}
	default:
		return sr, fmt.Errorf("byzantine: unknown algorithm %d", int(alg))
	}
	traitors := make([]int, min(m, n))
	for i := range traitors {
		traitors[i] = i
	}
	spent := 0 // messages simulated so far
	for {
		for _, order := range []Value{Attack, Retreat} {
			var choices []Choice
			for {
				if sr.Runs >= limit {
					return sr, nil
				}
				st := &tree{choices: choices}
				cfg := base
				cfg.Traitors, cfg.Order, cfg.Strategy = traitors, order, st
				res, err := alg.Run(cfg)
				if err != nil {
					return sr, err
				}
				sr.Runs++
				spent += res.Slots
				full := append([]Choice(nil), choices...)
				for len(full) < st.asked {
					full = append(full, SendAttack)
				}
				if res.Verdict == Violation {
					script := &Script{Choices: full}
					cfg.Traitors = slices.Clone(traitors)
					cfg.Strategy, cfg.Trace = script, true
					res, err = alg.Run(cfg)
					if err != nil {
						return sr, err
					}
					sr.Found = true
					sr.Counterexample = Counterexample{Traitors: cfg.Traitors, Order: order, Choices: full, Asked: script.Asked, Result: res}
					return sr, nil
				}
				if spent > MaxSearchMessages {
					return sr, fmt.Errorf("byzantine: search of %s(%d) with n=%d simulated more than %d messages (MaxSearchMessages) in %d runs; use a smaller limit",
						alg, m, n, MaxSearchMessages, sr.Runs)
				}
				i := len(full) - 1
				for i >= 0 && full[i] == Withhold {
					i--
				}
				if i < 0 {
					break
				}
				choices = full[:i+1]
				choices[i]++
			}
		}
		if !nextCombination(traitors, n) {
			break
		}
	}
	sr.Exhausted = true
	return sr, nil
}

// nextCombination advances c, a k-subset of 0..n-1 in increasing order, to
// the next one in lexicographic order. It reports false after the last.
func nextCombination(c []int, n int) bool {
	k := len(c)
	i := k - 1
	for i >= 0 && c[i] == n-k+i {
		i--
	}
	if i < 0 {
		return false
	}
	c[i]++
	for j := i + 1; j < k; j++ {
		c[j] = c[j-1] + 1
	}
	return true
}
