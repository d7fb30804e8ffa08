package ordering

import (
	"fmt"
	"strings"
)

// AccountOp is an operation on a bank balance.
type AccountOp struct {
	Name  string
	Apply func(balance float64) float64
}

// Deposit adds amount to the balance.
func Deposit(amount float64) AccountOp {
	return AccountOp{Name: fmt.Sprintf("deposit %g", amount), Apply: func(b float64) float64 { return b + amount }}
}

// Interest adds percent per cent to the balance.
func Interest(percent float64) AccountOp {
	return AccountOp{Name: fmt.Sprintf("interest %g%%", percent), Apply: func(b float64) float64 { return b * (1 + percent/100) }}
}

// ApplyAll applies ops to balance in order.
func ApplyAll(balance float64, ops ...AccountOp) float64 {
	for _, op := range ops {
		balance = op.Apply(balance)
	}
	return balance
}

// TwoReplicas applies the same two operations to two copies of a balance
// of start, in the two possible orders, and says what each copy ends with.
func TwoReplicas(start float64, a, b AccountOp) string {
	var s strings.Builder
	fmt.Fprintf(&s, "both replicas start at %.2f\n", start)
	fmt.Fprintf(&s, "replica 1 applies %s, then %s: %.2f\n", a.Name, b.Name, ApplyAll(start, a, b))
	fmt.Fprintf(&s, "replica 2 applies %s, then %s: %.2f\n", b.Name, a.Name, ApplyAll(start, b, a))
	return s.String()
}
