package byzantine

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/internal/probe"
)

// panicky is a strategy with a bug.
type panicky struct{}

func (panicky) Send(m Message) (Value, bool) {
	if m.Level > 0 {
		var s []int
		_ = s[m.To] // index out of range
	}
	return Attack, true
}

// Bad inputs from the robustness probe (issue 12): each returns a clear
// error (prefixed "byzantine: ", naming the problem and the allowed range)
// or the correct result, without allocating for the bad size first. A
// call that used to hang or exhaust memory returns because of the checks,
// not because of a timer; go test's -timeout is only a safety net.
func TestBadInputsProbe(t *testing.T) {
	all := make([]int, 24)
	for i := range all {
		all[i] = i
	}
	probe.Run(t, "byzantine", []probe.Case{
		{"OM m=2^40 with n=4 is just OM(n-2)", func() error {
			res, err := OM(Config{N: 4, M: 1 << 40, Order: Attack, Traitors: []int{3}, Strategy: Liar{}})
			if err == nil && res.Slots != MessageCount(4, 2) {
				t.Errorf("slots %d, want %d", res.Slots, MessageCount(4, 2))
			}
			return err
		}, ""},
		{"OM n=2^36", func() error { _, err := OM(Config{N: 1 << 36}); return err }, "allowed at most 1000"},
		{"OM n=1e9", func() error { _, err := OM(Config{N: 1e9}); return err }, "n=1000000000 generals"},
		{"OM too many messages", func() error { _, err := OM(Config{N: 40, M: 20}); return err }, "more than 50000000 messages"},
		{"OM too big to trace", func() error { _, err := OM(Config{N: 13, M: 5, Trace: true}); return err }, "too many to trace"},
		{"SM n over max", func() error { _, err := SM(Config{N: MaxSMGenerals + 1}); return err }, "allowed at most 24"},
		{"SM n=24 m=23 traitor commander", func() error {
			_, err := SM(Config{N: 24, M: 23, Order: Attack, Traitors: []int{0}, Strategy: TwoFaced{}})
			return err
		}, ""},
		{"SM n=24 m=23 all traitors relay every chain", func() error {
			_, err := SM(Config{N: 24, M: 23, Order: Attack, Traitors: all, Strategy: Liar{}})
			return err
		}, "more than 500000 messages"},
		{"Search OM n=40 m=20 limit 1", func() error { _, err := Search(OralMessages, 40, 20, 0, 1); return err }, "MaxMessages"},
		{"Search limit too big", func() error { _, err := Search(OralMessages, 4, 1, 0, MaxSearchLimit+1); return err }, "not in [0,10000000]"},
		{"Search OM limit × messages too big", func() error { _, err := Search(OralMessages, 13, 4, 0, 10_000); return err }, "at most 1845"},
		{"Search SM too many traitor relays", func() error { _, err := Search(SignedMessages, 24, 23, 0, 1); return err }, "MaxSMMessages"},
		{"Search OM n=7 m=2 default limit", func() error {
			sr, err := Search(OralMessages, 7, 2, 0, 0)
			if err == nil && (sr.Found || sr.Exhausted || sr.Runs != DefaultSearchLimit) {
				t.Errorf("want %d runs, no violation, not exhaustive: %s", DefaultSearchLimit, sr)
			}
			return err
		}, ""},
		{"Search OM n=13 m=4 default limit shrinks", func() error {
			sr, err := Search(OralMessages, 13, 4, 0, 0)
			if err == nil && sr.Runs != DefaultSearchMessages/MessageCount(13, 4) {
				t.Errorf("runs %d, want %d", sr.Runs, DefaultSearchMessages/MessageCount(13, 4))
			}
			return err
		}, ""},
		{"NewRandom 1.5", func() error { _, err := NewRandom(1, 1.5); return err }, "silent probability 1.5 not in [0,1]"},
		{"NewRandom NaN", func() error { _, err := NewRandom(1, math.NaN()); return err }, "NaN not in [0,1]"},
		{"NewRandom -0.1", func() error { _, err := NewRandom(1, -0.1); return err }, "not in [0,1]"},
		{"Random changed after NewRandom", func() error {
			r := mustRandom(1, 0.5)
			r.SilentProb = 2
			_, err := OM(Config{N: 4, M: 1, Traitors: []int{1}, Strategy: r})
			return err
		}, "silent probability 2"},
		{"zero Random", func() error {
			_, err := OM(Config{N: 4, M: 1, Traitors: []int{1}, Strategy: &Random{}})
			return err
		}, "zero Random"},
		{"typed nil strategy", func() error {
			var s *Script
			_, err := OM(Config{N: 4, M: 1, Traitors: []int{1}, Strategy: s})
			return err
		}, "nil *byzantine.Script"},
		{"OM strategy panics", func() error {
			_, err := OM(Config{N: 4, M: 1, Traitors: []int{1}, Strategy: panicky{}})
			return err
		}, "strategy byzantine.panicky panicked when asked about message 1→2 (level 1, path 0→1): runtime error: index out of range"},
		{"SM strategy panics", func() error {
			_, err := SM(Config{N: 4, M: 1, Traitors: []int{1}, Strategy: panicky{}})
			return err
		}, "strategy byzantine.panicky panicked"},
		{"Search strategy space stays lazy for n=1000 m=1", func() error {
			sr, err := Search(OralMessages, 1000, 1, 0, 1)
			if err == nil && sr.Runs != 1 {
				t.Errorf("runs %d", sr.Runs)
			}
			return err
		}, ""},
	})
}

// Messages counts what was sent; Slots is the formula.
func TestMessagesCountsWhatWasSent(t *testing.T) {
	for _, st := range []Strategy{Silent{}, Liar{}, mustRandom(3, 0.5), &Script{Choices: []Choice{Withhold, SendAttack, Withhold, Withhold}}} {
		res, err := OM(Config{N: 7, M: 2, Order: Attack, Traitors: []int{0, 4}, Strategy: st, Trace: true})
		require.NoError(t, err)
		sent := 0
		for _, h := range res.Trace {
			if h.Sent {
				sent++
			}
		}
		assert.Equal(t, sent, res.Messages, "%T", st)
		assert.Equal(t, MessageCount(7, 2), res.Slots, "%T", st)
		assert.Len(t, res.Trace, res.Slots)

		sm, err := SM(Config{N: 7, M: 2, Order: Attack, Traitors: []int{0, 4}, Strategy: st, Trace: true})
		require.NoError(t, err)
		sent = 0
		for _, h := range sm.Trace {
			if h.Sent {
				sent++
			}
		}
		assert.Equal(t, sent, sm.Messages, "SM %T", st)
		assert.Len(t, sm.Trace, sm.Slots)
	}
	res, err := OM(Config{N: 5, M: 1, Order: Attack, Traitors: []int{0}, Strategy: Silent{}})
	require.NoError(t, err)
	assert.Equal(t, 12, res.Messages, "the silent commander sends none of its 4 orders; the 4 lieutenants relay 3 each")
	assert.Equal(t, 16, res.Slots)
}

func TestNextCombination(t *testing.T) {
	for n := 0; n <= 7; n++ {
		for k := 0; k <= n; k++ {
			c := make([]int, k)
			for i := range c {
				c[i] = i
			}
			var got [][]int
			for {
				got = append(got, append(make([]int, 0, k), c...))
				if !nextCombination(c, n) {
					break
				}
			}
			want := combinations(n, k)
			assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "n=%d k=%d", n, k)
		}
	}
}

// FuzzSearch: any arguments give an error or a result within the limit,
// and a counterexample always replays to a violation.
func FuzzSearch(f *testing.F) {
	f.Add(uint8(0), 3, 1, 0, 0)
	f.Add(uint8(1), 4, 1, 2, 50)
	f.Add(uint8(0), 40, 20, 0, 1)
	f.Add(uint8(1), 24, 23, 0, 1)
	f.Add(uint8(2), -1, -1, -1, -1)
	f.Fuzz(func(t *testing.T, alg uint8, n, m, commander, limit int) {
		// Keep each input fast: valid but large searches take seconds by
		// design (their bounds are tested above); invalid ones must still
		// fail at once.
		limit %= 500
		if c := MessageCount(n, m); alg == 0 && c > 20_000 && c <= MaxMessages && n <= MaxGenerals {
			return
		}
		if alg == 1 && n > 10 && n <= MaxSMGenerals {
			return
		}
		sr, err := Search(Algorithm(alg), n, m, commander, limit)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "byzantine: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if limit > 0 && sr.Runs > limit {
			t.Fatalf("%d runs, limit %d", sr.Runs, limit)
		}
		if sr.Found {
			res, err := Algorithm(alg).Run(Config{N: n, M: m, Commander: commander, Order: sr.Order, Traitors: sr.Traitors, Strategy: sr.Script()})
			if err != nil || res.Verdict != Violation {
				t.Fatalf("counterexample does not replay: %v %s", err, res)
			}
		}
	})
}

// FuzzConfig: OM and SM on any configuration return an error or a
// checked result, and Messages never exceeds Slots.
func FuzzConfig(f *testing.F) {
	f.Add(4, 1, 0, 3, 1, 0.3, uint64(1), false)
	f.Add(1<<30, 1<<40, 0, 0, 0, 1.5, uint64(2), true)
	f.Add(24, 23, 0, 0, 5, 0.1, uint64(3), false)
	f.Fuzz(func(t *testing.T, n, m, commander, traitor, k int, p float64, seed uint64, trace bool) {
		r, err := NewRandom(seed, p)
		if err != nil {
			return
		}
		traitors := []int{traitor}
		for i := 1; i <= k%6; i++ {
			traitors = append(traitors, traitor+i)
		}
		for _, alg := range []Algorithm{OralMessages, SignedMessages} {
			res, err := alg.Run(Config{N: n, M: m % 8, Commander: commander, Order: Attack, Traitors: traitors, Strategy: r, Trace: trace})
			if err != nil {
				continue
			}
			if res.Messages > res.Slots || (trace && len(res.Trace) != res.Slots) {
				t.Fatalf("%s: messages %d slots %d trace %d", alg, res.Messages, res.Slots, len(res.Trace))
			}
		}
	})
}
