package quorum

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/dslessons/course/pkg/internal/probe"
)

// sized is a hand-written system with any N.
type sized struct{ n int }

func (s sized) N() int              { return s.n }
func (s sized) IsQuorum(q Set) bool { return q.Len() > 0 }

// broken panics when asked about a set.
type broken struct{}

func (broken) N() int            { return 3 }
func (broken) IsQuorum(Set) bool { panic("not implemented") }

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "quorum: " or the correct answer.
func TestBadInputsProbe(t *testing.T) {
	big := math.MaxInt/2 + 1
	probe.Run(t, "quorum", []probe.Case{
		{"Check with N() = -1", func() error { _, err := Check(sized{-1}, sized{-1}); return err }, "N() = -1 nodes, allowed [1,64]"},
		{"Check with N() = 0", func() error { _, err := Check(sized{0}, sized{0}); return err }, "N() = 0 nodes"},
		{"Count with N() = -1", func() error { _, err := Count(sized{-1}, nil); return err }, "N() = -1 nodes"},
		{"Count with N() = 100: voter 70", func() error { _, err := Count(sized{100}, []Ballot{{70, 1}}); return err }, "N() = 100 nodes, allowed [1,64]"},
		{"Weighted with an overflowing total", func() error { _, err := Weighted([]int{big, big}, big); return err }, "weight of node 0 is 4611686018427387904, allowed [0,1099511627776]"},
		{"a hand-built overflowing WeightedSystem", func() error {
			_, err := Check(WeightedSystem{Weights: []int{big, big}, Threshold: big}, WeightedSystem{Weights: []int{big, big}, Threshold: big})
			return err
		}, "allowed [0,1099511627776]"},
		{"a hand-built WeightedSystem with a negative weight", func() error {
			_, err := Count(WeightedSystem{Weights: []int{3, -2}, Threshold: 1}, nil)
			return err
		}, "weight of node 1 is -2"},
		{"the largest weights still add up", func() error {
			ws := make([]int, MaxNodes)
			for i := range ws {
				ws[i] = MaxWeight
			}
			w, err := Weighted(ws, MaxWeight*MaxNodes/2+1)
			if err == nil {
				assert.Equal(t, MaxWeight*MaxNodes, w.Total())
				assert.True(t, w.Intersecting())
			}
			return err
		}, ""},
		{"a system that panics", func() error { _, err := Check(broken{}, broken{}); return err }, "a method of system quorum.broken panicked: not implemented"},
		{"Count with a system that panics", func() error { _, err := Count(broken{}, []Ballot{{0, 1}}); return err }, "quorum.broken panicked"},
		{"Check with a nil pointer system", func() error { _, err := Check((*WeightedSystem)(nil), sized{3}); return err }, "needs two systems"},
	})
}

// The weighted overflow of the probe: two disjoint halves whose votes,
// added in int, wrapped around. Check must not call them intersecting.
func TestWeightedSaturates(t *testing.T) {
	big := math.MaxInt/2 + 1
	w := WeightedSystem{Weights: []int{big, big}, Threshold: big}
	assert.Equal(t, math.MaxInt, w.Total(), "the sum saturates")
	assert.True(t, w.IsQuorum(SetOf(0)))
	assert.True(t, w.IsQuorum(SetOf(1)), "{0} and {1} are disjoint quorums")
	assert.False(t, w.Intersecting())
}

// FuzzSystems: random weighted, any-k and read/write systems are checked
// against the closed-form rules, and Count never reports a conflict for
// intersecting quorums.
func FuzzSystems(f *testing.F) {
	f.Add(uint8(0), uint64(0x0301), 2, 3, 3, []byte{0, 1, 1, 1})
	f.Add(uint8(1), uint64(0), 5, 2, 2, []byte{9, 9})
	f.Add(uint8(2), uint64(math.MaxUint64), -1, 70, 0, []byte{})
	f.Fuzz(func(t *testing.T, kind uint8, packed uint64, n, r, w int, votes []byte) {
		var sys System
		var rule bool
		switch kind % 3 {
		case 0:
			ws := make([]int, 0, 8)
			for i := range 8 {
				ws = append(ws, int(packed>>(8*i)&0xff))
			}
			ws = ws[:max(1, n%9)]
			s, err := Weighted(ws, r)
			if err != nil {
				return
			}
			sys, rule = s, s.Intersecting()
		case 1:
			s, err := AnyK(n, r)
			if err != nil {
				return
			}
			sys, rule = s, 2*r > n
		case 2:
			rw, err := NewReadWrite(n, r, w)
			if err != nil {
				return
			}
			sys, rule = rw.Write(), rw.WritesConflict()
		}
		got, err := Check(sys, sys)
		if err != nil {
			if sys.N() <= MaxExhaustive {
				t.Fatalf("Check(%v): %v", sys, err)
			}
			return
		}
		if rule && !got.OK {
			t.Fatalf("%v: rule says intersecting, Check found %v", sys, got)
		}
		if _, ok := sys.(WeightedSystem); !ok && rule != got.OK {
			t.Fatalf("%v: rule %v, Check %v", sys, rule, got)
		}
		var bs []Ballot
		for i := 0; i+1 < len(votes); i += 2 {
			bs = append(bs, Ballot{int(votes[i]) % max(1, sys.N()), int(votes[i+1] % 4)})
		}
		tl, err := Count(sys, bs)
		if err != nil {
			return // voted twice
		}
		if got.OK && tl.Outcome == Conflict {
			t.Fatalf("%v: intersecting quorums, yet %v", sys, tl)
		}
	})
}
