package vectorclocks

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/dslessons/course/lessons/logicaltime"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/vclock"
)

// Lesson holds the exercises of notebook 08.
var Lesson = exercise.NewLesson("08-vector-clocks", "Vector clocks")

// WarmUp asks what vector clocks say about E4 and E6 of the course notes'
// example (predict, then run).
var WarmUp = exercise.NewValue(Lesson, "Warm-up", exercise.ValueSpec[struct{}, vclock.Order]{
	Params: func(exercise.Variant) struct{} { return struct{}{} },
	Judge: func(_ struct{}, answer vclock.Order) exercise.Verdict {
		c, err := CompareSyllabus()
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		p, err := c.Pair("E4", "E6")
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		if answer == p.Vector {
			return exercise.Right()
		}
		return exercise.Wrong(fmt.Sprintf("the vectors do not say %v", answer),
			fmt.Sprintf("VC(E4) = %v and VC(E6) = %v: compare them entry by entry", p.VCA, p.VCB))
	},
})

// ExerciseHistory is the example execution of Exercises 1 and 2: three
// nodes P, Q, R and nine events, named by node and position (q2 is Q's
// second event).
func ExerciseHistory() (*history.History, error) {
	b := history.NewBuilder("P", "Q", "R")
	b.Local("P", "p1")
	m1 := b.Send("Q", "R", "q1")
	m2 := b.Send("P", "Q", "p2")
	b.Local("R", "r1")
	b.Receive(m2, "q2")
	b.Receive(m1, "r2")
	m3 := b.Send("R", "P", "r3")
	b.Receive(m3, "p3")
	b.Local("Q", "q3")
	return b.Build()
}

// PredictionHistory is the execution of Exercises 1 and 2 for a variant's
// seed: ExerciseHistory for seed 0, otherwise a random execution of three
// nodes A, B, C and nine events named a1, b1, … by node and position
// (logicaltime.SmallRandomHistory).
func PredictionHistory(seed uint64) (*history.History, error) {
	if seed == 0 {
		return ExerciseHistory()
	}
	return logicaltime.SmallRandomHistory(seed)
}

// goodPrediction reports whether h makes a fair Exercise 1 and 2: at least
// two receives, one of which learns of a third node's events through the
// message (the merge matters), and at least two concurrent pairs of events
// on different nodes and one ordered pair.
func goodPrediction(h *history.History) bool {
	run, err := vclock.Replay(h)
	if err != nil {
		return false
	}
	receives, third := 0, false
	for e, ev := range h.Events {
		if ev.Kind != history.Receive {
			continue
		}
		receives++
		from := h.Messages[ev.Msg].From
		for k, x := range run.Stamps[e] {
			if k != ev.Node && k != from && x > 0 {
				third = true
			}
		}
	}
	return receives >= 2 && third && len(crossPairs(h, history.Concurrent)) >= 2 && len(crossPairs(h, history.HappenedBefore)) >= 1
}

// crossPairs lists the pairs of events on different nodes that relate as
// rel, in event order.
func crossPairs(h *history.History, rel history.Relation) [][2]string {
	var out [][2]string
	for a := range h.Events {
		for b := a + 1; b < len(h.Events); b++ {
			if h.Events[a].Node != h.Events[b].Node && h.Relate(a, b) == rel {
				out = append(out, [2]string{h.Name(a), h.Name(b)})
			}
		}
	}
	return out
}

// drawSeed gives a student a fair execution of their own (the example's
// for the example variant, seed 0).
func drawSeed(v exercise.Variant) uint64 {
	return logicaltime.DrawSeed(v, 0, PredictionHistory, goodPrediction)
}

func describeHistory(seed uint64) string {
	h, err := PredictionHistory(seed)
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("the execution, nodes [%s] in this order:\n%s", strings.Join(h.Nodes, ", "), strings.TrimRight(h.String(), "\n"))
}

// Exercise1 asks for every event's vector timestamp, worked out by hand.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[uint64, map[string]string]{
	Params:   drawSeed,
	Describe: describeHistory,
	Judge: func(seed uint64, pred map[string]string) exercise.Verdict {
		h, err := PredictionHistory(seed)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		run, err := vclock.Replay(h)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		var wrong, why []string
		var unreadable []string
		noCount := 0
		missing, unknown := logicaltime.PerEvent(h, pred, func(e int, name string, s string) {
			got, err := vclock.Parse(s)
			if err != nil {
				unreadable = append(unreadable, name)
				return
			}
			if len(got) == len(h.Nodes) && vclock.Compare(got, run.Stamps[e]) == vclock.Equal {
				return
			}
			wrong = append(wrong, name)
			if ev := h.Events[e]; ev.Kind == history.Receive && len(got) == len(h.Nodes) {
				if c := run.Stamps[e].Clone(); c[ev.Node] > 0 {
					c[ev.Node]--
					if vclock.Compare(got, c) == vclock.Equal {
						noCount++
					}
				}
			}
		})
		if len(wrong)+len(missing)+len(unreadable)+len(unknown) == 0 {
			return exercise.Right()
		}
		if len(missing) > 0 {
			why = append(why, "no prediction for "+strings.Join(missing, ", "))
		}
		if len(unreadable) > 0 {
			why = append(why, "cannot read the vector of "+strings.Join(unreadable, ", ")+` (write it like "[1,0,2]")`)
		}
		if len(unknown) > 0 {
			why = append(why, "no such event: "+strings.Join(unknown, ", "))
		}
		if noCount > 0 {
			why = append(why, fmt.Sprintf("%d receive(s) merged the vectors but did not count the receipt itself", noCount))
		}
		return exercise.WrongParts(wrong, strings.Join(why, "; "),
			"every event adds 1 to its own node's entry; a receive first takes the entry-wise max with the vector in the message, then adds 1 to its own entry; one entry per node, in the order printed")
	},
})

// PairQuestion is Exercise 2: candidate pairs of events of the execution
// of Exercise 1.
type PairQuestion struct {
	Seed       uint64
	Candidates [][2]string
}

// Candidates are the pairs offered in Exercise 2 of the example.
var Candidates = [][2]string{{"p2", "r2"}, {"q1", "p3"}, {"q3", "p3"}, {"p1", "r1"}, {"q2", "r3"}}

// Exercise2 asks which of five pairs of events are concurrent, from the
// vectors of Exercise 1.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[PairQuestion, [][2]string]{
	Params: func(v exercise.Variant) PairQuestion {
		seed := Exercise1.ParamsFor(v.Student)
		if seed == 0 {
			return PairQuestion{Seed: 0, Candidates: Candidates}
		}
		h, err := PredictionHistory(seed)
		if err != nil {
			return PairQuestion{Seed: 0, Candidates: Candidates}
		}
		r := v.Rand()
		conc, ord := crossPairs(h, history.Concurrent), crossPairs(h, history.HappenedBefore)
		r.Shuffle(len(conc), func(i, j int) { conc[i], conc[j] = conc[j], conc[i] })
		r.Shuffle(len(ord), func(i, j int) { ord[i], ord[j] = ord[j], ord[i] })
		nc := min(len(conc), 2+r.IntN(2))
		pick := append(append([][2]string(nil), conc[:nc]...), ord[:min(len(ord), 5-nc)]...)
		r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
		for i := range pick {
			if r.IntN(2) == 0 {
				pick[i][0], pick[i][1] = pick[i][1], pick[i][0]
			}
		}
		return PairQuestion{Seed: seed, Candidates: pick}
	},
	Describe: func(q PairQuestion) string {
		var ps []string
		for _, p := range q.Candidates {
			ps = append(ps, p[0]+"–"+p[1])
		}
		return "candidate pairs (of the execution of Exercise 1): " + strings.Join(ps, ", ")
	},
	Judge: func(q PairQuestion, answer [][2]string) exercise.Verdict {
		h, err := PredictionHistory(q.Seed)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		key := func(p [2]string) string {
			a, b := p[0], p[1]
			if a > b {
				a, b = b, a
			}
			return a + "–" + b
		}
		concurrent := map[string]bool{}
		for _, p := range q.Candidates {
			ea, err1 := h.EventByLabel(p[0])
			eb, err2 := h.EventByLabel(p[1])
			if err1 != nil || err2 != nil {
				return exercise.Wrong("the lesson's candidate pairs are broken", "tell your instructor")
			}
			concurrent[key(p)] = h.Relate(ea, eb) == history.Concurrent
		}
		given := map[string]bool{}
		extra := 0
		for _, p := range answer {
			k := key(p)
			isConc, ok := concurrent[k]
			if !ok {
				return exercise.Wrong(fmt.Sprintf("%s is not one of the candidate pairs", k), "give pairs from the list printed above")
			}
			if !given[k] && !isConc {
				extra++
			}
			given[k] = true
		}
		missing := 0
		for k, c := range concurrent {
			if c && !given[k] {
				missing++
			}
		}
		if extra == 0 && missing == 0 {
			return exercise.Right()
		}
		var why []string
		if extra > 0 {
			why = append(why, fmt.Sprintf("%d of the pairs you gave are not concurrent", extra))
		}
		if missing > 0 {
			why = append(why, fmt.Sprintf("%d concurrent pair(s) are missing", missing))
		}
		return exercise.Wrong(strings.Join(why, "; "),
			"write down both vector timestamps: the pair is concurrent when each vector is larger than the other in some entry")
	},
})

// ReceiveInput is one call of a vector-clock receive rule (Exercise 3).
type ReceiveInput struct {
	Own, Msg vclock.VC
	Self     int
}

// Exercise3 asks for the vector-clock receive rule, tested on cases and
// then in replays of random executions, where the vectors must agree with
// happens-before on every pair of events.
var Exercise3 = exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[vclock.ReceiveRule, ReceiveInput, vclock.VC]{
	Call: func(f vclock.ReceiveRule, in ReceiveInput) vclock.VC {
		return f(in.Own.Clone(), in.Msg.Clone(), in.Self)
	},
	Test: func(t *exercise.T[ReceiveInput, vclock.VC]) {
		hint := "take the entry-wise maximum, then count the receipt itself as an event of node self"
		exercise.Table(exercise.TableSpec[ReceiveInput, vclock.VC]{
			Visible: []exercise.Case[ReceiveInput, vclock.VC]{
				{In: ReceiveInput{Own: vclock.VC{0, 1, 0}, Msg: vclock.VC{2, 0, 0}, Self: 1}, Want: vclock.VC{2, 2, 0}, Name: "the message knows more of node 0"},
				{In: ReceiveInput{Own: vclock.VC{3, 1, 4}, Msg: vclock.VC{1, 1, 0}, Self: 2}, Want: vclock.VC{3, 1, 5}, Name: "an old message"},
			},
			Hidden: func(rng *rand.Rand) []exercise.Case[ReceiveInput, vclock.VC] {
				var cs []exercise.Case[ReceiveInput, vclock.VC]
				for range 20 {
					n := 2 + rng.IntN(5)
					own, msg := make(vclock.VC, n), make(vclock.VC, n)
					for i := range own {
						own[i], msg[i] = uint64(rng.IntN(20)), uint64(rng.IntN(20))
					}
					self := rng.IntN(n)
					cs = append(cs, exercise.Case[ReceiveInput, vclock.VC]{In: ReceiveInput{Own: own, Msg: msg, Self: self},
						Want: vclock.StandardReceive(own.Clone(), msg, self), Name: "random vectors"})
				}
				return cs
			},
			Same: func(_ ReceiveInput, want, got vclock.VC) bool {
				return len(want) == len(got) && vclock.Compare(want, got) == vclock.Equal
			},
			Hint: hint,
		})(t)
		rule := func(own, msg vclock.VC, self int) vclock.VC {
			return t.Call(ReceiveInput{Own: own.Clone(), Msg: msg.Clone(), Self: self})
		}
		for seed := uint64(1); seed <= 20; seed++ {
			h, err := history.Random(history.RandomConfig{Nodes: 2 + int(seed%4), Events: 30, SendProb: 0.5, Seed: seed})
			if err != nil {
				t.Fatal(exercise.Wrong(err.Error(), ""))
			}
			h = logicaltime.NameEvents(h)
			run, err := replaySafely(h, rule)
			if err != nil {
				t.Fatal(exercise.Wrong(fmt.Sprintf("seed %d: %v", seed, err), hint))
			}
			if d := run.Disagreements(); len(d) > 0 {
				x := d[0]
				t.Fatal(exercise.Wrong(fmt.Sprintf("replaying the random execution of seed %d with your rule: events %s and %s are %s, but your timestamps %v and %v say %v (%d pairs disagree)",
					seed, h.Name(x.A), h.Name(x.B), x.Truth, run.Stamps[x.A], run.Stamps[x.B], x.Clock, len(d)), hint))
			}
		}
	},
})

// replaySafely turns a panic in student code (an index out of range, say)
// into an error.
func replaySafely(h *history.History, rule vclock.ReceiveRule) (run *vclock.Run, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("your receive rule failed: %v", p)
		}
	}()
	return vclock.ReplayWith(h, rule)
}

// CompareCases are the vector pairs Exercise 4 shows, each with the
// expected answer worked out by hand.
var CompareCases = []struct {
	A, B vclock.VC
	Want vclock.Order
}{
	{vclock.VC{1, 0, 0}, vclock.VC{1, 0, 0}, vclock.Equal},
	{vclock.VC{1, 0, 0}, vclock.VC{2, 0, 0}, vclock.Before},
	{vclock.VC{1, 2, 0}, vclock.VC{1, 1, 0}, vclock.After},
	{vclock.VC{2, 0, 2, 0}, vclock.VC{0, 1, 0, 1}, vclock.Concurrent},
	{vclock.VC{0, 0, 0}, vclock.VC{0, 0, 1}, vclock.Before},
	{vclock.VC{3, 1, 3}, vclock.VC{2, 3, 0}, vclock.Concurrent},
	{vclock.VC{2, 2, 0}, vclock.VC{2, 2, 1}, vclock.Before},
}

// ComparePair is one call of a comparison (Exercise 4).
type ComparePair struct {
	A, B vclock.VC
}

// CompareFunc is the type of Exercise 4's answer.
type CompareFunc func(a, b vclock.VC) vclock.Order

// Exercise4 asks for the comparison of two vectors of the same length.
var Exercise4 = exercise.NewFunc(Lesson, "Exercise 4", exercise.FuncSpec[CompareFunc, ComparePair, vclock.Order]{
	Call: func(f CompareFunc, in ComparePair) vclock.Order { return f(in.A.Clone(), in.B.Clone()) },
	Test: func() func(*exercise.T[ComparePair, vclock.Order]) {
		var visible []exercise.Case[ComparePair, vclock.Order]
		for _, c := range CompareCases {
			visible = append(visible, exercise.Case[ComparePair, vclock.Order]{In: ComparePair{c.A, c.B}, Want: c.Want})
		}
		return exercise.Table(exercise.TableSpec[ComparePair, vclock.Order]{
			Visible: visible,
			Hidden: func(rng *rand.Rand) []exercise.Case[ComparePair, vclock.Order] {
				var cs []exercise.Case[ComparePair, vclock.Order]
				for range 40 {
					n := 2 + rng.IntN(5)
					a, b := make(vclock.VC, n), make(vclock.VC, n)
					for i := range a {
						a[i] = uint64(rng.IntN(4))
						b[i] = a[i]
						if rng.IntN(3) == 0 {
							b[i] = uint64(rng.IntN(4))
						}
					}
					cs = append(cs, exercise.Case[ComparePair, vclock.Order]{In: ComparePair{a, b}, Want: vclock.Compare(a, b), Name: "random vectors"})
				}
				return cs
			},
			Show: func(in ComparePair) string { return fmt.Sprintf("compare(%v, %v)", in.A, in.B) },
			Hint: "a ≤ b means every entry of a is ≤ the same entry of b; Before is a ≤ b and a ≠ b; Concurrent is neither a ≤ b nor b ≤ a",
		})
	}(),
})
