package transactions

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// NoVote: participant p2 votes no.
func NoVote() Config {
	c := DefaultConfig()
	c.VoteNo = []netsim.NodeID{"p2"}
	return c
}

// ParticipantCrash: participant p2 crashes at the given time and restarts
// at 400 ms. With the default timing Prepare reaches the participants at
// 25 ms and the decision at 35 ms, so a crash at 22 ms comes before p2
// votes and one at 28 ms after it voted yes.
func ParticipantCrash(at netsim.Time) Config {
	c := DefaultConfig()
	c.Schedule = fmt.Sprintf("%dms crash p2\n400ms restart p2", at/ms)
	return c
}

// CoordinatorCrash: the coordinator crashes at point and restarts after
// downtime.
func CoordinatorCrash(point CrashPoint, downtime netsim.Time) Config {
	c := DefaultConfig()
	c.Crash, c.Downtime = point, downtime
	c.End = max(c.End, c.Start+downtime+500*ms)
	return c
}

// WithProtocol returns c under protocol p. RaftDecision starts the
// transaction 400 ms later, once the Raft group has a leader, and shifts
// the scheduled faults and the end of the run by as much.
func WithProtocol(c Config, p Protocol) Config {
	c.Protocol = p
	if p == RaftDecision && c.Start < RaftStart {
		shift := RaftStart - c.Start
		c.Start += shift
		c.End += shift
		c.Schedule = shiftSchedule(c.Schedule, shift)
	}
	return c
}

// RaftStart is when transactions start under RaftDecision (the Raft group
// elects its first leader within about 300 ms).
const RaftStart = 400 * ms

// shiftSchedule moves every action of a schedule text by d.
func shiftSchedule(s string, d netsim.Time) string {
	sched, err := netsim.ParseSchedule(s)
	if err != nil || len(sched) == 0 {
		return s
	}
	var b strings.Builder
	for _, a := range sched {
		line := a.String()
		at, rest, _ := strings.Cut(line, " ")
		t, err := netsim.ParseTime(at)
		if err != nil {
			return s
		}
		fmt.Fprintf(&b, "%s %s\n", t+d, rest)
	}
	return b.String()
}

// Point is one run of a sweep: its seed, the value swept (a crash time
// relative to Start, or a downtime) and the longest time a participant was
// blocked.
type Point struct {
	Seed    uint64
	X       netsim.Time
	Blocked netsim.Time
	OK      bool // no invariant violated
}

// SweepLinks is the links of the sweeps: delays of 2–8 ms drawn per
// message.
var SweepLinks = netsim.Link{Delay: netsim.Uniform(2*ms, 8*ms)}

// CrashTimeSweep runs the coordinator crashing at a time drawn per seed
// from [Start − 5 ms, Start + 60 ms] and restarting downtime later, for
// seeds first..first+runs−1, with SweepLinks. X is the crash time minus
// Start.
func CrashTimeSweep(p Protocol, downtime netsim.Time, first uint64, runs int) ([]Point, error) {
	if runs < 1 || runs > 10000 {
		return nil, fmt.Errorf("transactions: %d runs, allowed [1,10000]", runs)
	}
	var out []Point
	for s := first; s < first+uint64(runs); s++ {
		rng := rand.New(rand.NewPCG(s, 0xc7a5))
		c := DefaultConfig()
		c.Link, c.Seed = SweepLinks, s
		x := -5*ms + netsim.Time(rng.Int64N(int64(65*ms)))
		at := c.Start + x
		c.End = at + downtime + 500*ms
		c.Schedule = fmt.Sprintf("%s crash co\n%s restart co", at, at+downtime)
		c = WithProtocol(c, p)
		r, err := Simulate(c)
		if err != nil {
			return nil, err
		}
		out = append(out, Point{Seed: s, X: x, Blocked: r.MaxBlocked(), OK: r.OK()})
	}
	return out, nil
}

// DowntimeSweep runs the coordinator crashing at point and restarting
// after each downtime, seeds first..first+runs−1 per downtime, with
// SweepLinks.
func DowntimeSweep(p Protocol, point CrashPoint, downtimes []netsim.Time, first uint64, runs int) ([]Point, error) {
	if runs < 1 || runs*len(downtimes) > 10000 {
		return nil, fmt.Errorf("transactions: %d runs × %d downtimes, allowed 1..10000 runs in all", runs, len(downtimes))
	}
	var out []Point
	for _, d := range downtimes {
		for s := first; s < first+uint64(runs); s++ {
			c := CoordinatorCrash(point, d)
			c.Link, c.Seed = SweepLinks, s
			c = WithProtocol(c, p)
			r, err := Simulate(c)
			if err != nil {
				return nil, err
			}
			out = append(out, Point{Seed: s, X: d, Blocked: r.MaxBlocked(), OK: r.OK()})
		}
	}
	return out, nil
}

// Downtimes are the coordinator downtimes of the lesson's sweep, 10 ms to
// 5 s.
func Downtimes() []netsim.Time {
	return []netsim.Time{10 * ms, 20 * ms, 50 * ms, 100 * ms, 200 * ms, 500 * ms, 1000 * ms, 2000 * ms, 5000 * ms}
}

// Variant is a protocol with, possibly, a deliberate mistake.
type Variant struct {
	Name     string
	Protocol Protocol
	Broken   Broken
	Decide   DecisionRule
	Rule     TerminationRule
}

// Variants are the rows of the lesson's fault sweep: the three protocols,
// then four broken ones.
func Variants() []Variant {
	return []Variant{
		{Name: "two-phase commit", Protocol: TwoPhase},
		{Name: "2PC + cooperative termination", Protocol: Cooperative},
		{Name: "2PC, decision in a Raft group", Protocol: RaftDecision},
		{Name: "prepared participant aborts on timeout", Protocol: TwoPhase, Broken: Broken{AbortOnTimeout: true}},
		{Name: "coordinator does not log its decision", Protocol: TwoPhase, Broken: Broken{ForgetDecision: true}},
		{Name: "coordinator commits when votes time out", Protocol: TwoPhase, Decide: CommitOnTimeout},
		{Name: "cooperative: commit if all who answer are prepared", Protocol: Cooperative, Rule: CommitIfAllPrepared},
	}
}

// RandomFaults is the configuration of run seed of the fault sweep: links
// that lose 2% of messages with delays of 1–10 ms; with probability 0.6
// the coordinator crashes at a random time in the 30 ms after Start and
// restarts 50–1000 ms later; with probability 0.4 a random participant
// crashes likewise and restarts 50–500 ms later; with probability 0.2 a
// random participant votes no. 3 s.
func RandomFaults(seed uint64) Config {
	rng := rand.New(rand.NewPCG(seed, 0xfa175))
	c := DefaultConfig()
	c.Seed = seed
	c.Link = netsim.Link{Loss: 0.02, Delay: netsim.Uniform(1*ms, 10*ms)}
	c.End = 3 * netsim.Second
	between := func(lo, hi netsim.Time) netsim.Time { return lo + netsim.Time(rng.Int64N(int64(hi-lo)+1)) }
	var lines []string
	if rng.Float64() < 0.6 {
		at := c.Start + between(0, 30*ms)
		lines = append(lines, fmt.Sprintf("%s crash co", at), fmt.Sprintf("%s restart co", at+between(50*ms, 1000*ms)))
	}
	if rng.Float64() < 0.4 {
		p := ParticipantName(1 + rng.IntN(c.Participants))
		at := c.Start + between(0, 30*ms)
		lines = append(lines, fmt.Sprintf("%s crash %s", at, p), fmt.Sprintf("%s restart %s", at+between(50*ms, 500*ms), p))
	}
	if rng.Float64() < 0.2 {
		c.VoteNo = []netsim.NodeID{ParticipantName(1 + rng.IntN(c.Participants))}
	}
	c.Schedule = strings.Join(lines, "\n")
	return c
}

// SweepRow summarises one variant over the fault sweep.
type SweepRow struct {
	Variant Variant
	Runs    int
	// Atomicity and Validity count the runs that broke each invariant;
	// FirstBad is the first such seed (0 if none) and First its first
	// violation.
	Atomicity, Validity int
	FirstBad            uint64
	First               string
	// Committed counts the runs in which every participant committed;
	// Undecided those in which a participant never learned the outcome.
	Committed, Undecided int
	// MeanBlocked and MaxBlocked: the longest blocking per run, averaged
	// and at worst.
	MeanBlocked, MaxBlocked netsim.Time
}

// FaultSweep runs every variant on the RandomFaults of seeds
// first..first+runs−1.
func FaultSweep(variants []Variant, first uint64, runs int) ([]SweepRow, error) {
	if runs < 1 || runs*len(variants) > 20000 {
		return nil, fmt.Errorf("transactions: %d runs × %d variants, allowed 1..20000 runs in all", runs, len(variants))
	}
	var out []SweepRow
	for _, v := range variants {
		row := SweepRow{Variant: v}
		var total netsim.Time
		for s := first; s < first+uint64(runs); s++ {
			c := RandomFaults(s)
			c.Broken, c.Decide, c.Terminate = v.Broken, v.Decide, v.Rule
			c = WithProtocol(c, v.Protocol)
			r, err := Simulate(c)
			if err != nil {
				return nil, err
			}
			row.Runs++
			bad := false
			for _, viol := range r.Violations {
				switch viol.Invariant {
				case Atomicity:
					row.Atomicity++
				case Validity:
					row.Validity++
				}
				bad = true
			}
			if bad && row.FirstBad == 0 {
				row.FirstBad, row.First = s, r.Violations[0].String()
			}
			all := true
			for _, p := range r.Participants {
				all = all && p.State == Committed
			}
			if all {
				row.Committed++
			}
			if !r.Terminated() {
				row.Undecided++
			}
			b := r.MaxBlocked()
			total += b
			row.MaxBlocked = max(row.MaxBlocked, b)
		}
		row.MeanBlocked = total / netsim.Time(row.Runs)
		out = append(out, row)
	}
	return out, nil
}

// SweepHeader is the header of the fault sweep's table.
func SweepHeader() []string {
	return []string{"protocol", "runs", "atomicity broken", "validity broken", "all committed", "undecided at the end",
		"blocked, mean", "blocked, worst", "first bad seed"}
}

// Row is the row's table cells.
func (r SweepRow) Row() []string {
	first := "—"
	if r.FirstBad != 0 {
		first = fmt.Sprint(r.FirstBad)
	}
	return []string{r.Variant.Name, fmt.Sprint(r.Runs), fmt.Sprint(r.Atomicity), fmt.Sprint(r.Validity),
		fmt.Sprint(r.Committed), fmt.Sprint(r.Undecided), fmtMs(r.MeanBlocked), fmtMs(r.MaxBlocked), first}
}
