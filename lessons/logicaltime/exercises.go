package logicaltime

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
)

// Lesson holds the exercises of notebook 07.
var Lesson = exercise.NewLesson("07-logical-time-lamport", "Logical time and Lamport timestamps")

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

// Timestamp0 returns the counter of event e's node just before e.
func Timestamp0(r *lamport.Run, e int) lamport.Timestamp {
	n := r.History.Events[e].Node
	if e == 0 {
		return 0
	}
	return r.After[e-1][n]
}

// ExerciseSeed is the seed of Exercise 3's execution in the example
// variant.
const ExerciseSeed = 2027

// MisleadingHistory is the example execution of Exercise 3, with events
// named a1, a2, …, b1, … by node and position.
func MisleadingHistory() (*history.History, error) {
	return RandomHistory(ExerciseSeed)
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

// PredictionHistory is the execution of Exercise 1 for a variant's seed:
// ExerciseHistory for seed 0 (the example), otherwise
// SmallRandomHistory(seed).
func PredictionHistory(seed uint64) (*history.History, error) {
	if seed == 0 {
		return ExerciseHistory()
	}
	return SmallRandomHistory(seed)
}

// SmallRandomHistory is a student's own execution in an exercise that
// asks for every event's timestamp (here and in lesson 08): a random
// execution of three nodes A, B, C and nine events, named a1, b1, … by
// node and position.
func SmallRandomHistory(seed uint64) (*history.History, error) {
	h, err := history.Random(history.RandomConfig{Nodes: 3, Events: 9, SendProb: 0.5, Seed: seed})
	if err != nil {
		return nil, err
	}
	return NameEvents(h), nil
}

// PerEvent sorts a prediction of one value per event, keyed by event
// name: it calls judge for each event of h that has a value, in event
// order, and returns the events without one (missing, in event order)
// and the names that are no event's label (unknown, sorted).
func PerEvent[T any](h *history.History, pred map[string]T, judge func(e int, name string, got T)) (missing, unknown []string) {
	for e := range h.Events {
		name := h.Name(e)
		got, ok := pred[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		judge(e, name, got)
	}
	for name := range pred {
		if _, err := h.EventByLabel(name); err != nil {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	return missing, unknown
}

// goodPrediction reports whether h makes a fair Exercise 1: at least two
// receives, one where the message's timestamp is ahead of the receiver's
// counter (so the max matters) and one where it is not.
func goodPrediction(h *history.History) bool {
	r, err := lamport.Replay(h)
	if err != nil {
		return false
	}
	ahead, behind := 0, 0
	for e, ev := range h.Events {
		if ev.Kind != history.Receive {
			continue
		}
		if r.Stamps[h.Messages[ev.Msg].Send] > Timestamp0(r, e) {
			ahead++
		} else {
			behind++
		}
	}
	return ahead >= 1 && behind >= 1
}

// DrawSeed draws seeds from v until ok accepts the history make gives for
// them (at most 1000 tries; example otherwise). The example variant gets
// example. Lessons use it to give each student an execution of their own
// that still makes a fair exercise.
func DrawSeed(v exercise.Variant, example uint64, build func(uint64) (*history.History, error), ok func(*history.History) bool) uint64 {
	if v.Example() {
		return example
	}
	r := v.Rand()
	for range 1000 {
		seed := 1 + r.Uint64N(1_000_000)
		if h, err := build(seed); err == nil && ok(h) {
			return seed
		}
	}
	return example
}

// Exercise1 asks for every event's Lamport timestamp, worked out by hand.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[uint64, map[string]lamport.Timestamp]{
	Params: func(v exercise.Variant) uint64 { return DrawSeed(v, 0, PredictionHistory, goodPrediction) },
	Describe: func(seed uint64) string {
		h, err := PredictionHistory(seed)
		if err != nil {
			return err.Error()
		}
		return "the execution:\n" + strings.TrimRight(h.String(), "\n")
	},
	Judge: func(seed uint64, pred map[string]lamport.Timestamp) exercise.Verdict {
		h, err := PredictionHistory(seed)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		run, err := lamport.Replay(h)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		var wrong []string
		noMax, noInc := 0, 0
		missing, unknown := PerEvent(h, pred, func(e int, name string, got lamport.Timestamp) {
			if got == run.Stamps[e] {
				return
			}
			wrong = append(wrong, name)
			if ev := h.Events[e]; ev.Kind == history.Receive {
				own, msg := Timestamp0(run, e), run.Stamps[h.Messages[ev.Msg].Send]
				switch got {
				case own + 1:
					noMax++
				case max(own, msg):
					noInc++
				}
			}
		})
		if len(missing)+len(wrong)+len(unknown) == 0 {
			return exercise.Right()
		}
		var why []string
		if len(missing) > 0 {
			why = append(why, "no prediction for "+strings.Join(missing, ", "))
		}
		if len(unknown) > 0 {
			why = append(why, "no such event: "+strings.Join(unknown, ", "))
		}
		if noMax > 0 {
			why = append(why, fmt.Sprintf("%d receive(s) ignore the message's timestamp", noMax))
		}
		if noInc > 0 {
			why = append(why, fmt.Sprintf("%d receive(s) take the max but do not add 1", noInc))
		}
		return exercise.WrongParts(wrong, strings.Join(why, "; "),
			"a local or send event adds 1 to its node's counter; a receive takes max(own counter, message's timestamp) + 1; work through the events in the order printed")
	},
})

// ReceiveInput is one call of a Lamport receive rule (Exercise 2).
type ReceiveInput struct {
	Own, Msg lamport.Timestamp
}

// Exercise2 asks for Lamport's receive rule, tested on cases and then in
// replays of random executions, where it must keep the clock condition.
var Exercise2 = exercise.NewFunc(Lesson, "Exercise 2", exercise.FuncSpec[lamport.ReceiveRule, ReceiveInput, lamport.Timestamp]{
	Call: func(f lamport.ReceiveRule, in ReceiveInput) lamport.Timestamp { return f(in.Own, in.Msg) },
	Test: func(t *exercise.T[ReceiveInput, lamport.Timestamp]) {
		hint := "the new counter must exceed both the node's own counter and the message's timestamp"
		exercise.Table(exercise.TableSpec[ReceiveInput, lamport.Timestamp]{
			Visible: []exercise.Case[ReceiveInput, lamport.Timestamp]{
				{In: ReceiveInput{Own: 0, Msg: 1}, Want: 2, Name: "a message from a node that is ahead"},
				{In: ReceiveInput{Own: 5, Msg: 2}, Want: 6, Name: "an old message"},
				{In: ReceiveInput{Own: 3, Msg: 3}, Want: 4, Name: "equal counters"},
			},
			Hidden: func(rng *rand.Rand) []exercise.Case[ReceiveInput, lamport.Timestamp] {
				var cs []exercise.Case[ReceiveInput, lamport.Timestamp]
				for range 20 {
					in := ReceiveInput{Own: lamport.Timestamp(rng.IntN(2000)), Msg: lamport.Timestamp(rng.IntN(2000))}
					cs = append(cs, exercise.Case[ReceiveInput, lamport.Timestamp]{In: in, Want: max(in.Own, in.Msg) + 1, Name: "random counters"})
				}
				return cs
			},
			Show: func(in ReceiveInput) string { return fmt.Sprintf("own counter %d, message stamped %d", in.Own, in.Msg) },
			Hint: hint,
		})(t)
		rule := func(own, msg lamport.Timestamp) lamport.Timestamp { return t.Call(ReceiveInput{Own: own, Msg: msg}) }
		for seed := uint64(1); seed <= 20; seed++ {
			h, err := RandomHistory(seed)
			if err != nil {
				t.Fatal(exercise.Wrong(err.Error(), ""))
			}
			run, err := lamport.ReplayWith(h, rule)
			if err != nil {
				t.Fatal(exercise.Wrong(err.Error(), ""))
			}
			if n, example := Violations(h, run.Stamps); n > 0 {
				t.Fatal(exercise.Wrong(fmt.Sprintf("replaying the random execution of seed %d with your rule breaks the clock condition for %d pairs, e.g. %s", seed, n, example), hint))
			}
		}
	},
})

// Violations counts the ordered pairs a → b of h whose stamps break the
// clock condition LT(a) < LT(b), and describes the first one.
func Violations(h *history.History, stamps []lamport.Timestamp) (n int, example string) {
	for a := range h.Events {
		for b := range h.Events {
			if a < len(stamps) && b < len(stamps) && h.HappensBefore(a, b) && !(stamps[a] < stamps[b]) {
				if n == 0 {
					example = fmt.Sprintf("%s → %s but LT(%s) = %d and LT(%s) = %d", h.Name(a), h.Name(b), h.Name(a), stamps[a], h.Name(b), stamps[b])
				}
				n++
			}
		}
	}
	return n, example
}

// readableMisleading reports whether h makes a fair Exercise 3: a diagram
// in which no arrow passes through another node's event, and at least one
// concurrent pair with different timestamps.
func readableMisleading(h *history.History) bool {
	if hiddenEvents(h) > 0 {
		return false
	}
	r, err := lamport.Replay(h)
	return err == nil && len(r.Misleading()) > 0
}

// Exercise3 asks for two concurrent events a, b with LT(a) < LT(b) in the
// variant's random execution (drawn in the notebook).
var Exercise3 = exercise.NewValue(Lesson, "Exercise 3", exercise.ValueSpec[uint64, [2]string]{
	Params: func(v exercise.Variant) uint64 { return DrawSeed(v, ExerciseSeed, RandomHistory, readableMisleading) },
	Describe: func(seed uint64) string {
		return fmt.Sprintf("the random execution of seed %d, drawn below", seed)
	},
	Judge: func(seed uint64, pair [2]string) exercise.Verdict {
		h, err := RandomHistory(seed)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		run, err := lamport.Replay(h)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		a, b := pair[0], pair[1]
		if a == "" || b == "" {
			return exercise.Wrong("give two event names", "look for events on different nodes with no chain of messages between them")
		}
		ea, err := h.EventByLabel(a)
		if err != nil {
			return exercise.Wrong(fmt.Sprintf("there is no event %q", a), "names are a node letter and a position, like c3")
		}
		eb, err := h.EventByLabel(b)
		if err != nil {
			return exercise.Wrong(fmt.Sprintf("there is no event %q", b), "names are a node letter and a position, like c3")
		}
		if !(run.Stamps[ea] < run.Stamps[eb]) {
			return exercise.Wrong(fmt.Sprintf("LT(%s) = %d is not smaller than LT(%s) = %d", a, run.Stamps[ea], b, run.Stamps[eb]), "swap them, or pick another pair")
		}
		if rel := h.Relate(ea, eb); rel != history.Concurrent {
			return exercise.Wrong(fmt.Sprintf("%s %s %s: they are not concurrent", a, rel, b),
				"a pair is concurrent when no chain of same-node steps and messages leads from one to the other")
		}
		return exercise.Right()
	},
})
