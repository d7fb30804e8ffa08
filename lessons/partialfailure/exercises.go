package partialfailure

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
)

// Lesson holds the exercises of notebook 02.
var Lesson = exercise.NewLesson("02-partial-failures", "Partial failures and the asynchronous model")

// ---- Exercise 1: predict the client's view ----------------------------------

// Step is a student's prediction of one client observation: when (in ms)
// and what kind.
type Step struct {
	Ms   float64
	Kind ObsKind
}

// Prediction is the answer to Exercise 1: the client's observations in
// order, and the server's balance at the end.
type Prediction struct {
	Steps   []Step
	Balance int
}

// TranscriptSetting is Exercise 1's setting: every message takes exactly
// DelayMs, the server needs ProcessingMs per request, and the client waits
// TimeoutMs per attempt and sends one deposit of 10 at most Attempts
// times.
type TranscriptSetting struct {
	DelayMs, ProcessingMs, TimeoutMs int
	Attempts                         int
}

// Config is the scenario configuration of the setting.
func (s TranscriptSetting) Config() ScenarioConfig {
	return ScenarioConfig{
		Seed:           1,
		Delay:          netsim.Const(netsim.Time(s.DelayMs) * netsim.Millisecond),
		Processing:     netsim.Time(s.ProcessingMs) * netsim.Millisecond,
		SlowProcessing: netsim.Time(s.ProcessingMs) * netsim.Millisecond,
		Timeout:        netsim.Time(s.TimeoutMs) * netsim.Millisecond,
		MaxAttempts:    s.Attempts,
	}
}

// Run runs the setting: one deposit of 10 to a slow but working server.
func (s TranscriptSetting) Run() (*ScenarioRun, error) {
	if s.DelayMs < 0 || s.DelayMs > 1000 || s.ProcessingMs < 0 || s.ProcessingMs > 1000 ||
		s.TimeoutMs < 1 || s.TimeoutMs > 1000 || s.Attempts < 1 || s.Attempts > 10 {
		return nil, fmt.Errorf("partialfailure: setting %+v: want delays and processing in [0, 1000] ms, a timeout in [1, 1000] ms and 1..10 attempts", s)
	}
	return RunScenario(SlowServer, s.Config())
}

// unambiguous reports whether no two of the client's observations happen
// at the same instant, except a timer firing and the retry it sends (in
// that order), so that the order of the observations is clear.
func unambiguous(t Transcript) bool {
	for i := 1; i < len(t); i++ {
		if t[i].At == t[i-1].At && !(t[i-1].Kind == TimerFired && t[i].Kind == Sent) {
			return false
		}
	}
	return true
}

func transcriptSetting(v exercise.Variant) TranscriptSetting {
	if v.Example() {
		return TranscriptSetting{DelayMs: 10, ProcessingMs: 30, TimeoutMs: 35, Attempts: 2}
	}
	r := v.Rand()
	for {
		s := TranscriptSetting{DelayMs: 4 + r.IntN(12), ProcessingMs: 10 + 5*r.IntN(8), Attempts: 2 + r.IntN(2)}
		rtt := 2*s.DelayMs + s.ProcessingMs
		// A retry happens (the timeout is shorter than a round trip), but
		// not so short that the client gives up long before any answer.
		s.TimeoutMs = rtt/2 + 1 + r.IntN(rtt/2-1)
		run, err := s.Run()
		if err == nil && unambiguous(run.Client) && len(run.Client) <= 9 {
			return s
		}
	}
}

func things(n int) string {
	if n == 1 {
		return "1 thing"
	}
	return fmt.Sprintf("%d things", n)
}

func stepsOf(t Transcript) []Step {
	out := make([]Step, len(t))
	for i, o := range t {
		out[i] = Step{Ms: ms(o.At), Kind: o.Kind}
	}
	return out
}

// Exercise1 asks for the client's observations and the final balance of a
// deposit at a slow server, worked out by hand.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[TranscriptSetting, Prediction]{
	Params: transcriptSetting,
	Describe: func(s TranscriptSetting) string {
		return fmt.Sprintf("every message takes exactly %d ms; the server needs %d ms per request; the client waits %d ms per attempt and tries at most %d times",
			s.DelayMs, s.ProcessingMs, s.TimeoutMs, s.Attempts)
	},
	Judge: func(s TranscriptSetting, p Prediction) exercise.Verdict {
		run, err := s.Run()
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		want := stepsOf(run.Client)
		hint := fmt.Sprintf("a request needs %d ms to arrive, %d ms at the server and %d ms back; a timer starts at every send, and a retry is sent the moment a timer fires",
			s.DelayMs, s.ProcessingMs, s.DelayMs)
		var wrong []string
		for i := range min(len(want), len(p.Steps)) {
			var what []string
			if p.Steps[i].Ms != want[i].Ms {
				what = append(what, "its time")
			}
			if p.Steps[i].Kind != want[i].Kind {
				what = append(what, "its kind")
			}
			if len(what) > 0 {
				wrong = append(wrong, fmt.Sprintf("observation %d (%s)", i+1, strings.Join(what, " and ")))
			}
		}
		switch {
		case len(p.Steps) < len(want):
			why := fmt.Sprintf("the client observes more than the %s you listed", things(len(p.Steps)))
			if len(wrong) == 0 && len(p.Steps) == len(want)-1 && want[len(want)-1].Kind == Received {
				return exercise.Wrong(why, "a late answer still arrives, even when the client no longer waits for it")
			}
			return exercise.WrongParts(wrong, why, "one observation per send, per timer that fires and per message that arrives; "+hint)
		case len(p.Steps) > len(want):
			return exercise.WrongParts(wrong, fmt.Sprintf("the client observes fewer than the %s you listed", things(len(p.Steps))),
				"the client stops retrying once its deposit is acknowledged, and a cancelled timer never fires; "+hint)
		case len(wrong) > 0:
			return exercise.WrongParts(wrong, fmt.Sprintf("%d of %d observations are wrong", len(wrong), len(want)), hint)
		case p.Balance != run.Balance:
			return exercise.Wrong("the observations are right, the balance is not", "how many copies of the deposit reached the server, and does this server remember request ids?")
		}
		return exercise.Right()
	},
})

// ---- Exercise 2: choose a timeout --------------------------------------------

// TimeoutSetting is Exercise 2's system: one-way delays log-normal with
// median MedianMs and spread Sigma, ProcessingMs at the server, 5000
// probes with the given seed.
type TimeoutSetting struct {
	MedianMs, Sigma, ProcessingMs float64
	Seed                          uint64
}

// Detector is the setting as a DetectorConfig (one timeout, 100 ms; set
// Timeouts to sweep).
func (s TimeoutSetting) Detector() DetectorConfig {
	return DetectorConfig{
		Name:       fmt.Sprintf("exercise: delay lognormal(%gms, σ=%g)", s.MedianMs, s.Sigma),
		Seed:       s.Seed,
		Delay:      netsim.LogNormal(netsim.Time(s.MedianMs*float64(netsim.Millisecond)), s.Sigma),
		Processing: netsim.Time(s.ProcessingMs * float64(netsim.Millisecond)),
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

// Exercise2 asks for a timeout with fewer than 1% false suspicions that is
// at most TimeoutSlack times the smallest such timeout.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[TimeoutSetting, netsim.Time]{
	Params: func(v exercise.Variant) TimeoutSetting {
		return TimeoutSetting{
			MedianMs:     exercise.Pick(v, 8.0, 5, 6, 7, 9, 10, 12),
			Sigma:        exercise.Steps(v, 0.8, 0.6, 1.0, 0.1),
			ProcessingMs: exercise.Pick(v, 2.0, 1, 3, 5),
			Seed:         uint64(exercise.IntBetween(v, 2026, 1, 9999)),
		}
	},
	Describe: func(s TimeoutSetting) string {
		return fmt.Sprintf("one-way delays log-normal with median %s ms and σ = %s, %s ms of processing, seed %d (partialfailure.Exercise2.Params().Detector() is this system)",
			exercise.Format(s.MedianMs), exercise.Format(s.Sigma), exercise.Format(s.ProcessingMs), s.Seed)
	},
	Judge: func(s TimeoutSetting, t netsim.Time) exercise.Verdict {
		if t <= 0 {
			return exercise.Wrong("a timeout must be longer than 0", "write it like 50 * netsim.Millisecond")
		}
		if t > 100*netsim.Second {
			return exercise.Wrong("that timeout is far longer than any round trip of this system", "look at the sweep's table")
		}
		cfg := s.Detector()
		cfg.Timeouts = []netsim.Time{t}
		r, err := FalseSuspicions(cfg)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		pt := r.Points[0]
		if pt.Rate >= 0.01 {
			return exercise.Wrong(fmt.Sprintf("at %v, %.2f%% of the probes (%d of %d) are falsely suspected", t, 100*pt.Rate, pt.Suspicions, cfg.Probes),
				"run a sweep with partialfailure.FalseSuspicions on your system with longer timeouts and read the table")
		}
		if float64(t) > TimeoutSlack*float64(smallestTimeout(r.RTTs, 0.01)) {
			return exercise.Wrong(fmt.Sprintf("at %v the rate is %.2f%%, below 1%%, but the timeout is more than %.0f%% longer than it needs to be: a crashed server would go unnoticed for longer than necessary",
				t, 100*pt.Rate, 100*(TimeoutSlack-1)), "look for the smallest timeout below 1% in a finer sweep")
		}
		return exercise.Right()
	},
})

// ---- Exercise 3: write the deduplicating handler -------------------------------

// HandlerCall is one call of a student's handler: the account before and
// the request.
type HandlerCall struct {
	Account Account
	Request Request
}

// HandlerResult is what the handler did: the account after and the
// response it returned.
type HandlerResult struct {
	Account  Account
	Response Response
}

func cloneAccount(a Account) Account {
	a.Seen = maps.Clone(a.Seen)
	return a
}

// callHandler runs h on in; the test's copy of the account is not shared
// with the handler (as under the grader, where it travels as JSON).
func callHandler(h Handler, in HandlerCall) HandlerResult {
	acc := cloneAccount(in.Account)
	resp := h(&acc, in.Request)
	return HandlerResult{Account: acc, Response: resp}
}

// handlerSetting is one simulated setting of Exercise 3's test.
type handlerSetting struct {
	name string
	cfg  RetryConfig
	loss float64
}

func handlerSettings() []handlerSetting {
	lossy := DefaultRetryConfig()
	dup := DefaultRetryConfig()
	dup.Duplicate = 0.2
	return []handlerSetting{{"loss 0.1", lossy, 0.1}, {"loss 0.3", lossy, 0.3}, {"loss 0.5", lossy, 0.5},
		{"loss 0.1 and 20% duplicated messages", dup, 0.1}, {"no loss but slow answers (timeout 20 ms)", PrematureConfig(), 0}}
}

// testHandler is Exercise 3's test: hand-made sequences of requests, then
// seeded simulations with lost, duplicated and slow messages; under the
// grader also random sequences and more simulations.
func testHandler(t *exercise.T[HandlerCall, HandlerResult]) {
	// sequence feeds reqs to the handler one by one and compares every
	// step with DedupHandler's.
	sequence := func(name string, reqs []Request, hidden bool) {
		var cur, ref Account
		seen := map[RequestID]bool{}
		for i, req := range reqs {
			got := t.Call(HandlerCall{Account: cur, Request: req})
			want := DedupHandler(&ref, req)
			what := "first"
			if seen[req.ID] {
				what = "repeated"
			}
			seen[req.ID] = true
			// problem says what is wrong; expected adds the expected value
			// (shown for visible cases only).
			problem, expected := "", ""
			switch {
			case got.Account.Balance != ref.Balance:
				problem = fmt.Sprintf("after the %s request %v (request %d of the sequence) the balance is %d", what, req, i+1, got.Account.Balance)
				expected = fmt.Sprintf("; it should be %d", ref.Balance)
			case got.Response.ID != want.ID:
				problem = fmt.Sprintf("the response to %v carries id r%d; the client matches answers to requests by id", req, got.Response.ID)
			case got.Response != want:
				problem = fmt.Sprintf("the response to the %s request %v (request %d of the sequence) is %v", what, req, i+1, got.Response)
				expected = fmt.Sprintf("; it should be %v", want)
			}
			if problem == "" {
				cur = got.Account
				continue
			}
			v := exercise.Verdict{Why: "fails a visible case (" + name + "): " + problem + expected,
				Hint: "apply a request the first time its id is seen, remember its response in acc.Seen (create the map first: it starts as nil), and answer a repeat with the remembered response",
				Case: "requests: " + showRequests(reqs[:i+1])}
			if hidden {
				v.Why = "fails a hidden case (" + name + "): " + problem
			}
			t.Fatal(v)
		}
	}
	sequence("a retry of r1", []Request{{1, 10}, {1, 10}, {2, 10}}, false)
	sequence("a late duplicate of an older request", []Request{{1, 10}, {2, 20}, {1, 10}, {3, 30}, {2, 20}}, false)

	simulate := func(s handlerSetting, seed uint64, hidden bool) {
		handler := func(acc *Account, req Request) Response {
			out := t.Call(HandlerCall{Account: *acc, Request: req})
			*acc = out.Account
			return out.Response
		}
		o, err := RunDeposits(s.cfg, s.loss, seed, handler)
		if t.Failed() {
			t.Fatal(exercise.Verdict{})
		}
		if err != nil {
			t.Fatal(exercise.Wrong(err.Error(), ""))
		}
		kind, c := "a visible", fmt.Sprintf("%s, seed %d: %d deposits of %d, intended balance %d", s.name, seed, s.cfg.Deposits, s.cfg.Amount, o.Intended)
		if hidden {
			kind = "a hidden"
		}
		if !o.Done || o.GaveUp > 0 {
			t.Fatal(exercise.Verdict{Why: fmt.Sprintf("fails %s simulation: the client never got an answer to some deposits", kind),
				Hint: "a repeated request must still be answered, with the response of the first time", Case: c})
		}
		if e := o.Extra(s.cfg.Amount); e != 0 {
			t.Fatal(exercise.Verdict{Why: fmt.Sprintf("fails %s simulation: the final balance is %d (%+d deposits)", kind, o.Balance, e),
				Hint: "keep the response of every request id you applied in acc.Seen; a late duplicate may repeat any earlier request", Case: c})
		}
	}
	for _, s := range handlerSettings() {
		for seed := uint64(1); seed <= 10; seed++ {
			simulate(s, seed, false)
		}
	}
	if !t.Hidden() {
		return
	}
	r := t.Rand()
	for k := range 20 {
		sequence(fmt.Sprintf("random sequence %d", k+1), randomRequests(r), true)
	}
	settings := handlerSettings()
	for range 40 {
		simulate(settings[r.IntN(len(settings))], 1000+r.Uint64N(1_000_000), true)
	}
}

// randomRequests is a sequence of up to 40 requests with large random ids,
// where about a third repeat an earlier request.
func randomRequests(r *rand.Rand) []Request {
	var out []Request
	next := RequestID(1 + r.IntN(1_000_000))
	for range 10 + r.IntN(30) {
		if len(out) > 0 && r.IntN(3) == 0 {
			out = append(out, out[r.IntN(len(out))])
			continue
		}
		next += RequestID(1 + r.IntN(1000))
		out = append(out, Request{ID: next, Amount: 1 + r.IntN(100)})
	}
	return out
}

func showRequests(reqs []Request) string {
	var parts []string
	for _, q := range reqs {
		parts = append(parts, q.String())
	}
	return strings.Join(parts, ", ")
}

// Exercise3 asks for a request handler that makes deposits take effect
// exactly once per request id.
var Exercise3 = exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[Handler, HandlerCall, HandlerResult]{
	Call: func(h Handler, in HandlerCall) HandlerResult {
		if h == nil {
			panic("no handler (nil)")
		}
		return callHandler(h, in)
	},
	Test: testHandler,
})
