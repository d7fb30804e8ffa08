package partialfailure

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ms1 = netsim.Millisecond

func failureRuns(t *testing.T, cfg ScenarioConfig) []*ScenarioRun {
	t.Helper()
	runs, err := RunScenarios(cfg, FailureScenarios...)
	require.NoError(t, err, "seed %d", cfg.Seed)
	return runs
}

// The heart of the lesson: lost request, crashed server and lost
// response look exactly the same from the client, for every seed.
func TestFailuresIndistinguishableToClient(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		cfg := DefaultScenarioConfig()
		cfg.Seed = seed
		runs := failureRuns(t, cfg)
		// Derived by hand: the client sends at 0 and its timer fires at
		// the timeout; nothing else reaches it.
		want := Transcript{
			{0, Sent, "deposit 10 [r1]"},
			{cfg.Timeout, TimerFired, "timeout r1"},
		}
		for _, r := range runs {
			require.Equal(t, want, r.Client, "seed %d, %s", seed, r.Scenario)
			assert.False(t, r.Acked, "seed %d, %s", seed, r.Scenario)
		}
		c := Compare(runs)
		assert.True(t, c.ClientViewsIdentical(), "seed %d", seed)
		assert.True(t, c.TracesAllDifferent(), "seed %d", seed)
		// Only the lost response applied the deposit.
		assert.Equal(t, []int{0, 0, 10}, []int{runs[0].Balance, runs[1].Balance, runs[2].Balance}, "seed %d", seed)
		// The server's own views differ too.
		assert.Empty(t, runs[0].Server, "seed %d: the server never hears of a lost request", seed)
		assert.Empty(t, runs[1].Server, "seed %d: a crashed server observes nothing", seed)
		assert.Len(t, runs[2].Server, 3, "seed %d: received, processing timer, sent", seed)
	}
}

func TestComparisonString(t *testing.T) {
	runs := failureRuns(t, DefaultScenarioConfig())
	s := Compare(runs).String()
	assert.Contains(t, s, "client views:   identical")
	assert.Contains(t, s, "global traces:  all different")
	assert.Contains(t, s, "lost request 0, crashed server 0, lost response 10")

	all, err := RunScenarios(DefaultScenarioConfig(), AllWell, LostRequest)
	require.NoError(t, err)
	c := Compare(all)
	assert.False(t, c.ClientViewsIdentical())
	assert.Contains(t, c.String(), "NOT all identical")
}

func TestAllWellIsDifferent(t *testing.T) {
	cfg := DefaultScenarioConfig()
	for seed := uint64(1); seed <= 20; seed++ {
		cfg.Seed = seed
		ok, err := RunScenario(AllWell, cfg)
		require.NoError(t, err)
		lost, err := RunScenario(LostRequest, cfg)
		require.NoError(t, err)
		assert.True(t, ok.Acked)
		assert.Equal(t, 10, ok.Balance)
		require.Len(t, ok.Client, 2, "seed %d", seed)
		assert.Equal(t, Received, ok.Client[1].Kind)
		assert.Less(t, ok.Client[1].At, PerfectTimeout(10*ms1, cfg.Processing)+1, "the answer is back within 2·bound + processing")
		assert.Equal(t, 1, FirstDifference(ok.Client, lost.Client))
	}
}

// A slow but alive server looks like the three failures until the
// timeout; only later does the answer arrive.
func TestSlowServerLooksDeadUntilTimeout(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		cfg := DefaultScenarioConfig()
		cfg.Seed = seed
		slow, err := RunScenario(SlowServer, cfg)
		require.NoError(t, err)
		lost, err := RunScenario(LostRequest, cfg)
		require.NoError(t, err)
		assert.Equal(t, -1, FirstDifference(slow.Client.Until(cfg.Timeout), lost.Client.Until(cfg.Timeout)), "seed %d", seed)
		assert.Equal(t, 2, FirstDifference(slow.Client, lost.Client), "seed %d", seed)
		require.Len(t, slow.Client, 3)
		assert.Equal(t, Received, slow.Client[2].Kind)
		assert.Greater(t, slow.Client[2].At, cfg.Timeout)
		assert.Equal(t, 10, slow.Balance)
	}
}

// With retries the three failures still look the same (every attempt
// meets the same fate), as long as the server crashed before any request
// could reach it.
func TestRetriesDoNotHelpTellApart(t *testing.T) {
	cfg := DefaultScenarioConfig()
	cfg.MaxAttempts = 4
	runs := failureRuns(t, cfg)
	assert.True(t, Compare(runs).ClientViewsIdentical())
	assert.Len(t, runs[0].Client, 8, "4 sends and 4 timeouts")
	assert.Equal(t, 40, runs[2].Balance, "every retry reached the server of the lost-response run")
}

func TestObserveIgnoresWhatTheNodeCannotSee(t *testing.T) {
	r, err := RunScenario(LostRequest, DefaultScenarioConfig())
	require.NoError(t, err)
	drops := r.Trace.Filter(func(rec netsim.Record) bool { return rec.Op == netsim.OpDrop && rec.Node == ClientID })
	require.Len(t, drops, 1, "the loss is recorded at the client's end of the link")
	for _, o := range r.Client {
		assert.NotContains(t, o.String(), "drop")
	}
	assert.Equal(t, "0.000ms sent deposit 10 [r1]\n30.000ms timer fired timeout r1\n", r.Client.String())
}

func TestFirstDifference(t *testing.T) {
	a := Transcript{{0, Sent, "x"}, {5, Received, "y"}}
	tests := []struct {
		name string
		b    Transcript
		want int
	}{
		{"same", Transcript{{0, Sent, "x"}, {5, Received, "y"}}, -1},
		{"time", Transcript{{0, Sent, "x"}, {6, Received, "y"}}, 1},
		{"kind", Transcript{{0, Received, "x"}, {5, Received, "y"}}, 0},
		{"content", Transcript{{0, Sent, "x"}, {5, Received, "z"}}, 1},
		{"prefix", Transcript{{0, Sent, "x"}}, 1},
		{"longer", Transcript{{0, Sent, "x"}, {5, Received, "y"}, {7, TimerFired, "t"}}, 2},
		{"empty", nil, 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, FirstDifference(a, tc.b), tc.name)
		assert.Equal(t, tc.want, FirstDifference(tc.b, a), tc.name+" (swapped)")
	}
	assert.Equal(t, -1, FirstDifference(nil, nil))
}

func TestSideBySide(t *testing.T) {
	cfg := DefaultScenarioConfig()
	runs, err := RunScenarios(cfg, AllWell, SlowServer, LostRequest)
	require.NoError(t, err)
	header, rows := SideBySide(runs)
	assert.Equal(t, []string{"client view: all well", "client view: slow server", "client view: lost request"}, header)
	require.Len(t, rows, 3) // the slow server's view has 3 lines
	assert.Equal(t, "", rows[2][2], "short columns are padded with empty cells")
	assert.Equal(t, runs[1].Client[2].String(), rows[2][1])
}

func TestScenarioDeterminism(t *testing.T) {
	a, err := RunScenarios(DefaultScenarioConfig(), AllWell, LostResponse)
	require.NoError(t, err)
	b, err := RunScenarios(DefaultScenarioConfig(), AllWell, LostResponse)
	require.NoError(t, err)
	for i := range a {
		assert.Equal(t, a[i].Trace.String(), b[i].Trace.String())
	}
	cfg := DefaultScenarioConfig()
	cfg.Seed = 2
	c, err := RunScenario(AllWell, cfg)
	require.NoError(t, err)
	assert.NotEqual(t, a[0].Trace.String(), c.Trace.String(), "another seed, other delays")
}

func TestScenarioValidation(t *testing.T) {
	mod := func(f func(*ScenarioConfig)) ScenarioConfig {
		c := DefaultScenarioConfig()
		f(&c)
		return c
	}
	tests := []struct {
		cfg  ScenarioConfig
		want string
	}{
		{mod(func(c *ScenarioConfig) { c.Timeout = 0 }), "timeout"},
		{mod(func(c *ScenarioConfig) { c.MaxAttempts = 0 }), "attempts"},
		{mod(func(c *ScenarioConfig) { c.Processing = -1 }), "processing"},
		{mod(func(c *ScenarioConfig) { c.CrashAt = -1 }), "crash time"},
		{mod(func(c *ScenarioConfig) { c.Delay = netsim.Uniform(5*ms1, 1*ms1) }), "uniform"},
	}
	for _, tc := range tests {
		_, err := RunScenario(LostRequest, tc.cfg)
		require.Error(t, err, tc.want)
		assert.True(t, strings.HasPrefix(err.Error(), "partialfailure: "), err.Error())
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := RunScenario(Scenario(9), DefaultScenarioConfig())
	assert.ErrorContains(t, err, "partialfailure: unknown scenario 9")
	assert.Equal(t, "Scenario(9)", Scenario(9).String())
}

func TestClientConfigValidation(t *testing.T) {
	good := ClientConfig{Deposits: 1, Amount: 10, Timeout: ms1, MaxAttempts: 1}
	require.NoError(t, good.Validate())
	for _, c := range []ClientConfig{
		{Deposits: 0, Amount: 10, Timeout: ms1, MaxAttempts: 1},
		{Deposits: 1, Amount: 0, Timeout: ms1, MaxAttempts: 1},
		{Deposits: 1, Amount: 10, Timeout: 0, MaxAttempts: 1},
		{Deposits: 1, Amount: 10, Timeout: ms1, MaxAttempts: 0},
	} {
		err := c.Validate()
		require.Error(t, err, "%+v", c)
		assert.Contains(t, err.Error(), "partialfailure: ")
		assert.Contains(t, err.Error(), "want")
	}
}

func TestDiagramData(t *testing.T) {
	runs := failureRuns(t, DefaultScenarioConfig())
	parts := make([]tracePart, len(runs))
	for i, r := range runs {
		parts[i] = tracePart{r.Trace, []netsim.Lane{{Node: ClientID, Name: fmt.Sprint(i, "c")}, {Node: ServerID, Name: fmt.Sprint(i, "s")}}}
	}
	h, labels, err := toHistory(parts)
	require.NoError(t, err)
	require.Len(t, labels, len(h.Events))
	// lost request: send, timeout; crashed: send, crash, dropped arrival,
	// timeout; lost response: send, receive, reply, timeout.
	want := []string{"send r1", "timeout", "send r1", "CRASH", "dropped (crashed)", "timeout", "send r1", "recv r1", "reply r1", "timeout"}
	assert.Equal(t, want, labels)
	require.Len(t, h.Messages, 4)
	assert.Equal(t, -1, h.Messages[0].Receive, "the lost request is never received")
	assert.GreaterOrEqual(t, h.Messages[1].Receive, 0, "the request to the crashed server travels to it")
	assert.Equal(t, -1, h.Messages[3].Receive, "the lost response is never received")
	// Times are milliseconds.
	last := h.Events[len(h.Events)-1]
	assert.Equal(t, history.Local, last.Kind)
	assert.InDelta(t, 30.0, last.Time, 1e-9)

	p, err := Diagram("three failures", runs...)
	require.NoError(t, err)
	assert.Equal(t, "three failures", p.Title.Text)
	assert.Equal(t, "virtual time (ms)", p.X.Label.Text)
	_, err = Diagram("none")
	assert.Error(t, err)
	_, err = Diagram("nil", nil)
	assert.Error(t, err)
}

func TestTraceHistory(t *testing.T) {
	r, err := RunScenario(AllWell, DefaultScenarioConfig())
	require.NoError(t, err)
	h, labels, err := TraceHistory(r.Trace, ClientID, ServerID)
	require.NoError(t, err)
	assert.Equal(t, []string{"send r1", "recv r1", "reply r1", "ok r1"}, labels)
	assert.Equal(t, history.HappenedBefore, h.Relate(0, 3))
	_, _, err = TraceHistory(r.Trace)
	assert.Error(t, err)
	// A node without a lane is left out, with its messages.
	h, _, err = TraceHistory(r.Trace, ClientID)
	require.NoError(t, err)
	assert.Empty(t, h.Messages)
}

// Property, for any timing: with the server crashed from the start, the
// three failures give the client identical views, and the lost response
// applies one deposit per attempt.
func FuzzFailuresIndistinguishable(f *testing.F) {
	f.Add(uint64(1), int64(5), int64(10), int64(5), int64(30), 1)
	f.Add(uint64(7), int64(0), int64(0), int64(0), int64(1), 3)
	f.Add(uint64(3), int64(1), int64(100), int64(50), int64(20), 5)
	f.Fuzz(func(t *testing.T, seed uint64, lo, hi, proc, timeout int64, attempts int) {
		if attempts > 20 || max(lo, hi, proc, timeout) > 1e6 || min(lo, hi, proc, timeout) < -1e6 {
			t.Skip("outside the tested range")
		}
		cfg := ScenarioConfig{
			Seed:        seed,
			Delay:       netsim.Uniform(netsim.Time(lo)*ms1, netsim.Time(hi)*ms1),
			Processing:  netsim.Time(proc) * ms1,
			Timeout:     netsim.Time(timeout) * ms1,
			MaxAttempts: attempts,
		}
		runs, err := RunScenarios(cfg, FailureScenarios...)
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "partialfailure: "), err.Error())
			return
		}
		assert.True(t, Compare(runs).ClientViewsIdentical(), "seed %d", seed)
		assert.Len(t, runs[0].Client, 2*attempts)
		assert.Equal(t, 10*attempts, runs[2].Balance)
	})
}
