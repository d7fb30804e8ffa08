package quorum

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// MaxExhaustive is the largest N that Check enumerates (2^N subsets).
const MaxExhaustive = 22

// Intersection is the result of Check.
type Intersection struct {
	OK bool
	// A and B are disjoint quorums (of the first and second system) when
	// !OK, each minimal: removing any node makes it stop being a quorum.
	A, B Set
	// Quorums is the number of quorums of the first system examined.
	Quorums int
}

func (r Intersection) String() string {
	if r.OK {
		if r.Quorums == 1 {
			return "every two quorums intersect (1 quorum checked)"
		}
		return fmt.Sprintf("every two quorums intersect (%d quorums checked)", r.Quorums)
	}
	return fmt.Sprintf("quorums %s and %s are disjoint", r.A, r.B)
}

// Check reports whether every quorum of a intersects every quorum of b,
// by enumerating every subset of the nodes. Because quorum systems are
// monotone, a quorum A of a misses some quorum of b iff the complement of
// A is a quorum of b.
//
// Both systems must have the same N() in [1, MaxExhaustive]. A system
// whose methods panic makes Check return an error naming it.
func Check(a, b System) (res Intersection, err error) {
	if isNil(a) || isNil(b) {
		return Intersection{}, fmt.Errorf("quorum: Check needs two systems")
	}
	defer catch(&err, a, b)
	for _, sys := range []System{a, b} {
		if err := validate(sys); err != nil {
			return Intersection{}, err
		}
	}
	n := a.N()
	if b.N() != n {
		return Intersection{}, fmt.Errorf("quorum: systems over %d and %d nodes", a.N(), b.N())
	}
	if n > MaxExhaustive {
		return Intersection{}, fmt.Errorf("quorum: exhaustive check of %d nodes, allowed at most %d", n, MaxExhaustive)
	}
	full := Full(n)
	res = Intersection{OK: true}
	for s := Set(0); s <= full; s++ {
		if !a.IsQuorum(s) {
			continue
		}
		res.Quorums++
		if res.OK && b.IsQuorum(full&^s) {
			res.OK = false
			res.A, res.B = Minimise(a, s), Minimise(b, full&^s)
		}
	}
	return res, nil
}

// Minimise removes nodes from the quorum q (highest id first) while it
// stays a quorum of sys, and returns the minimal quorum left.
func Minimise(sys System, q Set) Set {
	if isNil(sys) {
		return q
	}
	m := q.Members()
	for i := len(m) - 1; i >= 0; i-- {
		if t := q &^ (1 << uint(m[i])); sys.IsQuorum(t) {
			q = t
		}
	}
	return q
}

// Outcome is the state of an election tally.
type Outcome int

// Possible tallies.
const (
	// Elected: exactly one candidate's supporters form a quorum.
	Elected Outcome = iota
	// Pending: nobody has a quorum yet, but someone still could.
	Pending
	// Split: nobody can reach a quorum even if every voter still missing
	// votes for them; the election must be repeated.
	Split
	// Conflict: two candidates both have a quorum (the quorums do not
	// intersect) — split brain.
	Conflict
)

func (o Outcome) String() string {
	switch o {
	case Elected:
		return "Elected"
	case Pending:
		return "Pending"
	case Split:
		return "Split"
	case Conflict:
		return "Conflict"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Ballot is one voter's vote for a candidate (candidates are any ints,
// usually node ids).
type Ballot struct{ Voter, Candidate int }

// Support is the set of voters behind one candidate.
type Support struct {
	Candidate int
	Voters    Set
}

// Tally is the result of Count.
type Tally struct {
	Outcome Outcome
	Winners []int     // Elected: one; Conflict: several
	Support []Support // per candidate, by increasing candidate id
	Missing Set       // voters who have not voted
}

func (t Tally) String() string {
	s := t.Outcome.String()
	if len(t.Winners) > 0 {
		s += fmt.Sprintf(" %v", t.Winners)
	}
	for _, sp := range t.Support {
		s += fmt.Sprintf(" %d:%s", sp.Candidate, sp.Voters)
	}
	return s + fmt.Sprintf(" missing:%s", t.Missing)
}

// Count tallies ballots against sys. Every voter must be in [0,N) and vote
// at most once; N() must be in [1, MaxNodes]. A system whose methods panic
// makes Count return an error naming it.
func Count(sys System, ballots []Ballot) (t Tally, err error) {
	if isNil(sys) {
		return Tally{}, fmt.Errorf("quorum: Count needs a system")
	}
	defer catch(&err, sys)
	if err := validate(sys); err != nil {
		return Tally{}, err
	}
	n := sys.N()
	var voted Set
	by := map[int]Set{}
	for _, b := range ballots {
		if b.Voter < 0 || b.Voter >= n {
			return Tally{}, fmt.Errorf("quorum: voter %d not in [0,%d)", b.Voter, n)
		}
		if voted.Has(b.Voter) {
			return Tally{}, fmt.Errorf("quorum: voter %d voted twice", b.Voter)
		}
		voted |= 1 << uint(b.Voter)
		by[b.Candidate] |= 1 << uint(b.Voter)
	}
	t.Missing = Full(n) &^ voted
	cands := make([]int, 0, len(by))
	for c := range by {
		cands = append(cands, c)
	}
	slices.Sort(cands)
	possible := sys.IsQuorum(t.Missing) // a fresh candidate could still win
	for _, c := range cands {
		t.Support = append(t.Support, Support{c, by[c]})
		if sys.IsQuorum(by[c]) {
			t.Winners = append(t.Winners, c)
		}
		if sys.IsQuorum(by[c] | t.Missing) {
			possible = true
		}
	}
	switch {
	case len(t.Winners) > 1:
		t.Outcome = Conflict
	case len(t.Winners) == 1:
		t.Outcome = Elected
	case possible:
		t.Outcome = Pending
	default:
		t.Outcome = Split
	}
	return t, nil
}

// validate checks a system's size, and more if it can validate itself.
func validate(sys System) error {
	if n := sys.N(); n < 1 || n > MaxNodes {
		return fmt.Errorf("quorum: system %v has N() = %d nodes, allowed [1,%d]", sys, n, MaxNodes)
	}
	if v, ok := sys.(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}

// catch turns a panic in a caller's System into an error naming it.
func catch(err *error, systems ...System) {
	if p := recover(); p != nil {
		names := make([]string, len(systems))
		for i, s := range systems {
			names[i] = fmt.Sprintf("%T", s)
		}
		*err = fmt.Errorf("quorum: a method of system %s panicked: %v", strings.Join(slices.Compact(names), " or "), p)
	}
}

// isNil reports a nil system, including a nil pointer in the interface.
func isNil(sys System) bool {
	if sys == nil {
		return true
	}
	v := reflect.ValueOf(sys)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
