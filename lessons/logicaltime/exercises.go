package logicaltime

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
)

// ExerciseHistory is the execution of Exercise 1: three nodes, nine
// events. Events are named by node and position: b2 is B's second event.
func ExerciseHistory() (*history.History, error) {
	b := history.NewBuilder("A", "B", "C")
	b.Local("A", "a1")
	m1 := b.Send("A", "B", "a2")
	b.Local("B", "b1")
	m2 := b.Send("C", "B", "c1")
	b.Receive(m1, "b2")
	b.Receive(m2, "b3")
	m3 := b.Send("B", "A", "b4")
	b.Local("A", "a3")
	b.Receive(m3, "a4")
	return b.Build()
}

// CheckPrediction checks Exercise 1: a predicted Lamport timestamp for
// every event of ExerciseHistory, keyed by event name.
func CheckPrediction(pred map[string]lamport.Timestamp) error {
	h, err := ExerciseHistory()
	if err != nil {
		return err
	}
	run, err := lamport.Replay(h)
	if err != nil {
		return err
	}
	var missing, wrong []string
	for e := range h.Events {
		name := h.Name(e)
		got, ok := pred[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		if got != run.Stamps[e] {
			wrong = append(wrong, fmt.Sprintf("%s: expected %d, got %d", name, run.Stamps[e], got))
		}
	}
	var unknown []string
	for name := range pred {
		if _, err := h.EventByLabel(name); err != nil {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "no prediction for "+strings.Join(missing, ", "))
	}
	if len(unknown) > 0 {
		problems = append(problems, "no such event: "+strings.Join(unknown, ", "))
	}
	if len(wrong) > 0 {
		problems = append(problems, strings.Join(wrong, "; "))
	}
	if len(problems) == 0 {
		return nil
	}
	hint := "hint: a local or send event adds 1 to its node's counter; a receive takes max(own, message) + 1."
	return fmt.Errorf("%s. %s", strings.Join(problems, ". "), hint)
}

// CheckReceiveRule checks Exercise 2: a receive rule that must give the same
// timestamps as Lamport's on many random executions (and on the syllabus
// example). The first disagreement is reported.
func CheckReceiveRule(rule lamport.ReceiveRule) error {
	if rule == nil {
		return fmt.Errorf("no receive rule given (nil). hint: write a func(own, msg lamport.Timestamp) lamport.Timestamp")
	}
	var hs []*history.History
	if h, err := SyllabusExample(); err == nil {
		hs = append(hs, h)
	}
	for seed := uint64(1); seed <= 200; seed++ {
		h, err := history.Random(history.RandomConfig{Nodes: 4, Events: 30, SendProb: 0.5, Seed: seed})
		if err != nil {
			return err
		}
		hs = append(hs, h)
	}
	for _, h := range hs {
		ref, err := lamport.Replay(h)
		if err != nil {
			return err
		}
		got, err := lamport.ReplayWith(h, rule)
		if err != nil {
			return err
		}
		for e, ev := range h.Events {
			if ev.Kind != history.Receive {
				continue
			}
			if got.Stamps[e] != ref.Stamps[e] {
				m := h.Messages[ev.Msg]
				own := Timestamp0(ref, e)
				return fmt.Errorf("receiving a message stamped %d at a node whose counter is %d: expected %d, got %d. hint: the new counter must exceed both the node's own counter and the message's timestamp",
					ref.Stamps[m.Send], own, ref.Stamps[e], got.Stamps[e])
			}
		}
	}
	return nil
}

// Timestamp0 returns the counter of event e's node just before e.
func Timestamp0(r *lamport.Run, e int) lamport.Timestamp {
	n := r.History.Events[e].Node
	if e == 0 {
		return 0
	}
	return r.After[e-1][n]
}

// ExerciseSeed is the seed of Exercise 3's execution.
const ExerciseSeed = 2027

// MisleadingHistory is the execution of Exercise 3, with events named
// a1, a2, …, b1, … by node and position.
func MisleadingHistory() (*history.History, error) {
	return RandomHistory(ExerciseSeed)
}

// CheckMisleadingPair checks Exercise 3: two events a and b of
// MisleadingHistory with LT(a) < LT(b) that are nevertheless concurrent.
func CheckMisleadingPair(a, b string) error {
	h, err := MisleadingHistory()
	if err != nil {
		return err
	}
	run, err := lamport.Replay(h)
	if err != nil {
		return err
	}
	if a == "" || b == "" {
		return fmt.Errorf("expected two event names, got %q and %q. hint: look for events on different nodes with no chain of messages between them", a, b)
	}
	ea, err := h.EventByLabel(a)
	if err != nil {
		return fmt.Errorf("there is no event %q. hint: names are a node letter and a position, like c3", a)
	}
	eb, err := h.EventByLabel(b)
	if err != nil {
		return fmt.Errorf("there is no event %q. hint: names are a node letter and a position, like c3", b)
	}
	if !(run.Stamps[ea] < run.Stamps[eb]) {
		return fmt.Errorf("expected LT(%s) < LT(%s), got LT(%s) = %d and LT(%s) = %d. hint: swap them, or pick another pair",
			a, b, a, run.Stamps[ea], b, run.Stamps[eb])
	}
	if rel := h.Relate(ea, eb); rel != history.Concurrent {
		return fmt.Errorf("expected %s and %s to be concurrent, but %s %s %s. hint: a pair is concurrent when no chain of same-node steps and messages leads from one to the other",
			a, b, a, rel, b)
	}
	return nil
}

// hiddenEvents counts the events of h (untimed, drawn at their positions)
// that lie on, or very close to, the arrow of a message between two other
// nodes: in a diagram such an arrow looks as if it passed through the
// event. Exercise 3's execution has none, so it can be solved by eye.
func hiddenEvents(h *history.History) int {
	n := 0
	for _, m := range h.Messages {
		if m.Receive < 0 {
			continue
		}
		x1, y1 := float64(m.Send+1), float64(m.From)
		x2, y2 := float64(m.Receive+1), float64(m.To)
		for e, ev := range h.Events {
			y := float64(ev.Node)
			if e == m.Send || e == m.Receive || (y-y1)*(y-y2) >= 0 {
				continue
			}
			if x := x1 + (x2-x1)*(y-y1)/(y2-y1); math.Abs(x-float64(e+1)) < 0.6 {
				n++
			}
		}
	}
	return n
}
