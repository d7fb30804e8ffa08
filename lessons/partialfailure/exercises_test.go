package partialfailure

import (
	"fmt"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Exercise 1, worked by hand: r1 leaves at 0, reaches the server at 10,
// is done at 40 and answered at 50. The timer set at 0 fires at 35: the
// retry leaves at 35, arrives at 45, is done at 75 and its answer
// arrives at 85 (the client, done since 50, still receives it). Two
// copies reached the server, so the balance is 20.
var transcriptAnswer = []Step{{0, Sent}, {35, TimerFired}, {35, Sent}, {50, Received}, {85, Received}}

func TestCheckTranscript(t *testing.T) {
	require.NoError(t, CheckTranscript(transcriptAnswer, 20))
	tests := []struct {
		name    string
		steps   []Step
		balance int
		want    string
	}{
		{"empty", nil, 0, "expected 5 observations, got 0"},
		{"forgot the late answer", transcriptAnswer[:4], 20, "late answer"},
		{"answer at 75", []Step{{0, Sent}, {35, TimerFired}, {35, Sent}, {75, Received}, {85, Received}}, 20, `observation 4: expected "received" at 50 ms, got "received" at 75 ms`},
		{"order", []Step{{0, Sent}, {35, Sent}, {35, TimerFired}, {50, Received}, {85, Received}}, 20, "observation 2"},
		{"one deposit", transcriptAnswer, 10, "final balance: expected 20, got 10"},
		{"too many", append(append([]Step{}, transcriptAnswer...), Step{70, TimerFired}), 20, "expected 5 observations, got 6"},
	}
	for _, tc := range tests {
		err := CheckTranscript(tc.steps, tc.balance)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
		assert.Contains(t, err.Error(), "hint:", tc.name)
	}
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

func TestCheckTimeout(t *testing.T) {
	cfg := TimeoutExerciseDetector()
	cfg.Timeouts = Timeouts(ms1, 300*ms1, ms1)
	r, err := FalseSuspicions(cfg)
	require.NoError(t, err)
	best, ok := r.SmallestTimeout(0.01)
	require.True(t, ok)
	fmt.Println("exercise 2: smallest timeout on a 1 ms grid:", best)
	// The reference solution: the smallest timeout from a sweep.
	require.NoError(t, CheckTimeout(best))
	require.NoError(t, CheckTimeout(best+5*ms1))
	err = CheckTimeout(best - ms1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected a false-suspicion rate below 1%")
	err = CheckTimeout(25 * ms1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "seed 2026")
	err = CheckTimeout(2 * best)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "at most")
	assert.ErrorContains(t, CheckTimeout(0), "expected a timeout > 0")
	// The notebook's coarse sweep (25, 75, 125, 175 ms) gives no answer
	// away: the student has to narrow it down.
	for _, to := range Timeouts(25*ms1, 175*ms1, 50*ms1) {
		assert.Error(t, CheckTimeout(to), "timeout %v", to)
	}
}

func TestCheckDedupHandler(t *testing.T) {
	require.NoError(t, CheckDedupHandler(DedupHandler))
	tests := []struct {
		name string
		h    Handler
		want string
	}{
		{"nil", nil, "got nil"},
		{"naive", NaiveHandler, "after the repeated request deposit 10 [r1] the balance should be 10, got 20"},
		{"nil map", func(acc *Account, req Request) Response {
			if _, ok := acc.Seen[req.ID]; !ok {
				acc.Balance += req.Amount
			}
			acc.Seen[req.ID] = Response{req.ID, acc.Balance}
			return acc.Seen[req.ID]
		}, "panicked"},
		{"ignores everything", func(acc *Account, req Request) Response { return Response{ID: req.ID} }, "balance should be 10, got 0"},
		{"wrong id", func(acc *Account, req Request) Response { return DedupHandler(acc, Request{req.ID + 100, req.Amount}) }, "carries ID"},
		{"stale balance", func(acc *Account, req Request) Response {
			r := DedupHandler(acc, req)
			r.Balance = 0
			return r
		}, "reports balance 0"},
		{"remembers only the last request", lastOnly(), "slow answers"},
	}
	for _, tc := range tests {
		err := CheckDedupHandler(tc.h)
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
		assert.Contains(t, err.Error(), "hint:", tc.name)
	}
}

// lastOnly deduplicates against the most recent request only: right for
// the hand-made sequence, wrong when a late duplicate of an older request
// arrives (network duplicates, slow answers).
func lastOnly() Handler {
	var last RequestID
	var lastResp Response
	return func(acc *Account, req Request) Response {
		if req.ID == last && last != 0 {
			return lastResp
		}
		acc.Balance += req.Amount
		last, lastResp = req.ID, Response{req.ID, acc.Balance}
		return lastResp
	}
}
