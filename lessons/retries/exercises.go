package retries

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/retry"
)

// Lesson holds the exercises of notebook 04.
var Lesson = exercise.NewLesson("04-retries-and-backoff", "Retries and back-off")

// ---- Exercise 1: tell the rules apart from what they do ----

// Puzzle is Exercise 1: four back-off schedules (delays before retry
// 0, 1, … in ms), one drawn by each of the four rules of pkg/retry with the
// same base and cap, in an order the student has to find.
type Puzzle struct {
	Base, Cap float64
	Schedules [4][]float64 // A, B, C, D
}

// PuzzleLength is the number of delays in each schedule.
const PuzzleLength = 8

// Letters names the schedules of a Puzzle.
var Letters = [4]string{"A", "B", "C", "D"}

// Table is the puzzle as a header and rows: one row per schedule (for
// show.Table).
func (p Puzzle) Table() (header []string, rows [][]string) {
	header = []string{"schedule"}
	for n := range PuzzleLength {
		header = append(header, fmt.Sprintf("retry %d", n))
	}
	for i, s := range p.Schedules {
		row := []string{Letters[i]}
		for _, d := range s {
			row = append(row, fmt.Sprintf("%.1f", d))
		}
		rows = append(rows, row)
	}
	return header, rows
}

// Delays are shown rounded to 0.1 ms. roundSlack (ms) absorbs that
// rounding when the judge checks a schedule against a rule; puzzleSlack is
// the margin by which every wrong assignment must visibly break a rule's
// bounds, so that the printed delays suffice to solve the puzzle.
const (
	roundSlack  = 0.2
	puzzleSlack = 1.0
)

// fits reports whether schedule s could have been drawn by rule st with
// base b and cap c, allowing slack ms of rounding.
func fits(st retry.Strategy, b, c float64, s []float64, slack float64) bool {
	_, ok := violation(st, b, c, s, slack)
	return ok
}

// violation returns, for a schedule that rule st cannot have drawn, the
// first retry whose delay breaks the rule's bounds and why; ok is true when
// the schedule fits.
func violation(st retry.Strategy, b, c float64, s []float64, slack float64) (why string, ok bool) {
	prev := b
	for n, d := range s {
		ceil := min(c, math.Ldexp(b, n))
		var lo, hi float64
		switch st {
		case retry.Exponential:
			lo, hi = ceil, ceil
		case retry.FullJitter:
			lo, hi = 0, ceil
		case retry.EqualJitter:
			lo, hi = ceil/2, ceil
		case retry.DecorrelatedJitter:
			lo, hi = b, min(c, max(3*prev, b))
		}
		if d < lo-slack || d > hi+slack {
			return fmt.Sprintf("its delay before retry %d cannot come from %v", n, st), false
		}
		prev = d
	}
	return "", true
}

// solve returns the assignments of rules to the puzzle's schedules that fit
// with the given slack.
func solve(p Puzzle, slack float64) [][4]retry.Strategy {
	var out [][4]retry.Strategy
	perm := slices.Clone(retry.Strategies)
	var rec func(k int)
	rec = func(k int) {
		if k == 4 {
			var a [4]retry.Strategy
			copy(a[:], perm)
			for i := range 4 {
				if !fits(a[i], p.Base, p.Cap, p.Schedules[i], slack) {
					return
				}
			}
			out = append(out, a)
			return
		}
		for i := k; i < 4; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			rec(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	rec(0)
	return out
}

// solution is the one assignment of rules to schedules that fits (ok false
// if the puzzle does not have exactly one).
func (p Puzzle) solution() (rules [4]retry.Strategy, ok bool) {
	s := solve(p, roundSlack)
	if len(s) != 1 {
		return rules, false
	}
	return s[0], true
}

// newPuzzle draws schedules from the variant's random source until exactly
// one assignment fits even with puzzleSlack of rounding (a few tries at
// most; bounded).
func newPuzzle(rng *rand.Rand, base, cap float64) Puzzle {
	var last Puzzle
	for range 1000 {
		p := Puzzle{Base: base, Cap: cap}
		order := rng.Perm(4)
		for i, k := range order {
			pol, err := retry.NewPolicy(retry.Strategies[k], base, cap)
			if err != nil {
				panic("retries: bad puzzle policy: " + err.Error())
			}
			s, err := pol.Schedule(PuzzleLength, rng)
			if err != nil {
				panic("retries: bad puzzle schedule: " + err.Error())
			}
			for j := range s {
				s[j] = math.Round(s[j]*10) / 10 // what the student sees
			}
			p.Schedules[i] = s
		}
		last = p
		var truth [4]retry.Strategy
		for i, k := range order {
			truth[i] = retry.Strategies[k]
		}
		// The true assignment fits despite rounding, and no other fits
		// even with a generous margin.
		if s := solve(p, puzzleSlack); len(s) == 1 && s[0] == truth {
			if sol, ok := p.solution(); ok && sol == truth {
				return p
			}
		}
	}
	return last // not reached in practice; the tests check every variant they try
}

// Exercise1 shows four schedules and asks which rule drew each.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[Puzzle, []string]{
	Params: func(v exercise.Variant) Puzzle {
		base := exercise.Pick(v, 10.0, 2, 4, 5, 8, 10, 20)
		cap := base * exercise.Pick(v, 100.0, 25, 50, 100, 200)
		return newPuzzle(v.Rand(), base, cap)
	},
	Describe: func(p Puzzle) string {
		return fmt.Sprintf("base %s ms, cap %s ms; the schedules A–D are in the table below", exercise.Format(p.Base), exercise.Format(p.Cap))
	},
	Judge: func(p Puzzle, answer []string) exercise.Verdict {
		want, ok := p.solution()
		if !ok {
			return exercise.Wrong("this puzzle has no single answer", "tell your instructor: this is a bug in the lesson")
		}
		if len(answer) != 4 {
			return exercise.Wrong(fmt.Sprintf("the answer has %d names", len(answer)), "give four rule names, for A, B, C and D in that order")
		}
		got := make([]retry.Strategy, 4)
		for i, name := range answer {
			st, err := ParseStrategy(name)
			if err != nil {
				return exercise.WrongParts([]string{"schedule " + Letters[i]}, err.Error(), "use Exponential, FullJitter, EqualJitter or DecorrelatedJitter")
			}
			got[i] = st
		}
		seen := map[retry.Strategy]bool{}
		for _, st := range got {
			if seen[st] {
				return exercise.Wrong(fmt.Sprintf("%v is named twice", st), "each rule drew exactly one of the four schedules")
			}
			seen[st] = true
		}
		var wrong []string
		why := ""
		for i := range 4 {
			if got[i] != want[i] {
				wrong = append(wrong, "schedule "+Letters[i])
				if w, fits := violation(got[i], p.Base, p.Cap, p.Schedules[i], roundSlack); !fits && why == "" {
					why = "schedule " + Letters[i] + ": " + w
				}
			}
		}
		if len(wrong) == 0 {
			return exercise.Right()
		}
		if why == "" {
			why = fmt.Sprintf("%d of 4 schedules are matched to the wrong rule", len(wrong))
		}
		return exercise.WrongParts(wrong, why,
			"for each rule, write down the smallest and largest delay it can give before retry n, and look for a delay outside those bounds")
	},
})

// ParseStrategy reads a rule's name as a student may write it:
// "FullJitter", "full jitter", "full-jitter", "full" … (case and spaces do
// not matter).
func ParseStrategy(name string) (retry.Strategy, error) {
	k := strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.TrimSpace(name)))
	switch k {
	case "exponential", "exp", "capped", "cappedexponential", "nojitter":
		return retry.Exponential, nil
	case "fulljitter", "full":
		return retry.FullJitter, nil
	case "equaljitter", "equal":
		return retry.EqualJitter, nil
	case "decorrelatedjitter", "decorrelated":
		return retry.DecorrelatedJitter, nil
	}
	if name == "" {
		return 0, fmt.Errorf("a rule name is missing")
	}
	return 0, fmt.Errorf("%q is not a rule's name", name)
}

// ---- Exercise 2: clients in lock-step ----

// LockstepSetup is Exercise 2's set-up: N clients, exponential back-off
// with Base and Cap (ms) and no jitter, every message exactly 10 ms.
type LockstepSetup struct {
	Clients   int
	Base, Cap float64
}

// Lockstep is Exercise 2's answer: the writes the store serves and when the
// last client is done (ms).
type Lockstep struct {
	Calls  int
	DoneMS float64
}

// lockstepNet is the one-way delay of Exercise 2's network (ms).
const lockstepNet = 10

// Run runs the set-up on the contention model.
func (s LockstepSetup) Run() (ContentionResult, error) {
	p, err := retry.NewPolicy(retry.Exponential, s.Base, s.Cap)
	if err != nil {
		return ContentionResult{}, err
	}
	return Contention(ContentionConfig{Clients: s.Clients, Policy: p, NetMean: lockstepNet, NetSD: 0, Seed: 1})
}

// lockstepDone is the completion time when the sleep after failure f is
// delay(f): N rounds of four crossings, plus one sleep between rounds.
func (s LockstepSetup) lockstepDone(delay func(f int) float64) float64 {
	t := float64(s.Clients) * 4 * lockstepNet
	for f := 1; f < s.Clients; f++ {
		t += delay(f)
	}
	return t
}

// Exercise2 asks how many writes N clients in lock-step make and when the
// last one is done. The contention model decides; the tests check it
// against the closed forms.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[LockstepSetup, Lockstep]{
	Params: func(v exercise.Variant) LockstepSetup {
		if v.Example() {
			return LockstepSetup{Clients: 10, Base: 5, Cap: 2000}
		}
		n := exercise.IntBetween(v, 10, 7, 14)
		base := exercise.Pick(v, 5.0, 2, 4, 5, 8, 10)
		// A cap that the last one to three rounds reach.
		j := exercise.IntBetween(v, n-3, n-4, n-2)
		return LockstepSetup{Clients: n, Base: base, Cap: math.Ldexp(base, j) * exercise.Pick(v, 1.5, 1.25, 1.5, 1.75)}
	},
	Describe: func(s LockstepSetup) string {
		return fmt.Sprintf("N = %d clients, base %s ms, cap %s ms, every message exactly %d ms, no jitter",
			s.Clients, exercise.Format(s.Base), exercise.Format(s.Cap), lockstepNet)
	},
	Judge: func(s LockstepSetup, answer Lockstep) exercise.Verdict {
		r, err := s.Run()
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		var wrong []string
		var why []string
		hint := ""
		n := s.Clients
		if answer.Calls != r.Calls {
			wrong = append(wrong, "Calls")
			switch answer.Calls {
			case n * n:
				why = append(why, "not every client writes in every round")
			case n * (n - 1) / 2:
				why = append(why, "the calls miss the winners' writes")
			default:
				why = append(why, fmt.Sprintf("%d calls is %s", answer.Calls, exercise.Direction(float64(answer.Calls), float64(r.Calls), 0, 0.5)))
			}
			hint = "count the writers in each round: everybody still waiting writes, one wins"
		}
		if !exercise.Near(answer.DoneMS, r.Completion, 0, 0.01) {
			wrong = append(wrong, "DoneMS")
			p, _ := retry.NewPolicy(retry.Exponential, s.Base, s.Cap)
			shifted := s.lockstepDone(func(f int) float64 { d, _ := p.Delay(f-1, 0, nil); return d })
			uncapped := s.lockstepDone(func(f int) float64 { return math.Ldexp(s.Base, f) })
			noSleep := float64(n) * 4 * lockstepNet
			switch {
			case exercise.Near(answer.DoneMS, shifted, 0, 0.01):
				why = append(why, "the sleeps are one doubling short")
				hint = "section 2: the client that has just failed for the f-th time sleeps Delay(f) = min(cap, base·2ᶠ), so the first sleep is 2·base"
			case exercise.Near(answer.DoneMS, uncapped, 0, 0.01):
				why = append(why, "the cap is missing")
				hint = "no sleep is longer than the cap"
			case exercise.Near(answer.DoneMS, noSleep, 0, 0.01):
				why = append(why, "the time leaves out the sleeps between rounds")
				hint = "after each round the losers sleep before the next one"
			default:
				why = append(why, fmt.Sprintf("%s ms is %s", exercise.Format(answer.DoneMS), exercise.Direction(answer.DoneMS, r.Completion, 0, 0.01)))
				if hint == "" {
					hint = "add up the rounds (four crossings of the network each) and the sleeps between them, as section 2 does for N = 3"
				}
			}
		}
		if len(wrong) == 0 {
			return exercise.Right()
		}
		return exercise.WrongParts(wrong, strings.Join(why, "; "), hint)
	},
})

// ---- Exercise 3: write full jitter ----

// JitterCase is one test of a student's full jitter: Draws delays for the
// given attempt, drawn with a source seeded with Seed.
type JitterCase struct {
	Base, Cap float64
	Attempt   int
	Draws     int
	Seed      uint64
}

// maxDraws bounds a JitterCase.
const maxDraws = 10_000

// Draw calls f c.Draws times with a fresh source seeded from c.Seed.
func (c JitterCase) Draw(f BackoffFunc) []float64 {
	if f == nil || c.Draws < 0 || c.Draws > maxDraws {
		return nil
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x6a09e667f3bcc908))
	out := make([]float64, c.Draws)
	for i := range out {
		out[i] = f(c.Base, c.Cap, c.Attempt, rng)
	}
	return out
}

func (c JitterCase) String() string {
	return fmt.Sprintf("base %s ms, cap %s ms, attempt %d, %d draws", exercise.Format(c.Base), exercise.Format(c.Cap), c.Attempt, c.Draws)
}

// ceiling is min(cap, base·2^attempt) without overflow.
func (c JitterCase) ceiling() float64 {
	if c.Attempt > 1100 {
		return c.Cap
	}
	return min(c.Cap, math.Ldexp(c.Base, c.Attempt))
}

// judgeJitter checks that delays look like uniform draws on [0, ceiling]:
// all in range, spread out, mean and distribution (Kolmogorov–Smirnov)
// within bounds that a correct rule breaks with probability below 1e-8.
func judgeJitter(c JitterCase, got []float64) (why, hint string, ok bool) {
	ceil := c.ceiling()
	if len(got) != c.Draws {
		return fmt.Sprintf("%d delays for %d draws", len(got), c.Draws), "", false
	}
	for _, d := range got {
		if math.IsNaN(d) || d < 0 || d > ceil*(1+1e-12) {
			return fmt.Sprintf("a delay of %v ms is outside [0, min(cap, base·2^attempt)] = [0, %s] ms", d, exercise.Format(ceil)),
				"full jitter draws between 0 and the capped exponential delay", false
		}
	}
	lo, hi := slices.Min(got), slices.Max(got)
	if hi-lo < ceil/4 {
		return fmt.Sprintf("all delays lie within [%.4g, %.4g] ms: they hardly vary", lo, hi), "use rng.Float64(): jitter must be random", false
	}
	n := float64(len(got))
	mean := 0.0
	for _, d := range got {
		mean += d / n
	}
	if sd := ceil / math.Sqrt(12*n); math.Abs(mean-ceil/2) > 6*sd {
		return fmt.Sprintf("the mean delay is %.4g ms, but uniform draws on [0, %s] ms average half of that", mean, exercise.Format(ceil)),
			"every delay in [0, ceiling] should be equally likely", false
	}
	s := slices.Sorted(slices.Values(got))
	dmax := 0.0
	for i, x := range s {
		f := x / ceil
		dmax = max(dmax, math.Abs(f-float64(i)/n), math.Abs(float64(i+1)/n-f))
	}
	if dmax > 3.2/math.Sqrt(n) {
		return fmt.Sprintf("the delays are not spread evenly over [0, %s] ms", exercise.Format(ceil)),
			"every delay in [0, ceiling] should be equally likely", false
	}
	return "", "", true
}

// jitterVisible are the notebook's cases: base 10 ms, cap 1000 ms.
func jitterVisible() []JitterCase {
	var cs []JitterCase
	for _, a := range []int{0, 1, 2, 3, 5, 7, 9, 12} {
		cs = append(cs, JitterCase{Base: 10, Cap: 1000, Attempt: a, Draws: 4000, Seed: uint64(42 + a)})
	}
	return cs
}

// jitterHidden draws other bases, caps and attempts, with the corners:
// attempt 0, attempts past 63 (where 1<<attempt overflows), cap = base.
func jitterHidden(rng *rand.Rand) []JitterCase {
	var cs []JitterCase
	for range 12 {
		base := math.Round((0.5+rng.Float64()*50)*100) / 100
		cs = append(cs, JitterCase{Base: base, Cap: base * float64(1+rng.IntN(5000)), Attempt: rng.IntN(20), Draws: 4000, Seed: rng.Uint64()})
	}
	for _, a := range []int{0, 62, 64, 70, 2000} {
		cs = append(cs, JitterCase{Base: 3, Cap: 60000, Attempt: a, Draws: 4000, Seed: rng.Uint64()})
	}
	cs = append(cs, JitterCase{Base: 7, Cap: 7, Attempt: 5, Draws: 4000, Seed: rng.Uint64()})
	return cs
}

// Exercise3 asks for full jitter as a function, judged statistically on
// the visible cases and, under the grader, on hidden ones; each case is
// also drawn twice with the same seed, which must give the same delays
// (randomness only from rng).
var Exercise3 = exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[BackoffFunc, JitterCase, []float64]{
	Call: func(f BackoffFunc, c JitterCase) []float64 { return c.Draw(f) },
	Test: func(t *exercise.T[JitterCase, []float64]) {
		cases := jitterVisible()
		visible := len(cases)
		if t.Hidden() {
			cases = append(cases, jitterHidden(t.Rand())...)
		}
		for i, c := range cases {
			kind := "a visible case"
			if i >= visible {
				kind = "a hidden case"
			}
			got := t.Call(c)
			why, hint, ok := judgeJitter(c, got)
			if ok && !slices.Equal(got, t.Call(c)) {
				why, hint, ok = "the same seed gave different delays", "draw only from rng, never from the global source", false
			}
			if !ok {
				t.Fatal(exercise.Verdict{Why: "fails " + kind + ": " + why, Hint: hint, Case: "input: " + c.String()})
			}
		}
	},
})
