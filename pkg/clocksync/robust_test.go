package clocksync

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/internal/probe"
)

// checkAdjustSigns checks, in exact arithmetic, that every adjustment is
// Average − offset: same value, hence same sign. Adjustments computed in
// wrapping int64 once came out with the wrong sign, which the old
// property (offset + adjust == average, also wrapping) could not see.
func checkAdjustSigns(t *testing.T, offs []time.Duration, r BerkeleyResult) {
	t.Helper()
	for i, o := range offs {
		want := new(big.Int).Sub(big.NewInt(int64(r.Average)), big.NewInt(int64(o)))
		if got := big.NewInt(int64(r.Adjust[i])); got.Cmp(want) != 0 {
			t.Fatalf("clock %d (offset %v, average %v): adjust %v, want %v", i, o, r.Average, r.Adjust[i], want)
		}
	}
}

// The Berkeley sign bug of issue 12: offsets far apart made Average −
// offset overflow, so a clock behind the average was told to go back.
func TestBerkeleyAdjustSign(t *testing.T) {
	for _, offs := range [][]time.Duration{
		{0, 25 * time.Minute, -10 * time.Minute},
		{-MaxTime, MaxTime, MaxTime},
		{MaxTime, -MaxTime, -MaxTime, 0},
		{-MaxTime, 0, MaxTime},
	} {
		r, err := Berkeley(offs, math.MaxInt64)
		require.NoError(t, err)
		checkAdjustSigns(t, offs, r)
		for i, o := range offs {
			if o < r.Average {
				assert.Positive(t, r.Adjust[i], "clock %d is behind: it must go forward", i)
			}
			if o > r.Average {
				assert.Negative(t, r.Adjust[i], "clock %d is ahead: it must go back", i)
			}
		}
	}
}

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "clocksync: " or the correct result.
func TestBadInputsProbe(t *testing.T) {
	probe.Run(t, "clocksync", []probe.Case{
		{"Berkeley with offsets at the ends of time", func() error {
			_, err := Berkeley([]time.Duration{math.MinInt64, 0, math.MaxInt64}, math.MaxInt64)
			return err
		}, "offset of clock 0 is -2562047h47m16.854775808s, not within ±1281023h53m38.427387903s"},
		{"an exchange at the ends of time", func() error {
			return Exchange{T1: math.MinInt64, T2: math.MaxInt64, T3: math.MaxInt64, T4: math.MinInt64 + 10}.Validate()
		}, "T1 -2562047h47m16.854775808s not within"},
		{"Cristian at the ends of time", func() error {
			return Cristian{Sent: math.MinInt64, Server: 0, Received: math.MaxInt64}.Validate()
		}, "not within ±"},
		{"an exchange within MaxTime gives exact results", func() error {
			e := Exchange{T1: -MaxTime, T2: MaxTime, T3: MaxTime, T4: -MaxTime + 10}
			if err := e.Validate(); err != nil {
				return err
			}
			// ((T2−T1)+(T3−T4))/2 = ((2^63−2) + (2^63−12))/2 = 2^63−7: the
			// sum overflows a Duration, the result does not.
			assert.Equal(t, time.Duration(math.MaxInt64-6), e.Offset())
			assert.Equal(t, time.Duration(10), e.Delay())
			e = Exchange{T1: -MaxTime, T2: 0, T3: 0, T4: -MaxTime + 10}
			assert.Equal(t, MaxTime-5, e.Offset(), "(2^62−1 + 2^62−11)/2")
			return nil
		}, ""},
	})
}

// halfSum is (a+b)/2 in exact arithmetic, truncated towards zero.
func TestHalfSum(t *testing.T) {
	vals := []time.Duration{math.MinInt64, math.MinInt64 + 1, -7, -6, -1, 0, 1, 5, 6, math.MaxInt64 - 1, math.MaxInt64}
	for _, a := range vals {
		for _, b := range vals {
			sum := new(big.Int).Add(big.NewInt(int64(a)), big.NewInt(int64(b)))
			want := new(big.Int).Quo(sum, big.NewInt(2)) // Quo truncates towards zero
			assert.Equal(t, want.Int64(), int64(halfSum(a, b)), "%d, %d", a, b)
		}
	}
}

// FuzzExchange: a valid exchange's offset and delay are exact, and an
// invalid one is reported, never a wrapped result.
func FuzzExchange(f *testing.F) {
	f.Add(int64(100), int64(160), int64(161), int64(121))
	f.Add(int64(math.MinInt64), int64(math.MaxInt64), int64(math.MaxInt64), int64(0))
	f.Add(int64(-(1 << 62)), int64(1<<62), int64(1<<62), int64(-(1 << 62)))
	f.Fuzz(func(t *testing.T, t1, t2, t3, t4 int64) {
		e := Exchange{T1: time.Duration(t1), T2: time.Duration(t2), T3: time.Duration(t3), T4: time.Duration(t4)}
		if err := e.Validate(); err != nil {
			if !strings.HasPrefix(err.Error(), "clocksync: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		b := func(x int64) *big.Int { return big.NewInt(x) }
		num := new(big.Int).Add(new(big.Int).Sub(b(t2), b(t1)), new(big.Int).Sub(b(t3), b(t4)))
		off := new(big.Int).Quo(num, b(2))
		if off.IsInt64() && off.Int64() != int64(e.Offset()) {
			t.Fatalf("%v: offset %v, want %v", e, e.Offset(), off)
		}
		if !off.IsInt64() && (off.Sign() > 0) != (e.Offset() > 0) {
			t.Fatalf("%v: offset %v has the wrong sign (exact %v)", e, e.Offset(), off)
		}
		del := new(big.Int).Sub(new(big.Int).Sub(b(t4), b(t1)), new(big.Int).Sub(b(t3), b(t2)))
		if del.Int64() != int64(e.Delay()) {
			t.Fatalf("%v: delay %v, want %v", e, e.Delay(), del)
		}
	})
}
