package partialfailure

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var students = []string{"", "alice", "bob", "s123", "x@y", "carol.d", "7"}

// Exercise 1, worked by hand: r1 leaves at 0, reaches the server at 10,
// is done at 40 and answered at 50. The timer set at 0 fires at 35: the
// retry leaves at 35, arrives at 45, is done at 75 and its answer
// arrives at 85 (the client, done since 50, still receives it). Two
// copies reached the server, so the balance is 20.
var transcriptAnswer = []Step{{0, Sent}, {35, TimerFired}, {35, Sent}, {50, Received}, {85, Received}}

func TestExercise1Transcript(t *testing.T) {
	s := Exercise1.ParamsFor("")
	assert.Equal(t, TranscriptSetting{DelayMs: 10, ProcessingMs: 30, TimeoutMs: 35, Attempts: 2}, s)
	require.True(t, Exercise1.VerdictFor("", Prediction{transcriptAnswer, 20}).Passed)
	tests := []struct {
		name    string
		steps   []Step
		balance int
		want    string
		parts   []string
	}{
		{"empty", nil, 0, "more than the 0 things you listed", nil},
		{"forgot the late answer", transcriptAnswer[:4], 20, "more than the 4 things", nil},
		{"answer at 75", []Step{{0, Sent}, {35, TimerFired}, {35, Sent}, {75, Received}, {85, Received}}, 20, "1 of 5 observations are wrong", []string{"observation 4 (its time)"}},
		{"order", []Step{{0, Sent}, {35, Sent}, {35, TimerFired}, {50, Received}, {85, Received}}, 20, "2 of 5", []string{"observation 2 (its kind)", "observation 3 (its kind)"}},
		{"one deposit", transcriptAnswer, 10, "the observations are right, the balance is not", nil},
		{"too many", append(append([]Step{}, transcriptAnswer...), Step{70, TimerFired}), 20, "fewer than the 6 things", nil},
	}
	for _, tc := range tests {
		v := Exercise1.VerdictFor("", Prediction{tc.steps, tc.balance})
		require.False(t, v.Passed, tc.name)
		assert.Contains(t, v.Why, tc.want, tc.name)
		assert.NotEmpty(t, v.Hint, tc.name)
		if tc.parts != nil {
			assert.Equal(t, tc.parts, v.Wrong, tc.name)
		}
	}
	assert.Contains(t, Exercise1.VerdictFor("", Prediction{transcriptAnswer[:4], 20}).Hint, "late answer")
	seen := map[TranscriptSetting]bool{}
	for _, id := range append(students, "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8") {
		s := Exercise1.ParamsFor(id)
		seen[s] = true
		run, err := s.Run()
		require.NoError(t, err, id)
		assert.True(t, unambiguous(run.Client), id)
		assert.Less(t, s.TimeoutMs, 2*s.DelayMs+s.ProcessingMs, "%s: a retry happens", id)
		right := Prediction{stepsOf(run.Client), run.Balance}
		assert.True(t, Exercise1.VerdictFor(id, right).Passed, id)
		// A wrong answer's verdict names positions, never the expected times.
		wrong := Prediction{append([]Step(nil), right.Steps...), right.Balance}
		wrong.Steps[1].Ms += 3
		v := Exercise1.VerdictFor(id, wrong)
		assert.False(t, v.Passed, id)
		assert.Equal(t, []string{"observation 2 (its time)"}, v.Wrong, id)
		// (the hint restates the setting's numbers, which the student has)
		assert.NotContains(t, v.Why+strings.Join(v.Wrong, " "), fmt.Sprintf("%g", right.Steps[1].Ms), id)
		wrong = Prediction{right.Steps, right.Balance + 10}
		assert.False(t, Exercise1.VerdictFor(id, wrong).Passed, id)
		v = Exercise1.VerdictFor(id, wrong)
		assert.NotContains(t, v.Why+v.Hint, fmt.Sprint(right.Balance), id)
	}
	assert.GreaterOrEqual(t, len(seen), 8, "students get different settings")
	_, err := TranscriptSetting{}.Run()
	assert.ErrorContains(t, err, "partialfailure: setting")
}

func TestSmallestTimeoutOracle(t *testing.T) {
	rtts := []netsim.Time{5, 1, 9, 3, 7, 2, 8, 4, 6, 10}
	rate := func(to netsim.Time) float64 {
		n := 0
		for _, r := range rtts {
			if r >= to {
				n++
			}
		}
		return float64(n) / float64(len(rtts))
	}
	for _, target := range []float64{0.05, 0.1, 0.15, 0.3, 0.55, 1} {
		best := smallestTimeout(rtts, target)
		assert.Less(t, rate(best), target, "target %v", target)
		if best > 1 {
			assert.GreaterOrEqual(t, rate(best-1), target, "target %v: best %v is the smallest", target, best)
		}
	}
}

func TestExercise2Timeout(t *testing.T) {
	s := Exercise2.ParamsFor("")
	assert.Equal(t, TimeoutSetting{MedianMs: 8, Sigma: 0.8, ProcessingMs: 2, Seed: 2026}, s)
	for _, id := range students {
		s := Exercise2.ParamsFor(id)
		r, err := FalseSuspicions(s.Detector())
		require.NoError(t, err)
		// The smallest timeout below 1%, to the nanosecond (checked against
		// an oracle in TestSmallestTimeoutOracle).
		exact := smallestTimeout(r.RTTs, 0.01)
		best := (exact + ms1 - 1) / ms1 * ms1 // what a sweep in 1 ms steps finds
		assert.True(t, Exercise2.VerdictFor(id, exact).Passed, id)
		assert.False(t, Exercise2.VerdictFor(id, exact-1).Passed, id)
		assert.True(t, Exercise2.VerdictFor(id, best).Passed, id)
		assert.True(t, Exercise2.VerdictFor(id, netsim.Time(TimeoutSlack*float64(exact))).Passed, id)
		assert.False(t, Exercise2.VerdictFor(id, netsim.Time(TimeoutSlack*float64(exact))+1).Passed, id)
		v := Exercise2.VerdictFor(id, best-ms1)
		assert.False(t, v.Passed, id)
		assert.Contains(t, v.Why, "falsely suspected")
		v = Exercise2.VerdictFor(id, 2*best)
		assert.False(t, v.Passed, id)
		assert.Contains(t, v.Why, "more than 25% longer than it needs to be")
		for _, w := range []netsim.Time{best - ms1, 2 * best, 0, -5, 200 * netsim.Second} {
			line := Exercise2.VerdictFor(id, w).Line("Exercise 2", 0)
			assert.NotContains(t, line, best.String(), "%s: the verdict gives the answer away", id)
		}
		if id == "" {
			fmt.Println("exercise 2: smallest timeout on a 1 ms grid:", best)
			// The notebook's coarse sweep gives no answer away.
			for _, to := range Timeouts(25*ms1, 175*ms1, 50*ms1) {
				assert.False(t, Exercise2.VerdictFor(id, to).Passed, "timeout %v", to)
			}
		}
	}
	assert.Contains(t, Exercise2.VerdictFor("", 0).Why, "longer than 0")
}

// handlerVerdict checks h with the hidden cases too.
func handlerVerdict(h Handler, hidden bool) exercise.Verdict {
	return Exercise3.VerdictOf(h, hidden, 7)
}

func TestExercise3Handler(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		v := Exercise3.VerdictOf(DedupHandler, true, seed)
		require.True(t, v.Passed, "seed %d: %+v", seed, v)
	}
	tests := []struct {
		name   string
		h      Handler
		want   string
		hidden bool // passes the visible cases, fails only hidden ones
	}{
		{"nil", nil, "your code panicked", false},
		{"naive", NaiveHandler, "after the repeated request deposit 10 [r1] (request 2 of the sequence) the balance is 20; it should be 10", false},
		{"nil map", func(acc *Account, req Request) Response {
			if _, ok := acc.Seen[req.ID]; !ok {
				acc.Balance += req.Amount
			}
			acc.Seen[req.ID] = Response{req.ID, acc.Balance}
			return acc.Seen[req.ID]
		}, "panicked", false},
		{"ignores everything", func(acc *Account, req Request) Response { return Response{ID: req.ID} }, "the balance is 0; it should be 10", false},
		{"wrong id", func(acc *Account, req Request) Response { return DedupHandler(acc, Request{req.ID + 100, req.Amount}) }, "carries id r101", false},
		{"stale balance", func(acc *Account, req Request) Response {
			r := DedupHandler(acc, req)
			r.Balance = 0
			return r
		}, "is ok balance=0 [r1]; it should be ok balance=10 [r1]", false},
		{"remembers only the last request", lastOnly(), "late duplicate of an older request", false},
		{"answers a repeat with the current balance", func(acc *Account, req Request) Response {
			if _, ok := acc.Seen[req.ID]; ok {
				return Response{req.ID, acc.Balance}
			}
			return DedupHandler(acc, req)
		}, "it should be ok balance=10 [r1]", false},
		{"remembers ids up to 1000 only", smallTable(), "fails a hidden case (random sequence", true},
	}
	for _, tc := range tests {
		v := handlerVerdict(tc.h, false)
		if tc.hidden {
			assert.True(t, v.Passed, "%s passes the visible cases: %+v", tc.name, v)
			v = handlerVerdict(tc.h, true)
		}
		require.False(t, v.Passed, tc.name)
		assert.Contains(t, v.Why, tc.want, tc.name)
		assert.NotEmpty(t, v.Case, tc.name)
		if tc.hidden {
			assert.NotContains(t, v.Why, "should be", "%s: a hidden case shows no expected output", tc.name)
		}
	}
	// The notebook's stub is the naive server.
	assert.Contains(t, handlerVerdict(NaiveHandler, false).Hint, "acc.Seen")
}

// lastOnly deduplicates against the most recent request only: right for
// a retry, wrong when a late duplicate of an older request arrives.
func lastOnly() Handler {
	return func(acc *Account, req Request) Response {
		if r, ok := acc.Seen[req.ID]; ok && len(acc.Seen) == 1 {
			return r
		}
		acc.Balance += req.Amount
		r := Response{req.ID, acc.Balance}
		acc.Seen = map[RequestID]Response{req.ID: r}
		return r
	}
}

// smallTable remembers request ids below 1000 only: enough for the
// lesson's 20 deposits, not for real request ids.
func smallTable() Handler {
	return func(acc *Account, req Request) Response {
		if req.ID >= 1000 {
			return NaiveHandler(acc, req)
		}
		return DedupHandler(acc, req)
	}
}

func TestExercisesAreRegistered(t *testing.T) {
	var names []string
	for _, e := range Lesson.Exercises() {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"Exercise 1", "Exercise 2", "Exercise 3"}, names)
	assert.Same(t, exercise.FindLesson("02-partial-failures"), Lesson)
	assert.False(t, math.IsNaN(TimeoutSlack))
}

// The judge of Exercise 1 takes any prediction without panicking.
func FuzzTranscriptJudge(f *testing.F) {
	f.Add("alice", 0.0, uint8(0), 35.0, uint8(2), 20)
	f.Fuzz(func(t *testing.T, id string, ms1 float64, k1 uint8, ms2 float64, k2 uint8, balance int) {
		id = exercise.CleanStudentID(id)
		p := Prediction{Steps: []Step{{ms1, ObsKind(k1)}, {ms2, ObsKind(k2)}}, Balance: balance}
		if v := Exercise1.VerdictFor(id, p); v.Passed {
			run, err := Exercise1.ParamsFor(id).Run()
			if err != nil || len(run.Client) != 2 {
				t.Fatalf("a two-step prediction passed for %q: %+v", id, p)
			}
		}
	})
}

func BenchmarkExercise3Visible(b *testing.B) {
	for b.Loop() {
		if v := Exercise3.VerdictOf(DedupHandler, false, 1); !v.Passed {
			b.Fatal(v)
		}
	}
}
