package twogenerals

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pat(s string) Pattern {
	var p Pattern
	p.Len = len(s)
	for i, c := range s {
		if c == '1' {
			p.Bits |= 1 << uint(i)
		}
	}
	return p
}

func TestPattern(t *testing.T) {
	p := pat("1101")
	assert.Equal(t, "1101", p.String())
	assert.Equal(t, 3, p.LastDelivered())
	assert.Equal(t, "1100", p.Without(3).String())
	assert.Equal(t, -1, pat("000").LastDelivered())
}

// Views worked out by hand for two messages (0: A→B order, 1: B→A ack).
func TestViewOfByHand(t *testing.T) {
	tests := []struct {
		p      string
		va, vb View
	}{
		{"11", "(())", "()"}, // ack arrived, and it says the order arrived
		{"10", "x", "()"},
		{"01", "(x)", "x"}, // ack arrived, but it says "I got nothing"
		{"00", "x", "x"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.va, ViewOf(A, pat(tc.p), 2), tc.p)
		assert.Equal(t, tc.vb, ViewOf(B, pat(tc.p), 2), tc.p)
	}
	assert.Equal(t, 1, View("(())").Received())
	assert.Equal(t, 2, View("()x(())").Received())
}

// The careful ack chain with k messages disagrees on exactly one pattern:
// everything arrives except the last message (derived by hand: the sender
// of the last message has the full view iff messages 0..k-2 arrived, the
// receiver iff all k did).
func TestChainDisagreesOnlyWhenLastLost(t *testing.T) {
	for k := 1; k <= 8; k++ {
		an, err := Analyse(Chain(k))
		require.NoError(t, err)
		require.True(t, an.Valid(), "k=%d", k)
		want := strings.Repeat("1", k-1) + "0"
		require.Len(t, an.Disagreements, 1, "k=%d", k)
		assert.Equal(t, want, an.Disagreements[0].String(), "k=%d", k)
		assert.Equal(t, 1, an.FirstSplit, "k=%d: the very first drop already splits", k)
		assert.Len(t, an.Results, 1<<k)
	}
}

func TestThresholdByHand(t *testing.T) {
	// A attacks on any ack, B on the order: "10" (ack lost) and "01" (order
	// lost, ack still sent and delivered) both split them.
	an, err := Analyse(Threshold(2, 1, 1))
	require.NoError(t, err)
	var got []string
	for _, p := range an.Disagreements {
		got = append(got, p.String())
	}
	assert.ElementsMatch(t, []string{"10", "01"}, got)
}

// A protocol that never attacks never disagrees: the impossibility result
// is about protocols that are valid (nontrivial and informed).
func TestTrivialProtocolIsNotValid(t *testing.T) {
	never := func(View) Decision { return Retreat }
	an, err := Analyse(Bounded{Name: "never", Messages: 3, DecideA: never, DecideB: never})
	require.NoError(t, err)
	assert.False(t, an.Valid())
	assert.Empty(t, an.Disagreements)
	assert.Equal(t, -1, an.FirstSplit)
}

// Dropping the last delivered message never changes what its sender saw:
// over every pattern, not only the chain.
func TestDroppingLastMessageKeepsSenderView(t *testing.T) {
	for k := 1; k <= 8; k++ {
		for bits := uint32(1); bits < 1<<uint(k); bits++ {
			p := Pattern{bits, k}
			i := p.LastDelivered()
			s := SenderOf(i)
			assert.Equal(t, ViewOf(s, p, k), ViewOf(s, p.Without(i), k), "k=%d pattern %s", k, p)
			assert.NotEqual(t, ViewOf(s.Other(), p, k), ViewOf(s.Other(), p.Without(i), k), "receiver notices, k=%d %s", k, p)
		}
	}
}

// The number of valid protocols follows from the number of views: all
// decision tables, minus the entries fixed by validity (A's full view,
// B's full view and B's empty view).
func TestEveryRuleCount(t *testing.T) {
	for k := 1; k <= 3; k++ {
		va, vb := len(mustViews(t, A, k)), len(mustViews(t, B, k))
		fixedA := 1
		fixedB := 2
		want := 1 << uint(va-fixedA+vb-fixedB)
		n := 0
		require.NoError(t, EveryRule(k, func(Bounded) bool { n++; return true }))
		assert.Equal(t, want, n, "k=%d", k)
	}
	// k=1: A has one view, B two ("x", "()"); k=2: A has three.
	assert.Equal(t, []View{""}, mustViews(t, A, 1))
	assert.Equal(t, []View{"()", "x"}, mustViews(t, B, 1))
	assert.Len(t, mustViews(t, A, 2), 3)
}

func mustViews(t *testing.T, g General, k int) []View {
	t.Helper()
	vs, err := Views(g, k)
	require.NoError(t, err)
	return vs
}

// The impossibility result, checked exhaustively: every valid deterministic
// protocol with up to 4 messages has a loss pattern on which the generals
// disagree, and the "drop the last message" chain finds one.
func TestEveryValidProtocolCanDisagree(t *testing.T) {
	maxK := 4
	if testing.Short() {
		maxK = 3
	}
	for k := 1; k <= maxK; k++ {
		count := 0
		err := EveryRule(k, func(b Bounded) bool {
			count++
			an, err := Analyse(b)
			require.NoError(t, err)
			require.True(t, an.Valid())
			if len(an.Disagreements) == 0 || an.FirstSplit < 0 {
				t.Fatalf("%s never disagrees", b.Name)
			}
			for _, l := range an.Chain[1:] {
				if !l.SenderViewSame {
					t.Fatalf("%s: dropping message %d changed its sender's view", b.Name, l.Dropped)
				}
			}
			return true
		})
		require.NoError(t, err)
		t.Logf("k=%d: %d valid protocols, all can disagree", k, count)
	}
}

func TestBoundedValidation(t *testing.T) {
	f := func(View) Decision { return Attack }
	for _, b := range []Bounded{
		{Name: "zero", Messages: 0, DecideA: f, DecideB: f},
		{Name: "big", Messages: MaxBoundedMessages + 1, DecideA: f, DecideB: f},
		{Name: "nil", Messages: 2, DecideA: f},
	} {
		_, err := Analyse(b)
		require.Error(t, err, b.Name)
		assert.True(t, strings.HasPrefix(err.Error(), "twogenerals: "))
	}
	assert.Error(t, EveryRule(0, func(Bounded) bool { return true }))
	assert.Error(t, EveryRule(6, func(Bounded) bool { return true }), "too many views")
}

func ExampleAnalyse() {
	an, _ := Analyse(Chain(3))
	for _, l := range an.Chain {
		fmt.Println(l)
	}
	fmt.Println("disagree on:", an.Disagreements)
	// Output:
	// 111 all delivered            A=Attack B=Attack
	// 110 drop msg 2 (from A, view same: true) A=Attack B=Retreat
	// 100 drop msg 1 (from B, view same: true) A=Retreat B=Retreat
	// 000 drop msg 0 (from A, view same: true) A=Retreat B=Retreat
	// disagree on: [110]
}
