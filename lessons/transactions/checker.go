package transactions

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Invariants of atomic commitment, by name.
const (
	// Atomicity: all processes that have decided have decided the same
	// way — no participant commits while another aborts, and none
	// disagrees with the coordinator's decision.
	Atomicity = "atomicity"
	// Validity: the transaction commits only if every participant voted
	// yes.
	Validity = "validity"
)

// PState is one participant in a Snapshot.
type PState struct {
	ID    string
	Vote  Vote
	State State
}

// Snapshot is the global state the invariants are about: the
// coordinator's decision (Unknown until it has one) and every
// participant's vote and state.
type Snapshot struct {
	Coordinator  Outcome
	Participants []PState
}

func (s Snapshot) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "coordinator %s;", s.Coordinator)
	for _, p := range s.Participants {
		v := string(p.Vote)
		if v == "" {
			v = "not voted"
		}
		fmt.Fprintf(&b, " %s %s (%s)", p.ID, p.State, v)
	}
	return b.String()
}

// Violated lists the invariants s breaks, in the order atomicity,
// validity (nil if none).
func Violated(s Snapshot) []string {
	var out []string
	if detail := atomicityDetail(s); detail != "" {
		out = append(out, Atomicity)
	}
	if detail := validityDetail(s); detail != "" {
		out = append(out, Validity)
	}
	return out
}

// atomicityDetail describes a breach of atomicity in s ("" if none).
func atomicityDetail(s Snapshot) string {
	first, who := Unknown, ""
	if s.Coordinator.Decided() {
		first, who = s.Coordinator, "the coordinator decided "+string(s.Coordinator)
	}
	for _, p := range s.Participants {
		o := outcomeOf(p.State)
		if !o.Decided() {
			continue
		}
		if !first.Decided() {
			first, who = o, p.ID+" "+p.State.String()
			continue
		}
		if o != first {
			return fmt.Sprintf("%s %s while %s", p.ID, p.State, who)
		}
	}
	return ""
}

// validityDetail describes a breach of validity in s ("" if none).
func validityDetail(s Snapshot) string {
	committed := ""
	if s.Coordinator == Commit {
		committed = "the coordinator decided commit"
	}
	for _, p := range s.Participants {
		if p.State == Committed && committed == "" {
			committed = p.ID + " committed"
		}
	}
	if committed == "" {
		return ""
	}
	for _, p := range s.Participants {
		if p.Vote != Yes {
			v := "voted no"
			if p.Vote == NotVoted {
				v = "never voted"
			}
			return fmt.Sprintf("%s although %s %s", committed, p.ID, v)
		}
	}
	return ""
}

// Violation is a broken invariant, found at time At after a step of Node.
type Violation struct {
	Invariant string
	At        netsim.Time
	Node      netsim.NodeID
	Detail    string
}

func (v Violation) String() string {
	return fmt.Sprintf("%v %s violated after a step of %s: %s", v.At, v.Invariant, v.Node, v.Detail)
}

// Checker checks the invariants after every step of every process of a
// run: each snapshot with Violated, and besides that that no process
// changes a decision it has made (a coordinator that forgets its
// decision could otherwise commit, crash, and abort unseen). Each
// invariant is reported once, at its first breach.
type Checker struct {
	first      map[string]Outcome // first decision of each process
	violations []Violation
	checks     int
}

// NewChecker returns an empty checker.
func NewChecker() *Checker { return &Checker{first: map[string]Outcome{}} }

// Observe checks s, taken after a step of node at time now.
func (c *Checker) Observe(now netsim.Time, node netsim.NodeID, s Snapshot) {
	c.checks++
	if d := atomicityDetail(s); d != "" {
		c.report(Violation{Invariant: Atomicity, At: now, Node: node, Detail: d})
	}
	if d := validityDetail(s); d != "" {
		c.report(Violation{Invariant: Validity, At: now, Node: node, Detail: d})
	}
	note := func(id string, o Outcome) {
		if !o.Decided() {
			return
		}
		if f, ok := c.first[id]; !ok {
			c.first[id] = o
		} else if f != o {
			c.report(Violation{Invariant: Atomicity, At: now, Node: node,
				Detail: fmt.Sprintf("%s decided %s, then %s", id, f, o)})
		}
	}
	note(string(Coordinator), s.Coordinator)
	for _, p := range s.Participants {
		note(p.ID, outcomeOf(p.State))
	}
}

func (c *Checker) report(v Violation) {
	for _, old := range c.violations {
		if old.Invariant == v.Invariant {
			return
		}
	}
	c.violations = append(c.violations, v)
}

// Violations lists the invariants broken, each at its first breach.
func (c *Checker) Violations() []Violation { return append([]Violation(nil), c.violations...) }

// Checks is the number of snapshots checked.
func (c *Checker) Checks() int { return c.checks }
