package replication

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Property is one of Raft's safety properties (Figure 3 of the paper).
type Property int

// The properties the Checker verifies.
const (
	// ElectionSafety: at most one leader per term.
	ElectionSafety Property = iota
	// LogMatching: if two logs hold an entry with the same index and
	// term, they are identical in all entries up to that index.
	LogMatching
	// LeaderCompleteness: an entry committed in a term is in the log of
	// every leader of a later term.
	LeaderCompleteness
	// StateMachineSafety: no two replicas apply different entries at the
	// same index.
	StateMachineSafety
	numProperties
)

// Properties lists every property, in order.
func Properties() []Property {
	return []Property{ElectionSafety, LogMatching, LeaderCompleteness, StateMachineSafety}
}

func (p Property) String() string {
	switch p {
	case ElectionSafety:
		return "election safety"
	case LogMatching:
		return "log matching"
	case LeaderCompleteness:
		return "leader completeness"
	case StateMachineSafety:
		return "state machine safety"
	}
	return fmt.Sprintf("Property(%d)", int(p))
}

// Violation is one broken property, found at time At on Node.
type Violation struct {
	Property Property
	At       netsim.Time
	Node     netsim.NodeID
	Index    int // the log index concerned (0 for election safety)
	Term     int
	Detail   string
}

func (v Violation) String() string {
	return fmt.Sprintf("%v %s violated: %s", v.At, v.Property, v.Detail)
}

// MaxViolations is how many violations a Checker keeps in full; it counts
// all of them.
const MaxViolations = 20

// Checker verifies Raft's safety properties on a running cluster. Call
// Observe with a replica's Status after every step of that replica (the
// cluster runner does, so every run is checked); each distinct violation
// is recorded once.
//
// Election safety is checked when a replica is leader; leader completeness
// when a replica becomes leader (its log must hold every entry committed
// in an earlier term) and when a leader commits (the entries must agree
// with those committed before); log matching between the observed replica's
// log and the latest log of every other replica; state machine safety
// between the entries the replica applied and those any replica applied
// before at the same index.
type Checker struct {
	nodes        []netsim.NodeID
	logs         []Log
	prev         []seen
	leaders      map[int]int // term -> replica
	committed    []commitRec // committed[i-1]: the entry committed at index i
	applied      []applyRec  // applied[i-1]: the first entry applied at index i
	flagged      map[string]bool
	violations   []Violation
	counts       [numProperties]int
	observations int
}

type seen struct {
	role    Role
	term    int
	commit  int
	applied int
	kv      *KV
}

type commitRec struct {
	e    Entry
	term int // term of the leader that committed it
	by   int
}

type applyRec struct {
	e  Entry
	by int
}

// NewChecker returns a checker for the replicas nodes (Observe refers to
// them by position).
func NewChecker(nodes []netsim.NodeID) (*Checker, error) {
	if len(nodes) == 0 {
		return nil, fmt.Errorf("replication: checker needs at least one replica")
	}
	return &Checker{nodes: append([]netsim.NodeID(nil), nodes...), logs: make([]Log, len(nodes)),
		prev: make([]seen, len(nodes)), leaders: map[int]int{}, flagged: map[string]bool{}}, nil
}

// Observe checks replica i (an index into the checker's nodes) after a
// step, at time now.
func (c *Checker) Observe(now netsim.Time, i int, st Status) {
	if i < 0 || i >= len(c.nodes) {
		return
	}
	c.observations++
	c.logs[i] = st.Log
	p := &c.prev[i]
	if st.Role == Leader {
		if other, ok := c.leaders[st.Term]; !ok {
			c.leaders[st.Term] = i
		} else if other != i {
			c.report(fmt.Sprintf("es/%d", st.Term), Violation{Property: ElectionSafety, At: now, Node: c.nodes[i], Term: st.Term,
				Detail: fmt.Sprintf("%s and %s are both leaders of term %d", c.nodes[other], c.nodes[i], st.Term)})
		}
		if p.role != Leader || p.term != st.Term {
			c.checkNewLeader(now, i, st)
		}
		c.recordCommits(now, i, st, p.commit)
	}
	c.checkMatching(now, i, st.Log)
	c.checkApplied(now, i, st, p)
	p.role, p.term, p.commit = st.Role, st.Term, st.Commit
}

// checkNewLeader: the log of a new leader of term T holds every entry
// committed in a term before T.
func (c *Checker) checkNewLeader(now netsim.Time, i int, st Status) {
	for idx, ce := range c.committed {
		if ce.term >= st.Term {
			continue
		}
		if e, ok := st.Log.At(idx + 1); !ok || e != ce.e {
			have := "nothing"
			if ok {
				have = e.String()
			}
			c.report(fmt.Sprintf("lc/%d", st.Term), Violation{Property: LeaderCompleteness, At: now, Node: c.nodes[i], Index: idx + 1, Term: st.Term,
				Detail: fmt.Sprintf("%s became leader of term %d with %s at index %d, but %s was committed there by %s in term %d",
					c.nodes[i], st.Term, have, idx+1, ce.e, c.nodes[ce.by], ce.term)})
			return
		}
	}
}

// recordCommits notes the entries a leader has committed since its last
// observation, and checks them against those committed before.
func (c *Checker) recordCommits(now netsim.Time, i int, st Status, prevCommit int) {
	for idx := min(prevCommit, len(c.committed)) + 1; idx <= st.Commit; idx++ {
		e, ok := st.Log.At(idx)
		if !ok {
			return
		}
		if idx <= len(c.committed) {
			if ce := c.committed[idx-1]; ce.e != e {
				c.report(fmt.Sprintf("lc/%d", st.Term), Violation{Property: LeaderCompleteness, At: now, Node: c.nodes[i], Index: idx, Term: st.Term,
					Detail: fmt.Sprintf("%s, leader of term %d, committed %s at index %d, but %s was committed there by %s in term %d",
						c.nodes[i], st.Term, e, idx, ce.e, c.nodes[ce.by], ce.term)})
			}
			continue
		}
		c.committed = append(c.committed, commitRec{e: e, term: st.Term, by: i})
	}
}

// checkMatching compares log with the latest log of every other replica.
func (c *Checker) checkMatching(now netsim.Time, i int, log Log) {
	for j, other := range c.logs {
		if j == i {
			continue
		}
		idx, diff, ok := MatchingViolation(log, other)
		if ok {
			continue
		}
		a, b := min(i, j), max(i, j)
		a1, _ := log.At(diff)
		b1, _ := other.At(diff)
		c.report(fmt.Sprintf("lm/%d/%d", a, b), Violation{Property: LogMatching, At: now, Node: c.nodes[i], Index: idx, Term: log.Term(idx),
			Detail: fmt.Sprintf("%s and %s both have term %d at index %d but differ at index %d (%s vs %s)",
				c.nodes[i], c.nodes[j], log.Term(idx), idx, diff, a1, b1)})
	}
}

// MatchingViolation checks the Log Matching property for two logs. If
// they hold entries with the same index and term but differ at an earlier
// (or the same) index, it returns the highest such index, the first index
// where they differ, and ok = false.
func MatchingViolation(a, b Log) (index, differ int, ok bool) {
	n := min(len(a), len(b))
	d := 0
	for k := 1; k <= n; k++ {
		if a[k-1] != b[k-1] {
			d = k
			break
		}
	}
	if d == 0 {
		return 0, 0, true
	}
	for k := n; k >= d; k-- {
		if a[k-1].Term == b[k-1].Term {
			return k, d, false
		}
	}
	return 0, 0, true
}

// checkApplied compares newly applied entries with those applied before at
// the same index by any replica.
func (c *Checker) checkApplied(now netsim.Time, i int, st Status, p *seen) {
	if st.KV != p.kv || len(st.Applied) < p.applied { // restarted: a new state machine
		p.kv, p.applied = st.KV, 0
	}
	for k := p.applied + 1; k <= len(st.Applied); k++ {
		e := st.Applied[k-1]
		if k > len(c.applied) {
			c.applied = append(c.applied, applyRec{e: e, by: i})
			continue
		}
		if first := c.applied[k-1]; first.e != e {
			c.report(fmt.Sprintf("sms/%d", k), Violation{Property: StateMachineSafety, At: now, Node: c.nodes[i], Index: k, Term: e.Term,
				Detail: fmt.Sprintf("%s applied %s at index %d, but %s applied %s there", c.nodes[i], e, k, c.nodes[first.by], first.e)})
		}
	}
	p.applied = len(st.Applied)
}

func (c *Checker) report(key string, v Violation) {
	if c.flagged[key] {
		return
	}
	c.flagged[key] = true
	c.counts[v.Property]++
	if len(c.violations) < MaxViolations {
		c.violations = append(c.violations, v)
	}
}

// Violations returns the first MaxViolations violations found, in order.
func (c *Checker) Violations() []Violation { return append([]Violation(nil), c.violations...) }

// Count is the number of distinct violations of p found.
func (c *Checker) Count(p Property) int {
	if p < 0 || p >= numProperties {
		return 0
	}
	return c.counts[p]
}

// Total is the number of distinct violations found.
func (c *Checker) Total() int {
	t := 0
	for _, n := range c.counts {
		t += n
	}
	return t
}

// Observations is the number of Observe calls.
func (c *Checker) Observations() int { return c.observations }

// Committed lists the entries committed so far, in index order.
func (c *Checker) Committed() []Entry {
	out := make([]Entry, len(c.committed))
	for i, ce := range c.committed {
		out[i] = ce.e
	}
	return out
}

// String summarises the checks: "0 violations in 1234 checks" or the
// counts per property and the first violation.
func (c *Checker) String() string {
	if c.Total() == 0 {
		return fmt.Sprintf("safety: no violations in %d checks (election safety, log matching, leader completeness, state machine safety)", c.observations)
	}
	var parts []string
	for _, p := range Properties() {
		if n := c.counts[p]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", p, n))
		}
	}
	return fmt.Sprintf("safety: %d VIOLATIONS in %d checks (%s); first: %s", c.Total(), c.observations, strings.Join(parts, ", "), c.violations[0])
}
