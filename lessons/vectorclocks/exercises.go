package vectorclocks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dslessons/course/lessons/logicaltime"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/vclock"
)

// ExerciseHistory is the execution of Exercises 1 and 2: three nodes P, Q,
// R and nine events, named by node and position (q2 is Q's second event).
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

// CheckPrediction checks Exercise 1: the vector timestamp of every event of
// ExerciseHistory, written like "[1,0,0]", keyed by event name.
func CheckPrediction(pred map[string]string) error {
	h, err := ExerciseHistory()
	if err != nil {
		return err
	}
	run, err := vclock.Replay(h)
	if err != nil {
		return err
	}
	var problems []string
	for e := range h.Events {
		name := h.Name(e)
		s, ok := pred[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: no prediction", name))
			continue
		}
		got, err := vclock.Parse(s)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if len(got) != len(h.Nodes) || vclock.Compare(got, run.Stamps[e]) != vclock.Equal {
			problems = append(problems, fmt.Sprintf("%s: expected %v, got %v", name, run.Stamps[e], got))
		}
	}
	names := make([]string, 0, len(pred))
	for name := range pred {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if _, err := h.EventByLabel(name); err != nil {
			problems = append(problems, fmt.Sprintf("%s: no such event", name))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s. hint: every event adds 1 to its own node's entry; a receive first takes the entry-wise max with the vector in the message", strings.Join(problems, "; "))
}

// Candidates are the pairs offered in Exercise 2.
var Candidates = [][2]string{{"p2", "r2"}, {"q1", "p3"}, {"q3", "p3"}, {"p1", "r1"}, {"q2", "r3"}}

// CheckConcurrentPairs checks Exercise 2: which of the Candidates are
// concurrent? Give the concurrent ones, in any order.
func CheckConcurrentPairs(answer [][2]string) error {
	h, err := ExerciseHistory()
	if err != nil {
		return err
	}
	key := func(p [2]string) string {
		a, b := p[0], p[1]
		if a > b {
			a, b = b, a
		}
		return a + "–" + b
	}
	candidate := map[string]bool{}
	var want []string
	for _, p := range Candidates {
		candidate[key(p)] = true
		ea, _ := h.EventByLabel(p[0])
		eb, _ := h.EventByLabel(p[1])
		if h.Relate(ea, eb) == history.Concurrent {
			want = append(want, key(p))
		}
	}
	var got []string
	for _, p := range answer {
		k := key(p)
		if !candidate[k] {
			return fmt.Errorf("%s is not one of the candidate pairs %v", k, Candidates)
		}
		if !slices.Contains(got, k) {
			got = append(got, k)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if slices.Equal(want, got) {
		return nil
	}
	return fmt.Errorf("expected the concurrent pairs %v, got %v. hint: write down both vector timestamps; the pair is concurrent when each vector is larger than the other in some entry", want, got)
}

// CheckReceiveRule checks Exercise 3: a vector-clock receive rule that must
// agree with happens-before on many seeded random executions. The first
// disagreement is reported with its seed.
func CheckReceiveRule(rule vclock.ReceiveRule) error {
	if rule == nil {
		return fmt.Errorf("no receive rule given (nil). hint: write a func(own, msg vclock.VC, self int) vclock.VC")
	}
	for seed := uint64(1); seed <= 40; seed++ {
		h, err := history.Random(history.RandomConfig{Nodes: 2 + int(seed%4), Events: 30, SendProb: 0.5, Seed: seed})
		if err != nil {
			return err
		}
		h = logicaltime.NameEvents(h)
		run, err := replaySafely(h, rule)
		if err != nil {
			return fmt.Errorf("seed %d: %v", seed, err)
		}
		if d := run.Disagreements(); len(d) > 0 {
			x := d[0]
			return fmt.Errorf("seed %d: events %s and %s: expected %v (happens-before says %s), got %v from your timestamps %v and %v. hint: take the entry-wise maximum, then count the receipt itself as an event of node self",
				seed, h.Name(x.A), h.Name(x.B), vclock.OrderOf(x.Truth), x.Truth, x.Clock, run.Stamps[x.A], run.Stamps[x.B])
		}
	}
	return nil
}

// replaySafely turns a panic in student code (an index out of range, say)
// into an error.
func replaySafely(h *history.History, rule vclock.ReceiveRule) (run *vclock.Run, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("your receive rule panicked: %v", p)
		}
	}()
	return vclock.ReplayWith(h, rule)
}

// CompareCases are the vector pairs CheckCompare tries (besides random
// ones), each with the expected answer worked out by hand.
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

// CheckCompare checks Exercise 4: a function comparing two vectors of the
// same length.
func CheckCompare(f func(a, b vclock.VC) vclock.Order) error {
	if f == nil {
		return fmt.Errorf("no compare function given (nil)")
	}
	for _, c := range CompareCases {
		got, err := callCompare(f, c.A, c.B)
		if err != nil {
			return err
		}
		if got != c.Want {
			return fmt.Errorf("compare(%v, %v): expected %v, got %v. hint: a ≤ b means every entry of a is ≤ the same entry of b; Before is a ≤ b and a ≠ b; Concurrent is neither a ≤ b nor b ≤ a", c.A, c.B, c.Want, got)
		}
	}
	return nil
}

func callCompare(f func(a, b vclock.VC) vclock.Order, a, b vclock.VC) (o vclock.Order, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("compare(%v, %v) panicked: %v", a, b, p)
		}
	}()
	return f(a.Clone(), b.Clone()), nil
}

// CheckE4E6 checks the predict-then-run question of the lesson's opening:
// what do vector clocks say about E4 and E6 of the syllabus example?
func CheckE4E6(answer vclock.Order) error {
	c, err := CompareSyllabus()
	if err != nil {
		return err
	}
	p, err := c.Pair("E4", "E6")
	if err != nil {
		return err
	}
	if answer != p.Vector {
		return fmt.Errorf("expected %v, got %v. hint: VC(E4) = %v and VC(E6) = %v; compare them entry by entry", p.Vector, answer, p.VCA, p.VCB)
	}
	return nil
}
