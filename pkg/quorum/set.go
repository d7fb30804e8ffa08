package quorum

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// MaxNodes is the largest system size (a Set is a 64-bit mask).
const MaxNodes = 64

// MaxWeight bounds one node's votes in a weighted system, so that the
// votes of any set (at most MaxNodes · MaxWeight = 2^46) add up without
// overflowing.
const MaxWeight = 1 << 40

// Set is a set of node ids in [0,64), bit i set iff node i is a member.
type Set uint64

// SetOf returns the set holding ids (ids outside [0,64) are ignored).
func SetOf(ids ...int) Set {
	var s Set
	for _, i := range ids {
		if i >= 0 && i < MaxNodes {
			s |= 1 << uint(i)
		}
	}
	return s
}

// Full returns {0, ..., n-1}.
func Full(n int) Set {
	if n >= MaxNodes {
		return ^Set(0)
	}
	return Set(1)<<uint(n) - 1
}

// Has reports whether i is a member.
func (s Set) Has(i int) bool { return i >= 0 && i < MaxNodes && s>>uint(i)&1 == 1 }

// Len returns the number of members.
func (s Set) Len() int { return bits.OnesCount64(uint64(s)) }

// Members returns the ids in increasing order.
func (s Set) Members() []int {
	var ids []int
	for x := uint64(s); x != 0; x &= x - 1 {
		ids = append(ids, bits.TrailingZeros64(x))
	}
	return ids
}

func (s Set) String() string {
	m := s.Members()
	p := make([]string, len(m))
	for i, v := range m {
		p[i] = strconv.Itoa(v)
	}
	return "{" + strings.Join(p, ",") + "}"
}

// System is a quorum system over N() nodes. IsQuorum must be monotone: a
// superset of a quorum is a quorum.
type System interface {
	N() int
	IsQuorum(s Set) bool
}

type majority struct{ n int }

// Majority returns the system whose quorums are the sets of more than n/2 nodes.
func Majority(n int) (System, error) {
	if n < 1 || n > MaxNodes {
		return nil, fmt.Errorf("quorum: majority of %d nodes, allowed [1,%d]", n, MaxNodes)
	}
	return majority{n}, nil
}

func (m majority) N() int              { return m.n }
func (m majority) IsQuorum(s Set) bool { return 2*(s&Full(m.n)).Len() > m.n }
func (m majority) String() string      { return fmt.Sprintf("majority(%d)", m.n) }

type anyK struct{ n, k int }

// AnyK returns the system whose quorums are the sets of at least k of n nodes.
func AnyK(n, k int) (System, error) {
	if n < 1 || n > MaxNodes {
		return nil, fmt.Errorf("quorum: %d nodes, allowed [1,%d]", n, MaxNodes)
	}
	if k < 1 || k > n {
		return nil, fmt.Errorf("quorum: quorum size %d not in [1,%d]", k, n)
	}
	return anyK{n, k}, nil
}

func (a anyK) N() int              { return a.n }
func (a anyK) IsQuorum(s Set) bool { return (s & Full(a.n)).Len() >= a.k }
func (a anyK) String() string      { return fmt.Sprintf("any %d of %d", a.k, a.n) }

// WeightedSystem is Gifford's weighted voting: node i holds Weights[i]
// votes and a set is a quorum iff its votes reach Threshold.
type WeightedSystem struct {
	Weights   []int
	Threshold int
}

// Weighted validates and returns a weighted voting system: 1 to MaxNodes
// weights, each in [0, MaxWeight], and a threshold in [1, total weight].
func Weighted(weights []int, threshold int) (WeightedSystem, error) {
	w := WeightedSystem{Weights: weights, Threshold: threshold}
	if err := w.Validate(); err != nil {
		return WeightedSystem{}, err
	}
	w.Weights = append([]int(nil), weights...)
	return w, nil
}

// Validate checks what Weighted checks; Check and Count call it, so a
// WeightedSystem written as a literal is held to the same rules.
func (w WeightedSystem) Validate() error {
	if len(w.Weights) < 1 || len(w.Weights) > MaxNodes {
		return fmt.Errorf("quorum: %d weights, allowed [1,%d]", len(w.Weights), MaxNodes)
	}
	total := 0
	for i, x := range w.Weights {
		if x < 0 || x > MaxWeight {
			return fmt.Errorf("quorum: weight of node %d is %d, allowed [0,%d]", i, x, MaxWeight)
		}
		total += x
	}
	if w.Threshold < 1 || w.Threshold > total {
		return fmt.Errorf("quorum: threshold %d not in [1,%d] (total weight)", w.Threshold, total)
	}
	return nil
}

// N implements System.
func (w WeightedSystem) N() int { return len(w.Weights) }

// Weight returns the votes held by s. Negative weights count as 0 and the
// sum stops at math.MaxInt rather than overflowing (only possible for a
// system that fails Validate).
func (w WeightedSystem) Weight(s Set) int {
	t := 0
	for _, i := range s.Members() {
		if i < len(w.Weights) && w.Weights[i] > 0 {
			if w.Weights[i] > math.MaxInt-t {
				return math.MaxInt
			}
			t += w.Weights[i]
		}
	}
	return t
}

// Total returns the votes of all nodes.
func (w WeightedSystem) Total() int { return w.Weight(Full(len(w.Weights))) }

// IsQuorum implements System.
func (w WeightedSystem) IsQuorum(s Set) bool { return w.Weight(s) >= w.Threshold }

// Intersecting is the closed-form rule: any two quorums share a node iff
// 2·Threshold > Total (two disjoint sets cannot both hold more than half
// the votes; conversely, if 2·Threshold ≤ Total, some split of the nodes
// may give both sides Threshold votes, so this rule is sufficient but not
// always necessary — Check gives the exact answer).
//
// A system that fails Validate is never reported as intersecting.
func (w WeightedSystem) Intersecting() bool {
	return w.Validate() == nil && 2*w.Threshold > w.Total()
}

func (w WeightedSystem) String() string {
	return fmt.Sprintf("weighted(%v, threshold %d of %d)", w.Weights, w.Threshold, w.Total())
}

// ReadWrite is a read/write quorum configuration: reads ask R replicas,
// writes W of N.
type ReadWrite struct{ N, R, W int }

// NewReadWrite validates and returns a read/write configuration.
func NewReadWrite(n, r, w int) (ReadWrite, error) {
	if n < 1 || n > MaxNodes {
		return ReadWrite{}, fmt.Errorf("quorum: %d replicas, allowed [1,%d]", n, MaxNodes)
	}
	if r < 1 || r > n {
		return ReadWrite{}, fmt.Errorf("quorum: read quorum R=%d not in [1,%d]", r, n)
	}
	if w < 1 || w > n {
		return ReadWrite{}, fmt.Errorf("quorum: write quorum W=%d not in [1,%d]", w, n)
	}
	return ReadWrite{n, r, w}, nil
}

// Read returns the read quorums (any R of N).
func (q ReadWrite) Read() System { return anyK{q.N, q.R} }

// Write returns the write quorums (any W of N).
func (q ReadWrite) Write() System { return anyK{q.N, q.W} }

// ReadsSeeWrites is the closed-form rule R + W > N: every read quorum
// meets every write quorum, so a read sees the latest write.
func (q ReadWrite) ReadsSeeWrites() bool { return q.R+q.W > q.N }

// WritesConflict is the rule 2W > N: two writes always meet, so they can be ordered.
func (q ReadWrite) WritesConflict() bool { return 2*q.W > q.N }

func (q ReadWrite) String() string { return fmt.Sprintf("N=%d R=%d W=%d", q.N, q.R, q.W) }
