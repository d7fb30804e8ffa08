package sat

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// exact is the true value of the sum of xs, clamped to the range of a
// Duration: what a saturating operation must return.
func exact(xs ...*big.Int) time.Duration {
	s := new(big.Int)
	for _, x := range xs {
		s.Add(s, x)
	}
	switch {
	case s.Cmp(big.NewInt(math.MaxInt64)) > 0:
		return math.MaxInt64
	case s.Cmp(big.NewInt(math.MinInt64)) < 0:
		return math.MinInt64
	}
	return time.Duration(s.Int64())
}

func bi(d time.Duration) *big.Int { return big.NewInt(int64(d)) }

// operands are edge values and random ones of every magnitude.
func operands() []time.Duration {
	out := []time.Duration{0, 1, -1, 2, -2, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1,
		math.MaxInt64 / 2, math.MinInt64 / 2, math.MaxInt64/2 + 1, math.MinInt64/2 - 1, time.Hour, -time.Hour}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 40 {
		out = append(out, time.Duration(rng.Int64()>>rng.IntN(64))*time.Duration(1-2*rng.IntN(2)))
	}
	return out
}

func TestAddSubMatchExactArithmetic(t *testing.T) {
	ops := operands()
	for _, a := range ops {
		for _, b := range ops {
			if got, want := Add(a, b), exact(bi(a), bi(b)); got != want {
				t.Errorf("Add(%d, %d) = %d, want %d", a, b, got, want)
			}
			if got, want := Sub(a, b), exact(bi(a), new(big.Int).Neg(bi(b))); got != want {
				t.Errorf("Sub(%d, %d) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// Add3 is exact when no partial sum overflows; otherwise it goes through
// float64, so it must be within float64 rounding of the true sum
// (clamped): an overflow never wraps it round to the other end.
func TestAdd3(t *testing.T) {
	ops := operands()
	for _, a := range ops {
		for _, b := range ops {
			for _, c := range ops[:12] {
				got, want := Add3(a, b, c), exact(bi(a), bi(b), bi(c))
				s := new(big.Int).Add(bi(a), bi(b))
				partialFits := s.IsInt64() && new(big.Int).Add(s, bi(c)).IsInt64()
				if partialFits && got != want {
					t.Errorf("Add3(%d, %d, %d) = %d, want %d", a, b, c, got, want)
				}
				if diff := math.Abs(float64(got) - float64(want)); diff > 4096 {
					t.Errorf("Add3(%d, %d, %d) = %d, %g from %d", a, b, c, got, diff, want)
				}
			}
		}
	}
}

func TestFromFloat(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want time.Duration
	}{
		{0, 0}, {1.9, 1}, {-1.9, -1}, {math.NaN(), 0}, {math.Inf(1), math.MaxInt64}, {math.Inf(-1), math.MinInt64},
		{1e19, math.MaxInt64}, {-1e19, math.MinInt64}, {math.MaxInt64, math.MaxInt64}, {math.MinInt64, math.MinInt64},
	} {
		if got := FromFloat(tc.f); got != tc.want {
			t.Errorf("FromFloat(%g) = %d, want %d", tc.f, got, tc.want)
		}
	}
}
