package ordering

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/vclock"
)

// Lesson holds the exercises of notebook 12.
var Lesson = exercise.NewLesson("12-ordering-messages", "Ordering messages")

// ---- Exercise 1: a FIFO receiver's hold-back queue, by hand ----------------

// Arrivals is the order in which a FIFO receiver gets numbered messages
// (copies included).
type Arrivals struct{ Seqs []int }

func (a Arrivals) String() string {
	parts := make([]string, len(a.Seqs))
	for i, s := range a.Seqs {
		parts[i] = "m" + strconv.Itoa(s)
	}
	return strings.Join(parts, " ")
}

// exampleArrivals is the sequence the lesson's prose uses.
var exampleArrivals = []int{2, 1, 4, 4, 6, 3, 5}

// randomArrivals is a shuffle of m1..m6 that does not start with m1 and
// holds at least two messages back at some point, with one copy of an
// earlier arrival inserted later.
func randomArrivals(rng *rand.Rand) []int {
	for {
		p := make([]int, 6)
		for i, v := range rng.Perm(6) {
			p[i] = v + 1
		}
		var h HoldBack
		most := 0
		for _, s := range p {
			h.Add(s, "")
			most = max(most, h.Held())
		}
		if p[0] == 1 || most < 2 {
			continue
		}
		i := rng.IntN(5)           // the copied arrival
		j := i + 1 + rng.IntN(6-i) // where the copy goes, after it
		return slices.Insert(p, j, p[i])
	}
}

// Exercise1 asks how many messages each arrival makes a FIFO receiver
// deliver.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[Arrivals, []int]{
	Params: func(v exercise.Variant) Arrivals {
		if v.Example() {
			return Arrivals{Seqs: slices.Clone(exampleArrivals)}
		}
		return Arrivals{Seqs: randomArrivals(v.Rand())}
	},
	Describe: func(a Arrivals) string {
		return fmt.Sprintf("messages m1..m6 arrive at R in this order: %s", a)
	},
	Judge: judgeArrivals,
})

func judgeArrivals(a Arrivals, answer []int) exercise.Verdict {
	want := DeliveriesPerArrival(a.Seqs)
	if len(answer) != len(want) {
		return exercise.Wrong(fmt.Sprintf("%d numbers for %d arrivals", len(answer), len(want)),
			"give one number per arrival, in arrival order, 0 when an arrival delivers nothing")
	}
	if slices.Equal(answer, want) {
		return exercise.Right()
	}
	sum := 0
	for _, x := range answer {
		if x < 0 {
			return exercise.Wrong("a negative number of deliveries", "count the messages each arrival lets R deliver")
		}
		sum += x
	}
	distinct := map[int]bool{}
	for _, s := range a.Seqs {
		distinct[s] = true
	}
	if sum > len(distinct) {
		return exercise.Wrong(fmt.Sprintf("your numbers add up to %d deliveries, but only %d messages were sent", sum, len(distinct)),
			"a copy of a message already delivered or already held is thrown away")
	}
	naive := make([]int, len(a.Seqs))
	seen := map[int]bool{}
	for i, s := range a.Seqs {
		if !seen[s] {
			naive[i] = 1
		}
		seen[s] = true
	}
	if slices.Equal(answer, naive) {
		return exercise.Wrong("that delivers every new message the moment it arrives, out of order",
			"R delivers only the next number it expects; an early message waits until the gap before it is filled")
	}
	var parts []string
	for i := range want {
		if answer[i] != want[i] {
			parts = append(parts, fmt.Sprintf("arrival %d (m%d)", i+1, a.Seqs[i]))
		}
	}
	return exercise.WrongParts(parts, fmt.Sprintf("%d of %d arrivals", len(parts), len(want)),
		"keep track of the next number R expects: an arrival with exactly that number is delivered, then every held message that follows it without a gap")
}

// RevealHoldBack runs the student's arrivals through the FIFO receiver's
// hold-back queue and prints what each arrival delivered, next to the
// prediction — once there is a prediction.
func RevealHoldBack(prediction []int) { writeHoldBack(os.Stdout, Exercise1.Params(), prediction) }

func writeHoldBack(w io.Writer, a Arrivals, prediction []int) {
	if len(prediction) == 0 {
		fmt.Fprintln(w, "Make your prediction in Exercise 1 first; then run this cell to see the receiver at work.")
		return
	}
	var h HoldBack
	fmt.Fprintf(w, "%-10s %-32s %s\n", "arrival", "R delivers", "you said")
	for i, s := range a.Seqs {
		d, dup := h.Add(s, "m"+strconv.Itoa(s))
		what := strings.Join(d, " ")
		switch {
		case dup:
			what = "nothing (a copy: thrown away)"
		case len(d) == 0:
			what = fmt.Sprintf("nothing (held back; %d waiting)", h.Held())
		}
		said := "-"
		if i < len(prediction) {
			said = strconv.Itoa(prediction[i])
		}
		fmt.Fprintf(w, "%-10s %-32s %s\n", fmt.Sprintf("%d: m%d", i+1, s), what, said)
	}
}

// ---- Exercise 2: ordering by synchronised clocks, by hand -----------------

// PuzzleSend is one message of a ClockPuzzle.
type PuzzleSend struct {
	Name string
	From string  // "A", "B" or "C"
	At   float64 // true send time, ms
}

// ClockPuzzle is three senders whose clocks are off by Offsets (ms; A, B,
// C) and the messages they send, in true time order.
type ClockPuzzle struct {
	Offsets []float64
	Sends   []PuzzleSend
}

func tenths(x float64) int { return int(x*10 + 0.5*sign(x)) }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// stamp is a send's timestamp in tenths of a millisecond.
func (p ClockPuzzle) stamp(s PuzzleSend) int {
	return tenths(s.At) + tenths(p.Offsets[int(s.From[0]-'A')])
}

// StampOrder is the order in which a receiver that sorts by (timestamp,
// sender) delivers the puzzle's messages.
func (p ClockPuzzle) StampOrder() []string {
	s := slices.Clone(p.Sends)
	slices.SortStableFunc(s, func(a, b PuzzleSend) int {
		if d := p.stamp(a) - p.stamp(b); d != 0 {
			return d
		}
		return strings.Compare(a.From, b.From)
	})
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x.Name
	}
	return out
}

func (p ClockPuzzle) sendOrder() []string {
	out := make([]string, len(p.Sends))
	for i, s := range p.Sends {
		out[i] = s.Name
	}
	return out
}

var examplePuzzle = ClockPuzzle{
	Offsets: []float64{0.4, -0.3, 0.1},
	Sends: []PuzzleSend{
		{"m1", "A", 1.0}, {"m2", "B", 1.5}, {"m3", "C", 1.6}, {"m4", "A", 2.4}, {"m5", "B", 2.6},
	},
}

// randomPuzzle draws offsets in ±0.5 ms and five sends 0.2–1 ms apart, so
// that timestamps differ and at least one message overtakes another.
func randomPuzzle(rng *rand.Rand) ClockPuzzle {
	for {
		var p ClockPuzzle
		for _, k := range rng.Perm(11)[:3] {
			p.Offsets = append(p.Offsets, float64(k-5)/10)
		}
		t := 10
		for i := range 5 {
			t += 2 + rng.IntN(9)
			p.Sends = append(p.Sends, PuzzleSend{Name: "m" + strconv.Itoa(i+1), From: string(rune('A' + rng.IntN(3))), At: float64(t) / 10})
		}
		stamps := map[int]bool{}
		for _, s := range p.Sends {
			stamps[p.stamp(s)] = true
		}
		if len(stamps) == len(p.Sends) && !slices.Equal(p.StampOrder(), p.sendOrder()) {
			return p
		}
	}
}

// Exercise2 asks for the order in which a receiver that orders by
// timestamp delivers messages stamped by clocks with known errors.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[ClockPuzzle, []string]{
	Params: func(v exercise.Variant) ClockPuzzle {
		if v.Example() {
			return examplePuzzle
		}
		return randomPuzzle(v.Rand())
	},
	Describe: func(p ClockPuzzle) string {
		sends := make([]string, len(p.Sends))
		for i, s := range p.Sends {
			sends[i] = fmt.Sprintf("%s from %s at %.1f ms", s.Name, s.From, s.At)
		}
		return fmt.Sprintf("clock errors (clock reading minus true time): A %+.1f ms, B %+.1f ms, C %+.1f ms; sends, in true time order: %s",
			p.Offsets[0], p.Offsets[1], p.Offsets[2], strings.Join(sends, ", "))
	},
	Judge: judgePuzzle,
})

func judgePuzzle(p ClockPuzzle, answer []string) exercise.Verdict {
	want := p.StampOrder()
	if slices.Equal(answer, want) {
		return exercise.Right()
	}
	got := slices.Clone(answer)
	slices.Sort(got)
	all := p.sendOrder()
	slices.Sort(all)
	if !slices.Equal(got, all) {
		return exercise.Wrong(fmt.Sprintf("the answer must list each of %s exactly once", strings.Join(p.sendOrder(), ", ")), "")
	}
	if slices.Equal(answer, p.sendOrder()) {
		return exercise.Wrong("that is the order in which the messages were sent; the receiver does not know it",
			"the receiver sees only the timestamps: what each sender's clock read when it sent")
	}
	flipped := ClockPuzzle{Sends: p.Sends}
	for _, o := range p.Offsets {
		flipped.Offsets = append(flipped.Offsets, -o)
	}
	if slices.Equal(answer, flipped.StampOrder()) {
		return exercise.Wrong("the clock errors are applied with the wrong sign",
			"a clock that is ahead (+) stamps a time later than the true one")
	}
	var parts []string
	for i := range want {
		if answer[i] != want[i] {
			parts = append(parts, "position "+strconv.Itoa(i+1))
		}
	}
	return exercise.WrongParts(parts, fmt.Sprintf("%d of %d positions", len(parts), len(want)),
		"work out each message's timestamp (what its sender's clock read) and sort by it")
}

// PuzzleRun is the netsim run of a ClockPuzzle.
type PuzzleRun struct {
	Puzzle ClockPuzzle
	Order  []string
	Run    *ClockOrderRun
}

// RunPuzzle sends the puzzle's messages on the simulator: three senders
// with the puzzle's clock errors, one receiver with a perfect clock that
// holds each message long enough, links of 1–5 ms.
func RunPuzzle(p ClockPuzzle) (*PuzzleRun, error) {
	if len(p.Offsets) != 3 || len(p.Sends) == 0 || len(p.Sends) > 50 {
		return nil, fmt.Errorf("ordering: a puzzle has 3 clock errors and 1..50 sends")
	}
	c := DefaultClockOrder()
	c.Senders, c.Receivers, c.Messages, c.Trace = 3, 1, len(p.Sends), true
	ms := func(x float64) netsim.Time { return netsim.Time(tenths(x)) * netsim.Millisecond / 10 }
	sOff := make([]netsim.Time, 3)
	for i, o := range p.Offsets {
		sOff[i] = ms(o)
		c.ClockError = max(c.ClockError, ms(o), -ms(o))
	}
	plans := make([][]Planned, 3)
	for i, s := range p.Sends {
		k := int(s.From[0] - 'A')
		if len(s.From) != 1 || k < 0 || k > 2 {
			return nil, fmt.Errorf("ordering: sender %q is not A, B or C", s.From)
		}
		plans[k] = append(plans[k], Planned{At: ms(s.At), Seq: i, Payload: s.Name})
	}
	r, err := runClock(c, sOff, []netsim.Time{0}, plans)
	if err != nil {
		return nil, err
	}
	return &PuzzleRun{Puzzle: p, Order: r.Orders[0], Run: r}, nil
}

// RevealPuzzle runs the student's puzzle on the simulator and prints what
// the receiver delivered, next to the answer — once there is an answer.
func RevealPuzzle(answer []string) { writePuzzle(os.Stdout, Exercise2.Params(), answer) }

func writePuzzle(w io.Writer, p ClockPuzzle, answer []string) {
	if len(answer) == 0 {
		fmt.Fprintln(w, "Write your order in Exercise 2 first; then run this cell to see the receiver deliver.")
		return
	}
	r, err := RunPuzzle(p)
	if err != nil {
		fmt.Fprintln(w, "error:", err)
		return
	}
	fmt.Fprintln(w, "message  sender  sent at (true)  timestamp")
	for _, s := range r.Puzzle.Sends {
		fmt.Fprintf(w, "%-8s %-7s %6.1f ms       %6.1f ms\n", s.Name, s.From, s.At, float64(r.Puzzle.stamp(s))/10)
	}
	fmt.Fprintln(w, "the receiver delivered:", strings.Join(r.Order, " "))
	fmt.Fprintln(w, "you said:              ", strings.Join(answer, " "))
}

// ---- Exercise 3: the causal delivery condition ----------------------------

// DeliverCase is one input of the causal delivery rule.
type DeliverCase struct {
	Msg, Local []uint64
	Sender     int
}

var deliverVisible = []exercise.Case[DeliverCase, bool]{
	{In: DeliverCase{[]uint64{0, 1, 0}, []uint64{0, 0, 0}, 1}, Want: true, Name: "B's first message, nothing else needed"},
	{In: DeliverCase{[]uint64{1, 0, 0}, []uint64{1, 0, 0}, 0}, Want: false, Name: "a message from A already delivered"},
	{In: DeliverCase{[]uint64{0, 2, 0}, []uint64{0, 0, 0}, 1}, Want: false, Name: "B's second message before its first"},
	{In: DeliverCase{[]uint64{1, 1, 0}, []uint64{0, 0, 0}, 1}, Want: false, Name: "B had delivered A's message, this node has not"},
	{In: DeliverCase{[]uint64{1, 1, 0}, []uint64{1, 0, 2}, 1}, Want: true, Name: "B had delivered A's message, and so has this node"},
	{In: DeliverCase{[]uint64{0, 3, 1}, []uint64{4, 2, 5}, 1}, Want: true, Name: "this node is ahead of B on A and C"},
}

// deliverHidden draws cases near the boundary of the condition.
func deliverHidden(rng *rand.Rand) []exercise.Case[DeliverCase, bool] {
	var out []exercise.Case[DeliverCase, bool]
	for range 300 {
		n := 2 + rng.IntN(5)
		local := make([]uint64, n)
		for k := range local {
			local[k] = uint64(rng.IntN(5))
		}
		s := rng.IntN(n)
		msg := slices.Clone(local)
		msg[s] = local[s] + []uint64{0, 1, 1, 1, 2}[rng.IntN(5)]
		for k := range msg {
			if k == s {
				continue
			}
			switch rng.IntN(4) {
			case 0:
				msg[k] = local[k] + 1
			case 1:
				msg[k] = uint64(rng.IntN(int(local[k]) + 1))
			}
		}
		in := DeliverCase{Msg: msg, Local: local, Sender: s}
		out = append(out, exercise.Case[DeliverCase, bool]{In: in, Want: Deliverable(msg, local, s)})
	}
	return out
}

func showDeliverCase(in DeliverCase) string {
	return fmt.Sprintf("deliverable(msg=%v, local=%v, sender=%d)", vclock.VC(in.Msg), vclock.VC(in.Local), in.Sender)
}

// Exercise3 asks for the causal delivery condition; it is tested on cases
// and inside causal broadcast runs.
var Exercise3 = exercise.NewFunc(Lesson, "Exercise 3", exercise.FuncSpec[func(msg, local vclock.VC, sender int) bool, DeliverCase, bool]{
	Call: func(f func(msg, local vclock.VC, sender int) bool, in DeliverCase) bool {
		return f(slices.Clone(vclock.VC(in.Msg)), slices.Clone(vclock.VC(in.Local)), in.Sender)
	},
	Test: func(t *exercise.T[DeliverCase, bool]) {
		exercise.Table(exercise.TableSpec[DeliverCase, bool]{
			Visible: deliverVisible,
			Hidden:  deliverHidden,
			Show:    showDeliverCase,
			Hint:    "deliver when the message is the sender's next one and the node has delivered everything else the sender had delivered",
		})(t)
		// A visible run of three nodes; under the grader, runs of four and
		// five nodes with seeds drawn at grading time.
		runs := []CausalConfig{DefaultCausal()}
		runs[0].Nodes, runs[0].Seed = 3, 7
		if t.Hidden() {
			for _, n := range []int{4, 5} {
				c := DefaultCausal()
				c.Nodes, c.Seed = n, t.Rand().Uint64()%1000000
				runs = append(runs, c)
			}
		}
		for _, c := range runs {
			seed := c.Seed
			rule := func(msg, local vclock.VC, sender int) bool {
				return t.Call(DeliverCase{Msg: msg, Local: local, Sender: sender})
			}
			r, err := RunCausalWith(c, rule)
			if t.Failed() {
				return
			}
			if err != nil {
				t.Fatal(exercise.Wrong(err.Error(), ""))
			}
			if v := r.Violations(); len(v) > 0 {
				t.Fatal(exercise.Wrong(fmt.Sprintf("in a causal broadcast run (seed %d) with your rule, %s (%d such deliveries)", seed, v[0], len(v)),
					"a message must wait until the node has delivered everything its sender had delivered"))
			}
			if u := r.Undelivered(); u > 0 {
				t.Fatal(exercise.Wrong(fmt.Sprintf("in a causal broadcast run (seed %d) with your rule, %d deliveries never happened: messages stayed held back forever", seed, u),
					"a message the node has everything for must be deliverable"))
			}
		}
	},
})

// ---- Exercise 4: what ordering costs in messages ---------------------------

// CostParams is a cluster of N nodes and K operations.
type CostParams struct{ N, K int }

// Costs is the number of messages of K entries into the critical section
// with Lamport's algorithm, and of K totally ordered broadcasts with
// acknowledgements to everyone, among N nodes.
type Costs struct{ Mutex, Broadcast int }

// Exercise4 asks how many messages ordering costs.
var Exercise4 = exercise.NewValue(Lesson, "Exercise 4", exercise.ValueSpec[CostParams, Costs]{
	Params: func(v exercise.Variant) CostParams {
		if v.Example() {
			return CostParams{N: 5, K: 4}
		}
		return CostParams{N: exercise.IntBetween(v, 5, 3, 8), K: exercise.IntBetween(v, 4, 2, 7)}
	},
	Describe: func(p CostParams) string {
		return fmt.Sprintf("N = %d nodes; K = %d entries into the critical section, and K = %d broadcasts", p.N, p.K, p.K)
	},
	Judge: judgeCosts,
})

func judgeCosts(p CostParams, a Costs) exercise.Verdict {
	n, k := p.N, p.K
	want := Costs{Mutex: 3 * (n - 1) * k, Broadcast: n * (n - 1) * k}
	if a == want {
		return exercise.Right()
	}
	var parts, why []string
	if a.Mutex != want.Mutex {
		parts = append(parts, "Mutex")
		switch a.Mutex {
		case 3 * n * k:
			why = append(why, "Mutex counts messages a node sends to itself")
		case 2 * (n - 1) * k:
			why = append(why, "Mutex leaves out the releases")
		case 3 * (n - 1):
			why = append(why, "Mutex is the cost of a single entry")
		case (n - 1) * k:
			why = append(why, "Mutex counts only the requests")
		}
	}
	if a.Broadcast != want.Broadcast {
		parts = append(parts, "Broadcast")
		switch a.Broadcast {
		case (n - 1) * k:
			why = append(why, "Broadcast counts only the data messages")
		case 2 * (n - 1) * k:
			why = append(why, "Broadcast has acknowledgements going back to the sender only")
		case n * n * k:
			why = append(why, "Broadcast counts messages a node sends to itself")
		case n * (n - 1):
			why = append(why, "Broadcast is the cost of a single broadcast")
		}
	}
	w := strings.Join(why, "; ")
	if w == "" {
		w = "Not the number of messages the protocols send"
	}
	return exercise.WrongParts(parts, w,
		"follow one operation through the protocol (sections 6 and 7): list each step, who sends it and to how many nodes, then multiply by K")
}

// RevealCosts measures both costs on the simulator with the student's N
// and K (node A enters K times; node A broadcasts K payloads) and prints
// them next to the answer — once there is an answer.
func RevealCosts(answer Costs) { writeCosts(os.Stdout, Exercise4.Params(), answer) }

func writeCosts(w io.Writer, p CostParams, answer Costs) {
	if answer == (Costs{}) {
		fmt.Fprintln(w, "Write your counts in Exercise 4 first; then run this cell to measure them.")
		return
	}
	m, t, err := MeasureCosts(p)
	if err != nil {
		fmt.Fprintln(w, "error:", err)
		return
	}
	fmt.Fprintf(w, "N = %d, K = %d\n", p.N, p.K)
	fmt.Fprintf(w, "mutual exclusion: %d messages measured, you said %d\n", m, answer.Mutex)
	fmt.Fprintf(w, "ordered broadcast: %d messages measured, you said %d\n", t, answer.Broadcast)
}

// MeasureCosts runs K entries of node A into the critical section and K
// broadcasts by node A among N nodes, and counts the messages sent.
func MeasureCosts(p CostParams) (mutex, broadcast uint64, err error) {
	if p.N < 2 || p.N > 8 || p.K < 1 || p.K > 50 {
		return 0, 0, fmt.Errorf("ordering: N = %d, K = %d: allowed N in 2..8, K in 1..50", p.N, p.K)
	}
	mc := DefaultMutex()
	mc.Nodes = p.N
	entries := make([]int, p.N)
	entries[0] = p.K
	mr, err := runMutex(mc, entries)
	if err != nil {
		return 0, 0, err
	}
	tc := DefaultTOB()
	tc.Nodes = p.N
	members := names(p.N, 'A')
	nodes := make([]*TOB, p.N)
	for i := range nodes {
		nodes[i] = &TOB{Members: members}
	}
	for k := range p.K {
		nodes[0].Plan = append(nodes[0].Plan, netsim.Time(k+1)*tc.Gap)
	}
	tr, err := runTOB(tc, members, nodes, LibraryRules)
	if err != nil {
		return 0, 0, err
	}
	if mr.Entries() != p.K || tr.Undelivered() != 0 {
		return 0, 0, fmt.Errorf("ordering: the measuring runs did not complete (seed %d)", tc.Seed)
	}
	return mr.Stats.Sent, tr.Stats.Sent, nil
}
