package retries

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/retry"
)

var students = []string{"", "alice", "bob", "s123", "x@y", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan"}

func names(rules [4]retry.Strategy) []string {
	out := make([]string, 4)
	for i, r := range rules {
		out[i] = r.String()
	}
	return out
}

func TestExercise1(t *testing.T) {
	p := Exercise1.ParamsFor("")
	assert.Equal(t, 10.0, p.Base)
	assert.Equal(t, 1000.0, p.Cap)
	seen := map[string]bool{}
	for _, id := range students {
		p := Exercise1.ParamsFor(id)
		sol, ok := p.solution()
		require.True(t, ok, "%s: the puzzle has exactly one answer", id)
		// Every wrong assignment breaks a bound by more than the rounding.
		require.Len(t, solve(p, puzzleSlack), 1, id)
		// The rules really drew these schedules: each fits its rule.
		for i, st := range sol {
			_, fits := violation(st, p.Base, p.Cap, p.Schedules[i], roundSlack)
			assert.True(t, fits, "%s: schedule %s", id, Letters[i])
			assert.Len(t, p.Schedules[i], PuzzleLength)
		}
		assert.True(t, Exercise1.VerdictFor(id, names(sol)).Passed, id)
		seen[names(sol)[0]+names(sol)[1]] = true

		// Swapping two schedules is wrong, names both, and says why
		// without naming the right rule.
		w := names(sol)
		w[0], w[1] = w[1], w[0]
		v := Exercise1.VerdictFor(id, w)
		assert.False(t, v.Passed)
		assert.Equal(t, []string{"schedule A", "schedule B"}, v.Wrong, id)
		assert.Regexp(t, `^schedule [AB]: its delay before retry \d cannot come from (`+w[0]+"|"+w[1]+`)$|of 4 schedules`, v.Why, id)
		assert.NotContains(t, v.Line("Exercise 1", 0), sol[0].String()+" ", "the verdict names the right rule (%s)", id)
	}
	assert.GreaterOrEqual(t, len(seen), 4, "students get different orders")

	sol, _ := p.solution()
	good := names(sol)
	for i := range good {
		st, err := ParseStrategy(good[i])
		require.NoError(t, err)
		assert.Equal(t, sol[i], st)
	}
	for _, in := range []string{"full jitter", "Full-Jitter", " fulljitter ", "FULL"} {
		st, err := ParseStrategy(in)
		require.NoError(t, err, in)
		assert.Equal(t, retry.FullJitter, st)
	}
	assert.Contains(t, Exercise1.VerdictFor("", []string{"", "", "", ""}).Why, "missing")
	assert.Contains(t, Exercise1.VerdictFor("", []string{"Exponential"}).Why, "1 names")
	assert.Contains(t, Exercise1.VerdictFor("", []string{"Exponential", "exp", "FullJitter", "EqualJitter"}).Why, "twice")
	assert.Contains(t, Exercise1.VerdictFor("", []string{"Linear", "Exponential", "FullJitter", "EqualJitter"}).Why, `"Linear" is not`)
	assert.False(t, Exercise1.VerdictFor("", nil).Passed)
}

func TestExercise2(t *testing.T) {
	s := Exercise2.ParamsFor("")
	assert.Equal(t, LockstepSetup{Clients: 10, Base: 5, Cap: 2000}, s)
	// By hand: 10+9+…+1 writes; ten rounds of 40 ms and sleeps of
	// 10, 20, …, 1280 and (capped) 2000 ms.
	assert.True(t, Exercise2.VerdictFor("", Lockstep{Calls: 55, DoneMS: 4950}).Passed)
	v := Exercise2.VerdictFor("", Lockstep{Calls: 100, DoneMS: 4950})
	assert.Equal(t, []string{"Calls"}, v.Wrong)
	assert.Contains(t, v.Why, "not every client")
	assert.Contains(t, Exercise2.VerdictFor("", Lockstep{Calls: 45, DoneMS: 4950}).Why, "winners")
	assert.Contains(t, Exercise2.VerdictFor("", Lockstep{Calls: 55, DoneMS: 400 + 5 + 10 + 20 + 40 + 80 + 160 + 320 + 640 + 1280}).Why, "one doubling short")
	assert.Contains(t, Exercise2.VerdictFor("", Lockstep{Calls: 55, DoneMS: 400 + 10 + 20 + 40 + 80 + 160 + 320 + 640 + 1280 + 2560}).Why, "cap is missing")
	assert.Contains(t, Exercise2.VerdictFor("", Lockstep{Calls: 55, DoneMS: 400}).Why, "leaves out the sleeps")
	v = Exercise2.VerdictFor("", Lockstep{})
	assert.Equal(t, []string{"Calls", "DoneMS"}, v.Wrong)

	capped := 0
	for _, id := range students {
		s := Exercise2.ParamsFor(id)
		r, err := s.Run()
		require.NoError(t, err)
		// The model agrees with the closed forms.
		n := s.Clients
		assert.Equal(t, n*(n+1)/2, r.Calls, id)
		done := s.lockstepDone(func(f int) float64 { return min(s.Cap, s.Base*math.Pow(2, float64(f))) })
		assert.InDelta(t, done, r.Completion, 1e-6, id)
		if s.Cap < s.Base*math.Pow(2, float64(n-1)) {
			capped++
		}
		right := Lockstep{Calls: r.Calls, DoneMS: r.Completion}
		assert.True(t, Exercise2.VerdictFor(id, right).Passed, id)
		for _, wrong := range []Lockstep{{}, {Calls: r.Calls + 1, DoneMS: r.Completion * 2}, {Calls: -3, DoneMS: math.NaN()}} {
			v := Exercise2.VerdictFor(id, wrong)
			assert.False(t, v.Passed)
			line := v.Line("Exercise 2", 0)
			assert.NotContains(t, line, exercise.Format(r.Completion), id)
		}
	}
	assert.Equal(t, len(students), capped, "the cap matters in every variant")
}

func fullJitter(base, cap float64, attempt int, rng *rand.Rand) float64 {
	return rng.Float64() * min(cap, base*math.Pow(2, float64(attempt)))
}

var global = rand.New(rand.NewPCG(99, 99))

func TestExercise3(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		assert.True(t, Exercise3.VerdictOf(fullJitter, true, seed).Passed, "seed %d", seed)
	}
	// The library's own rule passes too.
	lib := func(base, cap float64, attempt int, rng *rand.Rand) float64 {
		p, err := retry.NewPolicy(retry.FullJitter, base, cap)
		if err != nil {
			panic(err)
		}
		d, err := p.Delay(attempt, 0, rng)
		if err != nil {
			panic(err)
		}
		return d
	}
	assert.True(t, Exercise3.VerdictOf(lib, true, 11).Passed)

	for name, tc := range map[string]struct {
		f    BackoffFunc
		want string
	}{
		"stub":      {func(float64, float64, int, *rand.Rand) float64 { return 0 }, "hardly vary"},
		"no jitter": {func(b, c float64, a int, _ *rand.Rand) float64 { return min(c, b*math.Pow(2, float64(a))) }, "hardly vary"},
		"uncapped":  {func(b, c float64, a int, r *rand.Rand) float64 { return r.Float64() * b * math.Pow(2, float64(a)) }, "outside"},
		"half":      {func(b, c float64, a int, r *rand.Rand) float64 { return fullJitter(b, c, a, r) / 2 }, "mean delay"},
		"equal": {func(b, c float64, a int, r *rand.Rand) float64 {
			x := min(c, b*math.Pow(2, float64(a)))
			return x/2 + r.Float64()*x/2
		}, "mean delay"},
		"squared": {func(b, c float64, a int, r *rand.Rand) float64 {
			u := r.Float64()
			return u * u * min(c, b*math.Pow(2, float64(a)))
		}, "mean delay"},
		"global": {func(b, c float64, a int, _ *rand.Rand) float64 { return fullJitter(b, c, a, global) }, "same seed"},
		"sqrt": {func(b, c float64, a int, r *rand.Rand) float64 {
			return math.Sqrt(r.Float64()) * min(c, b*math.Pow(2, float64(a)))
		}, "mean delay"},
	} {
		v := Exercise3.VerdictOf(tc.f, false, 1)
		assert.False(t, v.Passed, name)
		assert.Contains(t, v.Why, "visible case", name)
		assert.Contains(t, v.Why, tc.want, name)
		assert.Contains(t, v.Case, "base 10 ms, cap 1000 ms", name)
	}
	// A shape that keeps the mean but not the spread: only the
	// Kolmogorov–Smirnov bound catches it.
	tri := func(b, c float64, a int, r *rand.Rand) float64 {
		return (r.Float64() + r.Float64()) / 2 * min(c, b*math.Pow(2, float64(a)))
	}
	assert.Contains(t, Exercise3.VerdictOf(tri, false, 1).Why, "not spread evenly")
	// Overflow at attempt ≥ 63 and other bases: only hidden cases catch them.
	shifted := func(b, c float64, a int, r *rand.Rand) float64 {
		return r.Float64() * min(c, b*float64(int64(1)<<a))
	}
	assert.True(t, Exercise3.VerdictOf(shifted, false, 1).Passed, "passes the visible cases")
	v := Exercise3.VerdictOf(shifted, true, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "hidden case")
	fixed := func(_, _ float64, a int, r *rand.Rand) float64 { return fullJitter(10, 1000, a, r) }
	assert.True(t, Exercise3.VerdictOf(fixed, false, 1).Passed, "ignoring base and cap passes the visible cases")
	assert.Contains(t, Exercise3.VerdictOf(fixed, true, 1).Why, "hidden case")
}

func TestTryBackoff(t *testing.T) {
	cfg := DefaultSweep()
	cfg.Runs = 2
	r, err := TryBackoff("yours", fullJitter, cfg, 30)
	require.NoError(t, err)
	require.Len(t, r.Rows, 3)
	// The same draws as the library's full jitter: the same runs.
	assert.Equal(t, r.Rows[1].Calls, r.Rows[2].Calls)
	assert.Equal(t, r.Rows[1].Completion, r.Rows[2].Completion)
	assert.Contains(t, r.String(), "seed=1")
	// The notebook's stub does not back off at all: more work than full jitter.
	zero := func(float64, float64, int, *rand.Rand) float64 { return 0 }
	r, err = TryBackoff("stub", zero, cfg, 30)
	require.NoError(t, err)
	assert.Greater(t, r.Rows[2].Calls, r.Rows[1].Calls)
	for want, f := range map[string]BackoffFunc{
		"panicked": func(float64, float64, int, *rand.Rand) float64 { panic("boom") },
		"-1 ms":    func(float64, float64, int, *rand.Rand) float64 { return -1 },
		"NaN ms":   func(float64, float64, int, *rand.Rand) float64 { return math.NaN() },
		"+Inf ms":  func(float64, float64, int, *rand.Rand) float64 { return math.Inf(1) },
	} {
		_, err := TryBackoff("bad", f, cfg, 5)
		assert.ErrorContains(t, err, want)
	}
	_, err = TryBackoff("nil", nil, cfg, 5)
	assert.ErrorContains(t, err, "nil")
}
