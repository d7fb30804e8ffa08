package byzantine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	bz "github.com/dslessons/course/pkg/byzantine"
	"github.com/dslessons/course/pkg/exercise"
)

// Searches runs the exhaustive traitor search for OM(1) and SM(1) with
// three generals and commander 0.
func Searches() (om, sm bz.SearchResult, err error) {
	om, err = bz.Search(bz.OralMessages, 3, 1, 0, 0)
	if err != nil {
		return om, sm, err
	}
	sm, err = bz.Search(bz.SignedMessages, 3, 1, 0, 0)
	return om, sm, err
}

// Lesson holds the exercises of notebook 10.
var Lesson = exercise.NewLesson("10-byzantine-generals", "The Byzantine generals")

// Size is a number of generals N and OM's parameter M.
type Size struct{ N, M int }

// messageSum is Σ_{k=0..levels-1} (n−1)(n−2)⋯(n−1−k): the messages of the
// first levels levels of OM with n generals.
func messageSum(n, levels int) int {
	total, term := 0, 1
	for k := range levels {
		term *= n - 1 - k
		total += term
	}
	return total
}

// Exercise1 asks how many messages OM(m) sends with n generals.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[Size, int]{
	Params: func(v exercise.Variant) Size {
		if v.Example() {
			return Size{N: 5, M: 2}
		}
		m := exercise.IntBetween(v, 2, 1, 3)
		return Size{N: exercise.IntBetween(v, 3*m+1, 3*m+1, 3*m+3), M: m}
	},
	Describe: func(s Size) string { return fmt.Sprintf("OM(%d) with n = %d generals", s.M, s.N) },
	Judge: func(s Size, answer int) exercise.Verdict {
		want := bz.MessageCount(s.N, s.M)
		if answer == want {
			return exercise.Right()
		}
		switch {
		case answer <= 0:
			return exercise.Wrong("a number of messages is positive", "the commander alone sends n − 1")
		case answer == messageSum(s.N, s.M):
			return exercise.Wrong("one level of the recursion is missing", "OM(m) has levels 0, 1, …, m: the commander's order and m rounds of relays")
		case answer == messageSum(s.N, s.M+2):
			return exercise.Wrong("one level too many", "the relays stop at OM(0), which sends and does not recurse")
		case answer == messageSum(s.N+1, s.M+1):
			return exercise.Wrong("that counts n lieutenants", "the commander is one of the n generals: it sends to n − 1 lieutenants")
		case answer == messageSum(s.N, s.M+1)-messageSum(s.N, s.M):
			return exercise.Wrong("that is the last level only", "add the messages of every level")
		}
		return exercise.Wrong(fmt.Sprintf("%d is not the number of messages", answer),
			"the commander sends to n − 1 lieutenants; each of them then runs OM(m − 1) with the other n − 2 lieutenants; count level by level")
	},
})

// Exercise2 asks how many messages OM(m) actually sends when one
// lieutenant stays silent.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[Size, int]{
	Params: func(v exercise.Variant) Size {
		return exercise.Pick(v, Size{N: 7, M: 2}, Size{N: 5, M: 1}, Size{N: 6, M: 1}, Size{N: 8, M: 1},
			Size{N: 8, M: 2}, Size{N: 9, M: 2}, Size{N: 10, M: 3})
	},
	Describe: func(s Size) string {
		return fmt.Sprintf("OM(%d) with n = %d generals; the commander is loyal, one lieutenant is a traitor that never sends anything", s.M, s.N)
	},
	Judge: func(s Size, answer int) exercise.Verdict {
		want, err := SilentLieutenantMessages(s)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		if answer == want {
			return exercise.Right()
		}
		total := bz.MessageCount(s.N, s.M)
		switch {
		case answer <= 0:
			return exercise.Wrong("a number of messages is positive", "everybody but the silent lieutenant sends what OM(m) asks")
		case answer == total:
			return exercise.Wrong("that counts the messages the silent lieutenant withholds too", "messages that are never sent do not count")
		case answer == total-(s.N-1):
			return exercise.Wrong("that is what a silent commander would hold back", "here the commander is loyal; the silent one is a lieutenant")
		case answer == total-(s.N-2):
			return exercise.Wrong("that removes only the messages of the instance the silent lieutenant commands",
				"it is also a lieutenant inside every other lieutenant's OM(m − 1), and relays there too")
		}
		return exercise.Wrong(fmt.Sprintf("%d is not the number of messages sent", answer),
			"count the messages the silent lieutenant would have sent: in which instances of the recursion is it a sender, and to how many generals?")
	},
})

// SilentLieutenantMessages runs OM(s.M) with s.N generals, a loyal
// commander 0 and lieutenant 1 silent, and returns the messages actually
// sent.
func SilentLieutenantMessages(s Size) (int, error) {
	res, err := bz.OM(bz.Config{N: s.N, M: s.M, Order: bz.Attack, Traitors: []int{1}, Strategy: bz.Silent{}})
	if err != nil {
		return 0, err
	}
	return res.Messages, nil
}

// TraitorMove is what a traitor does with one message: send Value, or
// nothing when Send is false.
type TraitorMove struct {
	Value bz.Value
	Send  bool
}

// Scenario is one run in which the student's traitors try to break OM:
// OM(M) with N generals, a loyal Commander ordering Attack, and the
// lieutenants in Traitors using the student's strategy.
type Scenario struct {
	N, M      int
	Commander int
	Traitors  []int
}

func (s Scenario) String() string {
	return fmt.Sprintf("OM(%d), n=%d, loyal commander %d orders Attack, traitors %v", s.M, s.N, s.Commander, s.Traitors)
}

// VisibleScenarios are the cases Exercise 3 shows in the notebook.
var VisibleScenarios = []Scenario{
	{N: 3, M: 1, Commander: 0, Traitors: []int{2}},
	{N: 6, M: 2, Commander: 0, Traitors: []int{1, 4}},
	{N: 6, M: 3, Commander: 0, Traitors: []int{1, 3, 5}},
}

// HiddenScenarios draws k scenarios with n ≤ 3m: m from 1 to 3, n from
// max(3, m+2) to 3m, any commander, m traitor lieutenants anywhere.
func HiddenScenarios(rng *rand.Rand, k int) []Scenario {
	out := make([]Scenario, 0, k)
	for range k {
		m := 1 + rng.IntN(3)
		lo := max(3, m+2)
		n := lo + rng.IntN(3*m-lo+1)
		c := rng.IntN(n)
		var lts []int
		for i := range n {
			if i != c {
				lts = append(lts, i)
			}
		}
		rng.Shuffle(len(lts), func(i, j int) { lts[i], lts[j] = lts[j], lts[i] })
		tr := slices.Clone(lts[:m])
		slices.Sort(tr)
		out = append(out, Scenario{N: n, M: m, Commander: c, Traitors: tr})
	}
	return out
}

// callStrategy is a Strategy that asks the student's code, through the
// exercise's T, what each traitor sends.
type callStrategy struct {
	call func(bz.Message) TraitorMove
}

func (c callStrategy) Send(m bz.Message) (bz.Value, bool) {
	mv := c.call(m)
	return mv.Value, mv.Send
}

// run runs the scenario with the traitors asking call what to send; the
// result carries the trace.
func (s Scenario) run(call func(bz.Message) TraitorMove) (bz.Result, error) {
	return bz.OM(bz.Config{N: s.N, M: s.M, Commander: s.Commander, Order: bz.Attack, Traitors: s.Traitors,
		Strategy: callStrategy{call}, Trace: true})
}

// traitorLines lists what the traitors sent in a run, at most max lines.
func traitorLines(trace []bz.Hop, max int) string {
	var lines []string
	n := 0
	for _, h := range trace {
		if !h.Traitor {
			continue
		}
		n++
		if len(lines) < max {
			v := h.Value.String()
			if !h.Sent {
				v = "nothing"
			}
			path := make([]string, len(h.Path))
			for i, p := range h.Path {
				path[i] = fmt.Sprint(p)
			}
			lines = append(lines, fmt.Sprintf("  %d→%d (level %d, path %s): %s", h.From, h.To, h.Level, strings.Join(path, "→"), v))
		}
	}
	if n > len(lines) {
		lines = append(lines, fmt.Sprintf("  … and %d more", n-len(lines)))
	}
	return strings.Join(lines, "\n")
}

// Exercise3 asks for a traitor strategy that breaks OM(m) whenever there
// are m traitors and n ≤ 3m generals.
var Exercise3 = exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[bz.Strategy, bz.Message, TraitorMove]{
	Call: func(s bz.Strategy, m bz.Message) TraitorMove {
		if s == nil {
			panic("the strategy is nil: pass a value of your type, e.g. myTraitor{}")
		}
		v, ok := s.Send(m)
		return TraitorMove{Value: v, Send: ok}
	},
	Test: func(t *exercise.T[bz.Message, TraitorMove]) {
		scenarios := append([]Scenario(nil), VisibleScenarios...)
		hidden := len(scenarios)
		if t.Hidden() {
			scenarios = append(scenarios, HiddenScenarios(t.Rand(), 10)...)
		}
		for i, sc := range scenarios {
			res, err := sc.run(t.Call)
			if t.Failed() {
				return // a call of the student's code failed; T recorded why
			}
			if err != nil {
				t.Fatal(exercise.Verdict{Why: "the run failed: " + err.Error(), Case: "scenario: " + sc.String()})
			}
			if !res.IC2 {
				continue
			}
			if i >= hidden {
				t.Fatal(exercise.Verdict{
					Why:  "your traitors do not break a hidden scenario",
					Hint: "the commander's index, the traitors' places and n and m change from scenario to scenario; a strategy that names generals does not carry over",
					Case: "scenario: " + sc.String(),
				})
			}
			t.Fatal(exercise.Verdict{
				Why:  "every loyal lieutenant still obeys the loyal commander",
				Hint: "look at what your traitors sent and at the values each loyal lieutenant then holds; a tie counts as Retreat",
				Case: fmt.Sprintf("scenario: %s\nwanted:   a loyal lieutenant decides Retreat\ngot:      %s\nyour traitors sent:\n%s", sc, res, traitorLines(res.Trace, 8)),
			})
		}
	},
})
