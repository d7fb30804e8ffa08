package exercise

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// FuncSpec defines an exercise whose answer is code of type F (a function,
// a handler, a strategy), tested on inputs of type I that give outputs of
// type O. I and O must survive a JSON round trip: under the grader the
// inputs travel to the student's process and the outputs back.
type FuncSpec[F, I, O any] struct {
	// Call applies the student's answer to one input. It runs where the
	// student's code runs.
	Call func(answer F, in I) O
	// Test checks the answer through t.Call. In a notebook it runs the
	// visible cases; under the grader t.Hidden() is true and it also runs
	// hidden ones drawn from t.Rand(). It runs in the judge's process
	// under the grader, so it may run a whole simulation and call the
	// student's code from inside it.
	Test func(t *T[I, O])
	// CallTimeout bounds one call of the student's code (default 5 s).
	CallTimeout time.Duration
	// Points is what a passing answer is worth when graded (default 1).
	Points float64
}

// Func is an exercise whose answer is code.
type Func[F, I, O any] struct {
	header
	spec FuncSpec[F, I, O]
}

// NewFunc defines the code exercise name of lesson l; nil Call or Test is
// a programming error and panics.
func NewFunc[F, I, O any](l *Lesson, name string, spec FuncSpec[F, I, O]) *Func[F, I, O] {
	if l == nil || spec.Call == nil || spec.Test == nil {
		panic("exercise: NewFunc " + name + " needs a lesson, Call and Test")
	}
	if spec.CallTimeout <= 0 {
		spec.CallTimeout = 5 * time.Second
	}
	if spec.Points == 0 {
		spec.Points = 1
	}
	e := &Func[F, I, O]{header: header{lesson: l, name: name, points: spec.Points}, spec: spec}
	l.add(e)
	return e
}

// Kind is FuncKind.
func (e *Func[F, I, O]) Kind() Kind { return FuncKind }

// VariantOf reports ok=false: code exercises have no per-student numbers.
func (e *Func[F, I, O]) VariantOf(string) (any, string, bool) { return nil, "", false }

// exampleSeed seeds T.Rand in a notebook, so visible runs repeat.
const exampleSeed = 1

// VerdictOf tests answer in this process: the visible cases, and the
// hidden ones too when hidden is true (tests and the reference solutions
// use that), with seed for T.Rand.
func (e *Func[F, I, O]) VerdictOf(answer F, hidden bool, seed uint64) Verdict {
	call := func(in I) (O, error) { return callLocal(e.spec.Call, answer, in, e.spec.CallTimeout) }
	return e.run(call, hidden, seed)
}

func (e *Func[F, I, O]) run(call func(I) (O, error), hidden bool, seed uint64) (v Verdict) {
	t := &T[I, O]{call: call, hidden: hidden, rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
	defer func() {
		if r := recover(); r != nil {
			if _, stop := r.(stopTest); !stop {
				v = Wrong(fmt.Sprintf("the check itself failed (%v)", r), "tell your instructor: this is a bug in the lesson")
				return
			}
			v = t.verdict
		}
	}()
	e.spec.Test(t)
	if t.failed {
		return t.verdict
	}
	return Right()
}

// Check tests the answer on the visible cases and prints "✓ Exercise 3:
// correct" or "✗ Exercise 3: …" with the first failing case, and reports
// whether it passed. Under the grader it serves the judge's calls instead
// (visible and hidden cases, inputs chosen by the judge) and reports true;
// the judge decides.
func (e *Func[F, I, O]) Check(answer F) bool {
	if Grading() {
		serve := func(raw json.RawMessage) (json.RawMessage, error) {
			var in I
			if err := json.Unmarshal(raw, &in); err != nil {
				return nil, fmt.Errorf("input could not be read: %v", err)
			}
			got, err := callLocal(e.spec.Call, answer, in, e.spec.CallTimeout)
			if err != nil {
				return nil, err
			}
			b, err := json.Marshal(got)
			if err != nil {
				return nil, fmt.Errorf("output cannot be sent: %v", err)
			}
			return b, nil
		}
		if err := serveFunc(e.lesson.ID, e.name, serve); err != nil {
			fmt.Fprintf(stdout(), "%s: the grader's session ended with an error: %v\n", e.name, err)
			return false
		}
		fmt.Fprintf(stdout(), "%s: your code answered the grader's test cases.\n", e.name)
		return true
	}
	return report(e.lesson.ID, e.name, e.VerdictOf(answer, false, exampleSeed))
}

// judge runs the test with the student's code behind the session.
func (e *Func[F, I, O]) judge(s *session, _ string, seed uint64) Verdict {
	call := func(in I) (O, error) {
		var zero O
		raw, err := json.Marshal(in)
		if err != nil {
			return zero, fmt.Errorf("exercise: input cannot be encoded: %v", err)
		}
		res, err := s.call(raw, e.spec.CallTimeout+time.Second)
		if err != nil {
			return zero, err
		}
		var got O
		if err := json.Unmarshal(res, &got); err != nil {
			return zero, fmt.Errorf("the output could not be read as %s (%v)", typeName[O](), err)
		}
		return got, nil
	}
	return e.run(call, true, seed)
}

// callLocal calls f(answer, in) in this process, turning a panic into an
// error and giving up after timeout (the call's goroutine is then left
// running: a notebook cell's program ends soon after).
func callLocal[F, I, O any](f func(F, I) O, answer F, in I, timeout time.Duration) (O, error) {
	type result struct {
		out O
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("your code panicked: %v", p)
			}
			done <- r
		}()
		r.out = f(answer, in)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.out, r.err
	case <-timer.C:
		var zero O
		return zero, fmt.Errorf("your code did not return within %v (an endless loop?)", timeout)
	}
}

// T runs one Func exercise's test: it calls the student's code and records
// the first failure.
type T[I, O any] struct {
	call    func(I) (O, error)
	hidden  bool
	rng     *rand.Rand
	failed  bool
	verdict Verdict
	calls   int
}

type stopTest struct{}

// MaxCalls bounds the calls of the student's code in one test.
const MaxCalls = 100000

// Call calls the student's code on in. If the call fails (a panic, a
// timeout, an output that cannot be read) the test fails with that reason
// and stops.
func (t *T[I, O]) Call(in I) O {
	t.calls++
	if t.calls > MaxCalls {
		t.Fatal(Wrong(fmt.Sprintf("the test called your code more than %d times", MaxCalls), ""))
	}
	got, err := t.call(in)
	if err != nil {
		t.Fatal(Verdict{Why: err.Error(), Case: "input: " + jsonString(in)})
	}
	return got
}

// Hidden reports whether hidden cases run too (under the grader).
func (t *T[I, O]) Hidden() bool { return t.hidden }

// Rand is the test's random source for hidden cases: seeded at grading
// time, so hidden inputs cannot be known in advance.
func (t *T[I, O]) Rand() *rand.Rand { return t.rng }

// Fail records v as the test's verdict (the first failure wins) and lets
// the test go on.
func (t *T[I, O]) Fail(v Verdict) {
	if t.failed {
		return
	}
	v.Passed = false
	t.failed, t.verdict = true, v
}

// Fatal records v (unless an earlier failure was recorded) and stops the
// test.
func (t *T[I, O]) Fatal(v Verdict) {
	t.Fail(v)
	panic(stopTest{})
}

// Failed reports whether a failure was recorded.
func (t *T[I, O]) Failed() bool { return t.failed }

// Case is one test case of a table-driven Func test.
type Case[I, O any] struct {
	In   I
	Want O
	// Name describes the case ("a message from the future").
	Name string
}

// TableSpec describes a table-driven Func test (Table).
type TableSpec[I, O any] struct {
	// Visible cases run in the notebook and under the grader; a failing
	// one is shown in full.
	Visible []Case[I, O]
	// Hidden draws further cases under the grader (nil: none). Their
	// inputs are shown when they fail, never their expected outputs.
	Hidden func(rng *rand.Rand) []Case[I, O]
	// Same compares an output with the expected one (nil: DeepEqual of
	// their JSON forms).
	Same func(in I, want, got O) bool
	// Show formats an input for a failure message (nil: JSON).
	Show func(in I) string
	// ShowOut formats an output (expected or actual) for a failure
	// message (nil: JSON).
	ShowOut func(out O) string
	// Diagnose, if set, names the typical mistake behind a wrong output
	// ("" when none applies); it is added to the failure's reason.
	Diagnose func(in I, got O) string
	// Hint is shown with a failure.
	Hint string
}

// Draw returns a TableSpec.Hidden that draws n cases, calling gen n times
// with the grader's random source.
func Draw[I, O any](n int, gen func(rng *rand.Rand) Case[I, O]) func(rng *rand.Rand) []Case[I, O] {
	return func(rng *rand.Rand) []Case[I, O] {
		var cs []Case[I, O]
		for range n {
			cs = append(cs, gen(rng))
		}
		return cs
	}
}

// Table returns a Test that runs spec's cases.
func Table[I, O any](spec TableSpec[I, O]) func(*T[I, O]) {
	same := spec.Same
	if same == nil {
		same = func(_ I, want, got O) bool { return jsonEqual(want, got) }
	}
	show := spec.Show
	if show == nil {
		show = func(in I) string { return jsonString(in) }
	}
	showOut := spec.ShowOut
	if showOut == nil {
		showOut = func(out O) string { return jsonString(out) }
	}
	why := func(c Case[I, O], got O, what string) string {
		w := caseWhy(c.Name, what)
		if spec.Diagnose != nil {
			if d := spec.Diagnose(c.In, got); d != "" {
				w += ": " + d
			}
		}
		return w
	}
	return func(t *T[I, O]) {
		for _, c := range spec.Visible {
			got := t.Call(c.In)
			if !same(c.In, c.Want, got) {
				t.Fatal(Verdict{
					Why:  why(c, got, "fails a visible case"),
					Hint: spec.Hint,
					Case: fmt.Sprintf("input:    %s\nexpected: %s\ngot:      %s", show(c.In), showOut(c.Want), showOut(got)),
				})
			}
		}
		if !t.Hidden() || spec.Hidden == nil {
			return
		}
		for _, c := range spec.Hidden(t.Rand()) {
			got := t.Call(c.In)
			if !same(c.In, c.Want, got) {
				t.Fatal(Verdict{
					Why:  why(c, got, "fails a hidden case"),
					Hint: spec.Hint,
					Case: fmt.Sprintf("input: %s", show(c.In)),
				})
			}
		}
	}
}

func caseWhy(name, what string) string {
	if name == "" {
		return what
	}
	return what + " (" + name + ")"
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
