package byzantine

import (
	"fmt"
	"strings"
)

// Value is an order.
type Value int

// Retreat is the default value: a missing message counts as Retreat.
const (
	Retreat Value = iota
	Attack
)

func (v Value) String() string {
	switch v {
	case Retreat:
		return "Retreat"
	case Attack:
		return "Attack"
	}
	return fmt.Sprintf("Value(%d)", int(v))
}

// Opposite returns the other order.
func (v Value) Opposite() Value {
	if v == Attack {
		return Retreat
	}
	return Attack
}

// Verdict is the outcome of checking IC1 and IC2.
type Verdict int

const (
	// Agreement means IC1 and IC2 both hold.
	Agreement Verdict = iota
	// Violation means IC1 or IC2 is broken.
	Violation
)

func (v Verdict) String() string {
	if v == Agreement {
		return "Agreement"
	}
	if v == Violation {
		return "Violation"
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// Result is the outcome of one run.
type Result struct {
	Verdict Verdict
	IC1     bool // all loyal lieutenants decided the same
	IC2     bool // the loyal commander's order was obeyed (true if the commander is a traitor)
	// Decisions[i] is what general i decided; the commander's entry is
	// its order.
	Decisions []Value
	Loyal     []bool
	Commander int
	Order     Value
	// Messages counts the messages actually sent: a message a traitor
	// withholds is not counted.
	Messages int
	// Slots counts the messages the algorithm had generals send, withheld
	// or not. For OM it is always MessageCount(n, m), the paper's formula;
	// Slots − Messages is what silent traitors held back.
	Slots    int
	Rejected int   // SM only: messages discarded because of a bad signature
	Trace    []Hop // nil unless Config.Trace
	Reason   string
}

func (r Result) String() string {
	return fmt.Sprintf("%s: %s", r.Verdict, r.Reason)
}

// check fills in IC1, IC2, Verdict and Reason.
func (r *Result) check() {
	r.IC1, r.IC2 = true, true
	var first = -1
	var reasons []string
	for i, d := range r.Decisions {
		if i == r.Commander || !r.Loyal[i] {
			continue
		}
		if first < 0 {
			first = i
		} else if d != r.Decisions[first] && r.IC1 {
			r.IC1 = false
			reasons = append(reasons, fmt.Sprintf("IC1 broken: lieutenant %d decides %s, lieutenant %d decides %s", first, r.Decisions[first], i, d))
		}
		if r.Loyal[r.Commander] && d != r.Order && r.IC2 {
			r.IC2 = false
			reasons = append(reasons, fmt.Sprintf("IC2 broken: loyal commander %d ordered %s, loyal lieutenant %d decides %s", r.Commander, r.Order, i, d))
		}
	}
	if r.IC1 && r.IC2 {
		r.Verdict = Agreement
		if first < 0 {
			r.Reason = "no loyal lieutenants"
		} else {
			r.Reason = fmt.Sprintf("loyal lieutenants %v all decide %s", r.loyalLieutenants(), r.Decisions[first])
		}
		return
	}
	r.Verdict = Violation
	r.Reason = strings.Join(reasons, "; ")
}

func (r Result) loyalLieutenants() []int {
	var ids []int
	for i := range r.Decisions {
		if i != r.Commander && r.Loyal[i] {
			ids = append(ids, i)
		}
	}
	return ids
}

// MessageCount returns the number of messages OM(m) sends with n generals,
// Σ_{k=0..m} (n-1)(n-2)...(n-1-k), or -1 if it exceeds the int range.
func MessageCount(n, m int) int {
	if n < 1 || m < 0 {
		return 0
	}
	total, term := 0, 1
	for k := 0; k <= m; k++ {
		f := n - 1 - k
		if f <= 0 {
			break
		}
		if term > (1<<62)/f {
			return -1
		}
		term *= f
		total += term
		if total < 0 {
			return -1
		}
	}
	return total
}

// Judge checks IC1 and IC2 for decisions made by some other
// implementation of an algorithm (a lesson's own version of OM, say):
// decisions[i] is what general i decided (the commander's entry is
// ignored), loyal[i] whether it is loyal. It returns the Result with
// Decisions, Loyal, Commander, Order, IC1, IC2, Verdict and Reason filled
// in; the message counts and the trace are left empty.
func Judge(commander int, order Value, decisions []Value, loyal []bool) (Result, error) {
	n := len(decisions)
	switch {
	case n < 2 || n > MaxGenerals:
		return Result{}, fmt.Errorf("byzantine: %d decisions, need one per general (2 to %d)", n, MaxGenerals)
	case len(loyal) != n:
		return Result{}, fmt.Errorf("byzantine: %d decisions but %d loyalty flags", n, len(loyal))
	case commander < 0 || commander >= n:
		return Result{}, fmt.Errorf("byzantine: commander %d not in [0,%d)", commander, n)
	case order != Attack && order != Retreat:
		return Result{}, fmt.Errorf("byzantine: order %d is neither Attack nor Retreat", int(order))
	}
	r := Result{Decisions: append([]Value(nil), decisions...), Loyal: append([]bool(nil), loyal...), Commander: commander, Order: order}
	for i, d := range r.Decisions {
		if d != Attack && d != Retreat {
			return Result{}, fmt.Errorf("byzantine: general %d decided %d, neither Attack nor Retreat", i, int(d))
		}
	}
	r.Decisions[commander] = order
	r.check()
	return r, nil
}
