package totalorder_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dslessons/course/lessons/labs/internal/labkit"
	"github.com/dslessons/course/lessons/labs/totalorder"
	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// scenarios returns the visible scenario and the hidden ones drawn with
// seed, as the grader does.
func scenarios(seed uint64) []exercise.Scenario[totalorder.Scenario] {
	return append([]exercise.Scenario[totalorder.Scenario]{totalorder.Visible},
		totalorder.Hidden(rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)))...)
}

func TestReferencePassesEveryScenario(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42, 1000} {
		if v := totalorder.Lab.VerdictOf(reference, true, seed); !v.Passed {
			t.Fatalf("seed %d: the reference fails: %s\n%s", seed, v.Why, v.Case)
		}
	}
}

// The searches must stay small enough for the grader: every scenario is
// exhaustive within the bounds the grader uses, well under the state
// limit. (States are counted, not timed: the count is deterministic.)
func TestScenarioSizes(t *testing.T) {
	const most = 200_000
	for _, seed := range []uint64{1, 2, 3} {
		for _, sc := range scenarios(seed) {
			m, err := totalorder.Build(reference, sc.In)
			if err != nil {
				t.Fatal(err)
			}
			r, err := mcheck.Check(m, sc.Options(sc.In))
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != mcheck.Passed || !r.Exhaustive || r.States > most {
				t.Fatalf("%s: %v, exhaustive %v, %d states (at most %d)", sc.Name, r.Outcome, r.Exhaustive, r.States, most)
			}
			t.Logf("seed %d, %s (%v): %d states, depth %d, %s", seed, sc.Name, sc.In.Broadcasts, r.States, r.Depth, r.Performance())
		}
	}
	// The numbers the notebook gives for the reference.
	for _, c := range []struct {
		s      totalorder.Scenario
		states int
	}{{totalorder.Visible.In, 1074}, {totalorder.Scenario{Broadcasts: []int{1, 1, 0}, Duplicate: 1}, 126_629}} {
		m, err := totalorder.Build(reference, c.s)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := mcheck.Check(m, totalorder.Options(c.s)); err != nil || r.States != c.states {
			t.Errorf("%v: %v states, want %d (%v)", c.s, r.States, c.states, err)
		}
	}
}

func TestStarterFailsAtOnce(t *testing.T) {
	v := totalorder.Lab.VerdictOf(starter, false, 1)
	if v.Passed || !strings.Contains(v.Why, `"same order everywhere" fails after step 2`) ||
		!strings.Contains(v.Hint, "every other member has sent you something stamped at least as late") {
		t.Fatalf("the starter: %+v", v)
	}
	if v := totalorder.Lab.VerdictOf(starter, true, 7); v.Passed {
		t.Fatal("the starter passes the hidden scenarios")
	}
}

// Plausible wrong answers fail, with the hint for their mistake; some only
// in the grader's hidden scenarios.
func TestWrongAnswers(t *testing.T) {
	for _, c := range []struct {
		bug      bug
		visible  bool   // passes the visible scenario
		property string // the property that fails
		hint     string
	}{
		{noTieBreak, false, totalorder.SameOrderName, "A1 and B1 carry the same timestamp"},
		{impatient, false, totalorder.SameOrderName, "before it could know"},
		{ownNotQueued, false, totalorder.SameOrderName, "own broadcasts go into its queue"},
		{noAcks, false, totalorder.AllName, "acknowledge each broadcast to all the other members"},
		{strictlyLater, false, totalorder.AllName, "at least as late as the head is enough"},
		{noDedup, false, totalorder.IntegrityName, "a second copy"},
		{toEveryone, false, totalorder.IntegrityName, "a second copy"},
		{dataIgnored, false, totalorder.IntegrityName, "a second copy"},
		{ackSenderOnly, true, totalorder.AllName, "not only to its sender"},
		{noClockOnReceive, true, totalorder.AllName, "move the clock past every stamp"},
	} {
		t.Run(c.bug.String(), func(t *testing.T) {
			if v := totalorder.Lab.VerdictOf(withBug(c.bug), false, 1); v.Passed != c.visible {
				t.Fatalf("visible scenario: passed %v, want %v: %s", v.Passed, c.visible, v.Why)
			}
			for _, seed := range []uint64{1, 2, 3} {
				v := totalorder.Lab.VerdictOf(withBug(c.bug), true, seed)
				if v.Passed || !strings.Contains(v.Why, fmt.Sprintf("%q fails", c.property)) || !strings.Contains(v.Hint, c.hint) {
					t.Fatalf("seed %d: %+v", seed, v)
				}
				if !strings.Contains(v.Case, "a shortest schedule") {
					t.Fatalf("seed %d: no transcript in %q", seed, v.Case)
				}
			}
		})
	}
}

func TestHiddenScenarios(t *testing.T) {
	a, b := scenarios(1)[1:], scenarios(1)[1:]
	if len(a) != 5 {
		t.Fatalf("%d hidden scenarios, want 4 and the isolation scenario", len(a))
	}
	silent := map[string]bool{}
	for i := range a {
		if fmt.Sprint(a[i].In) != fmt.Sprint(b[i].In) || a[i].Name != b[i].Name {
			t.Fatal("the hidden scenarios depend on more than the seed")
		}
	}
	for seed := uint64(1); seed <= 20; seed++ {
		for _, sc := range scenarios(seed)[1:] {
			if err := sc.In.Validate(); err != nil {
				t.Fatalf("seed %d: %s: %v", seed, sc.Name, err)
			}
			if sc.In.Seed < 2 {
				t.Fatalf("seed %d: %s has the visible scenario's seed", seed, sc.Name)
			}
			silent[fmt.Sprint(sc.In.Broadcasts)] = true
		}
	}
	// Over 20 grading seeds every member is the silent one (or the only
	// sender) some time.
	for _, bs := range []string{"[0 1 1]", "[1 0 1]", "[1 1 0]", "[2 0 0]", "[0 2 0]", "[0 0 2]", "[3 2]", "[2 3]"} {
		if !silent[bs] {
			t.Errorf("no hidden scenario broadcasts %s in 20 seeds", bs)
		}
	}
}

func TestJudge(t *testing.T) {
	v := totalorder.Judge(totalorder.Visible.In, &mcheck.Report{Outcome: mcheck.LimitReached, Limit: "state limit 10"})
	if v.Passed || !strings.Contains(v.Why, "state limit 10") || !strings.Contains(v.Hint, "bounded") {
		t.Fatalf("%+v", v)
	}
	if v := totalorder.Judge(totalorder.Visible.In, &mcheck.Report{Outcome: mcheck.Passed}); !v.Passed {
		t.Fatalf("%+v", v)
	}
}

// panicky is a node whose data handler panics.
type panicky struct{ Variant variant }

func (p *panicky) Handle(ctx *netsim.Context, ev netsim.Event) {
	if _, ok := ev.Msg.(totalorder.Data); ok && ev.Kind == netsim.Receive {
		var q []int
		_ = q[len(ev.From)] // index out of range
	}
	p.Variant.Handle(ctx, ev)
}

// wrongOutput outputs the whole Data, not its payload.
type wrongOutput struct{ variant }

func (w *wrongOutput) Handle(ctx *netsim.Context, ev netsim.Event) {
	if b, ok := ev.Msg.(totalorder.Broadcast); ok {
		ctx.Output(totalorder.Data{Payload: b.Payload})
		return
	}
}

func TestBadAnswers(t *testing.T) {
	for _, c := range []struct {
		name string
		f    totalorder.NewNode
		why  string
	}{
		{"nil constructor", nil, "no node constructor"},
		{"nil node", func([]netsim.NodeID, int) netsim.Node { return nil }, "returned nil for member A"},
		{"panics", func(m []netsim.NodeID, self int) netsim.Node {
			return &panicky{variant{Members: m, Self: self}}
		}, "panic"},
		{"constructor panics", func([]netsim.NodeID, int) netsim.Node { panic("not yet") }, "your code panicked"},
		{"outputs Data", func([]netsim.NodeID, int) netsim.Node { return &wrongOutput{} }, "output the payload"},
		{"a func in its state", func([]netsim.NodeID, int) netsim.Node { return netsim.NodeFunc(func(*netsim.Context, netsim.Event) {}) }, "cannot"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := totalorder.Lab.VerdictOf(c.f, false, 1)
			if v.Passed || !strings.Contains(v.Why+v.Hint, c.why) {
				t.Fatalf("%+v", v)
			}
		})
	}
}

func TestScenarioValidation(t *testing.T) {
	for _, s := range []totalorder.Scenario{
		{Broadcasts: []int{1}},
		{Broadcasts: []int{1, 1, 1, 1, 1, 1}},
		{Broadcasts: []int{1, -1}},
		{Broadcasts: []int{1, totalorder.MaxPerMember + 1}},
		{Broadcasts: []int{1, 1}, Duplicate: -1},
		{Broadcasts: []int{1, 1}, Duplicate: 5},
		{Broadcasts: []int{1, 1}, MaxStates: -1},
	} {
		if err := s.Validate(); err == nil || !strings.HasPrefix(err.Error(), "totalorder: ") {
			t.Errorf("%v: %v", s.Broadcasts, err)
		}
		if _, err := totalorder.Build(reference, s); err == nil {
			t.Errorf("Build accepted %+v", s)
		}
	}
	if got := totalorder.Visible.In.String(); got != "2 members (broadcasts: A 2, B 1), the network duplicates up to 1" {
		t.Errorf("String: %q", got)
	}
	if got := totalorder.Visible.In.Within(); got != 3+3+3+20 {
		t.Errorf("Within %d", got)
	}
}

func TestRegistry(t *testing.T) {
	r := totalorder.Registry()
	if err := r.Register("string", ""); err == nil {
		t.Fatal("the registry has no string type for the outputs")
	}
}

func TestGallery(t *testing.T) {
	for _, c := range []struct {
		bug    totalorder.Bug
		step   int
		detail string
	}{
		{totalorder.Impatient, 2, "A delivered A1, B delivered B1"},
		{totalorder.NoTieBreak, 4, "A delivered A1 B1, B delivered B1 A1"},
		{totalorder.NoFIFO, 4, "A delivered A1 B1, B delivered B1"},
	} {
		var buf bytes.Buffer
		r, err := totalorder.GalleryTo(&buf, c.bug)
		if err != nil {
			t.Fatal(err)
		}
		if r.Outcome != mcheck.Violated || r.Property != totalorder.SameOrderName || r.Step() != c.step || !strings.Contains(r.Detail, c.detail) {
			t.Fatalf("%v: %v %q after step %d: %s", c.bug, r.Outcome, r.Property, r.Step(), r.Detail)
		}
		if !strings.HasPrefix(buf.String(), "gallery: "+c.bug.String()) || !strings.Contains(buf.String(), "a shortest schedule") {
			t.Fatalf("%v: %q", c.bug, buf.String())
		}
	}
	// Without FIFO links an acknowledgement overtakes the data sent before it.
	var buf bytes.Buffer
	if _, err := totalorder.GalleryTo(&buf, totalorder.NoFIFO); err != nil || !strings.Contains(buf.String(), "4. A->B deliver ack@3") {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if _, err := totalorder.GalleryTo(&buf, totalorder.Bug(7)); err == nil || !strings.Contains(err.Error(), "no gallery entry 7") {
		t.Fatalf("bad entry: %v", err)
	}
}

// A liveness violation is drawn with the run continued without faults
// until nothing moves: there, some member has not delivered everything.
func TestShowContinuesALivenessViolation(t *testing.T) {
	for _, c := range []struct {
		bug bug
		s   totalorder.Scenario
	}{{noAcks, totalorder.Visible.In}, {ackSenderOnly, totalorder.Scenario{Broadcasts: []int{1, 1, 0}}}} {
		m, err := totalorder.Build(withBug(c.bug), c.s)
		if err != nil {
			t.Fatal(err)
		}
		r, err := mcheck.Check(m, totalorder.Options(c.s))
		if err != nil || r.Outcome != mcheck.Violated || r.Property != totalorder.AllName {
			t.Fatalf("%v: %v %v", c.bug, err, r)
		}
		more, man, err := totalorder.Continuation(m, r.Schedule)
		if err != nil {
			t.Fatal(err)
		}
		if len(more) == 0 || len(man.InFlight()) != 0 {
			t.Fatalf("%v: %d steps added, %d messages still in flight", c.bug, len(more), len(man.InFlight()))
		}
		for _, id := range m.Nodes() {
			if len(man.Timers(id)) != 0 {
				t.Fatalf("%v: %s still has timers", c.bug, id)
			}
		}
		per := map[netsim.NodeID]int{}
		for _, o := range man.Outputs() {
			per[o.Node]++
		}
		total := 0
		for _, k := range c.s.Broadcasts {
			total += k
		}
		short := false
		for _, id := range m.Nodes() {
			short = short || per[id] < total
		}
		if !short {
			t.Fatalf("%v: after the continuation every member delivered everything: %v", c.bug, man.Outputs())
		}
		var buf bytes.Buffer
		totalorder.ShowTo(&buf, m, r)
		if !strings.Contains(buf.String(), fmt.Sprintf("goes on from step %d without faults", r.Step())) {
			t.Fatalf("%v: %q", c.bug, buf.String())
		}
	}
}

// The isolation scenario: a member that delivers without hearing from
// the others (the starter delivers its own broadcast at once, as would a
// member that orders through shared memory) is caught with the isolation
// hint; the reference passes.
func TestIsolationScenario(t *testing.T) {
	var sc exercise.Scenario[totalorder.Scenario]
	for _, s := range scenarios(1)[1:] {
		if s.In.Isolated {
			sc = s
		}
	}
	if !sc.In.Isolated {
		t.Fatal("no isolation scenario among the hidden ones")
	}
	_, r, err := totalorder.Lab.Search(starter, sc)
	if err != nil {
		t.Fatal(err)
	}
	v := totalorder.Judge(sc.In, r)
	if r.Outcome != mcheck.Violated || r.Property != labkit.IsolationName || v.Hint != labkit.IsolationHint {
		t.Fatalf("the starter's early delivery was not caught: %v %+v", r, v)
	}
	_, r, err = totalorder.Lab.Search(reference, sc)
	if err != nil || r.Outcome != mcheck.Passed {
		t.Fatalf("the reference fails the isolation scenario: %v %v", r, err)
	}
}
