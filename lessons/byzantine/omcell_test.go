package byzantine

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	bz "github.com/dslessons/course/pkg/byzantine"
)

func TestReferenceOMMatchesLibrary(t *testing.T) {
	c, err := CheckOM(ReferenceOM)
	require.NoError(t, err)
	assert.True(t, c.OK(), c.String())
	assert.Equal(t, 820, c.Runs, "the notebook says 820")
	assert.Contains(t, c.String(), "✓")
	// On the walkthrough, the cell's recursion reproduces the library's run
	// message for message.
	cfg := DefaultWalkthrough()
	lib, err := bz.OM(cfg)
	require.NoError(t, err)
	mine, err := RunOM(cfg, ReferenceOM)
	require.NoError(t, err)
	assert.Equal(t, lib.Decisions, mine.Decisions)
	assert.Equal(t, lib.Trace, mine.Trace)
	assert.Equal(t, lib.Messages, mine.Messages)
	assert.Equal(t, lib.String(), mine.String())
}

// Ways a student may break the recursion; CheckOM must catch each.
func brokenOMs() map[string]OMFunc {
	var obey, tieAttack, relayed, shallow OMFunc
	// Obey the commander: no relays at all.
	obey = func(net *Net, m int, path []int, v bz.Value, lts []int) map[int]bz.Value {
		out := map[int]bz.Value{}
		for _, l := range lts {
			out[l] = net.Send(path, l, v)
		}
		return out
	}
	// Ties go to Attack.
	tieAttack = func(net *Net, m int, path []int, v bz.Value, lts []int) map[int]bz.Value {
		got := map[int]bz.Value{}
		for _, l := range lts {
			got[l] = net.Send(path, l, v)
		}
		if m == 0 {
			return got
		}
		vals := map[int][]bz.Value{}
		for _, j := range lts {
			vals[j] = []bz.Value{got[j]}
		}
		for _, i := range lts {
			others := Without(lts, i)
			sub := tieAttack(net, m-1, Extend(path, i), got[i], others)
			for _, j := range others {
				vals[j] = append(vals[j], sub[j])
			}
		}
		out := map[int]bz.Value{}
		for _, j := range lts {
			a := 0
			for _, x := range vals[j] {
				if x == bz.Attack {
					a++
				}
			}
			out[j] = bz.Retreat
			if 2*a >= len(vals[j]) {
				out[j] = bz.Attack
			}
		}
		return out
	}
	// The misreading the lesson corrects: v_i is the value i relayed to j
	// directly, not what j decided in i's OM(m−1).
	relayed = func(net *Net, m int, path []int, v bz.Value, lts []int) map[int]bz.Value {
		got := map[int]bz.Value{}
		for _, l := range lts {
			got[l] = net.Send(path, l, v)
		}
		if m == 0 {
			return got
		}
		vals := map[int][]bz.Value{}
		for _, j := range lts {
			vals[j] = []bz.Value{got[j]}
		}
		for _, i := range lts {
			sub := Extend(path, i)
			first := len(net.trace)
			relayed(net, m-1, sub, got[i], Without(lts, i))
			// Take what i itself sent to j, read off the trace.
			for _, h := range net.trace[first:] {
				if slices.Equal(h.Path, sub) {
					vals[h.To] = append(vals[h.To], h.Value)
				}
			}
		}
		out := map[int]bz.Value{}
		for _, j := range lts {
			out[j] = Majority(vals[j])
		}
		return out
	}
	// One level short: OM(m) recurses into OM(m−2).
	shallow = func(net *Net, m int, path []int, v bz.Value, lts []int) map[int]bz.Value {
		if m > 0 {
			m--
		}
		return ReferenceOM(net, m, path, v, lts)
	}
	return map[string]OMFunc{"obey": obey, "tie→Attack": tieAttack, "relayed value": relayed, "one level short": shallow}
}

func TestCheckOMCatchesBrokenRecursions(t *testing.T) {
	for name, om := range brokenOMs() {
		c, err := CheckOM(om)
		require.NoError(t, err, name)
		assert.False(t, c.OK(), "%s: CheckOM should find a difference", name)
		assert.Contains(t, c.String(), "✗", name)
		assert.Contains(t, c.String(), "yours:", name)
	}
	// The relayed-value misreading agrees with OM for m = 1 and is wrong
	// for m = 2: it breaks IC1 with n = 7 > 3m, where OM(2) is safe.
	c, err := CheckOM(brokenOMs()["relayed value"])
	require.NoError(t, err)
	assert.True(t, c.Broken, c.String())
	assert.Equal(t, 2, c.Config.M, c.String())
	assert.Equal(t, 7, c.Config.N, c.String())
	assert.Equal(t, bz.Agreement, c.Library.Verdict)
	// Ties going to Attack only change which value wins a tie: no run with
	// n > 3m breaks, but decisions differ.
	c, err = CheckOM(brokenOMs()["tie→Attack"])
	require.NoError(t, err)
	assert.False(t, c.Broken, c.String())
	assert.Contains(t, c.String(), "The first:")
}

func TestRunOMErrors(t *testing.T) {
	_, err := RunOM(DefaultWalkthrough(), nil)
	assert.Error(t, err)
	_, err = CheckOM(nil)
	assert.Error(t, err)
	_, err = RunOM(bz.Config{N: 1}, ReferenceOM)
	assert.Error(t, err)
	_, err = RunOM(bz.Config{N: 40, M: 6, Order: bz.Attack}, ReferenceOM)
	assert.ErrorContains(t, err, "messages")
	endless := func(net *Net, m int, path []int, v bz.Value, lts []int) map[int]bz.Value {
		var om OMFunc
		om = func(net *Net, m int, path []int, v bz.Value, lts []int) map[int]bz.Value {
			for _, l := range lts {
				net.Send(path, l, v)
			}
			if net.err != nil {
				return nil
			}
			return om(net, m-1, path, v, lts) // never stops at m = 0
		}
		return om(net, m, path, v, lts)
	}
	_, err = RunOM(DefaultWalkthrough(), endless)
	assert.ErrorContains(t, err, "m = 0")
	panics := func(*Net, int, []int, bz.Value, []int) map[int]bz.Value { panic("oops") }
	_, err = RunOM(DefaultWalkthrough(), panics)
	assert.ErrorContains(t, err, "panicked")
	missing := func(*Net, int, []int, bz.Value, []int) map[int]bz.Value { return map[int]bz.Value{} }
	_, err = RunOM(DefaultWalkthrough(), missing)
	assert.ErrorContains(t, err, "no decision for lieutenant")
	outside := func(net *Net, m int, path []int, v bz.Value, lts []int) map[int]bz.Value {
		net.Send(path, 99, v)
		return nil
	}
	_, err = RunOM(DefaultWalkthrough(), outside)
	assert.ErrorContains(t, err, "outside")
}

func TestMajorityAndHelpers(t *testing.T) {
	A, R := bz.Attack, bz.Retreat
	assert.Equal(t, R, Majority(nil))
	assert.Equal(t, R, Majority([]bz.Value{A, R}), "a tie is Retreat")
	assert.Equal(t, A, Majority([]bz.Value{A, A, R}))
	lts := []int{1, 2, 3}
	assert.Equal(t, []int{1, 3}, Without(lts, 2))
	assert.Equal(t, []int{1, 2, 3}, lts, "Without does not change its input")
	p := make([]int, 1, 8)
	p[0] = 0
	a, b := Extend(p, 1), Extend(p, 2)
	assert.Equal(t, []int{0, 1}, a, "Extend never shares its input's array")
	assert.Equal(t, []int{0, 2}, b)
}
