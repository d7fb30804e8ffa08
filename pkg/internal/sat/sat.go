// Package sat is saturating arithmetic on time.Duration for the clock
// packages: a result beyond the range of a Duration stops at its largest
// (or smallest) value instead of wrapping round to the other sign.
package sat

import (
	"math"
	"time"
)

// Add is a+b, saturated at the range of a Duration.
func Add(a, b time.Duration) time.Duration {
	s := a + b
	switch {
	case b > 0 && s < a:
		return math.MaxInt64
	case b < 0 && s > a:
		return math.MinInt64
	}
	return s
}

// Sub is a−b, saturated at the range of a Duration.
func Sub(a, b time.Duration) time.Duration {
	s := a - b
	switch {
	case b < 0 && s < a:
		return math.MaxInt64
	case b > 0 && s > a:
		return math.MinInt64
	}
	return s
}

// Add3 is a+b+c, exact when no partial sum overflows, and otherwise
// computed in floating point and saturated: an intermediate overflow must
// not decide the sign.
func Add3(a, b, c time.Duration) time.Duration {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return FromFloat(float64(a) + float64(b) + float64(c))
	}
	t := s + c
	if (c > 0 && t < s) || (c < 0 && t > s) {
		return FromFloat(float64(a) + float64(b) + float64(c))
	}
	return t
}

// FromFloat converts f (nanoseconds) to a Duration, saturating at its
// range; NaN is 0.
func FromFloat(f float64) time.Duration {
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	case math.IsNaN(f):
		return 0
	}
	return time.Duration(f)
}
