package history

import (
	"fmt"
	"strings"
)

// Property names one property of an order relation.
type Property int

// The properties that CheckOrder examines.
const (
	Irreflexive   Property = iota // no a < a
	Transitive                    // a < b and b < c imply a < c
	Antisymmetric                 // never both a < b and b < a for a != b
	Total                         // a < b or b < a for every a != b
)

func (p Property) String() string {
	switch p {
	case Irreflexive:
		return "irreflexive"
	case Transitive:
		return "transitive"
	case Antisymmetric:
		return "antisymmetric"
	case Total:
		return "total"
	}
	return fmt.Sprintf("Property(%d)", int(p))
}

// Finding is the result of checking one property: whether it holds and,
// if not, a counterexample (event indices).
type Finding struct {
	Property Property
	Holds    bool
	Witness  []int // a counterexample when Holds is false
}

// OrderReport is the result of CheckOrder.
type OrderReport struct {
	Findings []Finding
	names    func(int) string
}

// Holds reports whether property p holds.
func (r OrderReport) Holds(p Property) bool {
	for _, f := range r.Findings {
		if f.Property == p {
			return f.Holds
		}
	}
	return false
}

// StrictPartialOrder reports whether the relation is irreflexive,
// transitive and antisymmetric.
func (r OrderReport) StrictPartialOrder() bool {
	return r.Holds(Irreflexive) && r.Holds(Transitive) && r.Holds(Antisymmetric)
}

// StrictTotalOrder reports whether the relation is a strict partial order
// in which every two distinct items are comparable.
func (r OrderReport) StrictTotalOrder() bool {
	return r.StrictPartialOrder() && r.Holds(Total)
}

// String prints one line per property, with a counterexample where the
// property fails.
func (r OrderReport) String() string {
	var b strings.Builder
	name := r.names
	if name == nil {
		name = func(i int) string { return fmt.Sprint(i) }
	}
	for _, f := range r.Findings {
		if f.Holds {
			fmt.Fprintf(&b, "%-13s  yes\n", f.Property)
			continue
		}
		w := make([]string, len(f.Witness))
		for i, x := range f.Witness {
			w[i] = name(x)
		}
		var why string
		switch f.Property {
		case Irreflexive:
			why = fmt.Sprintf("%s < %s", w[0], w[0])
		case Transitive:
			why = fmt.Sprintf("%s < %s and %s < %s but not %s < %s", w[0], w[1], w[1], w[2], w[0], w[2])
		case Antisymmetric:
			why = fmt.Sprintf("%s < %s and %s < %s", w[0], w[1], w[1], w[0])
		case Total:
			why = fmt.Sprintf("%s and %s are not comparable", w[0], w[1])
		}
		fmt.Fprintf(&b, "%-13s  no: %s\n", f.Property, why)
	}
	return b.String()
}

// MaxCheckOrder bounds the items of CheckOrder (n³ steps: about a second).
const MaxCheckOrder = 1000

// CheckOrder checks, by brute force over all pairs and triples, which order
// properties the relation less has on the items 0..n-1. It is meant for the
// small sets of a lesson (n up to a few hundred).
//
// n must be in [0, MaxCheckOrder]. A relation that panics makes CheckOrder
// return an error naming the pair it was asked about.
func CheckOrder(n int, less func(a, b int) bool) (r OrderReport, err error) {
	if n < 0 {
		return OrderReport{}, fmt.Errorf("history: CheckOrder needs n >= 0, got %d", n)
	}
	if less == nil {
		return OrderReport{}, fmt.Errorf("history: CheckOrder needs a relation, got nil")
	}
	if n > MaxCheckOrder {
		return OrderReport{}, fmt.Errorf("history: CheckOrder is cubic in n; %d items is too many (at most %d)", n, MaxCheckOrder)
	}
	var a, b int // the pair being asked about
	defer func() {
		if p := recover(); p != nil {
			r, err = OrderReport{}, fmt.Errorf("history: CheckOrder: the relation panicked on (%d, %d): %v", a, b, p)
		}
	}()
	m := make([][]bool, n)
	for a = range m {
		m[a] = make([]bool, n)
		for b = range m[a] {
			m[a][b] = less(a, b)
		}
	}
	irr := Finding{Property: Irreflexive, Holds: true}
	anti := Finding{Property: Antisymmetric, Holds: true}
	tot := Finding{Property: Total, Holds: true}
	trans := Finding{Property: Transitive, Holds: true}
	for a := 0; a < n; a++ {
		if irr.Holds && m[a][a] {
			irr = Finding{Property: Irreflexive, Witness: []int{a}}
		}
		for b := a + 1; b < n; b++ {
			if anti.Holds && m[a][b] && m[b][a] {
				anti = Finding{Property: Antisymmetric, Witness: []int{a, b}}
			}
			if tot.Holds && !m[a][b] && !m[b][a] {
				tot = Finding{Property: Total, Witness: []int{a, b}}
			}
		}
	}
	for a := 0; a < n && trans.Holds; a++ {
		for b := 0; b < n && trans.Holds; b++ {
			if !m[a][b] {
				continue
			}
			for c := 0; c < n; c++ {
				if m[b][c] && !m[a][c] {
					trans = Finding{Property: Transitive, Witness: []int{a, b, c}}
					break
				}
			}
		}
	}
	return OrderReport{Findings: []Finding{irr, trans, anti, tot}}, nil
}

// CheckHappensBefore checks the order properties of happens-before on h's
// events, naming events in the report by their labels.
func (h *History) CheckHappensBefore() (OrderReport, error) {
	r, err := CheckOrder(len(h.Events), h.HappensBefore)
	r.names = h.Name
	return r, err
}

// Named returns a copy of r that names items with name in its String.
func (r OrderReport) Named(name func(int) string) OrderReport {
	r.names = name
	return r
}
