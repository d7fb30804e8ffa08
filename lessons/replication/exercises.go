package replication

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
)

// Lesson holds the exercises of notebook 13.
var Lesson = exercise.NewLesson("13-replicated-state-machines", "Replicated state machines")

// The exercises are made in init, after every package variable, so that
// they register in their notebook order (a package variable's initialiser
// runs only once the variables its functions use are ready).
func init() {
	Exercise1 = newExercise1()
	Exercise2 = newExercise2()
	Exercise3 = newExercise3()
	Exercise4 = newExercise4()
}

// ---------------------------------------------------------------------
// Exercise 1: the follower's AppendEntries.

// AppendInput is one call of an AppendFunc.
type AppendInput struct {
	Log       Log
	PrevIndex int
	PrevTerm  int
	Entries   []Entry
}

// AppendOutput is what an AppendFunc returned.
type AppendOutput struct {
	Log Log
	OK  bool
}

func (in AppendInput) String() string {
	return fmt.Sprintf("log [%s], prevIndex %d, prevTerm %d, entries [%s]", in.Log, in.PrevIndex, in.PrevTerm, Log(in.Entries))
}

func (o AppendOutput) String() string {
	return fmt.Sprintf("(log [%s], %t)", o.Log, o.OK)
}

// sameAppend compares two outputs; a nil and an empty log are the same.
func sameAppend(want, got AppendOutput) bool {
	return want.OK == got.OK && len(want.Log) == len(got.Log) && (len(want.Log) == 0 || slices.Equal(want.Log, got.Log))
}

func appendCase(name string, log Log, prev, prevTerm int, entries Log) exercise.Case[AppendInput, AppendOutput] {
	in := AppendInput{Log: log, PrevIndex: prev, PrevTerm: prevTerm, Entries: entries}
	l, ok := AppendEntriesRule(slices.Clone(log), prev, prevTerm, slices.Clone(entries))
	return exercise.Case[AppendInput, AppendOutput]{In: in, Want: AppendOutput{Log: l, OK: ok}, Name: name}
}

// noOps builds a log of no-ops with the given terms.
func noOps(terms ...int) Log {
	l := make(Log, len(terms))
	for i, t := range terms {
		l[i] = Entry{Term: t}
	}
	return l
}

// AppendCases are the visible cases of Exercise 1.
func AppendCases() []exercise.Case[AppendInput, AppendOutput] {
	x := Entry{2, Command{Client: "c1", Seq: 1, Key: "x", Value: "1"}}
	y := Entry{3, Command{Client: "c1", Seq: 2, Key: "y", Value: "2"}}
	one := Entry{Term: 1}
	return []exercise.Case[AppendInput, AppendOutput]{
		appendCase("an empty log receives its first entries", nil, 0, 0, noOps(1, 1)),
		appendCase("a heartbeat that matches", noOps(1, 1), 2, 1, nil),
		appendCase("the follower has no entry at prevIndex", noOps(1), 2, 1, noOps(1)),
		appendCase("the entry at prevIndex has another term", noOps(1, 1), 2, 2, noOps(2)),
		appendCase("new entries at the end", noOps(1, 1), 2, 1, Log{x}),
		appendCase("a conflict: delete it and everything after it", noOps(1, 1, 1, 1), 1, 1, Log{x}),
		appendCase("a delayed, shorter AppendEntries keeps later entries", Log{one, x, y}, 1, 1, Log{x}),
		appendCase("a duplicate changes nothing", Log{one, x, y}, 1, 1, Log{x, y}),
		appendCase("a conflict after entries that match", Log{one, x, {Term: 2}}, 1, 1, Log{x, y}),
	}
}

// RandomLogs builds a leader's log and a follower's log the way Raft makes
// them: a common prefix, then entries the follower got from leaders of
// other terms, and entries of later terms on the leader.
func RandomLogs(rng *rand.Rand) (leader, follower Log) {
	common := rng.IntN(6)
	term := 1
	for range common {
		term += rng.IntN(2)
		leader = append(leader, Entry{Term: term, Cmd: Command{Client: "c", Seq: len(leader) + 1, Key: "k", Value: "v"}})
	}
	follower = slices.Clone(leader)
	ft, lt := term, term
	for range rng.IntN(5) {
		ft += rng.IntN(2)
		follower = append(follower, Entry{Term: ft, Cmd: Command{Client: "f", Seq: len(follower) + 1, Key: "k", Value: "f"}})
	}
	lt = max(ft, lt) + 1
	for range rng.IntN(5) {
		leader = append(leader, Entry{Term: lt, Cmd: Command{Client: "l", Seq: len(leader) + 1, Key: "k", Value: "l"}})
		lt += rng.IntN(2)
	}
	return leader, follower
}

// randomAppendCase draws an AppendEntries that the leader of RandomLogs
// could send: its entries after a random prevIndex, possibly only some of
// them (a message that a later one overtook).
func randomAppendCase(rng *rand.Rand) exercise.Case[AppendInput, AppendOutput] {
	leader, follower := RandomLogs(rng)
	prev := rng.IntN(leader.LastIndex() + 1)
	k := rng.IntN(leader.LastIndex() - prev + 1)
	return appendCase("random logs", follower, prev, leader.Term(prev), slices.Clone(leader[prev:prev+k]))
}

// appendHint is Exercise 1's hint.
const appendHint = "refuse unless the log has an entry of term prevTerm at prevIndex (index 0 always matches); then walk " +
	"through the entries: keep one whose index already holds an entry of the same term, and at the first conflict " +
	"delete that entry and everything after it and append the rest"

// diagnoseAppend names a typical mistake behind a wrong output.
func diagnoseAppend(in AppendInput, got AppendOutput) string {
	trunc, tok := AppendTruncating(slices.Clone(in.Log), in.PrevIndex, in.PrevTerm, slices.Clone(in.Entries))
	nocheck, nok := AppendWithoutCheck(slices.Clone(in.Log), in.PrevIndex, in.PrevTerm, slices.Clone(in.Entries))
	switch {
	case sameAppend(AppendOutput{trunc, tok}, got):
		return "your rule cuts the log after prevIndex every time: a delayed AppendEntries then erases entries the follower already had (and acknowledged)"
	case sameAppend(AppendOutput{nocheck, nok}, got):
		return "your rule accepts entries without checking that the log holds the leader's entry at prevIndex"
	case !got.OK && len(got.Log) != len(in.Log):
		return "a refused AppendEntries must leave the log as it was"
	}
	return ""
}

// Exercise1 asks for the follower's side of AppendEntries: the consistency
// check and conflict truncation. It is judged on cases, then inside runs
// of the course's Raft with the student's rule.
var Exercise1 *exercise.Func[AppendFunc, AppendInput, AppendOutput]

func newExercise1() *exercise.Func[AppendFunc, AppendInput, AppendOutput] {
	return exercise.NewFunc(Lesson, "Exercise 1", exercise.FuncSpec[AppendFunc, AppendInput, AppendOutput]{
		Call: func(f AppendFunc, in AppendInput) AppendOutput {
			l, ok := f(slices.Clone(in.Log), in.PrevIndex, in.PrevTerm, slices.Clone(in.Entries))
			return AppendOutput{Log: l, OK: ok}
		},
		Test: func(t *exercise.T[AppendInput, AppendOutput]) {
			exercise.Table(exercise.TableSpec[AppendInput, AppendOutput]{
				Visible:  AppendCases(),
				Hidden:   exercise.Draw(300, randomAppendCase),
				Same:     func(_ AppendInput, want, got AppendOutput) bool { return sameAppend(want, got) },
				Show:     AppendInput.String,
				ShowOut:  AppendOutput.String,
				Diagnose: diagnoseAppend,
				Hint:     appendHint,
			})(t)
			rule := func(log Log, prev, prevTerm int, entries []Entry) (Log, bool) {
				out := t.Call(AppendInput{Log: log, PrevIndex: prev, PrevTerm: prevTerm, Entries: entries})
				return out.Log, out.OK
			}
			runs := []Config{LossyLinks()}
			if t.Hidden() {
				runs = append(runs, randomSweepRuns(t.Rand(), 2)...)
			}
			for _, c := range runs {
				c.Rules = Rules{Name: "your AppendEntries", Append: rule}
				judgeRun(t.Fatal, c, "the follower's rule")
			}
		},
	})
}

// randomSweepRuns draws n runs of the default sweep with seeds from rng.
func randomSweepRuns(rng *rand.Rand, n int) []Config {
	sw := DefaultSweep()
	var out []Config
	for range n {
		c := sw.Base
		c.Seed = 1 + rng.Uint64N(1_000_000)
		c.Steps = RandomFaults(c.Seed, c, sw.Quiet)
		out = append(out, c)
	}
	return out
}

// judgeRun runs c and fails (through fatal) if a safety property breaks,
// the replicas end apart, or a client command is never committed.
func judgeRun(fatal func(exercise.Verdict), c Config, what string) {
	r, err := Simulate(c)
	if err != nil {
		fatal(exercise.Wrong(fmt.Sprintf("the run with %s stopped: %v", what, err), ""))
		return
	}
	name := fmt.Sprintf("a run of the course Raft with %s (%d replicas, seed %d, %d fault steps)", what, c.Nodes, c.Seed, len(c.Steps))
	switch issued := c.Clients * c.Commands; {
	case !r.OK():
		fatal(exercise.Wrong(fmt.Sprintf("%s breaks safety: %s", name, r.Violations[0]),
			"the checker names the property and the replicas; Log Matching breaks when a follower accepts entries that do not follow on from its log"))
	case !r.Final.Agree():
		fatal(exercise.Wrong(name+" ends with replicas whose stores differ", "every replica must end with the leader's log"))
	case len(r.CommittedCommands()) < issued:
		fatal(exercise.Wrong(fmt.Sprintf("in %s only %d of %d client commands were committed", name, len(r.CommittedCommands()), issued),
			"the cluster must make progress: check that matching entries are accepted"))
	}
}

// ---------------------------------------------------------------------
// Exercise 2: predict, then run — the old leader in the minority.

// PartitionParams is a variant of the MinorityLeader scenario: Nodes
// replicas; at 800 ms the leader, the next Followers replicas and client
// c2 are cut off from the rest; the network heals at 2 s.
type PartitionParams struct {
	Nodes, Followers int
	Seed             uint64
}

// PartitionScenario is the configuration of a PartitionParams: the
// MinorityLeader preset with its cluster size, partition and seed, and a
// snapshot at the instant of the partition.
func PartitionScenario(p PartitionParams) Config {
	c := MinorityLeader()
	c.Nodes, c.Seed = p.Nodes, p.Seed
	c.Steps = []Step{IsolateLeader(800*ms, p.Followers, "c2"), Heal(2000 * ms)}
	c.Snapshots = []netsim.Time{800 * ms, 1990 * ms, 2100 * ms}
	return c
}

// PartitionFacts is what happens in a PartitionScenario run.
type PartitionFacts struct {
	// OldLeaderCommits: the old leader's commit index grows while the
	// partition lasts.
	OldLeaderCommits bool
	// OtherSideElects: the replicas on the other side elect a leader (of
	// a later term) before the heal.
	OtherSideElects bool
	// PartitionEntriesKept: the entries the old leader appended during the
	// partition are still in its log, at the same indexes, at the end.
	PartitionEntriesKept bool
}

// PartitionPrediction is a student's prediction of PartitionFacts: each
// field "yes" or "no" ("" for not answered yet).
type PartitionPrediction struct {
	OldLeaderCommits, OtherSideElects, PartitionEntriesKept string
}

// Prediction is f written as the answer to Exercise 2.
func (f PartitionFacts) Prediction() PartitionPrediction {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return PartitionPrediction{yn(f.OldLeaderCommits), yn(f.OtherSideElects), yn(f.PartitionEntriesKept)}
}

// PartitionOutcome reads a PartitionScenario run. It fails if the run
// had no leader to isolate.
func PartitionOutcome(r *Run) (PartitionFacts, error) {
	if len(r.Isolated) == 0 || len(r.Snapshots) < 2 {
		return PartitionFacts{}, fmt.Errorf("replication: not a partition scenario run (seed %d)", r.Config.Seed)
	}
	old := slices.Index(r.Members, r.Isolated[0])
	at, before := r.Snapshots[0].Nodes[old], r.Snapshots[1].Nodes[old]
	if at.Role != Leader {
		return PartitionFacts{}, fmt.Errorf("replication: no leader at the partition (seed %d)", r.Config.Seed)
	}
	var out PartitionFacts
	out.OldLeaderCommits = before.Commit > at.Commit
	for _, l := range r.Leaders {
		if l.At > 800*ms && l.At < 2000*ms && !slices.Contains(r.Isolated, l.Node) && l.Term > at.Term {
			out.OtherSideElects = true
		}
	}
	final := r.Final.Nodes[old].Log
	kept := true
	for i := at.Log.LastIndex() + 1; i <= before.Log.LastIndex(); i++ {
		e, _ := before.Log.At(i)
		if f, ok := final.At(i); !ok || f != e {
			kept = false
		}
	}
	out.PartitionEntriesKept = kept && before.Log.LastIndex() > at.Log.LastIndex()
	return out, nil
}

// Exercise2 asks what happens when the leader is cut off with some
// followers: a prediction, checked against the run.
var Exercise2 *exercise.Value[PartitionParams, PartitionPrediction]

func newExercise2() *exercise.Value[PartitionParams, PartitionPrediction] {
	return exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[PartitionParams, PartitionPrediction]{
		Params: func(v exercise.Variant) PartitionParams {
			if v.Example() {
				return PartitionParams{Nodes: 5, Followers: 1, Seed: 1}
			}
			n := exercise.Pick(v, 5, 3, 7)
			return PartitionParams{Nodes: n, Followers: v.Rand().IntN(n), Seed: 1 + v.Rand().Uint64N(1000)}
		},
		Describe: func(p PartitionParams) string {
			side := "alone"
			if p.Followers == 1 {
				side = "with 1 follower"
			} else if p.Followers > 1 {
				side = fmt.Sprintf("with %d followers", p.Followers)
			}
			return fmt.Sprintf("%d replicas (seed %d); at 800 ms the leader is cut off %s and client c2; the network heals at 2 s",
				p.Nodes, p.Seed, side)
		},
		Judge: func(p PartitionParams, answer PartitionPrediction) exercise.Verdict {
			r, err := Simulate(PartitionScenario(p))
			if err != nil {
				return exercise.Wrong(err.Error(), "tell your instructor: this is a bug in the lesson")
			}
			want, err := PartitionOutcome(r)
			if err != nil {
				return exercise.Wrong(err.Error(), "tell your instructor: this is a bug in the lesson")
			}
			parts := []struct {
				name, got string
				want      bool
			}{
				{"OldLeaderCommits", answer.OldLeaderCommits, want.OldLeaderCommits},
				{"OtherSideElects", answer.OtherSideElects, want.OtherSideElects},
				{"PartitionEntriesKept", answer.PartitionEntriesKept, want.PartitionEntriesKept},
			}
			var wrong, missing, bad []string
			for _, pt := range parts {
				switch strings.ToLower(strings.TrimSpace(pt.got)) {
				case "":
					missing = append(missing, pt.name)
				case "yes":
					if !pt.want {
						wrong = append(wrong, pt.name)
					}
				case "no":
					if pt.want {
						wrong = append(wrong, pt.name)
					}
				default:
					bad = append(bad, fmt.Sprintf("%s (%q)", pt.name, pt.got))
				}
			}
			switch {
			case len(bad) > 0:
				return exercise.Wrong("answer \"yes\" or \"no\": "+strings.Join(bad, ", "), "")
			case len(missing) > 0:
				return exercise.Wrong("no prediction yet for "+strings.Join(missing, ", "), "answer each part with \"yes\" or \"no\" before you run the scenario")
			case len(wrong) == 0:
				return exercise.Right()
			}
			return exercise.WrongParts(wrong, "not what the run does",
				fmt.Sprintf("count the replicas on each side: a leader commits, and a candidate wins, only with more than half of all %d replicas; entries that were never committed can be overwritten", p.Nodes))
		},
	})
}

// ---------------------------------------------------------------------
// Exercise 3: the leader's commit rule.

// CommitInput is one call of a CommitFunc.
type CommitInput struct {
	Log    Log
	Match  []int
	Term   int
	Commit int
}

func (in CommitInput) String() string {
	return fmt.Sprintf("log [%s], match %v, term %d, commit %d", in.Log, in.Match, in.Term, in.Commit)
}

func commitCase(name string, log Log, match []int, term, commit int) exercise.Case[CommitInput, int] {
	return exercise.Case[CommitInput, int]{In: CommitInput{log, match, term, commit}, Want: LeaderCommit(log, match, term, commit), Name: name}
}

// CommitCases are the visible cases of Exercise 3. The leader's own match
// index (its last index) comes first.
func CommitCases() []exercise.Case[CommitInput, int] {
	return []exercise.Case[CommitInput, int]{
		commitCase("nothing replicated yet", noOps(1, 1), []int{2, 0, 0, 0, 0}, 1, 0),
		commitCase("three of five replicas hold index 2", noOps(1, 1, 1), []int{3, 2, 2, 0, 1}, 1, 0),
		commitCase("two of five is not a majority", noOps(1, 1), []int{2, 2, 0, 0, 0}, 1, 0),
		commitCase("two of four is not a majority", noOps(1), []int{1, 1, 0, 0}, 1, 0),
		commitCase("the commit index never moves back", noOps(1, 1, 1), []int{3, 0, 0}, 1, 2),
		commitCase("a cluster of one", noOps(1, 1), []int{2}, 1, 0),
		commitCase("Figure 8 (c): an entry of term 2 on a majority, leader of term 4", noOps(1, 2, 4), []int{3, 2, 2, 1, 1}, 4, 1),
		commitCase("Figure 8 (e): the entry of term 4 reaches a majority", noOps(1, 2, 4), []int{3, 3, 3, 1, 1}, 4, 1),
		commitCase("older entries are committed with a newer one", noOps(1, 1, 2, 2, 3), []int{5, 5, 4, 5, 0}, 3, 0),
	}
}

// randomCommitCase draws a leader's state: a log whose terms never
// decrease and end at or below the leader's term, the leader's own match
// index first, followers' match indexes, and a commit index the leader
// could hold.
func randomCommitCase(rng *rand.Rand) exercise.Case[CommitInput, int] {
	n := 1 + rng.IntN(7)
	term := 1 + rng.IntN(5)
	var log Log
	t := 1
	for range rng.IntN(9) {
		if rng.IntN(3) == 0 {
			t = min(term, t+1)
		}
		log = append(log, Entry{Term: t})
	}
	if rng.IntN(2) == 0 {
		for range 1 + rng.IntN(3) {
			log = append(log, Entry{Term: term})
		}
	}
	match := make([]int, n)
	match[0] = log.LastIndex()
	for i := 1; i < n; i++ {
		match[i] = rng.IntN(log.LastIndex() + 1)
	}
	// A commit index the leader may hold: an index the rule (or an earlier
	// term's leader) could have committed, up to the current answer.
	commit := rng.IntN(LeaderCommit(log, match, term, 0) + 1)
	if rng.IntN(4) == 0 {
		commit = rng.IntN(min(log.LastIndex(), slices.Min(match)) + 1)
	}
	return commitCase("random leader state", log, match, term, commit)
}

const commitHint = "the new commit index is the largest N above the current one such that more than half of the match " +
	"indexes are at least N and the entry at N is of the leader's current term; if there is none, keep the current one"

// diagnoseCommit names a typical mistake behind a wrong commit index.
func diagnoseCommit(in CommitInput, got int) string {
	switch {
	case got < in.Commit:
		return "the commit index moved back"
	case got == CommitByCounting(in.Log, in.Match, in.Term, in.Commit):
		return "your rule commits an entry of an earlier term by counting replicas (Figure 8 shows why Raft does not)"
	case got > in.Log.LastIndex():
		return "the commit index is beyond the leader's log"
	}
	count := 0
	for _, m := range in.Match {
		if m >= got {
			count++
		}
	}
	if got > in.Commit && 2*count == len(in.Match) {
		return "exactly half of the replicas is not a majority"
	}
	return ""
}

// Exercise3 asks for the leader's commit rule. It is judged on cases, in
// the Figure 8 scenario and in runs with faults.
var Exercise3 *exercise.Func[CommitFunc, CommitInput, int]

func newExercise3() *exercise.Func[CommitFunc, CommitInput, int] {
	return exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[CommitFunc, CommitInput, int]{
		Call: func(f CommitFunc, in CommitInput) int {
			return f(slices.Clone(in.Log), slices.Clone(in.Match), in.Term, in.Commit)
		},
		Test: func(t *exercise.T[CommitInput, int]) {
			exercise.Table(exercise.TableSpec[CommitInput, int]{
				Visible:  CommitCases(),
				Hidden:   exercise.Draw(300, randomCommitCase),
				Show:     CommitInput.String,
				Diagnose: diagnoseCommit,
				Hint:     commitHint,
			})(t)
			rule := func(log Log, match []int, term, commit int) int {
				return t.Call(CommitInput{Log: log, Match: match, Term: term, Commit: commit})
			}
			rules := Rules{Name: "your commit rule", Commit: rule}
			runs := []Config{Figure8(rules), Figure8Replicated(rules), LossyLinks()}
			if t.Hidden() {
				runs = append(runs, randomSweepRuns(t.Rand(), 2)...)
			}
			for _, c := range runs {
				c.Rules = rules
				if c.Clients == 0 { // the Figure 8 replays: safety only
					r, err := Simulate(c)
					if err != nil {
						t.Fatal(exercise.Wrong("the Figure 8 replay stopped: "+err.Error(), ""))
					}
					if !r.OK() {
						t.Fatal(exercise.Wrong("in the replay of Figure 8 with your rule, "+r.Violations[0].String(), commitHint))
					}
					continue
				}
				judgeRun(t.Fatal, c, "your commit rule")
			}
		},
	})
}

// ---------------------------------------------------------------------
// Exercise 4: who can win an election?

// ElectionLogs is the variant of Exercise 4: every replica's log, by
// term, replica n1 first.
type ElectionLogs struct {
	Logs [][]int
}

// Log returns replica i's log (0-based).
func (e ElectionLogs) Log(i int) Log { return noOps(e.Logs[i]...) }

// Winners lists the replicas that can win an election when all replicas
// are up: those whose log is at least as up to date (LogUpToDate) as the
// logs of a majority of the replicas, themselves included.
func (e ElectionLogs) Winners() []string {
	return e.winners(LogUpToDate)
}

func (e ElectionLogs) winners(vote VoteFunc) []string {
	var out []string
	for c := range e.Logs {
		cl := e.Log(c)
		votes := 0
		for v := range e.Logs {
			vl := e.Log(v)
			if v == c || vote(vl.LastTerm(), vl.LastIndex(), cl.LastTerm(), cl.LastIndex()) {
				votes++
			}
		}
		if 2*votes > len(e.Logs) {
			out = append(out, string(ReplicaName(c+1)))
		}
	}
	return out
}

// byLength and byLastTerm are the two half-rules students often use.
func byLength(lastTerm, lastIndex, candTerm, candIndex int) bool   { return candIndex >= lastIndex }
func byLastTerm(lastTerm, lastIndex, candTerm, candIndex int) bool { return candTerm >= lastTerm }

// ExampleElection is the example variant of Exercise 4.
var ExampleElection = ElectionLogs{Logs: [][]int{
	{1, 1, 1, 2, 2},
	{1, 1, 1, 3},
	{1, 1, 1, 2, 2, 2, 2},
	{1, 1, 1, 3, 3},
	{1, 1},
}}

// randomElection draws the logs of five replicas after a few terms of
// Raft: in each term a replica that could win the election appends some
// entries and sends them to a random few of the others.
func randomElection(rng *rand.Rand) ElectionLogs {
	logs := make([]Log, 5)
	for term := 1; term <= 3+rng.IntN(3); term++ {
		e := ElectionLogs{}
		for _, l := range logs {
			var ts []int
			for _, en := range l {
				ts = append(ts, en.Term)
			}
			e.Logs = append(e.Logs, ts)
		}
		can := e.Winners()
		leader := slices.Index(e.names(), can[rng.IntN(len(can))])
		for range 1 + rng.IntN(3) {
			logs[leader] = append(logs[leader], Entry{Term: term})
		}
		for f := range logs {
			if f == leader || rng.IntN(2) == 0 {
				continue
			}
			// The follower gets a prefix of the leader's log that extends
			// what they agree on (what one or two AppendEntries carry).
			agree := 0
			for agree < len(logs[f]) && agree < len(logs[leader]) && logs[f][agree] == logs[leader][agree] {
				agree++
			}
			upto := agree + rng.IntN(len(logs[leader])-agree+1)
			if upto > agree {
				logs[f] = slices.Clone(logs[leader][:upto])
			}
		}
	}
	out := ElectionLogs{}
	for _, l := range logs {
		ts := []int{}
		for _, en := range l {
			ts = append(ts, en.Term)
		}
		out.Logs = append(out.Logs, ts)
	}
	return out
}

func (e ElectionLogs) names() []string {
	out := make([]string, len(e.Logs))
	for i := range out {
		out[i] = string(ReplicaName(i + 1))
	}
	return out
}

// goodElection: the right answer differs from both half-rules and is
// neither everyone nor a single replica.
func goodElection(e ElectionLogs) bool {
	w := e.Winners()
	return len(w) >= 2 && len(w) <= 3 && !slices.Equal(w, e.winners(byLength)) && !slices.Equal(w, e.winners(byLastTerm))
}

func (e ElectionLogs) String() string {
	var b strings.Builder
	for i, l := range e.Logs {
		fmt.Fprintf(&b, "%s: %s\n", ReplicaName(i+1), noOps(l...))
	}
	return strings.TrimRight(b.String(), "\n")
}

// Exercise4 asks which replicas can win an election, given their logs.
var Exercise4 *exercise.Value[ElectionLogs, []string]

func newExercise4() *exercise.Value[ElectionLogs, []string] {
	return exercise.NewValue(Lesson, "Exercise 4", exercise.ValueSpec[ElectionLogs, []string]{
		Params: func(v exercise.Variant) ElectionLogs {
			if v.Example() {
				return ExampleElection
			}
			for range 1000 {
				if e := randomElection(v.Rand()); goodElection(e) {
					return e
				}
			}
			return ExampleElection
		},
		Describe: func(e ElectionLogs) string {
			return "the logs (term of each entry, index 1 first) of five replicas, all up:\n" + e.String()
		},
		Judge: func(e ElectionLogs, answer []string) exercise.Verdict {
			want := e.Winners()
			got := slices.Clone(answer)
			slices.Sort(got)
			got = slices.Compact(got)
			var unknown []string
			for _, a := range got {
				if !slices.Contains(e.names(), a) {
					unknown = append(unknown, fmt.Sprintf("%q", a))
				}
			}
			if len(unknown) > 0 {
				return exercise.Wrong("no such replica: "+strings.Join(unknown, ", "), "name replicas as printed: \"n1\", \"n2\", ...")
			}
			if slices.Equal(got, want) {
				return exercise.Right()
			}
			if len(got) == 0 {
				return exercise.Wrong("no replica named yet", "at least one replica can always win: the one whose log is the most up to date")
			}
			wrongCount := 0
			for _, n := range e.names() {
				if slices.Contains(got, n) != slices.Contains(want, n) {
					wrongCount++
				}
			}
			why := fmt.Sprintf("%d of the 5 replicas are misclassified", wrongCount)
			if wrongCount == 1 {
				why = "1 of the 5 replicas is misclassified"
			}
			switch {
			case slices.Equal(got, e.winners(byLength)):
				why += "; you compared only the lengths of the logs"
			case slices.Equal(got, e.winners(byLastTerm)):
				why += "; you compared only the last terms"
			}
			return exercise.Wrong(why, "a replica votes for a candidate whose last entry has a later term, or the same last term and a log at least as long; a candidate needs the votes of a majority, its own included")
		},
	})
}
