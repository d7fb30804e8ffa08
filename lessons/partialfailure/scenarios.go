package partialfailure

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Scenario is one of the lesson's client/server runs.
type Scenario uint8

// The scenarios. In the first four the client sends one deposit and
// waits Timeout for the answer.
const (
	// AllWell: nothing fails; the answer arrives before the timeout.
	AllWell Scenario = iota
	// LostRequest: the network loses the request.
	LostRequest
	// CrashedServer: the server crashes while the request is in flight.
	CrashedServer
	// LostResponse: the server applies the deposit, the network loses the
	// response.
	LostResponse
	// SlowServer: the server is alive but needs SlowProcessing, far more
	// than the timeout, to answer.
	SlowServer
)

// FailureScenarios are the three runs that look the same to the client.
var FailureScenarios = []Scenario{LostRequest, CrashedServer, LostResponse}

var scenarioNames = [...]string{"all well", "lost request", "crashed server", "lost response", "slow server"}

func (s Scenario) String() string {
	if int(s) < len(scenarioNames) {
		return scenarioNames[s]
	}
	return fmt.Sprintf("Scenario(%d)", s)
}

// ScenarioConfig sets the timing of the scenarios.
type ScenarioConfig struct {
	Seed           uint64
	Delay          netsim.Delay // one-way delay in both directions
	Processing     netsim.Time  // the server's time to handle a request
	SlowProcessing netsim.Time  // SlowServer's processing time
	Timeout        netsim.Time  // the client's timeout per attempt
	MaxAttempts    int          // attempts per request (1 = no retry)
	CrashAt        netsim.Time  // CrashedServer: when the server crashes
}

// DefaultScenarioConfig: delays between 5 and 10 ms, 5 ms of processing,
// so every answer is back within 2·10 + 5 = 25 ms; the client waits
// 30 ms and does not retry. The server crashes at 2 ms, before any
// request can reach it.
func DefaultScenarioConfig() ScenarioConfig {
	return ScenarioConfig{
		Seed:           1,
		Delay:          netsim.Uniform(5*netsim.Millisecond, 10*netsim.Millisecond),
		Processing:     5 * netsim.Millisecond,
		SlowProcessing: 60 * netsim.Millisecond,
		Timeout:        30 * netsim.Millisecond,
		MaxAttempts:    1,
		CrashAt:        2 * netsim.Millisecond,
	}
}

// Validate checks the configuration.
func (c ScenarioConfig) Validate() error {
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("partialfailure: %w", err)
	}
	switch {
	case c.Processing < 0 || c.SlowProcessing < 0:
		return fmt.Errorf("partialfailure: processing times %v and %v: want >= 0", c.Processing, c.SlowProcessing)
	case c.CrashAt < 0:
		return fmt.Errorf("partialfailure: crash time %v: want >= 0", c.CrashAt)
	}
	return ClientConfig{Deposits: 1, Amount: 10, Timeout: c.Timeout, MaxAttempts: c.MaxAttempts}.Validate()
}

// ScenarioRun is the outcome of one scenario.
type ScenarioRun struct {
	Scenario Scenario
	Seed     uint64
	Trace    netsim.Trace // the global trace: everything that happened
	Client   Transcript   // what the client observed
	Server   Transcript   // what the server observed
	Balance  int          // the server's balance at the end (intended: 10)
	Acked    bool         // did the client get an answer?
}

// RunScenario runs scenario s: one client deposits 10 at one server.
func RunScenario(s Scenario, cfg ScenarioConfig) (*ScenarioRun, error) {
	if s > SlowServer {
		return nil, fmt.Errorf("partialfailure: unknown scenario %d (want 0..%d)", s, SlowServer)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, DefaultLink: netsim.Link{Delay: cfg.Delay}})
	if err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	client := &Client{Config: ClientConfig{Deposits: 1, Amount: 10, Timeout: cfg.Timeout, MaxAttempts: cfg.MaxAttempts}}
	server := &Server{Handler: NaiveHandler, Processing: cfg.Processing}
	if s == SlowServer {
		server.Processing = cfg.SlowProcessing
	}
	if err := sim.AddNode(ClientID, client); err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.AddNode(ServerID, server); err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	lossy := netsim.Link{Loss: 1, Delay: cfg.Delay}
	switch s {
	case LostRequest:
		err = sim.SetLink(ClientID, ServerID, lossy)
	case LostResponse:
		err = sim.SetLink(ServerID, ClientID, lossy)
	case CrashedServer:
		err = sim.At(cfg.CrashAt).Crash(ServerID)
	}
	if err != nil {
		return nil, fmt.Errorf("partialfailure: %w", err)
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, fmt.Errorf("partialfailure: scenario %s: %w", s, err)
	}
	tr := sim.Trace()
	return &ScenarioRun{
		Scenario: s,
		Seed:     cfg.Seed,
		Trace:    tr,
		Client:   Observe(tr, ClientID),
		Server:   Observe(tr, ServerID),
		Balance:  server.Account.Balance,
		Acked:    client.Acked > 0,
	}, nil
}

// RunScenarios runs each scenario with the same configuration.
func RunScenarios(cfg ScenarioConfig, ss ...Scenario) ([]*ScenarioRun, error) {
	runs := make([]*ScenarioRun, 0, len(ss))
	for _, s := range ss {
		r, err := RunScenario(s, cfg)
		if err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// SideBySide lays out the client transcripts of runs as a table: one
// column per run, one row per observation.
func SideBySide(runs []*ScenarioRun) (header []string, rows [][]string) {
	n := 0
	for _, r := range runs {
		header = append(header, "client view: "+r.Scenario.String())
		n = max(n, len(r.Client))
	}
	for i := range n {
		row := make([]string, len(runs))
		for j, r := range runs {
			if i < len(r.Client) {
				row[j] = r.Client[i].String()
			}
		}
		rows = append(rows, row)
	}
	return header, rows
}

// Comparison says, for a set of runs, what their client views and their
// global traces have in common.
type Comparison struct {
	Runs []*ScenarioRun
	// ClientSame[i][j]: runs i and j gave the client identical views.
	ClientSame [][]bool
	// TraceSame[i][j]: runs i and j have identical global traces.
	TraceSame [][]bool
}

// Compare compares every pair of runs.
func Compare(runs []*ScenarioRun) Comparison {
	c := Comparison{Runs: runs, ClientSame: make([][]bool, len(runs)), TraceSame: make([][]bool, len(runs))}
	for i, a := range runs {
		c.ClientSame[i] = make([]bool, len(runs))
		c.TraceSame[i] = make([]bool, len(runs))
		for j, b := range runs {
			c.ClientSame[i][j] = FirstDifference(a.Client, b.Client) < 0
			c.TraceSame[i][j] = SameTrace(a.Trace, b.Trace)
		}
	}
	return c
}

// ClientViewsIdentical reports whether all runs gave the client the same
// view.
func (c Comparison) ClientViewsIdentical() bool { return allPairs(c.ClientSame, true) }

// TracesAllDifferent reports whether every two runs have different global
// traces.
func (c Comparison) TracesAllDifferent() bool { return allPairs(c.TraceSame, false) }

func allPairs(m [][]bool, want bool) bool {
	for i := range m {
		for j := range m[i] {
			if i != j && m[i][j] != want {
				return false
			}
		}
	}
	return true
}

// String summarises the comparison in a few lines.
func (c Comparison) String() string {
	var b strings.Builder
	names := make([]string, len(c.Runs))
	for i, r := range c.Runs {
		names[i] = r.Scenario.String()
	}
	fmt.Fprintf(&b, "runs compared:  %s\n", strings.Join(names, ", "))
	if c.ClientViewsIdentical() {
		fmt.Fprintf(&b, "client views:   identical (FirstDifference = -1 for every pair)\n")
	} else {
		fmt.Fprintf(&b, "client views:   NOT all identical\n")
	}
	if c.TracesAllDifferent() {
		fmt.Fprintf(&b, "global traces:  all different\n")
	} else {
		fmt.Fprintf(&b, "global traces:  some identical\n")
	}
	fmt.Fprintf(&b, "server balance:")
	for i, r := range c.Runs {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&b, "%s %s %d", sep, r.Scenario, r.Balance)
	}
	b.WriteByte('\n')
	return b.String()
}
