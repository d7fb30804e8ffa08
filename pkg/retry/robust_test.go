package retry

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/internal/probe"
)

// Bad inputs from the robustness probe (issue 12): each returns a clear
// error prefixed "retry: " that names the problem and the allowed range,
// or the correct result. Calls that used to run out of memory return
// because of the checks, not because of a timer.
func TestBadInputsProbe(t *testing.T) {
	p := mustPolicy(t, FullJitter, 1, 100)
	alwaysFails := func(int, float64) (float64, error) { return 1, errors.New("down") }
	probe.Run(t, "retry", []probe.Case{
		{"Schedule 2^40", func() error { _, err := p.Schedule(1<<40, newRNG(1)); return err }, "schedule length 1099511627776 not in [0,1000000]"},
		{"Schedule of the zero Policy", func() error { _, err := Policy{}.Schedule(3, newRNG(1)); return err }, "zero Policy"},
		{"Schedule at the maximum", func() error {
			d, err := p.Schedule(MaxSchedule, newRNG(1))
			if err == nil && len(d) != MaxSchedule {
				t.Errorf("len %d", len(d))
			}
			return err
		}, ""},
		{"Run MaxAttempts MaxInt", func() error {
			_, err := Run(Loop{Policy: p, MaxAttempts: math.MaxInt}, 0, newRNG(1), alwaysFails)
			return err
		}, "MaxAttempts 9223372036854775807 not in [1,100000]"},
		{"Run MaxAttempts at the maximum, always failing", func() error {
			res, err := Run(Loop{Policy: p, MaxAttempts: MaxLoopAttempts}, 0, newRNG(1), alwaysFails)
			if err == nil && (res.Outcome != Exhausted || res.Attempts != MaxLoopAttempts) {
				t.Errorf("got %v", res)
			}
			return err
		}, ""},
		{"Run with a panicking Op", func() error {
			_, err := Run(Loop{Policy: p, MaxAttempts: 5}, 0, newRNG(1), func(attempt int, _ float64) (float64, error) {
				if attempt == 2 {
					panic("boom")
				}
				return 1, errors.New("down")
			})
			return err
		}, "Op panicked in attempt 2 at time"},
		{"Run with a nil Op", func() error { _, err := Run(Loop{Policy: p, MaxAttempts: 5}, 0, newRNG(1), nil); return err }, "nil Op"},
		{"Run whose time overflows", func() error {
			_, err := Run(Loop{Policy: p, MaxAttempts: 5}, math.MaxFloat64, newRNG(1), alwaysFailsTaking(math.MaxFloat64))
			return err
		}, "virtual time overflows"},
		{"Adaptive in ms with only Initial set", func() error { _, err := NewAdaptive(AdaptiveConfig{Initial: 50}); return err }, "set Unit"},
		{"Adaptive in ms with Unit and Initial", func() error {
			a, err := NewAdaptive(AdaptiveConfig{Unit: 1000, Initial: 50})
			if err == nil && (a.Timeout() != 50 || a.cfg.Max != 60000 || a.cfg.Min != 0) {
				t.Errorf("got %+v", a.cfg)
			}
			return err
		}, ""},
		{"Adaptive Min 0 means no floor", func() error {
			a, err := NewAdaptive(AdaptiveConfig{Unit: 1000})
			if err != nil {
				return err
			}
			if err := a.Observe(Sample{RTT: 2}); err != nil {
				return err
			}
			assert.Equal(t, 6.0, a.Timeout(), "SRTT 2 + 4·RTTVAR 1, no floor")
			return nil
		}, ""},
		{"zero Adaptive", func() error { var a Adaptive; return a.Observe(Sample{RTT: 1}) }, "zero Adaptive"},
		{"zero Fixed", func() error { var f Fixed; return f.Observe(Sample{RTT: 1}) }, "zero Fixed"},
		{"Delay of the zero Policy", func() error { _, err := Policy{}.Delay(0, 0, newRNG(1)); return err }, "zero Policy"},
		{"Delay without a random source", func() error { _, err := p.Delay(0, 0, nil); return err }, "needs a random source"},
	})
}

func alwaysFailsTaking(d float64) Op {
	return func(int, float64) (float64, error) { return d, errors.New("down") }
}

func TestRFC6298InMilliseconds(t *testing.T) {
	a, err := NewAdaptive(RFC6298(1000))
	require.NoError(t, err)
	assert.Equal(t, 1000.0, a.Timeout())
	require.NoError(t, a.Observe(Sample{RTT: 10}))
	assert.Equal(t, 1000.0, a.Timeout(), "the 1 s floor")
	for range 10 {
		a.Expired()
	}
	assert.Equal(t, 60000.0, a.Timeout(), "the 60 s ceiling")
}

// FuzzRun: any loop and any op give an error or a result within the
// attempt limit whose steps add up.
func FuzzRun(f *testing.F) {
	f.Add(uint8(1), 1.0, 100.0, 5, 0.0, 0.0, 3.0, 2, uint64(1))
	f.Add(uint8(3), 10.0, 1000.0, 1<<40, 50.0, -1.0, math.Inf(1), 0, uint64(2))
	f.Add(uint8(0), 1.0, 1.0, 100000, 0.0, math.MaxFloat64, math.MaxFloat64, 7, uint64(3))
	f.Fuzz(func(t *testing.T, s uint8, base, cap float64, attempts int, deadline, start, took float64, succeedAt int, seed uint64) {
		p, err := NewPolicy(Strategy(s%5), base, cap)
		if err != nil {
			return
		}
		if attempts > 1000 {
			attempts %= 1000 // the maximum itself is tested above; keep inputs fast
		}
		res, err := Run(Loop{Policy: p, MaxAttempts: attempts, Deadline: deadline}, start, newRNG(seed),
			func(a int, _ float64) (float64, error) {
				if a == succeedAt {
					return took, nil
				}
				return took, errors.New("down")
			})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "retry: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		if res.Attempts < 1 || res.Attempts > attempts || len(res.Steps) != res.Attempts {
			t.Fatalf("%d attempts (max %d), %d steps", res.Attempts, attempts, len(res.Steps))
		}
		if math.IsNaN(res.Elapsed) || res.Elapsed < 0 || res.Slept < 0 || res.Slept > res.Elapsed*(1+1e-9)+1e-9 {
			t.Fatalf("elapsed %v slept %v", res.Elapsed, res.Slept)
		}
	})
}

// FuzzSchedule: any length gives an error or exactly that many delays
// within [0, cap].
func FuzzSchedule(f *testing.F) {
	f.Add(uint8(2), 1.0, 50.0, 20, uint64(1))
	f.Add(uint8(3), 0.5, 0.5, 1<<40, uint64(2))
	f.Add(uint8(0), 1e300, 1e308, -1, uint64(3))
	f.Fuzz(func(t *testing.T, s uint8, base, cap float64, n int, seed uint64) {
		p, err := NewPolicy(Strategy(s%5), base, cap)
		if err != nil {
			return
		}
		if n > 10_000 {
			n %= 10_000 // keep inputs fast; MaxSchedule is tested above
		}
		d, err := p.Schedule(n, newRNG(seed))
		if err != nil {
			if n >= 0 {
				t.Fatalf("Schedule(%d): %v", n, err)
			}
			return
		}
		if len(d) != n {
			t.Fatalf("len %d, want %d", len(d), n)
		}
		for i, x := range d {
			if !(x >= 0 && x <= cap) {
				t.Fatalf("delay %d = %v outside [0,%v]", i, x, cap)
			}
		}
	})
}
