package byzantine

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/internal/probe"
)

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error, "" for no error
	}{
		{"one general", Config{N: 1, M: 0}, "at least 2"},
		{"negative m", Config{N: 4, M: -1}, "m=-1"},
		{"commander too big", Config{N: 4, M: 1, Commander: 4}, "commander 4"},
		{"commander negative", Config{N: 4, M: 1, Commander: -1}, "commander -1"},
		{"traitor out of range", Config{N: 4, M: 1, Traitors: []int{7}, Strategy: Liar{}}, "traitor 7"},
		{"traitor negative", Config{N: 4, M: 1, Traitors: []int{-1}, Strategy: Liar{}}, "traitor -1"},
		{"duplicate traitor", Config{N: 4, M: 1, Traitors: []int{1, 1}, Strategy: Liar{}}, "twice"},
		{"no strategy", Config{N: 4, M: 1, Traitors: []int{1}}, "no Strategy"},
		{"bad order", Config{N: 4, M: 1, Order: 5}, "order 5"},
		{"n <= 3m is allowed", Config{N: 3, M: 1, Traitors: []int{2}, Strategy: Liar{}}, ""},
		{"more traitors than m is allowed", Config{N: 4, M: 1, Traitors: []int{1, 2}, Strategy: Liar{}}, ""},
		{"two generals", Config{N: 2, M: 0}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, alg := range []Algorithm{OralMessages, SignedMessages} {
				_, err := alg.Run(tc.cfg)
				probe.Err(t, err, "byzantine", tc.want)
			}
		})
	}
}

// messageCountRecursive follows the structure of the algorithm: the
// commander sends n-1 messages, then each of the n-1 lieutenants runs
// OM(m-1) among n-1 generals.
func messageCountRecursive(n, m int) int {
	if n < 2 {
		return 0
	}
	if m == 0 {
		return n - 1
	}
	return (n - 1) + (n-1)*messageCountRecursive(n-1, m-1)
}

func TestMessageCount(t *testing.T) {
	// Values from the problem statement and by hand.
	assert.Equal(t, 9, MessageCount(4, 1))
	assert.Equal(t, 156, MessageCount(7, 2))
	assert.Equal(t, 12+132+1320+11880+95040, MessageCount(13, 4))
	for n := 2; n <= 9; n++ {
		for m := 0; m <= 4; m++ {
			want := messageCountRecursive(n, m)
			require.Equal(t, want, MessageCount(n, m), "n=%d m=%d", n, m)
			res, err := OM(Config{N: n, M: m, Order: Attack, Trace: true})
			require.NoError(t, err)
			assert.Equal(t, want, res.Slots, "n=%d m=%d", n, m)
			assert.Equal(t, want, res.Messages, "no traitors: every slot is a message sent")
			assert.Len(t, res.Trace, want)
		}
	}
	res, err := OM(Config{N: 13, M: 4, Order: Retreat})
	require.NoError(t, err)
	assert.Equal(t, 108384, res.Messages)
	assert.Greater(t, res.Messages, 100_000)
}

// Scenarios from the paper, worked out by hand.
func TestOMByHand(t *testing.T) {
	// n=3, m=1, loyal commander orders Attack, lieutenant 2 lies: lieutenant 1
	// holds Attack (from 0) and Retreat (relayed by 2): a tie, so Retreat.
	res, err := OM(Config{N: 3, M: 1, Order: Attack, Traitors: []int{2}, Strategy: Liar{}})
	require.NoError(t, err)
	assert.Equal(t, Violation, res.Verdict)
	assert.False(t, res.IC2)
	assert.Equal(t, Retreat, res.Decisions[1])

	// n=4, m=1, loyal commander orders Attack, lieutenant 3 lies: 1 and 2
	// each hold (Attack, Attack, Retreat) → Attack.
	res, err = OM(Config{N: 4, M: 1, Order: Attack, Traitors: []int{3}, Strategy: Liar{}})
	require.NoError(t, err)
	assert.Equal(t, Agreement, res.Verdict, res.String())
	assert.Equal(t, Attack, res.Decisions[1])
	assert.Equal(t, Attack, res.Decisions[2])

	// n=4, m=1, two-faced commander: 2 gets Attack, 1 and 3 get Retreat.
	// Everyone relays honestly, so all hold {Retreat, Attack, Retreat} → Retreat.
	res, err = OM(Config{N: 4, M: 1, Order: Attack, Traitors: []int{0}, Strategy: TwoFaced{}})
	require.NoError(t, err)
	assert.Equal(t, Agreement, res.Verdict)
	assert.True(t, res.IC2, "IC2 holds vacuously with a traitor commander")
	for _, l := range []int{1, 2, 3} {
		assert.Equal(t, Retreat, res.Decisions[l], "lieutenant %d", l)
	}

	// Silent commander: everyone uses the default.
	res, err = OM(Config{N: 5, M: 1, Order: Attack, Traitors: []int{0}, Strategy: Silent{}})
	require.NoError(t, err)
	assert.Equal(t, Agreement, res.Verdict)
	assert.Equal(t, Retreat, res.Decisions[4])
	assert.Equal(t, MessageCount(5, 1)-4, res.Messages, "the commander's 4 orders were never sent")
	assert.Equal(t, MessageCount(5, 1), res.Slots)
}

func strategies(seed uint64) []Strategy {
	return []Strategy{Silent{}, Liar{}, TwoFaced{}, mustRandom(seed, 0), mustRandom(seed+1, 0.3)}
}

// OM(m) reaches agreement whenever n > 3m, whatever the traitors do:
// every placement of up to m traitors (every commander position for small
// n), every strategy, several seeds.
func TestOMAgreementWhenNGreaterThan3M(t *testing.T) {
	seed := uint64(1982)
	rng := rand.New(rand.NewPCG(seed, 1))
	for m := 0; m <= 2; m++ {
		for n := max(2, 3*m+1); n <= 3*m+3; n++ {
			for k := 0; k <= m; k++ {
				for _, traitors := range combinations(n, k) {
					commander := rng.IntN(n)
					for _, order := range []Value{Attack, Retreat} {
						for si, st := range strategies(seed) {
							cfg := Config{N: n, M: m, Commander: commander, Order: order, Traitors: traitors, Strategy: st}
							res, err := OM(cfg)
							require.NoError(t, err)
							if res.Verdict != Agreement {
								t.Fatalf("seed=%d n=%d m=%d commander=%d traitors=%v strategy #%d: %s", seed, n, m, commander, traitors, si, res)
							}
						}
						seed++
					}
				}
			}
		}
	}
	// m = 3, n = 10: random placements.
	for range 20 {
		n, m := 10, 3
		perm := rng.Perm(n)
		for si, st := range strategies(seed) {
			cfg := Config{N: n, M: m, Commander: perm[0], Order: Value(rng.IntN(2)), Traitors: perm[1 : 1+m], Strategy: st}
			res, err := OM(cfg)
			require.NoError(t, err)
			require.Equal(t, Agreement, res.Verdict, "seed=%d traitors=%v strategy #%d: %s", seed, cfg.Traitors, si, res)
		}
		seed++
	}
}

// The adversary that beats n = 3m: exhaustive search over every traitor
// behaviour finds one for n = 3, m = 1, and none exists for n = 4, m = 1.
func TestSearchOM(t *testing.T) {
	sr, err := Search(OralMessages, 3, 1, 0, 0)
	require.NoError(t, err)
	require.True(t, sr.Found, sr.String())
	// Replaying the counterexample gives the same violation.
	res, err := OM(Config{N: 3, M: 1, Order: sr.Order, Traitors: sr.Traitors, Strategy: sr.Script()})
	require.NoError(t, err)
	assert.Equal(t, Violation, res.Verdict)
	assert.Equal(t, sr.Result.Decisions, res.Decisions)
	assert.NotEmpty(t, sr.Result.Trace)

	// n=4, m=1: a traitor commander sends 3 messages (3^3 = 27 behaviours),
	// a traitor lieutenant relays 2 (3^2 = 9), for each of 3 lieutenants;
	// times 2 orders: 2·(27 + 3·9) = 108 runs, none violating.
	sr, err = Search(OralMessages, 4, 1, 0, 0)
	require.NoError(t, err)
	assert.False(t, sr.Found, sr.String())
	assert.True(t, sr.Exhausted)
	assert.Equal(t, 108, sr.Runs)

	// The limit stops the search.
	sr, err = Search(OralMessages, 4, 1, 0, 10)
	require.NoError(t, err)
	assert.False(t, sr.Exhausted)
	assert.Equal(t, 10, sr.Runs)
}

func TestTraceStructure(t *testing.T) {
	res, err := OM(Config{N: 4, M: 1, Order: Attack, Traitors: []int{3}, Strategy: Liar{}, Trace: true})
	require.NoError(t, err)
	require.Len(t, res.Trace, 9)
	assert.Equal(t, []int{3, 6}, LevelCounts(res.Trace))
	for _, h := range res.Trace {
		assert.Equal(t, h.Path[len(h.Path)-1], h.From)
		assert.Equal(t, 0, h.Path[0])
		assert.Equal(t, h.From == 3, h.Traitor)
		if h.Traitor {
			assert.Equal(t, Retreat, h.Value, "the liar turns Attack into Retreat")
		}
	}
	var b strings.Builder
	require.NoError(t, WriteTable(&b, res.Trace))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	assert.Len(t, lines, 11, "header, rule, one line per message")
	assert.Contains(t, lines[0], "level")
	assert.True(t, strings.HasPrefix(lines[1], "-----  ----"), lines[1])
}

func TestRandomStrategyDeterministic(t *testing.T) {
	run := func(seed uint64) Result {
		res, err := OM(Config{N: 7, M: 2, Order: Attack, Traitors: []int{0, 3}, Strategy: mustRandom(seed, 0.2), Trace: true})
		require.NoError(t, err)
		return res
	}
	assert.Equal(t, run(5), run(5))
	assert.NotEqual(t, run(5).Trace, run(6).Trace)
}

func FuzzOM(f *testing.F) {
	f.Add(4, 1, 0, 2, uint64(1))
	f.Add(3, 1, 0, 1, uint64(2))
	f.Add(1, -1, 5, 9, uint64(3))
	f.Fuzz(func(t *testing.T, n, m, commander, traitor int, seed uint64) {
		if n > 12 || m > 3 {
			return
		}
		cfg := Config{N: n, M: m, Commander: commander, Order: Attack, Traitors: []int{traitor}, Strategy: mustRandom(seed, 0.2)}
		res, err := OM(cfg)
		if err != nil {
			return
		}
		if n > 3*m && m >= 1 && res.Verdict != Agreement {
			t.Fatalf("seed=%d n=%d m=%d: %s", seed, n, m, res)
		}
	})
}

func BenchmarkOM_n13_m4(b *testing.B) {
	cfg := Config{N: 13, M: 4, Commander: 0, Order: Attack, Traitors: []int{1, 5, 8, 12}, Strategy: Liar{}}
	for b.Loop() {
		res, err := OM(cfg)
		if err != nil || res.Verdict != Agreement {
			b.Fatal(err, res)
		}
	}
}

func ExampleOM() {
	res, _ := OM(Config{N: 4, M: 1, Commander: 0, Order: Attack, Traitors: []int{3}, Strategy: Liar{}, Trace: true})
	fmt.Println(res)
	fmt.Println("messages:", res.Messages)
	// Output:
	// Agreement: loyal lieutenants [1 2] all decide Attack
	// messages: 9
}

// With three generals, a traitorous commander alone cannot split OM(1):
// every one of its 3^2 behaviours, for both orders, ends in agreement
// (whatever it sends, each lieutenant ends on a tie or on the value both
// hold). The danger is a traitorous lieutenant (TestSearchOM).
func TestOMThreeGeneralsTraitorCommanderHarmless(t *testing.T) {
	runs := 0
	for _, order := range []Value{Attack, Retreat} {
		for a := range numChoices {
			for b := range numChoices {
				res, err := OM(Config{N: 3, M: 1, Order: order, Traitors: []int{0}, Strategy: &Script{Choices: []Choice{a, b}}})
				require.NoError(t, err)
				assert.Equal(t, Agreement, res.Verdict, "order %v choices %v %v: %s", order, a, b, res)
				runs++
			}
		}
	}
	assert.Equal(t, 18, runs)
}

// mustRandom is NewRandom for probabilities known to be valid.
func mustRandom(seed uint64, silentProb float64) *Random {
	r, err := NewRandom(seed, silentProb)
	if err != nil {
		panic(err)
	}
	return r
}

// combinations returns every k-subset of 0..n-1 in lexicographic order.
func combinations(n, k int) [][]int {
	var out [][]int
	cur := make([]int, 0, k)
	var rec func(start int)
	rec = func(start int) {
		if len(cur) == k {
			out = append(out, append([]int(nil), cur...))
			return
		}
		for i := start; i < n; i++ {
			cur = append(cur, i)
			rec(i + 1)
			cur = cur[:len(cur)-1]
		}
	}
	rec(0)
	return out
}

func TestJudgeAgreesWithRuns(t *testing.T) {
	// Judge on a run's own decisions gives that run's verdict.
	for _, tr := range [][]int{nil, {1}, {0}, {2}} {
		for _, n := range []int{3, 4} {
			res, err := OM(Config{N: n, M: 1, Order: Attack, Traitors: tr, Strategy: Liar{}})
			require.NoError(t, err)
			j, err := Judge(res.Commander, res.Order, res.Decisions, res.Loyal)
			require.NoError(t, err)
			assert.Equal(t, res.Verdict, j.Verdict, "n=%d traitors %v", n, tr)
			assert.Equal(t, res.Reason, j.Reason)
			assert.Equal(t, res.IC1, j.IC1)
			assert.Equal(t, res.IC2, j.IC2)
		}
	}
	j, err := Judge(0, Attack, []Value{Attack, Attack, Retreat}, []bool{true, true, true})
	require.NoError(t, err)
	assert.Equal(t, Violation, j.Verdict)
	assert.False(t, j.IC1)
	assert.False(t, j.IC2)
	for _, bad := range []struct {
		cmd   int
		order Value
		d     []Value
		l     []bool
	}{
		{0, Attack, []Value{Attack}, []bool{true}},
		{0, Attack, []Value{Attack, Attack}, []bool{true}},
		{2, Attack, []Value{Attack, Attack}, []bool{true, true}},
		{0, Value(7), []Value{Attack, Attack}, []bool{true, true}},
		{0, Attack, []Value{Attack, Value(-1)}, []bool{true, true}},
	} {
		_, err := Judge(bad.cmd, bad.order, bad.d, bad.l)
		assert.Error(t, err, "%+v", bad)
	}
}
