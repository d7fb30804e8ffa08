package intro

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var students = []string{"", "alice", "bob", "s123", "x@y", "carol.d", "7"}

// answersFor returns the right fallacies for w: the first accepted one.
func answersFor(w WhichFallacy) []Fallacy {
	var out []Fallacy
	for _, i := range w.Snippets {
		out = append(out, snippets[i].Accept[0])
	}
	return out
}

func TestExercise1WhichFallacy(t *testing.T) {
	w := Exercise1.ParamsFor("")
	assert.Equal(t, []int{0, 1, 2}, w.Snippets, "the example is the prose's A, B and C")
	assert.True(t, Exercise1.VerdictFor("", []Fallacy{ZeroLatency, ReliableNetwork, HomogeneousNetwork}).Passed)

	v := Exercise1.VerdictFor("", []Fallacy{NoFallacy, NoFallacy, NoFallacy})
	assert.False(t, v.Passed)
	assert.Equal(t, []string{"snippet A", "snippet B", "snippet C"}, v.Wrong)
	assert.Contains(t, v.Why, "3 of 3 snippets have no fallacy yet")
	v = Exercise1.VerdictFor("", []Fallacy{ZeroLatency, SecureNetwork, HomogeneousNetwork})
	assert.Equal(t, []string{"snippet B"}, v.Wrong)
	assert.Contains(t, v.Why, "1 of 3 snippets are matched to a fallacy they do not assume")
	assert.Contains(t, Exercise1.VerdictFor("", []Fallacy{ZeroLatency}).Why, "1 answers for 3 snippets")

	seen := map[string]bool{}
	for _, id := range append(students, "a1", "a2", "a3", "a4", "a5", "a6") {
		w := Exercise1.ParamsFor(id)
		require.True(t, w.valid(), id)
		seen[fmt.Sprint(w.Snippets)] = true
		right := answersFor(w)
		assert.True(t, Exercise1.VerdictFor(id, right).Passed, id)
		// Three different fallacies.
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(right))), 3, id)
		// A wrong answer never names the right one.
		for shift := 1; shift < 8; shift++ {
			wrong := make([]Fallacy, 3)
			for k, f := range right {
				wrong[k] = Fallacy((int(f)-1+shift)%8 + 1)
			}
			v := Exercise1.VerdictFor(id, wrong)
			line := v.Line("Exercise 1", 0)
			for k, i := range w.Snippets {
				if slices.Contains(snippets[i].Accept, wrong[k]) {
					continue
				}
				assert.False(t, v.Passed)
				for _, f := range snippets[i].Accept {
					assert.NotContains(t, strings.ToLower(v.Why+v.Hint), f.String(), "%s: the verdict names the answer", id)
				}
			}
			assert.NotEmpty(t, line)
		}
	}
	assert.GreaterOrEqual(t, len(seen), 5, "students get different snippets")
	var b bytes.Buffer
	require.NoError(t, WriteSnippets(&b, Exercise1.ParamsFor("")))
	assert.Contains(t, b.String(), "// A: show the names of a user's 200 friends\nfor _, id := range friendIDs {")
	assert.Error(t, WriteSnippets(&b, WhichFallacy{Snippets: []int{0, 99, 1}}))
	assert.Error(t, WriteSnippets(nil, Exercise1.ParamsFor("")))
}

// Every fallacy has snippets, hints never name the fallacy they lead to.
func TestSnippetPool(t *testing.T) {
	for _, f := range Fallacies() {
		n := 0
		for _, s := range snippets {
			if s.Accept[0] == f {
				n++
			}
		}
		assert.GreaterOrEqual(t, n, 2, "fallacy %v", f)
	}
	for _, s := range snippets {
		for _, f := range s.Accept {
			assert.NotContains(t, strings.ToLower(s.Hint), f.String(), s.Title)
			assert.NotContains(t, s.Hint, f.GoName(), s.Title)
		}
		assert.NotEmpty(t, s.Code)
	}
}

func TestExercise2Overload(t *testing.T) {
	o := Exercise2.ParamsFor("")
	assert.Equal(t, Overload{Load: 1.2, At: 5}, o)
	// By hand: the queue gains 200 messages a second; after 5 s, 1000
	// messages wait ahead, which the link sends in 1 s; plus 1 ms to send
	// the message itself and 5 ms on the wire.
	assert.InDelta(t, 1006.0, o.Want(), 1e-9)
	assert.True(t, Exercise2.VerdictFor("", 1000).Passed)
	assert.Contains(t, Exercise2.VerdictFor("", 1.006).Why, "seconds")
	assert.Contains(t, Exercise2.VerdictFor("", 503).Why, "average")
	assert.Contains(t, Exercise2.VerdictFor("", 6000).Why, "every message sent so far")
	assert.Contains(t, Exercise2.VerdictFor("", 6).Why, "empty link")
	for _, id := range students {
		o := Exercise2.ParamsFor(id)
		want := o.Want()
		assert.True(t, o.Load > 1 && o.Load <= 1.6 && o.At >= 3 && o.At <= 12, "%s: %+v", id, o)
		assert.True(t, Exercise2.VerdictFor(id, want).Passed, id)
		// The simulation agrees with the fluid model the judge uses.
		sim, err := o.Simulate(1)
		require.NoError(t, err)
		assert.InEpsilon(t, want, sim, 0.05, "%s: %+v", id, o)
		assert.True(t, Exercise2.VerdictFor(id, sim).Passed, "%s: the simulated value counts as a right prediction", id)
		for _, wrong := range []float64{0, -1, want * 2, want / 3, math.NaN(), math.Inf(1)} {
			v := Exercise2.VerdictFor(id, wrong)
			assert.False(t, v.Passed, "%s: %v", id, wrong)
			line := v.Line("Exercise 2", 0)
			assert.NotContains(t, line, exercise.Format(want), "%s: the verdict gives the answer away", id)
			assert.NotContains(t, line, fmt.Sprintf("%.0f", want), "%s: the verdict gives the answer away", id)
		}
	}
	_, err := Overload{Load: 0, At: 5}.Simulate(1)
	assert.ErrorContains(t, err, "intro: load 0")
}

// chunked is the reference plan: keys in requests of MaxKeys.
func chunked(keys []string) [][]string {
	var reqs [][]string
	for len(keys) > 0 {
		n := min(MaxKeys, len(keys))
		reqs = append(reqs, keys[:n])
		keys = keys[n:]
	}
	return reqs
}

func TestExercise3Batching(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		v := Exercise3.VerdictOf(chunked, true, seed)
		assert.True(t, v.Passed, "seed %d: %+v", seed, v)
	}
	v := Exercise3.VerdictOf(Chatty, false, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "20 requests, so 20 round trips; 3 are enough")
	assert.Contains(t, v.Case, "expected:  every key exactly once, at most 8 keys per request, 3 requests")
	v = Exercise3.VerdictOf(Batched, false, 1)
	assert.Contains(t, v.Why, "request 1 asks for 20 keys; the server refuses more than 8")
	dropTail := func(keys []string) [][]string {
		r := chunked(keys)
		if len(keys)%MaxKeys != 0 {
			r = r[:len(r)-1]
		}
		return r
	}
	assert.Contains(t, Exercise3.VerdictOf(dropTail, false, 1).Why, "is never requested")
	twice := func(keys []string) [][]string { return append(chunked(keys), keys[:1]) }
	assert.Contains(t, Exercise3.VerdictOf(twice, false, 1).Why, "requested 2 times")
	// Passes the visible cases, fails hidden ones: no keys must mean no request.
	empty := func(keys []string) [][]string {
		if len(keys) == 0 {
			return [][]string{{}}
		}
		return chunked(keys)
	}
	assert.True(t, Exercise3.VerdictOf(empty, false, 1).Passed)
	v = Exercise3.VerdictOf(empty, true, 1)
	assert.False(t, v.Passed)
	assert.Contains(t, v.Why, "fails a hidden case: request 1 is empty")
	assert.NotContains(t, v.Case, "expected", "a hidden case shows its input only")
	// Tuned to the visible sizes only.
	tuned := func(keys []string) [][]string {
		if len(keys) > 20 {
			return [][]string{keys}
		}
		return chunked(keys)
	}
	assert.True(t, Exercise3.VerdictOf(tuned, false, 1).Passed)
	assert.False(t, Exercise3.VerdictOf(tuned, true, 3).Passed)

	// On the simulator, the reference plan takes ceil(20/8) round trips.
	r, err := FetchLimited(chunked, Keys(20), 10*netsim.Millisecond, MaxKeys)
	require.NoError(t, err)
	assert.Equal(t, 3, r.RoundTrips)
	assert.Equal(t, 60*netsim.Millisecond, r.Total)
	assert.Zero(t, r.Refused)
	r, err = FetchLimited(Batched, Keys(20), 10*netsim.Millisecond, MaxKeys)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Refused)
	assert.Empty(t, r.Fetched)
	_, err = FetchLimited(Batched, Keys(2), 0, -1)
	assert.ErrorContains(t, err, "intro: at most -1 keys")
}

func TestExercise4MAC(t *testing.T) {
	ref := func(p, tag []byte) bool { return Verify(MACKey, p, tag) }
	for seed := uint64(1); seed <= 5; seed++ {
		assert.True(t, Exercise4.VerdictOf(ref, true, seed).Passed, "seed %d", seed)
	}
	trusting := func(p, tag []byte) bool { return true }
	v := Exercise4.VerdictOf(trusting, false, 1)
	assert.Contains(t, v.Why, "fails a visible case (an order whose recipient was changed to mallory)")
	assert.Contains(t, v.Case, "expected: false")
	assert.Contains(t, Exercise4.VerdictOf(func(p, tag []byte) bool { return false }, false, 1).Why, "an untouched order")
	prefix := func(p, tag []byte) bool { return len(tag) > 0 && bytes.HasPrefix(Sign(MACKey, p), tag) }
	assert.Contains(t, Exercise4.VerdictOf(prefix, false, 1).Why, "truncated tag")
	wrongKey := func(p, tag []byte) bool { return Verify([]byte("guess"), p, tag) }
	assert.False(t, Exercise4.VerdictOf(wrongKey, false, 1).Passed)
	// Ignores bytes after the first 32: passes the visible cases only.
	first32 := func(p, tag []byte) bool { return len(tag) >= 32 && hmac.Equal(Sign(MACKey, p), tag[:32]) }
	assert.True(t, Exercise4.VerdictOf(first32, false, 1).Passed)
	v = Exercise4.VerdictOf(first32, true, 1)
	assert.Contains(t, v.Why, "fails a hidden case (a tag with a byte too many)")
	assert.Contains(t, v.Case, "payload")
	// The check cannot be fooled by changing the slices it hands over.
	mutating := func(p, tag []byte) bool {
		ok := Verify(MACKey, p, tag)
		for i := range tag {
			tag[i] = 0
		}
		return ok
	}
	assert.True(t, Exercise4.VerdictOf(mutating, true, 2).Passed)
}

func TestExercisesAreRegistered(t *testing.T) {
	assert.Equal(t, "01-introduction", Lesson.ID)
	var names []string
	for _, e := range Lesson.Exercises() {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"Exercise 1", "Exercise 2", "Exercise 3", "Exercise 4"}, names)
	assert.Same(t, exercise.FindLesson("01-introduction"), Lesson)
}

// The coordinator the notebook shows in a cell is the library's; without
// its duplicate check, duplicated answers make the total wrong.
func TestCoordinatorDuplicates(t *testing.T) {
	noDedup := func(c *Coordinator, ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			if reply, ok := ev.Msg.(SumReply); ok {
				i := c.Index(ev.From)
				c.Answered[i] = true
				c.Total += reply.Sum // counts a duplicate again
				c.Finished = ctx.Now()
				return
			}
		}
		Coordinate(c, ctx, ev)
	}
	wrong := 0
	for seed := uint64(1); seed <= 50; seed++ {
		cfg := MessageSumConfig{Seed: seed, Items: 10_000, Loss: 0.2, Duplicate: 0.3, Retry: true}
		r, err := MessageSum(cfg)
		require.NoError(t, err)
		assert.True(t, r.Complete(), "seed %d", seed)
		assert.Equal(t, r.Expected, r.Total, "seed %d: the library counts each answer once", seed)
		cfg.Coordinator = noDedup
		bad, err := MessageSum(cfg)
		require.NoError(t, err)
		if bad.Total != bad.Expected {
			assert.Greater(t, bad.Total, bad.Expected)
			wrong++
		}
	}
	// The notebook's run: a network that duplicates 30% of the messages.
	cfg := MessageSumConfig{Seed: 1, Items: 10_000, Duplicate: 0.3, Retry: true}
	r, err := MessageSum(cfg)
	require.NoError(t, err)
	assert.Equal(t, r.Expected, r.Total)
	cfg.Coordinator = noDedup
	bad, err := MessageSum(cfg)
	require.NoError(t, err)
	assert.Greater(t, bad.Total, bad.Expected, "seed 1 shows the wrong total")
	assert.Greater(t, wrong, 25, "most runs count a duplicate")
	// The default is Coordinate.
	a, err := MessageSum(MessageSumConfig{Seed: 3, Loss: 0.2, Retry: true})
	require.NoError(t, err)
	b, err := MessageSum(MessageSumConfig{Seed: 3, Loss: 0.2, Retry: true, Coordinator: Coordinate})
	require.NoError(t, err)
	a.Config.Coordinator, b.Config.Coordinator = nil, nil
	assert.Equal(t, a, b)
	_, err = MessageSum(MessageSumConfig{Duplicate: 2})
	assert.ErrorContains(t, err, "intro: loss probability 0 and duplicate probability 2")
}

func TestFallacyHistory(t *testing.T) {
	count := map[string]int{}
	for _, f := range Fallacies() {
		o, ok := f.Origin()
		require.True(t, ok, f.String())
		count[o.String()]++
	}
	assert.Equal(t, map[string]int{"Bill Joy and Tom Lyon, c. 1991": 4, "L. Peter Deutsch, 1994": 3, "James Gosling, c. 1997": 1}, count)
	_, ok := NoFallacy.Origin()
	assert.False(t, ok)
	assert.Len(t, DeutschSeven(), 7)
	assert.NotContains(t, DeutschSeven(), HomogeneousNetwork)
	// The notes' seven: Deutsch's without the administrator, plus Gosling's.
	notes := NotesFallacies()
	assert.Len(t, notes, 7)
	assert.NotContains(t, notes, OneAdministrator)
	assert.Contains(t, notes, HomogeneousNetwork)
	h, rows := FallacyHistoryTable()
	assert.Len(t, rows, 8)
	assert.Len(t, rows[0], len(h))
	assert.Equal(t, []string{"6", "there is one administrator", "L. Peter Deutsch, 1994", "yes", "no"}, rows[5])
	assert.Equal(t, []string{"8", "the network is homogeneous", "James Gosling, c. 1997", "no", "yes"}, rows[7])
	assert.Equal(t, "HomogeneousNetwork", HomogeneousNetwork.GoName())
}

func TestWhoAmI(t *testing.T) {
	t.Setenv(exercise.StudentEnv, "")
	t.Setenv(exercise.HubUserEnv, "")
	assert.Contains(t, WhoAmI(), "No student ID is set")
	t.Setenv(exercise.HubUserEnv, "ann")
	assert.Equal(t, `Student ID "ann" (from JUPYTERHUB_USER): the exercises show your own numbers.`, WhoAmI())
	t.Setenv(exercise.StudentEnv, "alice")
	assert.Contains(t, WhoAmI(), `"alice" (from COURSE_STUDENT_ID)`)
}

// The judges take any answer a student can type without panicking, and
// never say right to a value far from the model.
func FuzzExerciseJudges(f *testing.F) {
	f.Add("alice", 1006.0, 1, 2, 8)
	f.Add("", math.NaN(), -1, 99, 0)
	f.Fuzz(func(t *testing.T, id string, wait float64, a, b, c int) {
		id = exercise.CleanStudentID(id)
		v := Exercise2.VerdictFor(id, wait)
		if v.Passed && !exercise.Near(wait, Exercise2.ParamsFor(id).Want(), 0.1, 0) {
			t.Fatalf("%v passed for %q", wait, id)
		}
		Exercise1.VerdictFor(id, []Fallacy{Fallacy(a), Fallacy(b), Fallacy(c)})
	})
}

func BenchmarkOverloadRun(b *testing.B) {
	for b.Loop() {
		if _, err := RunBandwidth(BandwidthConfig{Seed: 1, Loads: []float64{1.5}}); err != nil {
			b.Fatal(err)
		}
	}
}
