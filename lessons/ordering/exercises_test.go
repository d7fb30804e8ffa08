package ordering

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/vclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var studentIDs = []string{"", "alice", "bob", "s123", "x@y", "carol.d", "z-9"}

// noLeak asserts that a verdict's printed line does not contain any of the
// given forms of the expected answer.
func noLeak(t *testing.T, v exercise.Verdict, name string, forms ...string) {
	t.Helper()
	line := v.Line(name, 0)
	for _, f := range forms {
		assert.NotContains(t, line, f, "the verdict gives the answer away")
	}
}

func intsForms(x []int) []string {
	parts := make([]string, len(x))
	for i, v := range x {
		parts[i] = fmt.Sprint(v)
	}
	return []string{fmt.Sprint(x), "[" + strings.Join(parts, ",") + "]", strings.Join(parts, " "), strings.Join(parts, ", ")}
}

func TestExercise1(t *testing.T) {
	// The example variant is the prose's sequence.
	assert.Equal(t, []int{2, 1, 4, 4, 6, 3, 5}, Exercise1.ParamsFor("").Seqs)
	assert.True(t, Exercise1.VerdictFor("", []int{0, 2, 0, 0, 0, 2, 2}).Passed)
	seen := map[string]bool{}
	for _, id := range studentIDs {
		a := Exercise1.ParamsFor(id)
		seen[a.String()] = true
		// A valid variant: m1..m6 once each plus one later copy, not
		// starting with m1.
		require.Len(t, a.Seqs, 7, id)
		assert.NotEqual(t, 1, a.Seqs[0])
		distinct := slices.Compact(slices.Sorted(slices.Values(a.Seqs)))
		assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, distinct, id)
		want := DeliveriesPerArrival(a.Seqs)
		assert.True(t, Exercise1.VerdictFor(id, want).Passed, id)
		// Typical mistakes.
		v := Exercise1.VerdictFor(id, nil)
		assert.False(t, v.Passed)
		assert.Contains(t, v.Why, "0 numbers for 7 arrivals")
		naive := make([]int, 7)
		got := map[int]bool{}
		for i, s := range a.Seqs {
			if !got[s] {
				naive[i] = 1
			}
			got[s] = true
		}
		v = Exercise1.VerdictFor(id, naive)
		assert.Contains(t, v.Why, "delivers every new message the moment it arrives", id)
		noLeak(t, v, "Exercise 1", intsForms(want)...)
		wrong := slices.Clone(want)
		wrong[0]++
		v = Exercise1.VerdictFor(id, wrong)
		assert.False(t, v.Passed)
		noLeak(t, v, "Exercise 1", intsForms(want)...)
		for i := range wrong {
			wrong[i] = 7
		}
		v = Exercise1.VerdictFor(id, wrong)
		assert.Contains(t, v.Why, "only 6 messages were sent")
		assert.Contains(t, Exercise1.VerdictFor(id, []int{-1, 0, 0, 0, 0, 0, 0}).Why, "negative")
	}
	assert.GreaterOrEqual(t, len(seen), 5, "students get different arrivals")
	// Wrong positions are named by arrival.
	v := Exercise1.VerdictFor("", []int{0, 1, 1, 0, 0, 2, 2})
	assert.Equal(t, []string{"arrival 2 (m1)", "arrival 3 (m4)"}, v.Wrong)
}

func TestExercise2(t *testing.T) {
	p := Exercise2.ParamsFor("")
	assert.Equal(t, examplePuzzle, p)
	want := []string{"m2", "m1", "m3", "m5", "m4"}
	assert.Equal(t, want, p.StampOrder())
	assert.True(t, Exercise2.VerdictFor("", want).Passed)
	seen := map[string]bool{}
	for _, id := range studentIDs {
		p := Exercise2.ParamsFor(id)
		seen[fmt.Sprint(p)] = true
		order := p.StampOrder()
		assert.True(t, Exercise2.VerdictFor(id, order).Passed, id)
		assert.NotEqual(t, p.sendOrder(), order, "%s: a message overtakes another", id)
		// The simulator agrees with the hand computation.
		r, err := RunPuzzle(p)
		require.NoError(t, err)
		assert.Equal(t, order, r.Order, id)
		// Typical mistakes, diagnosed without giving the order away.
		v := Exercise2.VerdictFor(id, p.sendOrder())
		assert.Contains(t, v.Why, "order in which the messages were sent")
		noLeak(t, v, "Exercise 2", strings.Join(order, " "), strings.Join(order, ", "), fmt.Sprint(order))
		v = Exercise2.VerdictFor(id, []string{"m1"})
		assert.Contains(t, v.Why, "exactly once")
		swapped := slices.Clone(order)
		swapped[0], swapped[4] = swapped[4], swapped[0]
		v = Exercise2.VerdictFor(id, swapped)
		assert.False(t, v.Passed)
		noLeak(t, v, "Exercise 2", strings.Join(order, " "), fmt.Sprint(order))
	}
	assert.GreaterOrEqual(t, len(seen), 5)
	// Clock errors with the wrong sign are recognised (example: the
	// flipped stamps give m1 m2 m3 m4 m5? no — compute it).
	flipped := ClockPuzzle{Sends: p.Sends, Offsets: []float64{-0.4, 0.3, -0.1}}
	if fo := flipped.StampOrder(); !slices.Equal(fo, p.sendOrder()) {
		assert.Contains(t, Exercise2.VerdictFor("", fo).Why, "wrong sign")
	}
	v := Exercise2.VerdictFor("", []string{"m1", "m2", "m3", "m5", "m4"})
	assert.Equal(t, []string{"position 1", "position 2"}, v.Wrong)
}

// Implementations a student might write.
func onlySender(msg, local vclock.VC, s int) bool { return msg[s] == local[s]+1 }

func atMostNext(msg, local vclock.VC, s int) bool {
	for k := range msg {
		if k == s && msg[k] > local[k]+1 || k != s && msg[k] > local[k] {
			return false
		}
	}
	return true
}

func strictOthers(msg, local vclock.VC, s int) bool {
	for k := range msg {
		if k == s && msg[k] != local[k]+1 || k != s && msg[k] >= local[k] && msg[k] != 0 {
			return false
		}
	}
	return true
}

func threeNodesOnly(msg, local vclock.VC, s int) bool {
	for k := 0; k < 3; k++ {
		if k == s && msg[k] != local[k]+1 || k != s && msg[k] > local[k] {
			return false
		}
	}
	return true
}

func reference(msg, local vclock.VC, s int) bool {
	if s < 0 || s >= len(msg) || len(msg) != len(local) || msg[s] != local[s]+1 {
		return false
	}
	for k := range msg {
		if k != s && msg[k] > local[k] {
			return false
		}
	}
	return true
}

func TestExercise3(t *testing.T) {
	// The solution (as in the solutions file) and the library pass the
	// visible and hidden cases and the runs, whatever the grading seed.
	for seed := uint64(1); seed <= 5; seed++ {
		assert.True(t, Exercise3.VerdictOf(reference, true, seed).Passed, "seed %d: %+v", seed, Exercise3.VerdictOf(reference, true, seed))
		assert.True(t, Exercise3.VerdictOf(Deliverable, true, seed).Passed)
	}
	// The stub fails on the first visible case, shown in full.
	v := Exercise3.VerdictOf(func(vclock.VC, vclock.VC, int) bool { return false }, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Case, "deliverable(msg=[0,1,0], local=[0,0,0], sender=1)")
	assert.Contains(t, v.Case, "expected: true")
	// Plausible wrong rules fail visible cases...
	for name, f := range map[string]func(vclock.VC, vclock.VC, int) bool{
		"only the sender's entry": onlySender, "at most the next": atMostNext, "strict on the others": strictOthers,
		"everything": func(vclock.VC, vclock.VC, int) bool { return true },
	} {
		v := Exercise3.VerdictOf(f, false, 1)
		assert.False(t, v.Passed, name)
		assert.Contains(t, v.Why, "fails a visible case", name)
	}
	// ...and one that only works for three nodes passes them but fails the
	// hidden ones.
	assert.True(t, Exercise3.VerdictOf(threeNodesOnly, false, 1).Passed)
	v = Exercise3.VerdictOf(threeNodesOnly, true, 1)
	assert.False(t, v.Passed)
	assert.NotContains(t, v.Case, "expected", "a hidden case shows no expected output")
	// A rule that holds everything back from a third node forever passes
	// no run: messages are never delivered.
	holdOn := func(msg, local vclock.VC, s int) bool { return Deliverable(msg, local, s) && (len(msg) != 3 || s != 2) }
	v = Exercise3.VerdictOf(holdOn, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "never happened")
	// A rule that passes the table but then ignores the other senders
	// breaks causality in the run, and the verdict names the delivery.
	calls := 0
	lax := func(msg, local vclock.VC, s int) bool {
		if calls++; calls > len(deliverVisible) {
			return msg[s] == local[s]+1
		}
		return Deliverable(msg, local, s)
	}
	v = Exercise3.VerdictOf(lax, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "which causally precedes it")
}

func TestExercise4(t *testing.T) {
	assert.Equal(t, CostParams{N: 5, K: 4}, Exercise4.ParamsFor(""))
	assert.True(t, Exercise4.VerdictFor("", Costs{Mutex: 48, Broadcast: 80}).Passed)
	seen := map[CostParams]bool{}
	for _, id := range studentIDs {
		p := Exercise4.ParamsFor(id)
		seen[p] = true
		n, k := p.N, p.K
		// The simulator measures the formula the solution uses.
		m, b, err := MeasureCosts(p)
		require.NoError(t, err)
		want := Costs{Mutex: 3 * (n - 1) * k, Broadcast: n * (n - 1) * k}
		assert.Equal(t, want, Costs{Mutex: int(m), Broadcast: int(b)}, id)
		assert.True(t, Exercise4.VerdictFor(id, want).Passed, id)
		for _, c := range []struct {
			answer Costs
			why    string
		}{
			{Costs{3 * n * k, want.Broadcast}, "sends to itself"},
			{Costs{2 * (n - 1) * k, want.Broadcast}, "releases"},
			{Costs{want.Mutex, (n - 1) * k}, "only the data"},
			{Costs{want.Mutex, 2 * (n - 1) * k}, "back to the sender only"},
			{Costs{want.Mutex, n * n * k}, "sends to itself"},
		} {
			v := Exercise4.VerdictFor(id, c.answer)
			assert.False(t, v.Passed)
			assert.Contains(t, v.Why, c.why, "%s %+v", id, c.answer)
			noLeak(t, v, "Exercise 4", fmt.Sprint(want.Mutex), fmt.Sprint(want.Broadcast))
		}
		v := Exercise4.VerdictFor(id, Costs{})
		assert.Equal(t, []string{"Mutex", "Broadcast"}, v.Wrong)
		noLeak(t, v, "Exercise 4", fmt.Sprint(want.Mutex), fmt.Sprint(want.Broadcast))
	}
	assert.GreaterOrEqual(t, len(seen), 4)
	_, _, err := MeasureCosts(CostParams{N: 9, K: 1})
	assert.Error(t, err)
}

func TestReveals(t *testing.T) {
	var b strings.Builder
	writeHoldBack(&b, Exercise1.ParamsFor(""), nil)
	assert.Contains(t, b.String(), "first")
	b.Reset()
	writeHoldBack(&b, Exercise1.ParamsFor(""), []int{1})
	out := b.String()
	assert.Contains(t, out, "2: m1      m1 m2")
	assert.Contains(t, out, "nothing (a copy: thrown away)")
	b.Reset()
	writePuzzle(&b, examplePuzzle, nil)
	assert.Contains(t, b.String(), "first")
	b.Reset()
	writePuzzle(&b, examplePuzzle, []string{"m1"})
	assert.Contains(t, b.String(), "the receiver delivered: m2 m1 m3 m5 m4")
	b.Reset()
	writeCosts(&b, CostParams{5, 4}, Costs{})
	assert.Contains(t, b.String(), "first")
	b.Reset()
	writeCosts(&b, CostParams{5, 4}, Costs{1, 1})
	assert.Contains(t, b.String(), "mutual exclusion: 48 messages measured")
	assert.Contains(t, b.String(), "ordered broadcast: 80 messages measured")
}

func TestLessonRegistered(t *testing.T) {
	l := exercise.FindLesson("12-ordering-messages")
	require.NotNil(t, l)
	var names []string
	for _, e := range l.Exercises() {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"Exercise 1", "Exercise 2", "Exercise 3", "Exercise 4"}, names)
}
