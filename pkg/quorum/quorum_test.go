package quorum

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSet(t *testing.T) {
	s := SetOf(4, 0, 2, 99)
	assert.Equal(t, "{0,2,4}", s.String())
	assert.Equal(t, 3, s.Len())
	assert.True(t, s.Has(2))
	assert.False(t, s.Has(1))
	assert.Equal(t, []int{0, 2, 4}, s.Members())
	assert.Equal(t, Set(0b111), Full(3))
	assert.Equal(t, "{}", Set(0).String())
}

func TestValidation(t *testing.T) {
	errs := []error{}
	_, err := Majority(0)
	errs = append(errs, err)
	_, err = Majority(65)
	errs = append(errs, err)
	_, err = AnyK(5, 0)
	errs = append(errs, err)
	_, err = AnyK(5, 6)
	errs = append(errs, err)
	_, err = Weighted(nil, 1)
	errs = append(errs, err)
	_, err = Weighted([]int{1, -1}, 1)
	errs = append(errs, err)
	_, err = Weighted([]int{1, 1}, 3)
	errs = append(errs, err)
	_, err = Weighted([]int{1, 1}, 0)
	errs = append(errs, err)
	_, err = NewReadWrite(3, 0, 2)
	errs = append(errs, err)
	_, err = NewReadWrite(3, 2, 4)
	errs = append(errs, err)
	_, err = NewReadWrite(0, 1, 1)
	errs = append(errs, err)
	maj, _ := Majority(3)
	maj4, _ := Majority(4)
	_, err = Check(maj, maj4)
	errs = append(errs, err)
	big, _ := Majority(MaxExhaustive + 1)
	_, err = Check(big, big)
	errs = append(errs, err)
	_, err = Count(maj, []Ballot{{Voter: 3, Candidate: 0}})
	errs = append(errs, err)
	_, err = Count(maj, []Ballot{{Voter: 1, Candidate: 0}, {Voter: 1, Candidate: 2}})
	errs = append(errs, err)
	for i, err := range errs {
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "quorum: "), err.Error())
	}
}

// bruteIntersect is the oracle: every pair of subsets.
func bruteIntersect(a, b System) bool {
	full := Full(a.N())
	for x := Set(0); x <= full; x++ {
		if !a.IsQuorum(x) {
			continue
		}
		for y := Set(0); y <= full; y++ {
			if b.IsQuorum(y) && x&y == 0 {
				return false
			}
		}
	}
	return true
}

func checkAgainstOracle(t *testing.T, a, b System) Intersection {
	t.Helper()
	got, err := Check(a, b)
	require.NoError(t, err)
	require.Equal(t, bruteIntersect(a, b), got.OK, "%v / %v", a, b)
	if !got.OK {
		assert.True(t, a.IsQuorum(got.A) && b.IsQuorum(got.B), "counterexample must be quorums")
		assert.Zero(t, got.A&got.B, "counterexample must be disjoint")
		for _, i := range got.A.Members() {
			assert.False(t, a.IsQuorum(got.A&^SetOf(i)), "A not minimal")
		}
		for _, i := range got.B.Members() {
			assert.False(t, b.IsQuorum(got.B&^SetOf(i)), "B not minimal")
		}
	}
	return got
}

func TestClosedFormRulesMatchExhaustive(t *testing.T) {
	for n := 1; n <= 7; n++ {
		maj, err := Majority(n)
		require.NoError(t, err)
		assert.True(t, checkAgainstOracle(t, maj, maj).OK, "majorities always intersect, n=%d", n)
		for r := 1; r <= n; r++ {
			for w := 1; w <= n; w++ {
				rw, err := NewReadWrite(n, r, w)
				require.NoError(t, err)
				assert.Equal(t, rw.ReadsSeeWrites(), checkAgainstOracle(t, rw.Read(), rw.Write()).OK, "%v", rw)
				assert.Equal(t, rw.WritesConflict(), checkAgainstOracle(t, rw.Write(), rw.Write()).OK, "%v", rw)
			}
		}
	}
}

func TestWeightedAgainstExhaustive(t *testing.T) {
	seed := uint64(1979)
	rng := rand.New(rand.NewPCG(seed, 3))
	for range 300 {
		n := 1 + rng.IntN(6)
		ws := make([]int, n)
		total := 0
		for i := range ws {
			ws[i] = rng.IntN(5)
			total += ws[i]
		}
		if total == 0 {
			continue
		}
		th := 1 + rng.IntN(total)
		w, err := Weighted(ws, th)
		require.NoError(t, err)
		got := checkAgainstOracle(t, w, w)
		if w.Intersecting() {
			assert.True(t, got.OK, "seed=%d %v: 2t > total must guarantee intersection", seed, w)
		}
	}
	// With equal weights the rule is exact.
	for n := 1; n <= 6; n++ {
		for th := 1; th <= n; th++ {
			w, err := Weighted(slicesRepeat(1, n), th)
			require.NoError(t, err)
			got, err := Check(w, w)
			require.NoError(t, err)
			assert.Equal(t, w.Intersecting(), got.OK, "%v", w)
		}
	}
	// By hand: weights [3,1], threshold 2: 2t = total but only sets with
	// node 0 are quorums, so they all intersect.
	w, err := Weighted([]int{3, 1}, 2)
	require.NoError(t, err)
	assert.False(t, w.Intersecting())
	got, err := Check(w, w)
	require.NoError(t, err)
	assert.True(t, got.OK)
}

func slicesRepeat(v, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestCounterexampleByHand(t *testing.T) {
	rw, err := NewReadWrite(4, 2, 2)
	require.NoError(t, err)
	got, err := Check(rw.Read(), rw.Write())
	require.NoError(t, err)
	assert.False(t, got.OK)
	assert.Equal(t, SetOf(0, 1), got.A)
	assert.Equal(t, SetOf(2, 3), got.B)
	assert.Equal(t, "quorums {0,1} and {2,3} are disjoint", got.String())
}

func TestCountByHand(t *testing.T) {
	maj5, _ := Majority(5)
	b := func(pairs ...int) []Ballot {
		var out []Ballot
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, Ballot{pairs[i], pairs[i+1]})
		}
		return out
	}
	tests := []struct {
		name    string
		sys     System
		ballots []Ballot
		want    Outcome
		winners []int
	}{
		{"three of five", maj5, b(0, 1, 1, 1, 2, 1), Elected, []int{1}},
		{"two-two, one missing", maj5, b(0, 0, 1, 0, 2, 1, 3, 1), Pending, nil},
		{"two-two-one", maj5, b(0, 0, 1, 0, 2, 1, 3, 1, 4, 4), Split, nil},
		{"nobody voted", maj5, nil, Pending, nil},
		{"two votes, three missing: a new candidate could win", maj5, b(0, 0, 1, 1), Pending, nil},
	}
	any2of4, _ := AnyK(4, 2)
	tests = append(tests, struct {
		name    string
		sys     System
		ballots []Ballot
		want    Outcome
		winners []int
	}{"non-intersecting quorums: two leaders", any2of4, b(0, 0, 1, 0, 2, 2, 3, 2), Conflict, []int{0, 2}})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Count(tc.sys, tc.ballots)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Outcome, got.String())
			assert.Equal(t, tc.winners, got.Winners)
		})
	}
}

// With intersecting quorums Count never reports Conflict; with
// non-intersecting ones some ballot does.
func TestCountConflictOnlyWithoutIntersection(t *testing.T) {
	seed := uint64(2014)
	rng := rand.New(rand.NewPCG(seed, 4))
	for n := 2; n <= 7; n++ {
		for k := 1; k <= n; k++ {
			sys, err := AnyK(n, k)
			require.NoError(t, err)
			chk, err := Check(sys, sys)
			require.NoError(t, err)
			conflicts := 0
			for range 200 {
				var bs []Ballot
				for v := range n {
					if rng.IntN(4) > 0 {
						bs = append(bs, Ballot{v, rng.IntN(3)})
					}
				}
				tl, err := Count(sys, bs)
				require.NoError(t, err)
				if tl.Outcome == Conflict {
					conflicts++
				}
			}
			if chk.OK {
				assert.Zero(t, conflicts, "seed=%d %v", seed, sys)
			}
		}
	}
	// The counterexample itself, voted for two candidates, is a conflict.
	sys, _ := AnyK(6, 3)
	chk, _ := Check(sys, sys)
	var bs []Ballot
	for _, v := range chk.A.Members() {
		bs = append(bs, Ballot{v, 100})
	}
	for _, v := range chk.B.Members() {
		bs = append(bs, Ballot{v, 200})
	}
	tl, err := Count(sys, bs)
	require.NoError(t, err)
	assert.Equal(t, Conflict, tl.Outcome)
}

func FuzzWeighted(f *testing.F) {
	f.Add(uint64(0x0301), 2)
	f.Add(uint64(0), 0)
	f.Add(uint64(0xffffffff), 100)
	f.Fuzz(func(t *testing.T, packed uint64, th int) {
		var ws []int
		for i := 0; i < 6; i++ {
			ws = append(ws, int(packed>>(8*i)&0xf))
		}
		w, err := Weighted(ws, th)
		if err != nil {
			return
		}
		got, err := Check(w, w)
		if err != nil {
			t.Fatal(err)
		}
		if w.Intersecting() && !got.OK {
			t.Fatalf("%v: rule says intersecting, found %v", w, got)
		}
	})
}

func FuzzCount(f *testing.F) {
	f.Add([]byte{0, 1, 1, 1, 2, 1})
	f.Add([]byte{9, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		maj, _ := Majority(5)
		var bs []Ballot
		for i := 0; i+1 < len(data); i += 2 {
			bs = append(bs, Ballot{int(data[i]), int(data[i+1])})
		}
		tl, err := Count(maj, bs)
		if err != nil {
			return
		}
		if tl.Outcome == Conflict {
			t.Fatalf("majority quorums cannot conflict: %v", tl)
		}
	})
}

func BenchmarkCheckMajority15(b *testing.B) {
	maj, _ := Majority(15)
	for b.Loop() {
		_, _ = Check(maj, maj)
	}
}

func ExampleCheck() {
	rw, _ := NewReadWrite(5, 3, 3)
	r, _ := Check(rw.Read(), rw.Write())
	fmt.Println(rw, "R+W>N:", rw.ReadsSeeWrites(), "->", r.OK)
	rw, _ = NewReadWrite(5, 2, 2)
	r, _ = Check(rw.Read(), rw.Write())
	fmt.Println(rw, "R+W>N:", rw.ReadsSeeWrites(), "->", r)
	// Output:
	// N=5 R=3 W=3 R+W>N: true -> true
	// N=5 R=2 W=2 R+W>N: false -> quorums {0,1} and {2,3} are disjoint
}

func ExampleCount() {
	maj, _ := Majority(5)
	t, _ := Count(maj, []Ballot{{0, 0}, {1, 0}, {2, 3}, {3, 3}, {4, 4}})
	fmt.Println(t.Outcome)
	// Output: Split
}

func TestIntersectionString(t *testing.T) {
	assert.Equal(t, "every two quorums intersect (1 quorum checked)", Intersection{OK: true, Quorums: 1}.String())
	assert.Equal(t, "every two quorums intersect (3 quorums checked)", Intersection{OK: true, Quorums: 3}.String())
	assert.Equal(t, "quorums {0} and {1} are disjoint", Intersection{A: SetOf(0), B: SetOf(1)}.String())
}
