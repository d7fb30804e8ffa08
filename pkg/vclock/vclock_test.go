package vclock

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareTable(t *testing.T) {
	tests := []struct {
		a, b VC
		want Order
	}{
		{VC{0, 0}, VC{0, 0}, Equal},
		{VC{1, 0}, VC{1, 0}, Equal},
		{VC{1, 0}, VC{1, 1}, Before},
		{VC{1, 2}, VC{1, 1}, After},
		{VC{1, 0}, VC{0, 1}, Concurrent},
		{VC{2, 0, 2, 0}, VC{0, 1, 0, 1}, Concurrent}, // E4 and E6 of the notes
		{VC{1}, VC{1, 0}, Equal},                     // missing entries are 0
		{VC{1}, VC{1, 3}, Before},
		{VC{1, 3}, VC{1}, After},
		{VC{2}, VC{1, 3}, Concurrent},
		{nil, nil, Equal},
		{nil, VC{0, 0, 1}, Before},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Compare(tt.a, tt.b), "Compare(%v, %v)", tt.a, tt.b)
	}
}

// leq is the textbook definition, the oracle for Compare.
func leq(a, b VC) bool {
	for i := range max(len(a), len(b)) {
		var x, y uint64
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x > y {
			return false
		}
	}
	return true
}

func randVC(rng *rand.Rand, n int) VC {
	v := make(VC, n)
	for i := range v {
		v[i] = uint64(rng.IntN(3))
	}
	return v
}

func TestCompareAgreesWithDefinition(t *testing.T) {
	const seed = 42
	rng := rand.New(rand.NewPCG(seed, 1))
	for range 5000 {
		a, b := randVC(rng, rng.IntN(5)), randVC(rng, rng.IntN(5))
		var want Order
		switch ab, ba := leq(a, b), leq(b, a); {
		case ab && ba:
			want = Equal
		case ab:
			want = Before
		case ba:
			want = After
		default:
			want = Concurrent
		}
		require.Equal(t, want, Compare(a, b), "seed %d: Compare(%v, %v)", seed, a, b)
		require.Equal(t, want == Before, Less(a, b), "seed %d: Less(%v, %v)", seed, a, b)
	}
}

func TestMergeIsLeastUpperBound(t *testing.T) {
	const seed = 7
	rng := rand.New(rand.NewPCG(seed, 2))
	for range 2000 {
		a, b, c := randVC(rng, rng.IntN(5)), randVC(rng, rng.IntN(5)), randVC(rng, rng.IntN(5))
		ab := Merge(a.Clone(), b)
		require.True(t, leq(a, ab) && leq(b, ab), "seed %d: %v ∨ %v = %v is not an upper bound", seed, a, b, ab)
		if leq(a, c) && leq(b, c) {
			require.True(t, leq(ab, c), "seed %d: %v is an upper bound of %v, %v but not above their merge %v", seed, c, a, b, ab)
		}
		require.Equal(t, Equal, Compare(ab, Merge(b.Clone(), a)), "seed %d: merge not commutative", seed)
		require.Equal(t, Equal, Compare(Merge(ab.Clone(), c), Merge(a.Clone(), Merge(b.Clone(), c))), "seed %d: merge not associative", seed)
		require.Equal(t, Equal, Compare(Merge(a.Clone(), a), a), "seed %d: merge not idempotent", seed)
	}
}

func TestMergeGrowsAndKeepsInputs(t *testing.T) {
	src := VC{1, 5, 2}
	got := Merge(VC{3}, src)
	assert.Equal(t, VC{3, 5, 2}, got)
	assert.Equal(t, VC{1, 5, 2}, src, "Merge must not modify src")
}

func TestParse(t *testing.T) {
	good := []struct {
		in   string
		want VC
	}{
		{"[1,0,2]", VC{1, 0, 2}},
		{" [ 1 , 0 , 2 ] ", VC{1, 0, 2}},
		{"[0]", VC{0}},
		{"[18446744073709551615]", VC{18446744073709551615}},
	}
	for _, tt := range good {
		got, err := Parse(tt.in)
		require.NoError(t, err, "Parse(%q)", tt.in)
		assert.Equal(t, tt.want, got, "Parse(%q)", tt.in)
	}
	bad := []string{"", "[]", "[ ]", "1,0,2", "[1,0,2", "[1,,2]", "[-1]", "[+1]", "[1.5]", "[a]",
		"[18446744073709551616]", "[1,0,2]x"}
	for _, in := range bad {
		_, err := Parse(in)
		assert.Error(t, err, "Parse(%q) should fail", in)
		if err != nil {
			assert.Contains(t, err.Error(), "vclock: ")
		}
	}
}

func TestStringAndLabelled(t *testing.T) {
	v := VC{1, 0, 2}
	assert.Equal(t, "[1,0,2]", v.String())
	assert.Equal(t, "[A(1), B(0), 2(2)]", v.Labelled([]string{"A", "B"}))
	assert.Equal(t, "Concurrent", Concurrent.String())
	assert.Equal(t, "Order(9)", Order(9).String())
}

func TestNewValidates(t *testing.T) {
	for _, n := range []int{0, -1, MaxNodes + 1} {
		_, err := New(n)
		assert.Error(t, err, "New(%d)", n)
	}
	v, err := New(3)
	require.NoError(t, err)
	assert.Equal(t, VC{0, 0, 0}, v)
	_, err = NewClock(3, 3)
	assert.ErrorContains(t, err, "node index 3 not in [0,3)")
	_, err = NewClock(3, -1)
	assert.Error(t, err)
}

func TestClockRules(t *testing.T) {
	a, err := NewClock(3, 0)
	require.NoError(t, err)
	b, err := NewClock(3, 1)
	require.NoError(t, err)
	assert.Equal(t, VC{1, 0, 0}, a.Local())
	msg := a.Send()
	assert.Equal(t, VC{2, 0, 0}, msg)
	assert.Equal(t, VC{0, 1, 0}, b.Local())
	got, err := b.Receive(msg)
	require.NoError(t, err)
	assert.Equal(t, VC{2, 2, 0}, got, "merge then count the receipt")
	assert.Equal(t, Before, Compare(msg, got))
	msg[0] = 99 // the returned vector is a copy
	assert.Equal(t, VC{2, 0, 0}, a.Now())
	_, err = b.Receive(VC{1, 1, 1, 1})
	assert.ErrorContains(t, err, "4 entries")
	assert.Equal(t, 1, b.Self())
}

func TestBinaryRoundTrip(t *testing.T) {
	for _, v := range []VC{{}, {0}, {1, 0, 2}, {300, 1 << 40, 0, 18446744073709551615}} {
		b, err := v.MarshalBinary()
		require.NoError(t, err)
		assert.Len(t, b, v.EncodedSize())
		var w VC
		require.NoError(t, w.UnmarshalBinary(b))
		assert.Equal(t, Equal, Compare(v, w))
		assert.Len(t, w, len(v))
	}
	// Sizes worked out by hand: count byte + one byte per entry < 128,
	// two bytes for 300.
	assert.Equal(t, 4, VC{1, 0, 2}.EncodedSize())
	assert.Equal(t, 3, VC{300}.EncodedSize())
	var w VC
	assert.Error(t, w.UnmarshalBinary(nil))
	assert.Error(t, w.UnmarshalBinary([]byte{3, 1, 2}))                // truncated
	assert.Error(t, w.UnmarshalBinary([]byte{1, 1, 2}))                // trailing
	assert.Error(t, w.UnmarshalBinary([]byte{1, 0x80}))                // bad entry
	assert.Error(t, w.UnmarshalBinary([]byte{0xff, 0xff, 0xff, 0x7f})) // too many
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"[1,0,2]", "[]", "[0]", " [ 3 ,4] ", "[-1]", "[1,,2]", "[18446744073709551616]", "["} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			return
		}
		if len(v) == 0 || len(v) > MaxNodes {
			t.Fatalf("Parse(%q) = %v: length out of range", s, v)
		}
		w, err := Parse(v.String())
		if err != nil || Compare(v, w) != Equal || len(w) != len(v) {
			t.Fatalf("round trip of %q: %v -> %q -> %v, %v", s, v, v.String(), w, err)
		}
	})
}

func FuzzUnmarshalBinary(f *testing.F) {
	f.Add([]byte{3, 1, 0, 2})
	f.Add([]byte{0})
	f.Add([]byte{1, 0xac, 0x02})
	f.Add([]byte{0xff, 0xff, 0xff, 0x7f})
	f.Fuzz(func(t *testing.T, data []byte) {
		var v VC
		if err := v.UnmarshalBinary(data); err != nil {
			return
		}
		b, _ := v.MarshalBinary()
		var w VC
		if err := w.UnmarshalBinary(b); err != nil || Compare(v, w) != Equal || len(v) != len(w) {
			t.Fatalf("round trip of %x: %v -> %x -> %v, %v", data, v, b, w, err)
		}
	})
}

func FuzzNewClock(f *testing.F) {
	f.Add(3, 0)
	f.Add(0, 0)
	f.Add(-1, 5)
	f.Add(MaxNodes+1, 0)
	f.Fuzz(func(t *testing.T, n, self int) {
		c, err := NewClock(n, self)
		if err != nil {
			return
		}
		if n < 1 || n > MaxNodes || self < 0 || self >= n {
			t.Fatalf("NewClock(%d, %d) accepted", n, self)
		}
		if got := c.Local(); got[self] != 1 || len(got) != n {
			t.Fatalf("NewClock(%d, %d).Local() = %v", n, self, got)
		}
	})
}

// Compare and Merge (into a vector of the right size) allocate nothing.
func TestCompareAndMergeDoNotAllocate(t *testing.T) {
	a, b := VC{1, 2, 3, 4}, VC{4, 3, 2, 1}
	var o Order
	if n := testing.AllocsPerRun(100, func() { o = Compare(a, b) }); n != 0 {
		t.Errorf("Compare allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { a = Merge(a, b) }); n != 0 {
		t.Errorf("Merge allocates %v times", n)
	}
	assert.Equal(t, Concurrent, o)
}

func TestOrderJSON(t *testing.T) {
	for _, o := range []Order{Equal, Before, After, Concurrent} {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != `"`+o.String()+`"` {
			t.Fatalf("%v marshals as %s", o, b)
		}
		var back Order
		if err := json.Unmarshal(b, &back); err != nil || back != o {
			t.Fatalf("%s unmarshals as %v, %v", b, back, err)
		}
	}
	var o Order
	if err := json.Unmarshal([]byte(`"Sideways"`), &o); err == nil {
		t.Fatal("an unknown order was accepted")
	}
	if _, err := json.Marshal(Order(9)); err == nil {
		t.Fatal("Order(9) was marshalled")
	}
}
