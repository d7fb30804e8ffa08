package byzantine

import (
	"fmt"
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

// DefaultSearchLimit is the number of runs Search tries when limit is 0.
const DefaultSearchLimit = 1_000_000

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
// for every message past them.
type tree struct {
	choices []Choice
	asked   []Message
}

func (t *tree) Send(m Message) (Value, bool) {
	i := len(t.asked)
	cp := m
	cp.Path = append([]int(nil), m.Path...)
	t.asked = append(t.asked, cp)
	c := SendAttack
	if i < len(t.choices) {
		c = t.choices[i]
	}
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
// (DefaultSearchLimit if limit is 0).
func Search(alg Algorithm, n, m, commander, limit int) (SearchResult, error) {
	if limit == 0 {
		limit = DefaultSearchLimit
	}
	if limit < 0 {
		return SearchResult{}, fmt.Errorf("byzantine: search limit %d must be >= 0", limit)
	}
	sr := SearchResult{Algorithm: alg, N: n, M: m, Commander: commander}
	base := Config{N: n, M: m, Commander: commander, Strategy: Silent{}}
	if err := base.validate(); err != nil {
		return sr, err
	}
	if alg != OralMessages && alg != SignedMessages {
		return sr, fmt.Errorf("byzantine: unknown algorithm %d", int(alg))
	}
	for _, traitors := range combinations(n, min(m, n)) {
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
				full := append([]Choice(nil), choices...)
				for len(full) < len(st.asked) {
					full = append(full, SendAttack)
				}
				if res.Verdict == Violation {
					script := &Script{Choices: full}
					cfg.Strategy, cfg.Trace = script, true
					res, err = alg.Run(cfg)
					if err != nil {
						return sr, err
					}
					sr.Found = true
					sr.Counterexample = Counterexample{Traitors: traitors, Order: order, Choices: full, Asked: script.Asked, Result: res}
					return sr, nil
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
	}
	sr.Exhausted = true
	return sr, nil
}

// combinations returns every k-subset of 0..n-1 in lexicographic order.
func combinations(n, k int) [][]int {
	var out [][]int
	cur := make([]int, 0, k)
	var rec func(start int)
	rec = func(start int) {
		if len(cur) == k {
			out = append(out, append([]int(nil), cur...))
			return
		}
		for i := start; i < n; i++ {
			cur = append(cur, i)
			rec(i + 1)
			cur = cur[:len(cur)-1]
		}
	}
	rec(0)
	return out
}
