package byzantine

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With random traitors, n = 3m already fails for OM, and n = 3m+1 never does.
func TestOMRandomTraitorsThreshold(t *testing.T) {
	for m := 1; m <= 2; m++ {
		found := false
		for seed := uint64(0); seed < 200 && !found; seed++ {
			res, err := OM(Config{N: 3 * m, M: m, Order: Attack, Traitors: firstLieutenants(m), Strategy: mustRandom(seed, 0.3)})
			require.NoError(t, err)
			found = res.Verdict == Violation
		}
		assert.True(t, found, "m=%d n=%d: expected some random traitor behaviour to break OM", m, 3*m)
		for seed := uint64(0); seed < 300; seed++ {
			res, err := OM(Config{N: 3*m + 1, M: m, Order: Attack, Traitors: combinations(3*m+1, m)[seed%3], Strategy: mustRandom(seed, 0.3)})
			require.NoError(t, err)
			require.Equal(t, Agreement, res.Verdict, "seed=%d m=%d: %s", seed, m, res)
		}
	}
}

func firstLieutenants(m int) []int {
	ids := make([]int, m)
	for i := range ids {
		ids[i] = i + 1
	}
	return ids
}

// By hand: n=3, m=1, traitor commander tells 1 Attack and 2 Retreat. Both
// lieutenants relay, so each ends with V = {Attack, Retreat} → Retreat.
func TestSMByHand(t *testing.T) {
	res, err := SM(Config{N: 3, M: 1, Order: Attack, Traitors: []int{0}, Strategy: TwoFaced{}, Trace: true})
	require.NoError(t, err)
	// TwoFaced: even receivers (2) Attack, odd (1) Retreat.
	assert.Equal(t, Agreement, res.Verdict, res.String())
	assert.Equal(t, Retreat, res.Decisions[1])
	assert.Equal(t, Retreat, res.Decisions[2])
	assert.Equal(t, 4, res.Messages, "2 orders + 2 relays")

	// n=3, m=1, loyal commander, lying lieutenant 2: its changed relay
	// carries the commander's signature, so lieutenant 1 rejects it.
	res, err = SM(Config{N: 3, M: 1, Order: Attack, Traitors: []int{2}, Strategy: Liar{}, Trace: true})
	require.NoError(t, err)
	assert.Equal(t, Agreement, res.Verdict, res.String())
	assert.Equal(t, Attack, res.Decisions[1])
	assert.Equal(t, 1, res.Rejected)
}

// SM(m) works with m traitors for any n ≥ m+2 (property over strategies,
// placements, commanders and seeds).
func TestSMAgreementAnyN(t *testing.T) {
	seed := uint64(4242)
	rng := rand.New(rand.NewPCG(seed, 2))
	for m := 1; m <= 3; m++ {
		for n := m + 2; n <= m+4; n++ {
			for _, traitors := range combinations(n, m) {
				for _, order := range []Value{Attack, Retreat} {
					commander := rng.IntN(n)
					for si, st := range strategies(seed) {
						res, err := SM(Config{N: n, M: m, Commander: commander, Order: order, Traitors: traitors, Strategy: st})
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

// Exhaustively, no traitor behaviour breaks SM(1) with 3 generals (where
// OM(1) fails), nor SM(2) with 4 generals.
func TestSearchSM(t *testing.T) {
	sr, err := Search(SignedMessages, 3, 1, 0, 0)
	require.NoError(t, err)
	assert.False(t, sr.Found, sr.String())
	assert.True(t, sr.Exhausted)
	if testing.Short() {
		return
	}
	sr, err = Search(SignedMessages, 4, 2, 0, 0)
	require.NoError(t, err)
	assert.False(t, sr.Found, sr.String())
	assert.True(t, sr.Exhausted, sr.String())
	t.Logf("SM(2) n=4: %d runs", sr.Runs)
}

// SM with more traitors than m can fail: the guarantee needs ≤ m traitors.
func TestSMTooManyTraitors(t *testing.T) {
	sr, err := Search(SignedMessages, 4, 1, 0, 0)
	require.NoError(t, err)
	require.False(t, sr.Found)
	found := false
	for seed := uint64(0); seed < 2000 && !found; seed++ {
		res, err := SM(Config{N: 5, M: 1, Order: Attack, Traitors: []int{0, 1}, Strategy: mustRandom(seed, 0.4)})
		require.NoError(t, err)
		found = res.Verdict == Violation
	}
	assert.True(t, found, "two colluding traitors (commander + one relay) should beat SM(1)")
}

func TestSMTooBig(t *testing.T) {
	_, err := SM(Config{N: MaxSMGenerals + 1, M: 1})
	assert.ErrorContains(t, err, "byzantine: SM with n=")
}

func FuzzSM(f *testing.F) {
	f.Add(4, 2, 0, 1, 2, uint64(1))
	f.Add(3, 1, 0, 0, 1, uint64(2))
	f.Add(0, -1, 9, -3, 99, uint64(3))
	f.Fuzz(func(t *testing.T, n, m, commander, t1, t2 int, seed uint64) {
		if n > 8 || m > 3 {
			return
		}
		cfg := Config{N: n, M: m, Commander: commander, Order: Retreat, Traitors: []int{t1, t2}, Strategy: mustRandom(seed, 0.3)}
		res, err := SM(cfg)
		if err != nil {
			return
		}
		if m >= 2 && n >= m+2 && res.Verdict != Agreement {
			t.Fatalf("seed=%d n=%d m=%d traitors=%v: %s", seed, n, m, cfg.Traitors, res)
		}
	})
}
