package partialfailure

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
)

// Step is a student's prediction of one client observation: when (in ms)
// and what kind.
type Step struct {
	Ms   float64
	Kind ObsKind
}

// TranscriptExerciseConfig is the setting of Exercise 1: every message
// takes exactly 10 ms, the server needs 30 ms per request, the client
// waits 35 ms and tries a request at most twice.
func TranscriptExerciseConfig() ScenarioConfig {
	return ScenarioConfig{
		Seed:           1,
		Delay:          netsim.Const(10 * netsim.Millisecond),
		Processing:     30 * netsim.Millisecond,
		SlowProcessing: 30 * netsim.Millisecond,
		Timeout:        35 * netsim.Millisecond,
		MaxAttempts:    2,
	}
}

// TranscriptExercise runs Exercise 1's scenario: one deposit of 10 to a
// slow (but working) server.
func TranscriptExercise() (*ScenarioRun, error) {
	return RunScenario(SlowServer, TranscriptExerciseConfig())
}

// CheckTranscript checks Exercise 1: the client's observations, in order,
// and the server's final balance.
func CheckTranscript(steps []Step, balance int) error {
	run, err := TranscriptExercise()
	if err != nil {
		return err
	}
	want := run.Client
	for i, o := range want {
		if i >= len(steps) {
			hint := "one observation per send, per timer that fires and per message that arrives"
			if i == len(want)-1 {
				hint = "a late answer still arrives, even when the client no longer waits for it"
			}
			return fmt.Errorf("expected %d observations, got %d: observation %d is missing. hint: %s", len(want), len(steps), i+1, hint)
		}
		s := steps[i]
		if s.Kind != o.Kind || s.Ms != ms(o.At) {
			return fmt.Errorf("observation %d: expected %q at %g ms, got %q at %g ms. hint: a request needs 10 ms to arrive, 30 ms at the server and 10 ms back; the timer is set at every send",
				i+1, o.Kind, ms(o.At), s.Kind, s.Ms)
		}
	}
	if len(steps) > len(want) {
		return fmt.Errorf("expected %d observations, got %d. hint: the client stops after its deposit is acknowledged", len(want), len(steps))
	}
	if balance != run.Balance {
		return fmt.Errorf("the observations are right; final balance: expected %d, got %d. hint: how many copies of the deposit reached the server?", run.Balance, balance)
	}
	return nil
}

// TimeoutExerciseDetector is the system of Exercise 2: one-way delays
// log-normal with median 8 ms and σ = 0.8, 2 ms of processing, 5000
// probes, seed 2026. Run FalseSuspicions on it with your own timeouts.
func TimeoutExerciseDetector() DetectorConfig {
	return DetectorConfig{
		Name:       "exercise: delay lognormal(8ms, σ=0.8)",
		Seed:       2026,
		Delay:      netsim.LogNormal(8*netsim.Millisecond, 0.8),
		Processing: 2 * netsim.Millisecond,
		Probes:     5000,
		Timeouts:   []netsim.Time{100 * netsim.Millisecond},
	}
}

// TimeoutSlack is how much longer than necessary Exercise 2's timeout
// may be.
const TimeoutSlack = 1.25

// smallestTimeout is the smallest timeout (to the nanosecond) whose
// false-suspicion rate on these round-trip times is below rate. A probe
// is suspected when its RTT >= timeout (at a tie, the timer fires first).
func smallestTimeout(rtts []netsim.Time, rate float64) netsim.Time {
	s := slices.Clone(rtts)
	slices.Sort(s)
	n := len(s)
	// k probes may be suspected: the largest k with k/n < rate.
	k := 0
	for float64(k+1)/float64(n) < rate {
		k++
	}
	if k >= n {
		return 1
	}
	return s[n-1-k] + 1 // the (k+1)-th largest RTT must not be suspected
}

// CheckTimeout checks Exercise 2: a timeout whose false-suspicion rate on
// TimeoutExerciseDetector is below 1%, without being more than
// TimeoutSlack times the smallest such timeout.
func CheckTimeout(t netsim.Time) error {
	if t <= 0 {
		return fmt.Errorf("expected a timeout > 0, got %v. hint: write it like 50 * netsim.Millisecond", t)
	}
	cfg := TimeoutExerciseDetector()
	cfg.Timeouts = []netsim.Time{t}
	r, err := FalseSuspicions(cfg)
	if err != nil {
		return err
	}
	rate := r.Points[0].Rate
	best := smallestTimeout(r.RTTs, 0.01)
	if rate >= 0.01 {
		return fmt.Errorf("at timeout %v: expected a false-suspicion rate below 1%%, got %.2f%% (%d of %d probes, seed %d). hint: run partialfailure.FalseSuspicions on TimeoutExerciseDetector() with a range of timeouts and read the table",
			t, 100*rate, r.Points[0].Suspicions, cfg.Probes, cfg.Seed)
	}
	if float64(t) > TimeoutSlack*float64(best) {
		return fmt.Errorf("at timeout %v the rate is %.2f%%, below 1%%, but expected a timeout of at most %.0f ms (%.2f× the smallest that works): a crashed server would go unnoticed for longer than needed. hint: look for the smallest timeout below 1%% in a finer sweep",
			t, 100*rate, TimeoutSlack*ms(best), TimeoutSlack)
	}
	return nil
}

// handlerProbe runs h on acc and req, turning a panic into an error.
func handlerProbe(h Handler, acc *Account, req Request) (resp Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("your handler panicked on %v: %v. hint: acc.Seen starts as nil; create the map before writing to it", req, p)
		}
	}()
	return h(acc, req), nil
}

// CheckDedupHandler checks Exercise 3: a handler that makes deposits
// exactly-once under retries. It first feeds the handler a short
// sequence by hand, then runs it in many seeded simulations with lost
// messages, duplicated messages and premature timeouts, and compares the
// server's final balance with the intended one.
func CheckDedupHandler(h Handler) error {
	if h == nil {
		return fmt.Errorf("expected a handler function, got nil. hint: write func(acc *partialfailure.Account, req partialfailure.Request) partialfailure.Response")
	}
	// By hand: r1, r1 again (a retry), then r2.
	var acc Account
	seq := []struct {
		req     Request
		balance int
	}{{Request{1, 10}, 10}, {Request{1, 10}, 10}, {Request{2, 10}, 20}}
	for i, s := range seq {
		resp, err := handlerProbe(h, &acc, s.req)
		if err != nil {
			return err
		}
		if acc.Balance != s.balance {
			what := "first"
			if i == 1 {
				what = "repeated"
			}
			return fmt.Errorf("after the %s request %v the balance should be %d, got %d. hint: apply a request the first time its ID is seen, and only then", what, s.req, s.balance, acc.Balance)
		}
		if resp.ID != s.req.ID {
			return fmt.Errorf("the response to %v carries ID r%d, expected r%d. hint: the client matches answers to requests by ID", s.req, resp.ID, s.req.ID)
		}
		if resp.Balance != s.balance {
			return fmt.Errorf("the response to %v reports balance %d, expected %d. hint: answer a repeated request with the response you gave the first time", s.req, resp.Balance, s.balance)
		}
	}
	// In simulation.
	type setting struct {
		name string
		cfg  RetryConfig
		loss float64
	}
	lossy := DefaultRetryConfig()
	dup := DefaultRetryConfig()
	dup.Duplicate = 0.2
	settings := []setting{{"loss 0.1", lossy, 0.1}, {"loss 0.3", lossy, 0.3}, {"loss 0.5", lossy, 0.5},
		{"loss 0.1 and 20% duplicated messages", dup, 0.1}, {"no loss but slow answers (timeout 20 ms)", PrematureConfig(), 0}}
	for _, s := range settings {
		for seed := uint64(1); seed <= 50; seed++ {
			var perr error
			safe := func(acc *Account, req Request) Response {
				if perr != nil {
					return Response{}
				}
				r, err := handlerProbe(h, acc, req)
				perr = err
				return r
			}
			o, err := RunDeposits(s.cfg, s.loss, seed, safe)
			if err != nil {
				return err
			}
			if perr != nil {
				return perr
			}
			if !o.Done || o.GaveUp > 0 {
				return fmt.Errorf("with %s (seed %d): the client never got an answer to some deposits. hint: a repeated request must still be answered", s.name, seed)
			}
			if e := o.Extra(s.cfg.Amount); e != 0 {
				return fmt.Errorf("with %s (seed %d): expected the final balance %d, got %d (%+d deposits of %d). hint: keep the response of every request ID you applied in acc.Seen",
					s.name, seed, o.Intended, o.Balance, e, s.cfg.Amount)
			}
		}
	}
	return nil
}
